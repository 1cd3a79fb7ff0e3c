"""Sending through an account: the bulk send, the event, the response, the errors.

Used by the ``send_sms`` action and by both kinds of notify. Nothing here logs
a text or a full number.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError

from .client import FailureReason
from .client.bulk import BulkResult, BulkSend, Delivery, OutgoingText, plan_chunks
from .client.text import TextAnalysis
from .const import DOMAIN, EVENT_MESSAGE_SENT, LOGGER
from .coordinator import SmsGatewayConfigEntry
from .errors import error_for_reason, reauth_if_refused

DEFAULT_CHUNK_SIZE: Final = 500


async def async_send(
    hass: HomeAssistant,
    entry: SmsGatewayConfigEntry,
    outgoing: Sequence[OutgoingText],
    *,
    sender: str | None = None,
    send_at: datetime | None = None,
) -> BulkResult:
    """Send, fire the event, refresh the balance; on cancel, say what went out."""
    runtime = entry.runtime_data
    job = BulkSend(
        plan_chunks(
            runtime.provider,
            outgoing,
            max_numbers=DEFAULT_CHUNK_SIZE,
            sender=sender,
            send_at=send_at,
        ),
        runtime.bulk_options,
        sleep=runtime.sleep,
    )
    try:
        result = await job.run()
    except asyncio.CancelledError:
        summary = SentSummary.of(job.snapshot(), outgoing)
        LOGGER.warning(
            "Sending through %s was cancelled: %s sent, %s unknown, %s not sent",
            entry.title,
            summary.accepted,
            summary.unknown,
            summary.not_sent,
        )
        fire_sent_event(hass, entry, summary, cancelled=True)
        raise
    fire_sent_event(hass, entry, SentSummary.of(result, outgoing))
    reauth_if_refused(hass, entry, result.stopped_by)
    if result.receipts:
        runtime.coordinator.async_refresh_after_send()
    return result


@dataclass(frozen=True, slots=True)
class SentSummary:
    """What the ``sms_gateway_message_sent`` event tells: counts and ids only."""

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
    def of(cls, result: BulkResult, outgoing: Sequence[OutgoingText]) -> SentSummary:
        """The summary of a bulk send."""
        segments = {
            number: item.analysis.segments
            for item in outgoing
            for number in item.numbers
        }
        return cls(
            accepted=len(result.numbers_in(Delivery.SENT)),
            rejected=len(result.numbers_in(Delivery.REJECTED)),
            unknown=len(result.numbers_in(Delivery.UNKNOWN)),
            not_sent=len(result.numbers_in(Delivery.NOT_SENT)),
            message_ids=tuple(_message_ids(result)),
            report_ids=tuple(_report_ids(result)),
            requests=result.requests,
            parts=sum(segments[n] for n in result.numbers_in(Delivery.SENT)),
        )


def fire_sent_event(
    hass: HomeAssistant,
    entry: SmsGatewayConfigEntry,
    summary: SentSummary,
    *,
    cancelled: bool = False,
) -> None:
    """Never the text or the numbers."""
    hass.bus.async_fire(
        EVENT_MESSAGE_SENT,
        {
            "config_entry_id": entry.entry_id,
            "accepted": summary.accepted,
            "rejected": summary.rejected,
            "unknown": summary.unknown,
            "not_sent": summary.not_sent,
            "message_ids": list(summary.message_ids),
            "report_ids": list(summary.report_ids),
            "requests": summary.requests,
            "parts": summary.parts,
            "cancelled": cancelled,
        },
    )


def _message_ids(result: BulkResult) -> list[str]:
    return [r.message_id for r in result.receipts if r.message_id is not None]


def _report_ids(result: BulkResult) -> list[str]:
    return [r.report_id for r in result.receipts if r.report_id is not None]


def build_response(
    result: BulkResult, analyses: Sequence[TextAnalysis]
) -> dict[str, Any]:
    """The action's response: every recipient once, in its final state."""

    def recipients(state: Delivery) -> list[str]:
        return [number.e164 for number in result.numbers_in(state)]

    def failures(state: Delivery) -> list[dict[str, str]]:
        return [
            {"recipient": o.number.e164, "reason": str(o.reason)}
            for o in result.outcomes
            if o.state is state
        ]

    report_ids = _report_ids(result)
    return {
        "accepted": recipients(Delivery.SENT),
        "rejected": failures(Delivery.REJECTED),
        "unknown": recipients(Delivery.UNKNOWN),
        "not_sent": failures(Delivery.NOT_SENT),
        "message_ids": _message_ids(result),
        "report_id": report_ids[0] if len(report_ids) == 1 else None,
        "report_ids": report_ids,
        "segments": result.segments
        if result.segments is not None
        else max(a.segments for a in analyses),
        "encoding": analyses[0].encoding.value
        if len({a.encoding for a in analyses}) == 1
        else "mixed",
        "credits": result.credits,
        "requests": result.requests,
    }


def raise_for_failure(result: BulkResult, *, partial_ok: bool) -> None:
    """A translated error unless everyone got the message.

    ``partial_ok``: the caller asked for the response, which names each
    recipient's outcome, so an outcome short of total failure is not an error.
    """
    sent = result.numbers_in(Delivery.SENT)
    unknown = result.numbers_in(Delivery.UNKNOWN)
    total = len(result.outcomes)
    if len(sent) == total or ((sent or unknown) and partial_ok):
        return
    if sent or unknown:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="partially_sent" if sent else "outcome_unknown",
            translation_placeholders={
                "sent": str(len(sent)),
                "unknown": str(len(unknown)),
                "failed": str(total - len(sent) - len(unknown)),
                "total": str(total),
            },
        )
    reason = next(
        (o.reason for o in result.outcomes if o.reason), FailureReason.UNKNOWN
    )
    raise error_for_reason(reason)
