"""Running the service: organisation set-up, staff administration, backup and restore.

Above every domain app and governance, below the layout. ``setup.organisation_create`` makes
an organisation and calls each app's own seeding function (case types and contact types from
``cases``, priority criteria from ``priorities``), so no app seeds the apps above it. Commands
that change staff accounts and must leave an audit event (``casework token``) live here, since
``accounts`` sits below the audit trail; so do ``casework backup`` and ``casework restore``,
which count the records of every app.
"""
