from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "backchannel.web"
    label = "web"
