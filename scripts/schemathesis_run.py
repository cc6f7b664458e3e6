"""A short, bounded schemathesis run against /api/openapi.json that must find no server error.

Builds a throwaway SQLite database with a small demo organisation, issues a bearer token for a
practitioner, starts Casework on 127.0.0.1 (a free port, DEBUG off so errors are real 500s),
and runs `st run` with the `not_a_server_error` check. Everything stays on this machine and
stops by itself: the whole run is capped at SCHEMATHESIS_TIMEOUT seconds (default 300).

    .venv/bin/python scripts/schemathesis_run.py [--max-examples 20] [--user alex]

Exit status: schemathesis's own (0 when no server error was found), or 1 if set-up failed.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
REQUEST_LOG = re.compile(
    r"^(Not Found|Bad Request|Unprocessable Entity|Forbidden|Unauthorized|Conflict)[^:]*: /"
)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, token: str, server: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})  # noqa: S310
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"The server stopped before it answered (exit {server.returncode}).")
        try:
            with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310 - a fixed loopback URL
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise SystemExit(f"{url} did not answer within {seconds:.0f} seconds.")


def server_errors(log: str, limit: int = 5) -> str:
    """The tracebacks in the server's log (Django logs each 500 with one), without the access lines."""
    blocks: list[list[str]] = []
    for line in log.splitlines():
        if line.startswith("Internal Server Error:"):
            blocks.append([line])
        elif REQUEST_LOG.match(line) or line.startswith("["):
            continue  # Django's one-line request warnings and runserver's access log
        elif blocks and len(blocks[-1]) < 80:
            blocks[-1].append(line)
    shown = ["\n".join(block) for block in blocks[:limit]]
    more = f"\n... and {len(blocks) - limit} more" if len(blocks) > limit else ""
    return "\n\n".join(shown) + more if shown else "(no traceback in the server log)"


def casework(*args: str, env: dict[str, str]) -> str:
    result = subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [str(BIN / "casework"), *args], env=env, cwd=ROOT, check=False, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise SystemExit(f"`casework {' '.join(args)}` failed:\n{result.stderr[-5000:]}")
    return result.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=20, help="test cases per operation")
    parser.add_argument("--user", default="alex", help="demo user whose token the run uses")
    parser.add_argument("--clients", type=int, default=30, help="clients in the demo organisation")
    parser.add_argument("--seed", type=int, default=14, help="schemathesis seed, for a repeatable run")
    parser.add_argument(
        "--checks",
        default="all",
        help="schemathesis checks (default: all of them but positive_data_acceptance, see below)",
    )
    options = parser.parse_args()
    timeout = int(os.environ.get("SCHEMATHESIS_TIMEOUT", "300"))

    with tempfile.TemporaryDirectory(prefix="casework-schemathesis-") as tmp:
        port = free_port()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "casework.settings",
            "DATABASE_URL": f"sqlite:///{tmp}/schemathesis.sqlite3",
            "DEBUG": "false",
            "ALLOWED_HOSTS": "127.0.0.1",
            "LOG_LEVEL": "ERROR",
        }
        print(f"== building a demo database with {options.clients} clients", flush=True)
        casework("migrate", "--no-input", "-v0", env=env)
        casework("demo", "--clients", str(options.clients), "-v0", env=env)
        token = casework("token", options.user, env=env).strip()

        print(f"== starting Casework on 127.0.0.1:{port}", flush=True)
        server_log = Path(tmp) / "server.log"
        with server_log.open("wb") as log:
            server = subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
                [str(BIN / "casework"), "runserver", f"127.0.0.1:{port}", "--noreload"],
                env=env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            try:
                schema = f"http://127.0.0.1:{port}/api/openapi.json"
                wait_for(schema, token, server)
                # A run that only ever saw 401s would prove nothing: the token must open the caseload.
                wait_for(f"http://127.0.0.1:{port}/api/cases", token, server, seconds=10)
                command = [
                    str(BIN / "st"),
                    "run",
                    schema,
                    "--header",
                    f"Authorization: Bearer {token}",
                    "--checks",
                    options.checks,
                    # A schema-valid body may still break a business rule (a contact in the
                    # future, a section the contact type requires): the schema's descriptions
                    # name those rules, and the server's 422 names the field. So "every valid
                    # body is accepted" is not a property of this API; every other check is.
                    *(["--exclude-checks", "positive_data_acceptance"] if options.checks == "all" else []),
                    "--max-examples",
                    str(options.max_examples),
                    "--seed",
                    str(options.seed),
                    "--request-timeout",
                    "10",
                    "--generation-database",
                    "none",
                    "--report-dir",
                    str(Path(tmp) / "report"),
                    "--no-color",
                ]
                examples = options.max_examples
                print(f"== schemathesis: {examples} examples per operation, checks: {options.checks}")
                try:
                    result = subprocess.run(command, cwd=tmp, timeout=timeout, check=False)  # noqa: S603
                except subprocess.TimeoutExpired:
                    print(f"schemathesis did not finish within {timeout} seconds.", file=sys.stderr)
                    return 1
                if result.returncode != 0:
                    print("== server errors logged by Casework", file=sys.stderr)
                    print(server_errors(server_log.read_text(errors="replace")), file=sys.stderr)
                return result.returncode
            finally:
                server.terminate()
                try:
                    server.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    server.kill()


if __name__ == "__main__":
    sys.exit(main())
