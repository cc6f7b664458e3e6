from django.apps import AppConfig


class PrioritiesConfig(AppConfig):
    name = "casework.priorities"
    label = "priorities"
    verbose_name = "Priorities"

    def ready(self) -> None:
        """Fill the two registries ``cases`` offers the apps above it: every change to a case
        re-assesses its priority (the stack's one upward call), and the case page shows the
        priority panel. Imported here, not at module level, because models are not loaded
        until ``ready`` runs: Django's own rule, and the one documented exception to the
        no-function-local-import rule."""
        from casework.cases.changes import case_reassessor_register
        from casework.cases.panels import case_panel_register
        from casework.cases.selectors import caseload_band_register
        from casework.cases.upkeep import reallocation_listener_register
        from casework.priorities.selectors import caseload_with_band
        from casework.priorities.services import reassess_case_ids, tell_new_owner

        case_reassessor_register(reassess_case_ids)
        reallocation_listener_register(tell_new_owner)
        caseload_band_register(caseload_with_band)
        case_panel_register("priorities/_case_priority_panel.html", order=10)
