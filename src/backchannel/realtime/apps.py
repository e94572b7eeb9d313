from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "backchannel.realtime"
    label = "realtime"

    def ready(self) -> None:
        # Inline: app modules load only once apps are ready.
        from backchannel.db import rowcache

        from .outbox import announce_row_changes

        # Every process: saves and deletes of cached tables clear this process's row caches,
        # and the control topic tells the others (realtime/control.py).
        rowcache.watch_models()
        rowcache.set_announcer(announce_row_changes)
