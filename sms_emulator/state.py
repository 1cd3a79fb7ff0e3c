"""The emulator's mutable world: accounts, accepted messages, reports, counters.

Tests reach in here directly (``emu.state``) to set a balance or disable an
account; request handlers are synchronous, so every request sees and leaves a
consistent state.
"""

from __future__ import annotations

from collections import deque
from copy import deepcopy
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Final

from .delivery import DeliveryStep
from .seed import HismsAccount, Seed, TurkeyAccount
from .status import MessageStatus

TURKEY_SMS: Final = "turkey_sms"
HISMS: Final = "hisms"
PROVIDERS: Final = (TURKEY_SMS, HISMS)

FIRST_SMS_ID: Final = 1000007721
FIRST_REPORT_ID: Final = 123456
FIRST_HISMS_ID: Final = 500001


@dataclass
class SentMessage:
    """One accepted message to one recipient."""

    provider: str
    account: str
    """Turkey SMS user_id or HiSMS username."""
    message_id: str
    """Turkey SMS sms_id (one per recipient); HiSMS: the id of the request."""
    report_id: str | None
    """Turkey SMS rapor_id of a group send; None otherwise."""
    number: str
    text: str
    sender: str
    segments: int
    charged: Decimal
    """What the account paid: SMS parts, TL (Turkey international) or credit."""
    status: MessageStatus
    scheduled_for: datetime | None
    submitted_at: datetime
    charge_unit: str = "sms"
    """"sms" (Turkey local), "tl" (Turkey international) or "credit" (HiSMS)."""
    function: str = ""
    otp_code: str | None = None
    language_code: int = 0
    sent_at: datetime | None = None
    """When it left: submission, or the scheduled time once due (HiSMS)."""
    done_at: datetime | None = None
    """Turkey SMS: when the status became final (delivered / not received)."""


@dataclass
class TurkeyReport:
    """A group send (rapor) and the messages it produced."""

    report_id: str
    account: str
    sender: str
    created_at: datetime
    message_ids: list[str]
    invalid_numbers: list[str] = field(default_factory=list)
    """Numbers of the request that were not sent to (group sends accept the rest)."""


@dataclass
class PasswordReminder:
    """A HiSMS forgot_password SMS; the inbox shows it without the password."""

    username: str
    number: str
    password: str
    sent_at: datetime


@dataclass
class EmulatorState:
    """Everything a request can read or change."""

    turkey_accounts: dict[str, TurkeyAccount]
    """By API key."""
    hisms_accounts: dict[str, HismsAccount]
    """By username."""
    forbidden_words: list[str]
    undeliverable_numbers: set[str]
    out_of_coverage_numbers: set[str]
    blocked_numbers: set[str]
    international_price_tl: Decimal
    lockout_after: int
    lockout_seconds: float
    delivery_delay_seconds: float
    messages: list[SentMessage] = field(default_factory=list)
    reports: dict[str, TurkeyReport] = field(default_factory=dict)
    reminders: list[PasswordReminder] = field(default_factory=list)
    turkey_index: dict[str, SentMessage] = field(default_factory=dict)
    """Turkey SMS messages by sms_id."""
    scheduled: list[SentMessage] = field(default_factory=list)
    """Messages waiting for their time (HiSMS), so requests need not scan all."""
    send_windows: dict[str, deque[tuple[datetime, int]]] = field(default_factory=dict)
    """Turkey SMS: (time, messages) of recent accepted sends per API key, for the
    per-minute limit; a message is one part to one number."""
    delivery_scripts: dict[str, tuple[DeliveryStep, ...]] = field(default_factory=dict)
    """Turkey SMS: the states a number's messages go through, by number."""
    failed_logins: dict[str, int] = field(default_factory=dict)
    locked_until: dict[str, datetime] = field(default_factory=dict)
    next_sms_id: int = FIRST_SMS_ID
    next_report_id: int = FIRST_REPORT_ID
    next_hisms_id: int = FIRST_HISMS_ID

    @classmethod
    def from_seed(cls, seed: Seed) -> EmulatorState:
        """A fresh state; the seed itself is never modified."""
        seed = deepcopy(seed)
        return cls(
            turkey_accounts={a.api_key: a for a in seed.turkey_accounts},
            hisms_accounts={a.username: a for a in seed.hisms_accounts},
            forbidden_words=list(seed.forbidden_words),
            undeliverable_numbers=set(seed.undeliverable_numbers),
            out_of_coverage_numbers=set(seed.out_of_coverage_numbers),
            blocked_numbers=set(seed.blocked_numbers),
            international_price_tl=seed.international_price_tl,
            lockout_after=seed.lockout_after,
            lockout_seconds=seed.lockout_seconds,
            delivery_delay_seconds=seed.delivery_delay_seconds,
        )

    def turkey_account(self, user_id: str) -> TurkeyAccount | None:
        """Find a Turkey SMS account by user_id (the admin API's identifier)."""
        return next(
            (a for a in self.turkey_accounts.values() if a.user_id == user_id), None
        )

    def new_sms_id(self) -> str:
        """Next Turkey SMS message id."""
        self.next_sms_id += 1
        return str(self.next_sms_id - 1)

    def new_report_id(self) -> str:
        """Next Turkey SMS report (rapor) id."""
        self.next_report_id += 1
        return str(self.next_report_id - 1)

    def new_hisms_id(self) -> str:
        """Next HiSMS message id."""
        self.next_hisms_id += 1
        return str(self.next_hisms_id - 1)

    def add_message(self, message: SentMessage) -> None:
        """Record an accepted message."""
        self.messages.append(message)
        if message.provider == TURKEY_SMS:
            self.turkey_index[message.message_id] = message
        if message.status == MessageStatus.SCHEDULED:
            self.scheduled.append(message)

    def message(self, message_id: str) -> SentMessage | None:
        """A Turkey SMS message by sms_id."""
        return self.turkey_index.get(message_id)
