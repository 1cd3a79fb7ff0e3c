"""The emulator stands on its own and its modules import each other in one direction."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import sms_emulator

PACKAGE = Path(sms_emulator.__file__).parent


def _imports(path: Path) -> set[str]:
    """Absolute names of every module ``path`` imports, type-only ones included."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                names.add(node.module or "")
            elif node.module:
                names.add(f"sms_emulator.{node.module}")
            else:
                names.update(f"sms_emulator.{alias.name}" for alias in node.names)
    return names


def _modules() -> dict[str, set[str]]:
    return {
        f"sms_emulator.{path.stem}": _imports(path)
        for path in sorted(PACKAGE.glob("*.py"))
        if path.stem not in ("__init__", "__main__")
    }


def test_the_emulator_imports_nothing_from_the_integration() -> None:
    for module, names in _modules().items():
        assert not any(n.split(".")[0] == "custom_components" for n in names), module


def test_no_two_emulator_modules_import_each_other_in_a_circle() -> None:
    modules = _modules()
    graph = {
        name: {n for n in names if n in modules} for name, names in modules.items()
    }
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as err:  # pragma: no cover - the failure message
        raise AssertionError(f"import cycle: {err.args[1]}") from None
    assert "sms_emulator.server" not in graph["sms_emulator.admin"]
    assert "sms_emulator.server" not in graph["sms_emulator.inbox"]
