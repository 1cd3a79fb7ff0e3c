"""A Home Assistant configuration directory that loads this repository's integration.

Written from the files in ``templates/``; files that exist are kept, so a
second run reuses everything. Location, units and analytics (off) are settled
by ``configuration.yaml``, so ``templates/onboarding.json`` marks those
onboarding steps done up front: completing them over the API would also start
the onboarding integrations (weather, radio, text to speech), which need the
internet. The owner account is still created by onboarding.
"""

from __future__ import annotations

import json
from pathlib import Path
from string import Template
import subprocess
from typing import Any, Final

from .process import REPO, hass_python

TEMPLATES: Final = Path(__file__).resolve().parent / "templates"


def prepare_config_dir(config_dir: Path, port: int) -> None:
    """Write what is missing of a configuration directory serving on ``port``."""
    storage = config_dir / ".storage"
    storage.mkdir(parents=True, exist_ok=True)
    configuration = config_dir / "configuration.yaml"
    if not configuration.exists():
        store = http_store(port)
        if store is not None:
            (storage / "http").write_text(json.dumps(store, indent=2))
            http = ""
        else:
            http = _template("http.yaml", port=port)
        configuration.write_text(_template("configuration.yaml", http=http))
    _copy_once("automations.yaml", config_dir / "automations.yaml")
    _copy_once("onboarding.json", storage / "onboarding")
    components = config_dir / "custom_components"
    if not components.exists() and not components.is_symlink():
        components.symlink_to(REPO / "custom_components", target_is_directory=True)


def http_store(port: int) -> dict[str, Any] | None:
    """The stored HTTP settings for the Home Assistant that will run, if it keeps them."""
    output = subprocess.run(  # noqa: S603 - the Python named by SMS_GATEWAY_HASS_PYTHON
        [*hass_python(), "-m", "local_hass.http_store", str(port)],
        check=True,
        capture_output=True,
        text=True,
        cwd=REPO,
    ).stdout
    return json.loads(output) if output.strip() else None


def _template(name: str, **values: object) -> str:
    return Template((TEMPLATES / name).read_text("utf-8")).substitute(values)


def _copy_once(name: str, target: Path) -> None:
    if not target.exists():
        target.write_text((TEMPLATES / name).read_text("utf-8"))
