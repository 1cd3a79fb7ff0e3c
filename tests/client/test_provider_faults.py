"""How both provider clients fail over real HTTP, against the emulator's faults.

The line between "not sent" and "outcome unknown" is drawn once, in the
transport and the shared ``HttpSmsProvider``; every provider must keep to it,
so each case here runs against every provider.
"""

from __future__ import annotations

from aiohttp import ClientSession, ClientTimeout
import pytest

from custom_components.sms_gateway.client import (
    HttpSmsProvider,
    InvalidResponseError,
    OutcomeUnknownError,
    RateLimitedError,
    SmsGatewayConnectionError,
)
from sms_emulator import Emulator, Fault

from .conftest import ACCOUNTS, Account

SHORT_TIMEOUT = ClientTimeout(total=None, connect=2, sock_read=0.3)


@pytest.fixture(params=ACCOUNTS, ids=lambda account: account.provider)
def account(request: pytest.FixtureRequest) -> Account:
    """Each provider's demo account in turn."""
    result: Account = request.param
    return result


@pytest.fixture
def client(
    account: Account, emulator: Emulator, session: ClientSession
) -> HttpSmsProvider:
    return account.client(session, emulator)


@pytest.fixture
def quick_client(
    account: Account, emulator: Emulator, session: ClientSession
) -> HttpSmsProvider:
    """A client that gives up on a hanging provider within the test."""
    return account.client(session, emulator, timeout=SHORT_TIMEOUT)


@pytest.mark.parametrize("kind", ["drop_before", "drop_after"])
async def test_dropped_connection_on_a_send_is_an_unknown_outcome(
    account: Account, client: HttpSmsProvider, emulator: Emulator, kind: str
) -> None:
    emulator.faults.add(
        Fault(kind, provider=account.provider, function=account.functions.send)
    )

    with pytest.raises(OutcomeUnknownError):
        await client.send([account.number], "Hello")

    (entry,) = emulator.log
    assert entry.fault == kind
    # The client cannot tell the two apart; only the emulator knows.
    processed = kind == "drop_after"
    assert entry.processed is processed
    assert len(emulator.sent_messages()) == int(processed)
    assert account.balance(emulator) == account.starting_balance - int(processed)


async def test_dropped_connection_on_a_balance_query_is_a_connection_error(
    account: Account, client: HttpSmsProvider, emulator: Emulator
) -> None:
    emulator.faults.add(
        Fault(
            "drop_before", provider=account.provider, function=account.functions.balance
        )
    )

    with pytest.raises(SmsGatewayConnectionError):
        await client.fetch_account_status()


async def test_hanging_after_the_send_is_an_unknown_outcome(
    account: Account, quick_client: HttpSmsProvider, emulator: Emulator
) -> None:
    emulator.faults.add(
        Fault(
            "hang_after",
            provider=account.provider,
            function=account.functions.group_send,
            seconds=5,
        )
    )

    with pytest.raises(OutcomeUnknownError):
        await quick_client.send(list(account.numbers), "Hello")

    assert emulator.log[0].processed
    assert len(emulator.sent_messages()) == len(account.numbers)


async def test_hanging_balance_query_is_a_connection_error(
    account: Account, quick_client: HttpSmsProvider, emulator: Emulator
) -> None:
    emulator.faults.add(Fault("hang_before", provider=account.provider, seconds=5))

    with pytest.raises(SmsGatewayConnectionError):
        await quick_client.fetch_account_status()


@pytest.mark.parametrize(
    ("status", "send_error", "query_error"),
    [
        (500, OutcomeUnknownError, SmsGatewayConnectionError),
        (502, OutcomeUnknownError, SmsGatewayConnectionError),
        (503, SmsGatewayConnectionError, SmsGatewayConnectionError),
        (403, InvalidResponseError, InvalidResponseError),
        (404, InvalidResponseError, InvalidResponseError),
    ],
)
async def test_http_errors(
    account: Account,
    client: HttpSmsProvider,
    emulator: Emulator,
    status: int,
    send_error: type[Exception],
    query_error: type[Exception],
) -> None:
    emulator.faults.add(Fault("http_status", provider=account.provider, status=status))

    with pytest.raises(send_error):
        await client.send([account.number], "Hello")
    with pytest.raises(query_error):
        await client.fetch_account_status()

    assert emulator.sent_messages() == []
    assert not any(entry.processed for entry in emulator.log)


@pytest.mark.parametrize(
    ("kind", "processed"), [("html_error", False), ("malformed_json", True)]
)
async def test_an_answer_that_cannot_be_read(
    account: Account,
    client: HttpSmsProvider,
    emulator: Emulator,
    kind: str,
    processed: bool,
) -> None:
    """After a send its outcome is unknown; after a query the answer is invalid."""
    emulator.faults.add(Fault(kind, provider=account.provider))

    with pytest.raises(OutcomeUnknownError):
        await client.send([account.number], "Hello")
    with pytest.raises(InvalidResponseError):
        await client.fetch_account_status()

    assert emulator.log[0].processed is processed
    assert len(emulator.sent_messages()) == int(processed)


async def test_a_byte_order_mark_is_ignored(
    account: Account, client: HttpSmsProvider, emulator: Emulator
) -> None:
    emulator.faults.add(Fault("bom", provider=account.provider))

    receipt = await client.send([account.number], "Hello")
    status = await client.fetch_account_status()

    assert receipt.message_id == emulator.sent_messages()[0].message_id
    assert status.sms_balance == account.starting_balance - 1
    assert {entry.fault for entry in emulator.log} == {"bom"}


@pytest.mark.parametrize(
    ("retry_after", "expected"),
    [
        ("7", 7.0),
        ("Wed, 21 Oct 2015 07:28:00 -0000", 0.0),
        (None, None),
    ],
)
async def test_http_429_is_rate_limited_with_retry_after(
    account: Account,
    client: HttpSmsProvider,
    emulator: Emulator,
    retry_after: str | None,
    expected: float | None,
) -> None:
    emulator.faults.add(
        Fault("rate_limited", provider=account.provider, retry_after=retry_after)
    )

    with pytest.raises(RateLimitedError) as err:
        await client.send([account.number], "Hello")

    assert err.value.retry_after == expected
    assert err.value.code == "HTTP-429"
    assert err.value.retry_allowed
    assert emulator.sent_messages() == []
