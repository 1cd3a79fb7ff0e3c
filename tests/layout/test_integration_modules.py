"""The integration's modules import in one direction, stay short, and are each named in the README."""

from __future__ import annotations

from pathlib import Path
import re

import pytest

from .module_graph import REPO, assert_no_import_cycle, import_graph, long_files

INTEGRATION = "custom_components.sms_gateway"
PACKAGE = REPO / "custom_components" / "sms_gateway"

_ENTRY = re.compile(r"^(?P<indent> *)- `(?P<name>[^`]+)`")


def _package(root: Path, files: dict[str, str]) -> str:
    """A package ``pkg`` on disk below ``root``, never imported."""
    (root / "pkg").mkdir()
    for name, source in {"__init__.py": "", **files}.items():
        (root / "pkg" / name).write_text(source, "utf-8")
    return "pkg"


def test_no_two_modules_of_the_integration_import_each_other_in_a_circle() -> None:
    """Type-only imports never run, so they may point back."""
    graph = import_graph(INTEGRATION, type_only=False)
    assert f"{INTEGRATION}.client" in graph[f"{INTEGRATION}.coordinator"]
    assert_no_import_cycle(graph)


def test_the_cycle_check_sees_a_circle_but_not_through_type_only_imports(
    tmp_path: Path,
) -> None:
    package = _package(
        tmp_path,
        {
            "a.py": "from .b import B\n",
            "b.py": "from . import c\n",
            "c.py": "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from .a import A\n",
        },
    )
    assert_no_import_cycle(import_graph(package, tmp_path, type_only=False))
    with pytest.raises(AssertionError) as failure:
        assert_no_import_cycle(import_graph(package, tmp_path, type_only=True))
    circle = str(failure.value).removeprefix("import cycle: ").split(" -> ")
    assert circle[0] == circle[-1]
    start = circle.index("pkg.a")
    assert circle[start:-1] + circle[:start] == ["pkg.a", "pkg.b", "pkg.c"]


def test_no_module_of_the_integration_is_longer_than_400_lines() -> None:
    assert not long_files("custom_components/sms_gateway", "*.py")


def _readme_layout() -> list[str]:
    """The lines of the README's "Layout" section."""
    text = (REPO / "README.md").read_text("utf-8")
    section = text.split("\n### Layout\n", 1)[1]
    return re.split(r"\n#{1,3} ", section, maxsplit=1)[0].splitlines()


def _modules_in_readme() -> list[str]:
    """Every module the Layout names, one line each, under its package's line."""
    named: list[str] = []
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
            named.append(folder + entry["name"])
    return named


def test_the_readme_layout_names_every_module_of_the_integration_once() -> None:
    named = _modules_in_readme()
    there = {
        path.relative_to(REPO).as_posix()
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
