"""Optimistic locking: a change made from a stale copy is refused, never silently merged.

Rows that two people may edit at once carry a ``version`` integer. A save names the version
it started from; if someone else saved in between, no row matches and ``StaleRecordError``
is raised, which the UI shows as a clear message and the API answers with 409.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models
from django.db.models import F
from django.utils import timezone


class StaleRecordError(Exception):
    """Someone else changed the record after this user opened it."""

    def __init__(self, label: str = "record", message: str = "") -> None:
        super().__init__(
            message
            or f"Someone else changed this {label} after you opened it. "
            "Reload it to see their change, then make yours again."
        )


def save_versioned(
    obj: models.Model, values: Mapping[str, Any], *, expected_version: int | None, label: str = "record"
) -> None:
    """Write ``values`` to ``obj``'s row only if it is still at ``expected_version`` (or the loaded one).

    ``obj`` is changed only once the write has succeeded, so a refused save leaves it as it was.
    """
    current = obj.version  # type: ignore[attr-defined]
    start = current if expected_version is None else expected_version
    if start != current:
        raise StaleRecordError(label)
    row = dict(values)
    for field in obj._meta.concrete_fields:
        # update() skips auto_now fields; stamp them here.
        if getattr(field, "auto_now", False) and field.name not in row:
            row[field.attname] = timezone.now()
    updated = (
        type(obj)._default_manager.filter(pk=obj.pk, version=start).update(version=F("version") + 1, **row)
    )
    if updated != 1:
        raise StaleRecordError(label)
    for name, value in row.items():
        setattr(obj, name, value)
    obj.version = start + 1  # type: ignore[attr-defined]
