"""The arrows of the design: rules import no framework, routing knows no database, domain no Flask."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(folder: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in folder.rglob("*.py"):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names
    return found


@pytest.mark.parametrize(
    ("folder", "forbidden"),
    [
        ("dispatch/domain", {"flask", "sqlalchemy", "rq", "redis", "requests", "httpx", "ortools", "twilio", "alembic"}),
        ("dispatch", {"flask", "werkzeug", "web"}),
        ("routing", {"sqlalchemy", "flask", "dispatch", "web"}),
        ("integrations", {"sqlalchemy", "flask", "dispatch", "web", "rq"}),
        ("notifications", {"sqlalchemy", "flask", "dispatch", "web", "rq", "redis"}),
    ],
)
def test_forbidden_imports(folder, forbidden):
    for module, names in imported_modules(ROOT / folder).items():
        assert not names & forbidden, f"{module} imports {sorted(names & forbidden)}"
