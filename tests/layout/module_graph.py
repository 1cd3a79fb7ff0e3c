"""Which module imports which, and how long files are, read without running anything.

Shared by the layout tests of the integration, the emulator and the local
Home Assistant: each module is a node, each module of the same package it
loads an edge, and a circle of edges is an import cycle.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from graphlib import CycleError, TopologicalSorter
from importlib.util import resolve_name
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
MAX_LINES = 400


def module_name(path: Path, root: Path = REPO) -> str:
    """``sms_emulator/turkey_sms/sends.py`` → ``sms_emulator.turkey_sms.sends``."""
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


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


def imports(path: Path, root: Path = REPO, *, type_only: bool = True) -> set[str]:
    """Absolute names of every module ``path`` imports.

    ``type_only`` counts the imports under ``if TYPE_CHECKING:`` too; they
    never run, so they cannot close a circle when the modules load.
    """
    name = module_name(path, root)
    package = name if path.stem == "__init__" else name.rpartition(".")[0]
    names: set[str] = set()
    for node in _nodes(ast.parse(path.read_text("utf-8")), type_only=type_only):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = resolve_name("." * node.level + (node.module or ""), package)
            if node.module:
                names.add(base)
            else:
                names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def modules(
    package: str, root: Path = REPO, *, type_only: bool = True
) -> dict[str, set[str]]:
    """Each module of ``package`` (a subpackage by its ``__init__``) and its imports.

    The package's own ``__init__`` and ``__main__`` are left out: every module
    is imported through the first, and nothing imports the second.
    """
    folder = root / package.replace(".", "/")
    return {
        module_name(path, root): imports(path, root, type_only=type_only)
        for path in sorted(folder.rglob("*.py"))
        if path.relative_to(folder).as_posix() not in ("__init__.py", "__main__.py")
    }


def import_graph(
    package: str, root: Path = REPO, *, type_only: bool = True
) -> dict[str, set[str]]:
    """Which of its modules each module of ``package`` loads.

    Importing ``a.b.c`` from outside the subpackage ``a.b`` loads ``a.b`` first.
    """
    found = modules(package, root, type_only=type_only)
    return {
        module: {
            prefix
            for name in names
            for prefix in _prefixes(name)
            if prefix in found
            and prefix != module
            and not module.startswith(prefix + ".")
        }
        for module, names in found.items()
    }


def _prefixes(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


def assert_no_import_cycle(graph: dict[str, set[str]]) -> None:
    """Fail with the modules of a circle, each importing the next."""
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as err:
        raise AssertionError(
            "import cycle: " + " -> ".join(reversed(err.args[1]))
        ) from None


def long_files(folder: str, pattern: str = "*") -> dict[str, int]:
    """The text files below ``folder`` longer than ``MAX_LINES``, with their length."""
    long = {}
    for path in sorted((REPO / folder).rglob(pattern)):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        try:
            lines = len(path.read_text("utf-8").splitlines())
        except UnicodeDecodeError:
            continue
        if lines > MAX_LINES:
            long[path.relative_to(REPO).as_posix()] = lines
    return long
