from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "backchannel.events"
    label = "events"
