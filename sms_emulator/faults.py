"""Injected failures: what goes wrong, on which requests, how often.

A fault matches requests by provider and function, lets the first ``after``
matches through, then fires on ``times`` matches (``None``: until cleared).
Faults either replace the answer and leave the request unprocessed (nothing sent,
nothing charged) or spoil the answer of a request that *was* processed, which is
how a client meets the "outcome unknown" case.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any, Final

from .functions import FUNCTIONS
from .state import PROVIDERS

LATENCY: Final = "latency"
HTTP_STATUS: Final = "http_status"
HTML_ERROR: Final = "html_error"
MALFORMED_JSON: Final = "malformed_json"
BOM: Final = "bom"
RATE_LIMITED: Final = "rate_limited"
DROP_BEFORE: Final = "drop_before"
DROP_AFTER: Final = "drop_after"
HANG_BEFORE: Final = "hang_before"
HANG_AFTER: Final = "hang_after"
RESULT_CODE: Final = "result_code"

BEFORE_KINDS: Final = frozenset(
    {HTTP_STATUS, HTML_ERROR, RATE_LIMITED, DROP_BEFORE, HANG_BEFORE, RESULT_CODE}
)
"""Answered instead of the provider: the request is not processed."""
AFTER_KINDS: Final = frozenset({MALFORMED_JSON, BOM, DROP_AFTER, HANG_AFTER})
"""The request is processed (sent, charged), then the answer is spoiled."""
FAULT_KINDS: Final = frozenset({LATENCY}) | BEFORE_KINDS | AFTER_KINDS

_PARAMS: Final[dict[str, dict[str, Any]]] = {
    LATENCY: {"seconds": 1.0},
    HTTP_STATUS: {"status": 500},
    HTML_ERROR: {"status": 200},
    MALFORMED_JSON: {},
    BOM: {},
    RATE_LIMITED: {"retry_after": None},
    DROP_BEFORE: {},
    DROP_AFTER: {},
    HANG_BEFORE: {"seconds": 30.0},
    HANG_AFTER: {"seconds": 30.0},
    RESULT_CODE: {"code": None},
}
"""Parameters each kind accepts, with their defaults (None: none / required)."""


@dataclass(init=False, repr=False, eq=False)
class Fault:
    """One injected failure; see the module docstring for matching.

    Its fields, in order, are its JSON form for the admin endpoint.
    """

    id: int | None
    """Set when a :class:`FaultSet` activates it."""
    kind: str
    provider: str | None
    function: str | None
    times: int | None
    after: int
    params: dict[str, Any]
    matched: int
    """Requests this fault matched, fired or not."""
    applied: int
    """Requests this fault fired on."""

    def __init__(
        self,
        kind: str,
        *,
        provider: str | None = None,
        function: str | None = None,
        times: int | None = None,
        after: int = 0,
        **params: Any,
    ) -> None:
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}")
        if provider is not None and provider not in PROVIDERS:
            raise ValueError(f"unknown provider {provider!r}")
        known = (
            FUNCTIONS[provider] if provider else frozenset().union(*FUNCTIONS.values())
        )
        if function is not None and function not in known:
            raise ValueError(f"unknown function {function!r}")
        if times is not None and (not isinstance(times, int) or times < 0):
            raise ValueError("times must be a non-negative integer or None")
        if not isinstance(after, int) or after < 0:
            raise ValueError("after must be a non-negative integer")
        self.id = None
        self.kind = kind
        self.provider = provider
        self.function = function
        self.times = times
        self.after = after
        self.params = _validate_params(kind, params)
        self.matched = 0
        self.applied = 0

    def __repr__(self) -> str:
        return (
            f"Fault({self.kind!r}, provider={self.provider!r}, "
            f"function={self.function!r}, times={self.times!r}, "
            f"after={self.after!r}, params={self.params!r})"
        )

    @property
    def exhausted(self) -> bool:
        """Fired ``times`` times already."""
        return self.times is not None and self.applied >= self.times

    def matches(self, provider: str, function: str) -> bool:
        """Whether a request of this provider and function is a target."""
        return (self.provider in (None, provider)) and (
            self.function in (None, function)
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON form for the admin endpoint: the fields, ``params`` copied."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Any) -> Fault:
        """Build from JSON: extra keys, and those under ``params``, are params."""
        if not isinstance(data, dict) or not isinstance(data.get("kind"), str):
            raise TypeError("a fault needs a 'kind'")
        data = dict(data)
        nested = data.pop("params", None) or {}
        if not isinstance(nested, dict):
            raise TypeError("params must be an object")
        for ignored in ("id", "matched", "applied"):
            data.pop(ignored, None)
        kind = data.pop("kind")
        provider = data.pop("provider", None)
        function = data.pop("function", None)
        times = data.pop("times", None)
        after = data.pop("after", 0)
        return cls(
            kind,
            provider=provider,
            function=function,
            times=times,
            after=after,
            **{**data, **nested},
        )


def _validate_params(kind: str, params: dict[str, Any]) -> dict[str, Any]:
    allowed = _PARAMS[kind]
    unknown = sorted(set(params) - set(allowed))
    if unknown:
        raise ValueError(f"{kind}: unknown parameters {unknown}")
    result = {**allowed, **params}
    if "seconds" in result:
        seconds = result["seconds"]
        if isinstance(seconds, bool) or not isinstance(seconds, int | float):
            raise ValueError(f"{kind}: seconds must be a number")
        if seconds < 0:
            raise ValueError(f"{kind}: seconds must not be negative")
        result["seconds"] = float(seconds)
    if "status" in result:
        status = result["status"]
        if isinstance(status, bool) or not isinstance(status, int):
            raise ValueError(f"{kind}: status must be an HTTP status code")
        if not 200 <= status <= 599:
            raise ValueError(f"{kind}: status must be an HTTP status code")
    if kind == RATE_LIMITED and result["retry_after"] is not None:
        result["retry_after"] = str(result["retry_after"])
    if kind == RESULT_CODE:
        code = result["code"]
        if isinstance(code, int) and not isinstance(code, bool):
            code = str(code)
        if not isinstance(code, str) or not code:
            raise ValueError("result_code: code is required")
        result["code"] = code
    return result


@dataclass(frozen=True)
class FaultPlan:
    """What the faults decided for one request."""

    latency: float = 0.0
    action: Fault | None = None
    """The fault that shapes the answer; the first one eligible wins."""
    names: tuple[str, ...] = ()
    """Every fault kind that fired, latency included."""


class FaultSet:
    """The active faults, in the order they were added."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._next_id = 1

    def __iter__(self) -> Iterator[Fault]:
        return iter(list(self._faults))

    def __len__(self) -> int:
        return len(self._faults)

    def add(self, fault: Fault) -> Fault:
        """Activate a fault; returns it (with its id set)."""
        fault.id = self._next_id
        self._next_id += 1
        self._faults.append(fault)
        return fault

    def remove(self, fault_id: int) -> bool:
        """Remove one fault by id; False when there is none."""
        before = len(self._faults)
        self._faults = [f for f in self._faults if f.id != fault_id]
        return len(self._faults) != before

    def clear(self) -> int:
        """Remove every fault; returns how many there were."""
        count = len(self._faults)
        self._faults.clear()
        return count

    def plan(self, provider: str, function: str) -> FaultPlan:
        """Count a request against every fault and decide which fire.

        Latency faults add up. Of the other faults the first eligible one fires;
        later eligible ones are left unconsumed for the next request.
        """
        latency = 0.0
        action: Fault | None = None
        names: list[str] = []
        for fault in self._faults:
            if not fault.matches(provider, function):
                continue
            fault.matched += 1
            if fault.matched <= fault.after or fault.exhausted:
                continue
            if fault.kind == LATENCY:
                latency += float(fault.params["seconds"])
            elif action is None:
                action = fault
            else:
                continue
            fault.applied += 1
            names.append(fault.kind)
        return FaultPlan(latency=latency, action=action, names=tuple(names))
