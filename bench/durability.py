"""Durability under a crash (issue 8): kill -9 the production server while 20 people save notes.

Each round: a fresh database (SQLite file by default, a scratch PostgreSQL database with
--postgres), migrated, with 20 practitioners each holding a case and an API token; gunicorn
serving it (2 workers x 4 threads); 20 writer threads posting notes as fast as they are
answered; after --seconds, SIGKILL to gunicorn's whole process group, mid-write. Then it
checks what a records manager would: every note whose 201 reached its writer is in the
database, no note is half-written (a note without its signed version, or without its audit
event), and `casework audit verify` holds.

    .venv/bin/python bench/durability.py [--rounds 3] [--writers 20] [--seconds 4] [--postgres]

Prints one line per round and exits non-zero if any round lost or half-wrote anything.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

SETUP = """
import json
from django.db import transaction
from casework.accounts.models import ApiToken, Role, Team, User
from casework.administration.setup import organisation_create
from casework.cases.models import CaseType, Client
from casework.cases.services import case_open
org = organisation_create(name="Durability", slug="durability")
team = Team.objects.create(organisation=org, name="Writers")
kind = CaseType.objects.filter(organisation=org).first()
out = []
for i in range(WRITERS):
    user = User.objects.create(username=f"writer{i}", organisation=org, team=team, role=Role.PRACTITIONER)
    with transaction.atomic():
        client = Client.objects.create(organisation=org, first_name="Client", last_name=f"Number {i}")
    case = case_open(client=client, owner=user, actor=user, case_type=kind)
    out.append([ApiToken.issue(user)[1], case.pk])
print("SETUP " + json.dumps(out))
"""

CHECK = """
import json
from django.db.models import Count
from casework.audit.models import AuditEvent
from casework.cases.models import CaseNote
ids = set(CaseNote.objects.values_list("pk", flat=True))
bare = CaseNote.objects.annotate(n=Count("versions")).filter(n=0)
no_version = list(bare.values_list("pk", flat=True))
recorded = AuditEvent.objects.filter(action="note.recorded").values_list("object_id", flat=True)
audited = {int(i) for i in recorded}
found = {"ids": sorted(ids), "no_version": no_version, "unaudited": sorted(ids - audited)}
print("CHECK " + json.dumps(found))
"""


def casework(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(  # noqa: S603 - our own command
        [str(BIN / "casework"), *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"casework {args[0]} failed:\n{result.stderr[-2000:]}")
    return result.stdout


def marked(output: str, mark: str) -> object:
    line = next(line for line in output.splitlines() if line.startswith(mark + " "))
    return json.loads(line.removeprefix(mark + " "))


def postgres(tool: str, *args: str) -> None:
    """dropdb or createdb against the machine's PostgreSQL (trust authentication)."""
    command = [tool, "-h", "127.0.0.1", "-U", "postgres", *args]
    subprocess.run(command, check=True)  # noqa: S603 - the PostgreSQL client tools, fixed arguments


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def one_round(env: dict[str, str], writers: int, seconds: float) -> dict[str, int]:
    casework(env, "migrate", "--no-input", "-v0")
    pairs = marked(casework(env, "shell", "-c", SETUP.replace("WRITERS", str(writers))), "SETUP")
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [str(BIN / "gunicorn"), "casework.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2", "--threads", "4"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{base}/accounts/login/", timeout=2)  # noqa: S310 - loopback
            break
        except OSError:
            time.sleep(0.2)
    confirmed: list[int] = []
    lock = threading.Lock()
    stop = threading.Event()

    def write(key: str, case_id: int) -> None:
        n = 0
        while not stop.is_set():
            n += 1
            body = {
                "contact_type": "phone",
                "occurred_at": (datetime.now(UTC) - timedelta(minutes=1)).isoformat(),
                "sections": {"facts": f"Call {n} on case {case_id}.", "follow_up": "Next week."},
            }
            request = urllib.request.Request(  # noqa: S310 - loopback
                f"{base}/api/cases/{case_id}/notes",
                data=json.dumps(body).encode(),
                headers={"Content-Type": "application/json", "Authorization": f"Bearer {key}"},
                method="POST",
            )
            try:
                with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                    if response.status == 201:
                        with lock:
                            confirmed.append(json.loads(response.read())["note"]["id"])
            except (urllib.error.URLError, ConnectionError, OSError):
                if stop.is_set():
                    return
                time.sleep(0.05)

    threads = [threading.Thread(target=write, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    os.killpg(server.pid, signal.SIGKILL)  # the whole server, mid-write
    stop.set()
    server.wait()
    for thread in threads:
        thread.join(timeout=35)
    found = marked(casework(env, "shell", "-c", CHECK), "CHECK")
    assert isinstance(found, dict)
    verify = subprocess.run(  # noqa: S603
        [str(BIN / "casework"), "audit", "verify"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    stored = set(found["ids"])
    return {
        "confirmed": len(confirmed),
        "stored": len(stored),
        "lost": len(set(confirmed) - stored),
        "half_written": len(found["no_version"]) + len(found["unaudited"]),
        "verify_failed": int(verify.returncode != 0),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--postgres", action="store_true", help="a scratch PostgreSQL database on 127.0.0.1")
    options = parser.parse_args()
    failed = False
    for number in range(1, options.rounds + 1):
        with tempfile.TemporaryDirectory() as tmp:
            env = {**os.environ, "DJANGO_SETTINGS_MODULE": "casework.settings", "DEBUG": "false"}
            env["ALLOWED_HOSTS"] = "127.0.0.1"
            env["CASEWORK_AUDIT_ANCHOR_FILE"] = str(Path(tmp) / "anchors.jsonl")
            name = f"cw_durability_{os.getpid()}"
            if options.postgres:
                postgres("dropdb", "--if-exists", name)
                postgres("createdb", name)
                env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
            else:
                env["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'casework.sqlite3'}"
            try:
                figures = one_round(env, options.writers, options.seconds)
            finally:
                if options.postgres:
                    postgres("dropdb", "--if-exists", "--force", name)
        bad = figures["lost"] or figures["half_written"] or figures["verify_failed"]
        failed = failed or bool(bad)
        kind = "PostgreSQL" if options.postgres else "SQLite"
        print(
            f"round {number} ({kind}, {options.writers} writers, SIGKILL after {options.seconds:g} s): "
            f"{figures['confirmed']} notes answered 201, {figures['stored']} in the database, "
            f"{figures['lost']} lost, {figures['half_written']} half-written, "
            f"audit verify {'FAILED' if figures['verify_failed'] else 'holds'}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
