"""Turkey SMS result codes, their messages, and the error that ends a request."""

from __future__ import annotations

from typing import Any, Final

MESSAGES: Final = {
    "TS-1022": "Number did not receive the message",
    "TS-1023": "Number out of coverage, not received yet",
    "TS-1024": "The message was sent successfully",
    "TS-1025": "The mobile number is empty",
    "TS-1026": "The message text is empty",
    "TS-1027": "Insufficient balance for this sending",
    "TS-1028": "The sender ID is not active on your account",
    "TS-1029": "The sender ID does not exist, check its spelling",
    "TS-1030": "Your account is not active",
    "TS-1031": "The API key is incorrect",
    "TS-1032": "International number: the account is not enabled for international sending",
    "TS-1033": "The submitted data is invalid",
    "TS-1034": "The recipient mobile number is invalid",
    "TS-1040": "operation_success",
    "TS-1046": "operation_success",
    "TS-1050": "The API key is empty",
    "TS-1051": "The sender ID is empty",
    "TS-1052": "The sender ID is not written",
    "TS-1060": "Too many messages sent in the last minute",
    "TS-1061": "The API key is not enabled for sending with POST",
    "TS-1062": "The API key is not enabled for sending with GET",
    "TS-1063": "Message status queries are not enabled for this API key",
    "TS-1064": "Status query successful",
    "TS-1065": "Balance queries are not enabled for this API key",
    "TS-1070": "Scheduled sending: the date is missing or malformed",
    "TS-1071": "Scheduled sending: the time is missing or malformed",
    "TS-1072": "A scheduled message cannot be dated in the past",
}
"""English ``result_message`` per code (the document gives Arabic meanings)."""


class TurkeyError(Exception):
    """Ends a request with an error reply carrying ``code``."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def error_payload(code: str) -> dict[str, Any]:
    """The reply to a failed request."""
    return {
        "result": False,
        "result_code": code,
        "result_message": MESSAGES.get(code, "operation_failed"),
    }
