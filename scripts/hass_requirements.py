"""Print the requirements of Home Assistant integrations, as the installed release pins them.

A real Home Assistant process (scripts/develop, tests/e2e) runs with ``--skip-pip``,
so the packages of the integrations it loads are installed up front, at exactly
the versions the installed release's manifests name.
Moving to another release is then a change of the ``homeassistant`` pin alone.

    python scripts/hass_requirements.py frontend conversation ...
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
import sys

# What a real instance of the development configuration imports while it
# describes the actions and devices to the browser. The frontend itself is
# pinned in the requirements file next to its release (its newest patch can be
# newer than the manifest's).
REAL_INSTANCE = (
    "conversation",
    "assist_pipeline",
    "camera",
    "tts",
    "ffmpeg",
)


def manifest_requirements(names: tuple[str, ...] | list[str]) -> list[str]:
    """The pinned requirements of these integrations, de-duplicated, in order."""
    spec = importlib.util.find_spec("homeassistant.components")
    assert spec is not None
    assert spec.submodule_search_locations is not None
    components = Path(next(iter(spec.submodule_search_locations)))
    seen: dict[str, None] = {}
    for name in names:
        manifest = json.loads((components / name / "manifest.json").read_text())
        for requirement in manifest.get("requirements", []):
            seen.setdefault(requirement, None)
    return list(seen)


if __name__ == "__main__":
    print("\n".join(manifest_requirements(sys.argv[1:] or list(REAL_INSTANCE))))
