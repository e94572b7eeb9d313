from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "backchannel.moderation"
    label = "moderation"

    def ready(self) -> None:
        # Here, not at the top: models load only once the apps are ready.
        from backchannel.feed import screening

        from .posting import PostModeration

        # The feed screens every post through moderation, which it cannot import.
        screening.register(PostModeration())
