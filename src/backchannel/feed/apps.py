from django.apps import AppConfig


class FeedConfig(AppConfig):
    name = "backchannel.feed"
    label = "feed"
