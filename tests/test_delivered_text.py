"""What reaches the phone is what was sent, in every alphabet."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.sms_gateway.const import DOMAIN
from sms_emulator import Emulator

from .conftest import AYSE, MEHMET, SARA

TEXTS = {
    "english": "The garage door is open [check] {now} ~ 5€",
    "turkish": "Kapı açık kaldı: şimdi kontrol et, Çağrı! İğdır ğüşıöç",
    "arabic": "تم فتح الباب الأمامي، تحقق الآن",
    "mixed": "Alarm 🚨 kapı açık — الباب مفتوح\nCheck now",
}


@pytest.mark.parametrize("text", list(TEXTS.values()), ids=list(TEXTS))
@pytest.mark.parametrize(
    ("account", "numbers"),
    [
        ("turkey_sms", [AYSE]),
        ("turkey_sms", [AYSE, MEHMET]),
        ("hisms", [SARA]),
    ],
    ids=["turkey_sms_one", "turkey_sms_group", "hisms"],
    indirect=["account"],
)
async def test_the_inbox_shows_exactly_the_text_that_was_sent(
    hass: HomeAssistant,
    emulator: Emulator,
    account: MockConfigEntry,
    numbers: list[str],
    text: str,
) -> None:
    response = await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {"config_entry_id": account.entry_id, "recipients": numbers, "message": text},
        blocking=True,
        return_response=True,
    )
    assert response is not None
    assert sorted(response["accepted"]) == sorted(numbers)
    messages = emulator.sent_messages()
    assert sorted(m.number for m in messages) == sorted(
        n.removeprefix("+") for n in numbers
    )
    assert {m.text for m in messages} == {text}
