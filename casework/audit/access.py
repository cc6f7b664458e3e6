"""Recording who viewed which client's record (PC16; K1, K6).

The writing end of the access log. Pages and endpoints do not call these directly: they
open records through the permission-checked getters in ``casework.cases.access``, which
call these after the check, so the data-protection officer can answer "who has looked at
this client's record?". Exports and commands that show records without a getter call them
themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from casework.audit.models import AccessEvent


def access_record(
    *,
    user: Any,
    client_id: int,
    case_id: int | None,
    channel: str,
    view: str,
    refused: bool = False,
    organisation_id: int | None = None,
) -> None:
    """Log one view. ``organisation_id`` defaults to the user's (a command-line actor has none)."""
    AccessEvent.objects.create(
        refused=refused,
        organisation_id=organisation_id or user.organisation_id,
        user_id=user.pk,
        username=user.username,
        client_id=client_id,
        case_id=case_id,
        channel=channel,
        view=view,
    )


def access_record_shown(
    *, user: Any, shown: Iterable[tuple[int, int | None]], channel: str, view: str
) -> None:
    """One row per (client id, case id or None) shown in a list or search result, in one query."""
    rows = [
        AccessEvent(
            organisation_id=user.organisation_id,
            user_id=user.pk,
            username=user.username,
            client_id=client_id,
            case_id=case_id,
            channel=channel,
            view=view,
        )
        for client_id, case_id in shown
    ]
    if rows:
        AccessEvent.objects.bulk_create(rows)


def access_record_many(*, user: Any, cases: Iterable[Any], channel: str, view: str) -> None:
    """One row per case shown in a list or search result, written in one query."""
    access_record_shown(
        user=user, shown=((case.client_id, case.pk) for case in cases), channel=channel, view=view
    )


def access_record_clients(*, user: Any, client_ids: Iterable[int], channel: str, view: str) -> None:
    """One row per client shown in a list or search result (no case), written in one query."""
    access_record_shown(
        user=user, shown=((client_id, None) for client_id in client_ids), channel=channel, view=view
    )
