"""pip-audit on the locked dependencies (requirements.lock), saying plainly when it could not audit.

Tries each vulnerability service in turn (OSV, then PyPI's JSON API). A known vulnerability
fails the run. If no service could be reached, or none had data for any locked package (as
behind a registry mirror that serves packages but not vulnerability data), the run says
NOT AUDITED and exits 0 so that CI does not fail for network reasons alone; set
CASEWORK_AUDIT_STRICT=1 to make that fail too.

    .venv/bin/python scripts/audit_dependencies.py [requirements.lock]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PIP_AUDIT = Path(sys.executable).parent / "pip-audit"
SERVICES = ("osv", "pypi")


def audit(requirements: Path, service: str) -> tuple[dict[str, Any] | None, str]:
    """pip-audit's JSON report from one service, or None with the reason it gave none."""
    command = [
        str(PIP_AUDIT),
        "--requirement",
        str(requirements),
        "--no-deps",  # the lock already lists every package, pinned
        "--disable-pip",
        "--vulnerability-service",
        service,
        "--format",
        "json",
        "--progress-spinner",
        "off",
        "--timeout",
        "20",
    ]
    try:
        result = subprocess.run(  # noqa: S603 - our own tool, fixed arguments
            command, capture_output=True, text=True, timeout=600, check=False
        )
    except subprocess.TimeoutExpired:
        return None, "timed out"
    try:
        return json.loads(result.stdout), ""
    except json.JSONDecodeError:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        return None, last[:300]


def main() -> int:
    requirements = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "requirements.lock"
    strict = os.environ.get("CASEWORK_AUDIT_STRICT") == "1"
    reasons = []
    for service in SERVICES:
        report, reason = audit(requirements, service)
        if report is None:
            reasons.append(f"{service}: {reason}")
            continue
        dependencies = report.get("dependencies", [])
        audited = [d for d in dependencies if "skip_reason" not in d]
        if not audited:
            reasons.append(f"{service}: reached, but it had no data for any of {len(dependencies)} packages")
            continue
        vulnerable = [d for d in audited if d.get("vulns")]
        skipped = [d for d in dependencies if "skip_reason" in d]
        print(f"pip-audit ({service}): {len(audited)} packages audited, {len(skipped)} not found.")
        for dependency in skipped:
            print(f"  not audited: {dependency['name']} {dependency.get('version', '')}")
        for dependency in vulnerable:
            for vuln in dependency["vulns"]:
                fixed = ", ".join(vuln.get("fix_versions", [])) or "no fixed version yet"
                package = f"{dependency['name']} {dependency['version']}"
                print(f"  VULNERABLE {package}: {vuln['id']} (fixed in {fixed})")
        return 1 if vulnerable else 0
    print("pip-audit: NOT AUDITED - no vulnerability service could be reached or had data:")
    for reason in reasons:
        print(f"  {reason}")
    print("Run `make security` where OSV or the PyPI JSON API (with vulnerability data) is reachable.")
    return 1 if strict else 0


if __name__ == "__main__":
    sys.exit(main())
