from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "backchannel.notifications"
    label = "notifications"

    def ready(self) -> None:
        # Here, not at the top: models load only once the apps are ready.
        from backchannel.accounts.signals import followed
        from backchannel.feed.signals import post_published

        from . import receivers

        # Accounts and the feed sit below notifications and tell them through signals.
        post_published.connect(receivers.post_published, dispatch_uid="notifications.post")
        followed.connect(receivers.followed, dispatch_uid="notifications.followed")
