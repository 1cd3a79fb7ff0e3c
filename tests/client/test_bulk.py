"""Large sends: chunk boundaries, retries, stops and cancellation."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest

from custom_components.sms_gateway.client import (
    AuthenticationError,
    FailureReason,
    OutcomeUnknownError,
    RateLimitedError,
    RejectedError,
    SendReceipt,
    SmsGatewayConnectionError,
)
from custom_components.sms_gateway.client.bulk import (
    BulkOptions,
    BulkSend,
    Chunk,
    Delivery,
    split,
)
from custom_components.sms_gateway.client.errors import (
    AccountDisabledError,
    InvalidResponseError,
)
from custom_components.sms_gateway.client.phone import PhoneNumber

NUMBERS = [PhoneNumber(f"+90532{n:07d}") for n in range(1, 1202)]
A, B, C = NUMBERS[:3]


def test_split_respects_the_chunk_size_exactly() -> None:
    assert [len(c) for c in split(NUMBERS[:1000], 500)] == [500, 500]
    assert [len(c) for c in split(NUMBERS[:1001], 500)] == [500, 500, 1]
    assert [len(c) for c in split(NUMBERS[:499], 500)] == [499]
    assert split([], 500) == []


class FakeProvider:
    """Answers each request from a script; records what went out."""

    def __init__(self, *script: Exception | None) -> None:
        self.script = list(script)
        self.sent: list[tuple[PhoneNumber, ...]] = []
        self.calls = 0

    def chunk(self, numbers: tuple[PhoneNumber, ...]) -> Chunk:
        async def send() -> SendReceipt:
            self.calls += 1
            outcome = self.script.pop(0) if self.script else None
            if outcome is not None:
                raise outcome
            self.sent.append(numbers)
            return SendReceipt(
                numbers=tuple(n.digits for n in numbers),
                message_id=str(self.calls),
                segments=1,
            )

        return Chunk(numbers=numbers, send=send)


async def no_sleep(_: float) -> None:
    return None


def run(
    provider: FakeProvider,
    chunks: list[tuple[PhoneNumber, ...]],
    options: BulkOptions | None = None,
    sleep: Callable[[float], Awaitable[None]] = no_sleep,
) -> BulkSend:
    return BulkSend([provider.chunk(c) for c in chunks], options, sleep=sleep)


async def test_every_recipient_gets_exactly_one_outcome() -> None:
    provider = FakeProvider()
    result = await run(provider, split(NUMBERS, 500)).run()
    assert [o.number for o in result.outcomes] == NUMBERS
    assert result.numbers_in(Delivery.SENT) == NUMBERS
    assert result.requests == 3
    assert result.segments == 1


async def test_not_processed_chunks_are_retried_with_backoff() -> None:
    delays: list[float] = []

    async def sleep(delay: float) -> None:
        delays.append(delay)

    provider = FakeProvider(
        SmsGatewayConnectionError("refused"),
        RateLimitedError("TS-1060", code="TS-1060", retry_after=7),
    )
    result = await run(provider, [(A,)], sleep=sleep).run()
    assert result.numbers_in(Delivery.SENT) == [A]
    assert result.requests == 3
    assert len(delays) == 2
    assert 7 <= delays[1] < 8


async def test_an_unknown_outcome_is_never_retried() -> None:
    provider = FakeProvider(OutcomeUnknownError("lost"))
    result = await run(provider, [(A, B)]).run()
    assert result.numbers_in(Delivery.UNKNOWN) == [A, B]
    assert provider.calls == 1


async def test_retries_give_up_after_the_last_attempt() -> None:
    provider = FakeProvider(*(SmsGatewayConnectionError("down") for _ in range(5)))
    result = await run(provider, [("1",)], BulkOptions(max_attempts=3)).run()
    assert result.outcomes[0].state is Delivery.NOT_SENT
    assert result.outcomes[0].reason == "cannot_connect"
    assert provider.calls == 3


async def test_a_retry_after_beyond_the_limit_is_not_waited_for() -> None:
    provider = FakeProvider(RateLimitedError("429", code="HTTP-429", retry_after=999))
    result = await run(provider, [("1",)]).run()
    assert result.outcomes[0].reason == "rate_limited"
    assert provider.calls == 1


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (AuthenticationError("bad key", code="TS-1031"), "authentication_failed"),
        (AccountDisabledError("off", code="504"), "account_disabled"),
        (RateLimitedError("locked", code="403", retry_allowed=False), "locked_out"),
    ],
)
async def test_account_errors_stop_the_rest_of_the_batch(
    error: Exception, reason: str
) -> None:
    provider = FakeProvider(None, error)
    result = await run(
        provider, split(NUMBERS[:30], 10), BulkOptions(concurrency=1)
    ).run()
    assert result.numbers_in(Delivery.SENT) == NUMBERS[:10]
    assert {o.reason for o in result.outcomes[10:20]} == {reason}
    assert {o.reason for o in result.outcomes[20:]} == {"stopped"}
    assert provider.calls == 2
    assert result.stopped_by is error


async def test_insufficient_balance_stops_the_batch_but_one_bad_chunk_does_not() -> (
    None
):
    bad = RejectedError("bad", code="TS-1034", reason=FailureReason.INVALID_NUMBER)
    broke = RejectedError(
        "$", code="TS-1027", reason=FailureReason.INSUFFICIENT_BALANCE
    )
    provider = FakeProvider(bad, None, broke)
    result = await run(
        provider, split(NUMBERS[:40], 10), BulkOptions(concurrency=1)
    ).run()
    states = [result.outcomes[i].state for i in (0, 10, 20, 30)]
    assert states == [
        Delivery.REJECTED,
        Delivery.SENT,
        Delivery.REJECTED,
        Delivery.NOT_SENT,
    ]
    assert result.outcomes[20].reason == "insufficient_balance"


async def test_an_http_error_status_is_not_sent() -> None:
    provider = FakeProvider(InvalidResponseError("404", status=404))
    result = await run(provider, [("1",)]).run()
    assert result.outcomes[0].state is Delivery.NOT_SENT
    assert result.outcomes[0].reason == "invalid_response"


async def test_concurrency_is_bounded() -> None:
    active = 0
    peak = 0

    async def send() -> SendReceipt:
        nonlocal active, peak
        active += 1
        peak = max(peak, active)
        await asyncio.sleep(0.01)
        active -= 1
        return SendReceipt(numbers=())

    chunks = [Chunk(numbers=(NUMBERS[i],), send=send) for i in range(12)]
    await BulkSend(chunks, BulkOptions(concurrency=3)).run()
    assert peak == 3


async def test_cancelling_leaves_an_honest_account() -> None:
    started = asyncio.Event()
    release = asyncio.Event()

    async def slow() -> SendReceipt:
        started.set()
        await release.wait()
        return SendReceipt(numbers=())

    async def fast() -> SendReceipt:
        return SendReceipt(numbers=(A.digits,), message_id="1")

    job = BulkSend(
        [
            Chunk(numbers=(A,), send=fast),
            Chunk(numbers=(B,), send=slow),
            Chunk(numbers=(C,), send=slow),
        ],
        BulkOptions(concurrency=1),
    )
    task = asyncio.create_task(job.run())
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    states = {o.number: o.state for o in job.snapshot().outcomes}
    assert states == {A: Delivery.SENT, B: Delivery.UNKNOWN, C: Delivery.NOT_SENT}


async def test_a_provider_that_keeps_refusing_is_not_hammered() -> None:
    limited = [RateLimitedError("TS-1060", code="TS-1060") for _ in range(30)]
    provider = FakeProvider(*limited)
    result = await run(
        provider, split(NUMBERS[:40], 10), BulkOptions(concurrency=1, max_attempts=3)
    ).run()
    assert provider.calls == 3
    assert {o.reason for o in result.outcomes[:10]} == {"rate_limited"}
    assert {o.reason for o in result.outcomes[10:]} == {"stopped"}
    assert isinstance(result.stopped_by, RateLimitedError)


async def test_a_limit_over_a_window_is_never_retried_and_ends_the_rest() -> None:
    limited = RateLimitedError("TS-1060", code="TS-1060", window=60.0)
    provider = FakeProvider(None, limited)
    result = await run(
        provider, split(NUMBERS[:40], 10), BulkOptions(concurrency=1, max_attempts=3)
    ).run()
    assert provider.calls == 2
    assert result.numbers_in(Delivery.SENT) == NUMBERS[:10]
    assert {o.reason for o in result.outcomes[10:]} == {FailureReason.RATE_LIMITED}
    assert {o.state for o in result.outcomes[10:]} == {Delivery.NOT_SENT}
    assert result.stopped_by is limited


async def test_numbers_a_receipt_leaves_out_are_rejected_or_unknown() -> None:
    async def send() -> SendReceipt:
        return SendReceipt(
            numbers=(A.digits,), rejected=(B.digits,), unconfirmed=(C.digits,)
        )

    result = await BulkSend([Chunk(numbers=(A, B, C), send=send)]).run()
    assert [(o.number, o.state, o.reason) for o in result.outcomes] == [
        (A, Delivery.SENT, None),
        (B, Delivery.REJECTED, FailureReason.INVALID_NUMBER),
        (C, Delivery.UNKNOWN, FailureReason.OUTCOME_UNKNOWN),
    ]
