from django.apps import AppConfig


class TimelineConfig(AppConfig):
    name = "gendan.timeline"
    label = "timeline"
