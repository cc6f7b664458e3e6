"""A new client and case from the web (PC16, PC17): who may, what is checked, what is recorded."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.test import Client as HttpClient
from django.utils import timezone

from casework.accounts.models import Role
from casework.audit.models import AccessEvent, AuditEvent
from casework.cases import services
from casework.cases.models import Case, CaseEvent, CaseType, Client
from tests.conftest import ROLES
from tests.factories import CaseFactory, ClientFactory, UserFactory

# Who may open /cases/new: practitioners and supervisors, each in their own organisation
# ("foreign" is a practitioner in another organisation). Managers read only: 403.
CAN_OPEN = {"owner", "colleague", "supervisor", "other_supervisor", "other_practitioner", "foreign"}


def expected(role: str, ok: int) -> int:
    if role in CAN_OPEN:
        return ok
    return 403 if role == "manager" else 404


def case_type_for(user, code: str = "housing") -> CaseType:
    return CaseType.objects.get(organisation_id=user.organisation_id, code=code)


def new_case_data(user, **overrides: str) -> dict[str, str]:
    """A new client no one has met before, as the browser posts the form."""
    data = {
        "first_name": "Rhiannon",
        "last_name": "Ellis-Tate",
        "date_of_birth": "1988-03-09",
        "email": "",
        "phone": "",
        "address": "",
        "case_type": str(case_type_for(user).pk),
        "required_outcomes": "Client keeps her tenancy and clears the rent arrears.",
        "complexity": "3",
        # The owner select starts at the signed-in user; only supervisors have it.
        "owner": str(user.pk),
    }
    data.update(overrides)
    return data


def written() -> tuple[int, int, int, int]:
    return (
        Client.objects.count(),
        Case.objects.count(),
        CaseEvent.objects.count(),
        AuditEvent.objects.count(),
    )


def errors_next_to(body: str, field: str) -> list[str]:
    """The messages shown inside the field's own box."""
    match = re.search(
        rf'<div class="field field--error">\s*<label for="id_{field}">.*?</div>', body, re.S
    ) or re.search(rf'<fieldset class="field field--error".*?id="id_{field}_0".*?</fieldset>', body, re.S)
    assert match, f"{field} is not marked as in error"
    return re.findall(r"<li>(.*?)</li>", match.group(0))


# Access -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_new_case_form_page(world, signed_in, role):
    response = signed_in(world.by_role()[role]).get("/cases/new")

    assert response.status_code == expected(role, 200)
    assert ('action="/cases/new"' in response.content.decode()) is (role in CAN_OPEN)


@pytest.mark.parametrize("role", ROLES)
def test_new_case_submission(world, signed_in, role):
    user = world.by_role()[role]
    before = written()

    response = signed_in(user).post("/cases/new", new_case_data(user))

    assert response.status_code == expected(role, 302)
    created = Case.objects.filter(client__last_name="Ellis-Tate")
    if role in CAN_OPEN:
        case = created.get()
        assert response["Location"] == f"/cases/{case.pk}/"
        assert (case.owner, case.organisation_id, case.client.organisation_id) == (
            user,
            user.organisation_id,
            user.organisation_id,
        )
    else:
        assert not created.exists()
        assert written() == before


@pytest.mark.parametrize("role", [Role.DATA_PROTECTION, Role.ADMIN])
def test_data_protection_officer_and_admin_get_not_found(world, signed_in, role):
    user = UserFactory(organisation=world.organisation, role=role)
    before = written()

    assert signed_in(user).get("/cases/new").status_code == 404
    assert signed_in(user).post("/cases/new", new_case_data(user)).status_code == 404
    assert written() == before


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_user_is_sent_to_sign_in(world, method):
    before = written()

    data = new_case_data(world.practitioner) if method == "post" else None

    response = getattr(HttpClient(), method)("/cases/new", data)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/cases/new"
    assert written() == before


@pytest.mark.parametrize("role", ROLES)
def test_new_case_button_on_my_caseload(world, signed_in, role):
    body = signed_in(world.by_role()[role]).get("/").content.decode()

    assert ('<a class="button" href="/cases/new">New case</a>' in body) is (role in CAN_OPEN)


# Creating -----------------------------------------------------------------------------------


def test_practitioner_adds_a_client_and_opens_a_case(world, signed_in):
    client = signed_in(world.practitioner)
    data = new_case_data(
        world.practitioner,
        email="rhiannon@example.org",
        phone="07700 900456",
        address="4 Quay Street, Swansea",
    )

    response = client.post("/cases/new", data, follow=True)

    new = Client.objects.get(last_name="Ellis-Tate")
    case = new.cases.get()
    assert (new.first_name, new.date_of_birth, new.email, new.phone, new.address) == (
        "Rhiannon",
        dt.date(1988, 3, 9),
        "rhiannon@example.org",
        "07700 900456",
        "4 Quay Street, Swansea",
    )
    assert (case.owner, case.case_type.code, case.complexity, case.status) == (
        world.practitioner,
        "housing",
        3,
        "open",
    )
    assert case.required_outcomes == "Client keeps her tenancy and clears the rent arrears."
    assert case.opened_on == timezone.localdate()
    body = response.content.decode()
    assert response.redirect_chain == [(f"/cases/{case.pk}/", 302)]
    assert f"Case opened for Rhiannon Ellis-Tate ({new.reference})." in body
    assert "<h1>Case: Rhiannon Ellis-Tate" in body
    assert list(CaseEvent.objects.filter(case=case).values_list("code", flat=True)) == ["case_opened"]


def test_audit_names_the_fields_but_holds_no_personal_data(world, signed_in):
    data = new_case_data(
        world.practitioner, email="rhiannon@example.org", phone="07700 900456", address="4 Quay Street"
    )

    signed_in(world.practitioner).post("/cases/new", data)

    new = Client.objects.get(last_name="Ellis-Tate")
    case = new.cases.get()
    events = AuditEvent.objects.filter(client_id=new.pk).order_by("sequence")
    assert [(e.action, e.object_type, e.object_id) for e in events] == [
        ("client.created", "client", str(new.pk)),
        ("case.opened", "case", str(case.pk)),
    ]
    created = events[0]
    assert created.changes == {
        "fields": ["address", "date_of_birth", "email", "first_name", "last_name", "phone"]
    }
    assert (created.actor_id, created.case_id) == (world.practitioner.pk, None)
    stored = json.dumps([e.changes for e in events])
    for personal in ("Rhiannon", "Ellis", "1988", "rhiannon@example.org", "900456", "Quay"):
        assert personal not in stored


def test_only_the_fields_given_are_named_in_the_audit(world, signed_in):
    signed_in(world.practitioner).post("/cases/new", new_case_data(world.practitioner, date_of_birth=""))

    created = AuditEvent.objects.get(action="client.created")
    assert created.changes == {"fields": ["first_name", "last_name"]}
    assert Client.objects.get(last_name="Ellis-Tate").date_of_birth is None


def test_client_and_case_are_created_in_one_transaction(world, signed_in, monkeypatch):
    def broken_case_open(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "case_open", broken_case_open)
    before = written()

    with pytest.raises(RuntimeError):
        signed_in(world.practitioner).post("/cases/new", new_case_data(world.practitioner))

    assert written() == before


def test_a_practitioner_cannot_give_the_case_to_someone_else(world, signed_in):
    data = new_case_data(world.practitioner, owner=str(world.colleague.pk))

    response = signed_in(world.practitioner).post("/cases/new", data)

    assert response.status_code == 302
    assert Case.objects.get(client__last_name="Ellis-Tate").owner == world.practitioner


def test_practitioner_sees_no_owner_choice(world, signed_in):
    body = signed_in(world.practitioner).get("/cases/new").content.decode()

    assert 'name="owner"' not in body


def test_supervisor_chooses_themselves_or_a_practitioner_in_their_teams(world, signed_in):
    body = signed_in(world.supervisor).get("/cases/new").content.decode()

    select = re.search(r'<select name="owner".*?</select>', body, re.S).group(0)
    offered = re.findall(r'<option value="(\d*)"', select)
    assert offered == ["", str(world.supervisor.pk), str(world.practitioner.pk), str(world.colleague.pk)]
    assert re.search(rf'<option value="{world.supervisor.pk}" selected>', select)


def test_supervisor_opens_a_case_for_a_practitioner_in_their_team(world, signed_in):
    data = new_case_data(world.supervisor, owner=str(world.colleague.pk))

    response = signed_in(world.supervisor).post("/cases/new", data, follow=True)

    case = Case.objects.get(client__last_name="Ellis-Tate")
    assert case.owner == world.colleague
    assert response.redirect_chain == [(f"/cases/{case.pk}/", 302)]
    assert f"({case.client.reference}), held by {world.colleague.display_name}." in response.content.decode()
    assert AuditEvent.objects.get(action="case.opened").changes == {
        "owner": world.colleague.pk,
        "case_type": "housing",
    }


@pytest.mark.parametrize("outsider", ["other_practitioner", "other_supervisor", "manager", "foreign"])
def test_supervisor_cannot_give_the_case_to_someone_outside_their_teams(world, signed_in, outsider):
    data = new_case_data(world.supervisor, owner=str(world.by_role()[outsider].pk))
    before = written()

    response = signed_in(world.supervisor).post("/cases/new", data)

    assert response.status_code == 400
    body = response.content.decode()
    assert errors_next_to(body, "owner") == ["Choose a practitioner in a team you supervise."]
    assert written() == before


# Validation ---------------------------------------------------------------------------------


def test_names_are_required_and_errors_sit_next_to_their_fields(world, signed_in):
    data = new_case_data(world.practitioner, first_name="  ", last_name="")
    before = written()

    response = signed_in(world.practitioner).post("/cases/new", data)

    body = response.content.decode()
    assert response.status_code == 400
    assert errors_next_to(body, "first_name") == ["Give the client&#x27;s first name."]
    assert errors_next_to(body, "last_name") == ["Give the client&#x27;s last name."]
    summary = re.search(r'<div class="error-summary".*?</div>', body, re.S).group(0)
    assert re.findall(r'<a href="([^"]+)">', summary) == ["#id_first_name", "#id_last_name"]
    assert "<title>Error: New case \u2013 Casework</title>" in body
    # What was typed is still there.
    assert "Client keeps her tenancy and clears the rent arrears." in body
    assert written() == before


@pytest.mark.parametrize(
    ("days", "message"),
    [
        (-1, "The date of birth cannot be in the future."),
        (121 * 366, "The date of birth cannot be more than 120 years ago. Check the year."),
    ],
)
def test_date_of_birth_must_be_possible(world, signed_in, days, message):
    born = timezone.localdate() - dt.timedelta(days=days)
    before = written()

    response = signed_in(world.practitioner).post(
        "/cases/new", new_case_data(world.practitioner, date_of_birth=born.isoformat())
    )

    assert response.status_code == 400
    assert errors_next_to(response.content.decode(), "date_of_birth") == [message]
    assert written() == before


def test_a_client_born_today_or_at_120_can_be_added(world, signed_in):
    today = timezone.localdate()
    oldest = today.replace(year=today.year - 120) if (today.month, today.day) != (2, 29) else None

    for born, surname in ((today, "Newborn"), (oldest, "Eldest")):
        if born is None:
            continue
        response = signed_in(world.practitioner).post(
            "/cases/new",
            new_case_data(world.practitioner, last_name=surname, date_of_birth=born.isoformat()),
        )
        assert response.status_code == 302
        assert Client.objects.get(last_name=surname).date_of_birth == born


def test_case_type_from_another_organisation_is_refused(world, signed_in):
    foreign_type = case_type_for(world.foreign_user)
    before = written()

    response = signed_in(world.practitioner).post(
        "/cases/new", new_case_data(world.practitioner, case_type=str(foreign_type.pk))
    )

    assert response.status_code == 400
    assert errors_next_to(response.content.decode(), "case_type") == ["Choose a type of case from the list."]
    assert written() == before


def test_case_type_outcomes_and_complexity_are_required(world, signed_in):
    data = new_case_data(world.practitioner, case_type="", required_outcomes=" ", complexity="9")
    before = written()

    response = signed_in(world.practitioner).post("/cases/new", data)

    body = response.content.decode()
    assert response.status_code == 400
    assert errors_next_to(body, "case_type") == ["Choose the type of case."]
    assert errors_next_to(body, "required_outcomes") == [
        "Say what the service has to achieve with the client."
    ]
    assert errors_next_to(body, "complexity") == ["Choose low, medium or high complexity."]
    # The summary lists the problems in the order of the page.
    summary = re.search(r'<div class="error-summary".*?</div>', body, re.S).group(0)
    assert re.findall(r'<a href="([^"]+)">', summary) == [
        "#id_case_type",
        "#id_required_outcomes",
        "#id_complexity_0",
    ]
    assert written() == before


def test_email_must_be_an_email_address(world, signed_in):
    response = signed_in(world.practitioner).post(
        "/cases/new", new_case_data(world.practitioner, email="rhiannon at example")
    )

    assert response.status_code == 400
    assert errors_next_to(response.content.decode(), "email") == [
        "Give an email address in the form name@example.com."
    ]


def test_service_refuses_what_the_form_would(world):
    with pytest.raises(services.ValidationError) as caught:
        services.client_create(
            organisation=world.organisation,
            actor=world.practitioner,
            first_name=" ",
            last_name="Ellis",
            date_of_birth=timezone.localdate() + dt.timedelta(days=1),
            email="not-an-address",
        )

    assert caught.value.message_dict == {
        "first_name": ["Give the client's first name."],
        "date_of_birth": ["The date of birth cannot be in the future."],
        "email": ["Give an email address in the form name@example.com."],
    }
    assert not Client.objects.filter(last_name="Ellis").exists()


# Possible duplicates ------------------------------------------------------------------------


@pytest.fixture
def known(world):
    """A client on the owner's case: Jordan Pritchard, born 17 May 1994."""
    client = world.case.client
    client.first_name, client.last_name = "Jordan", "Pritchard"
    client.date_of_birth = dt.date(1994, 5, 17)
    client.email, client.phone = "jordan.p@example.org", "07700 900123"
    client.save()
    return client


@pytest.mark.parametrize(
    "details",
    [
        {"first_name": "JORDAN", "last_name": "pritchard", "date_of_birth": "1994-05-17"},
        {"email": "Jordan.P@Example.org"},
        {"phone": "07700900123"},
        {"phone": "(07700) 900-123"},
    ],
)
def test_possible_existing_client_is_offered_before_anything_is_saved(world, signed_in, known, details):
    before = written()

    response = signed_in(world.practitioner).post("/cases/new", new_case_data(world.practitioner, **details))

    body = response.content.decode()
    assert response.status_code == 200
    assert '<h2 id="duplicate-check-title">This may be an existing client</h2>' in body
    # The recommended choice is the primary button; adding a new client the secondary (D26).
    assert f'<button type="submit" name="use_client" value="{known.pk}" class="button">' in body
    assert f'<span class="reference">{known.reference}</span>' in body
    assert f'<a href="/cases/{world.case.pk}/">Employment support</a>' in body
    assert '<button type="submit" name="confirm_new" value="on" class="button button--secondary">' in body
    assert written() == before
    # Showing the existing client's case is a view of their record (PC16).
    assert list(AccessEvent.objects.values_list("case_id", "view")) == [
        (world.case.pk, "possible existing client")
    ]


def test_same_name_with_another_date_of_birth_is_not_a_match(world, signed_in, known):
    data = new_case_data(world.practitioner, first_name="Jordan", last_name="Pritchard")

    response = signed_in(world.practitioner).post("/cases/new", data)

    assert response.status_code == 302
    assert Client.objects.filter(organisation=world.organisation, last_name="Pritchard").count() == 2


def test_opening_a_new_case_for_the_existing_client(world, signed_in, known):
    data = new_case_data(
        world.practitioner, first_name="Jordan", last_name="Pritchard", date_of_birth="1994-05-17"
    )
    data["use_client"] = str(known.pk)
    clients_before = Client.objects.count()

    response = signed_in(world.practitioner).post("/cases/new", data)

    new_case = Case.objects.exclude(pk=world.case.pk).get(client=known)
    assert response["Location"] == f"/cases/{new_case.pk}/"
    assert new_case.case_type.code == "housing"
    assert Client.objects.count() == clients_before
    assert not AuditEvent.objects.filter(action="client.created").exists()
    known.refresh_from_db()
    assert known.email == "jordan.p@example.org"


def test_confirming_a_new_client_adds_them_despite_a_match(world, signed_in, known):
    data = new_case_data(
        world.practitioner, first_name="Jordan", last_name="Pritchard", date_of_birth="1994-05-17"
    )
    data["confirm_new"] = "on"

    response = signed_in(world.practitioner).post("/cases/new", data)

    assert response.status_code == 302
    same = Client.objects.filter(organisation=world.organisation, first_name="Jordan", last_name="Pritchard")
    assert same.count() == 2
    assert AuditEvent.objects.filter(action="client.created").count() == 1


def test_a_match_on_a_case_the_user_cannot_see_is_warned_of_without_details(world, signed_in, known):
    data = new_case_data(world.colleague, email="jordan.p@example.org")
    before = written()

    response = signed_in(world.colleague).post("/cases/new", data)

    body = response.content.decode()
    assert response.status_code == 200
    assert "This may be an existing client" in body
    assert "on a case you cannot open" in body
    assert 'name="use_client"' not in body
    assert known.reference not in body
    assert "Pritchard" not in body
    assert f"/cases/{world.case.pk}/" not in body
    assert written() == before
    assert not AccessEvent.objects.exists()


def test_a_client_the_user_cannot_see_cannot_be_chosen(world, signed_in, known):
    data = new_case_data(world.colleague, email="jordan.p@example.org", use_client=str(known.pk))
    before = written()

    response = signed_in(world.colleague).post("/cases/new", data)

    body = response.content.decode()
    assert response.status_code == 400
    assert "Choose one of the clients listed, or add a new client." in body
    assert known.reference not in body
    assert written() == before


def test_clients_of_another_organisation_are_never_matched(world, signed_in, known):
    # The foreign organisation's own client shares nothing with Jordan.
    Client.objects.filter(pk=world.foreign_case.client_id).update(
        first_name="Leah", last_name="Byrne", date_of_birth=dt.date(1979, 1, 2), phone="", email=""
    )
    data = new_case_data(
        world.foreign_user,
        first_name="Jordan",
        last_name="Pritchard",
        date_of_birth="1994-05-17",
        email="jordan.p@example.org",
    )

    response = signed_in(world.foreign_user).post("/cases/new", data)

    assert response.status_code == 302
    created = AuditEvent.objects.get(action="client.created")
    assert created.organisation_id == world.foreign_user.organisation_id
    assert Client.objects.get(pk=created.client_id).email == "jordan.p@example.org"


def test_a_restricted_client_is_not_hinted_at(world, signed_in, known):
    world.case.is_restricted = True
    world.case.save(update_fields=["is_restricted"])
    world.case.restricted_to.add(world.practitioner)

    hidden = signed_in(world.colleague).post(
        "/cases/new", new_case_data(world.colleague, email="jordan.p@example.org")
    )
    named = signed_in(world.practitioner).post(
        "/cases/new", new_case_data(world.practitioner, last_name="Other", email="jordan.p@example.org")
    )

    assert hidden.status_code == 302
    assert named.status_code == 200
    assert f'name="use_client" value="{known.pk}"' in named.content.decode()


def test_supervisor_is_offered_their_teams_clients(world, signed_in, known):
    data = new_case_data(world.supervisor, phone="07700 900123", owner=str(world.colleague.pk))

    response = signed_in(world.supervisor).post("/cases/new", data)

    assert f'name="use_client" value="{known.pk}"' in response.content.decode()


# Pages ---------------------------------------------------------------------------------------


def test_new_case_page_has_labels_and_no_inline_script_or_style(world, signed_in):
    body = signed_in(world.supervisor).get("/cases/new").content.decode()

    for control_id in re.findall(
        r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*\bid="([^"]+)"', body
    ):
        assert f'<label for="{control_id}"' in body, control_id
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body)
    assert " style=" not in body
    assert not re.search(r"\son[a-z]+=", body)
    assert "<title>New case \u2013 Casework</title>" in body


# Query counts -------------------------------------------------------------------------------

# 9 today: session, user, authenticator devices, case types, owner choices, inbox count, and
# the session's last-seen stamp (savepoint, update, release).
NEW_CASE_PAGE_QUERY_BOUND = 11  # issue 9: the outcomes each case type offers
# 13 today: those, the duplicate check (matches, their visible cases, any hidden match) and
# the access log.
DUPLICATE_CHECK_QUERY_BOUND = 15  # issue 9: the outcomes each case type offers


def test_new_case_page_queries(world, signed_in, django_assert_max_num_queries):
    client = signed_in(world.supervisor)

    with django_assert_max_num_queries(NEW_CASE_PAGE_QUERY_BOUND):
        response = client.get("/cases/new")

    assert response.status_code == 200


@pytest.mark.parametrize("size", [2, 12])
def test_duplicate_check_queries_do_not_grow_with_the_matches(
    world, signed_in, django_assert_max_num_queries, size
):
    for _ in range(size):
        match = ClientFactory(organisation=world.organisation, email="shared@example.org")
        CaseFactory(owner=world.practitioner, client=match)
        CaseFactory(owner=world.colleague, client=match)
    client = signed_in(world.supervisor)
    data = new_case_data(world.supervisor, email="shared@example.org")

    with django_assert_max_num_queries(DUPLICATE_CHECK_QUERY_BOUND):
        response = client.post("/cases/new", data)

    assert response.content.decode().count('name="use_client"') == min(size, 5)
