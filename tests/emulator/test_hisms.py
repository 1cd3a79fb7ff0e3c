"""HiSMS api.php functions and result codes, as SPEC.md §1 describes them."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import aiohttp
import pytest

from sms_emulator import Emulator, ManualClock

from .helpers import HISMS_USER, auth, hisms, send


def balance(emu: Emulator) -> int:
    return emu.state.hisms_accounts[HISMS_USER].balance


@pytest.mark.parametrize("key", ["send_sms", "send_sms=", "send_sms=1"])
async def test_send_function_key_forms(
    http: aiohttp.ClientSession, emulator: Emulator, key: str
) -> None:
    assert await hisms(http, emulator, key, **send()) == "3-500001"
    (message,) = emulator.sent_messages("hisms")
    assert (message.number, message.text, message.sender) == (
        "966512345678",
        "Hello",
        "HOMEALERT",
    )
    assert (message.status, message.segments, message.charged) == (
        "sent",
        1,
        Decimal(1),
    )
    assert balance(emulator) == 499
    entry = emulator.log[-1]
    assert (entry.provider, entry.function, entry.outcome) == (
        "hisms",
        "send_sms",
        "3-500001",
    )
    assert entry.message_ids == ("500001",)
    assert entry.account == HISMS_USER
    assert entry.path == "/api.php"


async def test_send_post_urlencoded(
    http: aiohttp.ClientSession, emulator: Emulator
) -> None:
    body = await hisms(
        http,
        emulator,
        "send_sms",
        method="POST",
        **send(numbers="966512345678,966512345679", message="Salam + hi"),
    )
    assert body == "3-500001"
    messages = emulator.sent_messages()
    assert [m.number for m in messages] == ["966512345678", "966512345679"]
    assert {m.message_id for m in messages} == {"500001"}
    assert messages[0].text == "Salam + hi"
    assert balance(emulator) == 498


async def test_send_post_multipart(
    http: aiohttp.ClientSession, emulator: Emulator
) -> None:
    form = aiohttp.FormData()
    for name, value in send(message="مرحبا").items():
        form.add_field(name, value)
    form.add_field("attachment", b"ignored", filename="x.bin")
    body = await hisms(http, emulator, "send_sms", method="POST", form=form)
    assert body == "3-500001"
    assert emulator.sent_messages()[0].text == "مرحبا"


async def test_query_and_form_merge(
    http: aiohttp.ClientSession, emulator: Emulator
) -> None:
    url = f"{emulator.base_url}/api.php?send_sms&username={HISMS_USER}&message=Query"
    async with http.post(
        url,
        data={
            "password": "demo-password",
            "numbers": "966512345678",
            "sender": "HOMEALERT",
            "message": "Form",
        },
    ) as response:
        assert await response.text() == "3-500001"
    assert emulator.sent_messages()[0].text == "Form"


async def test_function_key_must_be_in_the_query(
    http: aiohttp.ClientSession, emulator: Emulator
) -> None:
    async with http.post(
        f"{emulator.base_url}/api.php", data={"send_sms": "1", **send()}
    ) as response:
        assert response.status == 200
        assert await response.text() == "404"
    assert emulator.log[-1].function == "unknown"
    assert emulator.sent_messages() == []


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"username": None}, "404"),
        ({"password": None}, "404"),
        ({"numbers": None}, "404"),
        ({"sender": None}, "404"),
        ({"message": None}, "404"),
        ({"username": ""}, "404"),
        ({"username": "966599999999"}, "1"),
        ({"password": "nope"}, "2"),
        ({"numbers": ""}, "4"),
        ({"numbers": " , ,"}, "4"),
        ({"numbers": "+966512345678,05123"}, "4"),
        ({"message": ""}, "5"),
        ({"message": "   "}, "5"),
        ({"sender": ""}, "6"),
        ({"sender": "NOSUCH"}, "6"),
        ({"sender": "homealert"}, "6"),
        ({"sender": "PENDING"}, "7"),
        ({"message": "Big CASINO night"}, "8"),
        ({"message": "casino!"}, "8"),
        ({"date": "2030-01-01"}, "11"),
        ({"time": "10:00"}, "10"),
        ({"date": "2030-13-01", "time": "10:00"}, "10"),
        ({"date": "30-01-2030", "time": "10:00"}, "10"),
        ({"date": "2030-1-30", "time": "24:01"}, "11"),
        ({"date": "2030-01-01", "time": "8:05"}, "11"),
        ({"date": "2030-01-01", "time": "08:05:00"}, "11"),
        ({"date": "2030-01-01", "time": " 08:05"}, "11"),
        ({"date": "2020-01-01", "time": "10:00"}, "10"),
        ({"date": "2015-1-30", "time": "24:01"}, "10"),
        ({"numbers": "966512345678,+966512345679"}, "4"),
        ({"numbers": "0512345678"}, "4"),
        ({"numbers": "00966512345678"}, "4"),
        ({"numbers": "96651234567"}, "4"),
        ({"numbers": "966112345678"}, "4"),
        ({"numbers": "966512345678,"}, "4"),
        ({"numbers": "966512345678, abc"}, "4"),
        ({"date": "2030-01-01", "time": "10:60"}, "11"),
        ({"date": "2030-01-01", "time": "10h00"}, "11"),
    ],
)
async def test_send_errors(
    http: aiohttp.ClientSession, emulator: Emulator, params: dict[str, Any], code: str
) -> None:
    query = {k: v for k, v in send(**params).items() if v is not None}
    for name, value in params.items():
        if value is None:
            query.pop(name, None)
    assert await hisms(http, emulator, "send_sms", **query) == code
    assert emulator.sent_messages() == []
    assert balance(emulator) == 500


async def test_forbidden_word_is_a_whole_word(
    http: aiohttp.ClientSession, emulator: Emulator
) -> None:
    body = await hisms(http, emulator, "send_sms", **send(message="casinos nearby"))
    assert body.startswith("3-")


async def test_numbers_in_the_documents_form_are_all_sent_to(
    http: aiohttp.ClientSession, emulator: Emulator
) -> None:
    numbers = "966512345678, 966512345679,4915112345678"
    assert await hisms(http, emulator, "send_sms", **send(numbers=numbers)) == (
        "3-500001"
    )
    assert [m.number for m in emulator.sent_messages()] == [
        "966512345678",
        "966512345679",
        "4915112345678",
    ]


async def test_disabled_account(
    http: aiohttp.ClientSession, emulator: Emulator
) -> None:
    creds = {"username": "966500000002", "password": "disabled-password"}
    assert await hisms(http, emulator, "get_balance", **creds) == "504"
    assert await hisms(http, emulator, "send_sms", **send(**creds)) == "504"


async def test_no_credit(http: aiohttp.ClientSession, emulator: Emulator) -> None:
    emulator.state.hisms_accounts[HISMS_USER].balance = 3
    numbers = "966512345678,966512345679"
    assert (
        await hisms(
            http, emulator, "send_sms", **send(numbers=numbers, message="m" * 170)
        )
        == "9"
    )
    assert balance(emulator) == 3
    assert (
        await hisms(http, emulator, "send_sms", **send(numbers=numbers)) == "3-500001"
    )
    assert balance(emulator) == 1


async def test_balance(http: aiohttp.ClientSession, emulator: Emulator) -> None:
    assert await hisms(http, emulator, "get_balance", **auth()) == "BLANCE:500"
    assert await hisms(http, emulator, "get_balance", username=HISMS_USER) == "404"
    assert await hisms(http, emulator, "get_balance", **auth(username="1")) == "1"


async def test_unknown_function(
    http: aiohttp.ClientSession, emulator: Emulator
) -> None:
    assert await hisms(http, emulator, "send_fax", **auth()) == "404"
    async with http.get(f"{emulator.base_url}/api.php") as response:
        assert await response.text() == "404"


async def test_lockout(
    http: aiohttp.ClientSession, emulator: Emulator, clock: ManualClock
) -> None:
    bad = auth(password="wrong")
    for _ in range(4):
        assert await hisms(http, emulator, "get_balance", **bad) == "2"
    # a good login resets the count
    assert await hisms(http, emulator, "get_balance", **auth()) == "BLANCE:500"
    for _ in range(5):
        assert await hisms(http, emulator, "get_balance", **bad) == "2"
    assert await hisms(http, emulator, "get_balance", **auth()) == "403"
    assert await hisms(http, emulator, "send_sms", **send()) == "403"
    assert await hisms(http, emulator, "forgot_password", **auth()) == "403"
    clock.advance(899)
    assert await hisms(http, emulator, "get_balance", **auth()) == "403"
    clock.advance(1)
    assert await hisms(http, emulator, "get_balance", **auth()) == "BLANCE:500"
    # unknown usernames are never locked, just unknown
    assert await hisms(http, emulator, "get_balance", **auth(username="1")) == "1"


async def test_lockout_is_configurable(
    http: aiohttp.ClientSession, emulator: Emulator
) -> None:
    emulator.state.lockout_after = 1
    assert await hisms(http, emulator, "get_balance", **auth(password="x")) == "2"
    assert await hisms(http, emulator, "get_balance", **auth()) == "403"


async def test_scheduled_messages(
    http: aiohttp.ClientSession, emulator: Emulator, clock: ManualClock
) -> None:
    # 2025-01-15 09:00 UTC is 12:00 in Riyadh
    later = send(numbers="966512345678,966512345679", date="2025-01-15", time="12:30")
    assert await hisms(http, emulator, "send_sms", **later) == "3-500001"
    assert balance(emulator) == 498
    messages = emulator.sent_messages()
    assert {m.status for m in messages} == {"scheduled"}
    assert messages[0].scheduled_for == datetime(2025, 1, 15, 9, 30, tzinfo=UTC)
    assert messages[0].sent_at is None
    assert await hisms(http, emulator, "schedule_sms_count", **auth()) == "Count:2"
    clock.advance(30 * 60)
    assert await hisms(http, emulator, "schedule_sms_count", **auth()) == "Count:0"
    assert {m.status for m in emulator.sent_messages()} == {"sent"}
    assert emulator.sent_messages()[0].sent_at == datetime(
        2025, 1, 15, 9, 30, tzinfo=UTC
    )


async def test_a_schedule_in_the_past_is_refused(
    http: aiohttp.ClientSession, emulator: Emulator, clock: ManualClock
) -> None:
    # 2025-01-15 09:00:30 UTC is 12:00:30 in Riyadh
    clock.advance(30)
    earlier = send(date="2025-01-15", time="11:59")
    assert await hisms(http, emulator, "send_sms", **earlier) == "11"
    yesterday = send(date="2025-1-14", time="13:00")
    assert await hisms(http, emulator, "send_sms", **yesterday) == "10"
    assert emulator.sent_messages() == []
    assert balance(emulator) == 500
    # the current minute is due: it goes at once
    now = send(date="2025-1-15", time="12:00")
    assert await hisms(http, emulator, "send_sms", **now) == "3-500001"
    assert emulator.sent_messages()[0].status == "sent"


async def test_due_messages_are_sent_by_python_api(
    emulator: Emulator, clock: ManualClock, http: aiohttp.ClientSession
) -> None:
    await hisms(http, emulator, "send_sms", **send(date="2025-01-16", time="09:00"))
    clock.advance(86400)
    assert emulator.sent_messages()[0].status == "sent"


async def test_delete_scheduled(
    http: aiohttp.ClientSession, emulator: Emulator, clock: ManualClock
) -> None:
    await hisms(http, emulator, "send_sms", **send(date="2025-02-01", time="08:00"))
    await hisms(
        http,
        emulator,
        "send_sms",
        **send(numbers="966512345678,966512345679", date="2025-3-1", time="08:05"),
    )
    await hisms(http, emulator, "send_sms", **send())
    assert balance(emulator) == 496
    assert await hisms(http, emulator, "delete_schedule_sms", **auth()) == "OK:3"
    assert balance(emulator) == 499
    assert [m.status for m in emulator.sent_messages()] == [
        "deleted",
        "deleted",
        "deleted",
        "sent",
    ]
    assert await hisms(http, emulator, "delete_schedule_sms", **auth()) == "OK:0"
    # the document's parameter name for these two is mobile
    creds = {"mobile": HISMS_USER, "password": "demo-password"}
    assert await hisms(http, emulator, "schedule_sms_count", **creds) == "Count:0"
    assert await hisms(http, emulator, "delete_schedule_sms", password="x") == "404"


@pytest.mark.parametrize("name", ["new_password", "new_passoword"])
async def test_change_pass(
    http: aiohttp.ClientSession, emulator: Emulator, name: str
) -> None:
    assert await hisms(http, emulator, "change_pass", **auth(**{name: "s3cret"})) == "3"
    assert await hisms(http, emulator, "get_balance", **auth()) == "2"
    creds = auth(password="s3cret")
    assert await hisms(http, emulator, "get_balance", **creds) == "BLANCE:500"


async def test_change_pass_errors(
    http: aiohttp.ClientSession, emulator: Emulator
) -> None:
    assert await hisms(http, emulator, "change_pass", **auth()) == "402"
    assert await hisms(http, emulator, "change_pass", **auth(new_password="")) == "402"
    assert await hisms(http, emulator, "change_pass", new_password="x") == "402"
    bad = auth(password="wrong", new_password="x")
    assert await hisms(http, emulator, "change_pass", **bad) == "2"
    disabled = {
        "username": "966500000002",
        "password": "disabled-password",
        "new_password": "x",
    }
    assert await hisms(http, emulator, "change_pass", **disabled) == "504"


async def test_forgot_password(http: aiohttp.ClientSession, emulator: Emulator) -> None:
    """The document's example passes username and password; its table lists 2."""
    assert await hisms(http, emulator, "forgot_password", **auth()) == "3"
    (reminder,) = emulator.state.reminders
    assert reminder.number == HISMS_USER
    assert reminder.password == "demo-password"
    assert await hisms(http, emulator, "forgot_password", **auth(password="no")) == "2"
    assert await hisms(http, emulator, "forgot_password", username=HISMS_USER) == (
        "404"
    )
    assert await hisms(http, emulator, "forgot_password", **auth(username="1")) == "1"
    assert await hisms(http, emulator, "forgot_password") == "404"
    disabled = await hisms(
        http,
        emulator,
        "forgot_password",
        username="966500000002",
        password="disabled-password",
    )
    assert disabled == "3"
    assert len(emulator.state.reminders) == 2
    assert emulator.sent_messages() == []


async def test_only_get_and_post_reach_the_script(
    http: aiohttp.ClientSession, emulator: Emulator
) -> None:
    url = f"{emulator.base_url}/api.php?get_balance"
    async with http.put(url, data=auth()) as response:
        assert response.status == 405
        assert response.headers["Allow"] == "GET, POST"
    async with http.post(url, json=auth()) as response:
        assert await response.text() == "404"  # $_REQUEST never sees a JSON body
