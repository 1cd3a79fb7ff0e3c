"""One-time codes awaiting verification, kept only as an HMAC.

Single use, a time to live, at most five attempts, compared in constant time.
Held in memory: a restart forgets every pending code, which is the safe side.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
import hashlib
import hmac
import secrets
from typing import Final

from homeassistant.util import dt as dt_util

MAX_ATTEMPTS: Final = 5


class OtpVerdict(StrEnum):
    """The answer to a verification."""

    VALID = "valid"
    WRONG_CODE = "wrong_code"
    EXPIRED = "expired"
    NO_CODE = "no_code"
    TOO_MANY_ATTEMPTS = "too_many_attempts"


@dataclass(slots=True)
class _PendingCode:
    digest: bytes
    expires_at: datetime
    attempts: int = 0


class OtpStore:
    """Pending codes per recipient (E.164); a new code replaces the old one."""

    def __init__(self, now: Callable[[], datetime] = dt_util.utcnow) -> None:
        self._key = secrets.token_bytes(32)
        self._now = now
        self._pending: dict[str, _PendingCode] = {}

    def _digest(self, recipient: str, code: str) -> bytes:
        message = f"{recipient}\x00{code}".encode()
        return hmac.new(self._key, message, hashlib.sha256).digest()

    def remember(self, recipient: str, code: str, expires_at: datetime) -> None:
        """Keep a code until ``expires_at`` (a held code: from when it was asked for)."""
        self._forget_expired()
        self._pending[recipient] = _PendingCode(
            self._digest(recipient, code), expires_at
        )

    def awaits(self, recipient: str) -> bool:
        """Whether a code that has not expired waits for this recipient."""
        pending = self._pending.get(recipient)
        return pending is not None and self._now() < pending.expires_at

    def holds(self, recipient: str) -> bool:
        """Whether a code was sent to this recipient and not used up or voided."""
        return recipient in self._pending

    def verify(self, recipient: str, code: str) -> OtpVerdict:
        """Check a code once; a right code is used up."""
        pending = self._pending.get(recipient)
        if pending is None:
            return OtpVerdict.NO_CODE
        if self._now() >= pending.expires_at:
            del self._pending[recipient]
            return OtpVerdict.EXPIRED
        pending.attempts += 1
        if hmac.compare_digest(pending.digest, self._digest(recipient, code.strip())):
            del self._pending[recipient]
            return OtpVerdict.VALID
        if pending.attempts >= MAX_ATTEMPTS:
            del self._pending[recipient]
            return OtpVerdict.TOO_MANY_ATTEMPTS
        return OtpVerdict.WRONG_CODE

    def _forget_expired(self) -> None:
        now = self._now()
        for recipient in [r for r, p in self._pending.items() if now >= p.expires_at]:
            del self._pending[recipient]
