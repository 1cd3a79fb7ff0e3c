"""The integration's modules: one direction of imports, short files, each named in the README."""

from __future__ import annotations

from pathlib import Path
import re
from types import ModuleType

import pytest

import custom_components.sms_gateway as integration

from .module_graph import assert_no_import_cycle, import_graph

REPOSITORY = Path(__file__).parent.parent
PACKAGE = Path(integration.__file__).parent
MAX_LINES = 400

_ENTRY = re.compile(r"^(?P<indent> *)- `(?P<name>[^`]+)`")


def _package(root: Path, files: dict[str, str]) -> ModuleType:
    """A package on disk, never imported: ``{"a.py": source}``."""
    root.mkdir()
    for name, source in {"__init__.py": "", **files}.items():
        (root / name).write_text(source, "utf-8")
    package = ModuleType(root.name)
    package.__file__ = str(root / "__init__.py")
    return package


def test_no_two_modules_of_the_integration_import_each_other_in_a_circle() -> None:
    """Type-only imports never run, so they may point back."""
    assert_no_import_cycle(import_graph(integration, type_only=False))


def test_the_cycle_check_finds_a_circle_but_not_through_type_only_imports(
    tmp_path: Path,
) -> None:
    package = _package(
        tmp_path / "pkg",
        {
            "a.py": "from .b import B\n",
            "b.py": "from . import c\n",
            "c.py": "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from .a import A\n",
        },
    )
    assert_no_import_cycle(import_graph(package, type_only=False))
    with pytest.raises(AssertionError) as failure:
        assert_no_import_cycle(import_graph(package, type_only=True))
    circle = str(failure.value).removeprefix("import cycle: ").split(" -> ")
    assert circle[0] == circle[-1]
    start = circle.index("pkg.a")
    assert circle[start:-1] + circle[:start] == ["pkg.a", "pkg.b", "pkg.c"]


def test_a_name_from_the_package_itself_closes_a_circle_through_its_init(
    tmp_path: Path,
) -> None:
    package = _package(
        tmp_path / "pkg",
        {"__init__.py": "from .a import A\n", "a.py": "from . import DOMAIN\n"},
    )
    with pytest.raises(AssertionError, match="import cycle"):
        assert_no_import_cycle(import_graph(package, type_only=False))


def test_no_module_of_the_integration_is_longer_than_400_lines() -> None:
    lengths = {
        str(path.relative_to(PACKAGE)): len(path.read_text("utf-8").splitlines())
        for path in PACKAGE.rglob("*.py")
    }
    assert lengths
    too_long = {name: n for name, n in lengths.items() if n > MAX_LINES}
    assert not too_long, f"split these modules (lines): {too_long}"


def _readme_layout() -> list[str]:
    """The lines of the README's "Layout" section."""
    text = (REPOSITORY / "README.md").read_text("utf-8")
    section = text.split("\n### Layout\n", 1)[1]
    return re.split(r"\n#{1,3} ", section, maxsplit=1)[0].splitlines()


def _modules_in_readme() -> list[str]:
    """Every module the Layout names, one line each, under its package's line."""
    modules: list[str] = []
    folder = ""
    for line in _readme_layout():
        entry = _ENTRY.match(line)
        if entry is None:
            assert not (folder and line.startswith("    ")), (
                f"README Layout: one line per module, not {line.strip()!r}"
            )
            continue
        if not entry["indent"]:
            name = entry["name"]
            folder = name if name.startswith("custom_components/") else ""
        elif folder:
            assert entry["name"].endswith(".py"), f"README Layout: {line}"
            modules.append(folder + entry["name"])
    return modules


def test_the_readme_layout_names_every_module_of_the_integration_once() -> None:
    named = _modules_in_readme()
    there = {
        str(path.relative_to(REPOSITORY))
        for path in PACKAGE.rglob("*.py")
        if "__pycache__" not in path.parts
    }
    problems = {
        "add a line for": sorted(there - set(named)),
        "remove the line of": sorted(set(named) - there),
        "keep one line of": sorted({name for name in named if named.count(name) > 1}),
    }
    wrong = {fix: names for fix, names in problems.items() if names}
    assert not wrong, "README.md, section Layout: " + "; ".join(
        f"{fix} {', '.join(names)}" for fix, names in wrong.items()
    )
