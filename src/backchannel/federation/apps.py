from django.apps import AppConfig


class FederationConfig(AppConfig):
    name = "backchannel.federation"
    label = "federation"
