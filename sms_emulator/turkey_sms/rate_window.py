"""The per-minute limit (TS-1060): messages an API key sent in any 60 seconds.

TS-1060 says "the number of messages sent in the last minute": one part to one
number is one message. A send that would take the key past
``rate_limit_per_minute`` is refused whole; refused requests count nothing.
"""

from __future__ import annotations

from collections import deque
from datetime import datetime, timedelta
from typing import Final

from sms_emulator.state import EmulatorState

WINDOW: Final = timedelta(seconds=60)


class MinuteWindow:
    """An API key's accepted sends of the last 60 s: (time, messages), oldest first."""

    def __init__(self, state: EmulatorState, api_key: str, now: datetime) -> None:
        self._now = now
        self._sends = state.send_windows.setdefault(api_key, deque())
        while self._sends and now - self._sends[0][0] >= WINDOW:
            self._sends.popleft()

    def admits(self, messages: int, limit: int) -> bool:
        """Whether ``messages`` more stay within ``limit``."""
        return sum(sent for _, sent in self._sends) + messages <= limit

    def record(self, messages: int) -> None:
        """Count an accepted send."""
        self._sends.append((self._now, messages))
