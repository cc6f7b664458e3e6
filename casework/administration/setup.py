"""Setting up an organisation with its default configuration (K6, K14).

Above the domain apps: each app seeds its own configuration, and this one module calls them
in turn. A new app with defaults (service standards, say) adds one line here.
"""

from __future__ import annotations

from django.db import transaction

from casework.accounts.models import Organisation
from casework.cases.services import case_types_seed
from casework.priorities.services import criteria_seed


@transaction.atomic
def organisation_create(*, name: str, slug: str, note_time_scale_hours: int = 24) -> Organisation:
    """Create an organisation with the default case types, contact types and priority criteria."""
    organisation = Organisation.objects.create(
        name=name, slug=slug, note_time_scale_hours=note_time_scale_hours
    )
    case_types_seed(organisation)
    criteria_seed(organisation)
    return organisation
