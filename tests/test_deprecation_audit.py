"""Every deprecation Home Assistant announces at an API the integration uses is reviewed."""

from __future__ import annotations

from pathlib import Path

import homeassistant

from .scripts import load_script

audit = load_script("deprecation_audit.py", "deprecation_audit")


def test_the_running_home_assistant_announces_nothing_unreviewed() -> None:
    root = audit.home_assistant_root()
    assert root == Path(homeassistant.__file__).parent
    known, new = audit.audit(
        root, audit.INTEGRATION, audit.read_reviewed(audit.REVIEWED)
    )
    assert known, "the audit finds none of the sites the list reviews"
    assert not new, "\n".join(
        f"{site.key} (reached through {', '.join(through)})" for site, through in new
    )


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_a_site_at_a_used_api_fails_until_it_is_reviewed(tmp_path: Path) -> None:
    root = tmp_path / "homeassistant"
    _write(
        root / "helpers" / "thing.py",
        "from .frame import report_usage\n"
        "class Thing:\n"
        "    def used(self):\n"
        "        self._check()\n"
        "    def _check(self):\n"
        "        report_usage('does it', breaks_in_ha_version='2099.1')\n"
        "    def unused(self):\n"
        "        report_usage('does the other')\n"
        "@deprecated_function('b', breaks_in_ha_version='2099.2')\n"
        "def old_helper():\n"
        "    pass\n",
    )
    _write(
        root / "components" / "other" / "__init__.py",
        "def used():\n    report_usage('elsewhere')\n",
    )
    integration = tmp_path / "custom_components" / "demo"
    _write(
        integration / "__init__.py",
        "from homeassistant.helpers.thing import Thing, old_helper\nThing().used()\n",
    )

    known, new = audit.audit(root, integration, {})
    assert not known
    assert sorted(site.key for site, _ in new) == [
        'homeassistant.helpers.thing:Thing._check report_usage(2099.1) "does it"',
        'homeassistant.helpers.thing:old_helper deprecated_function(2099.2) "b"',
    ]

    reviewed = {site.key: "Not called the way it reports." for site, _ in new}
    known, new = audit.audit(root, integration, reviewed)
    assert len(known) == 2
    assert not new
