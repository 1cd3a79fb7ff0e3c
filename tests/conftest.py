"""Fixtures shared by every test: the emulator and configured accounts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
import logging
import warnings

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigSubentryData
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion

# Imported first so that this package, not the test harness's, is found.
import custom_components.sms_gateway  # noqa: F401
from custom_components.sms_gateway.const import (
    CONF_BASE_URL,
    CONF_DEFAULT_REGION,
    CONF_LOW_BALANCE_THRESHOLD,
    CONF_MAX_SEGMENTS,
    CONF_NUMBERS,
    CONF_PROVIDER,
    CONF_SENDER,
    DOMAIN,
    SUBENTRY_RECIPIENT,
    UPDATE_INTERVAL,
)
from sms_emulator import Emulator

pytest_plugins = ["sms_emulator.pytest_plugin"]

TURKEY_API_KEY = "demo-turkey-key"
TURKEY_USER_ID = "100200"
HISMS_USERNAME = "966500000001"
HISMS_PASSWORD = "demo-password"
SENDER = "HOMEALERT"
AYSE = "+905321234567"
MEHMET = "+905441234567"
SARA = "+966501234567"


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
    """Fail the test if Home Assistant reports a deprecated use by the integration."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    if found := reports_about_us(caplog.records, caught):
        pytest.fail("Home Assistant reported: " + " | ".join(found))


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


def _recipient(title: str, *numbers: str) -> ConfigSubentryData:
    return ConfigSubentryData(
        subentry_type=SUBENTRY_RECIPIENT,
        title=title,
        data={CONF_NUMBERS: list(numbers)},
        unique_id=None,
    )


def _account_entry(
    emulator: Emulator,
    *,
    title: str,
    unique_id: str,
    credentials: dict[str, str],
    region: str,
    recipients: list[ConfigSubentryData],
) -> MockConfigEntry:
    """An account on the emulator with the default options of its region."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=title,
        unique_id=unique_id,
        data={
            **credentials,
            CONF_SENDER: SENDER,
            CONF_BASE_URL: emulator.base_url,
        },
        options={
            CONF_DEFAULT_REGION: region,
            CONF_LOW_BALANCE_THRESHOLD: 50,
            CONF_MAX_SEGMENTS: 6,
        },
        subentries_data=recipients,
    )


@pytest.fixture
def turkey_sms_entry(emulator: Emulator) -> MockConfigEntry:
    """A Turkey SMS account on the emulator, with two recipients."""
    return _account_entry(
        emulator,
        title="Turkey SMS Demo Home",
        unique_id=TURKEY_USER_ID,
        credentials={CONF_PROVIDER: "turkey_sms", "api_key": TURKEY_API_KEY},
        region="TR",
        recipients=[_recipient("Ayşe", AYSE), _recipient("Family", AYSE, MEHMET)],
    )


@pytest.fixture
def hisms_entry(emulator: Emulator) -> MockConfigEntry:
    """A HiSMS account on the emulator, with one recipient."""
    return _account_entry(
        emulator,
        title="HiSMS",
        unique_id=HISMS_USERNAME,
        credentials={
            CONF_PROVIDER: "hisms",
            "username": HISMS_USERNAME,
            "password": HISMS_PASSWORD,
        },
        region="SA",
        recipients=[_recipient("Sara", SARA)],
    )


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
