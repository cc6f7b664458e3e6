"""factory-boy factories. Every record is built inside one organisation, as in real use."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from casework.accounts.models import Organisation, Role, Team, User
from casework.administration.setup import organisation_create
from casework.cases.models import Action, Case, CaseType, Client, ContactType, Goal


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Northfield Advice Service {n}")
    slug = factory.Sequence(lambda n: f"northfield-{n}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):  # type: ignore[no-untyped-def]
        # The real set-up path, so organisations come with their default configuration.
        return organisation_create(**kwargs)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Iterator(["Alex", "Priya", "Tom", "Grace", "Owen", "Fatima"])
    last_name = factory.Iterator(["Morgan", "Shah", "Evans", "Okafor", "Hughes", "Begum"])
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.PRACTITIONER
    team = None
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create:
            obj.save()


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    organisation = factory.SubFactory(OrganisationFactory)
    first_name = factory.Iterator(["Jordan", "Amira", "Callum", "Leah", "Dylan", "Zainab"])
    last_name = factory.Iterator(["Pritchard", "Hussain", "McLeod", "Byrne", "Ashworth", "Adeyemi"])
    date_of_birth = dt.date(1994, 5, 17)
    phone = "07700 900123"


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    owner = factory.SubFactory(UserFactory)
    organisation = factory.SelfAttribute("owner.organisation")
    client = factory.SubFactory(ClientFactory, organisation=factory.SelfAttribute("..organisation"))
    case_type = factory.LazyAttribute(lambda o: CaseType.objects.filter(organisation=o.organisation).first())
    opened_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=60))
    required_outcomes = "Client secures sustainable employment of 16 hours a week or more."


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    case = factory.SubFactory(CaseFactory)
    organisation = factory.SelfAttribute("case.organisation")
    description = "Update CV for warehouse and retail roles"
    measure = "CV reviewed and saved on the client's phone"


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    case = factory.SubFactory(CaseFactory)
    organisation = factory.SelfAttribute("case.organisation")
    description = "Send the client three warehouse vacancies"
    assigned_to = factory.SelfAttribute("case.owner")
    created_by = factory.SelfAttribute("case.owner")
    due_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=7))


def contact_type(organisation: Organisation, code: str = "face_to_face") -> ContactType:
    return ContactType.objects.get(organisation=organisation, code=code)
