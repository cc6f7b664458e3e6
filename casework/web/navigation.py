"""The main navigation: which pages each role has, in one list rather than template conditions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from casework.accounts.models import Role, User

CASE_ROLES = frozenset({Role.PRACTITIONER, Role.SUPERVISOR, Role.MANAGER})
REVIEWERS = frozenset({Role.SUPERVISOR, Role.MANAGER})


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str]
    # Other views under this item, so it is marked as the current page there too.
    also: tuple[str, ...] = ()
    counter: str = ""  # a context variable holding a count to show beside the label


NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem("Today", "priorities:today", CASE_ROLES, also=("priorities:today_matrix",)),
    NavItem("My caseload", "cases:caseload", CASE_ROLES),
    NavItem(
        "My actions",
        "cases:my_actions",
        frozenset({Role.PRACTITIONER, Role.SUPERVISOR}),
        counter="my_actions_open",
    ),
    NavItem("Team", "cases:team", REVIEWERS, also=("cases:team_member",)),
    NavItem("Team priorities", "priorities:team_priorities", REVIEWERS),
    NavItem("Inbox", "priorities:inbox", CASE_ROLES, counter="inbox_unread"),
    NavItem("Export notes", "export:notes", frozenset({Role.PRACTITIONER, Role.SUPERVISOR})),
    NavItem(
        "Staff",
        "administration:staff",
        frozenset({Role.ADMIN}),
        also=(
            "administration:staff_invite",
            "administration:staff_import",
            "administration:staff_edit",
            "administration:staff_deactivate",
        ),
    ),
    NavItem(
        "Teams",
        "administration:teams",
        frozenset({Role.ADMIN}),
        also=("administration:team_new", "administration:team_edit"),
    ),
    NavItem(
        "Settings",
        "administration:settings",
        frozenset({Role.ADMIN}),
        also=(
            "administration:case_type_new",
            "administration:case_type_edit",
            "administration:contact_type_new",
            "administration:contact_type_edit",
            "administration:flag_new",
            "administration:flag_edit",
        ),
    ),
    NavItem("Priority criteria", "priorities:criteria", frozenset({Role.ADMIN, Role.MANAGER})),
    NavItem("Data protection", "governance:home", frozenset({Role.DATA_PROTECTION})),
)


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        return {}
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match else ""
    items = [
        {
            "label": item.label,
            "url": reverse(item.url_name),
            "current": current == item.url_name or current in item.also,
            "counter": item.counter,
        }
        for item in NAV_ITEMS
        if user.role in item.roles
    ]
    return {"nav_items": items}
