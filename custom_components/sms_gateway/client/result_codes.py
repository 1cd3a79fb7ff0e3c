"""Every result code of every provider, mapped once.

The codes are data: ``result_codes.json`` holds a row per documented code
(its kind, meaning, and for a refusal the reason), read once on import.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
import json
from pathlib import Path
from typing import Any, Final

from .errors import (
    AccountDisabledError,
    AuthenticationError,
    FailureReason,
    ProviderError,
    RateLimitedError,
    RejectedError,
)


class CodeKind(StrEnum):
    """What a result code means for the caller."""

    SUCCESS = "success"
    AUTHENTICATION = "authentication"
    ACCOUNT_DISABLED = "account_disabled"
    RATE_LIMITED = "rate_limited"
    LOCKED_OUT = "locked_out"
    REJECTED = "rejected"
    DELIVERY_STATE = "delivery_state"

    @property
    def refusal(self) -> bool:
        """Whether a send answered with a code of this kind did not go out."""
        return self not in _NOT_REFUSALS


_NOT_REFUSALS = frozenset({CodeKind.SUCCESS, CodeKind.DELIVERY_STATE})


@dataclass(frozen=True, slots=True)
class ResultCode:
    """One documented result code."""

    kind: CodeKind
    meaning: str
    reason: FailureReason | None
    window: float | None
    """For a rate limit: the seconds it counts over (a retry within cannot help)."""


def _load(rows: dict[str, dict[str, Any]]) -> dict[str, ResultCode]:
    """One provider's rows."""
    return {
        code: ResultCode(
            kind=CodeKind(row["kind"]),
            meaning=row["meaning"],
            reason=FailureReason(row["reason"]) if "reason" in row else None,
            window=row.get("window"),
        )
        for code, row in rows.items()
    }


RESULT_CODES: Final[dict[str, dict[str, ResultCode]]] = {
    provider: _load(rows)
    for provider, rows in json.loads(
        Path(__file__).with_name("result_codes.json").read_text(encoding="utf-8")
    ).items()
}
"""Every provider's documented codes, as the table in ``result_codes.json``."""


def describe_code(provider: str, code: str) -> ResultCode | None:
    """Look a provider's result code up."""
    return RESULT_CODES[provider].get(code)


def error_for_code(provider: str, code: str) -> ProviderError:
    """The exception that a provider's error code stands for."""
    entry = describe_code(provider, code)
    if entry is None:
        return RejectedError(
            f"{provider} answered the unknown result code {code}",
            code=code,
            reason=FailureReason.UNKNOWN,
        )
    message = f"{provider} {code}: {entry.meaning}"
    match entry.kind:
        case CodeKind.AUTHENTICATION:
            return AuthenticationError(message, code=code)
        case CodeKind.ACCOUNT_DISABLED:
            return AccountDisabledError(message, code=code)
        case CodeKind.RATE_LIMITED:
            return RateLimitedError(message, code=code, window=entry.window)
        case CodeKind.LOCKED_OUT:
            return RateLimitedError(message, code=code, retry_allowed=False)
        case CodeKind.REJECTED:
            assert entry.reason is not None  # noqa: S101 - every refusal in the table has one
            return RejectedError(message, code=code, reason=entry.reason)
    return RejectedError(
        f"{provider} {code} is not an error: {entry.meaning}",
        code=code,
        reason=FailureReason.UNKNOWN,
    )
