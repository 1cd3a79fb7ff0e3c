"""Every way the network and the providers fail, through the send_sms action.

For each case the response is compared with the emulator's own record: no
number receives a message twice, and every message the emulator accepted is
reported as accepted or unknown — never lost, never silently retried.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

from aiohttp import ClientTimeout
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.aiohttp_client import async_get_clientsession
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.sms_gateway.client import SmsProvider
from custom_components.sms_gateway.client.bulk import BulkOptions
from custom_components.sms_gateway.const import (
    CONF_BASE_URL,
    CONF_PROVIDER,
    CONF_SENDER,
    DOMAIN,
)
from custom_components.sms_gateway.provider_setup import PROVIDERS
from sms_emulator import Emulator, Fault

FAMILY = ["+905321234567", "+905441234567", "+905051234567"]
MANY = [f"+90532{n:07d}" for n in range(1200)]


WAITS: list[float] = []
"""The waits between attempts of the running test, recorded instead of slept."""


async def record_wait(seconds: float) -> None:
    WAITS.append(seconds)


QUICK_TIMEOUT = ClientTimeout(total=None, connect=2, sock_read=0.3)
"""A hanging provider is given up on within the test, not after half a minute."""


@pytest.fixture(autouse=True)
def waits() -> list[float]:
    """The waits of this test alone."""
    WAITS.clear()
    return WAITS


def quick_client(hass: HomeAssistant, entry: ConfigEntry[Any]) -> SmsProvider:
    """The account's client, built through the client's own API with short timeouts."""
    setup = PROVIDERS[entry.data[CONF_PROVIDER]]
    return setup.client(
        async_get_clientsession(hass),
        **{field: entry.data[field] for field in setup.credential_fields},
        sender=entry.data.get(CONF_SENDER),
        base_url=entry.data[CONF_BASE_URL],
        timeout=QUICK_TIMEOUT,
    )


def pace(hass: HomeAssistant) -> None:
    """One chunk at a time, short backoff, short timeouts, waits recorded."""
    for loaded in hass.config_entries.async_loaded_entries(DOMAIN):
        loaded.runtime_data.provider = quick_client(hass, loaded)
        loaded.runtime_data.bulk_options = BulkOptions(
            concurrency=1, backoff=0.01, max_retry_after=10
        )
        loaded.runtime_data.sleep = record_wait


async def send(
    hass: HomeAssistant, recipients: list[str], entry: MockConfigEntry | None = None
) -> dict[str, Any]:
    pace(hass)
    data: dict[str, Any] = {"recipients": recipients, "message": "Fault matrix"}
    if entry is not None:
        data["config_entry_id"] = entry.entry_id
    response = await hass.services.async_call(
        DOMAIN, "send_sms", data, blocking=True, return_response=True
    )
    assert isinstance(response, dict)
    return response


def assert_honest(response: dict[str, Any], emulator: Emulator) -> None:
    """No duplicate, no unreported send, no accepted number the provider lacks."""
    delivered = [f"+{m.number}" for m in emulator.sent_messages()]
    assert len(delivered) == len(set(delivered)), "a number got the message twice"
    reported = set(response["accepted"]) | set(response["unknown"])
    assert set(delivered) <= reported, "a send went out unreported"
    assert set(response["accepted"]) <= set(delivered)
    every = (
        response["accepted"]
        + response["unknown"]
        + [item["recipient"] for item in response["rejected"]]
        + [item["recipient"] for item in response["not_sent"]]
    )
    assert len(every) == len(set(every)), "a recipient has two outcomes"


def processed_sends(emulator: Emulator) -> int:
    return sum(
        1
        for entry in emulator.log
        if entry.processed and entry.function.startswith("send")
    )


def balance_queries(emulator: Emulator) -> int:
    return sum(1 for entry in emulator.log if entry.function == "balance")


def in_seconds(seconds: int) -> str:
    return format_datetime(datetime.now(UTC) + timedelta(seconds=seconds), usegmt=True)


Case = tuple[str, Fault | None, str, int, int]
"""(case, fault, expected outcome of all numbers, requests, processed sends)"""


def each_case_of(matrices: dict[str, list[Case]]) -> pytest.MarkDecorator:
    """One test per row of each provider's fault matrix, named by its case."""
    return pytest.mark.parametrize(
        ("account", "fault", "outcome", "requests", "processed"),
        [
            pytest.param(provider, *row[1:], id=f"{provider}: {row[0]}")
            for provider, matrix in matrices.items()
            for row in matrix
        ],
        indirect=["account"],
    )


MATRIX: list[Case] = [
    ("delivered", None, "accepted", 1, 1),
    (
        "timeout before processing",
        Fault("hang_before", seconds=1, times=1),
        "unknown",
        1,
        0,
    ),
    (
        "timeout after processing",
        Fault("hang_after", seconds=1, times=1),
        "unknown",
        1,
        1,
    ),
    ("disconnect before processing", Fault("drop_before", times=1), "unknown", 1, 0),
    ("disconnect after processing", Fault("drop_after", times=1), "unknown", 1, 1),
    ("HTTP 500", Fault("http_status", status=500, times=1), "unknown", 1, 0),
    ("HTTP 502", Fault("http_status", status=502, times=1), "unknown", 1, 0),
    ("HTTP 503 once", Fault("http_status", status=503, times=1), "accepted", 2, 1),
    (
        "HTTP 503 always",
        Fault("http_status", status=503, function="send_group"),
        "error:cannot_connect",
        3,
        0,
    ),
    ("HTML error page", Fault("html_error", times=1), "unknown", 1, 0),
    ("malformed JSON", Fault("malformed_json", times=1), "unknown", 1, 1),
    ("UTF-8 BOM", Fault("bom", times=1), "accepted", 1, 1),
    # A usable, past or unreadable Retry-After: one quick retry that gets through.
    *(
        (
            f"429 Retry-After {label}",
            Fault("rate_limited", retry_after=retry_after, times=1),
            "accepted",
            2,
            1,
        )
        for label, retry_after in (
            ("7", "7"),
            ("date", in_seconds(5)),
            ("-1", "-1"),
            ("abc", "abc"),
        )
    ),
    (
        "429 Retry-After 999999",
        Fault("rate_limited", retry_after="999999", times=1),
        "error:rate_limited",
        1,
        0,
    ),
    # The per-minute window outlasts any quick retry: one request, no retry.
    (
        "TS-1060 once",
        Fault("result_code", code="TS-1060", times=1),
        "error:rate_limited",
        1,
        0,
    ),
    (
        "TS-1060 always",
        Fault("result_code", code="TS-1060", function="send_group"),
        "error:rate_limited",
        1,
        0,
    ),
    ("latency", Fault("latency", seconds=0.1, times=1), "accepted", 1, 1),
]


async def test_retry_after_is_honoured(
    hass: HomeAssistant,
    emulator: Emulator,
    turkey_sms: MockConfigEntry,
    waits: list[float],
) -> None:
    emulator.faults.add(Fault("rate_limited", retry_after="7", times=1))
    await send(hass, FAMILY)
    assert len(waits) == 1
    assert 7 <= waits[0] < 8


async def test_connection_refused_is_not_sent(
    hass: HomeAssistant, emulator: Emulator, turkey_sms: MockConfigEntry
) -> None:
    await emulator.stop()
    with pytest.raises(HomeAssistantError) as caught:
        await send(hass, FAMILY)
    assert caught.value.translation_key == "cannot_connect"


async def test_hisms_lockout_is_never_retried(
    hass: HomeAssistant, emulator: Emulator, hisms: MockConfigEntry
) -> None:
    emulator.faults.add(Fault("result_code", provider="hisms", code="403"))
    with pytest.raises(HomeAssistantError) as caught:
        await send(hass, ["+966501234567"], hisms)
    assert caught.value.translation_key == "locked_out"
    assert [e.function for e in emulator.log].count("send_sms") == 1


async def test_authentication_lost_in_the_middle_of_a_batch(
    hass: HomeAssistant, emulator: Emulator, turkey_sms: MockConfigEntry
) -> None:
    emulator.faults.add(Fault("result_code", code="TS-1031", after=1))
    response = await send(hass, MANY)
    assert response["accepted"] == MANY[:500]
    reasons = [item["reason"] for item in response["not_sent"]]
    assert reasons == ["authentication_failed"] * 500 + ["stopped"] * 200
    assert response["requests"] == 2
    assert_honest(response, emulator)
    await hass.async_block_till_done()
    assert [
        f["context"]["source"] for f in hass.config_entries.flow.async_progress()
    ] == ["reauth"]


async def test_balance_runs_out_in_the_middle_of_a_batch(
    hass: HomeAssistant, emulator: Emulator, turkey_sms: MockConfigEntry
) -> None:
    emulator.state.turkey_accounts["demo-turkey-key"].local_balance = 600
    response = await send(hass, MANY)
    assert response["accepted"] == MANY[:500]
    assert [i["reason"] for i in response["rejected"]] == ["insufficient_balance"] * 500
    assert [i["reason"] for i in response["not_sent"]] == ["stopped"] * 200
    assert len(emulator.sent_messages()) == 500
    assert_honest(response, emulator)


async def test_a_batch_of_1200_uses_three_group_requests(
    hass: HomeAssistant, emulator: Emulator, turkey_sms: MockConfigEntry
) -> None:
    emulator.state.turkey_accounts["demo-turkey-key"].local_balance = 5000
    response = await send(hass, MANY)
    assert response["accepted"] == MANY
    assert response["requests"] == 3
    sizes = [len(e.numbers) for e in emulator.log if e.function == "send_group"]
    assert sizes == [500, 500, 200]
    assert len(response["report_ids"]) == 3
    assert_honest(response, emulator)


HISMS_FAMILY = ["+966501234567", "+966551234567"]
HISMS_MATRIX: list[Case] = [
    ("delivered", None, "accepted", 1, 1),
    ("disconnect after processing", Fault("drop_after", times=1), "unknown", 1, 1),
    (
        "timeout after processing",
        Fault("hang_after", seconds=1, times=1),
        "unknown",
        1,
        1,
    ),
    ("HTTP 500", Fault("http_status", status=500, times=1), "unknown", 1, 0),
    ("HTTP 503 once", Fault("http_status", status=503, times=1), "accepted", 2, 1),
    ("HTML error page", Fault("html_error", times=1), "unknown", 1, 0),
    ("garbled body", Fault("malformed_json", times=1), "unknown", 1, 1),
    ("UTF-8 BOM", Fault("bom", times=1), "accepted", 1, 1),
    (
        "429 Retry-After 7",
        Fault("rate_limited", retry_after="7", times=1),
        "accepted",
        2,
        1,
    ),
]


FAMILIES = {"turkey_sms": FAMILY, "hisms": HISMS_FAMILY}
"""The numbers each provider's matrix sends to."""


@each_case_of({"turkey_sms": MATRIX, "hisms": HISMS_MATRIX})
async def test_fault_matrix(
    hass: HomeAssistant,
    emulator: Emulator,
    account: MockConfigEntry,
    fault: Fault | None,
    outcome: str,
    requests: int,
    processed: int,
) -> None:
    family = FAMILIES[account.data[CONF_PROVIDER]]
    if fault is not None:  # only this account is set up: the fault is its own
        emulator.faults.add(fault)
    if outcome.startswith("error:"):
        with pytest.raises(HomeAssistantError) as caught:
            await send(hass, family, account)
        assert caught.value.translation_key == outcome.removeprefix("error:")
        assert len(emulator.log) - balance_queries(emulator) == requests
        assert emulator.sent_messages() == []
        return
    response = await send(hass, family, account)
    assert response["requests"] == requests
    assert processed_sends(emulator) == processed
    if outcome in ("accepted", "unknown"):
        assert response[outcome] == family
    else:
        assert [item["recipient"] for item in response[outcome]] == family
    assert_honest(response, emulator)
