"""One-time codes: send, verify once, expire, and resist guessing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from custom_components.sms_gateway.const import DOMAIN, EVENT_MESSAGE_SENT
from sms_emulator import Emulator, Fault

from .conftest import AYSE, SARA
from .schema_errors import refused_by_schema

pytestmark = pytest.mark.usefixtures("turkey_sms")


async def call(hass: HomeAssistant, service: str, **data: Any) -> dict[str, Any]:
    response = await hass.services.async_call(
        DOMAIN, service, data, blocking=True, return_response=True
    )
    assert isinstance(response, dict)
    return response


async def test_turkey_sms_sends_its_own_code_and_it_verifies_once(
    hass: HomeAssistant, emulator: Emulator
) -> None:
    sent = await call(hass, "send_otp", recipient=AYSE, digits=5, return_code=True)
    assert len(sent["code"]) == 5
    assert sent["message_id"]
    assert sent["expires_at"]
    [message] = emulator.sent_messages()
    assert message.otp_code == sent["code"]
    assert await call(hass, "verify_otp", recipient=AYSE, code=sent["code"]) == {
        "valid": True,
        "reason": "valid",
    }
    again = await call(hass, "verify_otp", recipient=AYSE, code=sent["code"])
    assert again == {"valid": False, "reason": "no_code"}


async def test_a_template_puts_the_code_inside_your_text(
    hass: HomeAssistant, emulator: Emulator
) -> None:
    sent = await call(
        hass,
        "send_otp",
        recipient=AYSE,
        message="Kapı kodunuz: {code}\nİyi günler",
        return_code=True,
    )
    [message] = emulator.sent_messages()
    assert message.text == f"Kapı kodunuz: {sent['code']}\nİyi günler"


async def test_hisms_gets_a_locally_generated_code_as_plain_sms(
    hass: HomeAssistant, emulator: Emulator, hisms: MockConfigEntry
) -> None:
    sent = await call(
        hass,
        "send_otp",
        config_entry_id=hisms.entry_id,
        recipient=SARA,
        digits=4,
        return_code=True,
    )
    assert sent["code"].isdigit()
    assert len(sent["code"]) == 4
    [message] = emulator.sent_messages()
    assert sent["code"] in message.text
    verdict = await call(
        hass,
        "verify_otp",
        config_entry_id=hisms.entry_id,
        recipient="0501234567",
        code=sent["code"],
    )
    assert verdict["valid"] is True


async def test_five_wrong_codes_void_the_code(hass: HomeAssistant) -> None:
    sent = await call(hass, "send_otp", recipient=AYSE, return_code=True)
    wrong = "0000000" if sent["code"] != "0000000" else "1111111"
    reasons = [
        (await call(hass, "verify_otp", recipient=AYSE, code=wrong))["reason"]
        for _ in range(5)
    ]
    assert reasons == ["wrong_code"] * 4 + ["too_many_attempts"]
    late = await call(hass, "verify_otp", recipient=AYSE, code=sent["code"])
    assert late == {"valid": False, "reason": "no_code"}


async def test_a_code_expires_after_its_ttl(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    sent = await call(hass, "send_otp", recipient=AYSE, ttl=60, return_code=True)
    freezer.tick(timedelta(seconds=61))
    verdict = await call(hass, "verify_otp", recipient=AYSE, code=sent["code"])
    assert verdict == {"valid": False, "reason": "expired"}


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"message": "No placeholder"}, "otp_template_without_code"),
        (
            {"recipient": "notify.turkey_sms_demo_home_family"},
            "single_recipient_required",
        ),
        ({"recipient": "02121234567"}, "invalid_recipient_not_mobile"),
    ],
)
async def test_bad_otp_requests_are_refused_and_nothing_is_sent(
    hass: HomeAssistant, emulator: Emulator, data: dict[str, Any], key: str
) -> None:
    requests_before = len(emulator.log)
    with pytest.raises(ServiceValidationError) as caught:
        await call(hass, "send_otp", **({"recipient": AYSE} | data))
    assert caught.value.translation_key == key
    assert len(emulator.log) == requests_before


@pytest.mark.parametrize(
    "data",
    [
        {"digits": 3},
        {"digits": 7},
        {"digits": "six"},
        {"digits": True},
        {"ttl": 29},
        {"ttl": 3601},
        {"ttl": "soon"},
        {"recipient": None},
        {"message": ["{code}"]},
    ],
)
async def test_otp_values_of_the_wrong_type_or_range_are_refused_by_the_schema(
    hass: HomeAssistant, emulator: Emulator, data: dict[str, Any]
) -> None:
    requests_before = len(emulator.log)
    with refused_by_schema():
        await call(hass, "send_otp", **({"recipient": AYSE} | data))
    assert len(emulator.log) == requests_before


@pytest.mark.parametrize(("digits", "ttl"), [(4, 30), ("6", "3600"), (" 5 ", 60)])
async def test_otp_digits_and_ttl_at_the_ends_of_their_range_are_accepted(
    hass: HomeAssistant, digits: object, ttl: object
) -> None:
    sent = await call(
        hass, "send_otp", recipient=AYSE, digits=digits, ttl=ttl, return_code=True
    )
    assert len(sent["code"]) == int(str(digits))


async def test_a_code_of_the_wrong_type_is_refused_by_the_schema(
    hass: HomeAssistant,
) -> None:
    with refused_by_schema():
        await call(hass, "verify_otp", recipient=AYSE, code=None)


async def test_an_otp_whose_reply_was_lost_is_reported_unknown(
    hass: HomeAssistant, emulator: Emulator
) -> None:
    emulator.faults.add(Fault("drop_after", times=1))
    with pytest.raises(HomeAssistantError) as caught:
        await call(hass, "send_otp", recipient=AYSE)
    assert caught.value.translation_key == "outcome_unknown_single"
    assert len(emulator.sent_messages()) == 1


async def test_an_otp_send_fires_the_event_without_the_code(
    hass: HomeAssistant,
) -> None:
    events = async_capture_events(hass, EVENT_MESSAGE_SENT)
    sent = await call(hass, "send_otp", recipient=AYSE, return_code=True)
    await hass.async_block_till_done()
    [event] = events
    assert event.data["accepted"] == 1
    assert event.data["message_ids"] == [sent["message_id"]]
    assert sent["code"] not in str(event.data)


async def test_send_otp_keeps_the_code_out_of_its_response_unless_asked(
    hass: HomeAssistant, emulator: Emulator
) -> None:
    sent = await call(hass, "send_otp", recipient=AYSE)
    assert set(sent) == {"expires_at", "message_id", "queued", "outbox_id"}
    assert sent["queued"] is False
    [message] = emulator.sent_messages()
    assert message.otp_code is not None
    assert message.otp_code not in str(sent)
    verdict = await call(hass, "verify_otp", recipient=AYSE, code=message.otp_code)
    assert verdict == {"valid": True, "reason": "valid"}


async def test_return_code_false_leaves_the_code_out_and_true_returns_it(
    hass: HomeAssistant, emulator: Emulator
) -> None:
    sent = await call(hass, "send_otp", recipient=AYSE, return_code=False)
    assert "code" not in sent
    asked = await call(hass, "send_otp", recipient=AYSE, return_code=True)
    assert asked["code"] == emulator.sent_messages()[-1].otp_code


async def test_verify_otp_finds_the_account_by_recipient(
    hass: HomeAssistant, emulator: Emulator, hisms: MockConfigEntry
) -> None:
    await call(
        hass, "send_otp", config_entry_id=hisms.entry_id, recipient=SARA, digits=4
    )
    [message] = emulator.sent_messages()
    code = message.text[-4:]
    # The HiSMS account reads the local number with its own default country.
    verdict = await call(hass, "verify_otp", recipient="0501234567", code=code)
    assert verdict == {"valid": True, "reason": "valid"}


async def test_verify_otp_without_a_code_anywhere_answers_no_code(
    hass: HomeAssistant, hisms: MockConfigEntry
) -> None:
    verdict = await call(hass, "verify_otp", recipient=AYSE, code="123456")
    assert verdict == {"valid": False, "reason": "no_code"}


@pytest.mark.parametrize(
    ("live_elsewhere", "reason"), [(True, "valid"), (False, "expired")]
)
async def test_a_live_code_wins_over_an_expired_one_of_another_account(
    hass: HomeAssistant,
    emulator: Emulator,
    hisms: MockConfigEntry,
    turkey_sms: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    live_elsewhere: bool,
    reason: str,
) -> None:
    await call(hass, "send_otp", config_entry_id=hisms.entry_id, recipient=AYSE, ttl=30)
    freezer.tick(timedelta(seconds=31))
    code = "1234"
    if live_elsewhere:
        await call(
            hass, "send_otp", recipient=AYSE, config_entry_id=turkey_sms.entry_id
        )
        code = str(emulator.sent_messages()[-1].otp_code)
    verdict = await call(hass, "verify_otp", recipient=AYSE, code=code)
    assert verdict == {"valid": reason == "valid", "reason": reason}


async def test_two_accounts_waiting_for_one_number_need_the_account_named(
    hass: HomeAssistant,
    emulator: Emulator,
    hisms: MockConfigEntry,
    turkey_sms: MockConfigEntry,
) -> None:
    await call(hass, "send_otp", config_entry_id=hisms.entry_id, recipient=AYSE)
    await call(hass, "send_otp", config_entry_id=turkey_sms.entry_id, recipient=AYSE)
    code = emulator.sent_messages()[-1].otp_code
    assert code is not None
    with pytest.raises(ServiceValidationError) as caught:
        await call(hass, "verify_otp", recipient=AYSE, code=code)
    assert caught.value.translation_key == "otp_account_ambiguous"
    verdict = await call(
        hass,
        "verify_otp",
        config_entry_id=turkey_sms.entry_id,
        recipient=AYSE,
        code=code,
    )
    assert verdict == {"valid": True, "reason": "valid"}


async def test_verify_otp_refuses_a_recipient_no_account_can_read(
    hass: HomeAssistant, hisms: MockConfigEntry
) -> None:
    with pytest.raises(ServiceValidationError) as caught:
        await call(hass, "verify_otp", recipient="02121234567", code="1234")
    assert caught.value.translation_key == "invalid_recipient_not_mobile"
