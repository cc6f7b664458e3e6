"""Anonymised export of a practitioner's own case notes, for portfolio evidence or research.

Issue 4 item 6; serves K1 and K2 (data protection and confidentiality) and PC16. The notes
come from the user's own cases only (``cases_visible_to(user)`` narrowed to ``owner=user``),
optionally within a date range or a chosen set of cases. ``casework.governance.anonymise``
replaces the identifiers and shifts the dates; this module selects the notes, registers
what the system knows about the people in them, and builds the export: one document with a
manifest saying what was done and what it cannot guarantee, rendered as JSON, plain text or
a web page.

Producing an export writes one audit event, ``export.anonymised``, for the export as a
whole (not one per client): who made it, how many cases and notes, what was replaced. The
date shift is never stored, not even there.

No access events are written for the export: its output identifies no client, so it is not
a view of a client's record. (The page that lists the cases to choose from does show
clients' names; that page records a list access event, as the caseload does.)
"""

from __future__ import annotations

import json
import secrets
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Prefetch, QuerySet
from django.utils import timezone

from casework.accounts.models import User
from casework.audit.trail import audit_record
from casework.cases.models import Case, CaseNote, ClientContact, NoteSection, NoteVersion
from casework.cases.selectors import cases_visible_to
from casework.governance.anonymise import Anonymiser

EXPORT_FORMAT = "casework.anonymised-case-notes/1"
EXPORT_FORMATS = ("json", "text", "html")

NOTICE = (
    "Review before sharing. This export was anonymised automatically, by rules rather than by a "
    "person: read it all and remove anything that could still identify someone before you share it."
)
WHAT_WAS_DONE = (
    "Names, street addresses, postcodes, phone numbers, email addresses, National Insurance numbers, "
    "NHS numbers, bank details, reference numbers and dates of birth found in the notes were replaced "
    "by placeholders in square brackets. The same person or identifier has the same placeholder "
    "throughout this export.",
    "The client and the people recorded with each case were recognised from the case record; other "
    "names were found by pattern: a title such as Mr or Dr, a common given name, or words such as "
    "'her son' before a name.",
    "Staff names were replaced by their role, for example [Practitioner 1].",
    "Every date and time, in the notes and in their details, was moved by the same secret number of "
    "whole weeks, so days of the week are kept. The amount is not shown here and is not recorded "
    "anywhere.",
    "Dates of birth were replaced, not moved. A year on its own was kept, except a year of birth.",
    "The practitioner's assessment is kept in its own section and labelled as opinion.",
    "Record numbers from Casework and the clients' references were left out.",
)
LIMITATIONS = (
    "A name that is not in the case record, follows no title and is not a common given name (an "
    "unusual first name on its own, or a surname on its own) may have been missed.",
    "Details that are not names or numbers are kept: a rare job, illness or event, a small place, a "
    "workplace, a school or a family situation can still identify someone to people who know them.",
    "Town names are kept. House names and unusual spellings of addresses may have been missed.",
    "Unusual spellings of dates may not have been moved, and relative dates ('last Tuesday', 'in two "
    "weeks') are kept as written.",
    "Ordinary words that look like names may have been replaced by mistake.",
)


@dataclass(frozen=True)
class ExportSelection:
    """Which notes to export: those whose contact falls in the date range, on the chosen cases."""

    date_from: date | None = None
    date_to: date | None = None
    case_ids: tuple[int, ...] = ()


def exportable_cases(user: User) -> QuerySet[Case]:
    """The user's own cases, which are the only ones whose notes they may export."""
    return (
        cases_visible_to(user)
        .filter(owner=user)
        .select_related("client", "case_type")
        .order_by("opened_on", "pk")
    )


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def _selected_notes(cases: QuerySet[Case], selection: ExportSelection) -> list[CaseNote]:
    first_occurred = NoteVersion.objects.filter(note=OuterRef("pk"), number=1).values("occurred_at")[:1]
    notes = (
        CaseNote.objects.filter(case__in=cases)
        .annotate(first_occurred_at=first_occurred)
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=NoteVersion.objects.select_related("contact_type").order_by("number"),
            )
        )
        .order_by("first_occurred_at", "pk")
    )
    if selection.date_from:
        notes = notes.filter(first_occurred_at__gte=_local_midnight(selection.date_from))
    if selection.date_to:
        notes = notes.filter(first_occurred_at__lt=_local_midnight(selection.date_to + timedelta(days=1)))
    return list(notes)


def _chosen_cases(user: User, selection: ExportSelection) -> QuerySet[Case]:
    cases = exportable_cases(user)
    if selection.date_from and selection.date_to and selection.date_from > selection.date_to:
        raise ValidationError({"date_to": "The end of the date range must not be before its start."})
    if selection.case_ids:
        chosen = cases.filter(pk__in=selection.case_ids)
        if len(set(chosen.values_list("pk", flat=True))) != len(set(selection.case_ids)):
            raise ValidationError({"cases": "You can export the notes of your own cases only."})
        cases = chosen
    return cases


def _register_people(anonymiser: Anonymiser, user: User, cases: Sequence[Case]) -> dict[int, str]:
    """Tell the anonymiser about every client, recorded contact and member of staff."""
    client_keys = {}
    for number, case in enumerate(cases, start=1):
        client = case.client
        client_keys[case.pk] = anonymiser.add_client(
            description=f"the client of Case {number}",
            group=str(case.pk),
            first_name=client.first_name,
            last_name=client.last_name,
            date_of_birth=client.date_of_birth,
            phone=client.phone,
            email=client.email,
            address=client.address,
            reference=client.reference,
        )
    contacts = ClientContact.objects.filter(
        organisation_id=user.org_id, client_id__in={case.client_id for case in cases}
    ).order_by("pk")
    by_client: dict[int, list[ClientContact]] = defaultdict(list)
    for contact in contacts:
        by_client[contact.client_id].append(contact)
    for case in cases:
        for contact in by_client[case.client_id]:
            anonymiser.add_contact(
                group=str(case.pk),
                name=contact.name,
                relationship=contact.relationship,
                phone=contact.phone,
                email=contact.email,
            )
    # The exporting user first, so they are [Practitioner 1] whenever they are named.
    staff = [user, *User.objects.filter(organisation_id=user.org_id).exclude(pk=user.pk).order_by("pk")]
    for member in staff:
        anonymiser.add_staff(
            user_key=str(member.pk),
            first_name=member.first_name,
            last_name=member.last_name,
            role=member.get_role_display(),
        )
    return client_keys


def _texts(version: NoteVersion) -> Iterable[str]:
    for code, _label in NoteSection.choices:
        yield getattr(version, code)
    yield version.amendment_reason


def anonymised_export(
    *,
    user: User,
    selection: ExportSelection | None = None,
    export_format: str = "json",
    channel: str = "web",
    shift_weeks: int | None = None,
) -> dict[str, Any]:
    """Build the anonymised export of the user's own case notes and record it on the audit trail.

    Raises ``ValidationError`` (keys ``date_to``, ``cases`` or ``notes``) and writes nothing
    when the selection is invalid or matches no notes.
    """
    selection = selection or ExportSelection()
    cases_qs = _chosen_cases(user, selection)
    notes = _selected_notes(cases_qs, selection)
    if not notes:
        raise ValidationError({"notes": "No case notes match: choose other cases or a wider date range."})
    case_ids_with_notes = {note.case_id for note in notes}
    cases = [case for case in cases_qs if case.pk in case_ids_with_notes]
    anonymiser = Anonymiser(shift_weeks=shift_weeks, time_zone=timezone.get_current_timezone())
    client_keys = _register_people(anonymiser, user, cases)

    def reference(version: NoteVersion) -> date:
        return timezone.localtime(version.occurred_at).date()

    for note in notes:
        for version in note.versions.all():
            for text in _texts(version):
                if text:
                    anonymiser.learn(text, group=str(note.case_id), reference=reference(version))

    def clean(text: str, note: CaseNote, version: NoteVersion) -> str:
        if not text:
            return ""
        return anonymiser.anonymise(text, group=str(note.case_id), reference=reference(version)).text

    notes_by_case: dict[int, list[CaseNote]] = defaultdict(list)
    for note in notes:
        notes_by_case[note.case_id].append(note)
    exported_cases = []
    version_count = 0
    for case_number, case in enumerate(cases, start=1):
        exported_notes = []
        for note_number, note in enumerate(notes_by_case[case.pk], start=1):
            versions = list(note.versions.all())
            version_count += len(versions)
            original, latest = versions[0], versions[-1]
            exported_notes.append(
                {
                    "note": f"Note {case_number}.{note_number}",
                    "contact_type": latest.contact_type.name,
                    "occurred_at": anonymiser.shift_datetime(latest.occurred_at).isoformat(),
                    "recorded_at": anonymiser.shift_datetime(original.recorded_at).isoformat(),
                    "recorded_late": original.is_late,
                    "versions": [
                        {
                            "version": version.number,
                            "recorded_at": anonymiser.shift_datetime(version.recorded_at).isoformat(),
                            "recorded_by": anonymiser.placeholder(f"staff:{version.recorded_by_id}"),
                            "amendment_reason": clean(version.amendment_reason, note, version),
                            "sections": [
                                {
                                    "section": code,
                                    "heading": label,
                                    "opinion": code == NoteSection.ASSESSMENT,
                                    "text": clean(getattr(version, code), note, version),
                                }
                                for code, label in NoteSection.choices
                                if getattr(version, code)
                            ],
                        }
                        for version in versions
                    ],
                }
            )
        exported_cases.append(
            {
                "case": f"Case {case_number}",
                "client": anonymiser.placeholder(client_keys[case.pk]),
                "case_type": case.case_type.name,
                "status": case.get_status_display(),
                "opened_on": anonymiser.shift_date(case.opened_on).isoformat(),
                "closed_on": anonymiser.shift_date(case.closed_on).isoformat() if case.closed_on else None,
                "notes": exported_notes,
            }
        )
    export_id = secrets.token_hex(8)
    summary = anonymiser.summary()
    document = {
        "format": EXPORT_FORMAT,
        "export_id": export_id,
        "title": "Anonymised case notes",
        "manifest": {
            "notice": NOTICE,
            "what_was_done": list(WHAT_WAS_DONE),
            "replaced": summary["replaced"],
            "dates_shifted": summary["dates_shifted"],
            "date_shift": "applied (secret, whole weeks)",
            "people": anonymiser.legend(),
            "cannot_guarantee": list(LIMITATIONS),
            "contents": {
                "cases": len(exported_cases),
                "notes": len(notes),
                "versions": version_count,
                # The range itself would give the shift away.
                "date_range_applied": bool(selection.date_from or selection.date_to),
            },
        },
        "cases": exported_cases,
    }
    with transaction.atomic():
        audit_record(
            organisation_id=user.org_id,
            actor=user,
            action="export.anonymised",
            object_type="export",
            object_id=export_id,
            changes={
                "channel": channel,
                "format": export_format,
                "cases": len(exported_cases),
                "notes": len(notes),
                "versions": version_count,
                "replaced": {row["kind"]: row["mentions"] for row in summary["replaced"]},
                "dates_shifted": summary["dates_shifted"],
                "selection": {
                    "from": selection.date_from.isoformat() if selection.date_from else None,
                    "to": selection.date_to.isoformat() if selection.date_to else None,
                    "case_ids": sorted(case.pk for case in cases) if selection.case_ids else "all",
                },
            },
        )
    return document


def _when(value: str) -> str:
    moment = datetime.fromisoformat(value)
    return f"{moment:%A} {moment.day} {moment:%B %Y}, {moment:%H:%M}"


def _on(value: str | None) -> str:
    return "" if value is None else f"{date.fromisoformat(value).day} {date.fromisoformat(value):%B %Y}"


def readable(document: dict[str, Any]) -> dict[str, Any]:
    """A copy of the export with its dates and times spelt out, for the page and the text file."""
    copy = json.loads(json.dumps(document))
    for case in copy["cases"]:
        case["opened"], case["closed"] = _on(case["opened_on"]), _on(case["closed_on"])
        for note in case["notes"]:
            note["occurred"], note["recorded"] = _when(note["occurred_at"]), _when(note["recorded_at"])
            for version in note["versions"]:
                version["recorded"] = _when(version["recorded_at"])
    return copy


def export_as_text(document: dict[str, Any]) -> str:
    """The export as plain text, manifest first, for reading or pasting into a portfolio."""
    document = readable(document)
    manifest = document["manifest"]
    lines = [
        document["title"].upper(),
        f"Export {document['export_id']}",
        "",
        manifest["notice"],
        "",
        "What was done",
        *(f"- {line}" for line in manifest["what_was_done"]),
        "",
        "What was replaced",
        *(
            f"- {row['what'].capitalize()}: {row['mentions']} mentions ({row['distinct']} different)"
            for row in manifest["replaced"]
        ),
        f"- Dates moved: {manifest['dates_shifted']}",
        "",
        "Who the placeholders stand for",
        *(f"- {row['placeholder']}: {row['who']}" for row in manifest["people"]),
        "",
        "What this cannot guarantee",
        *(f"- {line}" for line in manifest["cannot_guarantee"]),
    ]
    for case in document["cases"]:
        lines += [
            "",
            "=" * 72,
            f"{case['case']}: {case['client']}, {case['case_type']}, {case['status'].lower()}",
            f"Opened {case['opened']}" + (f", closed {case['closed']}" if case["closed"] else ""),
        ]
        for note in case["notes"]:
            late = " (recorded late)" if note["recorded_late"] else ""
            lines += [
                "",
                "-" * 72,
                f"{note['note']}: {note['contact_type']}",
                f"Contact {note['occurred']}; recorded {note['recorded']}{late}",
            ]
            for version in note["versions"]:
                if version["version"] > 1:
                    lines += [
                        "",
                        f"Amendment (version {version['version']}) recorded {version['recorded']} "
                        f"by {version['recorded_by']}. Reason: {version['amendment_reason']}",
                    ]
                else:
                    lines.append(f"Recorded by {version['recorded_by']}")
                for section in version["sections"]:
                    lines += ["", f"{section['heading']}:", section["text"]]
    return "\n".join(lines) + "\n"
