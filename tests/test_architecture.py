"""The folders are the pipeline, and imports point one way (docs/architecture.md).

Every import of every module (function-level imports included) is read with ``ast`` and checked
against the allowed directions; modules stay small.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = {"records", "vocab", "formats", "named_queries"}
SERVICE_COMPOSITION = {"app", "cli"}

ALLOWED: dict[str, set[str]] = {
    "graphbuild": {"graphbuild"},
    "graphbuild.extract": {"graphbuild", "graphbuild.extract"},
    "graphbuild.stores": {"graphbuild", "graphbuild.stores"},
    "graphbuild.graph": {
        "graphbuild",
        "graphbuild.extract",
        "graphbuild.stores",
        "graphbuild.graph",
    },
    "graphbuild.analysis": {
        "graphbuild",
        "graphbuild.stores",
        "graphbuild.graph",
        "graphbuild.analysis",
    },
    "graphbuild.cli": {
        "graphbuild",
        "graphbuild.extract",
        "graphbuild.stores",
        "graphbuild.graph",
        "graphbuild.analysis",
        "graphbuild.cli",
    },
}
_LIBRARY = {group for group in ALLOWED if group != "graphbuild.cli"}
ALLOWED.update(
    {
        "service": _LIBRARY | {"service"},
        "service.sparql": _LIBRARY | {"service", "service.sparql"},
        "service.deps": _LIBRARY | {"service", "service.sparql", "service.deps"},
        "service.api": _LIBRARY | {"service", "service.sparql", "service.deps", "service.api"},
        "service.pages": _LIBRARY | {"service", "service.sparql", "service.deps", "service.pages"},
        "service(composition)": _LIBRARY
        | {"service", "service.sparql", "service.deps", "service.api", "service.pages"}
        | {"service(composition)"},
    }
)
LAZY_EXCEPTIONS = {("graphbuild.cli.main", "service.cli")}
"""``perfkg serve`` is loaded by the CLI inside a function, so other commands never load it."""
MAX_LINES = 600


def group_of(module: str) -> str | None:
    """The package group a module belongs to (None: not ours)."""
    parts = module.split(".")
    if parts[0] == "graphbuild":
        if len(parts) == 1 or parts[1] in SHARED or parts[1] == "__version__":
            return "graphbuild"
        return f"graphbuild.{parts[1]}"
    if parts[0] == "service":
        if len(parts) > 1 and parts[1] in ("sparql", "api", "pages"):
            return f"service.{parts[1]}"
        if len(parts) > 1 and parts[1] in SERVICE_COMPOSITION:
            return "service(composition)"
        if len(parts) > 1 and parts[1] == "deps":
            return "service.deps"
        return "service"
    return None


def modules() -> list[tuple[str, Path]]:
    found = []
    for package in ("graphbuild", "service"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if "node_modules" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found.append((name.removesuffix(".__init__"), path))
    return found


def imports(path: Path) -> list[tuple[str, bool]]:
    """(imported module, imported inside a function) for each import of the file."""
    found: list[tuple[str, bool]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import):
                found.extend((alias.name, inner) for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                found.append((child.module, inner))
                found.extend((f"{child.module}.{alias.name}", inner) for alias in child.names)
            visit(child, inner)

    visit(ast.parse(path.read_text(encoding="utf-8")), False)
    return found


@pytest.mark.parametrize(("name", "path"), modules(), ids=[name for name, _ in modules()])
def test_imports_point_one_way(name: str, path: Path) -> None:
    source = group_of(name)
    assert source is not None
    wrong = []
    for target, in_function in imports(path):
        group = group_of(target)
        if group is None or group in ALLOWED[source]:
            continue
        if in_function and any(
            name == module and (target == lazy or target.startswith(lazy + "."))
            for module, lazy in LAZY_EXCEPTIONS
        ):
            continue
        wrong.append(f"{target} ({group})")
    assert not wrong, f"{name} ({source}) may not import {sorted(set(wrong))}"


@pytest.mark.parametrize(("name", "path"), modules(), ids=[name for name, _ in modules()])
def test_modules_keep_one_job(name: str, path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{name} has {lines} lines: split it along its seams"


def test_the_check_can_fail() -> None:
    """An import in the wrong direction is caught (the rules are not vacuous)."""
    assert "graphbuild.analysis" not in ALLOWED["graphbuild.extract"]
    assert "service.pages" not in ALLOWED["service.sparql"]
    assert "service.deps" not in ALLOWED["service.sparql"]  # the engine sits below the routers
    assert group_of("graphbuild.analysis.audit") == "graphbuild.analysis"
    assert group_of("graphbuild.records") == "graphbuild"
    assert group_of("service.app") == "service(composition)"
