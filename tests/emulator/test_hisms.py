"""HiSMS api.php functions and result codes, as SPEC.md §1 describes them."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import aiohttp
import pytest

from sms_emulator import Emulator, ManualClock
from tests.tables import cases_by_outcome

from .helpers import HISMS_USER, Api, auth, send


def balance(emu: Emulator) -> int:
    return emu.state.hisms_accounts[HISMS_USER].balance


@pytest.mark.parametrize("key", ["send_sms", "send_sms=", "send_sms=1"])
async def test_send_function_key_forms(api: Api, emulator: Emulator, key: str) -> None:
    assert await api.hisms(key, **send()) == "3-500001"
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


async def test_send_post_urlencoded(api: Api, emulator: Emulator) -> None:
    body = await api.hisms(
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


async def test_send_post_multipart(api: Api, emulator: Emulator) -> None:
    form = aiohttp.FormData()
    for name, value in send(message="مرحبا").items():
        form.add_field(name, value)
    form.add_field("attachment", b"ignored", filename="x.bin")
    body = await api.hisms("send_sms", method="POST", form=form)
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


SEND_ERRORS: dict[str, list[dict[str, str | None]]] = {
    "404": [
        {"username": None},
        {"password": None},
        {"numbers": None},
        {"sender": None},
        {"message": None},
        {"username": ""},
    ],
    "1": [
        {"username": "966599999999"},
    ],
    "2": [
        {"password": "nope"},
    ],
    "4": [
        {"numbers": ""},
        {"numbers": " , ,"},
        {"numbers": "+966512345678,05123"},
        {"numbers": "966512345678,+966512345679"},
        {"numbers": "0512345678"},
        {"numbers": "00966512345678"},
        {"numbers": "96651234567"},
        {"numbers": "966112345678"},
        {"numbers": "966512345678,"},
        {"numbers": "966512345678, abc"},
    ],
    "5": [
        {"message": ""},
        {"message": "   "},
    ],
    "6": [
        {"sender": ""},
        {"sender": "NOSUCH"},
        {"sender": "homealert"},
    ],
    "7": [
        {"sender": "PENDING"},
    ],
    "8": [
        {"message": "Big CASINO night"},
        {"message": "casino!"},
    ],
}
# A bad date is code 10, a bad time 11; a time without a date is a bad date.
SCHEDULE_ERRORS: dict[str, list[tuple[str | None, str | None]]] = {
    "11": [
        ("2030-01-01", None),
        ("2030-1-30", "24:01"),
        ("2030-01-01", "8:05"),
        ("2030-01-01", "08:05:00"),
        ("2030-01-01", " 08:05"),
        ("2030-01-01", "10:60"),
        ("2030-01-01", "10h00"),
    ],
    "10": [
        (None, "10:00"),
        ("2030-13-01", "10:00"),
        ("30-01-2030", "10:00"),
        ("2020-01-01", "10:00"),
        ("2015-1-30", "24:01"),
    ],
}


async def assert_send_refused(api: Api, params: dict[str, Any], code: str) -> None:
    """A send with these ``params`` (None: left out) gets ``code`` and costs nothing."""
    query = {k: v for k, v in send(**params).items() if v is not None}
    assert await api.hisms("send_sms", **query) == code
    assert api.emulator.sent_messages() == []
    assert balance(api.emulator) == 500


@pytest.mark.parametrize(("params", "code"), cases_by_outcome(SEND_ERRORS))
async def test_send_errors(api: Api, params: dict[str, Any], code: str) -> None:
    await assert_send_refused(api, params, code)


@pytest.mark.parametrize(
    ("date", "time", "code"),
    cases_by_outcome(SCHEDULE_ERRORS),
)
async def test_schedule_errors(
    api: Api, date: str | None, time: str | None, code: str
) -> None:
    await assert_send_refused(api, {"date": date, "time": time}, code)


async def test_forbidden_word_is_a_whole_word(api: Api) -> None:
    body = await api.hisms("send_sms", **send(message="casinos nearby"))
    assert body.startswith("3-")


async def test_numbers_in_the_documents_form_are_all_sent_to(
    api: Api, emulator: Emulator
) -> None:
    numbers = "966512345678, 966512345679,4915112345678"
    assert await api.hisms("send_sms", **send(numbers=numbers)) == ("3-500001")
    assert [m.number for m in emulator.sent_messages()] == [
        "966512345678",
        "966512345679",
        "4915112345678",
    ]


async def test_disabled_account(api: Api) -> None:
    creds = {"username": "966500000002", "password": "disabled-password"}
    assert await api.hisms("get_balance", **creds) == "504"
    assert await api.hisms("send_sms", **send(**creds)) == "504"


async def test_no_credit(api: Api, emulator: Emulator) -> None:
    emulator.state.hisms_accounts[HISMS_USER].balance = 3
    numbers = "966512345678,966512345679"
    assert (
        await api.hisms("send_sms", **send(numbers=numbers, message="m" * 170)) == "9"
    )
    assert balance(emulator) == 3
    assert await api.hisms("send_sms", **send(numbers=numbers)) == "3-500001"
    assert balance(emulator) == 1


async def test_balance(api: Api) -> None:
    assert await api.hisms("get_balance", **auth()) == "BLANCE:500"
    assert await api.hisms("get_balance", username=HISMS_USER) == "404"
    assert await api.hisms("get_balance", **auth(username="1")) == "1"


async def test_unknown_function(
    api: Api, http: aiohttp.ClientSession, emulator: Emulator
) -> None:
    assert await api.hisms("send_fax", **auth()) == "404"
    async with http.get(f"{emulator.base_url}/api.php") as response:
        assert await response.text() == "404"


async def test_lockout(api: Api, clock: ManualClock) -> None:
    bad = auth(password="wrong")
    for _ in range(4):
        assert await api.hisms("get_balance", **bad) == "2"
    # a good login resets the count
    assert await api.hisms("get_balance", **auth()) == "BLANCE:500"
    for _ in range(5):
        assert await api.hisms("get_balance", **bad) == "2"
    assert await api.hisms("get_balance", **auth()) == "403"
    assert await api.hisms("send_sms", **send()) == "403"
    assert await api.hisms("forgot_password", **auth()) == "403"
    clock.advance(899)
    assert await api.hisms("get_balance", **auth()) == "403"
    clock.advance(1)
    assert await api.hisms("get_balance", **auth()) == "BLANCE:500"
    # unknown usernames are never locked, just unknown
    assert await api.hisms("get_balance", **auth(username="1")) == "1"


async def test_lockout_is_configurable(api: Api, emulator: Emulator) -> None:
    emulator.state.lockout_after = 1
    assert await api.hisms("get_balance", **auth(password="x")) == "2"
    assert await api.hisms("get_balance", **auth()) == "403"


async def test_scheduled_messages(
    api: Api, emulator: Emulator, clock: ManualClock
) -> None:
    # 2025-01-15 09:00 UTC is 12:00 in Riyadh
    later = send(numbers="966512345678,966512345679", date="2025-01-15", time="12:30")
    assert await api.hisms("send_sms", **later) == "3-500001"
    assert balance(emulator) == 498
    messages = emulator.sent_messages()
    assert {m.status for m in messages} == {"scheduled"}
    assert messages[0].scheduled_for == datetime(2025, 1, 15, 9, 30, tzinfo=UTC)
    assert messages[0].sent_at is None
    assert await api.hisms("schedule_sms_count", **auth()) == "Count:2"
    clock.advance(30 * 60)
    assert await api.hisms("schedule_sms_count", **auth()) == "Count:0"
    assert {m.status for m in emulator.sent_messages()} == {"sent"}
    assert emulator.sent_messages()[0].sent_at == datetime(
        2025, 1, 15, 9, 30, tzinfo=UTC
    )


async def test_a_schedule_in_the_past_is_refused(
    api: Api, emulator: Emulator, clock: ManualClock
) -> None:
    # 2025-01-15 09:00:30 UTC is 12:00:30 in Riyadh
    clock.advance(30)
    earlier = send(date="2025-01-15", time="11:59")
    assert await api.hisms("send_sms", **earlier) == "11"
    yesterday = send(date="2025-1-14", time="13:00")
    assert await api.hisms("send_sms", **yesterday) == "10"
    assert emulator.sent_messages() == []
    assert balance(emulator) == 500
    # the current minute is due: it goes at once
    now = send(date="2025-1-15", time="12:00")
    assert await api.hisms("send_sms", **now) == "3-500001"
    assert emulator.sent_messages()[0].status == "sent"


async def test_due_messages_are_sent_by_python_api(
    emulator: Emulator, clock: ManualClock, api: Api
) -> None:
    await api.hisms("send_sms", **send(date="2025-01-16", time="09:00"))
    clock.advance(86400)
    assert emulator.sent_messages()[0].status == "sent"


async def test_delete_scheduled(
    api: Api, emulator: Emulator, clock: ManualClock
) -> None:
    await api.hisms("send_sms", **send(date="2025-02-01", time="08:00"))
    await api.hisms(
        "send_sms",
        **send(numbers="966512345678,966512345679", date="2025-3-1", time="08:05"),
    )
    await api.hisms("send_sms", **send())
    assert balance(emulator) == 496
    assert await api.hisms("delete_schedule_sms", **auth()) == "OK:3"
    assert balance(emulator) == 499
    assert [m.status for m in emulator.sent_messages()] == [
        "deleted",
        "deleted",
        "deleted",
        "sent",
    ]
    assert await api.hisms("delete_schedule_sms", **auth()) == "OK:0"
    # the document's parameter name for these two is mobile
    creds = {"mobile": HISMS_USER, "password": "demo-password"}
    assert await api.hisms("schedule_sms_count", **creds) == "Count:0"
    assert await api.hisms("delete_schedule_sms", password="x") == "404"


@pytest.mark.parametrize("name", ["new_password", "new_passoword"])
async def test_change_pass(api: Api, name: str) -> None:
    assert await api.hisms("change_pass", **auth(**{name: "s3cret"})) == "3"
    assert await api.hisms("get_balance", **auth()) == "2"
    creds = auth(password="s3cret")
    assert await api.hisms("get_balance", **creds) == "BLANCE:500"


async def test_change_pass_errors(api: Api) -> None:
    assert await api.hisms("change_pass", **auth()) == "402"
    assert await api.hisms("change_pass", **auth(new_password="")) == "402"
    assert await api.hisms("change_pass", new_password="x") == "402"
    bad = auth(password="wrong", new_password="x")
    assert await api.hisms("change_pass", **bad) == "2"
    disabled = {
        "username": "966500000002",
        "password": "disabled-password",
        "new_password": "x",
    }
    assert await api.hisms("change_pass", **disabled) == "504"


async def test_forgot_password(api: Api, emulator: Emulator) -> None:
    """The document's example passes username and password; its table lists 2."""
    assert await api.hisms("forgot_password", **auth()) == "3"
    (reminder,) = emulator.state.reminders
    assert reminder.number == HISMS_USER
    assert reminder.password == "demo-password"
    assert await api.hisms("forgot_password", **auth(password="no")) == "2"
    assert await api.hisms("forgot_password", username=HISMS_USER) == ("404")
    assert await api.hisms("forgot_password", **auth(username="1")) == "1"
    assert await api.hisms("forgot_password") == "404"
    disabled = await api.hisms(
        "forgot_password", username="966500000002", password="disabled-password"
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
