from django.apps import AppConfig


class FederationConfig(AppConfig):
    name = "backchannel.federation"
    label = "federation"

    def ready(self) -> None:
        # Here, not at the top: models load only once the apps are ready.
        from backchannel.feed.signals import post_published, post_shown, post_withdrawn, reacted

        from . import receivers

        # The feed and moderation sit below federation and tell it through signals.
        post_published.connect(receivers.post_published, dispatch_uid="federation.published")
        post_shown.connect(receivers.post_shown, dispatch_uid="federation.shown")
        post_withdrawn.connect(receivers.post_withdrawn, dispatch_uid="federation.withdrawn")
        reacted.connect(receivers.reacted, dispatch_uid="federation.reacted")
