"""Organisation set-up and staff administration, above the domain apps.

``setup.organisation_create`` makes an organisation and calls each app's own seeding function
(case types and contact types from ``cases``, priority criteria from ``priorities``), so no
app seeds the apps above it. Commands that change staff accounts and must leave an audit
event (``casework token``) live here too, since ``accounts`` sits below the audit trail.
"""
