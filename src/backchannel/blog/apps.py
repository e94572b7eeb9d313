from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "backchannel.blog"
    label = "blog"
