from django.apps import AppConfig


class QaConfig(AppConfig):
    name = "backchannel.qa"
    label = "qa"
