"""Fixtures for the emulator tests: a plain HTTP client, the API and a manual clock.

The ``emulator`` fixture comes from ``sms_emulator.pytest_plugin`` (loaded by the
top-level conftest; imported here too so this folder also runs on its own).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from sms_emulator import Emulator, ManualClock
from sms_emulator.pytest_plugin import emulator, emulator_seed  # noqa: F401

from .helpers import Api


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """The emulator tests need no Home Assistant instance."""


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    """A client session, closed after the test."""
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def api(http: aiohttp.ClientSession, emulator: Emulator) -> Api:  # noqa: F811
    """The provider endpoints and the control API of the running emulator."""
    return Api(http, emulator)


@pytest.fixture
def clock(emulator: Emulator) -> ManualClock:  # noqa: F811
    """Put the running emulator on a clock that only the test moves."""
    manual = ManualClock()
    emulator.clock = manual
    return manual
