"""Opening a client's record on the data-protection pages: the permission check and the access
log in one step (PC16; K1), as ``casework.cases.access`` does for the case pages.

The data-protection officer reads clients' records too, and their reading is logged like
anyone's: "who has looked at this client's record?" includes them.
"""

from __future__ import annotations

from casework.accounts.models import User
from casework.audit.access import access_record
from casework.audit.models import AccessChannel
from casework.cases.models import Case, Client
from casework.governance import selectors
from casework.governance.models import SubjectAccessRequest


def client_for_user(user: User, client_id: int, *, view: str) -> Client:
    """A client whose record the user may review (404 otherwise), logged as viewed."""
    client = selectors.client_for_governance(user, client_id)
    access_record(user=user, client_id=client.pk, case_id=None, channel=AccessChannel.WEB, view=view)
    return client


def case_for_legal_hold(user: User, case_id: int, *, view: str) -> Case:
    """A case in the data-protection officer's organisation (404 otherwise), logged as viewed."""
    case = selectors.case_for_legal_hold(user, case_id)
    access_record(user=user, client_id=case.client_id, case_id=case.pk, channel=AccessChannel.WEB, view=view)
    return case


def sar_request_for_user(user: User, request_id: int, *, view: str) -> SubjectAccessRequest:
    """A subject access request; its client, while the record exists, is logged as viewed."""
    request = selectors.subject_access_request_for_user(user, request_id)
    if request.client_id is not None:
        access_record(
            user=user, client_id=request.client_id, case_id=None, channel=AccessChannel.WEB, view=view
        )
    return request
