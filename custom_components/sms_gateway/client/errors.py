"""One exception hierarchy for every provider.

The split that matters most is between a request that never reached the
provider (safe to send again) and one whose outcome is unknown (it may have
been delivered: sending again could deliver it twice).
"""

from __future__ import annotations

from enum import StrEnum


class FailureReason(StrEnum):
    """Why a request failed: every error of this package carries one.

    The integration maps each reason to a translated message in one table.
    """

    CANNOT_CONNECT = "cannot_connect"
    OUTCOME_UNKNOWN = "outcome_unknown"
    INVALID_RESPONSE = "invalid_response"
    NOT_SUPPORTED = "not_supported"
    AUTHENTICATION_FAILED = "authentication_failed"
    ACCOUNT_DISABLED = "account_disabled"
    RATE_LIMITED = "rate_limited"
    LOCKED_OUT = "locked_out"
    CANCELLED = "cancelled"
    """A bulk send was cancelled before this request had an answer."""
    STOPPED = "stopped"
    """A bulk send stopped before this request: an earlier one failed for good."""
    NO_NUMBERS = "no_numbers"
    EMPTY_MESSAGE = "empty_message"
    INVALID_NUMBER = "invalid_number"
    INSUFFICIENT_BALANCE = "insufficient_balance"
    SENDER_NOT_ACTIVE = "sender_not_active"
    SENDER_UNKNOWN = "sender_unknown"
    SENDER_MISSING = "sender_missing"
    FORBIDDEN_WORD = "forbidden_word"
    INTERNATIONAL_NOT_ENABLED = "international_not_enabled"
    NOT_PERMITTED = "not_permitted"
    INVALID_REQUEST = "invalid_request"
    MISSING_PARAMETERS = "missing_parameters"
    INVALID_DATE = "invalid_date"
    INVALID_TIME = "invalid_time"
    DATE_IN_PAST = "date_in_past"
    UNKNOWN = "unknown"

    @property
    def affects_every_request(self) -> bool:
        """Whether the next request of a batch would be refused for the same cause."""
        return self in _ACCOUNT_WIDE_REASONS

    @property
    def passes(self) -> bool:
        """Whether a message refused for this reason may go out if tried later.

        The request certainly was not processed, and the cause lifts by itself:
        the provider or the network comes back, a rate limit or lockout ends.
        """
        return self in _PASSING_REASONS

    @property
    def concerns_the_account(self) -> bool:
        """Whether another account could send what this one could not.

        The cause lies with this account, not with the number or the text.
        """
        return self in _ACCOUNT_REASONS


_PASSING_REASONS = frozenset(
    {
        FailureReason.CANNOT_CONNECT,
        FailureReason.RATE_LIMITED,
        FailureReason.LOCKED_OUT,
    }
)

_ACCOUNT_REASONS = frozenset(
    {
        FailureReason.INSUFFICIENT_BALANCE,
        FailureReason.AUTHENTICATION_FAILED,
        FailureReason.ACCOUNT_DISABLED,
        FailureReason.LOCKED_OUT,
        FailureReason.SENDER_NOT_ACTIVE,
        FailureReason.SENDER_UNKNOWN,
        FailureReason.SENDER_MISSING,
        FailureReason.NOT_PERMITTED,
    }
)

_ACCOUNT_WIDE_REASONS = frozenset(
    {
        FailureReason.INSUFFICIENT_BALANCE,
        FailureReason.SENDER_NOT_ACTIVE,
        FailureReason.SENDER_UNKNOWN,
        FailureReason.SENDER_MISSING,
        FailureReason.NOT_PERMITTED,
        FailureReason.FORBIDDEN_WORD,
        FailureReason.EMPTY_MESSAGE,
    }
)


class SmsGatewayError(Exception):
    """Base class of every error raised by the client package."""

    reason: FailureReason = FailureReason.UNKNOWN


class SmsGatewayConnectionError(SmsGatewayError):
    """The provider could not be reached: the request was not processed.

    Safe to retry, also for a send.
    """

    reason = FailureReason.CANNOT_CONNECT

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class OutcomeUnknownError(SmsGatewayError):
    """A send went out but no usable answer came back.

    The message may have been delivered. Never retried automatically.
    """

    reason = FailureReason.OUTCOME_UNKNOWN


class InvalidResponseError(SmsGatewayError):
    """The provider answered something that cannot be understood."""

    reason = FailureReason.INVALID_RESPONSE

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class UnsupportedFeatureError(SmsGatewayError):
    """The provider has no such function."""

    reason = FailureReason.NOT_SUPPORTED


class ProviderError(SmsGatewayError):
    """The provider understood the request and answered with an error code."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


class AuthenticationError(ProviderError):
    """The credentials were refused: the user must enter new ones."""

    reason = FailureReason.AUTHENTICATION_FAILED


class AccountDisabledError(AuthenticationError):
    """The credentials are right but the account is inactive or disabled."""

    reason = FailureReason.ACCOUNT_DISABLED


class RateLimitedError(ProviderError):
    """The provider refused the request because of its rate limits.

    Nothing was processed. ``retry_allowed`` is false where retrying makes it
    worse (HiSMS locks the account after repeated attempts). ``window`` is set
    where the limit counts over a known span (Turkey SMS TS-1060: messages in
    the last minute), so that a quick retry cannot succeed.
    """

    def __init__(
        self,
        message: str,
        *,
        code: str,
        retry_after: float | None = None,
        retry_allowed: bool = True,
        window: float | None = None,
    ) -> None:
        super().__init__(message, code=code)
        self.retry_after = retry_after
        self.retry_allowed = retry_allowed
        self.window = window
        self.reason = (
            FailureReason.RATE_LIMITED if retry_allowed else FailureReason.LOCKED_OUT
        )


class RejectedError(ProviderError):
    """The provider refused the request: nothing was sent."""

    def __init__(self, message: str, *, code: str, reason: FailureReason) -> None:
        super().__init__(message, code=code)
        self.reason = reason
