"""Turkey SMS endpoints and result codes, as SPEC.md §2 describes them."""

from __future__ import annotations

from decimal import Decimal
import json
from typing import Any

import aiohttp
import pytest

from sms_emulator import Emulator, ManualClock, TurkeyAccount
from tests.tables import cases_by_outcome

from .helpers import (
    ABROAD,
    GROUP,
    LOCAL,
    LOCAL_TT,
    LOCAL_VODAFONE,
    MULTI,
    SEND,
    Api,
    send_one,
    send_to_group,
    status_of,
)


def account(emu: Emulator, key: str = "demo-turkey-key") -> TurkeyAccount:
    return emu.state.turkey_accounts[key]


def assert_nothing_sent(emulator: Emulator, balance: int = 1000) -> None:
    """No message went out and the demo account still has ``balance`` credits."""
    assert emulator.sent_messages() == []
    assert account(emulator).local_balance == balance


# -- authentication and balance ---------------------------------------------------


async def test_login(api: Api) -> None:
    data = await api.turkey("/authenticate/login", report=1)
    assert data == {
        "result": True,
        "result_code": "TS-1046",
        "result_message": "operation_success",
        "user_id": "100200",
        "account_name": "Demo Home",
    }


@pytest.mark.parametrize(
    ("key", "code"),
    [
        ("", "TS-1050"),
        ("   ", "TS-1050"),
        (None, "TS-1050"),
        ("wrong-key", "TS-1031"),
        ("inactive-turkey-key", "TS-1030"),
    ],
)
async def test_login_errors(api: Api, key: str | None, code: str) -> None:
    params = {"api_key": key, "report": 1, "response_type": "json"}
    params = {k: v for k, v in params.items() if v is not None}
    status, text = await api.turkey_raw("/authenticate/login", json=params)
    assert status == 200
    data = json.loads(text)
    assert data["result"] is False
    assert data["result_code"] == code
    assert data["result_message"]


async def test_balance(api: Api, emulator: Emulator) -> None:
    data = await api.turkey("/bakiye_sorgulama/add-content")
    assert data == {
        "result": True,
        "result_code": "TS-1040",
        "result_message": "operation_success",
        "api_key": "demo-turkey-key",
        "local_balance_sms": 1000,
        "international_balance_tl": "250.00",
    }
    account(emulator).balance_enabled = False
    data = await api.turkey("/bakiye_sorgulama/add-content")
    assert data["result_code"] == "TS-1065"


# -- sending one ------------------------------------------------------------------


async def test_send_one(api: Api, emulator: Emulator) -> None:
    data = await send_one(api)
    assert data == {
        "result": True,
        "sms_id": "1000007721",
        "number_of_sms": 1,
        "result_code": "TS-1024",
        "result_message": "The message was sent successfully",
        "sms_lang": "English",
        "country": "Turkey-TR",
    }
    assert account(emulator).local_balance == 999
    (message,) = emulator.sent_messages("turkey_sms")
    assert (message.number, message.text, message.sender) == (
        LOCAL,
        "Hello",
        "HOMEALERT",
    )
    assert (message.segments, message.charged, message.status) == (
        1,
        Decimal(1),
        "TS-1023",
    )
    assert message.report_id is None
    assert message.scheduled_for is None
    second = await send_one(api)
    assert second["sms_id"] == "1000007722"
    entry = emulator.log[-1]
    assert (entry.function, entry.outcome, entry.processed) == (
        "send_one",
        "TS-1024",
        True,
    )
    assert entry.message_ids == ("1000007722",)
    assert entry.numbers == (LOCAL,)
    assert entry.account == "100200"


async def test_send_segments_and_language(api: Api, emulator: Emulator) -> None:
    data = await send_one(api, text="x" * 161)
    assert data["number_of_sms"] == 2
    assert account(emulator).local_balance == 998
    data = await send_one(api, text="Şifre değişti")
    assert data["sms_lang"] == "Turkish"
    data = await send_one(api, text="مرحبا")
    assert data["sms_lang"] == "Arabic"
    data = await send_one(api, text="Hello", sms_lang=2)
    assert data["sms_lang"] == "Arabic"


async def test_send_international(api: Api, emulator: Emulator) -> None:
    data = await send_one(api, sentto=ABROAD, text="y" * 200)
    assert data["country"] == "Saudi Arabia-SA"
    assert data["number_of_sms"] == 2
    assert account(emulator).international_balance_tl == Decimal("248.50")
    assert account(emulator).local_balance == 1000
    (message,) = emulator.sent_messages()
    assert message.charged == Decimal("1.50")
    assert message.charge_unit == "tl"
    status = await api.turkey(
        "/sms-durumu/sms_durumu.php", method="GET", sms_id=data["sms_id"]
    )
    assert status["sms_balance"] == "1.50 TL"
    assert status["operator"] == "International"
    data = await send_one(api, sentto="4915123456789")
    assert data["country"] == "Germany-DE"
    data = await send_one(api, sentto="88612345678")
    assert data["country"] == "International"


SEND_ONE_ERRORS: dict[str, list[dict[str, Any]]] = {
    "TS-1025": [
        {"sentto": None},
        {"sentto": ""},
    ],
    "TS-1026": [
        {"text": None},
        {"text": "  "},
    ],
    "TS-1051": [
        {"title": None},
        {"title": ""},
    ],
    "TS-1052": [
        {"title": "   "},
    ],
    "TS-1029": [
        {"title": "NOSUCH"},
        {"title": "homealert"},
    ],
    "TS-1028": [
        {"title": "OLDSENDER"},
    ],
    "TS-1033": [
        {"sentto": [LOCAL]},
        {"sentto": True},
        {"sms_lang": 7},
    ],
    "TS-1034": [
        {"sentto": "+905321234567"},
        {"sentto": "90532123456"},
        {"sentto": "9053212345678"},
        {"sentto": "05321234567"},
        {"sentto": "1234567"},
        {"sentto": "5321 234567"},
    ],
    "TS-1032": [
        {"api_key": "local-only-key", "sentto": ABROAD},
    ],
}


@pytest.mark.parametrize(("params", "code"), cases_by_outcome(SEND_ONE_ERRORS))
async def test_send_one_errors(
    api: Api, emulator: Emulator, params: dict[str, Any], code: str
) -> None:
    body = {"title": "HOMEALERT", "text": "Hello", "sentto": LOCAL, **params}
    data = await api.turkey(SEND, **body)
    assert data["result"] is False
    assert data["result_code"] == code
    assert_nothing_sent(emulator)


async def test_send_number_as_json_integer(api: Api) -> None:
    data = await send_one(api, sentto=int(LOCAL))
    assert data["result_code"] == "TS-1024"


async def test_insufficient_balance(api: Api, emulator: Emulator) -> None:
    account(emulator).local_balance = 1
    data = await send_one(api, text="z" * 170)
    assert data["result_code"] == "TS-1027"
    assert account(emulator).local_balance == 1
    account(emulator).international_balance_tl = Decimal("0.50")
    data = await send_one(api, sentto=ABROAD)
    assert data["result_code"] == "TS-1027"
    assert emulator.sent_messages() == []


async def test_post_and_get_channels(api: Api, emulator: Emulator) -> None:
    account(emulator).post_enabled = False
    data = await send_one(api)
    assert data["result_code"] == "TS-1061"
    get = {"mobile": LOCAL, "title": "HOMEALERT", "text": "Hi", "report": 1, "lang": 0}
    data = await api.turkey("/get/get.php", method="GET", **get)
    assert data["result_code"] == "TS-1024"
    data = await api.turkey(
        "/get/get.php", method="GET", api_key="local-only-key", **get
    )
    assert data["result_code"] == "TS-1062"
    # GET uses mobile, not sentto
    data = await api.turkey(
        "/get/get.php", method="GET", sentto=LOCAL, text="x", title="HOMEALERT"
    )
    assert data["result_code"] == "TS-1025"


@pytest.mark.parametrize(
    "body",
    [
        {"data": {"api_key": "demo-turkey-key", "title": "HOMEALERT", "text": "x"}},
        {"data": [("api_key", "demo-turkey-key"), ("sentto[]", LOCAL)]},
        {"data": b"plain words", "headers": {"Content-Type": "text/plain"}},
        {"data": b'{"api_key": "demo-turkey-key",'},
        {"data": b"[1, 2]", "headers": {"Content-Type": "application/json"}},
    ],
    ids=["urlencoded", "php_form_array", "plain_text", "cut_json", "json_array"],
)
async def test_a_body_that_is_not_a_json_object_is_invalid_data(
    api: Api, emulator: Emulator, body: dict[str, Any]
) -> None:
    """The endpoint reads php://input as JSON: a form is not a JSON object."""
    for path in (SEND, GROUP):
        status, text = await api.turkey_raw(path, **body)
        assert status == 200
        assert "[result_code] => TS-1033" in text  # print_r: no response_type read
    assert emulator.sent_messages() == []


async def test_post_endpoints_read_the_json_body_only(
    api: Api, emulator: Emulator
) -> None:
    """A query string on a POST endpoint is ignored, credentials and all."""
    body = {"title": "HOMEALERT", "text": "a", "sentto": LOCAL}
    status, text = await api.turkey_raw(
        f"{SEND}?api_key=wrong&response_type=print_r",
        json={"api_key": "demo-turkey-key", "response_type": "json", **body},
    )
    assert status == 200
    assert json.loads(text)["result_code"] == "TS-1024"
    query = "&".join(f"{k}={v}" for k, v in body.items())
    status, text = await api.turkey_raw(
        f"{SEND}?api_key=demo-turkey-key&{query}", json={"response_type": "json"}
    )
    assert json.loads(text)["result_code"] == "TS-1050"
    status, text = await api.turkey_raw(f"{SEND}?api_key=demo-turkey-key", data=b"  ")
    assert "[result_code] => TS-1050" in text
    assert len(emulator.sent_messages()) == 1


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/authenticate/login", "POST"),
        (SEND, "POST"),
        (GROUP, "POST"),
        (MULTI, "POST"),
        ("/otp_post/sent-otp", "POST"),
        ("/otp_post_detailed/sent-otp", "POST"),
        ("/rapor/temel", "POST"),
        ("/rapor/detayli", "POST"),
        ("/bakiye_sorgulama/add-content", "POST"),
        ("/get/get.php", "GET"),
        ("/otp/otp_get.php", "GET"),
        ("/sms-durumu/sms_durumu.php", "GET"),
    ],
)
async def test_each_endpoint_answers_only_its_documented_method(
    http: aiohttp.ClientSession, emulator: Emulator, path: str, allowed: str
) -> None:
    params = {
        "api_key": "demo-turkey-key",
        "title": "HOMEALERT",
        "text": "x",
        "sentto": LOCAL,
        "mobile": LOCAL,
        "response_type": "json",
    }
    url = f"{emulator.base_url}/api/v3{path}"
    for method in ("GET", "POST", "PUT", "DELETE"):
        if method == allowed:
            continue
        async with http.request(method, url, params=params, json=params) as response:
            assert response.status == 405
            assert response.headers["Allow"] == allowed
    assert emulator.sent_messages() == []
    entry = emulator.log[-1]
    assert (entry.outcome, entry.processed) == ("HTTP 405", False)


async def test_report_zero_gives_a_short_reply(api: Api, emulator: Emulator) -> None:
    data = await send_one(api, report=0)
    assert data == {
        "result": True,
        "result_code": "TS-1024",
        "result_message": "The message was sent successfully",
    }
    assert len(emulator.sent_messages()) == 1


async def test_rate_limit_counts_messages_not_requests(
    api: Api, emulator: Emulator, clock: ManualClock
) -> None:
    """TS-1060: "the number of messages sent in the last minute" (numbers × parts)."""
    emulator.rate_limit_per_minute = 5
    group = {"title": "HOMEALERT", "text": "x" * 200, "sentto": [LOCAL, LOCAL_TT]}
    assert (await api.turkey(GROUP, **group))["result_code"] == "TS-1024"
    clock.advance(30)
    assert (await send_one(api, text=""))["result_code"] == "TS-1026"
    # 4 messages in the minute: a 2-part text would make 6
    assert (await send_one(api, text="y" * 200))["result_code"] == "TS-1060"
    assert (await send_one(api))["result_code"] == "TS-1024"
    assert (await send_one(api))["result_code"] == "TS-1060"
    # other keys and non-send functions are not limited
    assert (await api.turkey("/authenticate/login"))["result_code"] == "TS-1046"
    clock.advance(30)  # the group's 4 messages leave the window
    assert (await api.turkey(GROUP, **group))["result_code"] == "TS-1024"
    assert (await send_one(api))["result_code"] == "TS-1060"
    assert len(emulator.sent_messages()) == 5


async def test_one_request_past_the_limit_is_refused_whole(
    api: Api, emulator: Emulator
) -> None:
    emulator.rate_limit_per_minute = 2
    data = await send_to_group(api, GROUP, text="x", sentto=[LOCAL] * 3)
    assert data["result_code"] == "TS-1060"
    assert_nothing_sent(emulator)


# -- group sends ------------------------------------------------------------------


async def test_send_group(api: Api, emulator: Emulator) -> None:
    data = await send_to_group(
        api, GROUP, text="Door open", sentto=[LOCAL, LOCAL_VODAFONE, ABROAD], report=1
    )
    assert data == {
        "result": True,
        "rapor_id": "123456",
        "total_mobile_num": 3,
        "number_of_sms": 1,
        "result_code": "TS-1024",
        "result_message": "The message was sent successfully",
        "sms_lang": "English",
        "country": "Turkey-TR",
    }
    messages = emulator.sent_messages()
    assert [m.number for m in messages] == [LOCAL, LOCAL_VODAFONE, ABROAD]
    assert {m.report_id for m in messages} == {"123456"}
    assert len({m.message_id for m in messages}) == 3
    assert account(emulator).local_balance == 998
    assert account(emulator).international_balance_tl == Decimal("249.25")
    assert emulator.log[-1].message_ids == ("123456",)
    assert emulator.log[-1].numbers == (LOCAL, LOCAL_VODAFONE, ABROAD)


@pytest.mark.parametrize(
    "sentto", [json.dumps([LOCAL, LOCAL_TT]), {"0": LOCAL, "1": LOCAL_TT}]
)
async def test_group_array_forms(api: Api, sentto: object) -> None:
    data = await send_to_group(api, GROUP, text="x", sentto=sentto)
    assert data["total_mobile_num"] == 2


@pytest.mark.parametrize(
    ("sentto", "code"),
    [
        ([], "TS-1025"),
        ("[]", "TS-1025"),
        (None, "TS-1025"),
        (LOCAL, "TS-1033"),
        (f"{LOCAL},{LOCAL_TT}", "TS-1033"),
        ([LOCAL, None], "TS-1033"),
        ([LOCAL, True], "TS-1033"),
        (["12", "+905321234567"], "TS-1034"),
        ([LOCAL, ABROAD], "TS-1032"),
    ],
)
async def test_group_errors(
    api: Api, emulator: Emulator, sentto: object, code: str
) -> None:
    key = "local-only-key" if code == "TS-1032" else "demo-turkey-key"
    data = await send_to_group(api, GROUP, api_key=key, text="x", sentto=sentto)
    assert data["result_code"] == code
    assert emulator.sent_messages() == []


async def test_group_all_or_nothing(api: Api, emulator: Emulator) -> None:
    account(emulator).local_balance = 2
    data = await send_to_group(api, GROUP, text="x", sentto=[LOCAL, LOCAL, LOCAL])
    assert data["result_code"] == "TS-1027"
    assert_nothing_sent(emulator, balance=2)


async def test_group_with_invalid_numbers_goes_to_the_valid_ones(
    api: Api, emulator: Emulator
) -> None:
    data = await send_to_group(
        api, GROUP, text="x", sentto=[LOCAL, "12", LOCAL_TT, "+905321234567"]
    )
    assert data["result_code"] == "TS-1024"
    assert data["total_mobile_num"] == 2
    assert [m.number for m in emulator.sent_messages()] == [LOCAL, LOCAL_TT]
    assert account(emulator).local_balance == 998
    report = await api.turkey("/rapor/detayli", raporid=data["rapor_id"])
    assert report["total_mobile_numbers"] == "4"
    assert report["invalid_numbers"] == "2"
    assert report["numbers_received"] == "2"
    rows = report["numbers"]
    assert [row["number_id"] for row in rows] == [1, 2, 3, 4]
    invalid = [row for row in rows if row["sms_status"] == "Invalid number"]
    assert [(row["phone_number"], row["sms_count"]) for row in invalid] == [
        ("12", 0),
        ("+905321234567", 0),
    ]


async def test_group_with_invalid_numbers_can_be_rejected_whole(
    api: Api, emulator: Emulator
) -> None:
    emulator.invalid_group_numbers = "reject_group"
    for path, text in ((GROUP, "x"), (MULTI, ["x", "y"])):
        data = await send_to_group(api, path, text=text, sentto=[LOCAL, "12"])
        assert data["result_code"] == "TS-1034"
    assert_nothing_sent(emulator)


async def test_multi_text_group_skips_invalid_numbers_with_their_texts(
    api: Api, emulator: Emulator
) -> None:
    data = await send_to_group(
        api, MULTI, text=["for the bad one", "for you"], sentto=["90532", LOCAL]
    )
    assert data["total_mobile_num"] == 1
    assert [(m.number, m.text) for m in emulator.sent_messages()] == [
        (LOCAL, "for you")
    ]


@pytest.mark.parametrize(
    ("text", "lang", "shown", "parts", "name"),
    [
        ("Kapı açık مرحبا", 0, "Kap? a??k ?????", 1, "English"),
        ("Kapı açık 🚪", 1, "Kapı açık ?", 1, "Turkish"),
        ("Kapı açık 🚪", 2, "Kapı açık 🚪", 1, "Arabic"),
        ("Hello", 2, "Hello", 1, "Arabic"),
        ("ş" * 80, 1, "ş" * 80, 2, "Turkish"),
        ("ş" * 80, 0, "?" * 80, 1, "English"),
        ("Hello {x}", 1, "Hello {x}", 1, "Turkish"),
    ],
)
async def test_text_is_delivered_in_the_declared_alphabet(
    api: Api,
    emulator: Emulator,
    text: str,
    lang: int,
    shown: str,
    parts: int,
    name: str,
) -> None:
    """The handset shows what the declared alphabet carries; billed as declared."""
    data = await send_one(api, text=text, sms_lang=lang)
    assert (data["number_of_sms"], data["sms_lang"]) == (parts, name)
    (message,) = emulator.sent_messages()
    assert (message.text, message.segments, message.language_code) == (
        shown,
        parts,
        lang,
    )


async def test_send_multi(api: Api, emulator: Emulator) -> None:
    data = await send_to_group(
        api, MULTI, text=["Short", "L" * 200], sentto=[LOCAL, LOCAL_TT]
    )
    assert data["result_code"] == "TS-1024"
    assert data["total_mobile_num"] == 2
    assert data["number_of_sms"] == 2
    assert [(m.number, m.segments) for m in emulator.sent_messages()] == [
        (LOCAL, 1),
        (LOCAL_TT, 2),
    ]
    assert account(emulator).local_balance == 997


@pytest.mark.parametrize(
    ("text", "sentto", "code"),
    [
        (["a"], [LOCAL, LOCAL_TT], "TS-1033"),
        (["a", ""], [LOCAL, LOCAL_TT], "TS-1026"),
        ([], [LOCAL], "TS-1026"),
        ("a", [LOCAL], "TS-1033"),
        (["a"], [], "TS-1025"),
    ],
)
async def test_send_multi_errors(
    api: Api, text: object, sentto: object, code: str
) -> None:
    data = await send_to_group(api, MULTI, text=text, sentto=sentto)
    assert data["result_code"] == code


# -- OTP --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/otp/otp_get.php", "GET"),
        ("/otp_post/sent-otp", "POST"),
        ("/otp_post/add-content", "POST"),
    ],
)
async def test_otp(api: Api, emulator: Emulator, path: str, method: str) -> None:
    data = await api.turkey(path, method=method, mobile=LOCAL, digits=4, lang=0)
    assert list(data) == [
        "result",
        "otp_code",
        "sms_id",
        "number_of_sms",
        "result_code",
        "result_message",
        "sms_lang",
        "country",
    ]
    code = data["otp_code"]
    assert len(code) == 4
    assert code.isdigit()
    (message,) = emulator.sent_messages()
    assert message.otp_code == code
    assert code in message.text
    assert message.sender == "HOMEALERT"


async def test_otp_digits_and_language(api: Api, emulator: Emulator) -> None:
    data = await api.turkey("/otp_post/sent-otp", mobile=LOCAL)
    assert len(data["otp_code"]) == 6
    data = await api.turkey("/otp_post/sent-otp", mobile=LOCAL, digits=5, lang=1)
    assert len(data["otp_code"]) == 5
    assert emulator.sent_messages()[-1].text.startswith("Doğrulama")
    data = await api.turkey("/otp_post/sent-otp", mobile=LOCAL, digits=7)
    assert data["result_code"] == "TS-1033"
    data = await api.turkey("/otp_post/sent-otp", digits=4)
    assert data["result_code"] == "TS-1025"


async def test_otp_without_an_active_sender(api: Api, emulator: Emulator) -> None:
    account(emulator).senders = {}
    data = await api.turkey("/otp_post/sent-otp", mobile=LOCAL)
    assert data["result_code"] == "TS-1024"
    assert emulator.sent_messages()[0].sender == "OTP"


async def test_otp_get_needs_get(api: Api) -> None:
    data = await api.turkey(
        "/otp/otp_get.php", method="GET", api_key="local-only-key", mobile=LOCAL
    )
    assert data["result_code"] == "TS-1062"


@pytest.mark.parametrize("suffix", ["sent-otp", "add-content"])
@pytest.mark.parametrize("text_key", ["text", "sms_text"])
async def test_otp_detailed(
    api: Api, emulator: Emulator, suffix: str, text_key: str
) -> None:
    data = await api.turkey(
        f"/otp_post_detailed/{suffix}",
        mobile=LOCAL,
        digits=5,
        title="HOMEALERT",
        **{text_key: "Your code is TS_CODE TS-L Welcome"},
    )
    assert data["result_message"] == "the_SMS_has_been_sent_successfully"
    assert data["content_type"] == "High_quality"
    assert list(data)[-2:] == ["content_type", "country"]
    code = data["otp_code"]
    assert emulator.sent_messages()[0].text == f"Your code is {code} \n Welcome"


async def test_otp_detailed_errors(api: Api, emulator: Emulator) -> None:
    path = "/otp_post_detailed/sent-otp"
    data = await api.turkey(path, mobile=LOCAL, title="HOMEALERT")
    assert data["result_code"] == "TS-1026"
    data = await api.turkey(path, mobile=LOCAL, text="Code TS_CODE")
    assert data["result_code"] == "TS-1051"
    data = await api.turkey(
        path, mobile=LOCAL, text="Code", title="HOMEALERT", digits=4
    )
    assert data["result_code"] == "TS-1024"
    assert emulator.sent_messages()[0].text == f"Code {data['otp_code']}"


# -- status and reports -----------------------------------------------------------


async def test_status_progression(
    api: Api, emulator: Emulator, clock: ManualClock
) -> None:
    emulator.state.delivery_delay_seconds = 10
    sms_id = (await send_one(api))["sms_id"]
    data = await status_of(api, sms_id)
    assert data == {
        "result": True,
        "sender_id": "HOMEALERT",
        "date_of_sending": "2025-01-15",
        "time_of_sending": "12:00:00",
        "sms_status": "Number out of coverage, not received yet",
        "sms_status_code": "TS-1023",
        "sms_balance": "1 SMS",
        "operator": "Turkcell",
    }
    clock.advance(10)
    data = await status_of(api, sms_id)
    assert data["sms_status_code"] == "TS-1024"
    assert data["sms_status"] == "Number received the message"
    assert emulator.sent_messages()[0].status == "TS-1024"
    assert emulator.log[-1].outcome == "TS-1024"


async def test_status_default_is_immediate(api: Api, emulator: Emulator) -> None:
    sms_id = (await send_one(api))["sms_id"]
    assert emulator.sent_messages()[0].status == "TS-1023"
    assert (await status_of(api, sms_id))["sms_status_code"] == "TS-1024"


async def test_status_special_numbers(api: Api) -> None:
    gone = (await send_one(api, sentto="905329999901"))["sms_id"]
    away = (await send_one(api, sentto="905329999902"))["sms_id"]
    for _ in range(2):
        assert (await status_of(api, gone))["sms_status_code"] == "TS-1022"
        assert (await status_of(api, away))["sms_status_code"] == "TS-1023"


async def test_status_errors(api: Api, emulator: Emulator) -> None:
    sms_id = (await send_one(api))["sms_id"]
    assert (await status_of(api, "999"))["result_code"] == "TS-1033"
    assert (await status_of(api, None))["result_code"] == "TS-1033"
    other = await status_of(api, sms_id, api_key="local-only-key")
    assert other["result_code"] == "TS-1033"
    account(emulator).status_enabled = False
    assert (await status_of(api, sms_id))["result_code"] == "TS-1063"


async def test_reports(api: Api, emulator: Emulator) -> None:
    emulator.state.blocked_numbers.add("905551234567")
    numbers = [LOCAL, LOCAL_VODAFONE, LOCAL_TT, "905551234567", "905329999901"]
    numbers += ["905329999902", ABROAD, "905221234567"]
    rapor_id = (await send_to_group(api, GROUP, text="x", sentto=numbers))["rapor_id"]
    data = await api.turkey("/rapor/temel", raporid=rapor_id)
    assert data == {
        "result": True,
        "status_code": "TS-1064",
        "report_id": rapor_id,
        "sending_date": data["sending_date"],
        "sending_time": data["sending_time"],
        "report_status": "Report dispatched successfully.",
        "number_verification_status": "Undergoing number verification.",
        "total_mobile_numbers": "8",
        "sms_sender_id": "HOMEALERT",
        "numbers_received": "5",
        "numbers_not_received": "1",
        "invalid_numbers": "0",
        "blocked_numbers": "1",
        "turkcell_count": "3",
        "turktelekom_count": "2",
        "vodafone_count": "1",
        "message_validity_duration": "1440",
    }
    detailed = await api.turkey("/rapor/detayli", raporid=rapor_id)
    rows = detailed.pop("numbers")
    assert detailed == data
    assert [row["number_id"] for row in rows] == list(range(1, 9))
    first = rows[0]
    assert first["phone_number"] == "5321234567"
    assert first["operator"] == "TURKCELL"
    assert first["sms_count"] == 1
    assert first["sms_status"] == "Number received the message"
    assert first["done_at"]
    assert rows[5]["done_at"] == ""
    assert rows[6]["phone_number"] == ABROAD
    assert rows[7]["operator"] == "UNKNOWN"


async def test_report_of_single_message_and_errors(
    api: Api, emulator: Emulator
) -> None:
    sms_id = (await send_one(api))["sms_id"]
    data = await api.turkey("/rapor/temel", raporid=sms_id)
    assert data["total_mobile_numbers"] == "1"
    assert data["number_verification_status"] == "Number verification completed."
    assert (await api.turkey("/rapor/temel", raporid="1"))["result_code"] == "TS-1033"
    assert (await api.turkey("/rapor/detayli"))["result_code"] == "TS-1033"
    account(emulator).status_enabled = False
    data = await api.turkey("/rapor/temel", raporid=sms_id)
    assert data["result_code"] == "TS-1063"


# -- wire formats -----------------------------------------------------------------


async def test_print_r_reply(api: Api, emulator: Emulator) -> None:
    status, text = await api.turkey_raw(
        "/authenticate/login", json={"api_key": "demo-turkey-key", "report": 1}
    )
    assert status == 200
    assert text == (
        "Array\n(\n    [result] => 1\n    [result_code] => TS-1046\n"
        "    [result_message] => operation_success\n    [user_id] => 100200\n"
        "    [account_name] => Demo Home\n)\n"
    )
    emulator.result_style = "string"
    status, text = await api.turkey_raw(
        "/authenticate/login", json={"api_key": "wrong", "response_type": "php"}
    )
    assert status == 200
    assert text.startswith(
        "Array\n(\n    [result] => false\n    [result_code] => TS-1031"
    )


async def test_string_result_style(api: Api, emulator: Emulator) -> None:
    emulator.result_style = "string"
    assert (await send_one(api))["result"] == "true"
    assert (await send_one(api, text=""))["result"] == "false"


async def test_json_escaping_and_content_type(
    http: aiohttp.ClientSession, emulator: Emulator
) -> None:
    async with http.post(
        f"{emulator.base_url}/api/v3/gonder/add-content",
        json={
            "api_key": "demo-turkey-key",
            "title": "HOMEALERT",
            "text": "x",
            "sentto": LOCAL,
            "response_type": "JSON",
        },
    ) as response:
        assert response.content_type == "application/json"
        assert json.loads(await response.text())["result"] is True
    emulator.settings.update({"json_content_type": "text/html; charset=UTF-8"})
    async with http.post(
        f"{emulator.base_url}/api/v3/authenticate/login",
        json={"api_key": "demo-turkey-key", "response_type": "json"},
    ) as response:
        assert response.content_type == "text/html"


async def test_unknown_path_is_404(api: Api, emulator: Emulator) -> None:
    status, _ = await api.turkey_raw("/otp_post/nope", json={})
    assert status == 404
    assert emulator.log[-1].function == "unknown"
    assert emulator.log[-1].outcome == "HTTP 404"
    status, _ = await api.turkey_raw("/gruba-gonder/post/tek-metin-gonderimi", json={})
    assert status == 200
