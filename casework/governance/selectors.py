"""Every governance read, filtered by who may see it (PC16; K1).

Who may see what:
- the data-protection officer: every client in the organisation (restricted cases too, as
  the person who answers for them), the access log, subject access, retention and disposal;
- a manager: the access log of a client whose record they can already see (a client whose
  only case is restricted from them stays hidden), to look into a concern about misuse;
- everyone else, practitioners and supervisors included: nothing here. The pages answer 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from casework.accounts.models import Role, User
from casework.audit.models import AccessEvent, AuditEvent
from casework.cases.models import Case, Client
from casework.cases.selectors import cases_visible_to
from casework.governance.models import DisposalCertificate, SubjectAccessRequest

SEARCH_LIMIT = 50


def is_data_protection(user: Any) -> bool:
    return (
        bool(getattr(user, "is_authenticated", False))
        and user.role == Role.DATA_PROTECTION
        and (user.organisation_id is not None)
    )


def can_view_access_log(user: Any) -> bool:
    return is_data_protection(user) or (
        bool(getattr(user, "is_authenticated", False))
        and user.role == Role.MANAGER
        and user.organisation_id is not None
    )


def require_data_protection(user: Any) -> User:
    """The user, if a data-protection officer; otherwise 404, as for anything they may not see."""
    if not is_data_protection(user):
        raise Http404("No such page.")
    assert isinstance(user, User)
    return user


def clients_for_governance(user: User) -> QuerySet[Client]:
    """The clients whose access log the user may read."""
    if is_data_protection(user):
        return Client.objects.filter(organisation_id=user.org_id)
    if can_view_access_log(user):
        visible = cases_visible_to(user).filter(client_id=OuterRef("pk"))
        return Client.objects.filter(organisation_id=user.org_id).filter(Exists(visible))
    return Client.objects.none()


def _one_or_404(qs: QuerySet[Any], pk: int, what: str) -> Any:
    found = qs.filter(pk=pk).first()
    if found is None:
        raise Http404(f"No such {what}.")
    return found


def client_for_governance(user: User, client_id: int) -> Client:
    client: Client = _one_or_404(
        clients_for_governance(user).select_related("organisation"), client_id, "client"
    )
    return client


def client_search(user: User, query: str) -> list[Client]:
    """Clients by name or pseudonymous reference. The view logs the people shown as seen in a list."""
    query = " ".join(query.split())
    if len(query) < 2:
        return []
    condition = Q(reference__iexact=query) | Q(reference__icontains=query.replace(" ", ""))
    words = query.split(" ")
    name = Q()
    for word in words:
        name &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
    clients = list(
        clients_for_governance(user)
        .filter(condition | name)
        .order_by("last_name", "first_name", "pk")[:SEARCH_LIMIT]
    )
    return clients


def access_events_for_client(client: Client) -> QuerySet[AccessEvent]:
    """Every view of the client's record, refused attempts included, newest first."""
    return AccessEvent.objects.filter(organisation_id=client.organisation_id, client_id=client.pk).order_by(
        "-at", "-pk"
    )


def audit_events_for_client(client: Client) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(organisation_id=client.organisation_id, client_id=client.pk).order_by(
        "-sequence"
    )


def display_names(organisation_id: int, user_ids: set[int]) -> dict[int, str]:
    """Staff names for the ids on a page of log entries, in one query."""
    users = User.objects.filter(organisation_id=organisation_id, pk__in=user_ids)
    return {user.pk: user.display_name for user in users}


def cases_for_client(client: Client) -> list[Case]:
    return list(
        Case.objects.filter(organisation_id=client.organisation_id, client=client)
        .select_related("case_type", "owner")
        .order_by("opened_on", "pk")
    )


def legal_hold_reasons(organisation_id: int, case_ids: list[int]) -> dict[int, str]:
    """The reason given when each held case was last put on hold (kept on the audit trail)."""
    reasons: dict[int, str] = {}
    events = AuditEvent.objects.filter(
        organisation_id=organisation_id, action="legal_hold.changed", case_id__in=case_ids
    ).order_by("sequence")
    for event in events:
        if event.case_id is not None:
            reasons[event.case_id] = str(event.changes.get("reason", ""))
    return reasons


def case_for_legal_hold(user: User, case_id: int) -> Case:
    """A case in the data-protection officer's organisation, restricted or not; otherwise 404."""
    require_data_protection(user)
    qs = Case.objects.filter(organisation_id=user.org_id).select_related("client", "case_type", "owner")
    case: Case = _one_or_404(qs, case_id, "case")
    return case


def subject_access_requests(user: User) -> dict[str, list[SubjectAccessRequest]]:
    """Outstanding requests, soonest due first, and the twenty most recently answered."""
    require_data_protection(user)
    qs = SubjectAccessRequest.objects.filter(organisation_id=user.org_id).select_related(
        "client", "handled_by"
    )
    return {
        "outstanding": list(qs.filter(completed_at__isnull=True).order_by("due_on", "pk")),
        "completed": list(qs.filter(completed_at__isnull=False).order_by("-completed_at", "-pk")[:20]),
    }


def subject_access_request_for_user(user: User, request_id: int) -> SubjectAccessRequest:
    require_data_protection(user)
    qs = SubjectAccessRequest.objects.filter(organisation_id=user.org_id).select_related(
        "client", "client__organisation", "handled_by"
    )
    request: SubjectAccessRequest = _one_or_404(qs, request_id, "request")
    return request


def disposal_certificates(user: User) -> QuerySet[DisposalCertificate]:
    require_data_protection(user)
    return DisposalCertificate.objects.filter(organisation_id=user.org_id).order_by("-disposed_at", "-pk")
