"""The interface every provider offers, and what each one can do.

The integration talks only to this interface and reads the capability flags:
adding a provider is one new module and one line in ``registry.py``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
import secrets
from typing import ClassVar, Final

from .errors import UnsupportedFeatureError
from .models import (
    AccountInfo,
    AccountStatus,
    DeliveryReport,
    MessageStatus,
    OtpReceipt,
    SendReceipt,
)

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
        text: str,
        *,
        sender: str | None = None,
        send_at: datetime | None = None,
    ) -> SendReceipt:
        """Send one text to digits-only numbers in a single request."""

    async def send_individual(
        self, messages: Sequence[tuple[str, str]], *, sender: str | None = None
    ) -> SendReceipt:
        """Send a text per number in a single request."""
        raise UnsupportedFeatureError(f"{self.provider_id} has no per-number texts")

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
