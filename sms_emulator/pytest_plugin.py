"""Pytest fixtures: a running emulator per test.

Load with ``pytest_plugins = ["sms_emulator.pytest_plugin"]``. Override
``emulator_seed`` in a test module or conftest to start from other data. Under
pytest-homeassistant-custom-component sockets are blocked; the fixture asks for
``socket_enabled`` when that plugin is present, and serves on 127.0.0.1 only.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
import contextlib

import pytest
import pytest_asyncio

from .seed import Seed
from .server import Emulator


@pytest.fixture
def emulator_seed() -> Seed:
    """The seed the ``emulator`` fixture starts from (the shipped default)."""
    return Seed.default()


@pytest_asyncio.fixture
async def emulator(
    request: pytest.FixtureRequest, emulator_seed: Seed
) -> AsyncIterator[Emulator]:
    """An emulator serving on 127.0.0.1, stopped after the test."""
    with contextlib.suppress(pytest.FixtureLookupError):
        request.getfixturevalue("socket_enabled")
    emu = Emulator(emulator_seed)
    await emu.start(host="127.0.0.1", port=0)
    try:
        yield emu
    finally:
        await emu.stop()
