from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "backchannel.moderation"
    label = "moderation"
