"""Every result code of every provider, mapped once."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

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


@dataclass(frozen=True, slots=True)
class ResultCode:
    """One documented result code."""

    kind: CodeKind
    meaning: str
    reason: FailureReason | None = None
    window: float | None = None
    """For a rate limit: the seconds it counts over (a retry within cannot help)."""


_R = FailureReason
_K = CodeKind

RESULT_CODES: Final[dict[str, dict[str, ResultCode]]] = {
    "turkey_sms": {
        "TS-1022": ResultCode(_K.DELIVERY_STATE, "number did not receive the message"),
        "TS-1023": ResultCode(_K.DELIVERY_STATE, "out of coverage, not received yet"),
        "TS-1024": ResultCode(_K.SUCCESS, "message sent"),
        "TS-1025": ResultCode(_K.REJECTED, "mobile number empty", _R.NO_NUMBERS),
        "TS-1026": ResultCode(_K.REJECTED, "text empty", _R.EMPTY_MESSAGE),
        "TS-1027": ResultCode(
            _K.REJECTED, "insufficient balance", _R.INSUFFICIENT_BALANCE
        ),
        "TS-1028": ResultCode(
            _K.REJECTED, "sender ID not active", _R.SENDER_NOT_ACTIVE
        ),
        "TS-1029": ResultCode(
            _K.REJECTED, "sender ID does not exist", _R.SENDER_UNKNOWN
        ),
        "TS-1030": ResultCode(_K.ACCOUNT_DISABLED, "account inactive"),
        "TS-1031": ResultCode(_K.AUTHENTICATION, "API key incorrect"),
        "TS-1032": ResultCode(
            _K.REJECTED,
            "international number, account not enabled for international",
            _R.INTERNATIONAL_NOT_ENABLED,
        ),
        "TS-1033": ResultCode(
            _K.REJECTED, "submitted data invalid", _R.INVALID_REQUEST
        ),
        "TS-1034": ResultCode(
            _K.REJECTED, "recipient number invalid", _R.INVALID_NUMBER
        ),
        "TS-1040": ResultCode(_K.SUCCESS, "balance query OK"),
        "TS-1046": ResultCode(_K.SUCCESS, "authentication OK"),
        "TS-1050": ResultCode(_K.AUTHENTICATION, "API key empty"),
        "TS-1051": ResultCode(_K.REJECTED, "sender ID empty", _R.SENDER_MISSING),
        "TS-1052": ResultCode(_K.REJECTED, "sender ID not written", _R.SENDER_MISSING),
        "TS-1060": ResultCode(
            _K.RATE_LIMITED, "too many messages in the last minute", window=60.0
        ),
        "TS-1061": ResultCode(
            _K.REJECTED, "API key not enabled for POST", _R.NOT_PERMITTED
        ),
        "TS-1062": ResultCode(
            _K.REJECTED, "API key not enabled for GET", _R.NOT_PERMITTED
        ),
        "TS-1063": ResultCode(
            _K.REJECTED, "status query not enabled for this key", _R.NOT_PERMITTED
        ),
        "TS-1064": ResultCode(_K.SUCCESS, "status query OK"),
        "TS-1065": ResultCode(
            _K.REJECTED, "balance query not enabled for this key", _R.NOT_PERMITTED
        ),
        "TS-1070": ResultCode(
            _K.REJECTED, "scheduled: date missing or malformed", _R.INVALID_DATE
        ),
        "TS-1071": ResultCode(
            _K.REJECTED, "scheduled: time missing or malformed", _R.INVALID_TIME
        ),
        "TS-1072": ResultCode(
            _K.REJECTED, "scheduled date/time in the past", _R.DATE_IN_PAST
        ),
    },
    "hisms": {
        "1": ResultCode(_K.AUTHENTICATION, "username incorrect"),
        "2": ResultCode(_K.AUTHENTICATION, "password incorrect"),
        "3": ResultCode(_K.SUCCESS, "success"),
        "4": ResultCode(_K.REJECTED, "no numbers", _R.NO_NUMBERS),
        "5": ResultCode(_K.REJECTED, "no message", _R.EMPTY_MESSAGE),
        "6": ResultCode(_K.REJECTED, "sender wrong", _R.SENDER_UNKNOWN),
        "7": ResultCode(_K.REJECTED, "sender not activated", _R.SENDER_NOT_ACTIVE),
        "8": ResultCode(
            _K.REJECTED, "message contains a forbidden word", _R.FORBIDDEN_WORD
        ),
        "9": ResultCode(_K.REJECTED, "no credit", _R.INSUFFICIENT_BALANCE),
        "10": ResultCode(_K.REJECTED, "wrong date format", _R.INVALID_DATE),
        "11": ResultCode(_K.REJECTED, "wrong time format", _R.INVALID_TIME),
        "402": ResultCode(
            _K.REJECTED, "not all required parameters entered", _R.MISSING_PARAMETERS
        ),
        "403": ResultCode(_K.LOCKED_OUT, "number of allowed attempts exceeded"),
        "404": ResultCode(
            _K.REJECTED, "not all required parameters entered", _R.MISSING_PARAMETERS
        ),
        "504": ResultCode(_K.ACCOUNT_DISABLED, "account disabled"),
    },
}


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
            assert entry.reason is not None  # noqa: S101 - the table guarantees it
            return RejectedError(message, code=code, reason=entry.reason)
    return RejectedError(
        f"{provider} {code} is not an error: {entry.meaning}",
        code=code,
        reason=FailureReason.UNKNOWN,
    )
