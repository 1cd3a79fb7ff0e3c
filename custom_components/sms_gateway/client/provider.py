"""The interface every provider offers, and what each one can do.

The integration talks only to this interface and reads the capability flags.
``HttpSmsProvider`` is what every provider over HTTP shares: its constructor,
its sender default, and the rule that an answer that cannot be understood
leaves a send's outcome unknown.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
import secrets
from typing import ClassVar, Final, TypedDict, Unpack

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
    OtpReceipt,
    SendReceipt,
)
from .text import SmsText, TextAnalysis

OTP_PLACEHOLDER: Final = "{code}"
DEFAULT_OTP_TEMPLATE: Final = "Your verification code is {code}"


@dataclass(frozen=True, slots=True)
class ProviderCapabilities:
    """What a provider can do beyond sending one text to many numbers."""

    native_otp: bool = False
    scheduling: bool = False
    per_recipient_texts: bool = False
    message_status: bool = False
    delivery_report: bool = False
    scheduled_messages: bool = False
    change_password: bool = False
    password_reminder: bool = False
    international_balance: bool = False
    max_numbers_per_request: int = 500


def generate_otp(digits: int) -> str:
    """A uniformly random numeric code, leading zeros allowed."""
    return "".join(secrets.choice("0123456789") for _ in range(digits))


class SmsProvider(ABC):
    """An account at one SMS provider."""

    provider_id: ClassVar[str]
    capabilities: ClassVar[ProviderCapabilities]

    @abstractmethod
    async def authenticate(self) -> AccountInfo:
        """Check the credentials and say whose account it is."""

    @abstractmethod
    async def fetch_account_status(self) -> AccountStatus:
        """Balances and counters shown as sensors."""

    @abstractmethod
    async def send(
        self,
        numbers: Sequence[str],
        text: SmsText,
        *,
        sender: str | None = None,
        send_at: datetime | None = None,
    ) -> SendReceipt:
        """Send one text to digits-only numbers in a single request."""

    async def send_individual(
        self, messages: Sequence[tuple[str, SmsText]], *, sender: str | None = None
    ) -> SendReceipt:
        """Send a text per number in a single request."""
        raise UnsupportedFeatureError(f"{self.provider_id} has no per-number texts")

    def individual_batches(
        self, messages: Sequence[tuple[str, TextAnalysis]], size: int
    ) -> list[Sequence[tuple[str, TextAnalysis]]]:
        """Per-number texts cut into requests of at most ``size`` numbers."""
        size = min(size, self.capabilities.max_numbers_per_request)
        return [
            messages[start : start + size] for start in range(0, len(messages), size)
        ]

    async def send_otp(
        self,
        number: str,
        *,
        digits: int,
        template: str | None = None,
        sender: str | None = None,
    ) -> OtpReceipt:
        """Send a one-time code; providers without a native OTP get a plain SMS."""
        code = generate_otp(digits)
        text = (template or DEFAULT_OTP_TEMPLATE).replace(OTP_PLACEHOLDER, code)
        receipt = await self.send([number], text, sender=sender)
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

    def _sender_or_default(self, sender: str | None) -> str:
        return sender or self._sender or ""

    @staticmethod
    def _unusable_answer(message: str, *, sends_message: bool) -> SmsGatewayError:
        """A send may have gone out despite the answer: its outcome is unknown."""
        if sends_message:
            return OutcomeUnknownError(message)
        return InvalidResponseError(message)
