"""Alerts survive a provider outage and a restart, in a real Home Assistant.

The provider is down when its emulator process is stopped: every connection
is refused. It comes back on the same port. Alerts sent meanwhile are held in
the account's outbox (its sensor counts them), survive a restart of Home
Assistant, and go out exactly once when the provider answers; one whose
deadline passes first is dropped and never sent.

The outbox tries again after 30 s, doubling up to 600 s, and at once when a
balance poll succeeds (every 10 minutes) or when the account is set up. Real
time cannot be skipped here, so rather than wait for those, the tests reload
the account over the REST API once the provider is back: a set-up account
tries what it holds at once, as it does after a restart.

The tests share one Home Assistant and run in file order.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
import time
from typing import Any

import pytest

from .conftest import Emulator, RealHomeAssistant, stop_and_check_reports, wait_until
from .turkey_account import (
    AYSE,
    MEHMET,
    SEND_FUNCTIONS,
    TurkeyAccount,
    add_turkey_account,
    delivered,
    entry_state,
    notify,
    send_sms,
)
from .websocket import HomeAssistantSocket

pytestmark = pytest.mark.e2e

EVENT_OUTBOX = "sms_gateway_outbox"
LEAK = "Water leak in the kitchen."
FREEZER = "The freezer is warm."
SMOKE = "Smoke in the hallway."
GARAGE = "The garage door is open."
TEXTS = (LEAK, FREEZER, SMOKE, GARAGE)
SETTLE = 3.0
"""Seconds to wait after the expected messages arrived, for a duplicate to show."""
EXPIRY_TIMEOUT = 150.0
"""A one-minute deadline passes within the outbox's second wait (90 s)."""
START_UP_TRY = 8.0
"""Seconds the try at set-up takes at most for two held messages with the
provider down: three connection attempts each, at most 1 s and 2 s apart."""


@pytest.fixture(scope="module")
def account(ha: RealHomeAssistant, emulator_process: Emulator) -> TurkeyAccount:
    """The Turkey SMS account, added once for the module."""
    return add_turkey_account(ha, emulator_process)


@dataclass
class Outage:
    """The provider refuses every connection between ``begin`` and ``end``."""

    emulator: Emulator

    def begin(self) -> None:
        self.emulator.server.stop()

    def end(self) -> None:
        """The provider is back on the same address, with a fresh inbox."""
        if not self.emulator.server.alive():
            self.emulator.server.start(timeout=30)


@pytest.fixture
def outage(emulator_process: Emulator) -> Iterator[Outage]:
    """An outage that ends with the test whatever happens."""
    outage = Outage(emulator_process)
    try:
        yield outage
    finally:
        outage.end()


def _outbox(ha: RealHomeAssistant, account: TurkeyAccount) -> str:
    state: str = ha.api.ok("GET", f"/api/states/{account.outbox_sensor}")["state"]
    return state


def _wait_for_outbox(ha: RealHomeAssistant, account: TurkeyAccount, count: int) -> None:
    ha.api.wait_for_state(account.outbox_sensor, str(count))


def _try_now(ha: RealHomeAssistant, account: TurkeyAccount) -> None:
    """Reload the account: once set up, it tries what it holds at once."""
    ha.api.ok("POST", f"/api/config/config_entries/entry/{account.entry_id}/reload")
    wait_until(lambda: entry_state(ha, account.entry_id) == "loaded", "loaded")


def _outbox_events(
    events: list[dict[str, Any]], account: TurkeyAccount
) -> list[dict[str, Any]]:
    return [
        event["data"]
        for event in list(events)
        if event["data"]["config_entry_id"] == account.entry_id
    ]


def test_alerts_held_through_an_outage_and_a_restart_go_out_once(
    ha: RealHomeAssistant,
    emulator_process: Emulator,
    account: TurkeyAccount,
    outage: Outage,
) -> None:
    outage.begin()
    notify(ha, account.notify_entity, LEAK)
    _wait_for_outbox(ha, account, 1)
    response = send_sms(ha, account, [MEHMET], FREEZER)
    assert response["queued"] == [MEHMET]
    assert response["accepted"] == []
    queued_id = response["outbox_id"]
    assert queued_id
    _wait_for_outbox(ha, account, 2)

    ha.restart()
    ha.api.wait_until_loaded()
    assert entry_state(ha, account.entry_id) == "loaded"
    assert _outbox(ha, account) == "2"
    # After the restart the account still takes alerts, with the provider down.
    notify(ha, account.notify_entity, SMOKE)
    _wait_for_outbox(ha, account, 3)
    # The provider comes back once the try made at set-up is over, so that the
    # reload below cannot cut one of its requests short (its outcome would then
    # be unknown, and rightly never sent again).
    time.sleep(START_UP_TRY)

    with HomeAssistantSocket(ha.url, ha.api.token) as socket:
        events = socket.subscribe_events(EVENT_OUTBOX)
        outage.end()
        _try_now(ha, account)
        wait_until(lambda: len(delivered(emulator_process)) >= 3, "three messages")
        _wait_for_outbox(ha, account, 0)
        time.sleep(SETTLE)
        outbox_events = _outbox_events(events, account)

    messages = [(m["number"], m["text"]) for m in delivered(emulator_process)]
    assert sorted(messages) == sorted(
        [
            (AYSE, LEAK),
            (MEHMET, FREEZER),
            (AYSE, SMOKE),
        ]
    )
    # Per number, in the order they were held.
    assert [text for number, text in messages if number == AYSE] == [
        LEAK,
        SMOKE,
    ]
    assert {event["state"] for event in outbox_events} == {"sent"}
    assert len(outbox_events) == 3
    assert queued_id in {event["outbox_id"] for event in outbox_events}
    assert AYSE not in str(outbox_events)
    assert MEHMET not in str(outbox_events)


def test_a_deadline_that_passes_fires_expired_and_sends_nothing(
    ha: RealHomeAssistant,
    emulator_process: Emulator,
    account: TurkeyAccount,
    outage: Outage,
) -> None:
    with HomeAssistantSocket(ha.url, ha.api.token) as socket:
        events = socket.subscribe_events(EVENT_OUTBOX)
        outage.begin()
        response = send_sms(ha, account, [AYSE], GARAGE, retry_minutes=1)
        assert response["queued"] == [AYSE]
        outbox_id = response["outbox_id"]
        wait_until(
            lambda: any(
                event["state"] == "expired" for event in _outbox_events(events, account)
            ),
            "the expired event",
            timeout=EXPIRY_TIMEOUT,
        )
        outbox_events = _outbox_events(events, account)
    assert [(e["outbox_id"], e["state"]) for e in outbox_events] == [
        (outbox_id, "queued"),
        (outbox_id, "expired"),
    ]
    _wait_for_outbox(ha, account, 0)

    outage.end()
    _try_now(ha, account)
    # The set-up polled the balance: the provider was reached, and sent nothing.
    log = emulator_process.log()
    assert [e["function"] for e in log if e["function"] == "balance"]
    time.sleep(SETTLE)
    assert [e for e in emulator_process.log() if e["function"] in SEND_FUNCTIONS] == []
    assert delivered(emulator_process) == []


def test_nothing_reported_about_the_integration_up_to_shutdown(
    ha: RealHomeAssistant,
) -> None:
    """No report about the integration; errors only for polls the outage failed.

    Home Assistant logs a balance poll that fails after one that succeeded as
    an error, once per outage.
    """
    for line in stop_and_check_reports(ha):
        assert "Error fetching sms_gateway" in line, line
        assert "SmsGatewayConnectionError" in line, line
    log = ha.server.log_path.read_text(errors="replace")
    for private in (*TEXTS, AYSE.removeprefix("+"), MEHMET.removeprefix("+")):
        assert private not in log
