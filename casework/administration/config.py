"""The organisation's own configuration, as its administrator keeps it (K6, K8, K14): its name,
nation and time scales, its case types (retention, required outcomes offered) and its contact
types (the note sections each requires, whether it counts as contact made, whether it is a
case review). Audited with before and after; refused if made from an older copy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.text import slugify

from casework.accounts.models import Nation, Organisation, User
from casework.audit.trail import audit_record
from casework.cases.models import FLAG_LABELS, CaseType, ContactType, NoteSection, OrganisationFlag
from casework.inputs import text_problem
from casework.locking import StaleRecordError, save_versioned


def _changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    return {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}


def _name_problem(name: str, what: str) -> str | None:
    if not name:
        return f"Give the {what} a name."
    if len(name) > 200:
        return "Keep the name to 200 characters or fewer."
    return text_problem(name, multiline=False)


def _name_errors(
    model: type[models.Model], organisation: Organisation, target: models.Model | None, name: str, what: str
) -> list[str]:
    """What is wrong with a name for one of the organisation's records: empty, too long, or
    another of its records of that kind has it already."""
    if problem := _name_problem(name, what):
        return [problem]
    taken = model._default_manager.filter(organisation=organisation, name__iexact=name)
    if taken.exclude(pk=target.pk if target else 0).exists():
        return [f"There is already a {what} called {name}."]
    return []


def _save(
    obj: models.Model,
    row: dict[str, Any],
    *,
    actor: User,
    action: str,
    object_type: str,
    organisation_id: int,
    expected_version: int | None,
    label: str,
) -> bool:
    before = {name: getattr(obj, name) for name in row} if obj.pk else {}
    changed = _changes(before, row)
    if obj.pk and expected_version is not None and expected_version != obj.version:  # type: ignore[attr-defined]
        raise StaleRecordError(label)
    if not changed:
        return False
    with transaction.atomic():
        if obj.pk:
            save_versioned(obj, row, expected_version=expected_version, label=label)
        else:
            for name, value in row.items():
                setattr(obj, name, value)
            obj.save()
        audit_record(
            organisation_id=organisation_id,
            actor=actor,
            action=action,
            object_type=object_type,
            object_id=obj.pk,
            changes=changed,
        )
    return True


def organisation_change(
    *, organisation: Organisation, actor: User, values: Mapping[str, Any], expected_version: int | None
) -> bool:
    """Change the organisation's name, nation, late-note time scale or case review interval."""
    name = " ".join(str(values.get("name", organisation.name)).split())
    errors: dict[str, list[str]] = {}
    if problem := _name_problem(name, "organisation"):
        errors["name"] = [problem]
    nation = values.get("nation", organisation.nation)
    if nation not in Nation.values:
        errors["nation"] = ["Choose England, Wales, Scotland or Northern Ireland."]
    hours = values.get("note_time_scale_hours", organisation.note_time_scale_hours)
    if not isinstance(hours, int) or not 1 <= hours <= 24 * 14:
        errors["note_time_scale_hours"] = ["Give a number of hours from 1 to 336 (two weeks)."]
    interval = values.get("case_review_interval_days", organisation.case_review_interval_days)
    if not isinstance(interval, int) or not 7 <= interval <= 366:
        errors["case_review_interval_days"] = ["Give a number of days from 7 to 366."]
    if errors:
        raise ValidationError(errors)
    row = {
        "name": name,
        "nation": nation,
        "note_time_scale_hours": hours,
        "case_review_interval_days": interval,
    }
    return _save(
        organisation,
        row,
        actor=actor,
        action="organisation.changed",
        object_type="organisation",
        organisation_id=organisation.pk,
        expected_version=expected_version,
        label="organisation's settings",
    )


def _unique_code(model: type[models.Model], organisation: Organisation, name: str) -> str:
    base = slugify(name)[:40] or "type"
    code, n = base, 1
    while model._default_manager.filter(organisation=organisation, code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


def case_type_save(
    *,
    organisation: Organisation,
    actor: User,
    target: CaseType | None,
    name: str,
    retention_years: int | None,
    outcomes_offered: str,
    expected_version: int | None = None,
) -> CaseType:
    """Add a case type or change one: its name, how long its records are kept after closing,
    and the required outcomes offered when a case of this type is opened."""
    name = " ".join(name.split())
    errors: dict[str, list[str]] = {}
    if name_errors := _name_errors(CaseType, organisation, target, name, "case type"):
        errors["name"] = name_errors
    if retention_years is None or not 1 <= retention_years <= 100:
        errors["retention_years"] = ["Give a number of years from 1 to 100."]
    if len(outcomes_offered) > 5000:
        errors["outcomes_offered"] = ["Keep the outcomes to 5,000 characters or fewer."]
    elif problem := text_problem(outcomes_offered):
        errors["outcomes_offered"] = [problem]
    if errors:
        raise ValidationError(errors)
    target = target or CaseType(organisation=organisation, code=_unique_code(CaseType, organisation, name))
    row = {"name": name, "retention_years": retention_years, "outcomes_offered": outcomes_offered.strip()}
    _save(
        target,
        row,
        actor=actor,
        action="case_type.changed",
        object_type="case_type",
        organisation_id=organisation.pk,
        expected_version=expected_version,
        label="case type",
    )
    return target


def contact_type_save(
    *,
    organisation: Organisation,
    actor: User,
    target: ContactType | None,
    name: str,
    required_sections: Sequence[str],
    is_client_contact: bool,
    sets_next_review: bool,
    expected_version: int | None = None,
) -> ContactType:
    """Add a contact type or change one: the sections its notes must fill in (facts always),
    whether it counts as contact made with the client, and whether it is a case review."""
    name = " ".join(name.split())
    errors: dict[str, list[str]] = {}
    if name_errors := _name_errors(ContactType, organisation, target, name, "contact type"):
        errors["name"] = name_errors
    unknown = [code for code in required_sections if code not in NoteSection.values]
    if unknown:
        errors["required_sections"] = ["Choose sections from the list."]
    elif NoteSection.FACTS not in required_sections:
        errors["required_sections"] = ["Every note records the facts: keep Facts required."]
    if errors:
        raise ValidationError(errors)
    target = target or ContactType(
        organisation=organisation, code=_unique_code(ContactType, organisation, name)
    )
    sections = [code for code in NoteSection.values if code in required_sections]
    row = {
        "name": name,
        "required_sections": sections,
        "is_client_contact": is_client_contact,
        "sets_next_review": sets_next_review,
    }
    _save(
        target,
        row,
        actor=actor,
        action="contact_type.changed",
        object_type="contact_type",
        organisation_id=organisation.pk,
        expected_version=expected_version,
        label="contact type",
    )
    return target


def flag_save(
    *,
    organisation: Organisation,
    actor: User,
    target: OrganisationFlag | None,
    name: str,
    is_risk: bool,
    is_active: bool = True,
    expected_version: int | None = None,
) -> OrganisationFlag:
    """Add one of the organisation's own flags, or change one: its name, whether it is a risk
    flag (else a vulnerability) and whether it is offered. Flags already raised keep the name
    and kind they were raised with; criteria can count the new flag from the criteria editor."""
    name = " ".join(name.split())
    errors: dict[str, list[str]] = {}
    if name.lower() in {str(label).lower() for label in FLAG_LABELS.values()}:
        errors["name"] = [f"There is already a flag called {name}."]
    elif name_errors := _name_errors(OrganisationFlag, organisation, target, name, "flag"):
        errors["name"] = name_errors
    if errors:
        raise ValidationError(errors)
    if target is None:
        code = _unique_code(OrganisationFlag, organisation, name)
        while code in FLAG_LABELS:
            code += "-own"
        target = OrganisationFlag(organisation=organisation, code=code)
    _save(
        target,
        {"name": name, "is_risk": is_risk, "is_active": is_active},
        actor=actor,
        action="flag_type.changed",
        object_type="flag_type",
        organisation_id=organisation.pk,
        expected_version=expected_version,
        label="flag",
    )
    return target
