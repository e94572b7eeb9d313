from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "backchannel.notifications"
    label = "notifications"
