"""Subject access: everything held about a client, as JSON and a readable PDF (UK GDPR Art. 15; K1).

The response is built from ``SAR_SOURCES``, a registry of named sources. Each source is a
function ``(client) -> list of records`` (a record is a dict of plain values; nested lists
of dicts are allowed, e.g. a note's versions). A later feature that holds personal data
about a client adds ONE line to the registry, naming its function by dotted path so this
module imports nothing from it::

    Source("referrals", "Referrals", "casework.sharing.sar.referrals_for_client"),

Both the JSON and the PDF are generated from the records, so a new source appears in both.
"""

from __future__ import annotations

import calendar
import io
import json
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.module_loading import import_string

from casework.audit.models import AccessEvent, AuditEvent
from casework.audit.trail import AUDIT_ACTIONS
from casework.cases import rules
from casework.cases.models import (
    Action,
    Case,
    CaseEvent,
    CaseFlag,
    CaseNote,
    Client,
    ClientContact,
    Deadline,
    FlagKind,
    Goal,
    NoteVersion,
)

Record = dict[str, Any]
SourceFunction = Callable[[Client], list[Record]]


def sar_due_on(requested_on: date) -> date:
    """One calendar month after the request: the same day next month, or that month's last day.

    The ICO's reading of UK GDPR Article 12(3): a request made on 31 January is due on
    28 (or 29) February; one made on 15 March is due on 15 April.
    """
    # Months counted from year 0: the request's month index plus one, back to (year, month).
    year, month_index = divmod(requested_on.year * 12 + requested_on.month, 12)
    month = month_index + 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(requested_on.day, last_day))


@dataclass(frozen=True)
class Source:
    """One kind of personal data held about a client."""

    name: str  # the JSON file name and key: letters, digits and underscores
    title: str  # the heading in the PDF
    function: SourceFunction | str  # a callable, or its dotted path (imported when first used)

    def collect(self, client: Client) -> list[Record]:
        function = import_string(self.function) if isinstance(self.function, str) else self.function
        return function(client)


# Sources -------------------------------------------------------------------------------------


def _user_name(user: Any) -> str:
    return user.display_name if user is not None else ""


def client_details(client: Client) -> list[Record]:
    return [
        {
            "reference": client.reference,
            "first_name": client.first_name,
            "last_name": client.last_name,
            "date_of_birth": client.date_of_birth,
            "email": client.email,
            "phone": client.phone,
            "address": client.address,
            "created_at": client.created_at,
        }
    ]


def client_contacts(client: Client) -> list[Record]:
    return [
        {"name": c.name, "relationship": c.relationship, "phone": c.phone, "email": c.email}
        for c in ClientContact.objects.filter(client=client, organisation_id=client.organisation_id).order_by(
            "pk"
        )
    ]


def _cases(client: Client) -> Any:
    return Case.objects.filter(client=client, organisation_id=client.organisation_id)


def cases(client: Client) -> list[Record]:
    return [
        {
            "case_id": case.pk,
            "case_type": case.case_type.name,
            "status": case.get_status_display(),
            "opened_on": case.opened_on,
            "closed_on": case.closed_on,
            "required_outcomes": case.required_outcomes,
            "complexity": case.get_complexity_display(),
            "practitioner": _user_name(case.owner),
            "last_contact_at": case.last_contact_at,
            "restricted": case.is_restricted,
            "legal_hold": case.legal_hold,
        }
        for case in _cases(client).select_related("case_type", "owner").order_by("opened_on", "pk")
    ]


def _version(version: NoteVersion) -> Record:
    record: Record = {
        "version": version.number,
        "contact_type": version.contact_type.name,
        "occurred_at": version.occurred_at,
        "recorded_at": version.recorded_at,
        "recorded_by": _user_name(version.recorded_by),
        "recorded_late": version.is_late,
        "facts": version.facts,
        "client_view": version.client_view,
        "assessment_opinion": version.assessment,
        "actions_agreed": version.actions_agreed,
        "decisions": version.decisions,
        "follow_up": version.follow_up,
        "amendment_reason": version.amendment_reason,
        "goals": [goal.description for goal in version.goals.all()],
    }
    return record


def case_notes(client: Client) -> list[Record]:
    """Every note with every signed version: the original and each amendment with its reason."""
    versions = NoteVersion.objects.select_related("contact_type", "recorded_by").prefetch_related("goals")
    notes = (
        CaseNote.objects.filter(case__client=client, organisation_id=client.organisation_id)
        .select_related("author")
        .prefetch_related(Prefetch("versions", queryset=versions.order_by("number")))
        .order_by("case_id", "created_at", "pk")
    )
    return [
        {
            "note_id": note.pk,
            "case_id": note.case_id,
            "author": _user_name(note.author),
            "versions": [_version(v) for v in note.versions.all()],
        }
        for note in notes
    ]


def goals(client: Client) -> list[Record]:
    return [
        {
            "case_id": goal.case_id,
            "description": goal.description,
            "measure": goal.measure,
            "target_on": goal.target_on,
            "status": goal.get_status_display(),
            "created_at": goal.created_at,
        }
        for goal in Goal.objects.filter(case__client=client, organisation_id=client.organisation_id).order_by(
            "case_id", "created_at", "pk"
        )
    ]


def actions(client: Client) -> list[Record]:
    qs = Action.objects.filter(case__client=client, organisation_id=client.organisation_id)
    return [
        {
            "case_id": action.case_id,
            "description": action.description,
            "owner": action.owner_label,
            "due_on": action.due_on,
            "status": action.get_status_display(),
            "completed_on": action.completed_on,
            "goal": action.goal.description if action.goal else "",
            "created_at": action.created_at,
        }
        for action in qs.select_related("assigned_to", "goal").order_by("case_id", "due_on", "pk")
    ]


def flags(client: Client) -> list[Record]:
    qs = CaseFlag.objects.filter(case__client=client, organisation_id=client.organisation_id)
    return [
        {
            "case_id": flag.case_id,
            "flag": flag.get_code_display(),
            "kind": FlagKind(flag.kind).label,
            "detail": flag.detail,
            "raised_at": flag.raised_at,
            "raised_by": _user_name(flag.raised_by),
            "cleared_at": flag.cleared_at,
        }
        for flag in qs.select_related("raised_by").order_by("case_id", "raised_at", "pk")
    ]


def deadlines(client: Client) -> list[Record]:
    qs = Deadline.objects.filter(case__client=client, organisation_id=client.organisation_id)
    return [
        {
            "case_id": deadline.case_id,
            "kind": deadline.get_kind_display(),
            "description": deadline.description,
            "due_on": deadline.due_on,
            "met_on": deadline.met_on,
        }
        for deadline in qs.order_by("case_id", "due_on", "pk")
    ]


def case_events(client: Client) -> list[Record]:
    qs = CaseEvent.objects.filter(case__client=client, organisation_id=client.organisation_id)
    return [
        {
            "case_id": event.case_id,
            "at": event.at,
            "by": _user_name(event.actor),
            "event": event.summary,
            "code": event.code,
        }
        for event in qs.select_related("actor").order_by("case_id", "at", "pk")
    ]


def access_log(client: Client) -> list[Record]:
    """Who has viewed the client's record: part of the answer to "who has it been shared with?"."""
    qs = AccessEvent.objects.filter(organisation_id=client.organisation_id, client_id=client.pk)
    return [
        {
            "at": event.at,
            "by": event.username,
            "case_id": event.case_id,
            "through": event.get_channel_display(),
            "view": event.view,
            "refused": event.refused,
        }
        for event in qs.order_by("at", "pk")
    ]


def audit_events(client: Client) -> list[Record]:
    qs = AuditEvent.objects.filter(organisation_id=client.organisation_id, client_id=client.pk)
    return [
        {
            "at": event.at,
            "by": event.actor_username,
            "what": AUDIT_ACTIONS.get(event.action, event.action),
            "record": f"{event.object_type} {event.object_id}",
            "case_id": event.case_id,
            "changes": json.dumps(event.changes, sort_keys=True) if event.changes else "",
        }
        for event in qs.order_by("sequence")
    ]


# The registry: add a source here with ONE line.
SAR_SOURCES: list[Source] = [
    Source("client", "Client details", client_details),
    Source("client_contacts", "People connected with the client", client_contacts),
    Source("cases", "Cases", cases),
    Source("case_notes", "Case notes, with every amendment", case_notes),
    Source("goals", "Action plan goals", goals),
    Source("actions", "Actions", actions),
    Source("flags", "Risk and vulnerability flags", flags),
    Source("deadlines", "Deadlines", deadlines),
    Source("case_events", "Case history events", case_events),
    Source("access_log", "Who has viewed the record", access_log),
    Source("audit_events", "Changes made to the record (audit trail)", audit_events),
]


# Building the response -----------------------------------------------------------------------


@dataclass
class SectionData:
    source: Source
    records: list[Record]


@dataclass
class Response:
    """Everything held about a client, collected at one moment."""

    client: Client
    generated_at: datetime
    generated_by: str
    sections: list[SectionData] = field(default_factory=list)
    requested_on: date | None = None
    due_on: date | None = None


def collect(
    client: Client,
    *,
    generated_by: str,
    sources: Sequence[Source] | None = None,
    requested_on: date | None = None,
    due_on: date | None = None,
    now: datetime | None = None,
) -> Response:
    response = Response(
        client=client,
        generated_at=now or timezone.now(),
        generated_by=generated_by,
        requested_on=requested_on,
        due_on=due_on,
    )
    for source in SAR_SOURCES if sources is None else sources:
        response.sections.append(SectionData(source, source.collect(client)))
    return response


# Headings in the PDF where the key alone would read badly.
LABELS = {
    "case_id": "Case number",
    "note_id": "Note number",
    "client_view": "Client's view",
    "assessment_opinion": "Practitioner's assessment (opinion)",
}


def _label(key: str) -> str:
    return LABELS.get(key, key.replace("_", " ").capitalize())


def _text(value: Any) -> str:
    if value is None or value == "":
        return "\u2013"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        local = timezone.localtime(value)
        return f"{local.day} {local:%b %Y %H:%M}"
    if isinstance(value, date):
        return rules.short_date(value)
    if isinstance(value, list) and all(not isinstance(v, dict) for v in value):
        return "; ".join(str(v) for v in value) or "\u2013"
    return str(value)


def _display(record: Record) -> list[dict[str, Any]]:
    """A record as rows for the PDF: a label with text, or a label with nested records."""
    rows: list[dict[str, Any]] = []
    for key, value in record.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            rows.append({"label": _label(key), "records": [_display(v) for v in value]})
        else:
            rows.append({"label": _label(key), "text": _text(value)})
    return rows


def render_pdf(response: Response) -> bytes:
    from weasyprint import HTML  # imported here: it is slow to import and only exports need it

    html = render_to_string(
        "governance/sar_response.html",
        {
            "response": response,
            "sections": [
                {"title": s.source.title, "records": [_display(r) for r in s.records]}
                for s in response.sections
            ],
        },
    )
    return bytes(HTML(string=html).write_pdf())


def _json(data: Any) -> bytes:
    return json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False).encode()


README = """Subject access response

This archive holds a copy of the personal data {organisation} holds about the client with
reference {reference}, produced on {generated_at}.

subject-access.pdf   the same information, readable
manifest.json        when and by whom it was produced, and what each file holds
data/*.json          one file per kind of record, in machine-readable form
"""


def build_zip(response: Response) -> bytes:
    """The response as a ZIP: a manifest, one JSON file per source, and the PDF."""
    client = response.client
    manifest = {
        "organisation": client.organisation.name,
        "client_reference": client.reference,
        "generated_at": response.generated_at,
        "generated_by": response.generated_by,
        "requested_on": response.requested_on,
        "due_on": response.due_on,
        "sources": [
            {
                "name": s.source.name,
                "title": s.source.title,
                "file": f"data/{s.source.name}.json",
                "records": len(s.records),
            }
            for s in response.sections
        ],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "README.txt",
            README.format(
                organisation=client.organisation.name,
                reference=client.reference,
                generated_at=_text(response.generated_at),
            ),
        )
        archive.writestr("manifest.json", _json(manifest))
        for section in response.sections:
            archive.writestr(f"data/{section.source.name}.json", _json(section.records))
        archive.writestr("subject-access.pdf", render_pdf(response))
    return buffer.getvalue()
