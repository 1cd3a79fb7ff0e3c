"""The account form's test SMS: a sender the provider has not approved shows at once.

One request per try, never retried; the number is only ever shown masked.
"""

from __future__ import annotations

import logging
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.sms_gateway.const import CONF_SENDER
from custom_components.sms_gateway.sender_check import TEST_MESSAGE
from sms_emulator import Emulator, Fault

from .conftest import AYSE, SARA, SENDER
from .flows import (
    assert_aborted,
    field_names,
    hisms_input,
    shown,
    submit_provider_form,
    turkey_input,
)

SEND_FUNCTION = {"turkey_sms": "send_one", "hisms": "send_sms"}
LOCAL_NUMBER = {"turkey_sms": "0532 123 45 67", "hisms": "050 123 4567"}
INTERNATIONAL = {"turkey_sms": AYSE, "hisms": SARA}
PROVIDER_INPUT = {"turkey_sms": turkey_input, "hisms": hisms_input}


def form_input(provider: str, emulator: Emulator, **changes: Any) -> dict[str, Any]:
    return {**PROVIDER_INPUT[provider](emulator.base_url), **changes}


def sends(emulator: Emulator, provider: str) -> int:
    return sum(1 for e in emulator.log if e.function == SEND_FUNCTION[provider])


def assert_only_masked(
    result: Any, caplog: pytest.LogCaptureFixture, number: str
) -> None:
    for text in (shown(result), caplog.text):
        assert number[-9:] not in text


@pytest.mark.parametrize("provider", ["turkey_sms", "hisms"])
async def test_a_test_sms_goes_out_with_the_sender_before_the_account_is_added(
    hass: HomeAssistant, emulator: Emulator, provider: str
) -> None:
    _, result = await submit_provider_form(
        hass,
        provider,
        form_input(provider, emulator, test_number=LOCAL_NUMBER[provider]),
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert "test_number" not in result["data"]
    [message] = emulator.sent_messages()
    assert message.number == INTERNATIONAL[provider].lstrip("+")
    assert message.sender == SENDER
    assert message.text == TEST_MESSAGE
    assert sends(emulator, provider) == 1


@pytest.mark.parametrize(
    ("provider", "sender", "error"),
    [
        ("turkey_sms", "OLDSENDER", "sender_not_active"),  # TS-1028
        ("turkey_sms", "NOSUCHSENDER", "sender_unknown"),  # TS-1029
        ("hisms", "PENDING", "sender_not_active"),  # 7
        ("hisms", "NOSUCHSENDER", "sender_unknown"),  # 6
    ],
)
async def test_a_sender_the_provider_has_not_approved_is_named_on_the_form(
    hass: HomeAssistant,
    emulator: Emulator,
    caplog: pytest.LogCaptureFixture,
    provider: str,
    sender: str,
    error: str,
) -> None:
    caplog.set_level(logging.DEBUG)
    typed = {"test_number": INTERNATIONAL[provider]}

    flow_id, result = await submit_provider_form(
        hass, provider, form_input(provider, emulator, sender=sender, **typed)
    )

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_SENDER: error}
    assert not hass.config_entries.async_entries("sms_gateway")
    assert emulator.sent_messages() == []
    assert sends(emulator, provider) == 1
    assert_only_masked(result, caplog, INTERNATIONAL[provider])

    result = await hass.config_entries.flow.async_configure(
        flow_id, form_input(provider, emulator, **typed)
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert sends(emulator, provider) == 2


@pytest.mark.parametrize("number", ["0212 123 45 67", "12", "call me"])
async def test_a_test_number_that_cannot_get_sms_is_refused_before_any_request(
    hass: HomeAssistant, emulator: Emulator, number: str
) -> None:
    _, result = await submit_provider_form(
        hass, "turkey_sms", form_input("turkey_sms", emulator, test_number=number)
    )

    assert result["errors"] == {"test_number": "test_number_invalid"}
    assert emulator.log == []
    # The emulator's address (a default in the form) may hold the digits by chance.
    assert "4567" not in shown(result).replace(emulator.base_url, "")


@pytest.mark.parametrize(
    ("fault", "errors"),
    [
        (
            Fault("drop_after", function="send_one", times=1),
            {"base": "test_sms_unconfirmed"},
        ),
        (
            Fault("result_code", function="send_one", code="TS-1034", times=1),
            {"test_number": "test_number_refused"},
        ),
        (
            Fault("result_code", function="send_one", code="TS-1027", times=1),
            {"base": "test_sms_refused"},
        ),
        (
            Fault("http_status", function="send_one", status=503, times=1),
            {"base": "cannot_connect"},
        ),
    ],
    ids=["answer_lost", "number_refused", "no_balance", "unreachable"],
)
async def test_a_failed_test_sms_is_reported_and_never_sent_again(
    hass: HomeAssistant, emulator: Emulator, fault: Fault, errors: dict[str, str]
) -> None:
    emulator.faults.add(fault)

    _, result = await submit_provider_form(
        hass, "turkey_sms", form_input("turkey_sms", emulator, test_number=AYSE)
    )

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    assert result["description_placeholders"] == {"number": "+90*******67"}
    assert sends(emulator, "turkey_sms") == 1


async def test_an_account_already_added_sends_no_test_sms(
    hass: HomeAssistant, emulator: Emulator, turkey_sms_entry: MockConfigEntry
) -> None:
    turkey_sms_entry.add_to_hass(hass)

    _, result = await submit_provider_form(
        hass, "turkey_sms", form_input("turkey_sms", emulator, test_number=AYSE)
    )

    assert_aborted(result, "already_configured")
    assert sends(emulator, "turkey_sms") == 0


async def test_reconfigure_sends_a_test_sms_with_the_new_sender(
    hass: HomeAssistant,
    emulator: Emulator,
    hisms_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    hisms_entry.add_to_hass(hass)
    result = await hisms_entry.start_reconfigure_flow(hass)
    assert "test_number" in field_names(result)
    typed = {"password": "", "test_number": "0501234567"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], form_input("hisms", emulator, sender="PENDING", **typed)
    )

    assert result["errors"] == {CONF_SENDER: "sender_not_active"}
    assert result["description_placeholders"] == {
        "name": "HiSMS",
        "number": "*******67",
    }
    assert hisms_entry.data[CONF_SENDER] == SENDER
    assert_only_masked(result, caplog, SARA)

    emulator.state.hisms_accounts["966500000001"].senders["PENDING"] = "active"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], form_input("hisms", emulator, sender="PENDING", **typed)
    )

    assert_aborted(result, "reconfigure_successful")
    assert hisms_entry.data[CONF_SENDER] == "PENDING"
    assert "test_number" not in hisms_entry.data
    [message] = emulator.sent_messages()
    assert message.sender == "PENDING"
    assert sends(emulator, "hisms") == 2
