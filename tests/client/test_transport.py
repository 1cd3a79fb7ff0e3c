"""What the client concludes from each way an HTTP exchange can go wrong."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
import socket

from aiohttp import ClientSession, ClientTimeout, web
import pytest

from custom_components.sms_gateway.client import (
    HiSms,
    InvalidResponseError,
    OutcomeUnknownError,
    RateLimitedError,
    SmsGatewayConnectionError,
    SmsProvider,
    TurkeySms,
)
from custom_components.sms_gateway.client.transport import parse_retry_after

from .conftest import ScriptedServer

SENT = '{"result": true, "result_code": "TS-1024", "sms_id": "77", "number_of_sms": 1}'
BALANCE = '{"result": "true", "result_code": "TS-1040", "local_balance_sms": "12"}'


def _turkey(session: ClientSession, base_url: str, timeout: float = 5.0) -> TurkeySms:
    return TurkeySms(
        session,
        api_key="secret-key",
        sender="HOME",
        base_url=base_url,
        timeout=ClientTimeout(total=None, connect=timeout, sock_read=timeout),
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_connection_refused_is_not_sent_and_safe_to_retry(
    session: ClientSession,
) -> None:
    client = _turkey(session, f"http://127.0.0.1:{_free_port()}")
    with pytest.raises(SmsGatewayConnectionError):
        await client.send(["905321234567"], "hi")


@pytest.mark.parametrize(
    ("request_", "answer", "error"),
    [
        ("send", SENT, OutcomeUnknownError),
        ("balance", BALANCE, SmsGatewayConnectionError),
    ],
    ids=["after_sending_is_an_unknown_outcome", "on_a_query_is_a_connection_error"],
)
async def test_a_timeout(
    scripted: ScriptedServer,
    session: ClientSession,
    request_: str,
    answer: str,
    error: type[Exception],
) -> None:
    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(1)
        return web.Response(text=answer)

    scripted.handler = slow
    client = _turkey(session, scripted.base_url, timeout=0.2)
    ask = (
        partial(client.send, ["905321234567"], "hi")
        if request_ == "send"
        else client.fetch_account_status
    )
    with pytest.raises(error):
        await ask()


@pytest.mark.parametrize(
    ("header", "expected"),
    [("7", 7.0), ("-1", None), ("abc", None), ("999999", 86400.0), (None, None)],
)
async def test_http_429_is_rate_limited_with_a_sane_retry_after(
    scripted: ScriptedServer,
    session: ClientSession,
    header: str | None,
    expected: float | None,
) -> None:
    scripted.reply(
        "slow down", status=429, headers={"Retry-After": header} if header else None
    )
    with pytest.raises(RateLimitedError) as caught:
        await _turkey(session, scripted.base_url).send(["905321234567"], "hi")
    assert caught.value.retry_after == expected
    assert caught.value.retry_allowed


def test_retry_after_as_an_http_date() -> None:
    now = datetime(2026, 11, 22, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("Sun, 22 Nov 2026 12:00:30 GMT", now) == 30.0
    assert parse_retry_after("Sun, 22 Nov 2026 11:00:00 GMT", now) == 0.0


async def test_http_503_means_not_processed(
    scripted: ScriptedServer, session: ClientSession
) -> None:
    scripted.reply("busy", status=503, headers={"Retry-After": "3"})
    with pytest.raises(SmsGatewayConnectionError) as caught:
        await _turkey(session, scripted.base_url).send(["905321234567"], "hi")
    assert caught.value.retry_after == 3.0


def _hisms(session: ClientSession, base_url: str) -> HiSms:
    return HiSms(session, username="u", password="p", base_url=base_url)


@pytest.mark.parametrize("client", [_turkey, _hisms], ids=["turkey_sms", "hisms"])
@pytest.mark.parametrize(
    ("status", "body", "query_error"),
    [
        (500, "oops", SmsGatewayConnectionError),
        (502, "oops", SmsGatewayConnectionError),
        (504, "oops", SmsGatewayConnectionError),
        (200, "<html><body>Internal error</body></html>", InvalidResponseError),
        (200, '{"result": true}', InvalidResponseError),  # JSON without a code
        (200, '["TS-1024"]', InvalidResponseError),
        (200, "OK", InvalidResponseError),
        (200, "BLANCE:lots", InvalidResponseError),  # a balance that is no number
        (200, "BALANCE:12", InvalidResponseError),  # another label
        (200, "Count:12", InvalidResponseError),  # another function's answer
    ],
)
async def test_an_answer_that_carries_no_result(
    scripted: ScriptedServer,
    session: ClientSession,
    client: Callable[[ClientSession, str], SmsProvider],
    status: int,
    body: str,
    query_error: type[Exception],
) -> None:
    """After a send its outcome is unknown; a query fails with ``query_error``."""
    scripted.reply(body, status=status)
    provider = client(session, scripted.base_url)

    with pytest.raises(OutcomeUnknownError):
        await provider.send(["905321234567"], "hi")
    with pytest.raises(query_error):
        await provider.fetch_account_status()


async def test_a_utf8_bom_before_json_is_ignored(
    scripted: ScriptedServer, session: ClientSession
) -> None:
    scripted.reply("\ufeff".encode() + SENT.encode())
    receipt = await _turkey(session, scripted.base_url).send(["905321234567"], "hi")
    assert receipt.message_id == "77"


async def test_a_print_r_reply_is_understood(
    scripted: ScriptedServer, session: ClientSession
) -> None:
    scripted.reply(
        "Array\n(\n    [result] => true\n    [sms_id] => 1000007721\n"
        "    [number_of_sms] => 1\n    [result_code] => TS-1024\n"
        "    [result_message] => The message was sent successfully\n)\n"
    )
    receipt = await _turkey(session, scripted.base_url).send(["905321234567"], "hi")
    assert receipt.message_id == "1000007721"
    assert receipt.segments == 1


async def test_success_is_decided_on_the_result_code_not_the_text(
    scripted: ScriptedServer, session: ClientSession
) -> None:
    scripted.reply('{"result": true, "result_message": "sent"}')
    with pytest.raises(OutcomeUnknownError):
        await _turkey(session, scripted.base_url).send(["905321234567"], "hi")


async def test_hisms_success_is_only_3_or_3_dash_id(
    scripted: ScriptedServer, session: ClientSession
) -> None:
    client = _hisms(session, scripted.base_url)
    scripted.reply("30")
    with pytest.raises(OutcomeUnknownError):
        await client.send(["966501234567"], "hi")
    scripted.reply("3-123")
    assert (await client.send(["966501234567"], "hi")).message_id == "123"
    scripted.reply("3")
    assert (await client.send(["966501234567"], "hi")).message_id is None


async def test_credentials_never_travel_in_the_url(
    scripted: ScriptedServer, session: ClientSession
) -> None:
    scripted.reply("BLANCE:10")
    client = HiSms(
        session, username="u", password="pw-secret", base_url=scripted.base_url
    )
    await client.authenticate()
    scripted.reply(BALANCE)
    await _turkey(session, scripted.base_url).fetch_account_status()
    for _, path, body in scripted.requests:
        assert "secret" not in path
        assert "secret" in body
