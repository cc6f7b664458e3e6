from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "casework.governance"
    label = "governance"
    verbose_name = "Data protection: subject access, retention, disposal and export"

    def ready(self) -> None:
        """``casework audit verify`` checks that every note the trail records still exists
        unless its disposal is on record: governance knows both, so it registers the check.
        Imported here because models load before ``ready`` runs (Django's rule)."""
        from casework.audit.anchor import record_check_register
        from casework.governance.retention import notes_missing_without_disposal

        record_check_register(notes_missing_without_disposal)
