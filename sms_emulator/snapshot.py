"""The emulator's state as one JSON-ready snapshot: the single owner of that view.

``/_emulator/state`` answers it and the inbox page renders it, so the two can
never disagree. Account secrets (API keys, passwords) never appear in it. It
reads the emulator through :class:`EmulatorView`, so neither the control API
nor the page depends on the server module that serves them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, Protocol

from .clock import Clock
from .faults import FaultSet
from .requestlog import RequestLogEntry
from .seed import HismsAccount, TurkeyAccount, record_dict
from .settings import Settings
from .state import HISMS, TURKEY_SMS, EmulatorState, SentMessage
from .status import MessageStatus


class EmulatorView(Protocol):
    """What the control API and the inbox page need of a running emulator."""

    @property
    def state(self) -> EmulatorState:
        """The live state."""

    @property
    def settings(self) -> Settings:
        """The run-time switches."""

    @property
    def faults(self) -> FaultSet:
        """The active faults."""

    @property
    def log(self) -> Iterable[RequestLogEntry]:
        """Provider requests in arrival order."""

    @property
    def base_url(self) -> str | None:
        """Where it serves, while it does."""

    @property
    def clock(self) -> Clock:
        """The emulator's time."""

    def tick(self) -> None:
        """Do the lazy periodic work now."""

    def reset(self) -> None:
        """Back to the seed."""


def snapshot(emu: EmulatorView) -> dict[str, Any]:
    """Everything worth seeing, JSON-ready; the inbox page renders the same."""
    state = emu.state
    by_number: dict[str, list[dict[str, Any]]] = {}
    for message in reversed(state.messages):
        by_number.setdefault(message.number, []).append(message_dict(message))
    return {
        "now": emu.clock().isoformat(),
        "base_url": emu.base_url,
        "settings": settings_view(emu),
        "accounts": {
            TURKEY_SMS: [turkey_dict(a) for a in state.turkey_accounts.values()],
            HISMS: [hisms_dict(emu, a) for a in state.hisms_accounts.values()],
        },
        "messages_by_number": by_number,
        "scheduled": [
            message_dict(m)
            for m in state.messages
            if m.status == MessageStatus.SCHEDULED
        ],
        "reports": [
            {
                "report_id": r.report_id,
                "account": r.account,
                "sender": r.sender,
                "created_at": r.created_at.isoformat(),
                "message_ids": list(r.message_ids),
            }
            for r in state.reports.values()
        ],
        "reminders": [
            {
                "username": r.username,
                "number": r.number,
                "sent_at": r.sent_at.isoformat(),
                "text": "Password reminder (password hidden)",
            }
            for r in state.reminders
        ],
        "faults": [f.to_dict() for f in emu.faults],
        "log": [e.to_dict() for e in reversed(list(emu.log))],
    }


def settings_view(emu: EmulatorView) -> dict[str, Any]:
    """The run-time switches plus the Turkey SMS delivery delay (``/settings``)."""
    return {
        **emu.settings.to_dict(),
        "delivery_delay_seconds": emu.state.delivery_delay_seconds,
    }


def message_dict(message: SentMessage) -> dict[str, Any]:
    """JSON form of an accepted message."""
    return {
        "provider": message.provider,
        "account": message.account,
        "function": message.function,
        "message_id": message.message_id,
        "report_id": message.report_id,
        "number": message.number,
        "text": message.text,
        "sender": message.sender,
        "segments": message.segments,
        "charged": str(message.charged),
        "charge_unit": message.charge_unit,
        "status": message.status,
        "otp_code": message.otp_code,
        "scheduled_for": _iso(message.scheduled_for),
        "submitted_at": message.submitted_at.isoformat(),
        "sent_at": _iso(message.sent_at),
        "done_at": _iso(message.done_at),
    }


def turkey_dict(account: TurkeyAccount) -> dict[str, Any]:
    """A Turkey SMS account without its API key, the balance in whole kuruş."""
    view = _without(record_dict(account), "api_key")
    view["international_balance_tl"] = f"{account.international_balance_tl:.2f}"
    return view


def hisms_dict(emu: EmulatorView, account: HismsAccount) -> dict[str, Any]:
    """A HiSMS account without its password."""
    locked = emu.state.locked_until.get(account.username)
    return {
        **_without(record_dict(account), "password"),
        "failed_logins": emu.state.failed_logins.get(account.username, 0),
        "locked_until": _iso(locked) if locked and locked > emu.clock() else None,
    }


def _without(account: dict[str, Any], secret: str) -> dict[str, Any]:
    return {key: value for key, value in account.items() if key != secret}


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()
