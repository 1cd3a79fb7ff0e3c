"""Which module of a package imports which, read from the source without running it.

The emulator's and the integration's structure tests share it: each module
becomes a node, each import of another module of the package an edge, and a
circle of edges is an import cycle.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from graphlib import CycleError, TopologicalSorter
from pathlib import Path
from types import ModuleType


def _is_type_checking(test: ast.expr) -> bool:
    """``if TYPE_CHECKING:`` or ``if typing.TYPE_CHECKING:``."""
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _nodes(tree: ast.AST, *, type_only: bool) -> Iterator[ast.AST]:
    """Every node; without ``type_only``, none of an ``if TYPE_CHECKING:`` body."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if not type_only and isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        yield node
        stack.extend(ast.iter_child_nodes(node))


def _modules(package: ModuleType) -> dict[str, Path]:
    """Every module of the package and its subpackages, by its dotted name."""
    assert package.__file__ is not None
    root = Path(package.__file__).parent
    modules = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join((package.__name__, *parts))] = path
    return modules


def _imports(path: Path, module: str, known: set[str], *, type_only: bool) -> set[str]:
    """Absolute names of the modules ``path`` imports.

    ``from . import name`` imports the submodule ``name`` where there is one,
    and the package's ``__init__`` otherwise.
    """
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names = set()
    for node in _nodes(ast.parse(path.read_text("utf-8")), type_only=type_only):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            source = ".".join(part for part in (base, node.module) if part)
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                names.add(submodule if submodule in known else source)
    return names


def import_graph(package: ModuleType, *, type_only: bool) -> dict[str, set[str]]:
    """Every module of the package and the absolute names of all it imports.

    ``type_only`` counts the imports under ``if TYPE_CHECKING:`` too; they
    never run, so they cannot close a cycle at import time.
    """
    modules = _modules(package)
    known = set(modules)
    return {
        module: _imports(path, module, known, type_only=type_only)
        for module, path in modules.items()
    }


def assert_no_import_cycle(graph: dict[str, set[str]]) -> None:
    """Fail with the modules of the first circle found, in import order."""
    edges = {module: names & graph.keys() for module, names in graph.items()}
    try:
        tuple(TopologicalSorter(edges).static_order())
    except CycleError as err:
        raise AssertionError(
            "import cycle: " + " -> ".join(reversed(err.args[1]))
        ) from None
