from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "casework.demo"
    label = "demo"
    verbose_name = "Demo organisation and scale generator"
