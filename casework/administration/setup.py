"""Setting up an organisation with its default configuration (K6, K14).

Above the domain apps: each app seeds its own configuration, and this one module calls them
in turn. A new app with defaults (service standards, say) adds one line here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.text import slugify

from casework.accounts.models import Nation, Organisation, Role, User
from casework.audit.trail import audit_record
from casework.cases.services import case_types_seed
from casework.priorities.services import criteria_seed


@transaction.atomic
def organisation_create(
    *, name: str, slug: str, note_time_scale_hours: int = 24, nation: str = Nation.ENGLAND
) -> Organisation:
    """Create an organisation with the default case types, contact types and priority criteria."""
    organisation = Organisation.objects.create(
        name=name, slug=slug, note_time_scale_hours=note_time_scale_hours, nation=nation
    )
    case_types_seed(organisation)
    criteria_seed(organisation)
    return organisation


@dataclass(frozen=True)
class NewService:
    organisation: Organisation
    administrator: User


def service_set_up(
    *,
    name: str,
    nation: str,
    admin_username: str,
    admin_email: str,
    admin_password: str,
    admin_first_name: str = "",
    admin_last_name: str = "",
) -> NewService:
    """A new organisation with its defaults and its first administrator: how a real service
    starts (``casework setup``). Refused whole, with every problem by field, if anything is wrong."""
    name = " ".join(name.split())
    slug = slugify(name)[:50]
    errors: dict[str, list[str]] = {}
    if not name or not slug:
        errors["name"] = ["Give the organisation's name."]
    elif len(name) > 200:
        errors["name"] = ["Keep the name to 200 characters or fewer."]
    elif Organisation.objects.filter(slug=slug).exists():
        errors["name"] = [f"An organisation called {name!r} is set up already."]
    if nation not in Nation.values:
        errors["nation"] = [f"Choose one of: {', '.join(Nation.values)}."]
    username = admin_username.strip()
    if not username:
        errors["admin_username"] = ["Give the administrator a username."]
    elif User.objects.filter(username__iexact=username).exists():
        errors["admin_username"] = [f"The username {username!r} is taken."]
    try:
        validate_email(admin_email.strip())
    except ValidationError:
        errors["admin_email"] = ["Give an e-mail address in the form name@example.org."]
    candidate = User(
        username=username, email=admin_email.strip(), first_name=admin_first_name, last_name=admin_last_name
    )
    try:
        validate_password(admin_password, candidate)
    except ValidationError as exc:
        errors["admin_password"] = list(exc.messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        organisation = organisation_create(name=name, slug=slug, nation=nation)
        candidate.organisation = organisation
        candidate.role = Role.ADMIN
        candidate.set_password(admin_password)
        candidate.save()
        audit_record(
            organisation_id=organisation.pk,
            actor=candidate,
            action="organisation.set_up",
            object_type="organisation",
            object_id=organisation.pk,
            changes={"nation": nation, "administrator": candidate.pk},
        )
    return NewService(organisation, candidate)
