from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "backchannel.events"
    label = "events"

    def ready(self) -> None:
        # Here, not at the top: models load only once the apps are ready. An event's address
        # is a fediverse name like a handle: a new handle may not take one (accounts/names.py).
        from backchannel.accounts.names import register_taken_check

        from .models import Event

        register_taken_check(lambda name: Event.objects.filter(slug__iexact=name).exists())
