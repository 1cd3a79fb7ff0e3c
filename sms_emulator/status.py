"""The status of an accepted message, as the emulator keeps and shows it.

Turkey SMS messages carry the provider's own codes, HiSMS messages a word. A
:class:`MessageStatus` is a string, so JSON answers and comparisons with plain
strings see the code itself.
"""

from __future__ import annotations

from enum import StrEnum


class MessageStatus(StrEnum):
    """Where an accepted message stands."""

    PENDING = "TS-1023"
    """Turkey SMS: accepted, not received yet (out of coverage)."""
    DELIVERED = "TS-1024"
    """Turkey SMS: the number received it."""
    NOT_RECEIVED = "TS-1022"
    """Turkey SMS: the number did not receive it."""
    SENT = "sent"
    """HiSMS: handed on for delivery."""
    SCHEDULED = "scheduled"
    """HiSMS: waiting for its time."""
    DELETED = "deleted"
    """HiSMS: a scheduled message deleted before its time."""
