"""Opening a client's record for a user: the permission check and the access log in one step
(PC16; K1, K6).

Every page and endpoint that shows a client's name or any case content gets its record
through a getter here, never straight from a selector. Each getter checks what the user may
see (404 for anything they may not, whether or not it exists; 403 for a write on a case
they may only read) and then writes one access row naming the page or endpoint (``view``)
and the channel, so the data-protection officer's "who has looked at this client's record?"
is complete by construction: a view cannot show a case without logging it. Lists log every
case or client they show, through ``cases_shown`` and ``clients_shown``.

These are the only reads that write, and what they write is the access log and nothing
else. ``tests/test_access_walk.py`` requests every URL that takes a case, note, action,
flag, deadline, override or client id and asserts the row, so a page that bypassed these
getters would fail it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404

from casework.accounts.models import User
from casework.audit.access import access_record, access_record_clients, access_record_many
from casework.audit.models import AccessChannel
from casework.cases.models import Action, Case, CaseFlag, CaseNote, Client, Deadline
from casework.cases.selectors import can_write_case, cases_visible_to, note_versions_prefetch

_M = TypeVar("_M", bound=Model)

CASE_RELATED = ("client", "owner", "owner__team", "case_type")


def _opened(user: User, case: Case, *, view: str, write: bool, channel: str, refusal: str) -> None:
    if write and not can_write_case(user, case):
        raise PermissionDenied(refusal)
    access_record(user=user, client_id=case.client_id, case_id=case.pk, channel=channel, view=view)


def case_for_user(
    user: User, case_id: int, *, view: str, write: bool = False, channel: str = AccessChannel.WEB
) -> Case:
    """The case, if the user may see it (404 otherwise); with ``write``, 403 if read-only."""
    case = cases_visible_to(user).select_related(*CASE_RELATED).filter(pk=case_id).first()
    if case is None:
        _log_refused_restricted(user, case_id, channel)
        raise Http404("No such case.")
    _opened(
        user,
        case,
        view=view,
        write=write,
        channel=channel,
        refusal="You can read this case but not record on it.",
    )
    return case


def record_for_user(
    user: User,
    model: type[_M],
    pk: int,
    *,
    view: str,
    write: bool = False,
    channel: str = AccessChannel.WEB,
    what: str = "record",
    related: Sequence[str] = (),
    prefetch: Sequence[Any] = (),
) -> _M:
    """A record that belongs to one case (a note, action, flag, deadline, override...), if the
    user may see its case; the access row names that case. Apps above ``cases`` use it for
    their own case records."""
    found = (
        model._default_manager.filter(pk=pk, case__in=cases_visible_to(user))
        .select_related(*(f"case__{name}" for name in CASE_RELATED), *related)
        .prefetch_related(*prefetch)
        .first()
    )
    if found is None:
        case_id = (
            model._default_manager.filter(pk=pk, case__organisation_id=user.organisation_id)
            .values_list("case_id", flat=True)
            .first()
            if user.organisation_id is not None
            else None
        )
        if case_id is not None:
            _log_refused_restricted(user, case_id, channel)
        raise Http404(f"No such {what}.")
    case: Case = found.case  # type: ignore[attr-defined]
    _opened(
        user,
        case,
        view=view,
        write=write,
        channel=channel,
        refusal=f"You can read this {what} but not change it.",
    )
    return found


def client_case_for_user(
    user: User, client_id: int, *, view: str, write: bool = False, channel: str = AccessChannel.WEB
) -> Case:
    """The client's most recent case the user may see (and, with ``write``, record on): how a
    change to a client's own details is permitted. 404 if they may see none of the client's
    cases; 403 if they may only read them."""
    visible = list(
        cases_visible_to(user)
        .filter(client_id=client_id)
        .select_related(*CASE_RELATED)
        .order_by("-opened_on", "-pk")
    )
    if not visible:
        raise Http404("No such client.")
    writable = [case for case in visible if can_write_case(user, case)] if write else visible
    case = writable[0] if writable else visible[0]
    _opened(
        user,
        case,
        view=view,
        write=write,
        channel=channel,
        refusal="You can read this client's record but not change it.",
    )
    return case


def note_for_user(
    user: User, note_id: int, *, view: str, write: bool = False, channel: str = AccessChannel.WEB
) -> CaseNote:
    return record_for_user(
        user,
        CaseNote,
        note_id,
        view=view,
        write=write,
        channel=channel,
        what="note",
        related=("author",),
        prefetch=(note_versions_prefetch(),),
    )


def action_for_user(
    user: User, action_id: int, *, view: str, write: bool = False, channel: str = AccessChannel.WEB
) -> Action:
    return record_for_user(
        user,
        Action,
        action_id,
        view=view,
        write=write,
        channel=channel,
        what="action",
        related=("assigned_to", "goal"),
    )


def flag_for_user(
    user: User, flag_id: int, *, view: str, write: bool = False, channel: str = AccessChannel.WEB
) -> CaseFlag:
    return record_for_user(user, CaseFlag, flag_id, view=view, write=write, channel=channel, what="flag")


def deadline_for_user(
    user: User,
    deadline_id: int,
    *,
    view: str,
    write: bool = False,
    channel: str = AccessChannel.WEB,
) -> Deadline:
    return record_for_user(
        user, Deadline, deadline_id, view=view, write=write, channel=channel, what="deadline"
    )


def cases_shown(user: User, cases: Iterable[Case], *, view: str, channel: str = AccessChannel.LIST) -> None:
    """A list or search result showed these cases: one access row each, in one query."""
    access_record_many(user=user, cases=cases, channel=channel, view=view)


def clients_shown(
    user: User, clients: Iterable[Client], *, view: str, channel: str = AccessChannel.LIST
) -> None:
    """A list or search result showed these clients (no case): one access row each."""
    access_record_clients(user=user, client_ids=[client.pk for client in clients], channel=channel, view=view)


def _log_refused_restricted(user: User, case_id: int, channel: str) -> None:
    """An attempt on a restricted case by someone not named on it is logged, then answered 404,
    whichever of the case's records it came through (the case, a note, an action...)."""
    if user.organisation_id is None:
        return
    restricted = (
        Case.objects.filter(organisation_id=user.org_id, pk=case_id, is_restricted=True)
        .values_list("client_id", flat=True)
        .first()
    )
    if restricted is not None:
        access_record(
            user=user,
            client_id=restricted,
            case_id=case_id,
            channel=channel,
            view="restricted case",
            refused=True,
        )
