"""The spend guard: a daily limit of SMS parts and a filter of repeated texts."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
import json
from typing import Any
from zoneinfo import ZoneInfo

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.notify import DOMAIN as NOTIFY_DOMAIN
from homeassistant.core import HomeAssistant, State
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)

from custom_components.sms_gateway.const import (
    DOMAIN,
    EVENT_LIMIT_REACHED,
    EVENT_MESSAGE_SENT,
)
from custom_components.sms_gateway.spend_guard import SPEND_GUARDS
from sms_emulator import Emulator, Fault

from .conftest import AYSE, MEHMET, SARA, let_time_pass

TODAY = "sensor.turkey_sms_demo_home_sms_parts_sent_today"
HISMS_TODAY = "sensor.hisms_sms_parts_sent_today"
BERLIN = ZoneInfo("Europe/Berlin")
THREE_PARTS = "a" * 400
"""400 characters of the GSM alphabet: three SMS parts."""


async def set_up(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    *,
    daily_limit: int = 0,
    repeat_window_minutes: int = 0,
) -> MockConfigEntry:
    """Set the account up with these limits in its options."""
    entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        entry,
        options={
            **entry.options,
            "daily_limit": daily_limit,
            "repeat_window_minutes": repeat_window_minutes,
        },
    )
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


async def answer(hass: HomeAssistant, service: str, **data: Any) -> dict[str, Any]:
    """Call one of the integration's services; its response."""
    response = await hass.services.async_call(
        DOMAIN, service, data, blocking=True, return_response=True
    )
    assert isinstance(response, dict)
    return response


async def send_sms(hass: HomeAssistant, **data: Any) -> dict[str, Any]:
    return await answer(hass, "send_sms", **data)


async def refused(hass: HomeAssistant, domain: str, service: str, **data: Any) -> Any:
    """Call a service that the daily limit refuses; the error's placeholders."""
    with pytest.raises(HomeAssistantError) as caught:
        await hass.services.async_call(domain, service, data, blocking=True)
    assert caught.value.translation_domain == DOMAIN
    assert caught.value.translation_key == "daily_limit_reached"
    return caught.value.translation_placeholders


async def notify_ayse(hass: HomeAssistant, message: str) -> None:
    await hass.services.async_call(
        NOTIFY_DOMAIN,
        "send_message",
        {"entity_id": "notify.turkey_sms_demo_home_ayse", "message": message},
        blocking=True,
    )


async def refused_by_the_provider(
    hass: HomeAssistant, emulator: Emulator, **data: Any
) -> HomeAssistantError:
    """Send while the provider refuses the next single send; the error raised."""
    emulator.faults.add(
        Fault("result_code", code="TS-1027", function="send_one", times=1)
    )
    with pytest.raises(HomeAssistantError) as caught:
        await send_sms(hass, **data)
    return caught.value


def requests(emulator: Emulator) -> int:
    return len(emulator.log)


def today(hass: HomeAssistant, entity_id: str = TODAY) -> State:
    state = hass.states.get(entity_id)
    assert state is not None
    return state


def last_reset(hass: HomeAssistant) -> datetime | None:
    return dt_util.parse_datetime(today(hass).attributes["last_reset"])


def limit_issue(hass: HomeAssistant, entry: MockConfigEntry) -> ir.IssueEntry | None:
    return ir.async_get(hass).async_get_issue(
        DOMAIN, f"daily_limit_reached_{entry.entry_id}"
    )


# -- the daily limit -------------------------------------------------------------


async def test_a_send_past_the_daily_limit_is_refused_whole_before_any_request(
    hass: HomeAssistant, emulator: Emulator, turkey_sms_entry: MockConfigEntry
) -> None:
    entry = await set_up(hass, turkey_sms_entry, daily_limit=5)
    reached = async_capture_events(hass, EVENT_LIMIT_REACHED)
    await send_sms(hass, recipients=[AYSE], message=THREE_PARTS)
    assert [m.segments for m in emulator.sent_messages()] == [3]
    before = requests(emulator)

    placeholders = await refused(
        hass, DOMAIN, "send_sms", recipients=[AYSE], message=THREE_PARTS
    )

    assert placeholders == {"limit": "5", "remaining": "2", "needed": "3"}
    assert requests(emulator) == before
    assert len(emulator.sent_messages()) == 1
    assert [event.data for event in reached] == [
        {
            "config_entry_id": entry.entry_id,
            "limit": 5,
            "needed": 3,
            "remaining": 2,
        }
    ]
    issue = limit_issue(hass, entry)
    assert issue is not None
    assert issue.translation_key == "daily_limit_reached"
    assert issue.translation_placeholders == {"title": entry.title, "limit": "5"}
    assert issue.severity is ir.IssueSeverity.WARNING
    state = today(hass)
    assert state.state == "3"
    assert state.attributes["limit"] == 5
    assert state.attributes["remaining"] == 2
    # What is left still goes out.
    await send_sms(hass, recipients=[AYSE, MEHMET], message="Door open")
    assert today(hass).state == "5"
    assert today(hass).attributes["remaining"] == 0


async def test_each_provider_counts_parts_times_numbers(
    hass: HomeAssistant, emulator: Emulator, account_entry: MockConfigEntry
) -> None:
    turkey = account_entry.data["provider"] == "turkey_sms"
    numbers = [AYSE, MEHMET] if turkey else [SARA]
    entity_id = TODAY if turkey else HISMS_TODAY
    await set_up(hass, account_entry, daily_limit=3 * len(numbers) + 1)
    await send_sms(hass, recipients=numbers, message=THREE_PARTS)
    assert today(hass, entity_id).state == str(3 * len(numbers))
    before = requests(emulator)
    await refused(hass, DOMAIN, "send_sms", recipients=numbers, message=THREE_PARTS)
    assert requests(emulator) == before


async def test_ten_sends_at_once_never_pass_the_limit(
    hass: HomeAssistant, emulator: Emulator, turkey_sms_entry: MockConfigEntry
) -> None:
    await set_up(hass, turkey_sms_entry, daily_limit=5)
    outcomes = await asyncio.gather(
        *(
            hass.services.async_call(
                DOMAIN,
                "send_sms",
                {"recipients": [AYSE], "message": f"Motion {n}"},
                blocking=True,
            )
            for n in range(10)
        ),
        return_exceptions=True,
    )
    errors = [o for o in outcomes if isinstance(o, BaseException)]
    assert len(emulator.sent_messages()) == 5
    assert len(errors) == 5
    assert all(
        isinstance(e, HomeAssistantError) and e.translation_key == "daily_limit_reached"
        for e in errors
    )
    assert today(hass).state == "5"


async def test_ignore_limits_sends_past_the_limit_and_still_counts(
    hass: HomeAssistant, emulator: Emulator, turkey_sms_entry: MockConfigEntry
) -> None:
    await set_up(hass, turkey_sms_entry, daily_limit=5)
    await send_sms(hass, recipients=[AYSE], message=THREE_PARTS)
    response = await send_sms(
        hass, recipients=[AYSE], message=THREE_PARTS, ignore_limits=True
    )
    assert response["accepted"] == [AYSE]
    assert len(emulator.sent_messages()) == 2
    assert today(hass).state == "6"
    assert today(hass).attributes["remaining"] == 0
    await refused(hass, DOMAIN, "send_sms", recipients=[AYSE], message="hi")


async def test_notify_entities_and_the_legacy_service_are_refused_past_the_limit(
    hass: HomeAssistant, emulator: Emulator, turkey_sms_entry: MockConfigEntry
) -> None:
    await set_up(hass, turkey_sms_entry, daily_limit=1)
    placeholders = await refused(
        hass,
        NOTIFY_DOMAIN,
        "send_message",
        entity_id="notify.turkey_sms_demo_home_family",
        message="Dinner",
    )
    assert placeholders == {"limit": "1", "remaining": "1", "needed": "2"}
    await refused(
        hass, NOTIFY_DOMAIN, "turkey_sms_demo_home", message=THREE_PARTS, target=AYSE
    )
    assert requests(emulator) == 1  # the balance poll of the setup
    await notify_ayse(hass, "Dinner")
    assert len(emulator.sent_messages()) == 1


async def test_parts_that_certainly_did_not_go_out_are_given_back(
    hass: HomeAssistant, emulator: Emulator, turkey_sms_entry: MockConfigEntry
) -> None:
    await set_up(hass, turkey_sms_entry, daily_limit=3)
    error = await refused_by_the_provider(
        hass, emulator, recipients=[AYSE], message=THREE_PARTS
    )
    assert error.translation_key == "insufficient_balance"
    assert today(hass).state == "0"
    await send_sms(hass, recipients=[AYSE], message=THREE_PARTS)
    assert today(hass).state == "3"


async def test_parts_that_may_have_gone_out_stay_counted(
    hass: HomeAssistant, emulator: Emulator, turkey_sms_entry: MockConfigEntry
) -> None:
    await set_up(hass, turkey_sms_entry, daily_limit=5)
    emulator.faults.add(Fault("drop_after", function="send_one", times=1))
    response = await send_sms(hass, recipients=[AYSE], message=THREE_PARTS)
    assert response["unknown"] == [AYSE]
    assert today(hass).state == "3"
    await refused(hass, DOMAIN, "send_sms", recipients=[AYSE], message=THREE_PARTS)


async def test_one_time_codes_count_toward_the_limit_and_verifying_is_free(
    hass: HomeAssistant, emulator: Emulator, turkey_sms_entry: MockConfigEntry
) -> None:
    await set_up(hass, turkey_sms_entry, daily_limit=2)
    response = await answer(hass, "send_otp", recipient=AYSE, return_code=True)
    await answer(hass, "verify_otp", recipient=AYSE, code=response["code"])
    assert today(hass).state == "1"
    emulator.faults.add(
        Fault("result_code", code="TS-1027", function="otp_post", times=1)
    )
    with pytest.raises(HomeAssistantError):
        await hass.services.async_call(
            DOMAIN, "send_otp", {"recipient": AYSE}, blocking=True
        )
    assert today(hass).state == "1"
    await hass.services.async_call(
        DOMAIN, "send_otp", {"recipient": MEHMET}, blocking=True
    )
    assert today(hass).state == "2"
    before = requests(emulator)
    placeholders = await refused(hass, DOMAIN, "send_otp", recipient=AYSE)
    assert placeholders == {"limit": "2", "remaining": "0", "needed": "1"}
    assert requests(emulator) == before


async def test_a_long_one_time_code_text_counts_its_parts(
    hass: HomeAssistant, emulator: Emulator, turkey_sms_entry: MockConfigEntry
) -> None:
    await set_up(hass, turkey_sms_entry, daily_limit=3)
    text = "Your code is {code}. " + "a" * 450
    placeholders = await refused(hass, DOMAIN, "send_otp", recipient=AYSE, message=text)
    assert placeholders["needed"] == "4"
    assert emulator.sent_messages() == []


# -- the repair issue ------------------------------------------------------------


@pytest.fixture
async def reached(
    hass: HomeAssistant, turkey_sms_entry: MockConfigEntry
) -> MockConfigEntry:
    """The account with a daily limit of 2, after a send of three parts it refused."""
    entry = await set_up(hass, turkey_sms_entry, daily_limit=2)
    await refused(hass, DOMAIN, "send_sms", recipients=[AYSE], message=THREE_PARTS)
    return entry


async def test_raising_the_limit_removes_the_repair_issue(
    hass: HomeAssistant, reached: MockConfigEntry
) -> None:
    entry = reached
    assert limit_issue(hass, entry) is not None

    # Another reload at the same limit keeps it.
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert limit_issue(hass, entry) is not None

    hass.config_entries.async_update_entry(
        entry, options={**entry.options, "daily_limit": 10}
    )
    await hass.async_block_till_done()
    assert limit_issue(hass, entry) is None
    await send_sms(hass, recipients=[AYSE], message=THREE_PARTS)


async def test_turning_the_limit_off_removes_the_repair_issue(
    hass: HomeAssistant, reached: MockConfigEntry
) -> None:
    entry = reached
    hass.config_entries.async_update_entry(
        entry, options={**entry.options, "daily_limit": 0}
    )
    await hass.async_block_till_done()
    assert limit_issue(hass, entry) is None
    assert today(hass).attributes["limit"] is None
    assert today(hass).attributes["remaining"] is None


async def test_removing_the_account_removes_its_repair_and_count(
    hass: HomeAssistant, reached: MockConfigEntry, hass_storage: dict[str, Any]
) -> None:
    entry = reached
    await hass.config_entries.async_unload(entry.entry_id)
    assert f"{DOMAIN}.spend.{entry.entry_id}" in hass_storage
    await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    assert limit_issue(hass, entry) is None
    assert f"{DOMAIN}.spend.{entry.entry_id}" not in hass_storage


# -- the repeat filter -----------------------------------------------------------


async def test_the_same_text_to_the_same_number_is_suppressed_within_the_window(
    hass: HomeAssistant,
    emulator: Emulator,
    freezer: FrozenDateTimeFactory,
    turkey_sms_entry: MockConfigEntry,
) -> None:
    entry = await set_up(hass, turkey_sms_entry, repeat_window_minutes=10)
    sent = async_capture_events(hass, EVENT_MESSAGE_SENT)
    await send_sms(hass, recipients=[AYSE], message="Door open")
    before = requests(emulator)

    response = await send_sms(hass, recipients=[AYSE], message="Door open")

    assert requests(emulator) == before
    assert response["suppressed"] == [AYSE]
    assert response["accepted"] == []
    assert response["requests"] == 0
    assert sent[-1].data["suppressed"] == 1
    assert sent[-1].data["accepted"] == 0
    assert today(hass).state == "1"

    response = await send_sms(hass, recipients=[AYSE, MEHMET], message="Door open")
    assert (response["accepted"], response["suppressed"]) == ([MEHMET], [AYSE])
    assert sent[-1].data["config_entry_id"] == entry.entry_id
    assert (sent[-1].data["accepted"], sent[-1].data["suppressed"]) == (1, 1)
    outcomes = ("accepted", "rejected", "unknown", "not_sent", "suppressed")
    assert sum(len(response[key]) for key in outcomes) == 2

    response = await send_sms(hass, recipients=[AYSE], message="Door closed")
    assert response["accepted"] == [AYSE]

    await let_time_pass(hass, freezer, timedelta(minutes=11))
    response = await send_sms(hass, recipients=[AYSE], message="Door open")
    assert response["accepted"] == [AYSE]
    assert [m.text for m in emulator.sent_messages()] == [
        "Door open",
        "Door open",
        "Door closed",
        "Door open",
    ]


async def test_notify_repeats_are_suppressed_quietly_and_ignore_limits_repeats(
    hass: HomeAssistant, emulator: Emulator, turkey_sms_entry: MockConfigEntry
) -> None:
    await set_up(hass, turkey_sms_entry, repeat_window_minutes=10)
    for _ in range(2):
        await notify_ayse(hass, "Leak")
    assert len(emulator.sent_messages()) == 1
    response = await send_sms(
        hass, recipients=[AYSE], message="Leak", ignore_limits=True
    )
    assert response["accepted"] == [AYSE]
    assert len(emulator.sent_messages()) == 2


async def test_a_number_that_got_nothing_is_not_a_repeat(
    hass: HomeAssistant, emulator: Emulator, turkey_sms_entry: MockConfigEntry
) -> None:
    await set_up(hass, turkey_sms_entry, repeat_window_minutes=10)
    await refused_by_the_provider(
        hass, emulator, recipients=[AYSE], message="Door open"
    )
    response = await send_sms(hass, recipients=[AYSE], message="Door open")
    assert response["accepted"] == [AYSE]


async def test_the_repeat_marks_keep_neither_numbers_nor_texts(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    turkey_sms_entry: MockConfigEntry,
) -> None:
    entry = await set_up(hass, turkey_sms_entry, repeat_window_minutes=10)
    await send_sms(hass, recipients=[AYSE, MEHMET], message="Door open")
    await hass.config_entries.async_unload(entry.entry_id)
    stored = json.dumps(hass_storage[f"{DOMAIN}.spend.{entry.entry_id}"])
    assert len(hass_storage[f"{DOMAIN}.spend.{entry.entry_id}"]["data"]["marks"]) == 2
    for secret in ("5321234567", "5441234567", "Door open"):
        assert secret not in stored


# -- days, restarts --------------------------------------------------------------


async def test_the_count_and_the_marks_survive_a_reload_and_a_restart(
    hass: HomeAssistant,
    emulator: Emulator,
    hass_storage: dict[str, Any],
    turkey_sms_entry: MockConfigEntry,
) -> None:
    entry = await set_up(
        hass, turkey_sms_entry, daily_limit=5, repeat_window_minutes=10
    )
    await send_sms(hass, recipients=[AYSE], message=THREE_PARTS)
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert today(hass).state == "3"

    await hass.config_entries.async_unload(entry.entry_id)
    stored = hass_storage[f"{DOMAIN}.spend.{entry.entry_id}"]["data"]
    assert (stored["parts"], len(stored["marks"])) == (3, 1)
    # A restart forgets everything but what is stored.
    del hass.data[SPEND_GUARDS]
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert today(hass).state == "3"
    await refused(hass, DOMAIN, "send_sms", recipients=[MEHMET], message=THREE_PARTS)
    response = await send_sms(hass, recipients=[AYSE], message=THREE_PARTS)
    assert response["suppressed"] == [AYSE]
    assert len(emulator.sent_messages()) == 1


async def test_a_send_running_across_a_reload_is_counted_once(
    hass: HomeAssistant,
    emulator: Emulator,
    turkey_sms_entry: MockConfigEntry,
) -> None:
    entry = await set_up(hass, turkey_sms_entry, daily_limit=5)
    emulator.faults.add(Fault("latency", function="send_one", seconds=0.3, times=1))
    sending = hass.async_create_task(
        send_sms(hass, recipients=[AYSE], message=THREE_PARTS)
    )
    await asyncio.sleep(0.05)
    hass.config_entries.async_update_entry(
        entry, options={**entry.options, "daily_limit": 4}
    )
    await sending
    await hass.async_block_till_done()
    assert today(hass).state == "3"
    assert today(hass).attributes["remaining"] == 1


async def set_up_with_count(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    entry: MockConfigEntry,
    count: dict[str, Any],
) -> None:
    """Set the account up with a limit of 5 and this count stored from before."""
    key = f"{DOMAIN}.spend.{entry.entry_id}"
    hass_storage[key] = {"version": 1, "key": key, "data": count}
    await set_up(hass, entry, daily_limit=5)


async def test_a_count_stored_today_is_carried_on(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    turkey_sms_entry: MockConfigEntry,
) -> None:
    today_so_far = {
        "day": dt_util.now().date().isoformat(),
        "parts": 4,
        "refused_at": None,
        "marks": {},
        "key": "00" * 16,
    }
    await set_up_with_count(hass, hass_storage, turkey_sms_entry, today_so_far)
    assert today(hass).state == "4"
    placeholders = await refused(
        hass, DOMAIN, "send_sms", recipients=[AYSE, MEHMET], message="hi"
    )
    assert placeholders["remaining"] == "1"


async def test_an_unreadable_stored_count_starts_again(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    turkey_sms_entry: MockConfigEntry,
) -> None:
    unreadable = {"day": "yesterday"}
    await set_up_with_count(hass, hass_storage, turkey_sms_entry, unreadable)
    assert today(hass).state == "0"
    await send_sms(hass, recipients=[AYSE], message="hi")
    assert today(hass).state == "1"


async def test_the_count_starts_again_at_local_midnight(
    hass: HomeAssistant,
    emulator: Emulator,
    freezer: FrozenDateTimeFactory,
    turkey_sms_entry: MockConfigEntry,
) -> None:
    await hass.config.async_set_time_zone("Europe/Istanbul")
    istanbul = ZoneInfo("Europe/Istanbul")
    freezer.move_to(datetime(2026, 6, 10, 23, 50, tzinfo=istanbul))
    entry = await set_up(hass, turkey_sms_entry, daily_limit=5)
    await send_sms(hass, recipients=[AYSE], message=THREE_PARTS)
    await refused(hass, DOMAIN, "send_sms", recipients=[AYSE], message=THREE_PARTS)
    assert limit_issue(hass, entry) is not None
    assert last_reset(hass) == datetime(2026, 6, 10, tzinfo=istanbul)

    # 00:05 in Istanbul is still 21:05 UTC of the day before.
    await let_time_pass(hass, freezer, timedelta(minutes=15))

    state = today(hass)
    assert state.state == "0"
    assert state.attributes["remaining"] == 5
    assert last_reset(hass) == datetime(2026, 6, 11, tzinfo=istanbul)
    assert limit_issue(hass, entry) is None
    await send_sms(hass, recipients=[AYSE], message=THREE_PARTS)
    assert len(emulator.sent_messages()) == 2


@pytest.mark.parametrize(
    ("day_start", "late_evening", "next_day"),
    [
        pytest.param(
            datetime(2026, 3, 29, 0, 10, tzinfo=BERLIN),
            datetime(2026, 3, 29, 23, 50, tzinfo=BERLIN),
            datetime(2026, 3, 30, 0, 10, tzinfo=BERLIN),
            id="23_hour_day",
        ),
        pytest.param(
            datetime(2026, 10, 25, 0, 10, tzinfo=BERLIN),
            datetime(2026, 10, 25, 23, 50, tzinfo=BERLIN),
            datetime(2026, 10, 26, 0, 10, tzinfo=BERLIN),
            id="25_hour_day",
        ),
    ],
)
async def test_midnight_is_right_across_a_daylight_saving_change(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    turkey_sms_entry: MockConfigEntry,
    day_start: datetime,
    late_evening: datetime,
    next_day: datetime,
) -> None:
    await hass.config.async_set_time_zone("Europe/Berlin")

    async def at(moment: datetime) -> None:
        freezer.move_to(moment)
        async_fire_time_changed(hass)
        await hass.async_block_till_done()

    await at(day_start)
    await set_up(hass, turkey_sms_entry, daily_limit=5)
    await send_sms(hass, recipients=[AYSE], message=THREE_PARTS)

    await at(late_evening)
    assert today(hass).state == "3"
    await refused(hass, DOMAIN, "send_sms", recipients=[AYSE], message=THREE_PARTS)

    await at(next_day)
    assert today(hass).state == "0"
    assert last_reset(hass) == next_day.replace(hour=0, minute=0)
    await send_sms(hass, recipients=[AYSE], message=THREE_PARTS)


async def test_the_sensor_resets_for_statistics(
    hass: HomeAssistant, turkey_sms_entry: MockConfigEntry
) -> None:
    await set_up(hass, turkey_sms_entry)
    state = today(hass)
    assert state.state == "0"
    assert state.attributes["state_class"] == "total"
    assert state.attributes["unit_of_measurement"] == "SMS"
    assert state.attributes["limit"] is None
    assert state.attributes["remaining"] is None
    assert (
        state.attributes["friendly_name"] == "Turkey SMS Demo Home SMS parts sent today"
    )
