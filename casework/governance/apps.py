from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "casework.governance"
    label = "governance"
    verbose_name = "Data protection: subject access, retention, disposal and export"
