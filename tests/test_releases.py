"""What the integration asks of the Home Assistant releases it supports."""

from __future__ import annotations

import importlib.metadata
import json
from pathlib import Path
import re
import sys

import homeassistant  # noqa: F401 - from 2026.9 on, it names the schema library
import voluptuous as vol

REPO = Path(__file__).resolve().parents[1]
MANIFEST = json.loads(
    (REPO / "custom_components" / "sms_gateway" / "manifest.json").read_text()
)


def test_the_oldest_release_tested_is_the_one_hacs_json_names() -> None:
    minimum = json.loads((REPO / "hacs.json").read_text())["homeassistant"]
    pinned = re.search(
        r"^homeassistant==(\S+)$",
        (REPO / "requirements" / "oldest.txt").read_text(),
        re.MULTILINE,
    )
    assert pinned is not None
    assert pinned.group(1).split(".")[:2] == minimum.split(".")[:2]


def test_schemas_use_the_validation_library_of_home_assistant_itself() -> None:
    """``import voluptuous`` is Home Assistant's own engine on every release.

    Up to 2026.8 Home Assistant depends on voluptuous; from 2026.9 on it
    validates with probatio and registers it under the name ``voluptuous``, so
    the integration never relies on a voluptuous that only happens to be
    installed.
    """
    requires = importlib.metadata.requires("homeassistant") or []
    if any(requirement.startswith("probatio") for requirement in requires):
        assert vol is sys.modules["probatio._vol_shim"]
    else:
        assert any(requirement.startswith("voluptuous") for requirement in requires)
        assert vol.__name__ == "voluptuous"
    assert not [
        requirement
        for requirement in MANIFEST["requirements"]
        if requirement.startswith(("voluptuous", "probatio"))
    ]


def test_the_manifest_requirements_are_the_runtime_pins() -> None:
    runtime = [
        line
        for line in (REPO / "requirements" / "runtime.txt").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    assert MANIFEST["requirements"] == runtime
