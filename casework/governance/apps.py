from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "casework.governance"
    label = "governance"
    verbose_name = "Audit, access logs and data protection"
