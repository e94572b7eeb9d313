from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "backchannel.orgs"
    label = "orgs"
