from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "backchannel.messaging"
    label = "messaging"
