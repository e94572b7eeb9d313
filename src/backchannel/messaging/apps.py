from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "backchannel.messaging"
    label = "messaging"

    def ready(self) -> None:
        # Here, not at the top: models load only once the apps are ready. Unread messages
        # join the e-mail digest, which lives below messaging.
        from backchannel.notifications.digest import register_source

        from .digest import UnreadMessages

        register_source(UnreadMessages())
