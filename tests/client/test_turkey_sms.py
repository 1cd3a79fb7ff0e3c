"""The Turkey SMS client over real HTTP against the emulator (and a scripted server)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from decimal import Decimal
import hashlib
import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

from aiohttp import (
    ClientSession,
    web,
)
import pytest

from custom_components.sms_gateway.client import (
    AccountDisabledError,
    AuthenticationError,
    DeliveryState,
    FailureReason,
    InvalidResponseError,
    OtpTemplate,
    OutcomeUnknownError,
    RateLimitedError,
    RejectedError,
    TurkeySms,
    UnsupportedFeatureError,
    otp_template,
)
from custom_components.sms_gateway.client.bulk import (
    BulkSend,
    Delivery,
    OutgoingText,
    plan_chunks,
)
from custom_components.sms_gateway.client.phone import PhoneNumber
from custom_components.sms_gateway.client.text import analyze_text
from custom_components.sms_gateway.client.turkey_sms_replies import decode_reply
from sms_emulator import Emulator, Fault, ManualClock

from .conftest import ScriptedServer, Wire, assert_rejected

API_KEY = "demo-turkey-key"
SENDER = "HOMEALERT"
AYSE = "905321234567"  # Turkcell
MEHMET = "905441234567"  # Vodafone
ALI = "905051234567"  # Turk Telekom
UNDELIVERABLE = "905329999901"
OUT_OF_COVERAGE = "905329999902"
SARA = "966501234567"  # Saudi Arabia: international

SENT = {
    "result": True,
    "sms_id": "1000007721",
    "number_of_sms": 1,
    "result_code": "TS-1024",
    "result_message": "The message was sent successfully",
}
BALANCE = {
    "result": True,
    "result_code": "TS-1040",
    "local_balance_sms": 12,
    "international_balance_tl": "3.50",
}


# -- helpers -------------------------------------------------------------------


def _client(
    session: ClientSession,
    base_url: str | None,
    *,
    api_key: str = API_KEY,
    sender: str | None = SENDER,
) -> TurkeySms:
    assert base_url is not None
    return TurkeySms(session, api_key=api_key, sender=sender, base_url=base_url)


@pytest.fixture
def client(emulator: Emulator, wire: Wire) -> TurkeySms:
    """The demo account on the emulator as HOMEALERT; ``wire`` records its requests."""
    return _client(wire.session, emulator.base_url)


def _reply_json(scripted: ScriptedServer, payload: Any) -> None:
    scripted.reply(json.dumps(payload), headers={"Content-Type": "application/json"})


def _local_balance(emulator: Emulator, api_key: str = API_KEY) -> int:
    return emulator.state.turkey_accounts[api_key].local_balance


@pytest.fixture
async def print_r_server(
    scripted: ScriptedServer, emulator: Emulator, session: ClientSession
) -> ScriptedServer:
    """The emulator behind a proxy that drops ``response_type``: print_r replies."""

    async def forward(request: web.Request) -> web.Response:
        query = {k: v for k, v in request.query.items() if k != "response_type"}
        body: dict[str, Any] | None = None
        if raw := await request.read():
            body = json.loads(raw)
            body.pop("response_type", None)
        async with session.request(
            request.method,
            f"{emulator.base_url}{request.path}",
            params=query,
            json=body,
        ) as response:
            return web.Response(
                body=await response.read(),
                status=response.status,
                content_type="text/html",
            )

    scripted.handler = forward
    return scripted


# -- authentication ------------------------------------------------------------


async def test_authenticate_returns_user_id_and_account_name(
    client: TurkeySms, emulator: Emulator
) -> None:
    info = await client.authenticate()

    assert info.account_id == "100200"
    assert info.name == "Demo Home"
    assert [entry.function for entry in emulator.log] == ["login"]
    assert emulator.log[0].path == "/api/v3/authenticate/login"


async def test_authenticate_falls_back_to_balance_when_login_path_is_missing(
    scripted: ScriptedServer, session: ClientSession
) -> None:
    async def handler(request: web.Request) -> web.Response:
        if request.path.endswith("/authenticate/login"):
            return web.Response(status=404, text="Not Found")
        return web.json_response(BALANCE)

    scripted.handler = handler
    client = _client(session, scripted.base_url, api_key="reseller-key")

    info = await client.authenticate()

    digest = hashlib.sha256(b"reseller-key").hexdigest()[:16]
    assert info.account_id == f"key-{digest}"
    assert info.name is None
    assert [path for _, path, _ in scripted.requests] == [
        "/api/v3/authenticate/login",
        "/api/v3/bakiye_sorgulama/add-content",
    ]
    assert "reseller-key" not in info.account_id


async def test_authenticate_fallback_still_refuses_a_wrong_key(
    scripted: ScriptedServer, session: ClientSession
) -> None:
    async def handler(request: web.Request) -> web.Response:
        if request.path.endswith("/authenticate/login"):
            return web.Response(status=404)
        return web.json_response({"result": False, "result_code": "TS-1031"})

    scripted.handler = handler

    with pytest.raises(AuthenticationError) as err:
        await _client(session, scripted.base_url).authenticate()
    assert err.value.code == "TS-1031"


@pytest.mark.parametrize(
    ("status", "call"),
    [
        (403, lambda client: client.authenticate()),
        (403, lambda client: client.send_otp(AYSE, digits=6)),
        (410, lambda client: client.fetch_account_status()),
    ],
    ids=["login-has-no-fallback", "otp-has-no-fallback", "query"],
)
async def test_a_client_error_status_is_an_invalid_response_and_not_retried(
    scripted: ScriptedServer,
    session: ClientSession,
    status: int,
    call: Callable[[TurkeySms], Awaitable[object]],
) -> None:
    """Only a missing path (404) sends login and OTP to their fallback paths."""
    scripted.reply("Forbidden", status=status)

    with pytest.raises(InvalidResponseError) as err:
        await call(_client(session, scripted.base_url))
    assert err.value.status == status
    assert len(scripted.requests) == 1


async def test_authenticate_without_user_id_is_an_invalid_response(
    scripted: ScriptedServer, session: ClientSession
) -> None:
    _reply_json(scripted, {"result": True, "result_code": "TS-1046"})

    with pytest.raises(InvalidResponseError, match="user_id"):
        await _client(session, scripted.base_url).authenticate()


@pytest.mark.parametrize(
    ("api_key", "error", "code"),
    [
        ("no-such-key", AuthenticationError, "TS-1031"),
        ("", AuthenticationError, "TS-1050"),
        ("inactive-turkey-key", AccountDisabledError, "TS-1030"),
    ],
)
async def test_bad_or_inactive_keys_can_neither_log_in_nor_send(
    emulator: Emulator,
    session: ClientSession,
    api_key: str,
    error: type[AuthenticationError],
    code: str,
) -> None:
    client = _client(session, emulator.base_url, api_key=api_key)

    with pytest.raises(error) as err:
        await client.authenticate()
    assert isinstance(err.value, AuthenticationError)  # AccountDisabledError is one
    assert err.value.code == code
    with pytest.raises(error) as refused:
        await client.send([AYSE], "Hello")
    assert refused.value.code == code
    assert emulator.sent_messages() == []


# -- balance -------------------------------------------------------------------


async def test_account_status_has_local_and_international_balance(
    client: TurkeySms,
) -> None:
    status = await client.fetch_account_status()

    assert status.sms_balance == 1000.0
    assert status.international_balance == Decimal("250.00")
    assert isinstance(status.international_balance, Decimal)
    assert status.scheduled_messages is None


async def test_balance_query_refused_when_not_enabled_for_the_key(
    client: TurkeySms, emulator: Emulator
) -> None:
    emulator.state.turkey_accounts[API_KEY].balance_enabled = False

    await assert_rejected(
        client.fetch_account_status(), "TS-1065", FailureReason.NOT_PERMITTED
    )


async def test_unreadable_balances_are_none_and_decimal_commas_are_read(
    scripted: ScriptedServer, session: ClientSession
) -> None:
    _reply_json(
        scripted,
        {
            "result": "true",
            "result_code": "TS-1040",
            "local_balance_sms": "n/a",
            "international_balance_tl": "12,50",
        },
    )

    status = await _client(session, scripted.base_url).fetch_account_status()

    assert status.sms_balance is None
    assert status.international_balance == Decimal("12.50")


# -- sending to one number -------------------------------------------------------


async def test_send_to_one_number_uses_the_single_endpoint(
    client: TurkeySms, emulator: Emulator
) -> None:
    receipt = await client.send([AYSE], "Front door opened")

    (entry,) = emulator.log
    assert entry.function == "send_one"
    assert entry.path == "/api/v3/gonder/add-content"
    assert entry.method == "POST"
    assert entry.numbers == (AYSE,)
    assert receipt.numbers == (AYSE,)
    assert receipt.message_id == entry.message_ids[0]
    assert receipt.report_id is None
    assert receipt.segments == 1
    assert receipt.credits == 1.0
    (message,) = emulator.sent_messages("turkey_sms")
    assert (message.number, message.text, message.sender) == (
        AYSE,
        "Front door opened",
        SENDER,
    )
    assert _local_balance(emulator) == 999


async def test_send_posts_json_with_the_key_in_the_body(
    client: TurkeySms, wire: Wire
) -> None:
    await client.send([AYSE], "Hello")

    (request,) = wire.requests
    assert request.method == "POST"
    assert API_KEY not in request.url
    assert request.json() == {
        "api_key": API_KEY,
        "title": SENDER,
        "text": "Hello",
        "report": 1,
        "sms_lang": 0,
        "sentto": AYSE,
        "response_type": "json",
    }


@pytest.mark.parametrize(
    ("text", "sms_lang", "language_code"),
    [
        pytest.param("Door opened", 0, 0, id="gsm7"),
        pytest.param("Kapı açıldı, Ayşe", 1, 1, id="turkish"),
        pytest.param("تم فتح الباب", 2, 2, id="arabic"),
    ],
)
async def test_sms_lang_follows_the_alphabet_of_the_text(
    client: TurkeySms,
    emulator: Emulator,
    wire: Wire,
    text: str,
    sms_lang: int,
    language_code: int,
) -> None:
    await client.send([AYSE], text)
    await client.send([AYSE, MEHMET], text)

    assert [request.json()["sms_lang"] for request in wire.requests] == [
        sms_lang,
        sms_lang,
    ]
    assert {m.language_code for m in emulator.sent_messages()} == {language_code}
    assert {m.text for m in emulator.sent_messages()} == {text}


async def test_text_is_sent_normalised(emulator: Emulator, client: TurkeySms) -> None:
    decomposed = "Kapi\u0307 ac\u0327ildi"  # i + combining dot, c + cedilla

    await client.send([AYSE], decomposed)

    assert emulator.sent_messages()[0].text == "Kapi\u0307 açildi"


@pytest.mark.parametrize(
    ("numbers", "charged"),
    [([AYSE], 2.0), ([AYSE, MEHMET, ALI], 6.0)],
    ids=["single-send", "group-send"],
)
async def test_a_long_text_is_charged_per_segment_and_number(
    client: TurkeySms, emulator: Emulator, numbers: list[str], charged: float
) -> None:
    receipt = await client.send(numbers, "x" * 200)

    assert receipt.segments == 2
    assert receipt.credits == charged
    assert _local_balance(emulator) == 1000 - charged


# -- sending to many numbers -----------------------------------------------------


async def test_group_send_uses_one_request_for_three_numbers(
    client: TurkeySms, emulator: Emulator
) -> None:
    receipt = await client.send([AYSE, MEHMET, ALI], "Water leak in the kitchen")

    (entry,) = emulator.log
    assert entry.function == "send_group"
    assert entry.path == "/api/v3/gruba-gonder/post/tek-metin-gonderimi/"
    assert entry.numbers == (AYSE, MEHMET, ALI)
    assert receipt.report_id == entry.message_ids[0]
    assert receipt.message_id is None
    assert receipt.numbers == (AYSE, MEHMET, ALI)
    assert receipt.segments == 1
    assert receipt.credits == 3.0
    assert [m.number for m in emulator.sent_messages()] == [AYSE, MEHMET, ALI]
    assert {m.report_id for m in emulator.sent_messages()} == {receipt.report_id}


async def test_group_send_sends_numbers_as_a_json_array(
    client: TurkeySms, wire: Wire
) -> None:
    await client.send([AYSE, MEHMET], "Hi")

    assert wire.requests[0].json()["sentto"] == [AYSE, MEHMET]


async def test_a_group_with_an_invalid_number_goes_to_the_valid_ones(
    client: TurkeySms, emulator: Emulator
) -> None:
    receipt = await client.send([AYSE, "90532", MEHMET], "Hello")

    assert receipt.numbers == (AYSE, MEHMET)
    assert receipt.rejected == ("90532",)
    assert receipt.unconfirmed == ()
    assert receipt.credits == 2
    assert sorted(m.number for m in emulator.sent_messages()) == [AYSE, MEHMET]
    assert [entry.function for entry in emulator.log][-1] == "report_detailed"
    assert _local_balance(emulator) == 998
    report = await client.get_report(str(receipt.report_id), detailed=True)
    states = {entry.number: entry.state for entry in report.entries}
    assert states["90532"] is DeliveryState.INVALID


async def test_one_invalid_number_rejects_the_whole_group(
    client: TurkeySms, emulator: Emulator
) -> None:
    emulator.invalid_group_numbers = "reject_group"

    await assert_rejected(
        client.send([AYSE, "90532"], "Hello"), "TS-1034", FailureReason.INVALID_NUMBER
    )
    assert emulator.sent_messages() == []
    assert _local_balance(emulator) == 1000


@pytest.mark.parametrize("policy", ["accept_valid", "reject_group"])
async def test_an_invalid_number_in_a_bulk_send_is_never_reported_sent(
    client: TurkeySms, emulator: Emulator, policy: str
) -> None:
    emulator.invalid_group_numbers = policy
    ayse, short, mehmet = (PhoneNumber(f"+{n}") for n in (AYSE, "90532", MEHMET))
    chunks = plan_chunks(
        client,
        [OutgoingText(analyze_text("Hello"), (ayse, short, mehmet))],
        max_numbers=500,
    )

    result = await BulkSend(chunks).run()

    assert result.numbers_in(Delivery.SENT) == (
        [ayse, mehmet] if policy == "accept_valid" else []
    )
    assert short in result.numbers_in(Delivery.REJECTED)
    (invalid,) = (o for o in result.outcomes if o.number == short)
    assert invalid.reason is FailureReason.INVALID_NUMBER


async def test_a_shortfall_without_a_report_id_is_unconfirmed(
    scripted: ScriptedServer, session: ClientSession
) -> None:
    _reply_json(scripted, {**SENT, "total_mobile_num": 1})

    receipt = await _client(session, scripted.base_url).send([AYSE, MEHMET], "Hi")

    assert receipt.unconfirmed == (AYSE, MEHMET)
    assert len(scripted.requests) == 1


async def test_a_shortfall_the_report_cannot_explain_is_unconfirmed(
    scripted: ScriptedServer, session: ClientSession
) -> None:
    replies = iter(
        [
            {**SENT, "rapor_id": "77", "total_mobile_num": 1, "number_of_sms": 1},
            {"result": False, "result_code": "TS-1065"},
        ]
    )

    async def handler(request: Any) -> Any:
        return web.json_response(next(replies))

    scripted.handler = handler

    receipt = await _client(session, scripted.base_url).send([AYSE, MEHMET], "Hi")

    assert receipt.numbers == ()
    assert receipt.rejected == ()
    assert receipt.unconfirmed == (AYSE, MEHMET)


# -- per-number texts -----------------------------------------------------------


async def test_individual_texts_are_matched_to_numbers_by_index(
    client: TurkeySms, emulator: Emulator, wire: Wire
) -> None:
    receipt = await client.send_individual(
        [(AYSE, "Merhaba Ayşe"), (MEHMET, "Hello Mehmet"), (ALI, "z" * 200)]
    )

    (entry,) = emulator.log
    assert entry.function == "send_multi"
    assert entry.numbers == (AYSE, MEHMET, ALI)
    body = wire.requests[0].json()
    assert body["sentto"] == [AYSE, MEHMET, ALI]
    assert body["text"] == ["Merhaba Ayşe", "Hello Mehmet", "z" * 200]
    assert body["sms_lang"] == 1
    texts = {m.number: m.text for m in emulator.sent_messages()}
    assert texts == {AYSE: "Merhaba Ayşe", MEHMET: "Hello Mehmet", ALI: "z" * 200}
    assert receipt.report_id == entry.message_ids[0]
    assert receipt.numbers == (AYSE, MEHMET, ALI)
    assert receipt.segments == 2
    assert _local_balance(emulator) == 1000 - 4


async def test_individual_texts_need_a_text_for_every_number(
    client: TurkeySms, emulator: Emulator
) -> None:
    with pytest.raises(RejectedError) as err:
        await client.send_individual([(AYSE, "Hello"), (MEHMET, "   ")])

    assert err.value.reason is FailureReason.EMPTY_MESSAGE
    assert emulator.sent_messages() == []


async def test_individual_send_without_messages_is_rejected_as_no_numbers(
    client: TurkeySms,
) -> None:
    with pytest.raises(RejectedError) as err:
        await client.send_individual([])

    assert err.value.reason is FailureReason.NO_NUMBERS


# -- OTP -------------------------------------------------------------------------


async def test_plain_otp_returns_the_code_the_provider_sent(
    client: TurkeySms, emulator: Emulator
) -> None:
    receipt = await client.send_otp(AYSE, digits=6)

    (entry,) = emulator.log
    assert entry.function == "otp_post"
    assert entry.path == "/api/v3/otp_post/sent-otp"
    (message,) = emulator.sent_messages()
    assert receipt.number == AYSE
    assert len(receipt.code) == 6
    assert receipt.code.isdigit()
    assert receipt.code == message.otp_code
    assert receipt.code in message.text
    assert receipt.message_id == message.message_id
    assert receipt.segments == 1


async def test_otp_template_puts_the_code_and_line_break_into_the_text(
    client: TurkeySms, emulator: Emulator, wire: Wire
) -> None:
    template = "Home code: {code}\nValid for 5 minutes"

    receipt = await client.send_otp(AYSE, digits=4, template=template)

    (entry,) = emulator.log
    assert entry.function == "otp_detailed"
    assert entry.path == "/api/v3/otp_post_detailed/sent-otp"
    body = wire.requests[0].json()
    assert body["text"] == "Home code: TS_CODETS-LValid for 5 minutes"
    assert body["title"] == SENDER
    assert body["digits"] == 4
    assert body["lang"] == 0
    (message,) = emulator.sent_messages()
    assert len(receipt.code) == 4
    assert message.text == template.replace("{code}", receipt.code)
    assert "\n" in message.text
    assert message.sender == SENDER


async def test_otp_template_goes_out_nfc_normalised_with_crlf_as_one_line_break(
    client: TurkeySms, emulator: Emulator, wire: Wire
) -> None:
    receipt = await client.send_otp(
        AYSE, digits=4, template="s\u0327ifre {code}\r\nGeçerli 5 dakika"
    )

    body = wire.requests[0].json()
    assert body["text"] == "\u015fifre TS_CODETS-LGeçerli 5 dakika"
    assert body["lang"] == 1
    (message,) = emulator.sent_messages()
    assert message.text == f"\u015fifre {receipt.code}\nGeçerli 5 dakika"


@pytest.mark.parametrize(
    "template",
    [
        pytest.param("Doğrulama kodu: {code}", id="text"),
        pytest.param(otp_template("Doğrulama kodu: {code}", 5), id="analysed"),
    ],
)
async def test_otp_template_in_turkish_sends_lang_1(
    client: TurkeySms, emulator: Emulator, wire: Wire, template: str | OtpTemplate
) -> None:
    receipt = await client.send_otp(AYSE, digits=5, template=template)

    assert wire.requests[0].json()["lang"] == 1
    assert emulator.sent_messages()[0].text == f"Doğrulama kodu: {receipt.code}"


@pytest.mark.parametrize(
    ("template", "first", "second", "text_key"),
    [
        pytest.param(
            None,
            "/api/v3/otp_post/sent-otp",
            "/api/v3/otp_post/add-content",
            "text",
            id="plain",
        ),
        pytest.param(
            "Code {code}",
            "/api/v3/otp_post_detailed/sent-otp",
            "/api/v3/otp_post_detailed/add-content",
            "sms_text",
            id="template",
        ),
    ],
)
async def test_otp_falls_back_to_add_content_when_the_path_is_missing(
    scripted: ScriptedServer,
    session: ClientSession,
    template: str | None,
    first: str,
    second: str,
    text_key: str,
) -> None:
    async def handler(request: web.Request) -> web.Response:
        if request.path.endswith("/sent-otp"):
            return web.Response(status=404, text="Not Found")
        return web.json_response({**SENT, "otp_code": "4821"})

    scripted.handler = handler

    receipt = await _client(session, scripted.base_url).send_otp(
        AYSE, digits=4, template=template
    )

    assert receipt.code == "4821"
    assert receipt.message_id == "1000007721"
    assert [path for _, path, _ in scripted.requests] == [first, second]
    retried = json.loads(scripted.requests[1][2])
    if template is None:
        assert "text" not in retried
        assert "sms_text" not in retried
    else:
        assert retried[text_key] == "Code TS_CODE"
        assert "text" not in retried


async def test_otp_accepted_without_a_code_is_an_unknown_outcome(
    scripted: ScriptedServer, session: ClientSession
) -> None:
    _reply_json(scripted, SENT)

    with pytest.raises(OutcomeUnknownError):
        await _client(session, scripted.base_url).send_otp(AYSE, digits=6)


# -- message status --------------------------------------------------------------


async def test_message_status_goes_from_pending_to_delivered(
    client: TurkeySms, emulator: Emulator
) -> None:
    clock = ManualClock()
    emulator.clock = clock
    emulator.state.delivery_delay_seconds = 60
    receipt = await client.send([AYSE], "Hello")
    assert receipt.message_id is not None

    pending = await client.get_message_status(receipt.message_id)
    clock.advance(61)
    delivered = await client.get_message_status(receipt.message_id)

    assert pending.state is DeliveryState.PENDING
    assert pending.code == "TS-1023"
    assert delivered.state is DeliveryState.DELIVERED
    assert delivered.code == "TS-1024"
    assert delivered.message_id == receipt.message_id
    assert delivered.sender == SENDER
    assert delivered.operator == "Turkcell"
    assert delivered.charged == "1 SMS"
    # 09:00 UTC is 12:00 in Istanbul: the provider reports local time.
    assert delivered.sent_at is not None
    assert delivered.sent_at.isoformat() == "2025-01-15T12:00:00"


async def test_undeliverable_number_ends_not_delivered(
    client: TurkeySms, emulator: Emulator
) -> None:
    receipt = await client.send([UNDELIVERABLE], "Hello")
    assert receipt.message_id is not None

    status = await client.get_message_status(receipt.message_id)

    assert status.state is DeliveryState.NOT_DELIVERED
    assert status.code == "TS-1022"


async def test_out_of_coverage_number_stays_pending(client: TurkeySms) -> None:
    receipt = await client.send([OUT_OF_COVERAGE], "Hello")
    assert receipt.message_id is not None

    status = await client.get_message_status(receipt.message_id)

    assert status.state is DeliveryState.PENDING


async def test_status_query_sends_key_and_id_as_get_parameters(
    client: TurkeySms, emulator: Emulator, wire: Wire
) -> None:
    receipt = await client.send([AYSE], "Hello")
    assert receipt.message_id is not None

    await client.get_message_status(receipt.message_id)

    request = wire.requests[-1]
    assert request.method == "GET"
    url = urlsplit(request.url)
    assert url.path == "/api/v3/sms-durumu/sms_durumu.php"
    assert parse_qs(url.query) == {
        "api_key": [API_KEY],
        "sms_id": [receipt.message_id],
        "response_type": ["json"],
    }
    assert emulator.log[-1].path == url.path


async def test_status_of_an_unknown_message_is_rejected(client: TurkeySms) -> None:
    await assert_rejected(
        client.get_message_status("42"), "TS-1033", FailureReason.INVALID_REQUEST
    )


async def test_status_query_refused_when_not_enabled_for_the_key(
    client: TurkeySms, emulator: Emulator
) -> None:
    receipt = await client.send([AYSE], "Hello")
    assert receipt.message_id is not None
    emulator.state.turkey_accounts[API_KEY].status_enabled = False

    await assert_rejected(
        client.get_message_status(receipt.message_id),
        "TS-1063",
        FailureReason.NOT_PERMITTED,
    )


@pytest.mark.parametrize(
    ("date", "time"),
    [("19.09.2024", "19:35"), ("2024-09-19", None), (None, None)],
)
async def test_status_with_an_unreadable_or_missing_date_has_no_sent_at(
    scripted: ScriptedServer,
    session: ClientSession,
    date: str | None,
    time: str | None,
) -> None:
    _reply_json(
        scripted,
        {
            "result": "true",
            "date_of_sending": date,
            "time_of_sending": time,
            "sms_status_code": "TS-1099",
        },
    )

    status = await _client(session, scripted.base_url).get_message_status("7")

    assert status.sent_at is None
    assert status.state is DeliveryState.UNKNOWN
    assert status.code == "TS-1099"
    assert status.operator is None


async def test_status_refused_without_a_code_is_an_unknown_rejection(
    scripted: ScriptedServer, session: ClientSession
) -> None:
    _reply_json(scripted, {"result": False})

    with pytest.raises(RejectedError) as err:
        await _client(session, scripted.base_url).get_message_status("7")

    assert err.value.reason is FailureReason.UNKNOWN


async def test_status_reply_that_is_not_json_is_invalid(
    client: TurkeySms, emulator: Emulator
) -> None:
    emulator.faults.add(Fault("html_error", provider="turkey_sms", function="status"))

    with pytest.raises(InvalidResponseError):
        await client.get_message_status("1000007721")


# -- reports ---------------------------------------------------------------------


async def test_report_summary_counts_numbers_and_operators(
    client: TurkeySms, emulator: Emulator
) -> None:
    receipt = await client.send([AYSE, MEHMET, ALI, UNDELIVERABLE], "Hello all")
    assert receipt.report_id is not None

    report = await client.get_report(receipt.report_id, detailed=False)

    assert emulator.log[-1].function == "report"
    assert report.report_id == receipt.report_id
    assert report.status == "Report dispatched successfully."
    assert report.sender == SENDER
    assert report.total == 4
    assert report.received == 3
    assert report.not_received == 1
    assert report.invalid == 0
    assert report.blocked == 0
    assert report.operators == {"turkcell": 2, "turktelekom": 1, "vodafone": 1}
    assert report.sent_at is not None
    datetime.strptime(report.sent_at, "%Y-%m-%d %H:%M:%S")  # noqa: DTZ007
    assert report.entries == ()


async def test_detailed_report_has_a_row_per_number(
    client: TurkeySms, emulator: Emulator
) -> None:
    receipt = await client.send([AYSE, UNDELIVERABLE, OUT_OF_COVERAGE], "Hi")
    assert receipt.report_id is not None

    report = await client.get_report(receipt.report_id, detailed=True)

    assert emulator.log[-1].function == "report_detailed"
    assert [entry.number for entry in report.entries] == [
        "5321234567",
        "5329999901",
        "5329999902",
    ]
    assert [entry.state for entry in report.entries] == [
        DeliveryState.DELIVERED,
        DeliveryState.NOT_DELIVERED,
        DeliveryState.PENDING,
    ]
    first = report.entries[0]
    assert first.operator == "TURKCELL"
    assert first.segments == 1
    assert first.sent_at is not None
    assert first.done_at is not None
    assert report.entries[2].done_at is None
    assert report.total == 3


async def test_report_counts_blocked_numbers(
    client: TurkeySms, emulator: Emulator
) -> None:
    emulator.state.blocked_numbers.add(MEHMET)
    receipt = await client.send([AYSE, MEHMET], "Hi")
    assert receipt.report_id is not None

    report = await client.get_report(receipt.report_id, detailed=False)

    assert report.blocked == 1
    assert report.not_received == 0
    assert report.received == 1


async def test_report_of_an_unknown_id_is_rejected(client: TurkeySms) -> None:
    with pytest.raises(RejectedError) as err:
        await client.get_report("999999", detailed=True)

    assert err.value.code == "TS-1033"


async def test_report_rows_with_codes_or_words_map_to_states(
    scripted: ScriptedServer, session: ClientSession
) -> None:
    statuses = [
        "TS-1024",
        "TS-1022",
        "TS-1023",
        "Delivered",
        "failed",
        "waiting",
        "teslim edildi",
        "???",
        None,
    ]
    _reply_json(
        scripted,
        {
            "result": True,
            "status_code": "TS-1064",
            "numbers": [
                {"phone_number": str(index), "sms_status": status}
                for index, status in enumerate(statuses)
            ]
            + ["not a row"],
        },
    )

    report = await _client(session, scripted.base_url).get_report("5", detailed=True)

    assert [entry.state for entry in report.entries] == [
        DeliveryState.DELIVERED,
        DeliveryState.NOT_DELIVERED,
        DeliveryState.PENDING,
        DeliveryState.DELIVERED,
        DeliveryState.NOT_DELIVERED,
        DeliveryState.PENDING,
        DeliveryState.DELIVERED,
        DeliveryState.UNKNOWN,
        DeliveryState.UNKNOWN,
    ]
    assert report.report_id == "5"
    assert report.operators == {}
    assert report.sent_at is None
    assert report.total is None


# -- international numbers -------------------------------------------------------


async def test_international_numbers_are_charged_in_lira(
    client: TurkeySms, emulator: Emulator
) -> None:
    receipt = await client.send([SARA], "Hello from Istanbul")
    assert receipt.message_id is not None

    status = await client.fetch_account_status()
    message_status = await client.get_message_status(receipt.message_id)

    assert status.international_balance == Decimal("249.25")
    assert status.sms_balance == 1000.0
    assert message_status.charged == "0.75 TL"
    assert message_status.operator == "International"
    assert emulator.sent_messages()[0].charge_unit == "tl"


async def test_international_numbers_refused_without_international_sending(
    emulator: Emulator, session: ClientSession
) -> None:
    client = _client(session, emulator.base_url, api_key="local-only-key")

    await assert_rejected(
        client.send([AYSE, SARA], "Hello"),
        "TS-1032",
        FailureReason.INTERNATIONAL_NOT_ENABLED,
    )
    assert emulator.sent_messages() == []


async def test_international_balance_too_low_is_insufficient_balance(
    client: TurkeySms, emulator: Emulator
) -> None:
    emulator.state.turkey_accounts[API_KEY].international_balance_tl = Decimal("0.50")

    with pytest.raises(RejectedError) as err:
        await client.send([SARA], "Hello")

    assert err.value.reason is FailureReason.INSUFFICIENT_BALANCE


# -- refusals ---------------------------------------------------------------------


async def test_per_minute_limit_is_rate_limited(
    client: TurkeySms, emulator: Emulator
) -> None:
    emulator.rate_limit_per_minute = 1
    await client.send([AYSE], "first")

    with pytest.raises(RateLimitedError) as err:
        await client.send([AYSE], "second")

    assert err.value.code == "TS-1060"
    assert err.value.retry_allowed is True
    assert err.value.retry_after is None
    assert len(emulator.sent_messages()) == 1


async def test_post_disabled_key_cannot_send(
    client: TurkeySms, emulator: Emulator
) -> None:
    emulator.state.turkey_accounts[API_KEY].post_enabled = False

    error = await assert_rejected(
        client.send([AYSE], "Hello"), "TS-1061", FailureReason.NOT_PERMITTED
    )
    assert error.reason.affects_every_request
    assert (await client.fetch_account_status()).sms_balance == 1000.0


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("TS-1070", FailureReason.INVALID_DATE),
        ("TS-1071", FailureReason.INVALID_TIME),
        ("TS-1072", FailureReason.DATE_IN_PAST),
        ("TS-1033", FailureReason.INVALID_REQUEST),
    ],
)
async def test_injected_result_codes_are_rejections(
    client: TurkeySms, emulator: Emulator, code: str, reason: FailureReason
) -> None:
    emulator.faults.add(Fault("result_code", provider="turkey_sms", code=code))

    await assert_rejected(client.send([AYSE], "Hello"), code, reason)
    assert emulator.sent_messages() == []


@pytest.mark.parametrize(
    "reply",
    [
        {"result": False, "result_code": "TS-9999"},
        {"result": True, "result_code": "TS-1099", "sms_id": "77"},
        {"result": True, "result_code": "TS-1023"},
        {"result": False, "result_code": "TS-1046"},
    ],
    ids=["undocumented refusal", "undocumented success", "a status code", "auth OK"],
)
async def test_a_send_answered_with_no_documented_refusal_is_unknown(
    scripted: ScriptedServer, session: ClientSession, reply: dict[str, Any]
) -> None:
    _reply_json(scripted, reply)
    client = _client(session, scripted.base_url)

    with pytest.raises(OutcomeUnknownError):
        await client.send([AYSE], "Hello")


async def test_an_undocumented_code_on_a_query_is_a_rejection(
    scripted: ScriptedServer, session: ClientSession
) -> None:
    _reply_json(scripted, {"result": False, "result_code": "TS-9999"})
    client = _client(session, scripted.base_url)

    with pytest.raises(RejectedError) as err:
        await client.fetch_account_status()
    assert err.value.reason is FailureReason.UNKNOWN


async def test_scheduling_is_not_supported_and_sends_nothing(
    client: TurkeySms, emulator: Emulator
) -> None:
    with pytest.raises(UnsupportedFeatureError):
        await client.send([AYSE], "Hello", send_at=datetime(2030, 1, 1, 12, 0))  # noqa: DTZ001

    assert emulator.log == []


@pytest.mark.parametrize(
    "call",
    ["delete_scheduled", "change_password", "request_password_reminder"],
)
async def test_hisms_only_functions_are_unsupported(
    client: TurkeySms, emulator: Emulator, call: str
) -> None:
    method = getattr(client, call)
    args = ("new-secret",) if call == "change_password" else ()

    with pytest.raises(UnsupportedFeatureError):
        await method(*args)

    assert emulator.log == []


# -- reply styles ------------------------------------------------------------------


async def test_result_as_string_true_is_understood(
    client: TurkeySms, emulator: Emulator
) -> None:
    emulator.result_style = "string"

    info = await client.authenticate()
    status = await client.fetch_account_status()
    receipt = await client.send([AYSE, MEHMET], "Hello")
    assert receipt.report_id is not None
    report = await client.get_report(receipt.report_id, detailed=True)
    single = await client.send([AYSE], "Hello")
    assert single.message_id is not None
    message_status = await client.get_message_status(single.message_id)

    assert info.account_id == "100200"
    assert status.sms_balance == 1000.0
    assert report.received == 2
    assert message_status.state is DeliveryState.DELIVERED


@pytest.fixture(params=["bool", "string", "print_r"])
def any_reply_style(
    request: pytest.FixtureRequest, emulator: Emulator, print_r_server: ScriptedServer
) -> str:
    """The address of the emulator answering in each reply style in turn."""
    if request.param == "print_r":
        return print_r_server.base_url
    emulator.result_style = request.param
    assert emulator.base_url is not None
    return emulator.base_url


async def test_a_wrong_key_is_refused_in_every_reply_style(
    any_reply_style: str, session: ClientSession
) -> None:
    """A ``result`` of false, of "false", or a print_r dump of it is a refusal."""
    client = _client(session, any_reply_style, api_key="no-such-key")

    with pytest.raises(AuthenticationError):
        await client.fetch_account_status()
    with pytest.raises(AuthenticationError):
        await client.send([AYSE], "Hello")
    with pytest.raises(AuthenticationError):
        await client.get_message_status("1")


@pytest.mark.parametrize("result", [True, "true", 1, "1", "TRUE", "True"])
async def test_every_spelling_of_true_is_success(
    scripted: ScriptedServer, session: ClientSession, result: Any
) -> None:
    _reply_json(scripted, {**BALANCE, "result": result})

    status = await _client(session, scripted.base_url).fetch_account_status()

    assert status.sms_balance == 12.0
    assert status.international_balance == Decimal("3.50")


async def assert_success_codes_not_trusted(
    scripted: ScriptedServer, client: TurkeySms, result: Any
) -> None:
    """A balance and a send that report success with this ``result`` are not."""
    _reply_json(scripted, {**BALANCE, "result": result})
    with pytest.raises(InvalidResponseError):
        await client.fetch_account_status()
    _reply_json(scripted, {**SENT, "result": result})
    with pytest.raises(OutcomeUnknownError):
        await client.send([AYSE], "Hello")


@pytest.mark.parametrize("result", [False, "false", 0, "0", ""])
async def test_a_success_code_with_result_false_is_not_trusted(
    scripted: ScriptedServer, session: ClientSession, result: Any
) -> None:
    await assert_success_codes_not_trusted(
        scripted, _client(session, scripted.base_url), result
    )


@pytest.mark.parametrize("result", [[], {"0": True}, None, 1.5])
async def test_a_result_that_is_not_a_flag_is_not_trusted(
    scripted: ScriptedServer, session: ClientSession, result: Any
) -> None:
    client = _client(session, scripted.base_url)

    await assert_success_codes_not_trusted(scripted, client, result)
    _reply_json(scripted, {"result": result, "result_code": "TS-1063"})
    with pytest.raises(RejectedError):
        await client.get_message_status("7")


async def test_print_r_replies_are_understood(
    print_r_server: ScriptedServer, session: ClientSession, emulator: Emulator
) -> None:
    client = _client(session, print_r_server.base_url)

    info = await client.authenticate()
    status = await client.fetch_account_status()
    single = await client.send([AYSE], "Kapı açıldı")
    group = await client.send([AYSE, UNDELIVERABLE], "Hello")
    otp = await client.send_otp(MEHMET, digits=5, template="Code: {code}")
    assert single.message_id is not None
    assert group.report_id is not None
    message_status = await client.get_message_status(single.message_id)
    report = await client.get_report(group.report_id, detailed=True)

    assert b"Array" in await _raw_balance(session, print_r_server.base_url)
    assert info.account_id == "100200"
    assert info.name == "Demo Home"
    assert status.sms_balance == 1000.0
    assert status.international_balance == Decimal("250.00")
    assert single.segments == 1
    assert group.credits == 2.0
    assert otp.code == emulator.sent_messages()[-1].otp_code
    assert message_status.state is DeliveryState.DELIVERED
    assert message_status.sender == SENDER
    assert [entry.number for entry in report.entries] == ["5321234567", "5329999901"]
    assert [entry.state for entry in report.entries] == [
        DeliveryState.DELIVERED,
        DeliveryState.NOT_DELIVERED,
    ]
    assert report.operators == {"turkcell": 2, "turktelekom": 0, "vodafone": 0}


async def _raw_balance(session: ClientSession, base_url: str) -> bytes:
    async with session.post(
        f"{base_url}/api/v3/bakiye_sorgulama/add-content", json={"api_key": API_KEY}
    ) as response:
        return await response.read()


def test_decode_reply_prefers_json_then_print_r() -> None:
    assert decode_reply('{"a": 1}') == {"a": 1}
    assert decode_reply("Array\n(\n    [a] => 1\n)") == {"a": "1"}
    assert decode_reply("[1, 2]") is None
    assert decode_reply("Array\n(") is None


# -- faults -----------------------------------------------------------------------


async def test_cancelling_a_send_in_flight_propagates(
    scripted: ScriptedServer, session: ClientSession
) -> None:
    arrived, release = asyncio.Event(), asyncio.Event()

    async def hang(request: web.Request) -> web.Response:
        arrived.set()
        await release.wait()
        return web.json_response(SENT)

    scripted.handler = hang
    task = asyncio.create_task(_client(session, scripted.base_url).send([AYSE], "Hi"))
    await asyncio.wait_for(arrived.wait(), timeout=5)

    task.cancel()

    with pytest.raises(asyncio.CancelledError):
        await task
    release.set()


# -- credentials ------------------------------------------------------------------


async def test_the_api_key_never_appears_in_a_logged_path(
    client: TurkeySms, emulator: Emulator, wire: Wire
) -> None:
    await client.authenticate()
    await client.fetch_account_status()
    single = await client.send([AYSE], "Hello")
    group = await client.send([AYSE, MEHMET], "Hello")
    await client.send_individual([(AYSE, "a"), (MEHMET, "b")])
    await client.send_otp(AYSE, digits=6)
    await client.send_otp(AYSE, digits=6, template="{code}")
    assert single.message_id is not None
    assert group.report_id is not None
    await client.get_message_status(single.message_id)
    await client.get_report(group.report_id, detailed=False)
    await client.get_report(group.report_id, detailed=True)

    assert len(emulator.log) == 10
    assert all(API_KEY not in entry.path for entry in emulator.log)
    posts = [request for request in wire.requests if request.method == "POST"]
    assert len(posts) == 9
    assert all(API_KEY not in request.url for request in posts)
    assert all(request.json()["api_key"] == API_KEY for request in posts)
