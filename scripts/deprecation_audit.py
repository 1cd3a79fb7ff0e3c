"""Audit the deprecations Home Assistant announces in its source against the integration.

Home Assistant announces a coming break in its own source: a ``report_usage(...)``
call, or a ``breaks_in_ha_version`` on a deprecated function, class, constant or
repair issue. This script reads the source of the Home Assistant installed next to
the interpreter that runs it, finds every such *site*, and keeps those that concern
an API the integration uses: the site is in Home Assistant itself (not in an
integration) or in an integration the integration imports from, and it lies in a
function, class or constant whose name the integration imports, calls, reads or
defines, or in a function of the same module that one of those calls.

Each site found must have a line in the reviewed list (``tests/deprecation_audit.txt``)
that says why it does not concern us. A site without one is printed as
``NEW`` and the exit status is 1. Lines of the list whose site this release does not
have are fine: the list serves every release the project is tested on.

    python scripts/deprecation_audit.py            # the installed Home Assistant
    python scripts/deprecation_audit.py --all      # also the reviewed sites

The list has one line per site, ``<site> | <verdict>``; ``#`` starts a comment.
"""

from __future__ import annotations

import argparse
import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
import importlib.metadata
import importlib.util
from pathlib import Path
import sys

REPO = Path(__file__).resolve().parents[1]
INTEGRATION = REPO / "custom_components" / "sms_gateway"
REVIEWED = REPO / "tests" / "deprecation_audit.txt"

# Calls that announce a deprecation without naming ``breaks_in_ha_version``.
REPORTERS = {"report_usage"}
DEPRECATED_VALUES = {"DeprecatedConstant", "DeprecatedConstantEnum", "DeprecatedAlias"}
DEPRECATED_PREFIX = "_DEPRECATED_"
MARKERS = (*REPORTERS, *DEPRECATED_VALUES, "breaks_in_ha_version")


@dataclass(frozen=True)
class Site:
    """One announcement of a deprecation in Home Assistant's source."""

    module: str
    scope: tuple[str, ...]
    kinds: tuple[str, ...]
    call: str
    breaks: str
    what: str
    path: Path
    line: int

    @property
    def key(self) -> str:
        """How the reviewed list names the site, stable across line moves."""
        scope = ".".join(self.scope) or "<module>"
        what = f' "{self.what}"' if self.what else ""
        return f"{self.module}:{scope} {self.call}({self.breaks}){what}"


@dataclass
class Usage:
    """What the integration takes from Home Assistant."""

    modules: set[str]
    names: set[str]


def _call_name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _text(node: ast.expr | None) -> str:
    """A string argument as written, with ``{}`` for the parts an f-string fills in."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        raw = node.value
    elif isinstance(node, ast.JoinedStr):
        raw = "".join(
            part.value
            if isinstance(part, ast.Constant) and isinstance(part.value, str)
            else "{}"
            for part in node.values
        )
    else:
        return ""
    words = " ".join(raw.split()).replace("|", "/").replace('"', "'")
    return words if len(words) <= 90 else words[:87] + "..."


def _site_of(call: ast.Call) -> tuple[str, str, str] | None:
    """(call name, breaking version, message) when this call announces a deprecation."""
    name = _call_name(call.func)
    breaks: ast.expr | None = next(
        (kw.value for kw in call.keywords if kw.arg == "breaks_in_ha_version"), None
    )
    if name in DEPRECATED_VALUES and breaks is None and call.args:
        breaks = call.args[-1]
    version = (
        breaks.value
        if isinstance(breaks, ast.Constant) and isinstance(breaks.value, str)
        else "-"
    )
    # Passing a variable on (``breaks_in_ha_version=breaks_in_ha_version``) is
    # the machinery, not a site.
    if version == "-" and name not in REPORTERS | DEPRECATED_VALUES:
        return None
    return name, version, _text(call.args[0] if call.args else None)


class _ModuleReader(ast.NodeVisitor):
    """The sites of one module, and which of its functions call which."""

    def __init__(self, module: str, path: Path) -> None:
        self.module = module
        self.path = path
        self.scope: list[str] = []
        self.kinds: list[str] = []
        self.sites: list[Site] = []
        self.calls: dict[str, set[str]] = {}

    def _enter(self, name: str, kind: str, node: ast.AST) -> None:
        self.scope.append(name)
        self.kinds.append(kind)
        # Decorators belong to what they decorate.
        self.generic_visit(node)
        self.scope.pop()
        self.kinds.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._enter(node.name, "def", node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._enter(node.name, "def", node)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._enter(node.name, "class", node)

    def visit_Assign(self, node: ast.Assign) -> None:
        self._assign(node.targets[0] if len(node.targets) == 1 else None, node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self._assign(node.target, node)

    def _assign(self, target: ast.expr | None, node: ast.AST) -> None:
        if isinstance(target, ast.Name) and "def" not in self.kinds:
            name = target.id.removeprefix(DEPRECATED_PREFIX)
            self._enter(name, "value", node)
        else:
            self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        # A dunder method calls on behalf of its class (``Class(...)``).
        caller = next(
            (name for name in reversed(self.scope) if not _is_dunder(name)), ""
        )
        if caller:
            self.calls.setdefault(caller, set()).add(_call_name(node.func))
        found = _site_of(node)
        if found is not None:
            call, breaks, what = found
            self.sites.append(
                Site(
                    self.module,
                    tuple(self.scope),
                    tuple(self.kinds),
                    call,
                    breaks,
                    what,
                    self.path,
                    node.lineno,
                )
            )
        self.generic_visit(node)


def _is_dunder(name: str) -> bool:
    return name.startswith("__") and name.endswith("__")


def _subjects(site: Site, calls: dict[str, set[str]]) -> set[str]:
    """The names an integration would use to reach the site.

    The functions around it; the class or constant when the site is in a class
    body, a decorator of the class, a constant or a ``__dunder__`` method
    (instantiating, subclassing); and the functions of the module that call one
    of those, transitively.
    """
    subjects = {
        name
        for name, kind in zip(site.scope, site.kinds, strict=True)
        if kind == "def" and not _is_dunder(name)
    }
    if not site.scope or site.kinds[-1] != "def" or _is_dunder(site.scope[-1]):
        subjects.update(
            name
            for name, kind in zip(site.scope, site.kinds, strict=True)
            if kind != "def"
        )
    while True:
        callers = {caller for caller, called in calls.items() if called & subjects}
        if callers <= subjects:
            return subjects
        subjects |= callers


def home_assistant_root() -> Path:
    """The installed ``homeassistant`` package of this interpreter."""
    spec = importlib.util.find_spec("homeassistant")
    if spec is None or spec.submodule_search_locations is None:
        raise SystemExit("Home Assistant is not installed for this Python")
    return Path(next(iter(spec.submodule_search_locations)))


def _module_name(root: Path, path: Path) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_home_assistant(module: str | None) -> bool:
    return module == "homeassistant" or (module or "").startswith("homeassistant.")


def read_usage(integration: Path, root: Path) -> Usage:
    """The Home Assistant modules the integration imports and every name it uses."""
    modules: set[str] = set()
    names: set[str] = set()
    for path in sorted(integration.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and _is_home_assistant(node.module):
                base = str(node.module)
                modules.add(base)
                for alias in node.names:
                    names.add(alias.name)
                    sub = root.parent.joinpath(*f"{base}.{alias.name}".split("."))
                    if sub.with_suffix(".py").exists() or sub.is_dir():
                        modules.add(f"{base}.{alias.name}")
            elif isinstance(node, ast.Import):
                modules.update(
                    alias.name for alias in node.names if _is_home_assistant(alias.name)
                )
            elif isinstance(node, ast.Name):
                names.add(node.id)
            elif isinstance(node, ast.Attribute):
                names.add(node.attr)
            elif isinstance(
                node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
            ):
                names.add(node.name)
    return Usage(modules, names)


def _integrations(modules: Iterable[str]) -> set[str]:
    """The Home Assistant integrations (``components.X``) these modules belong to."""
    return {
        ".".join(module.split(".")[:3])
        for module in modules
        if module.startswith("homeassistant.components.")
    }


def _source_files(root: Path, usage: Usage) -> Iterator[Path]:
    """Home Assistant itself, and the integrations the integration imports from."""
    imported = _integrations(usage.modules)
    for path in sorted(root.rglob("*.py")):
        module = _module_name(root, path)
        if module.startswith("homeassistant.components."):
            if not _integrations([module]) <= imported:
                continue
        elif module.startswith("homeassistant.scripts"):
            continue
        yield path


def find_sites(root: Path, usage: Usage) -> list[tuple[Site, list[str]]]:
    """Every site that concerns an API the integration uses, and the names it uses."""
    concerning: list[tuple[Site, list[str]]] = []
    for path in _source_files(root, usage):
        source = path.read_text(encoding="utf-8")
        if not any(marker in source for marker in MARKERS):
            continue
        reader = _ModuleReader(_module_name(root, path), path)
        reader.visit(ast.parse(source))
        concerning.extend(
            (site, sorted(through))
            for site in reader.sites
            if (through := _subjects(site, reader.calls) & usage.names)
        )
    return concerning


def read_reviewed(path: Path) -> dict[str, str]:
    """The reviewed list: site key to verdict."""
    reviewed: dict[str, str] = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, verdict = line.partition(" | ")
        if not sep or not verdict.strip():
            raise SystemExit(f"{path}:{number}: expected '<site> | <verdict>'")
        reviewed[key.strip()] = verdict.strip()
    return reviewed


def audit(
    root: Path, integration: Path, reviewed: dict[str, str]
) -> tuple[list[tuple[Site, str]], list[tuple[Site, list[str]]]]:
    """The reviewed sites with their verdicts, and the new ones with the names used."""
    known: list[tuple[Site, str]] = []
    new: list[tuple[Site, list[str]]] = []
    for site, through in find_sites(root, read_usage(integration, root)):
        if site.key in reviewed:
            known.append((site, reviewed[site.key]))
        else:
            new.append((site, through))
    return known, new


def main(argv: list[str] | None = None) -> int:
    """Print the audit of the installed Home Assistant; 1 when a site is new."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="print the reviewed sites")
    parser.add_argument("--reviewed", type=Path, default=REVIEWED)
    args = parser.parse_args(argv)
    root = home_assistant_root()
    known, new = audit(root, INTEGRATION, read_reviewed(args.reviewed))
    version = importlib.metadata.version("homeassistant")
    print(
        f"Deprecation audit of Home Assistant {version}: {len(known) + len(new)}"
        f" sites concern APIs the integration uses, "
        f"{len(new)} not reviewed"
    )
    for site, through in new:
        where = f"{site.path.relative_to(root.parent)}:{site.line}"
        print(
            f"NEW {site.key}\n    at {where}, reached through {', '.join(through)};"
            f" review it in {args.reviewed.name}"
        )
    if args.all:
        for site, verdict in known:
            print(f"ok  {site.key}\n    {verdict}")
    return 1 if new else 0


if __name__ == "__main__":
    sys.exit(main())
