"""The send_sms action: one text to many, a text per number, outcomes, errors."""

from __future__ import annotations

import asyncio
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.sms_gateway.const import DOMAIN, EVENT_MESSAGE_SENT
from sms_emulator import Emulator, Fault

from .conftest import AYSE, MEHMET, SARA

pytestmark = pytest.mark.usefixtures("turkey_sms")


async def send_sms(hass: HomeAssistant, **data: Any) -> dict[str, Any]:
    response = await hass.services.async_call(
        DOMAIN, "send_sms", data, blocking=True, return_response=True
    )
    assert isinstance(response, dict)
    return response


def sends(emulator: Emulator) -> list[str]:
    return [entry.function for entry in emulator.log if entry.processed]


async def test_send_sms_to_one_number_uses_the_single_endpoint(
    hass: HomeAssistant, emulator: Emulator, snapshot: SnapshotAssertion
) -> None:
    response = await send_sms(hass, recipients=["05321234567"], message="Door open")
    assert response == snapshot
    [message] = emulator.sent_messages()
    assert (message.number, message.text, message.sender) == (
        "905321234567",
        "Door open",
        "HOMEALERT",
    )
    assert message.function == "send_one"


async def test_send_sms_to_three_numbers_uses_one_group_request(
    hass: HomeAssistant, emulator: Emulator
) -> None:
    response = await send_sms(
        hass,
        recipients=[AYSE, MEHMET, "+90 505 123 45 67"],
        message="Water leak in the kitchen",
    )
    assert response["accepted"] == [AYSE, MEHMET, "+905051234567"]
    assert response["requests"] == 1
    assert response["report_id"] is not None
    assert [m.number for m in emulator.sent_messages()] == [
        "905321234567",
        "905441234567",
        "905051234567",
    ]
    assert sends(emulator).count("send_group") == 1


async def test_one_number_written_three_ways_gets_one_message(
    hass: HomeAssistant, emulator: Emulator
) -> None:
    response = await send_sms(
        hass,
        recipients=["05321234567", "+905321234567", "0090 532 123 45 67", 5321234567],
        message="Once",
    )
    assert response["accepted"] == [AYSE]
    assert len(emulator.sent_messages()) == 1


async def test_recipient_entities_expand_to_their_numbers(
    hass: HomeAssistant, emulator: Emulator
) -> None:
    response = await send_sms(
        hass,
        recipients=["notify.turkey_sms_demo_home_family", AYSE],
        message="Dinner is ready",
    )
    assert response["accepted"] == [AYSE, MEHMET]


async def test_a_text_per_number_goes_in_one_request(
    hass: HomeAssistant, emulator: Emulator
) -> None:
    response = await send_sms(
        hass,
        messages=[
            {"recipient": AYSE, "message": "Your parcel is here"},
            {"recipient": MEHMET, "message": "Your car is ready"},
        ],
    )
    assert response["accepted"] == [AYSE, MEHMET]
    assert response["requests"] == 1
    texts = {m.number: m.text for m in emulator.sent_messages()}
    assert texts == {
        "905321234567": "Your parcel is here",
        "905441234567": "Your car is ready",
    }


async def test_texts_in_different_alphabets_are_not_charged_as_unicode(
    hass: HomeAssistant, emulator: Emulator
) -> None:
    # One request declares one alphabet; a GSM-7 text in a Unicode request
    # would be sent, and charged, as Unicode.
    english = "a" * 100  # 1 part in GSM-7, 2 parts in UCS-2
    arabic = "طردك وصل"
    response = await send_sms(
        hass,
        messages=[
            {"recipient": AYSE, "message": english},
            {"recipient": MEHMET, "message": arabic},
        ],
    )
    assert response["accepted"] == [AYSE, MEHMET]
    assert response["requests"] == 2
    assert response["encoding"] == "mixed"
    charged = {m.number: m.segments for m in emulator.sent_messages()}
    assert charged == {"905321234567": 1, "905441234567": 1}
    assert emulator.state.turkey_accounts["demo-turkey-key"].local_balance == 998


async def test_the_response_counts_segments_encoding_and_credits(
    hass: HomeAssistant, emulator: Emulator
) -> None:
    response = await send_sms(hass, recipients=[AYSE, MEHMET], message="ب" * 71)
    assert response["segments"] == 2
    assert response["encoding"] == "ucs2"
    assert response["credits"] == 4
    assert emulator.state.turkey_accounts["demo-turkey-key"].local_balance == 996


async def test_the_event_carries_counts_and_ids_but_no_text_or_number(
    hass: HomeAssistant, emulator: Emulator
) -> None:
    events = async_capture_events(hass, EVENT_MESSAGE_SENT)
    response = await send_sms(hass, recipients=[AYSE], message="Secret text")
    await hass.async_block_till_done()
    [event] = events
    assert event.data["accepted"] == 1
    assert event.data["message_ids"] == response["message_ids"]
    assert "Secret text" not in str(event.data)
    assert "5321234567" not in str(event.data)


async def test_a_custom_sender_is_used(hass: HomeAssistant, emulator: Emulator) -> None:
    emulator.state.turkey_accounts["demo-turkey-key"].senders["OFFICE"] = "active"
    await send_sms(hass, recipients=[AYSE], message="hi", sender="OFFICE")
    assert emulator.sent_messages()[0].sender == "OFFICE"


async def test_an_inactive_sender_is_a_translated_error(
    hass: HomeAssistant, emulator: Emulator
) -> None:
    with pytest.raises(HomeAssistantError) as caught:
        await send_sms(hass, recipients=[AYSE], message="hi", sender="OLDSENDER")
    assert caught.value.translation_key == "sender_not_active"
    assert emulator.sent_messages() == []


async def test_an_empty_balance_is_reported_and_nothing_is_sent(
    hass: HomeAssistant, emulator: Emulator
) -> None:
    emulator.state.turkey_accounts["demo-turkey-key"].local_balance = 0
    with pytest.raises(HomeAssistantError) as caught:
        await send_sms(hass, recipients=[AYSE], message="hi")
    assert caught.value.translation_key == "insufficient_balance"
    assert emulator.sent_messages() == []


async def test_a_lost_reply_is_reported_unknown_and_never_sent_again(
    hass: HomeAssistant, emulator: Emulator
) -> None:
    emulator.faults.add(Fault("drop_after", times=1))
    response = await send_sms(hass, recipients=[AYSE, MEHMET], message="hi")
    assert response["unknown"] == [AYSE, MEHMET]
    assert response["accepted"] == []
    assert len(emulator.sent_messages()) == 2
    assert sends(emulator).count("send_group") == 1


async def test_without_a_response_an_unknown_outcome_raises(
    hass: HomeAssistant, emulator: Emulator
) -> None:
    emulator.faults.add(Fault("drop_after", times=1))
    with pytest.raises(HomeAssistantError) as caught:
        await hass.services.async_call(
            DOMAIN, "send_sms", {"recipients": [AYSE], "message": "hi"}, blocking=True
        )
    assert caught.value.translation_key == "outcome_unknown"
    assert len(emulator.sent_messages()) == 1


async def test_a_refused_connection_is_retried_and_then_sent_once(
    hass: HomeAssistant, emulator: Emulator
) -> None:
    emulator.faults.add(Fault("http_status", status=503, times=1))
    response = await send_sms(hass, recipients=[AYSE], message="hi")
    assert response["accepted"] == [AYSE]
    assert response["requests"] == 2
    assert len(emulator.sent_messages()) == 1


async def test_scheduling_is_a_validation_error_where_unsupported(
    hass: HomeAssistant, emulator: Emulator
) -> None:
    requests_before = len(emulator.log)
    with pytest.raises(ServiceValidationError) as caught:
        await send_sms(
            hass,
            recipients=[AYSE],
            message="later",
            send_at="2099-01-01T10:00:00+03:00",
        )
    assert caught.value.translation_key == "scheduling_not_supported"
    assert len(emulator.log) == requests_before


async def test_the_balance_is_refreshed_right_after_a_send(
    hass: HomeAssistant, emulator: Emulator
) -> None:
    before = [e.function for e in emulator.log].count("balance")
    await send_sms(hass, recipients=[AYSE], message="hi")
    await hass.async_block_till_done(wait_background_tasks=True)
    assert [e.function for e in emulator.log].count("balance") == before + 1


async def test_hisms_schedules_a_message(
    hass: HomeAssistant, emulator: Emulator, hisms: MockConfigEntry
) -> None:
    response = await send_sms(
        hass,
        config_entry_id=hisms.entry_id,
        recipients=[SARA],
        message="Reminder",
        send_at="2099-01-01T10:00:00+03:00",
    )
    assert response["accepted"] == [SARA]
    [message] = emulator.sent_messages()
    assert message.status == "scheduled"
    assert message.scheduled_for is not None


async def test_a_cancelled_send_gives_an_honest_account(
    hass: HomeAssistant, emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    events = async_capture_events(hass, EVENT_MESSAGE_SENT)
    emulator.faults.add(Fault("hang_after", seconds=5, function="send_group"))
    task = hass.async_create_task(
        hass.services.async_call(
            DOMAIN,
            "send_sms",
            {"recipients": [AYSE, MEHMET], "message": "x"},
            blocking=True,
        )
    )
    for _ in range(100):
        if any(
            entry.processed for entry in emulator.log if entry.function == "send_group"
        ):
            break
        await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    [event] = events
    assert event.data["cancelled"] is True
    assert event.data["unknown"] == 2
    assert "2 unknown" in caplog.text
    emulator.faults.clear()


async def test_ten_thousand_recipients_go_out_in_twenty_group_requests(
    hass: HomeAssistant, emulator: Emulator
) -> None:
    emulator.state.turkey_accounts["demo-turkey-key"].local_balance = 20_000
    numbers = [f"0532{n:07d}" for n in range(10_000)]
    response = await send_sms(hass, recipients=numbers, message="Announcement")
    assert len(response["accepted"]) == 10_000
    assert response["requests"] == 20
    assert response["credits"] == 10_000
    sizes = [len(e.numbers) for e in emulator.log if e.function == "send_group"]
    assert sizes == [500] * 20
    assert len({m.number for m in emulator.sent_messages()}) == 10_000


@pytest.mark.parametrize(("retry_minutes", "left"), [(0, "not_sent"), (30, "queued")])
async def test_ts_1060_stops_a_bulk_send_without_retries(
    hass: HomeAssistant, emulator: Emulator, retry_minutes: int, left: str
) -> None:
    """The rest waits for the next minute's window in the outbox, or is not sent."""
    emulator.rate_limit_per_minute = 600
    numbers = [f"90532{n:07d}" for n in range(1_200)]

    response = await send_sms(
        hass, recipients=numbers, message="Announcement", retry_minutes=retry_minutes
    )

    groups = [e for e in emulator.log if e.function == "send_group"]
    accepted = [e for e in groups if e.outcome == "TS-1024"]
    refused = [e for e in groups if e.outcome == "TS-1060"]
    assert len(accepted) == 1
    assert len(accepted[0].numbers) == 500
    assert len(response["accepted"]) == 500
    assert len(refused) + len(accepted) == len(groups) == response["requests"]
    assert len({e.numbers for e in groups}) == len(groups)
    if left == "not_sent":
        assert len(response["not_sent"]) == 700
        assert {item["reason"] for item in response["not_sent"]} == {"rate_limited"}
        assert not response["queued"]
    else:
        assert len(response["queued"]) == 700
        assert not response["not_sent"]
    assert len(emulator.sent_messages()) == 500


async def test_concurrent_sends_share_one_request_budget_per_account(
    hass: HomeAssistant, emulator: Emulator
) -> None:
    emulator.state.turkey_accounts["demo-turkey-key"].local_balance = 20_000
    emulator.latency = 0.02
    most = 0

    async def watch() -> None:
        nonlocal most
        while True:
            in_flight = sum(entry.outcome == "pending" for entry in emulator.log)
            most = max(most, in_flight)
            await asyncio.sleep(0.002)

    watcher = asyncio.create_task(watch())
    try:
        responses = await asyncio.gather(
            *(
                send_sms(
                    hass,
                    recipients=[f"90532{call:02d}{n:05d}" for n in range(1_500)],
                    message="Announcement",
                )
                for call in range(10)
            )
        )
    finally:
        watcher.cancel()

    assert [len(r["accepted"]) for r in responses] == [1_500] * 10
    assert [r["requests"] for r in responses] == [3] * 10
    assert len([e for e in emulator.log if e.function == "send_group"]) == 30
    assert most == 4


async def test_a_send_does_not_wait_for_the_balance_refresh(
    hass: HomeAssistant, emulator: Emulator
) -> None:
    emulator.faults.add(Fault("hang_before", function="balance", seconds=30))
    async with asyncio.timeout(10):
        response = await send_sms(hass, recipients=[AYSE], message="hi")
    assert response["accepted"] == [AYSE]
