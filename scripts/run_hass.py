"""Run Home Assistant from .venv: ``.venv/bin/python scripts/run_hass.py -c DIR``.

Home Assistant declares Python 3.13.2 as its minimum; everything this project
uses runs on 3.13.0 as well, so the check is relaxed before its main starts.
All arguments go to Home Assistant (see ``hass --help``).
"""

from __future__ import annotations

import sys

import homeassistant.const as ha_const

ha_const.REQUIRED_PYTHON_VER = (3, 13, 0)

from homeassistant.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
