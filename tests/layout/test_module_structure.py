"""The emulator and the local Home Assistant stand on their own, their modules
import each other in one direction, and no file of theirs or of scripts/ grows
past what a reader takes in at once."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from importlib.util import resolve_name
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ("sms_emulator", "local_hass")
SMALL_FILE_FOLDERS = ("sms_emulator", "local_hass", "scripts")
MAX_LINES = 400


def _module_name(path: Path) -> str:
    """``sms_emulator/turkey_sms/sends.py`` → ``sms_emulator.turkey_sms.sends``."""
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Absolute names of every module ``path`` imports, type-only ones included."""
    name = _module_name(path)
    package = name if path.stem == "__init__" else name.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = resolve_name("." * node.level + (node.module or ""), package)
            if node.module:
                names.add(base)
            else:
                names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def _modules(package: str) -> dict[str, set[str]]:
    """Each module of ``package`` (a subpackage by its ``__init__``) and its imports.

    The package's own ``__init__`` and ``__main__`` are left out: every module
    is imported through the first, and nothing imports the second.
    """
    return {
        _module_name(path): _imports(path)
        for path in sorted((REPO / package).rglob("*.py"))
        if path.relative_to(REPO / package).as_posix()
        not in ("__init__.py", "__main__.py")
    }


def _graph(package: str) -> dict[str, set[str]]:
    """Which of its modules each module of ``package`` loads.

    Importing ``a.b.c`` from outside the subpackage ``a.b`` loads ``a.b`` first.
    """
    modules = _modules(package)
    graph: dict[str, set[str]] = {}
    for module, names in modules.items():
        graph[module] = {
            prefix
            for name in names
            for prefix in _prefixes(name)
            if prefix in modules
            and prefix != module
            and not module.startswith(prefix + ".")
        }
    return graph


def _prefixes(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


@pytest.mark.parametrize("package", PACKAGES)
def test_nothing_imports_the_integration(package: str) -> None:
    for module, names in _modules(package).items():
        assert not any(n.split(".")[0] == "custom_components" for n in names), module


@pytest.mark.parametrize("package", PACKAGES)
def test_no_two_modules_import_each_other_in_a_circle(package: str) -> None:
    try:
        tuple(TopologicalSorter(_graph(package)).static_order())
    except CycleError as err:  # pragma: no cover - the failure message
        raise AssertionError(f"import cycle: {err.args[1]}") from None


def test_a_circle_through_a_subpackage_is_seen() -> None:
    """The graph has the edge a subpackage's ``__init__`` adds."""
    graph = _graph("sms_emulator")
    assert "sms_emulator.turkey_sms" in graph["sms_emulator.server"]
    assert "sms_emulator.turkey_sms.dispatch" in graph["sms_emulator.turkey_sms"]
    assert "sms_emulator.turkey_sms" not in graph["sms_emulator.turkey_sms.sends"]


def test_the_control_api_and_the_inbox_do_not_import_the_server() -> None:
    graph = _graph("sms_emulator")
    assert "sms_emulator.server" not in graph["sms_emulator.admin"]
    assert "sms_emulator.server" not in graph["sms_emulator.inbox"]


def test_the_file_home_assistant_runs_imports_nothing_of_the_project() -> None:
    """``local_hass.http_store`` runs in Home Assistant's Python, alone."""
    assert not _graph("local_hass")["local_hass.http_store"]
    assert _imports(REPO / "local_hass" / "__init__.py") == set()


@pytest.mark.parametrize("folder", SMALL_FILE_FOLDERS)
def test_no_file_is_longer_than_400_lines(folder: str) -> None:
    long = {}
    for path in sorted((REPO / folder).rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        try:
            lines = len(path.read_text("utf-8").splitlines())
        except UnicodeDecodeError:
            continue
        if lines > MAX_LINES:
            long[path.relative_to(REPO).as_posix()] = lines
    assert not long
