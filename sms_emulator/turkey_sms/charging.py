"""What a send puts in the state: priced recipients, charged all or nothing.

Each recipient becomes one recorded message.

Numbers are checked first (TS-1034), then the international permission of the
valid ones (TS-1032), the per-minute limit (TS-1060) and the balance for the
whole request (TS-1027). A request that is refused sends and charges nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sms_emulator.seed import TurkeyAccount
from sms_emulator.segments import TextCost, analyze
from sms_emulator.settings import REJECT_GROUP
from sms_emulator.state import TURKEY_SMS, SentMessage
from sms_emulator.status import MessageStatus

from .codes import TurkeyError
from .numbers import is_local, valid_number
from .rate_window import MinuteWindow
from .request import TurkeyRequest


@dataclass
class Recipient:
    """A valid number and what its text costs."""

    number: str
    cost: TextCost


def price_recipients(
    request: TurkeyRequest,
    account: TurkeyAccount,
    pairs: list[tuple[str, str]],
    language: int | None,
) -> tuple[list[Recipient], list[str]]:
    """The recipients to send to, priced, and the invalid numbers left out.

    An invalid number is left out of a group, but under ``reject_group``, or
    when no number is valid (a single-number send with an invalid number), the
    request is refused whole (TS-1034).

    The declared language is the alphabet: a GSM-7 text declared Unicode (2)
    is sent, and charged, as Unicode; an Arabic text declared English (0)
    reaches the handset with ``?`` for every Arabic letter.
    """
    valid: list[tuple[str, str]] = []
    invalid: list[str] = []
    for number, text in pairs:
        if valid_number(number):
            valid.append((number, text))
        else:
            invalid.append(number)
    if invalid and (
        not valid or request.settings.invalid_group_numbers == REJECT_GROUP
    ):
        raise TurkeyError("TS-1034")
    if not account.international_enabled and any(
        not is_local(number) for number, _ in valid
    ):
        raise TurkeyError("TS-1032")
    costs: dict[str, TextCost] = {}
    recipients = []
    for number, text in valid:
        if text not in costs:
            costs[text] = analyze(text, language)
        recipients.append(Recipient(number, costs[text]))
    return recipients, invalid


def charge_and_record(
    request: TurkeyRequest,
    account: TurkeyAccount,
    sender: str,
    recipients: list[Recipient],
    report_id: str | None,
    otp_code: str | None,
) -> list[SentMessage]:
    """Charge the whole request or nothing (TS-1060, TS-1027), then record it."""
    state, now = request.state, request.now
    window = MinuteWindow(state, account.api_key, now)
    count = sum(r.cost.segments for r in recipients)
    if not window.admits(count, request.settings.rate_limit_per_minute):
        raise TurkeyError("TS-1060")
    price = state.international_price_tl
    local = sum(r.cost.segments for r in recipients if is_local(r.number))
    international = price * sum(
        r.cost.segments for r in recipients if not is_local(r.number)
    )
    if local > account.local_balance or international > (
        account.international_balance_tl
    ):
        raise TurkeyError("TS-1027")
    window.record(count)
    account.local_balance -= local
    account.international_balance_tl -= international
    messages = []
    for recipient in recipients:
        local_number = is_local(recipient.number)
        message = SentMessage(
            provider=TURKEY_SMS,
            account=account.user_id,
            message_id=state.new_sms_id(),
            report_id=report_id,
            number=recipient.number,
            text=recipient.cost.text,
            sender=sender,
            segments=recipient.cost.segments,
            charged=(
                Decimal(recipient.cost.segments)
                if local_number
                else price * recipient.cost.segments
            ),
            status=MessageStatus.PENDING,
            scheduled_for=None,
            submitted_at=now,
            charge_unit="sms" if local_number else "tl",
            function=request.function,
            otp_code=otp_code,
            language_code=recipient.cost.language_code,
            sent_at=now,
        )
        state.add_message(message)
        messages.append(message)
    return messages
