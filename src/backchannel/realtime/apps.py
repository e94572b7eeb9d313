from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "backchannel.realtime"
    label = "realtime"
