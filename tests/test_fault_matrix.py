"""Every way the network and the providers fail, through the send_sms action.

For each case the response is compared with the emulator's own record: no
number receives a message twice, and every message the emulator accepted is
reported as accepted or unknown — never lost, never silently retried.

Each case runs with the account alone, then with the other provider's account
as its fallback. What did not go out is then ``held`` (in the outbox, reported
``queued``), ``failed over`` (sent at once through the fallback account,
reported in ``failed_over``), or ``neither``. Faults are aimed at the first
account's provider only, so that the fallback answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any, Final

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from custom_components.sms_gateway.const import CONF_PROVIDER
from custom_components.sms_gateway.outbox import EVENT_OUTBOX, FIRST_WAIT
from sms_emulator import Emulator, Fault

from .conftest import let_time_pass
from .sends import (
    FAMILIES,
    FAMILY,
    assert_honest,
    delivered_through,
    fresh,
    held,
    processed_sends,
    send,
    sends,
    set_up,
)

pytestmark = pytest.mark.usefixtures("waits")

MANY = [f"+90532{n:07d}" for n in range(1200)]

HELD: Final = "held"
FAILED_OVER: Final = "failed over"
NEITHER: Final = "neither"


def in_seconds(seconds: int) -> str:
    return format_datetime(datetime.now(UTC) + timedelta(seconds=seconds), usegmt=True)


@dataclass(frozen=True)
class Refused:
    """Instead of a fault: nothing listens at the account's address."""


REFUSED: Final = Refused()


@dataclass(frozen=True)
class Row:
    """One fault, and what becomes of every number of the send."""

    case: str
    fault: Fault | Refused | None
    outcome: str
    """What the account alone reports for every number, or ``error:<key>``."""
    requests: int
    """Send requests the account makes."""
    processed: int
    """Of them, the ones the provider processed."""
    alone: str = NEITHER
    """Without a fallback: ``held`` or ``neither``."""
    with_fallback: str = NEITHER
    """With the other provider's account as fallback: ``failed over`` or ``neither``."""


def held_row(case: str, fault: Fault | Refused, requests: int = 1) -> Row:
    """Nothing processed: held without a fallback, failed over with one."""
    return Row(case, fault, "queued", requests, 0, HELD, FAILED_OVER)


def refused_row(case: str, code: str, key: str, with_fallback: str = NEITHER) -> Row:
    """The provider refuses the send with this result code: the error ``key``."""
    fault = Fault("result_code", code=code)
    return Row(case, fault, f"error:{key}", 1, 0, NEITHER, with_fallback)


TIMEOUT_BEFORE = Fault("hang_before", seconds=1, times=1)
TIMEOUT_AFTER = Fault("hang_after", seconds=1, times=1)
"""No answer within the read timeout, before or after the provider processed it."""

BOTH: list[Row] = [
    Row("delivered", None, "accepted", 1, 1),
    # The request may have reached the provider: never sent again, by
    # either account.
    Row("timeout after processing", TIMEOUT_AFTER, "unknown", 1, 1),
    Row("disconnect after processing", Fault("drop_after", times=1), "unknown", 1, 1),
    Row("HTTP 500", Fault("http_status", status=500, times=1), "unknown", 1, 0),
    Row("HTML error page", Fault("html_error", times=1), "unknown", 1, 0),
    Row("HTTP 503 once", Fault("http_status", status=503, times=1), "accepted", 2, 1),
    Row("UTF-8 BOM", Fault("bom", times=1), "accepted", 1, 1),
    # Once an error with nothing sent; now held, the provider is only away.
    held_row("connection refused", REFUSED, 3),
]
"""The rows alike for both providers."""

MATRIX: list[Row] = [
    *BOTH,
    Row("timeout before processing", TIMEOUT_BEFORE, "unknown", 1, 0),
    Row("disconnect before processing", Fault("drop_before", times=1), "unknown", 1, 0),
    Row("HTTP 502", Fault("http_status", status=502, times=1), "unknown", 1, 0),
    held_row(
        "HTTP 503 always", Fault("http_status", status=503, function="send_group"), 3
    ),
    Row("malformed JSON", Fault("malformed_json", times=1), "unknown", 1, 1),
    # A usable, past or unreadable Retry-After: one quick retry that gets through.
    *(
        Row(
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
    # Once an error; now held: the limit lifts by itself.
    held_row(
        "429 Retry-After 999999", Fault("rate_limited", retry_after="999999", times=1)
    ),
    # The per-minute window outlasts any quick retry: one request, no retry.
    # Once an error; now held for after the window.
    held_row("TS-1060 once", Fault("result_code", code="TS-1060", times=1)),
    held_row(
        "TS-1060 always", Fault("result_code", code="TS-1060", function="send_group")
    ),
    # The account cannot pay: waiting does not help, another account can.
    refused_row(
        "TS-1027 insufficient balance", "TS-1027", "insufficient_balance", FAILED_OVER
    ),
    # The number is wrong for any account.
    refused_row("TS-1034 invalid number", "TS-1034", "provider_invalid_number"),
    Row("latency", Fault("latency", seconds=0.1, times=1), "accepted", 1, 1),
]


HISMS_MATRIX: list[Row] = [
    *BOTH,
    held_row(
        "HTTP 503 always", Fault("http_status", status=503, function="send_sms"), 3
    ),
    Row("garbled body", Fault("malformed_json", times=1), "unknown", 1, 1),
    Row(
        "429 Retry-After 7",
        Fault("rate_limited", retry_after="7", times=1),
        "accepted",
        2,
        1,
    ),
    # Never retried within the send (it would lengthen the lockout); the
    # lockout ends by itself, another account is not locked.
    held_row("403 lockout", Fault("result_code", code="403", function="send_sms")),
    refused_row("9 no credit", "9", "insufficient_balance", FAILED_OVER),
    # HiSMS refuses a request with a bad number whole, with its "no numbers".
    refused_row("4 bad number", "4", "provider_no_numbers"),
]

OTHER = {"turkey_sms": "hisms_entry", "hisms": "turkey_sms_entry"}
"""The fallback of each provider's account: the other provider's account."""


def each_run_of(matrices: dict[str, list[Row]]) -> pytest.MarkDecorator:
    """Each row of each provider's matrix, alone and with a fallback."""
    return pytest.mark.parametrize(
        ("provider", "row", "fallback"),
        [
            pytest.param(
                provider,
                row,
                fallback,
                id=f"{provider}: {row.case}: {'fallback' if fallback else 'alone'}",
            )
            for provider, matrix in matrices.items()
            for row in matrix
            for fallback in (False, True)
        ],
    )


@each_run_of({"turkey_sms": MATRIX, "hisms": HISMS_MATRIX})
async def test_fault_matrix(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    emulator: Emulator,
    request: pytest.FixtureRequest,
    provider: str,
    row: Row,
    fallback: bool,
) -> None:
    account: MockConfigEntry = request.getfixturevalue(f"{provider}_entry")
    other: MockConfigEntry | None = (
        request.getfixturevalue(OTHER[provider]) if fallback else None
    )
    await set_up(hass, account, other, refused=row.fault is REFUSED)
    if isinstance(row.fault, Fault):
        emulator.faults.add(fresh(row.fault, provider))
    family = FAMILIES[provider]
    reached = 0 if row.fault is REFUSED else row.requests
    then = row.with_fallback if fallback else row.alone

    if then == FAILED_OVER:
        assert other is not None
        response = await send(hass, family, account)
        assert response["accepted"] == family
        assert response["failed_over"] == family
        assert response["fallback_account"] == other.entry_id
        assert response["queued"] == []
        assert response["requests"] == row.requests + 1
        assert delivered_through(emulator, other) == family
        assert delivered_through(emulator, account) == []
    elif row.outcome.startswith("error:"):
        with pytest.raises(HomeAssistantError) as caught:
            await send(hass, family, account)
        assert caught.value.translation_key == row.outcome.removeprefix("error:")
        assert emulator.sent_messages() == []
        response = None
    else:
        response = await send(hass, family, account)
        assert response["requests"] == row.requests
        if row.outcome in ("accepted", "unknown", "queued"):
            assert response[row.outcome] == family
        else:
            assert [item["recipient"] for item in response[row.outcome]] == family
        assert response["failed_over"] == []
        assert response["fallback_account"] is None

    assert sends(emulator, account.data[CONF_PROVIDER]) == reached
    assert processed_sends(emulator, provider) == row.processed
    assert held(hass_storage, account) == (family if then == HELD else [])
    if other is not None and then != FAILED_OVER:
        assert sends(emulator, other.data[CONF_PROVIDER]) == 0, "the fallback sent"
    if response is not None:
        assert response["outbox_id"] is None or then == HELD
        assert_honest(response, emulator)


@pytest.mark.parametrize(
    ("provider", "fault"),
    [
        ("turkey_sms", Fault("http_status", status=503, function="send_group")),
        ("turkey_sms", Fault("result_code", code="TS-1060", function="send_group")),
        ("hisms", Fault("result_code", code="403", function="send_sms")),
    ],
    ids=["turkey_sms: HTTP 503 always", "turkey_sms: TS-1060", "hisms: lockout"],
)
async def test_what_is_held_goes_out_once_when_the_fault_is_gone(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    emulator: Emulator,
    freezer: FrozenDateTimeFactory,
    request: pytest.FixtureRequest,
    provider: str,
    fault: Fault,
) -> None:
    """``held`` in the matrix: the outbox tries again later, and sends once."""
    account: MockConfigEntry = request.getfixturevalue(f"{provider}_entry")
    await set_up(hass, account)
    emulator.faults.add(fresh(fault))
    family = FAMILIES[provider]
    assert (await send(hass, family, account))["queued"] == family
    emulator.faults.clear()
    outbox = async_capture_events(hass, EVENT_OUTBOX)

    await let_time_pass(hass, freezer, FIRST_WAIT + 1)
    await let_time_pass(hass, freezer, FIRST_WAIT * 4)

    assert [(e.data["state"], len(e.data["recipients"])) for e in outbox] == [
        ("sent", len(family))
    ]
    assert delivered_through(emulator, account) == family
    assert held(hass_storage, account) == []


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


async def test_connection_refused_is_an_error_when_holding_is_off(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    emulator: Emulator,
    turkey_sms: MockConfigEntry,
) -> None:
    """Refused connections are held by default (the matrix); not with 0 minutes."""
    await emulator.stop()
    with pytest.raises(HomeAssistantError) as caught:
        await send(hass, FAMILY, retry_minutes=0)
    assert caught.value.translation_key == "cannot_connect"
    assert held(hass_storage, turkey_sms) == []


async def test_hisms_lockout_is_never_retried(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    emulator: Emulator,
    hisms: MockConfigEntry,
) -> None:
    """One request, no retry within the send: each try lengthens the lockout.

    The number is held for after the lockout (it was an error once); with
    holding off the error is still ``locked_out``.
    """
    emulator.faults.add(Fault("result_code", provider="hisms", code="403"))
    response = await send(hass, ["+966501234567"], hisms)
    assert response["queued"] == ["+966501234567"]
    assert held(hass_storage, hisms) == ["+966501234567"]
    assert [e.function for e in emulator.log].count("send_sms") == 1

    with pytest.raises(HomeAssistantError) as caught:
        await send(hass, ["+966551234567"], hisms, retry_minutes=0)
    assert caught.value.translation_key == "locked_out"
    assert [e.function for e in emulator.log].count("send_sms") == 2


@pytest.mark.parametrize("retry_minutes", [0, 60])
async def test_authentication_lost_in_the_middle_of_a_batch(
    hass: HomeAssistant,
    emulator: Emulator,
    turkey_sms: MockConfigEntry,
    retry_minutes: int,
) -> None:
    """The rest of the batch stops; with holding on it waits for new credentials."""
    emulator.faults.add(Fault("result_code", code="TS-1031", after=1))
    response = await send(hass, MANY, retry_minutes=retry_minutes)
    assert response["accepted"] == MANY[:500]
    reasons = [item["reason"] for item in response["not_sent"]]
    if retry_minutes:
        assert reasons == []
        assert response["queued"] == MANY[500:]
    else:
        assert reasons == ["authentication_failed"] * 500 + ["stopped"] * 200
        assert response["queued"] == []
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
    assert response["queued"] == []
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
