"""A local Home Assistant for development and the end-to-end tests.

``scripts/develop`` (through ``scripts/dev_setup.py``) and ``tests/e2e`` both
use it, and reach Home Assistant only the way a user's browser does, over HTTP:

- :mod:`.config_dir` writes a configuration directory from ``templates/``;
- :mod:`.process` runs Home Assistant (or the emulator) and waits until it answers;
- :mod:`.api` is the HTTP client: onboarding, login, config and subentry flows;
- :mod:`.demo` is the demo owner and the demo accounts on the emulator.

This file imports nothing: Home Assistant's own Python runs
:mod:`.http_store`, which must not load the rest.
"""
