"""Fixtures shared by every test: the emulator and configured accounts."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
import logging
from typing import Any
from unittest.mock import patch
import warnings

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntry, ConfigFlow, ConfigSubentryData
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion

# Imported first so that this package, not the test harness's, is found.
from custom_components import sms_gateway
from custom_components.sms_gateway import pipeline
from custom_components.sms_gateway.const import DOMAIN, UPDATE_INTERVAL
from sms_emulator import Emulator, Fault, demo_accounts

pytest_plugins = ["sms_emulator.pytest_plugin", "tests.sends"]

INTEGRATION = "custom_components.sms_gateway"
DEMO = demo_accounts()
TURKEY_API_KEY = DEMO.turkey_api_key
TURKEY_USER_ID = DEMO.turkey_user_id
HISMS_USERNAME = DEMO.hisms_username
HISMS_PASSWORD = DEMO.hisms_password
SENDER = DEMO.sender
AYSE = "+905321234567"
MEHMET = "+905441234567"
SARA = "+966501234567"

POLL_FAULTS = [
    pytest.param(Fault("http_status", status=500), id="http_500"),
    pytest.param(Fault("drop_before"), id="dropped"),
    pytest.param(Fault("html_error"), id="html_error"),
    pytest.param(Fault("malformed_json"), id="malformed_json"),
    pytest.param(Fault("rate_limited"), id="rate_limited"),
]
"""Every way the provider fails to answer a poll, for as long as it lasts."""


async def let_time_pass(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, delta: timedelta | float
) -> None:
    """Move the clock on (a timedelta or seconds) and run what falls due."""
    freezer.tick(delta if isinstance(delta, timedelta) else timedelta(seconds=delta))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


async def poll(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Let one update interval pass."""
    await let_time_pass(hass, freezer, UPDATE_INTERVAL)


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load this custom integration in every test."""


def reports_about_us(
    records: list[logging.LogRecord], caught: list[warnings.WarningMessage]
) -> list[str]:
    """What Home Assistant or Python said is deprecated or soon breaking in our code.

    Home Assistant's ``helpers.frame`` logs "Detected that custom integration
    'sms_gateway' ..." for a use that stops working in a later release;
    deprecation warnings name the integration or come from its files.
    """
    found = [
        record.getMessage()
        for record in records
        if f"custom integration '{DOMAIN}'" in record.getMessage()
        or (
            record.levelno >= logging.WARNING
            and "deprecat" in record.getMessage().lower()
            and DOMAIN in record.getMessage()
        )
    ]
    found += [
        str(warning.message)
        for warning in caught
        if issubclass(warning.category, DeprecationWarning | PendingDeprecationWarning)
        and (DOMAIN in str(warning.message) or f"/{DOMAIN}/" in warning.filename)
    ]
    return found


@pytest.fixture(autouse=True)
def no_deprecated_use(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Fail the test if Home Assistant reports a deprecated use by the integration.

    ``helpers.frame`` reports each use once per process; the test harness
    (``reset_globals``) makes it forget after every test, so a use an earlier
    test made is reported again here (tests/test_deprecation_guard.py).
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    if found := reports_about_us(caplog.records, caught):
        pytest.fail("Home Assistant reported: " + " | ".join(found))


@pytest.fixture(autouse=True)
def no_pause_between_attempts(monkeypatch: pytest.MonkeyPatch) -> None:
    """The backoff between the attempts of one send is not slept in tests.

    Tests that check the waits patch ``pipeline.pause`` with a recorder.
    """

    async def instant(_seconds: float) -> None:
        return None

    monkeypatch.setattr(pipeline, "pause", instant)


@pytest.fixture(autouse=True)
def flows_leave_reloading_to_update_listeners() -> Iterator[None]:
    """Home Assistant 2026.12's rule, on every release the suite runs on.

    An entry with an update listener reloads through it: a flow that reloads
    it too gets ``ValueError`` (as subentry flows and ``OptionsFlowWithReload``
    already do on older releases).
    """
    original = ConfigFlow.async_update_reload_and_abort

    def guarded(self: ConfigFlow, entry: ConfigEntry, **kwargs: Any) -> Any:
        if entry.update_listeners:
            raise ValueError("Cannot update and reload entry with update listeners")
        return original(self, entry, **kwargs)

    with patch.object(ConfigFlow, "async_update_reload_and_abort", guarded):
        yield


@pytest.fixture
def setups() -> Iterator[list[str]]:
    """The entry id of every account set up, in order: counts reloads.

    The real setup runs; only the count is added.
    """
    done: list[str] = []
    original = sms_gateway.async_setup_entry

    async def counted(hass: HomeAssistant, entry: ConfigEntry) -> bool:
        done.append(entry.entry_id)
        return await original(hass, entry)

    with patch.object(sms_gateway, "async_setup_entry", counted):
        yield done


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Snapshots in tests/snapshots, serialised the Home Assistant way.

    pytest-homeassistant-custom-component provides the same fixture, but on
    newer releases syrupy's own fixture wins the override, so it is set here.
    """
    return snapshot.use_extension(HomeAssistantSnapshotExtension)


@pytest.fixture(autouse=True)
def loopback_sockets(socket_enabled: None) -> None:
    """The emulator is real HTTP on 127.0.0.1; other hosts stay blocked."""


@dataclass(frozen=True)
class StoredAccount:
    """An account as Home Assistant stores its entry, less the emulator's address.

    The keys are written out, not taken from the integration's constants: a
    renamed key must fail these tests before it loses the accounts users have.
    """

    title: str
    unique_id: str
    credentials: dict[str, str]
    region: str
    recipients: dict[str, list[str]]
    """Each recipient's title and numbers."""

    def entry(self, emulator: Emulator) -> MockConfigEntry:
        """The account on the emulator, with the default options of its region."""
        return MockConfigEntry(
            domain=DOMAIN,
            title=self.title,
            unique_id=self.unique_id,
            data={**self.credentials, "sender": SENDER, "base_url": emulator.base_url},
            options={
                "default_region": self.region,
                "low_balance_threshold": 50,
                "max_segments": 6,
            },
            subentries_data=[
                ConfigSubentryData(
                    subentry_type="recipient",
                    title=title,
                    data={"numbers": numbers},
                    unique_id=None,
                )
                for title, numbers in self.recipients.items()
            ],
        )


TURKEY_SMS_ACCOUNT = StoredAccount(
    title="Turkey SMS Demo Home",
    unique_id=TURKEY_USER_ID,
    credentials={"provider": "turkey_sms", "api_key": TURKEY_API_KEY},
    region="TR",
    recipients={"Ayşe": [AYSE], "Family": [AYSE, MEHMET]},
)
HISMS_ACCOUNT = StoredAccount(
    title="HiSMS",
    unique_id=HISMS_USERNAME,
    credentials={
        "provider": "hisms",
        "username": HISMS_USERNAME,
        "password": HISMS_PASSWORD,
    },
    region="SA",
    recipients={"Sara": [SARA]},
)


@pytest.fixture
def turkey_sms_entry(emulator: Emulator) -> MockConfigEntry:
    """A Turkey SMS account on the emulator, with two recipients."""
    return TURKEY_SMS_ACCOUNT.entry(emulator)


@pytest.fixture
def hisms_entry(emulator: Emulator) -> MockConfigEntry:
    """A HiSMS account on the emulator, with one recipient."""
    return HISMS_ACCOUNT.entry(emulator)


@pytest.fixture(params=["turkey_sms_entry", "hisms_entry"], ids=["turkey_sms", "hisms"])
def account_entry(
    request: pytest.FixtureRequest, emulator: Emulator
) -> MockConfigEntry:
    """Each provider's account in turn, not yet set up."""
    entry: MockConfigEntry = request.getfixturevalue(request.param)
    return entry


async def setup_entry(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Add an entry to Home Assistant and wait until it is loaded."""
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


@pytest.fixture
async def turkey_sms(
    hass: HomeAssistant, turkey_sms_entry: MockConfigEntry
) -> MockConfigEntry:
    """The Turkey SMS account, set up."""
    await setup_entry(hass, turkey_sms_entry)
    return turkey_sms_entry


@pytest.fixture
async def hisms(hass: HomeAssistant, hisms_entry: MockConfigEntry) -> MockConfigEntry:
    """The HiSMS account, set up."""
    await setup_entry(hass, hisms_entry)
    return hisms_entry


@pytest.fixture(params=["turkey_sms", "hisms"])
def account(request: pytest.FixtureRequest) -> MockConfigEntry:
    """Each provider's account in turn, set up."""
    entry: MockConfigEntry = request.getfixturevalue(request.param)
    return entry
