"""The emulator and the local Home Assistant stand on their own, their modules
import each other in one direction, and no file of theirs or of scripts/ grows
past what a reader takes in at once."""

from __future__ import annotations

import pytest

from .module_graph import (
    REPO,
    assert_no_import_cycle,
    import_graph,
    imports,
    long_files,
    modules,
)

PACKAGES = ("sms_emulator", "local_hass")
SMALL_FILE_FOLDERS = ("sms_emulator", "local_hass", "scripts")


@pytest.mark.parametrize("package", PACKAGES)
def test_nothing_imports_the_integration(package: str) -> None:
    for module, names in modules(package).items():
        assert not any(n.split(".")[0] == "custom_components" for n in names), module


@pytest.mark.parametrize("package", PACKAGES)
def test_no_two_modules_import_each_other_in_a_circle(package: str) -> None:
    assert_no_import_cycle(import_graph(package))


def test_a_circle_through_a_subpackage_is_seen() -> None:
    """The graph has the edge a subpackage's ``__init__`` adds."""
    graph = import_graph("sms_emulator")
    assert "sms_emulator.turkey_sms" in graph["sms_emulator.server"]
    assert "sms_emulator.turkey_sms.dispatch" in graph["sms_emulator.turkey_sms"]
    assert "sms_emulator.turkey_sms" not in graph["sms_emulator.turkey_sms.sends"]


def test_the_control_api_and_the_inbox_do_not_import_the_server() -> None:
    graph = import_graph("sms_emulator")
    assert "sms_emulator.server" not in graph["sms_emulator.admin"]
    assert "sms_emulator.server" not in graph["sms_emulator.inbox"]


def test_the_file_home_assistant_runs_imports_nothing_of_the_project() -> None:
    """``local_hass.http_store`` runs in Home Assistant's Python, alone."""
    assert not import_graph("local_hass")["local_hass.http_store"]
    assert imports(REPO / "local_hass" / "__init__.py") == set()


@pytest.mark.parametrize("folder", SMALL_FILE_FOLDERS)
def test_no_file_is_longer_than_400_lines(folder: str) -> None:
    assert not long_files(folder)
