"""Migrating never loads the demo: only `casework demo` does."""

from casework.accounts.models import Organisation, User
from casework.demo.specs import DEMO_SLUG


def test_a_migrated_database_has_no_demo_organisation_or_users(db: None) -> None:
    assert not Organisation.objects.filter(slug=DEMO_SLUG).exists()
    assert not User.objects.filter(username__in=["alex", "sam"]).exists()
