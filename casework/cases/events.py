"""The registry of case-history event codes. A code not listed here is refused on write."""

EVENT_CODES: dict[str, str] = {
    "case_opened": "Case opened",
    "status_changed": "Status changed",
    "case_updated": "Case details changed",
    "case_reallocated": "Case reallocated",
    "case_closed": "Case closed",
    "client_corrected": "Client's details corrected",
    "goal_added": "Goal added",
    "goal_updated": "Goal updated",
    "action_added": "Action agreed",
    "action_updated": "Action updated",
    "flag_raised": "Flag raised",
    "flag_cleared": "Flag cleared",
    "deadline_added": "Deadline set",
    "deadline_met": "Deadline met",
    "priority_overridden": "Priority overridden",
    "override_ended": "Priority override ended",
}


def event_label(code: str) -> str:
    return EVENT_CODES.get(code, code.replace("_", " ").capitalize())
