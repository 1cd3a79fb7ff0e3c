"""New credentials and a new sender for an account, in a real Home Assistant.

The owner makes a new API key at the provider, so the old one is refused:
Home Assistant asks for the new key itself (reauthentication), and the owner
changes the sender through reconfigure. Each change is stored and the account
reloads once, through its update listener, and what is sent next goes with
the new values, as the emulator's request log and inbox show. From the first
setup up to shutdown Home Assistant reports nothing about the integration
(it reports each use only once per process, so the whole log is read at the
end).

The tests share one Home Assistant and run in file order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
import time
from typing import Any

import pytest

from .conftest import (
    Emulator,
    RealHomeAssistant,
    change_emulator_account,
    stop_and_check_reports,
    wait_until,
)
from .turkey_account import (
    AYSE,
    MEHMET,
    SEND_FUNCTIONS,
    TURKEY_USER_ID,
    TurkeyAccount,
    add_turkey_account,
    delivered,
    entry_state,
    send_sms,
)
from .websocket import HomeAssistantSocket

pytestmark = pytest.mark.e2e

NEW_KEY = "renewed-turkey-key"
NEW_SENDER = "ALARM"
SETTLE = 3.0
"""Seconds to wait after the account is loaded again, for a second reload to show."""


@pytest.fixture(scope="module")
def account(ha: RealHomeAssistant, emulator_process: Emulator) -> TurkeyAccount:
    """The Turkey SMS account, added once for the module."""
    return add_turkey_account(ha, emulator_process)


@pytest.fixture(scope="module")
def emulator(emulator_process: Emulator) -> Emulator:
    """The emulator process the account sends through."""
    return emulator_process


@pytest.fixture
def entry_states(
    ha: RealHomeAssistant, account: TurkeyAccount
) -> Iterator[Callable[[], list[str]]]:
    """The account entry's states, as Home Assistant reports each change.

    Over the websocket API, as the integrations page follows them: a reload
    passes through ``setup_in_progress`` once.
    """
    with HomeAssistantSocket(ha.url, ha.api.token) as socket:
        changes: list[list[dict[str, Any]]] = socket.subscribe(
            {"type": "config_entries/subscribe"}
        )
        yield lambda: [
            change["entry"]["state"]
            for batch in list(changes)
            for change in batch
            if change["entry"]["entry_id"] == account.entry_id
        ]


def _states_after(entry_states: Callable[[], list[str]], before: int) -> list[str]:
    """The entry's states since ``before``, once it was set up again and stays so.

    A state reported again (the entry changed in another way) counts once.
    """

    def set_up_again() -> list[str]:
        states = entry_states()[before:]
        return (
            states if "setup_in_progress" in states and states[-1] == "loaded" else []
        )

    wait_until(set_up_again, "the account is set up again")
    time.sleep(SETTLE)
    states = entry_states()[before:]
    return [state for i, state in enumerate(states) if states[i - 1 : i] != [state]]


def _flow_result(ha: RealHomeAssistant, flow_id: str, data: dict[str, Any]) -> Any:
    return ha.api.ok("POST", f"/api/config/config_entries/flow/{flow_id}", data)


def _reauth_flows(ha: RealHomeAssistant, entry_id: str) -> list[dict[str, Any]]:
    """The reauthentication flows Home Assistant started for the entry."""
    with HomeAssistantSocket(ha.url, ha.api.token) as socket:
        flows = socket.call({"type": "config_entries/flow/progress"})
    return [
        flow
        for flow in flows
        if flow["handler"] == "sms_gateway"
        and flow["context"].get("source") == "reauth"
        and flow["context"].get("entry_id") == entry_id
    ]


def test_a_new_key_at_the_provider_is_asked_for_and_used(
    ha: RealHomeAssistant,
    emulator: Emulator,
    account: TurkeyAccount,
    entry_states: Callable[[], list[str]],
) -> None:
    """A refused key starts reauthentication; the new key sends what waited."""
    change_emulator_account(emulator, "turkey_sms", TURKEY_USER_ID, api_key=NEW_KEY)

    before = len(emulator.log())
    response = send_sms(ha, account, [AYSE], "The alarm is armed.")
    assert response["queued"] == [AYSE]
    refused = [e for e in emulator.log()[before:] if e["function"] in SEND_FUNCTIONS]
    assert [(e["processed"], e["outcome"], e["account"]) for e in refused] == [
        (True, "TS-1031", None)
    ]
    [flow] = wait_until(
        lambda: _reauth_flows(ha, account.entry_id), "a reauthentication flow"
    )
    assert flow["step_id"] == "reauth_confirm"
    # Nothing is tried with the refused key while the new one is asked for.
    assert delivered(emulator) == []

    states_before = len(entry_states())
    before = len(emulator.log())
    result = _flow_result(ha, flow["flow_id"], {"api_key": NEW_KEY})
    assert (result["type"], result["reason"]) == ("abort", "reauth_successful")

    states = _states_after(entry_states, states_before)
    assert states.count("setup_in_progress") == 1, states
    assert entry_state(ha, account.entry_id) == "loaded"
    assert not _reauth_flows(ha, account.entry_id)

    # The held message goes out with the new key as soon as the account is back.
    held = wait_until(lambda: delivered(emulator), "the held message")
    assert [(m["number"], m["text"]) for m in held] == [(AYSE, "The alarm is armed.")]
    response = send_sms(ha, account, [MEHMET], "The alarm is disarmed.")
    assert response["accepted"] == [MEHMET]
    sends = [e for e in emulator.log()[before:] if e["function"] in SEND_FUNCTIONS]
    assert [(e["processed"], e["account"]) for e in sends] == [
        (True, TURKEY_USER_ID),
        (True, TURKEY_USER_ID),
    ]
    # Every request after the change opened the account: none used the old key.
    assert all(e["account"] == TURKEY_USER_ID for e in emulator.log()[before:])
    assert [(m["number"], m["account"]) for m in delivered(emulator)] == [
        (AYSE, TURKEY_USER_ID),
        (MEHMET, TURKEY_USER_ID),
    ]


def test_a_new_sender_is_set_through_reconfigure(
    ha: RealHomeAssistant,
    emulator: Emulator,
    account: TurkeyAccount,
    entry_states: Callable[[], list[str]],
) -> None:
    change_emulator_account(
        emulator, "turkey_sms", TURKEY_USER_ID, senders={NEW_SENDER: "active"}
    )

    flow = ha.api.ok(
        "POST",
        "/api/config/config_entries/flow",
        {"handler": "sms_gateway", "entry_id": account.entry_id},
    )
    assert (flow["type"], flow["step_id"]) == ("form", "reconfigure")
    states_before = len(entry_states())
    before = len(emulator.log())
    # The key field left empty keeps the stored key.
    result = _flow_result(
        ha,
        flow["flow_id"],
        {"sender": NEW_SENDER, "advanced": {"base_url": emulator.url}},
    )
    assert (result["type"], result["reason"]) == ("abort", "reconfigure_successful")

    states = _states_after(entry_states, states_before)
    assert states.count("setup_in_progress") == 1, states
    assert entry_state(ha, account.entry_id) == "loaded"

    sent_before = len(delivered(emulator))
    response = send_sms(ha, account, [AYSE], "Someone is at the door.")
    assert response["accepted"] == [AYSE]
    [message] = delivered(emulator)[sent_before:]
    assert (message["number"], message["sender"], message["account"]) == (
        AYSE,
        NEW_SENDER,
        TURKEY_USER_ID,
    )
    assert all(e["account"] == TURKEY_USER_ID for e in emulator.log()[before:])


def test_nothing_reported_about_the_integration_up_to_shutdown(
    ha: RealHomeAssistant,
) -> None:
    """No "Detected that custom integration 'sms_gateway' ..." from setup to shutdown."""
    assert stop_and_check_reports(ha) == []
