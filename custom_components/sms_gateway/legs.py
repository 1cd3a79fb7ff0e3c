"""Reading one leg of a send: which recipients may go elsewhere, and texts cut by number.

A leg is one account's requests for a send (this account, or its fallback).
A recipient that certainly did not go out may be failed over or held; one not
tried because the leg stopped shares the stop's reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.exceptions import HomeAssistantError

from .client import FailureReason, SmsGatewayError
from .client.bulk import BulkResult, Delivery, OutgoingText
from .client.phone import PhoneNumber
from .validation import validate_message


def may_go_elsewhere(result: BulkResult) -> dict[str, FailureReason]:
    """Recipients certainly not sent, for a cause not the number's or the text's.

    Each with its reason; one not tried because the leg stopped shares the
    stop's reason.
    """
    stopped = result.stopped_by.reason if result.stopped_by is not None else None
    candidates: dict[str, FailureReason] = {}
    for outcome in result.outcomes:
        reason = outcome.reason or FailureReason.UNKNOWN
        if reason is FailureReason.STOPPED and stopped is not None:
            reason = stopped
        if (
            outcome.state is Delivery.NOT_SENT and reason is not FailureReason.CANCELLED
        ) or (outcome.state is Delivery.REJECTED and reason.concerns_the_account):
            candidates[outcome.number.e164] = reason
    return candidates


def fails_over(reason: FailureReason) -> bool:
    """Whether another account could send what this one could not, now."""
    return reason.passes or reason.concerns_the_account


def retry_after(err: SmsGatewayError | None) -> float | None:
    """How long the provider asked to wait, if it did."""
    wait: float | None = getattr(err, "retry_after", None)
    return wait


def without(outgoing: Sequence[OutgoingText], numbers: set[str]) -> list[OutgoingText]:
    """The texts without these numbers (held ones wait behind earlier ones)."""
    if not numbers:
        return list(outgoing)
    kept = [
        OutgoingText(
            item.analysis, tuple(n for n in item.numbers if n.e164 not in numbers)
        )
        for item in outgoing
    ]
    return [item for item in kept if item.numbers]


def only(outgoing: Sequence[OutgoingText], numbers: set[str]) -> list[OutgoingText]:
    """The texts for these numbers only."""
    kept = [
        OutgoingText(item.analysis, tuple(n for n in item.numbers if n.e164 in numbers))
        for item in outgoing
    ]
    return [item for item in kept if item.numbers]


def unsent(result: BulkResult) -> list[PhoneNumber]:
    """Recipients that certainly did not get the message from this leg."""
    return [
        o.number
        for o in result.outcomes
        if o.state in (Delivery.NOT_SENT, Delivery.REJECTED)
    ]


def reanalysed(
    outgoing: Sequence[OutgoingText], account: ConfigEntry[Any]
) -> list[OutgoingText]:
    """The texts checked against another account's own rules and limits.

    A text that account could not send (too many parts for it) is left out.
    """
    moved: list[OutgoingText] = []
    for item in outgoing:
        try:
            analysis = validate_message(item.analysis.text, account)
        except HomeAssistantError:
            continue
        moved.append(OutgoingText(analysis, item.numbers))
    return moved
