from django.apps import AppConfig


class PrioritiesConfig(AppConfig):
    name = "casework.priorities"
    label = "priorities"
    verbose_name = "Priorities"
