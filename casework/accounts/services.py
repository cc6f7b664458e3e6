"""Setting up an organisation with its default configuration."""

from __future__ import annotations

from django.db import transaction

from casework.accounts.models import Organisation
from casework.cases import defaults
from casework.cases.models import CaseType, ContactType
from casework.priorities.services import criteria_seed


@transaction.atomic
def organisation_create(*, name: str, slug: str, note_time_scale_hours: int = 24) -> Organisation:
    """Create an organisation with the default case types and contact types (K6)."""
    organisation = Organisation.objects.create(
        name=name, slug=slug, note_time_scale_hours=note_time_scale_hours
    )
    CaseType.objects.bulk_create(
        CaseType(organisation=organisation, code=code, name=label) for code, label in defaults.CASE_TYPES
    )
    ContactType.objects.bulk_create(
        ContactType(
            organisation=organisation,
            code=code,
            name=label,
            required_sections=required,
            is_client_contact=is_contact,
        )
        for code, label, required, is_contact in defaults.CONTACT_TYPES
    )
    criteria_seed(organisation)
    return organisation
