from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "backchannel.archive"
    label = "archive"
