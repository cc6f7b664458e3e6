"""Anchoring the audit chain outside the database (issue 8, finding 7; PC16; K1, K6).

The hash chain shows any change to one event, but someone who can drop the trigger could
rewrite an event and recompute every hash after it: the chain would verify. An **anchor** is
the chain head (organisation, sequence, hash, time) written where the database cannot reach:
a line appended to a file outside it (``AUDIT_ANCHOR_FILE``; keep it on another disk or
machine, ideally append-only: ``chattr +a``), and, where ``AUDIT_ANCHOR_EMAIL`` is on, an
e-mail to the organisation's data-protection officers. ``verify_anchors`` then checks that
the event at each anchored sequence still has the anchored hash.

What it protects against: a rewrite of anything up to the last anchor, and a chain cut short
below it, by anyone who has the database but not the anchor file or the mailbox. What it does
not: changes made after the last anchor (anchor daily, and more often if you need to), or
someone who controls both the database and every copy of the anchors.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from casework.accounts.models import Role, User
from casework.audit.models import AuditChain, AuditEvent
from casework.audit.trail import ChainBreak

ANCHOR_EVERY = dt.timedelta(hours=24)


@dataclass(frozen=True)
class Anchor:
    organisation_id: int
    sequence: int
    hash: str
    at: str

    def line(self) -> str:
        return json.dumps(self.__dict__, sort_keys=True)


def anchor_file() -> Path:
    return Path(settings.AUDIT_ANCHOR_FILE)


def anchors_read(path: Path | None = None) -> list[Anchor]:
    """Every anchor in the file, oldest first; a line that is not an anchor is skipped."""
    path = path or anchor_file()
    if not path.exists():
        return []
    found = []
    for line in path.read_text().splitlines():
        try:
            data = json.loads(line)
            found.append(
                Anchor(int(data["organisation_id"]), int(data["sequence"]), str(data["hash"]), data["at"])
            )
        except (ValueError, KeyError, TypeError):
            continue
    return found


def anchor_write(*, now: dt.datetime | None = None, path: Path | None = None) -> list[Anchor]:
    """Append every organisation's chain head to the anchor file (and e-mail it where set up)."""
    now = now or timezone.now()
    path = path or anchor_file()
    with transaction.atomic():
        anchors = [
            Anchor(chain.organisation_id, chain.last_sequence, chain.last_hash, now.isoformat())
            for chain in AuditChain.objects.order_by("organisation_id")
            if chain.last_sequence > 0
        ]
    if not anchors:
        return []
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_APPEND: every line lands at the end, whatever else writes to the file.
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(descriptor, "".join(anchor.line() + "\n" for anchor in anchors).encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    if getattr(settings, "AUDIT_ANCHOR_EMAIL", False):
        _email(anchors)
    return anchors


def _email(anchors: Iterable[Anchor]) -> None:
    for anchor in anchors:
        to = list(
            User.objects.filter(
                organisation_id=anchor.organisation_id, role=Role.DATA_PROTECTION, is_active=True
            )
            .exclude(email="")
            .values_list("email", flat=True)
        )
        if to:
            send_mail(
                "Casework audit anchor",
                "Keep this message: it lets Casework prove its audit trail was not rewritten.\n\n"
                + anchor.line(),
                None,
                to,
            )


def anchor_if_due(*, now: dt.datetime | None = None) -> list[Anchor]:
    """Anchor when the newest anchor is a day old or more (the sweep calls this every run)."""
    now = now or timezone.now()
    anchors = anchors_read()
    if anchors and now - dt.datetime.fromisoformat(anchors[-1].at) < ANCHOR_EVERY:
        return []
    return anchor_write(now=now)


def verify_anchors(organisation_id: int, anchors: Iterable[Anchor]) -> ChainBreak | None:
    """The first anchor the chain no longer matches: a rewrite, or a chain cut short."""
    mine = sorted((a for a in anchors if a.organisation_id == organisation_id), key=lambda a: a.sequence)
    if not mine:
        return None
    stored = dict(
        AuditEvent.objects.filter(
            organisation_id=organisation_id, sequence__in=[a.sequence for a in mine]
        ).values_list("sequence", "hash")
    )
    for anchor in mine:
        found = stored.get(anchor.sequence)
        if found is None:
            return ChainBreak(organisation_id, anchor.sequence, f"missing, though anchored on {anchor.at}")
        if found != anchor.hash:
            return ChainBreak(
                organisation_id,
                anchor.sequence,
                f"does not match the anchor of {anchor.at}: the chain was rewritten up to here",
            )
    return None


# Checks that records the trail says were made still exist (apps above register them at
# start-up: ``governance`` checks that every recorded note exists or its disposal is on record).
RecordCheck = Callable[[int], list[str]]
_record_checks: list[RecordCheck] = []


def record_check_register(check: RecordCheck) -> None:
    if check not in _record_checks:
        _record_checks.append(check)


def records_missing(organisation_id: int) -> list[str]:
    return [problem for check in _record_checks for problem in check(organisation_id)]
