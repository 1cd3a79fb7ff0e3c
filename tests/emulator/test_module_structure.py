"""The emulator stands on its own and its modules import each other in one direction."""

from __future__ import annotations

import sms_emulator
from tests.module_graph import assert_no_import_cycle, import_graph


def _modules() -> dict[str, set[str]]:
    """Type-only imports count: the emulator has no reason for any cycle."""
    return import_graph(sms_emulator, type_only=True)


def test_the_emulator_imports_nothing_from_the_integration() -> None:
    for module, names in _modules().items():
        assert not any(n.split(".")[0] == "custom_components" for n in names), module


def test_no_two_emulator_modules_import_each_other_in_a_circle() -> None:
    graph = _modules()
    assert_no_import_cycle(graph)
    assert "sms_emulator.server" not in graph["sms_emulator.admin"]
    assert "sms_emulator.server" not in graph["sms_emulator.inbox"]
