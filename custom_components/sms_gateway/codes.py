"""One-time codes through the pipeline: sent now, or held no longer than they are valid.

The code is made when the message goes out (Turkey SMS makes it itself), so a
held code has none yet: it is remembered for ``verify_otp`` once it is sent,
valid until the time the caller was promised.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from .client import SmsGatewayError
from .client.bulk import OutgoingText
from .client.errors import OutcomeUnknownError
from .client.otp import DEFAULT_OTP_TEMPLATE, OtpReceipt, OtpTemplate, otp_template
from .client.phone import PhoneNumber
from .errors import error_for_reason
from .outbox import HeldMessage, HeldTry
from .outcome import LegSummary, fire_sent_event

if TYPE_CHECKING:
    from .coordinator import SmsGatewayConfigEntry
    from .pipeline import SendPipeline


@dataclass(frozen=True, slots=True)
class CodeOutcome:
    """A one-time code that went out, or was held."""

    receipt: OtpReceipt | None
    expires_at: datetime
    outbox_id: str | None = None


@dataclass(frozen=True, slots=True)
class CodeSender:
    """Sends an account's one-time codes; holds them in its outbox when needed."""

    _hass: HomeAssistant
    _entry: SmsGatewayConfigEntry
    _pipeline: SendPipeline

    async def async_send(
        self,
        number: PhoneNumber,
        *,
        digits: int,
        template: OtpTemplate | None,
        sender: str | None,
        ttl: timedelta,
    ) -> CodeOutcome:
        """Send a code, or hold it when it certainly could not go now."""
        expires_at = dt_util.utcnow() + ttl
        try:
            receipt = await self._async_send_once(number, digits, template, sender)
        except SmsGatewayError as err:
            deadline = self._pipeline.deadline(None, None)
            if isinstance(err, OutcomeUnknownError) or not err.reason.passes:
                raise error_for_reason(err.reason) from err
            if deadline is None:
                raise error_for_reason(err.reason) from err
            [outbox_id] = await self._pipeline.outbox.async_hold(
                "code",
                [([number.e164], template.text if template else "")],
                sender=sender,
                deadline=min(expires_at, deadline),
                retry_after=getattr(err, "retry_after", None),
                digits=digits,
                expires_at=expires_at,
            )
            return CodeOutcome(None, expires_at, outbox_id)
        self._entry.runtime_data.otp_store.remember(
            number.e164, receipt.code, expires_at
        )
        return CodeOutcome(receipt, expires_at)

    async def async_send_held(self, message: HeldMessage, number: str) -> HeldTry:
        """One try of a held code; remembered until the validity first promised."""
        expires_at = dt_util.parse_datetime(
            message.expires_at or message.deadline, raise_on_error=True
        )
        template = otp_template(message.text, message.digits) if message.text else None
        try:
            receipt = await self._async_send_once(
                PhoneNumber(number), message.digits, template, message.sender
            )
        except SmsGatewayError as err:
            if isinstance(err, OutcomeUnknownError):
                return HeldTry(unknown=[number])
            if err.reason.passes:
                return HeldTry(
                    waiting=[number], retry_after=getattr(err, "retry_after", None)
                )
            return HeldTry(rejected=[number])
        self._entry.runtime_data.otp_store.remember(number, receipt.code, expires_at)
        return HeldTry(sent=[number])

    async def _async_send_once(
        self,
        number: PhoneNumber,
        digits: int,
        template: OtpTemplate | None,
        sender: str | None,
    ) -> OtpReceipt:
        """One request; the event and a balance refresh follow an accepted one."""
        try:
            with code_admission(self._entry, number, template, digits):
                receipt = await self._pipeline.provider.send_otp(
                    number.digits, digits=digits, template=template, sender=sender
                )
        except SmsGatewayError as err:
            self._pipeline.after_requests(err, sent=False)
            raise
        fire_sent_event(
            self._hass,
            self._entry.entry_id,
            LegSummary(
                accepted=1,
                message_ids=(receipt.message_id,) if receipt.message_id else (),
                requests=1,
                parts=receipt.segments or 1,
            ),
        )
        self._pipeline.after_requests(None, sent=True)
        return receipt


@contextmanager
def code_admission(
    entry: SmsGatewayConfigEntry,
    number: PhoneNumber,
    template: OtpTemplate | None,
    digits: int,
) -> Iterator[None]:
    """Admit a one-time code around its send; give its parts back if it failed.

    A code counts its parts like any text; it is never a repeat.
    """
    analysis = (template or otp_template(DEFAULT_OTP_TEMPLATE, digits)).analysis
    admission = entry.runtime_data.spend_guard.admit(
        [OutgoingText(analysis, (number,))], filter_repeats=False
    )
    unsent: list[PhoneNumber] = []
    try:
        yield
    except SmsGatewayError as err:
        if not isinstance(err, OutcomeUnknownError):
            unsent.append(number)
        raise
    finally:
        admission.give_back(unsent)
