"""Names of the provider functions: used in the request log and to aim faults.

Turkey SMS functions are named after what the endpoint does; HiSMS functions are
the provider's own function keys. ``unknown`` is a request no function matched.
"""

from __future__ import annotations

from typing import Final

from .state import HISMS, TURKEY_SMS
from .turkey_sms.endpoints import BY_NAME, BY_PATH

UNKNOWN: Final = "unknown"

TURKEY_FUNCTIONS: Final = frozenset(BY_NAME)
"""Each Turkey SMS endpoint's name (the table is :mod:`.turkey_sms.endpoints`)."""

HISMS_METHODS: Final = ("GET", "POST")
"""``api.php`` reads ``$_REQUEST``: a query string, or form fields posted to it."""

HISMS_FUNCTIONS: Final = (
    "send_sms",
    "get_balance",
    "schedule_sms_count",
    "delete_schedule_sms",
    "change_pass",
    "forgot_password",
)

FUNCTIONS: Final = {
    TURKEY_SMS: TURKEY_FUNCTIONS | {UNKNOWN},
    HISMS: frozenset(HISMS_FUNCTIONS) | {UNKNOWN},
}


def turkey_function(path: str) -> str:
    """The Turkey SMS function a path selects; trailing slashes do not matter."""
    endpoint = BY_PATH.get(path.rstrip("/"))
    return endpoint.name if endpoint else UNKNOWN


def turkey_method(function: str) -> str:
    """The one HTTP method a Turkey SMS endpoint answers."""
    endpoint = BY_NAME.get(function)
    return endpoint.method if endpoint else "POST"


def hisms_function(query_keys: list[str]) -> str:
    """The first known function key present in the query."""
    return next((key for key in query_keys if key in HISMS_FUNCTIONS), UNKNOWN)
