"""Typed results of provider calls.

A model built by one reply parser has no defaults, so that a new field is one
the parser must fill; ``None`` says the reply had no such value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class AccountInfo:
    """Who the credentials belong to."""

    account_id: str
    name: str | None = None
    identifies_account: bool = True
    """False when the id is derived from the credentials, not read from the account."""


@dataclass(frozen=True, slots=True)
class AccountStatus:
    """What is polled for the sensors; ``None`` where the provider has no such value."""

    sms_balance: float | None = None
    international_balance: Decimal | None = None
    scheduled_messages: int | None = None


@dataclass(frozen=True, slots=True)
class SendReceipt:
    """What the provider said about one accepted send request.

    ``numbers`` went out; ``rejected`` are numbers of the request that the
    provider named as invalid and did not send to; ``unconfirmed`` are numbers
    whose fate the provider's answer left open (it accepted fewer than it was
    sent, and its report could not say which).
    """

    numbers: tuple[str, ...]
    message_id: str | None = None
    report_id: str | None = None
    segments: int | None = None
    credits: float | None = None
    rejected: tuple[str, ...] = ()
    unconfirmed: tuple[str, ...] = ()


class DeliveryState(StrEnum):
    """Where one message is on its way to the handset."""

    DELIVERED = "delivered"
    NOT_DELIVERED = "not_delivered"
    PENDING = "pending"
    INVALID = "invalid"
    """The provider did not send to the number: it is not a valid one."""
    UNKNOWN = "unknown"

    @property
    def final(self) -> bool:
        """Whether the provider will say no more (pending and unknown may change)."""
        return self not in (DeliveryState.PENDING, DeliveryState.UNKNOWN)


@dataclass(frozen=True, slots=True)
class MessageStatus:
    """The provider's status of one message."""

    message_id: str
    state: DeliveryState
    code: str | None
    sender: str | None
    sent_at: datetime | None
    operator: str | None
    charged: str | None


_SHORTEST_NUMBER = 7
"""A shorter tail is no phone number: it is not matched against a sent one."""


@dataclass(frozen=True, slots=True)
class ReportEntry:
    """One number in a detailed delivery report."""

    number: str
    state: DeliveryState
    sent_at: str | None
    done_at: str | None
    segments: int | None
    operator: str | None
    status_text: str | None
    """The provider's own words for the state (``sms_status``)."""

    def is_for(self, digits: str) -> bool:
        """Whether the row is about ``digits``: as sent, or without the country code."""
        row = "".join(ch for ch in self.number if ch.isdigit())
        return row == digits or (len(row) >= _SHORTEST_NUMBER and digits.endswith(row))


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """A group send's delivery report."""

    report_id: str
    status: str | None
    sent_at: str | None
    sender: str | None
    total: int | None
    received: int | None
    not_received: int | None
    invalid: int | None
    blocked: int | None
    operators: Mapping[str, int]
    entries: tuple[ReportEntry, ...]
    validity_minutes: int | None
    """How long the provider keeps trying to deliver (``message_validity_duration``)."""
