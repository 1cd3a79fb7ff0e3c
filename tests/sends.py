"""Sending through send_sms, and comparing the answer with the emulator's record."""

from __future__ import annotations

import socket
from typing import Any

from aiohttp import ClientTimeout
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.sms_gateway import pipeline
from custom_components.sms_gateway.client import transport
from custom_components.sms_gateway.client.bulk import BulkOptions
from custom_components.sms_gateway.const import (
    CONF_BASE_URL,
    CONF_FALLBACK_ACCOUNT,
    CONF_PROVIDER,
    DOMAIN,
)
from sms_emulator import Emulator, Fault

FAMILY = ["+905321234567", "+905441234567", "+905051234567"]
HISMS_FAMILY = ["+966501234567", "+966551234567"]
FAMILIES = {"turkey_sms": FAMILY, "hisms": HISMS_FAMILY}
"""The numbers sent to through each provider's account."""

QUICK_TIMEOUT = ClientTimeout(total=None, connect=2, sock_read=0.3)
"""A hanging provider is given up on within the test, not after half a minute."""


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """One chunk at a time, short timeouts; the waits between tries are recorded.

    Use it before the accounts are set up (``pytest.mark.usefixtures``): their
    clients take the timeout when they are built. The list the waits go to,
    instead of sleeping.
    """
    waits: list[float] = []

    async def record_wait(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr(pipeline, "pause", record_wait)
    monkeypatch.setattr(pipeline, "BULK_OPTIONS", BulkOptions(concurrency=1))
    monkeypatch.setattr(transport, "DEFAULT_TIMEOUT", QUICK_TIMEOUT)
    return waits


def fresh(fault: Fault, provider: str | None = None) -> Fault:
    """A copy that counts its own matches, aimed at ``provider`` when given.

    A parametrized fault is shared by every run of a test: each run adds a copy.
    """
    data = fault.to_dict()
    if provider is not None:
        data["provider"] = provider
    return Fault.from_dict(data)


async def send(
    hass: HomeAssistant,
    recipients: list[str],
    entry: MockConfigEntry | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """send_sms with its response, through ``entry`` when given."""
    data: dict[str, Any] = {
        "recipients": recipients,
        "message": "Fault matrix",
        **fields,
    }
    if entry is not None:
        data["config_entry_id"] = entry.entry_id
    response = await hass.services.async_call(
        DOMAIN, "send_sms", data, blocking=True, return_response=True
    )
    assert isinstance(response, dict)
    return response


async def set_up(
    hass: HomeAssistant,
    primary: MockConfigEntry,
    fallback: MockConfigEntry | None = None,
    *,
    refused: bool = False,
) -> None:
    """Set the accounts up; the primary falls back to ``fallback`` when given.

    An account already added keeps what the test changed in it.

    ``refused``: nothing listens at the primary's address (the fallback still
    reaches the emulator).
    """
    for entry in (primary, fallback):
        if (
            entry is not None
            and hass.config_entries.async_get_entry(entry.entry_id) is None
        ):
            entry.add_to_hass(hass)
    changes: dict[str, Any] = {}
    if fallback is not None:
        changes["options"] = {
            **primary.options,
            CONF_FALLBACK_ACCOUNT: fallback.entry_id,
        }
    if refused:
        changes["data"] = {**primary.data, CONF_BASE_URL: closed_address()}
    hass.config_entries.async_update_entry(primary, **changes)
    # Setting one account up sets up the integration, and with it every account.
    await hass.config_entries.async_setup(primary.entry_id)
    await hass.async_block_till_done()
    assert primary.state is ConfigEntryState.LOADED
    assert fallback is None or fallback.state is ConfigEntryState.LOADED


def closed_address() -> str:
    """An address on this machine where nothing listens: connections are refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def assert_honest(response: dict[str, Any], emulator: Emulator) -> None:
    """No duplicate, no unreported send, no accepted number the provider lacks.

    Counted over both providers: a number failed over to the other account
    must not have had the message from the first one too.
    """
    delivered = [f"+{m.number}" for m in emulator.sent_messages()]
    assert len(delivered) == len(set(delivered)), "a number got the message twice"
    reported = set(response["accepted"]) | set(response["unknown"])
    assert set(delivered) <= reported, "a send went out unreported"
    assert set(response["accepted"]) <= set(delivered)
    assert set(response["failed_over"]) <= set(response["accepted"])
    every = (
        response["accepted"]
        + response["unknown"]
        + response["queued"]
        + response["suppressed"]
        + [item["recipient"] for item in response["rejected"]]
        + [item["recipient"] for item in response["not_sent"]]
    )
    assert len(every) == len(set(every)), "a recipient has two outcomes"


def sends(emulator: Emulator, provider: str) -> int:
    """Send requests that reached the provider, processed or not."""
    return sum(
        1
        for entry in emulator.log
        if entry.provider == provider and entry.function.startswith("send")
    )


def processed_sends(emulator: Emulator, provider: str | None = None) -> int:
    """Send requests the provider processed."""
    return sum(
        1
        for entry in emulator.log
        if entry.processed
        and entry.function.startswith("send")
        and provider in (None, entry.provider)
    )


def delivered_through(emulator: Emulator, entry: MockConfigEntry) -> list[str]:
    """The numbers the emulator sent to through this account's provider."""
    return [f"+{m.number}" for m in emulator.sent_messages(entry.data[CONF_PROVIDER])]


def held(hass_storage: dict[str, Any], entry: MockConfigEntry) -> list[str]:
    """The numbers the account's outbox holds on disk."""
    stored = hass_storage.get(f"{DOMAIN}.outbox.{entry.entry_id}")
    if stored is None:
        return []
    return [n for message in stored["data"]["messages"] for n in message["numbers"]]
