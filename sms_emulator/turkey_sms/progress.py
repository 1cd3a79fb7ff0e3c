"""Delivery moves on queries only: a status or report query settles what is due.

A message is pending (TS-1023) until a query made at least
``delivery_delay_seconds`` after sending; that query settles it to delivered
(TS-1024), or not received (TS-1022) for undeliverable and blocked numbers.
Out-of-coverage numbers stay pending. A number's delivery script, when it has
one, decides instead.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sms_emulator.delivery import DeliveryStep, scripted_status
from sms_emulator.state import EmulatorState, SentMessage
from sms_emulator.status import MessageStatus


def settle(state: EmulatorState, now: datetime, messages: list[SentMessage]) -> None:
    """Settle the pending messages old enough."""
    delay = timedelta(seconds=state.delivery_delay_seconds)
    for message in messages:
        if message.status != MessageStatus.PENDING:
            continue
        if script := state.delivery_scripts.get(message.number):
            _follow_script(message, script, now)
            continue
        if now - message.submitted_at < delay:
            continue
        if message.number in state.out_of_coverage_numbers:
            continue
        message.done_at = now
        if message.number in (state.undeliverable_numbers | state.blocked_numbers):
            message.status = MessageStatus.NOT_RECEIVED
        else:
            message.status = MessageStatus.DELIVERED


def _follow_script(
    message: SentMessage, script: tuple[DeliveryStep, ...], now: datetime
) -> None:
    """Move a pending message on to the status its script gives at its age."""
    age = (now - message.submitted_at).total_seconds()
    status = scripted_status(script, age)
    if status is not None and status != MessageStatus.PENDING:
        message.status = status
        message.done_at = now
