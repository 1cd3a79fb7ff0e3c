"""send_at the Home Assistant way: a date and time picker, read in the home's zone.

HiSMS receives the time in its account's zone (Asia/Riyadh), to the minute.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from homeassistant.core import HomeAssistant
from homeassistant.helpers.service import async_get_all_descriptions
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.sms_gateway.const import DOMAIN
from sms_emulator import Emulator

from .conftest import SARA

RIYADH = ZoneInfo("Asia/Riyadh")
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture(autouse=True)
async def home_in_berlin(hass: HomeAssistant) -> None:
    """A home whose clocks change, unlike Riyadh's."""
    await hass.config.async_set_time_zone("Europe/Berlin")


async def schedule(hass: HomeAssistant, hisms: MockConfigEntry, send_at: Any) -> None:
    await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {
            "config_entry_id": hisms.entry_id,
            "recipients": [SARA],
            "message": "Reminder",
            "send_at": send_at,
        },
        blocking=True,
    )


def riyadh_time_sent(emulator: Emulator) -> str:
    """The wall-clock time HiSMS scheduled the last message for."""
    when = emulator.sent_messages()[-1].scheduled_for
    assert when is not None
    return when.astimezone(RIYADH).strftime("%Y-%m-%d %H:%M")


async def test_send_at_is_a_date_and_time_picker(
    hass: HomeAssistant, hisms: MockConfigEntry
) -> None:
    descriptions = await async_get_all_descriptions(hass)
    field = descriptions[DOMAIN]["send_sms"]["fields"]["send_at"]
    assert field["selector"] == {"datetime": {}}


@pytest.mark.parametrize(
    ("send_at", "riyadh"),
    [
        # The picker's value: Berlin time, winter (UTC+1).
        ("2099-01-15 09:00:00", "2099-01-15 11:00"),
        ("2099-01-15T09:00", "2099-01-15 11:00"),
        # With an offset: taken as it is, whatever the home's zone.
        ("2099-01-15T09:00:00+03:00", "2099-01-15 09:00"),
        ("2099-01-15T06:00:00Z", "2099-01-15 09:00"),
        (datetime(2099, 1, 15, 9, 0, tzinfo=RIYADH), "2099-01-15 09:00"),
        # A datetime without a zone is Berlin time too.
        (datetime(2099, 1, 15, 9, 0), "2099-01-15 11:00"),  # noqa: DTZ001
        # Summer time (UTC+2) on the Saturday, winter time from Sunday 03:00.
        ("2099-10-24 09:00", "2099-10-24 10:00"),
        ("2099-10-25 09:00", "2099-10-25 11:00"),
        # 02:30 happens twice that night: the first, still in summer time.
        ("2099-10-25 02:30", "2099-10-25 03:30"),
        # Spring forward: 03:30 on 29 March is already summer time.
        ("2099-03-28 09:00", "2099-03-28 11:00"),
        ("2099-03-29 03:30", "2099-03-29 04:30"),
    ],
)
async def test_send_at_reaches_hisms_in_riyadh_time_with_the_offset_of_its_day(
    hass: HomeAssistant,
    emulator: Emulator,
    hisms: MockConfigEntry,
    send_at: Any,
    riyadh: str,
) -> None:
    await schedule(hass, hisms, send_at)
    assert riyadh_time_sent(emulator) == riyadh


@pytest.mark.parametrize(
    "template",
    [
        # With the offset now() carries.
        "{{ (now() + timedelta(days=2)).replace(hour=9, minute=0, second=0) }}",
        "{{ (now() + timedelta(days=2)).replace(hour=9, minute=0).isoformat() }}",
        # Without one, as strftime gives it: read in the home's zone.
        "{{ (now() + timedelta(days=2)).strftime('%Y-%m-%d 09:00') }}",
    ],
)
async def test_a_script_schedules_with_a_now_template(
    hass: HomeAssistant, emulator: Emulator, hisms: MockConfigEntry, template: str
) -> None:
    assert await async_setup_component(
        hass,
        "script",
        {
            "script": {
                "reminder": {
                    "sequence": [
                        {
                            "action": f"{DOMAIN}.send_sms",
                            "data": {
                                "config_entry_id": hisms.entry_id,
                                "recipients": [SARA],
                                "message": "Reminder",
                                "send_at": template,
                            },
                        }
                    ]
                }
            }
        },
    )
    await hass.services.async_call("script", "reminder", blocking=True)
    expected = (dt_util.now() + timedelta(days=2)).replace(hour=9, minute=0)
    assert expected.tzinfo == BERLIN
    assert riyadh_time_sent(emulator) == expected.astimezone(RIYADH).strftime(
        "%Y-%m-%d %H:%M"
    )
