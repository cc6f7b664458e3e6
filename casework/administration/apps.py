from django.apps import AppConfig


class AdministrationConfig(AppConfig):
    name = "casework.administration"
    label = "administration"
    verbose_name = "Organisation set-up and administration"
