"""What became of one send: every recipient's fate, the response, the event, the error.

A send may take several legs (this account, the fallback account, the
outbox); each leg adds its recipients here, and this one object builds the
action's response, the ``sms_gateway_message_sent`` event of each account
that sent, and the error a notify call raises. Never a text; numbers only in
the response, which the caller already holds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError

from .client import FailureReason
from .client.bulk import BulkResult, Delivery, OutgoingText
from .client.models import SendReceipt
from .const import DOMAIN, EVENT_MESSAGE_SENT
from .errors import error_for_reason


@dataclass(frozen=True, slots=True)
class LegSummary:
    """What one account's request(s) did: counts and ids only."""

    accepted: int = 0
    rejected: int = 0
    unknown: int = 0
    not_sent: int = 0
    message_ids: tuple[str, ...] = ()
    report_ids: tuple[str, ...] = ()
    requests: int = 0
    parts: int = 0
    """SMS parts that went out: each accepted recipient's text, in its parts."""

    @classmethod
    def of(cls, result: BulkResult, outgoing: Sequence[OutgoingText]) -> LegSummary:
        """The summary of a bulk send."""
        segments = {
            number: item.analysis.segments
            for item in outgoing
            for number in item.numbers
        }
        sent = result.numbers_in(Delivery.SENT)
        return cls(
            accepted=len(sent),
            rejected=len(result.numbers_in(Delivery.REJECTED)),
            unknown=len(result.numbers_in(Delivery.UNKNOWN)),
            not_sent=len(result.numbers_in(Delivery.NOT_SENT)),
            message_ids=tuple(message_ids(result.receipts)),
            report_ids=tuple(report_ids(result.receipts)),
            requests=result.requests,
            parts=sum(segments[number] for number in sent),
        )


def fire_sent_event(
    hass: HomeAssistant,
    entry_id: str,
    summary: LegSummary,
    *,
    cancelled: bool = False,
    **extra: Any,
) -> None:
    """``sms_gateway_message_sent`` for the account that sent; never the text or numbers."""
    hass.bus.async_fire(
        EVENT_MESSAGE_SENT,
        {
            "config_entry_id": entry_id,
            "accepted": summary.accepted,
            "rejected": summary.rejected,
            "unknown": summary.unknown,
            "not_sent": summary.not_sent,
            "message_ids": list(summary.message_ids),
            "report_ids": list(summary.report_ids),
            "requests": summary.requests,
            "parts": summary.parts,
            "cancelled": cancelled,
            **extra,
        },
    )


def message_ids(receipts: Iterable[SendReceipt]) -> list[str]:
    """The provider's message ids, in order."""
    return [r.message_id for r in receipts if r.message_id is not None]


def report_ids(receipts: Iterable[SendReceipt]) -> list[str]:
    """The provider's report ids (Turkey SMS group sends), in order."""
    return [r.report_id for r in receipts if r.report_id is not None]


@dataclass(slots=True)
class SendOutcome:
    """Every recipient of one send in exactly one list, and what the legs returned."""

    outgoing: Sequence[OutgoingText]
    accepted: list[str] = field(default_factory=list)
    rejected: list[tuple[str, FailureReason]] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    not_sent: list[tuple[str, FailureReason]] = field(default_factory=list)
    queued: list[str] = field(default_factory=list)
    suppressed: list[str] = field(default_factory=list)
    failed_over: list[str] = field(default_factory=list)
    """Accepted numbers that went out through the fallback account."""
    fallback_account: str | None = None
    outbox_id: str | None = None
    receipts: list[SendReceipt] = field(default_factory=list)
    """This account's receipts (the fallback tracks its own)."""
    fallback_receipts: list[SendReceipt] = field(default_factory=list)
    requests: int = 0
    segments: int | None = None
    credits: float | None = None
    tracking_id: str | None = None

    def add_result(self, result: BulkResult, *, exclude: set[str]) -> None:
        """A leg's final fates; the numbers in ``exclude`` go on to another leg."""
        for item in result.outcomes:
            number = item.number.e164
            if number in exclude:
                continue
            match item.state:
                case Delivery.SENT:
                    self.accepted.append(number)
                case Delivery.UNKNOWN:
                    self.unknown.append(number)
                case Delivery.REJECTED:
                    self.rejected.append((number, _reason(item.reason)))
                case Delivery.NOT_SENT:
                    self.not_sent.append((number, _reason(item.reason)))
        self.requests += result.requests
        if result.segments is not None:
            self.segments = max(self.segments or 0, result.segments)
        if result.credits is not None:
            self.credits = (self.credits or 0) + result.credits

    @property
    def total(self) -> int:
        """Every recipient of the send."""
        return (
            len(self.accepted)
            + len(self.rejected)
            + len(self.unknown)
            + len(self.not_sent)
            + len(self.queued)
            + len(self.suppressed)
        )

    def response(self) -> dict[str, Any]:
        """The action's response: every recipient once, in its final state."""
        analyses = [item.analysis for item in self.outgoing]
        ids = report_ids([*self.receipts, *self.fallback_receipts])
        return {
            "accepted": self.accepted,
            "rejected": _failures(self.rejected),
            "unknown": self.unknown,
            "not_sent": _failures(self.not_sent),
            "queued": self.queued,
            "suppressed": self.suppressed,
            "failed_over": self.failed_over,
            "fallback_account": self.fallback_account,
            "outbox_id": self.outbox_id,
            "message_ids": message_ids([*self.receipts, *self.fallback_receipts]),
            "report_id": ids[0] if len(ids) == 1 else None,
            "report_ids": ids,
            "segments": self.segments
            if self.segments is not None
            else max((a.segments for a in analyses), default=0),
            "encoding": analyses[0].encoding.value
            if len({a.encoding for a in analyses}) == 1
            else "mixed",
            "credits": self.credits,
            "requests": self.requests,
        }

    def raise_for_failure(self, *, partial_ok: bool) -> None:
        """A translated error unless every recipient got it or will get it.

        Held (queued) and suppressed recipients are not failures: the alert is
        not lost. ``partial_ok``: the caller asked for the response, which
        names each recipient's outcome, so a partial outcome is not an error.
        """
        fine = len(self.accepted) + len(self.queued) + len(self.suppressed)
        unknown = len(self.unknown)
        total = self.total
        if fine == total or ((fine or unknown) and partial_ok):
            return
        if fine or unknown:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="partially_sent" if fine else "outcome_unknown",
                translation_placeholders={
                    "sent": str(fine),
                    "unknown": str(unknown),
                    "failed": str(total - fine - unknown),
                    "total": str(total),
                },
            )
        reasons = [reason for _, reason in (*self.rejected, *self.not_sent)]
        raise error_for_reason(reasons[0] if reasons else FailureReason.UNKNOWN)


def _reason(reason: FailureReason | None) -> FailureReason:
    return reason if reason is not None else FailureReason.UNKNOWN


def _failures(items: list[tuple[str, FailureReason]]) -> list[dict[str, str]]:
    return [{"recipient": number, "reason": str(reason)} for number, reason in items]
