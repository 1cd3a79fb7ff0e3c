"""Time as the emulator sees it, injectable so tests never sleep.

Lockouts, the per-minute limit, delivery delays and scheduled messages all read
the emulator's clock; a test passes a :class:`ManualClock` and advances it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

Clock = Callable[[], datetime]
"""Returns the current time as an aware datetime."""


def system_clock() -> datetime:
    """The real current time (UTC)."""
    return datetime.now(UTC)


class ManualClock:
    """A clock that only moves when told to."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2025, 1, 15, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        """The current (manual) time."""
        return self.now

    def advance(self, seconds: float) -> datetime:
        """Move forward and return the new time."""
        self.now += timedelta(seconds=seconds)
        return self.now


def _zone(name: str) -> tzinfo:
    """Both provider zones are a fixed UTC+3; fall back to that without tzdata."""
    try:
        return ZoneInfo(name)
    except ZoneInfoNotFoundError:  # pragma: no cover - depends on the host
        return timezone(timedelta(hours=3), name)


TURKEY_TZ = _zone("Europe/Istanbul")
RIYADH_TZ = _zone("Asia/Riyadh")
