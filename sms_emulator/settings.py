"""Run-time switches: how the emulated services behave, not what they hold.

Settings are not part of the seed: :meth:`Emulator.reset` keeps them. The
Python API, the command line and ``/_emulator/settings`` all change the same
object, validated the same way.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any, Final

from .wire import JSON_CONTENT_TYPE, RESULT_STYLES

ACCEPT_VALID: Final = "accept_valid"
REJECT_GROUP: Final = "reject_group"
DEFAULT_RATE_LIMIT: Final = 60_000
"""Messages per minute: no document gives the real figure, so the default stays
out of the way of ordinary bulk sends (1,000 a second); tests of TS-1060 set a
low one."""
INVALID_NUMBER_POLICIES: Final = (ACCEPT_VALID, REJECT_GROUP)
"""Turkey SMS group sends with some invalid numbers: send to the valid ones and
count the rest as ``invalid_numbers`` in the report, or refuse the whole
request with TS-1034. The document supports both readings (SPEC §5)."""


@dataclass
class Settings:
    """Switches that tests, benchmarks and the dev server turn."""

    result_style: str = "bool"
    rate_limit_per_minute: int = DEFAULT_RATE_LIMIT
    """Turkey SMS messages (numbers × parts) per API key in any 60 s."""
    latency: float = 0.0
    """Seconds added before every provider request (benchmarks)."""
    json_content_type: str = JSON_CONTENT_TYPE
    """Content-Type of Turkey SMS JSON replies (PHP scripts often send text/html)."""
    invalid_group_numbers: str = ACCEPT_VALID
    """:data:`ACCEPT_VALID` or :data:`REJECT_GROUP`."""

    def update(self, data: dict[str, Any]) -> None:
        """Validate and apply a partial update; raises ValueError."""
        unknown = sorted(set(data) - set(self.__dataclass_fields__))
        if unknown:
            raise ValueError(f"unknown settings {unknown}")
        merged = replace(self, **data)
        merged.validate()
        self.__dict__.update(merged.__dict__)

    def validate(self) -> None:
        """Raise ValueError on an impossible value."""
        if self.result_style not in RESULT_STYLES:
            raise ValueError(f"result_style must be one of {RESULT_STYLES}")
        rate = self.rate_limit_per_minute
        if isinstance(rate, bool) or not isinstance(rate, int) or rate < 0:
            raise ValueError("rate_limit_per_minute must be a non-negative integer")
        latency = self.latency
        if isinstance(latency, bool) or not isinstance(latency, int | float):
            raise TypeError("latency must be a number of seconds")
        if latency < 0:
            raise ValueError("latency must not be negative")
        if not isinstance(self.json_content_type, str) or not self.json_content_type:
            raise ValueError("json_content_type must be a non-empty string")
        if self.invalid_group_numbers not in INVALID_NUMBER_POLICIES:
            raise ValueError(
                f"invalid_group_numbers must be one of {INVALID_NUMBER_POLICIES}"
            )

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return asdict(self)


class SettingShortcut[T]:
    """An attribute that stands for ``owner.settings.<its name>``.

    Writes go through :meth:`Settings.update`, so a bad value raises at once.
    """

    name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: type | None = None) -> T:
        value: T = getattr(instance.settings, self.name)
        return value

    def __set__(self, instance: Any, value: T) -> None:
        instance.settings.update({self.name: value})
