"""The arrows of the design, read from the code's own imports: no circles, no arrow against the layout's rules.

Every ``import`` counts, at the top of a module or inside a function; only imports under
``if TYPE_CHECKING:`` are left out (they never run). ``docs/architecture.md`` explains the rules.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("dispatch", "couriers", "routing", "integrations", "notifications", "web", "cli", "demo")

ALLOWED = {
    "routing": set(),
    "notifications": set(),
    "integrations": {"notifications"},
    "dispatch": {"routing", "integrations", "notifications"},
    "couriers": {"dispatch", "routing", "integrations", "notifications"},
    "web": {"dispatch", "couriers", "routing", "notifications"},
    "cli": {"dispatch", "couriers", "routing"},
    "demo": {"cli", "dispatch", "couriers", "routing", "integrations", "notifications"},
}
"""Which top-level packages each one may import: the way of a delivery runs from ``web``/``cli`` down."""

STAND_INS_AND_DEMO = (
    "demo",
    "integrations.local_server",
    "integrations.yandex.standin",
    "integrations.twilio.standin",
    "integrations.geocoder.standin",
)


def _module_files() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


MODULES = _module_files()


def _resolve(name: str) -> str | None:
    """The project module an imported name lands in (a function imported from a module counts as the module)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _type_checking_nodes(tree: ast.Module) -> set[int]:
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(inner) for statement in node.body for inner in ast.walk(statement))
    return skipped


def _imports(module: str, path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_nodes(tree)
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(filter(None, (_resolve(alias.name) for alias in node.names)))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package[: len(package) - node.level + 1], *([base] if base else [])])
            for alias in node.names:
                target = _resolve(f"{base}.{alias.name}") if f"{base}.{alias.name}" in MODULES else _resolve(base)
                if target:
                    found.add(target)
    found.discard(module)
    return found


GRAPH = {module: _imports(module, path) for module, path in MODULES.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one member (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def _top(module: str) -> str:
    return module.split(".")[0]


def test_the_import_reader_sees_the_code() -> None:
    assert len(MODULES) > 150
    assert "dispatch.requests.transitions" in GRAPH["dispatch.requests.intake"]
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_takes_part_in_an_import_circle() -> None:
    assert _cycles(GRAPH) == []


def test_packages_import_only_what_the_layout_allows() -> None:
    against = sorted(
        f"{module} imports {target}"
        for module, targets in GRAPH.items()
        for target in targets
        if _top(target) != _top(module) and _top(target) not in ALLOWED[_top(module)]
    )
    assert against == []


def test_no_two_packages_import_each_other() -> None:
    arrows = {(_top(module), _top(target)) for module, targets in GRAPH.items() for target in targets}
    assert sorted((a, b) for a, b in arrows if a < b and (b, a) in arrows) == []


def test_the_context_is_a_leaf_that_knows_no_jobs_or_services() -> None:
    assert GRAPH["dispatch.context"] <= {"dispatch.models", "dispatch.uow"}
    assert not any(m.startswith("dispatch.jobs") for m in GRAPH["dispatch.bootstrap"])


def _reachable(start: list[str]) -> set[str]:
    seen: set[str] = set()
    todo = list(start)
    while todo:
        module = todo.pop()
        if module not in seen:
            seen.add(module)
            todo.extend(GRAPH.get(module, ()))
    return seen


def test_web_app_and_worker_reach_no_stand_in_or_demo_module() -> None:
    served = _reachable([m for m in MODULES if _top(m) == "web"] + ["cli.app"])
    assert sorted(m for m in served if m.startswith(STAND_INS_AND_DEMO)) == []


def test_web_app_and_worker_load_no_stand_in_or_demo_module() -> None:
    """The same, as Python really imports them: a process that builds the app and the command line."""
    code = "import json, sys, web, cli.app; web.create_app; print(json.dumps(sorted(sys.modules)))"
    loaded = json.loads(subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout)
    assert "dispatch.jobs.worker" in loaded
    assert [m for m in loaded if m.startswith(STAND_INS_AND_DEMO)] == []


def test_no_package_holds_more_than_two_fifths_of_the_production_code() -> None:
    lines = {package: 0 for package in PACKAGES}
    for module, path in MODULES.items():
        if ".migrations." not in module:
            lines[_top(module)] += len(path.read_text(encoding="utf-8").splitlines())
    total = sum(lines.values())
    assert {p: round(n / total, 2) for p, n in lines.items() if n > 0.4 * total} == {}


@pytest.mark.parametrize(
    ("folder", "forbidden"),
    [
        ("dispatch/domain", {"flask", "sqlalchemy", "rq", "redis", "requests", "httpx", "ortools", "twilio", "alembic"}),
        ("dispatch", {"flask", "werkzeug", "web"}),
        ("couriers", {"flask", "werkzeug", "web"}),
        ("routing", {"sqlalchemy", "flask", "dispatch", "web"}),
        ("integrations", {"sqlalchemy", "flask", "dispatch", "web", "rq"}),
        ("notifications", {"sqlalchemy", "flask", "dispatch", "web", "rq", "redis"}),
    ],
)
def test_forbidden_imports(folder: str, forbidden: set[str]) -> None:
    for path in (ROOT / folder).rglob("*.py"):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module.split(".")[0])
        assert not names & forbidden, f"{path.relative_to(ROOT)} imports {sorted(names & forbidden)}"
