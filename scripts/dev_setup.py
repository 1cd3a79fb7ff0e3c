"""Prepare a running Home Assistant for development, over its HTTP API only.

``.venv/bin/python scripts/dev_setup.py --ha URL --emulator URL`` finishes the
onboarding with the demo owner (or logs in when that is done), then adds a
Turkey SMS and a HiSMS account against the emulator, each with one recipient,
unless accounts of the integration exist already. Running it twice changes
nothing. ``--prepare CONFIG_DIR`` only writes the configuration directory.
The work is done by ``local_hass/``, which the end-to-end tests use too.
"""

from __future__ import annotations

import argparse
from pathlib import Path
import sys
import urllib.parse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from local_hass.api import HomeAssistantApi, HomeAssistantApiError
from local_hass.config_dir import prepare_config_dir
from local_hass.demo import OWNER, add_demo_accounts
from local_hass.process import HASS_READY_PATH, ServerNotReadyError, wait_until_up


def main(argv: list[str] | None = None) -> int:
    """Onboard and add the demo accounts; exit status 1 on failure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ha", default="http://127.0.0.1:8123")
    parser.add_argument("--emulator", default="http://127.0.0.1:8124")
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument(
        "--prepare",
        metavar="CONFIG_DIR",
        type=Path,
        help="only write the configuration directory for --ha's port, then exit",
    )
    args = parser.parse_args(argv)
    if args.prepare:
        port = urllib.parse.urlsplit(args.ha).port or 8123
        prepare_config_dir(args.prepare, port)
        return 0
    try:
        wait_until_up(args.ha + HASS_READY_PATH, args.timeout)
        api = HomeAssistantApi(args.ha)
        if api.onboard(OWNER):
            print(f"Onboarding done: owner {OWNER.name!r} created")
        else:
            print("Onboarding was done before; logged in")
        if existing := api.entries():
            titles = ", ".join(entry["title"] for entry in existing)
            print(f"SMS Gateway accounts already there: {titles}")
        else:
            titles = ", ".join(add_demo_accounts(api, args.emulator))
            print(f"Added SMS Gateway accounts: {titles}")
    except (HomeAssistantApiError, ServerNotReadyError, OSError) as err:
        print(f"dev setup failed: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
