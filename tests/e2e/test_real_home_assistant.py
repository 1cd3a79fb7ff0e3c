"""A real Home Assistant process, driven only over its HTTP API.

Onboarding, both providers' config flows and the recipient subentry flow run
as the frontend runs them; the action is called over REST; the emulator's
request log shows what actually went over the wire. Then Home Assistant is
restarted on the same configuration and everything must still work.

The tests share one Home Assistant and run in file order.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from local_hass.api import http_json
from local_hass.demo import (
    ACCOUNTS,
    HISMS_RECIPIENT,
    TURKEY_RECIPIENT,
    add_demo_accounts,
)

from .conftest import Emulator, RealHomeAssistant

pytestmark = pytest.mark.e2e

AYSE = TURKEY_RECIPIENT.numbers[0]
SARA = HISMS_RECIPIENT.numbers[0]
MEHMET = "+905441234567"

TURKEY_SENDS = {"send_one", "send_get", "send_group", "send_multi"}


def _entries(ha: RealHomeAssistant) -> dict[str, dict[str, Any]]:
    """The integration's entries by title."""
    return {entry["title"]: entry for entry in ha.api.entries()}


def _integration_states(ha: RealHomeAssistant) -> dict[str, dict[str, Any]]:
    """The states of every entity of the integration, by entity id."""
    status, rendered = ha.api.call(
        "POST",
        "/api/template",
        {"template": "{{ integration_entities('sms_gateway') | join(',') }}"},
    )
    assert status == 200, rendered
    entity_ids = [e for e in str(rendered).split(",") if e]
    states = {}
    for entity_id in entity_ids:
        states[entity_id] = ha.api.ok("GET", f"/api/states/{entity_id}")
    return states


def _sensor(states: dict[str, dict[str, Any]], name: str) -> dict[str, Any]:
    matches = [
        state
        for entity_id, state in states.items()
        if entity_id.startswith("sensor.")
        and state["attributes"].get("friendly_name") == name
    ]
    assert len(matches) == 1, (name, sorted(states))
    return matches[0]


def _send(ha: RealHomeAssistant, data: dict[str, Any]) -> dict[str, Any]:
    body = ha.api.ok("POST", "/api/services/sms_gateway/send_sms?return_response", data)
    response: dict[str, Any] = body["service_response"]
    return response


def _digits(*numbers: str) -> list[str]:
    """Numbers as they go over the wire: E.164 without the plus."""
    return [number.removeprefix("+") for number in numbers]


def _new_log(emulator: Emulator, before: int) -> list[dict[str, Any]]:
    return emulator.log()[before:]


def _submit_turkey_sms_key(
    ha: RealHomeAssistant, emulator: Emulator, api_key: str
) -> tuple[str, dict[str, Any]]:
    """Open a config flow, choose Turkey SMS and submit this key.

    Returns the flow's path, to go on or cancel it, and what the submit returned.
    """
    flow = ha.api.ok(
        "POST", "/api/config/config_entries/flow", {"handler": "sms_gateway"}
    )
    path = f"/api/config/config_entries/flow/{flow['flow_id']}"
    ha.api.ok("POST", path, {"next_step_id": "turkey_sms"})
    result: dict[str, Any] = ha.api.ok(
        "POST",
        path,
        {
            "api_key": api_key,
            "sender": ACCOUNTS.sender,
            "advanced": {"base_url": emulator.url},
        },
    )
    return path, result


def test_onboarding_created_the_owner(ha: RealHomeAssistant) -> None:
    steps = ha.api.onboarding_done()
    assert steps == {"user", "core_config", "analytics", "integration"}
    user = ha.api.ok("GET", "/api/")
    assert user == {"message": "API running."}


def test_add_both_providers_through_the_config_flow(
    ha: RealHomeAssistant, emulator_process: Emulator
) -> None:
    titles = add_demo_accounts(ha.api, emulator_process.url)
    assert titles == ["Turkey SMS Demo Home", "HiSMS"]

    entries = _entries(ha)
    assert set(entries) == {"Turkey SMS Demo Home", "HiSMS"}
    for entry in entries.values():
        assert entry["state"] == "loaded", entry
        assert entry["num_subentries"] == 1

    # A second Turkey SMS flow for the same account is refused.
    _, result = _submit_turkey_sms_key(ha, emulator_process, ACCOUNTS.turkey_api_key)
    assert result["type"] == "abort"
    assert result["reason"] == "already_configured"

    # A wrong key is a form error, not an entry.
    path, result = _submit_turkey_sms_key(ha, emulator_process, "not-a-key")
    assert result["type"] == "form"
    assert result["errors"] == {"base": "invalid_auth"}
    ha.api.ok("DELETE", path)


def _check_sensors(ha: RealHomeAssistant, emulator: Emulator) -> None:
    """The sensors show what the emulator's accounts hold (freshly polled)."""
    accounts = emulator.state()["accounts"]
    turkey = next(a for a in accounts["turkey_sms"] if a["user_id"] == "100200")
    hisms = next(
        a for a in accounts["hisms"] if a["username"] == ACCOUNTS.hisms_username
    )
    states = _integration_states(ha)
    local = _sensor(states, "Turkey SMS Demo Home Local SMS balance")
    assert float(local["state"]) == pytest.approx(turkey["local_balance"])
    assert local["attributes"]["unit_of_measurement"] == "SMS"
    international = _sensor(states, "Turkey SMS Demo Home International balance")
    assert float(international["state"]) == pytest.approx(
        float(turkey["international_balance_tl"])
    )
    assert international["attributes"]["unit_of_measurement"] == "TRY"
    balance = _sensor(states, "HiSMS SMS balance")
    assert float(balance["state"]) == pytest.approx(hisms["balance"])
    scheduled = _sensor(states, "HiSMS Scheduled messages")
    assert scheduled["state"] == "0"


def test_balance_sensors(ha: RealHomeAssistant, emulator_process: Emulator) -> None:
    # The seeded balances of the demo accounts.
    _check_sensors(ha, emulator_process)
    states = _integration_states(ha)
    assert float(_sensor(states, "HiSMS SMS balance")["state"]) == 500
    local = _sensor(states, "Turkey SMS Demo Home Local SMS balance")
    assert float(local["state"]) == 1000


def _send_and_check(ha: RealHomeAssistant, emulator: Emulator, text: str) -> None:
    """One Turkey SMS send to two numbers and one HiSMS send: one request each."""
    entries = _entries(ha)

    before = len(emulator.log())
    response = _send(
        ha,
        {
            "config_entry_id": entries["Turkey SMS Demo Home"]["entry_id"],
            "recipients": [AYSE, MEHMET],
            "message": text,
        },
    )
    assert sorted(response["accepted"]) == sorted([AYSE, MEHMET])
    assert response["rejected"] == []
    assert response["unknown"] == []
    assert response["requests"] == 1
    sends = [e for e in _new_log(emulator, before) if e["function"] in TURKEY_SENDS]
    assert len(sends) == 1, sends
    assert sends[0]["processed"] is True
    assert sends[0]["provider"] == "turkey_sms"
    assert sends[0]["account"] == "100200"
    assert sorted(sends[0]["numbers"]) == sorted(_digits(AYSE, MEHMET))
    # The response names what the provider answered.
    assert response["report_ids"] or response["message_ids"]
    assert set(response["report_ids"] + response["message_ids"]) <= {
        *sends[0]["message_ids"],
        *(r["report_id"] for r in emulator.state()["reports"]),
    }

    before = len(emulator.log())
    response = _send(
        ha,
        {
            "config_entry_id": entries["HiSMS"]["entry_id"],
            "recipients": [SARA],
            "message": text,
        },
    )
    assert response["accepted"] == [SARA]
    sends = [e for e in _new_log(emulator, before) if e["function"] == "send_sms"]
    assert len(sends) == 1, sends
    assert sends[0]["processed"] is True
    assert sends[0]["provider"] == "hisms"
    assert sends[0]["account"] == ACCOUNTS.hisms_username
    assert sends[0]["numbers"] == _digits(SARA)

    inbox = emulator.state()["messages_by_number"]
    texts = {
        number: [m["text"] for m in messages] for number, messages in inbox.items()
    }
    for number in (AYSE, MEHMET, SARA):
        got = texts.get(number, []) + texts.get(number.removeprefix("+"), [])
        assert got.count(text) == 1, (number, texts)


@pytest.mark.parametrize(
    "text",
    [
        "The washing machine has finished.",
        "Çamaşır makinesi bitti: kurutmayı unutma, ığüşöç",
        "انتهت الغسالة من العمل",
        "Leak 💧 su kaçağı — تسرب مياه\nCheck the sink",
    ],
    ids=["english", "turkish", "arabic", "mixed"],
)
def test_send_sms_over_rest(
    ha: RealHomeAssistant, emulator_process: Emulator, text: str
) -> None:
    """The inbox shows exactly the text sent, whatever its alphabet."""
    _send_and_check(ha, emulator_process, text)


def test_send_to_a_recipient_entity(
    ha: RealHomeAssistant, emulator_process: Emulator
) -> None:
    states = _integration_states(ha)
    notify = [e for e in states if e.startswith("notify.")]
    assert len(notify) == 2, sorted(states)
    ayse = next(
        e for e in notify if states[e]["attributes"]["friendly_name"].endswith("Ayşe")
    )
    entries = _entries(ha)
    before = len(emulator_process.log())
    response = _send(
        ha,
        {
            "config_entry_id": entries["Turkey SMS Demo Home"]["entry_id"],
            "recipients": [ayse],
            "message": "Front door opened.",
        },
    )
    assert response["accepted"] == [AYSE]
    sends = [
        e for e in _new_log(emulator_process, before) if e["function"] in TURKEY_SENDS
    ]
    assert len(sends) == 1, sends
    assert sends[0]["numbers"] == _digits(AYSE)


def test_restart_keeps_everything(
    ha: RealHomeAssistant, emulator_process: Emulator
) -> None:
    before = _entries(ha)
    ha.restart()
    ha.api.wait_until_loaded()
    after = _entries(ha)
    assert set(after) == set(before)
    for title, entry in after.items():
        assert entry["entry_id"] == before[title]["entry_id"]
        assert entry["state"] == "loaded", entry
        assert entry["num_subentries"] == 1
    _check_sensors(ha, emulator_process)
    _send_and_check(ha, emulator_process, "Back after a restart.")


def test_delivery_tracking_survives_a_restart(
    ha: RealHomeAssistant, emulator_process: Emulator
) -> None:
    """A tracked message sent before a restart reports its delivery after it."""
    status, _ = http_json(
        "POST",
        emulator_process.url + "/_emulator/delivery-scripts",
        {MEHMET: [[0, "out_of_coverage"], [15, "delivered"]]},
    )
    assert status == 200
    entries = _entries(ha)
    response = _send(
        ha,
        {
            "config_entry_id": entries["Turkey SMS Demo Home"]["entry_id"],
            "recipients": [MEHMET],
            "message": "The freezer is warm.",
            "track_delivery": True,
        },
    )
    assert response["accepted"] == [MEHMET]
    tracking_id = response["tracking_id"]

    ha.restart()
    ha.api.wait_until_loaded()
    deadline = time.monotonic() + 90
    seen: dict[str, Any] = {}
    while time.monotonic() < deadline:
        seen = {
            entity_id: state
            for entity_id, state in _integration_states(ha).items()
            if entity_id.startswith("event.")
        }
        attributes = [state["attributes"] for state in seen.values()]
        if any(
            a.get("tracking_id") == tracking_id and a.get("event_type") == "delivered"
            for a in attributes
        ):
            break
        time.sleep(1)
    else:
        pytest.fail(f"no delivery event after the restart: {seen}")
    assert MEHMET not in str(seen)


def test_an_automation_reaches_a_recipient_after_the_restart(
    ha: RealHomeAssistant, emulator_process: Emulator
) -> None:
    """The recipient's notify entity survived the restart and works from an automation."""
    states = _integration_states(ha)
    ayse = next(
        entity_id
        for entity_id, state in states.items()
        if entity_id.startswith("notify.")
        and state["attributes"]["friendly_name"].endswith("Ayşe")
    )
    assert states[ayse]["state"] != "unavailable"
    ha.api.ok(
        "POST",
        "/api/config/automation/config/leak_alert",
        {
            "alias": "Leak alert",
            "triggers": [{"trigger": "event", "event_type": "leak_detected"}],
            "actions": [
                {
                    "action": "notify.send_message",
                    "target": {"entity_id": ayse},
                    "data": {"message": "Water under the sink."},
                }
            ],
        },
    )
    ha.api.wait_for_state("automation.leak_alert", "on")
    before = len(emulator_process.log())
    ha.api.ok("POST", "/api/events/leak_detected", {})
    sends = emulator_process.wait_for_log(
        before, lambda entry: entry["function"] in TURKEY_SENDS
    )
    assert [entry["numbers"] for entry in sends] == [_digits(AYSE)]


def test_no_errors_logged(ha: RealHomeAssistant) -> None:
    assert ha.error_lines() == []


def test_nothing_reported_about_the_integration_up_to_shutdown(
    ha: RealHomeAssistant,
) -> None:
    """No "Detected that custom integration 'sms_gateway' ..." from setup to shutdown."""
    ha.stop()
    assert ha.reports_about_us() == []
    assert ha.error_lines() == []
