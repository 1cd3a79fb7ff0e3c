"""The record of every provider request, for tests to compare with the client.

Entries name the account, never its credentials: the path is stored without the
query string (HiSMS passwords travel there) and no parameter values but the
recipient numbers are kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class RequestLogEntry:
    """One request, in arrival order."""

    time: datetime
    provider: str
    function: str
    method: str
    path: str
    processed: bool
    """False when a fault answered instead of the provider (nothing happened)."""
    outcome: str
    """The result code (or HiSMS body) the client got, else what the fault did:
    ``HTTP <status>``, ``html_error``, ``dropped``; ``pending`` while in flight."""
    message_ids: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()
    fault: str | None = None
    account: str | None = None
    """Turkey SMS user_id or HiSMS username, when the request named one."""

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "time": self.time.isoformat(),
            "provider": self.provider,
            "function": self.function,
            "method": self.method,
            "path": self.path,
            "processed": self.processed,
            "outcome": self.outcome,
            "message_ids": list(self.message_ids),
            "numbers": list(self.numbers),
            "fault": self.fault,
            "account": self.account,
        }
