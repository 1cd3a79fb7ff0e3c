"""The interface every provider offers, and what each one can do.

The integration talks only to this interface and reads the ``Capability``
flags. ``send`` and ``send_otp`` are written once: they check what the provider
can do, analyse the text and pick the sender, and each provider completes them
with its own request (``_send``, and ``_send_otp`` where it makes the code).
``HttpSmsProvider`` is what every provider over HTTP shares: its constructor
and the rule that only a documented refusal says a send did not go out: any
other unexpected answer leaves its outcome unknown.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from datetime import datetime
from enum import Flag, auto
from typing import ClassVar, TypedDict, Unpack

import aiohttp

from . import transport
from .errors import (
    InvalidResponseError,
    OutcomeUnknownError,
    SmsGatewayError,
    UnsupportedFeatureError,
)
from .models import (
    AccountInfo,
    AccountStatus,
    DeliveryReport,
    MessageStatus,
    SendReceipt,
)
from .otp import (
    DEFAULT_OTP_TEMPLATE,
    OtpReceipt,
    OtpTemplate,
    generate_otp,
    otp_template,
    otp_template_of,
)
from .result_codes import describe_code, error_for_code
from .text import SmsText, TextAnalysis, analysis_of


class Capability(Flag):
    """What a provider can do beyond sending one text to many numbers."""

    NATIVE_OTP = auto()
    SCHEDULING = auto()
    PER_RECIPIENT_TEXTS = auto()
    MESSAGE_STATUS = auto()
    DELIVERY_REPORT = auto()
    SCHEDULED_MESSAGES = auto()
    CHANGE_PASSWORD = auto()
    PASSWORD_REMINDER = auto()
    INTERNATIONAL_BALANCE = auto()


class SmsProvider(ABC):
    """An account at one SMS provider."""

    provider_id: ClassVar[str]
    capabilities: ClassVar[Capability]
    max_numbers_per_request: ClassVar[int] = 500
    _sender: str | None = None
    """The account's sender ID, used where a call names none."""

    @abstractmethod
    async def authenticate(self) -> AccountInfo:
        """Check the credentials and say whose account it is."""

    @abstractmethod
    async def fetch_account_status(self) -> AccountStatus:
        """Balances and counters shown as sensors."""

    async def send(
        self,
        numbers: Sequence[str],
        text: SmsText,
        *,
        sender: str | None = None,
        send_at: datetime | None = None,
    ) -> SendReceipt:
        """Send one text to digits-only numbers in a single request."""
        if send_at is not None and Capability.SCHEDULING not in self.capabilities:
            raise UnsupportedFeatureError(f"{self.provider_id} has no scheduling")
        sender = self._sender_or_default(sender)
        return await self._send(numbers, analysis_of(text), sender, send_at)

    @abstractmethod
    async def _send(
        self, to: Sequence[str], text: TextAnalysis, sender: str, at: datetime | None
    ) -> SendReceipt:
        """Send the analysed text; ``at`` is set only where scheduling is supported."""

    def _sender_or_default(self, sender: str | None) -> str:
        return sender or self._sender or ""

    async def send_individual(
        self, messages: Sequence[tuple[str, SmsText]], *, sender: str | None = None
    ) -> SendReceipt:
        """Send a text per number in a single request."""
        raise UnsupportedFeatureError(f"{self.provider_id} has no per-number texts")

    def individual_batches[N](
        self, messages: Sequence[tuple[N, TextAnalysis]], size: int
    ) -> list[Sequence[tuple[N, TextAnalysis]]]:
        """Per-number texts cut into requests of at most ``size`` numbers."""
        size = min(size, self.max_numbers_per_request)
        return [
            messages[start : start + size] for start in range(0, len(messages), size)
        ]

    async def send_otp(
        self,
        number: str,
        *,
        digits: int,
        template: str | OtpTemplate | None = None,
        sender: str | None = None,
    ) -> OtpReceipt:
        """Send a one-time code of ``digits`` digits, in ``template`` if given."""
        prepared = otp_template_of(template, digits) if template else None
        sender = self._sender_or_default(sender)
        return await self._send_otp(number, digits, prepared, sender)

    async def _send_otp(
        self, number: str, digits: int, template: OtpTemplate | None, sender: str
    ) -> OtpReceipt:
        """Providers without a native OTP send a code of their own in a plain SMS."""
        code = generate_otp(digits)
        text = (template or otp_template(DEFAULT_OTP_TEMPLATE, digits)).with_code(code)
        receipt = await self._send([number], text, sender, None)
        return OtpReceipt(
            number=number,
            code=code,
            message_id=receipt.message_id,
            segments=receipt.segments,
        )

    async def get_message_status(self, message_id: str) -> MessageStatus:
        """The delivery status of one message."""
        raise UnsupportedFeatureError(f"{self.provider_id} has no message status")

    async def get_report(self, report_id: str, *, detailed: bool) -> DeliveryReport:
        """The delivery report of a group send."""
        raise UnsupportedFeatureError(f"{self.provider_id} has no delivery reports")

    async def delete_scheduled(self) -> int:
        """Delete every scheduled message; return how many were deleted."""
        raise UnsupportedFeatureError(f"{self.provider_id} has no scheduled messages")

    async def change_password(self, new_password: str) -> None:
        """Change the account password."""
        raise UnsupportedFeatureError(f"{self.provider_id} has no password change")

    async def request_password_reminder(self) -> None:
        """Ask the provider to send the password to the account's phone."""
        raise UnsupportedFeatureError(f"{self.provider_id} has no password reminder")


class ConnectionOptions(TypedDict, total=False):
    """How a provider client reaches its API, whatever its credentials."""

    sender: str | None
    base_url: str
    timeout: aiohttp.ClientTimeout


class HttpSmsProvider(SmsProvider):
    """A provider reached over HTTP through an injected session."""

    default_base_url: ClassVar[str]

    def __init__(
        self, session: aiohttp.ClientSession, **options: Unpack[ConnectionOptions]
    ) -> None:
        self._sender = options.get("sender")
        self._http = transport.HttpTransport(
            session,
            options.get("base_url") or self.default_base_url,
            provider=self.provider_id,
            timeout=options.get("timeout") or transport.DEFAULT_TIMEOUT,
        )

    def _answer_error(
        self, code: str | None, unusable: str, *, sends_message: bool
    ) -> SmsGatewayError:
        """The error an answer other than the expected one stands for.

        ``code`` is the result code the answer names, if any. A send is only
        known not to have gone out when the provider names a documented
        refusal: any other answer may hide an accepted message, so its outcome
        is unknown. Outside a send, any code is the provider's error, and an
        answer without one is invalid (``unusable`` says how).
        """
        if code:
            known = describe_code(self.provider_id, code)
            refused = known is not None and known.kind.refusal
            if refused or not sends_message:
                return error_for_code(self.provider_id, code)
        if sends_message:
            return OutcomeUnknownError(unusable)
        return InvalidResponseError(unusable)
