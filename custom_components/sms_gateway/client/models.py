"""Typed results of provider calls."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
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


@dataclass(frozen=True, slots=True)
class MessageStatus:
    """The provider's status of one message."""

    message_id: str
    state: DeliveryState
    code: str | None = None
    sender: str | None = None
    sent_at: datetime | None = None
    operator: str | None = None
    charged: str | None = None


@dataclass(frozen=True, slots=True)
class ReportEntry:
    """One number in a detailed delivery report."""

    number: str
    state: DeliveryState
    sent_at: str | None = None
    done_at: str | None = None
    segments: int | None = None
    operator: str | None = None
    status_text: str | None = None
    """The provider's own words for the state (``sms_status``)."""


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """A group send's delivery report."""

    report_id: str
    status: str | None = None
    sent_at: str | None = None
    sender: str | None = None
    total: int | None = None
    received: int | None = None
    not_received: int | None = None
    invalid: int | None = None
    blocked: int | None = None
    operators: Mapping[str, int] = field(default_factory=dict)
    entries: tuple[ReportEntry, ...] = ()
    validity_minutes: int | None = None
    """How long the provider keeps trying to deliver (``message_validity_duration``)."""
