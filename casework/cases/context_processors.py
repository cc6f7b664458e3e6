"""What every page's layout needs from cases: the count of my open actions in the navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from casework.accounts.models import Role, User
from casework.cases.selectors import my_open_action_count

ACTION_ROLES = frozenset({Role.PRACTITIONER, Role.SUPERVISOR})


class _Count:
    """Counted the first time a template asks, once only."""

    def __init__(self, user: User) -> None:
        self.user = user
        self.value: int | None = None

    def __call__(self) -> int:
        if self.value is None:
            self.value = my_open_action_count(self.user)
        return self.value


def my_actions(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated or user.organisation_id is None:
        return {}
    if user.role not in ACTION_ROLES:
        return {}
    return {"my_actions_open": _Count(user)}
