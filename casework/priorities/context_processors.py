"""What every page's layout needs from priorities: the inbox's unread count in the navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from casework.accounts.models import Role, User
from casework.priorities.selectors import unread_count

# Roles that receive notifications: case owners and the people told about their red cases.
INBOX_ROLES = frozenset({Role.PRACTITIONER, Role.SUPERVISOR, Role.MANAGER})


class _UnreadCount:
    """Counted the first time a template asks, and once only: a page that never shows the
    navigation costs no query."""

    def __init__(self, user: User) -> None:
        self.user = user
        self.value: int | None = None

    def __call__(self) -> int:
        if self.value is None:
            self.value = unread_count(self.user)
        return self.value


def inbox(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated or user.organisation_id is None:
        return {}
    if user.role not in INBOX_ROLES:
        return {"has_inbox": False}
    # Templates call a callable without arguments, so the count waits until it is shown.
    return {"has_inbox": True, "inbox_unread": _UnreadCount(user)}
