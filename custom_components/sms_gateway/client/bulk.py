"""Sending one action's worth of messages: chunks, bounded concurrency, outcomes.

Every recipient ends in exactly one state. Only a chunk that certainly was not
processed is retried; a chunk whose outcome is unknown is reported as such and
never sent again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import partial
import random
from typing import Final

from .errors import (
    AuthenticationError,
    FailureReason,
    OutcomeUnknownError,
    RateLimitedError,
    RejectedError,
    SmsGatewayConnectionError,
    SmsGatewayError,
)
from .models import SendReceipt
from .phone import PhoneNumber
from .provider import Capability, SmsProvider
from .text import TextAnalysis

DEFAULT_CONCURRENCY: Final = 4


class Delivery(StrEnum):
    """What became of one recipient."""

    SENT = "sent"
    REJECTED = "rejected"
    NOT_SENT = "not_sent"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class RecipientOutcome:
    """One recipient's fate, for the number it was sent for."""

    number: PhoneNumber
    state: Delivery
    reason: FailureReason | None = None
    message_id: str | None = None
    report_id: str | None = None


@dataclass(frozen=True, slots=True)
class BulkOptions:
    """How a large send is cut up and paced."""

    concurrency: int = DEFAULT_CONCURRENCY
    max_attempts: int = 3
    backoff: float = 1.0
    max_backoff: float = 30.0
    max_retry_after: float = 60.0


@dataclass(frozen=True, slots=True)
class Chunk:
    """Numbers that go out in one request, and the request itself."""

    numbers: tuple[PhoneNumber, ...]
    send: Callable[[], Awaitable[SendReceipt]]


@dataclass(frozen=True, slots=True)
class BulkResult:
    """Every recipient's outcome and what the provider answered."""

    outcomes: tuple[RecipientOutcome, ...]
    receipts: tuple[SendReceipt, ...]
    requests: int
    stopped_by: SmsGatewayError | None = None

    def numbers_in(self, state: Delivery) -> list[PhoneNumber]:
        """The numbers that ended in ``state``."""
        return [item.number for item in self.outcomes if item.state is state]

    @property
    def segments(self) -> int | None:
        """Segments per message as the provider counted them."""
        counts = [r.segments for r in self.receipts if r.segments is not None]
        return max(counts) if counts else None

    @property
    def credits(self) -> float | None:
        """What the provider said it charged, where it says so."""
        charged = [r.credits for r in self.receipts if r.credits is not None]
        return sum(charged) if charged else None


@dataclass(frozen=True, slots=True)
class OutgoingText:
    """One analysed text and the numbers that get it."""

    analysis: TextAnalysis
    numbers: tuple[PhoneNumber, ...]


def plan_chunks(
    provider: SmsProvider,
    outgoing: Sequence[OutgoingText],
    *,
    max_numbers: int,
    sender: str | None = None,
    send_at: datetime | None = None,
) -> list[Chunk]:
    """The requests for every text: the group form where one text goes to many."""
    if len(outgoing) > 1 and Capability.PER_RECIPIENT_TEXTS in provider.capabilities:
        pairs = [(n, item.analysis) for item in outgoing for n in item.numbers]
        return [
            Chunk(
                numbers=tuple(number for number, _ in batch),
                send=partial(
                    provider.send_individual,
                    [(number.digits, analysis) for number, analysis in batch],
                    sender=sender,
                ),
            )
            for batch in provider.individual_batches(pairs, max_numbers)
        ]
    size = min(max_numbers, provider.max_numbers_per_request)
    return [
        Chunk(
            numbers=numbers,
            send=partial(
                provider.send,
                [number.digits for number in numbers],
                item.analysis,
                sender=sender,
                send_at=send_at,
            ),
        )
        for item in outgoing
        for numbers in split(item.numbers, size)
    ]


def split[T](items: Sequence[T], size: int) -> list[tuple[T, ...]]:
    """Consecutive chunks of at most ``size`` items."""
    return [tuple(items[start : start + size]) for start in range(0, len(items), size)]


class BulkSend:
    """Runs chunks concurrently; can give an honest account at any moment."""

    def __init__(
        self,
        chunks: Sequence[Chunk],
        options: BulkOptions | None = None,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._chunks = list(chunks)
        self._options = options or BulkOptions()
        self._sleep = sleep
        self._done: dict[int, list[RecipientOutcome]] = {}
        self._in_flight: set[int] = set()
        self._receipts: list[SendReceipt] = []
        self._requests = 0
        self._stopped_by: SmsGatewayError | None = None

    async def run(self) -> BulkResult:
        """Send every chunk; return when each recipient has an outcome."""
        semaphore = asyncio.Semaphore(max(1, self._options.concurrency))

        async def guarded(index: int, chunk: Chunk) -> None:
            async with semaphore:
                self._done[index] = await self._send_chunk(index, chunk)

        await asyncio.gather(
            *(guarded(index, chunk) for index, chunk in enumerate(self._chunks))
        )
        return self.snapshot()

    def snapshot(self) -> BulkResult:
        """Outcomes so far: a chunk in flight is unknown, one not started not sent."""
        outcomes: list[RecipientOutcome] = []
        for index, chunk in enumerate(self._chunks):
            if index in self._done:
                outcomes.extend(self._done[index])
            elif index in self._in_flight:
                outcomes.extend(_all(chunk, Delivery.UNKNOWN, FailureReason.CANCELLED))
            else:
                outcomes.extend(_all(chunk, Delivery.NOT_SENT, FailureReason.CANCELLED))
        return BulkResult(
            outcomes=tuple(outcomes),
            receipts=tuple(self._receipts),
            requests=self._requests,
            stopped_by=self._stopped_by,
        )

    def _stop(self, err: SmsGatewayError) -> None:
        if self._stopped_by is None:
            self._stopped_by = err

    def _stop_reason(self) -> FailureReason:
        """Why a chunk after the stop is not sent: a window limit says so itself."""
        err = self._stopped_by
        if isinstance(err, RateLimitedError) and err.window is not None:
            return err.reason
        return FailureReason.STOPPED

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        """Retry-After when the provider gave one, else exponential full jitter."""
        if retry_after is not None:
            return retry_after + random.uniform(0, self._options.backoff / 4)  # noqa: S311
        ceiling = min(self._options.max_backoff, self._options.backoff * 2**attempt)
        return random.uniform(self._options.backoff / 2, max(ceiling, 0.0))  # noqa: S311

    async def _send_chunk(self, index: int, chunk: Chunk) -> list[RecipientOutcome]:
        options = self._options
        attempt = 0
        while True:
            if self._stopped_by is not None:
                return _all(chunk, Delivery.NOT_SENT, self._stop_reason())
            self._requests += 1
            self._in_flight.add(index)
            try:
                receipt = await chunk.send()
            except SmsGatewayError as err:
                self._in_flight.discard(index)
                verdict = self._judge(chunk, err)
            else:
                self._in_flight.discard(index)
                self._receipts.append(receipt)
                return _accepted(chunk, receipt)
            if isinstance(verdict, list):
                return verdict
            delay = self._delay(attempt, verdict.retry_after)
            if attempt + 1 >= options.max_attempts or delay > options.max_retry_after:
                # The provider is still unreachable or limiting: the rest of the
                # batch would only hammer it.
                self._stop(verdict)
                return _all(chunk, Delivery.NOT_SENT, verdict.reason)
            await self._sleep(delay)
            attempt += 1

    def _judge(
        self, chunk: Chunk, err: SmsGatewayError
    ) -> list[RecipientOutcome] | RateLimitedError | SmsGatewayConnectionError:
        """Final outcomes for the chunk, or the error that allows another try."""
        reason = err.reason
        match err:
            case OutcomeUnknownError():
                return _all(chunk, Delivery.UNKNOWN, reason)
            case RateLimitedError(window=float()):
                # The limit counts over a window (a minute for TS-1060): no
                # retry within the bounds of a send can succeed, and every
                # later chunk would be refused too.
                self._stop(err)
            case RateLimitedError(retry_allowed=True) | SmsGatewayConnectionError():
                return err
            case RejectedError():
                if err.reason.affects_every_request:
                    self._stop(err)
                return _all(chunk, Delivery.REJECTED, reason)
            case RateLimitedError() | AuthenticationError():
                self._stop(err)
        return _all(chunk, Delivery.NOT_SENT, reason)


def _accepted(chunk: Chunk, receipt: SendReceipt) -> list[RecipientOutcome]:
    """An accepted request: sent, except numbers the provider left out."""
    rejected, unconfirmed = set(receipt.rejected), set(receipt.unconfirmed)

    def outcome(number: PhoneNumber) -> RecipientOutcome:
        if number.digits in rejected:
            state, reason = Delivery.REJECTED, FailureReason.INVALID_NUMBER
        elif number.digits in unconfirmed:
            state, reason = Delivery.UNKNOWN, FailureReason.OUTCOME_UNKNOWN
        else:
            return RecipientOutcome(
                number=number,
                state=Delivery.SENT,
                message_id=receipt.message_id,
                report_id=receipt.report_id,
            )
        return RecipientOutcome(
            number=number, state=state, reason=reason, report_id=receipt.report_id
        )

    return [outcome(number) for number in chunk.numbers]


def _all(
    chunk: Chunk, state: Delivery, reason: FailureReason
) -> list[RecipientOutcome]:
    return [
        RecipientOutcome(number=number, state=state, reason=reason)
        for number in chunk.numbers
    ]
