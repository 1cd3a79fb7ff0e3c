"""Diagnostics: useful for a bug report, with no secret and no phone number."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
import json
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
)
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from sms_emulator import Emulator, Fault

from .conftest import (
    AYSE,
    HISMS_PASSWORD,
    HISMS_USERNAME,
    MEHMET,
    SARA,
    TURKEY_API_KEY,
    poll,
    setup_entry,
)

PRIVATE = (TURKEY_API_KEY, HISMS_PASSWORD, HISMS_USERNAME, AYSE, MEHMET, SARA)

UNAVAILABLE = Fault("http_status", status=503)
"""Every request refused unprocessed: alerts are held, not lost."""

type Diagnose = Callable[[MockConfigEntry], Awaitable[dict[str, Any]]]


@pytest.fixture
def diagnose(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, emulator: Emulator
) -> Diagnose:
    """Download an account's diagnostics the way a user does; nothing private in them."""

    async def download(entry: MockConfigEntry) -> dict[str, Any]:
        diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
        assert_nothing_private(diagnostics, emulator)
        return diagnostics

    return download


def assert_nothing_private(diagnostics: object, emulator: Emulator) -> None:
    text = json.dumps(diagnostics)
    for value in (*PRIVATE, emulator.base_url or ""):
        assert value not in text
        # Numbers also in the digits-only and national forms.
        digits = value.lstrip("+")
        assert digits not in text
        assert digits[-9:] not in text


async def test_diagnostics(
    hass: HomeAssistant,
    diagnose: Diagnose,
    snapshot: SnapshotAssertion,
    account_entry: MockConfigEntry,
) -> None:
    await setup_entry(hass, account_entry)

    diagnostics = await diagnose(account_entry)

    assert diagnostics == snapshot


async def test_diagnostics_show_a_failing_poll(
    hass: HomeAssistant,
    diagnose: Diagnose,
    emulator: Emulator,
    freezer: FrozenDateTimeFactory,
    turkey_sms: MockConfigEntry,
) -> None:
    emulator.faults.add(Fault("http_status", status=500))
    await poll(hass, freezer)

    diagnostics = await diagnose(turkey_sms)

    assert diagnostics["coordinator"]["last_update_success"] is False
    assert diagnostics["coordinator"]["last_exception"] == "UpdateFailed"
    # The last good values stay, for comparison.
    assert diagnostics["coordinator"]["data"]["sms_balance"] == 1000


async def test_diagnostics_of_an_account_down_since_startup_with_held_alerts(
    hass: HomeAssistant,
    diagnose: Diagnose,
    emulator: Emulator,
    turkey_sms_entry: MockConfigEntry,
) -> None:
    emulator.faults.add(UNAVAILABLE)
    await setup_entry(hass, turkey_sms_entry)
    await hass.services.async_call(
        "sms_gateway",
        "send_sms",
        {"recipients": [AYSE, MEHMET], "message": "Door open", "retry_minutes": 5},
        blocking=True,
    )

    diagnostics = await diagnose(turkey_sms_entry)

    assert diagnostics["coordinator"]["data"] is None
    assert diagnostics["outbox"]["waiting"] == 2
    assert diagnostics["outbox"]["oldest"] is not None
    assert "Door open" not in json.dumps(diagnostics)
