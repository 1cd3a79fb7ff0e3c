"""Bad input: a translated validation error, and not one HTTP request."""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.util.yaml import parse_yaml
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.sms_gateway.const import DOMAIN
from sms_emulator import Emulator

from .conftest import AYSE
from .schema_errors import refused_by_schema

LONG_GSM = "a" * (153 * 6 + 1)

BAD_SEND_SMS: list[tuple[str, dict[str, Any], str]] = [
    ("no recipients", {"message": "hi"}, "recipients_required"),
    (
        "empty recipient list",
        {"recipients": [], "message": "hi"},
        "recipients_required",
    ),
    # One bad number among the recipients of "hi".
    *(
        (name, {"recipients": [number], "message": "hi"}, key)
        for name, number, key in (
            ("empty number", "", "invalid_recipient_empty"),
            ("whitespace number", "   ", "invalid_recipient_empty"),
            ("letters", "0532ABC4567", "invalid_recipient_letters"),
            ("extension", "05321234567 ext 12", "invalid_recipient_extension"),
            ("query injection", "05321234567&password=x", "invalid_recipient_letters"),
            (
                "comma inside",
                "05321234567,05441234567",
                "invalid_recipient_extension",
            ),
            ("CR LF", "0532123\r\n4567", "invalid_recipient_invalid_characters"),
            ("17 digits", "+90532123456789012", "invalid_recipient_too_long"),
            ("landline", "02121234567", "invalid_recipient_not_mobile"),
            ("boolean", True, "invalid_recipient_invalid_characters"),
        )
    ),
    (
        "unknown entity",
        {"recipients": ["notify.somebody_else"], "message": "hi"},
        "unknown_recipient_entity",
    ),
    ("no message", {"recipients": [AYSE]}, "message_required"),
    # One bad message to a valid number.
    *(
        (name, {"recipients": [AYSE], "message": message}, key)
        for name, message, key in (
            ("empty message", "", "message_required"),
            ("whitespace message", " \n\t ", "message_required"),
            ("too many segments", LONG_GSM, "message_too_long"),
            ("lone surrogate", "a\ud800b", "message_invalid_characters"),
            ("NUL", "a\x00b", "message_invalid_characters"),
            ("control character", "a\x1bb", "message_invalid_characters"),
        )
    ),
    (
        "bad sender",
        {"recipients": [AYSE], "message": "hi", "sender": "a\nb"},
        "invalid_sender",
    ),
    (
        "long sender",
        {"recipients": [AYSE], "message": "hi", "sender": "X" * 17},
        "invalid_sender",
    ),
    (
        "messages and message",
        {
            "recipients": [AYSE],
            "message": "hi",
            "messages": [{"recipient": AYSE, "message": "x"}],
        },
        "message_and_messages",
    ),
    (
        "10,001 messages",
        {"messages": [{"recipient": AYSE, "message": "x"}] * 10_001},
        "too_many_recipients",
    ),
    (
        "messages naming 10,002 numbers",
        {
            "messages": [
                {"recipient": "notify.turkey_sms_demo_home_family", "message": "x"}
            ]
            * 5001
        },
        "too_many_recipients",
    ),
    (
        "10,001 recipients",
        {"recipients": [f"+90532{n:07d}" for n in range(10_001)], "message": "hi"},
        "too_many_recipients",
    ),
    (
        "unknown entry",
        {"config_entry_id": "nope", "recipients": [AYSE], "message": "hi"},
        "config_entry_not_found",
    ),
]


@pytest.mark.usefixtures("turkey_sms")
@pytest.mark.parametrize(
    ("data", "key"),
    [(data, key) for _, data, key in BAD_SEND_SMS],
    ids=[name for name, _, _ in BAD_SEND_SMS],
)
async def test_bad_send_sms_input_is_refused_before_any_request(
    hass: HomeAssistant, emulator: Emulator, data: dict[str, Any], key: str
) -> None:
    requests_before = len(emulator.log)
    with pytest.raises(ServiceValidationError) as caught:
        await hass.services.async_call(
            DOMAIN, "send_sms", data, blocking=True, return_response=True
        )
    assert caught.value.translation_key == key
    assert caught.value.translation_domain == DOMAIN
    assert len(emulator.log) == requests_before


# Wrong types and shapes: Home Assistant's schema refuses them.
REFUSED_BY_SCHEMA: list[tuple[str, dict[str, Any]]] = [
    ("messages not objects", {"messages": ["hi"]}),
    ("messages empty", {"messages": []}),
    ("messages extra key", {"messages": [{"recipient": AYSE, "message": "x", "x": 1}]}),
    ("recipient an object", {"recipients": [{"number": AYSE}], "message": "hi"}),
    ("recipient a float", {"recipients": [5321234567.0], "message": "hi"}),
    ("message a list", {"recipients": [AYSE], "message": ["hi"]}),
    ("sender a list", {"recipients": [AYSE], "message": "hi", "sender": ["X"]}),
    ("entry a list", {"config_entry_id": ["x"], "recipients": [AYSE], "message": "hi"}),
]


@pytest.mark.usefixtures("turkey_sms")
@pytest.mark.parametrize(
    "data",
    [data for _, data in REFUSED_BY_SCHEMA],
    ids=[name for name, _ in REFUSED_BY_SCHEMA],
)
async def test_a_wrong_type_is_refused_by_the_schema_before_any_request(
    hass: HomeAssistant, emulator: Emulator, data: dict[str, Any]
) -> None:
    requests_before = len(emulator.log)
    with refused_by_schema():
        await hass.services.async_call(
            DOMAIN, "send_sms", data, blocking=True, return_response=True
        )
    assert len(emulator.log) == requests_before


BAD_SEND_AT = [
    ("past", "2001-01-01T10:00:00+03:00", "send_at_in_past"),
    ("invalid", "next tuesday", "send_at_invalid"),
    ("naive in the past", "2001-01-01T10:00:00", "send_at_in_past"),
    # The tests' home is in US/Pacific, whose clocks skip 02:00-03:00 that day.
    ("skipped by the clocks", "2099-03-08 02:30", "send_at_skipped"),
]


@pytest.mark.parametrize(
    ("send_at", "key"),
    [(value, key) for _, value, key in BAD_SEND_AT],
    ids=[name for name, _, _ in BAD_SEND_AT],
)
async def test_bad_send_at_is_refused_before_any_request(
    hass: HomeAssistant,
    emulator: Emulator,
    hisms: MockConfigEntry,
    send_at: str,
    key: str,
) -> None:
    requests_before = len(emulator.log)
    with pytest.raises(ServiceValidationError) as caught:
        await hass.services.async_call(
            DOMAIN,
            "send_sms",
            {"recipients": ["0501234567"], "message": "hi", "send_at": send_at},
            blocking=True,
        )
    assert caught.value.translation_key == key
    assert len(emulator.log) == requests_before


@pytest.mark.usefixtures("turkey_sms")
async def test_an_unquoted_yaml_number_is_refused(
    hass: HomeAssistant, emulator: Emulator
) -> None:
    # Home Assistant's YAML (1.1) reads an unquoted 05321234567 as the octal
    # number 725956983: a different number, which must not get the message.
    data = parse_yaml("recipients: [05321234567]\nmessage: hi")
    assert data["recipients"] == [725956983]
    requests_before = len(emulator.log)
    with pytest.raises(ServiceValidationError) as caught:
        await hass.services.async_call(DOMAIN, "send_sms", data, blocking=True)
    assert caught.value.translation_key == "invalid_recipient_invalid"
    assert len(emulator.log) == requests_before


@pytest.mark.usefixtures("turkey_sms")
async def test_an_integer_from_a_template_is_a_number_in_the_default_country(
    hass: HomeAssistant, emulator: Emulator
) -> None:
    await hass.services.async_call(
        DOMAIN, "send_sms", {"recipients": [5321234567], "message": "hi"}, blocking=True
    )
    assert [m.number for m in emulator.sent_messages()] == ["905321234567"]


@pytest.mark.usefixtures("turkey_sms")
async def test_nfd_text_is_normalised_before_counting_and_sending(
    hass: HomeAssistant, emulator: Emulator
) -> None:
    response = await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {"recipients": [AYSE], "message": "s\u0327ehir"},
        blocking=True,
        return_response=True,
    )
    assert response is not None
    assert response["encoding"] == "gsm7_turkish"
    assert emulator.sent_messages()[0].text == "şehir"


async def test_without_an_entry_the_account_must_be_named(
    hass: HomeAssistant,
    emulator: Emulator,
    turkey_sms: MockConfigEntry,
    hisms: MockConfigEntry,
) -> None:
    with pytest.raises(ServiceValidationError) as caught:
        await hass.services.async_call(
            DOMAIN, "send_sms", {"recipients": [AYSE], "message": "hi"}, blocking=True
        )
    assert caught.value.translation_key == "config_entry_required"


async def test_an_unloaded_entry_is_refused(
    hass: HomeAssistant, emulator: Emulator, turkey_sms: MockConfigEntry
) -> None:
    await hass.config_entries.async_unload(turkey_sms.entry_id)
    with pytest.raises(ServiceValidationError) as caught:
        await hass.services.async_call(
            DOMAIN,
            "send_sms",
            {
                "config_entry_id": turkey_sms.entry_id,
                "recipients": [AYSE],
                "message": "hi",
            },
            blocking=True,
        )
    assert caught.value.translation_key == "config_entry_not_loaded"
