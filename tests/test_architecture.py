"""The one-way stack is enforced, not just described (issue 7).

``make lint`` runs import-linter over the package; these tests show that the contracts hold
today and that they catch an upward import, so a broken contract cannot pass unnoticed.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

# Imports inside a function body that are allowed, with the reason. Anything else is an import
# hidden to dodge a cycle, which the stack forbids.
DOCUMENTED_LOCAL_IMPORTS = {
    # Django loads models before ready() runs; registering into the apps below is done there.
    ("casework/priorities/apps.py", "casework.cases.changes"),
    ("casework/priorities/apps.py", "casework.cases.panels"),
    ("casework/priorities/apps.py", "casework.cases.upkeep"),
    ("casework/priorities/apps.py", "casework.cases.selectors"),
    ("casework/priorities/apps.py", "casework.priorities.selectors"),
    ("casework/priorities/apps.py", "casework.priorities.services"),
    ("casework/governance/apps.py", "casework.audit.anchor"),
    ("casework/governance/apps.py", "casework.governance.retention"),
    # A data migration's function imports the engine's defaults when it runs, not at load.
    ("casework/priorities/migrations/0002_seed_default_criteria.py", "casework.priorities"),
}


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - a fixed command, no shell
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=cwd,
        env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_package_keeps_every_import_contract():
    result = _lint_imports(ROOT)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "imports", "contract"),
    [
        ("casework/audit/upward.py", "from casework.cases import models", "One-way stack"),
        ("casework/cases/upward.py", "import casework.priorities.services", "One-way stack"),
        ("casework/governance/upward.py", "from casework.administration import setup", "One-way stack"),
        ("casework/cases/root.py", "from casework import urls", "composition modules"),
    ],
)
def test_an_upward_or_sideways_import_breaks_the_contract(tmp_path, module, imports, contract):
    shutil.copytree(ROOT / "casework", tmp_path / "casework", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / module).write_text(f'"""A deliberate violation."""\n\n{imports}\n')

    result = _lint_imports(tmp_path)

    assert result.returncode != 0
    importer = module.removesuffix(".py").replace("/", ".")
    assert f"{contract}" in result.stdout and "BROKEN" in result.stdout
    assert importer in result.stdout


def _local_imports(path: Path) -> list[str]:
    """The casework modules a file imports inside a function body."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.ImportFrom) and (inner.module or "").startswith("casework"):
                found.append(inner.module or "")
            elif isinstance(inner, ast.Import):
                found += [alias.name for alias in inner.names if alias.name.startswith("casework")]
    return found


def test_no_function_hides_an_import_to_dodge_a_cycle():
    hidden = {
        (str(path.relative_to(ROOT)), module)
        for path in sorted((ROOT / "casework").rglob("*.py"))
        for module in _local_imports(path)
    }

    assert hidden <= DOCUMENTED_LOCAL_IMPORTS, sorted(hidden - DOCUMENTED_LOCAL_IMPORTS)


def test_type_only_imports_do_not_hide_a_cycle_either():
    """``if TYPE_CHECKING:`` imports are how a cycle hides from the linter: there are none."""
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "casework").rglob("*.py")
        if "TYPE_CHECKING" in path.read_text()
    ]

    assert offenders == []
