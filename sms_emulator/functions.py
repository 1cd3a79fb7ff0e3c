"""Names of the provider functions: used in the request log and to aim faults.

Turkey SMS functions are named after what the endpoint does; HiSMS functions are
the provider's own function keys. ``unknown`` is a request no function matched.
"""

from __future__ import annotations

from typing import Final

from .state import HISMS, TURKEY_SMS

UNKNOWN: Final = "unknown"

TURKEY_PATHS: Final = {
    "/api/v3/authenticate/login": "login",
    "/api/v3/gonder/add-content": "send_one",
    "/api/v3/get/get.php": "send_get",
    "/api/v3/gruba-gonder/post/tek-metin-gonderimi": "send_group",
    "/api/v3/gruba-gonder/post/coklu-metin-gonderimi": "send_multi",
    "/api/v3/otp/otp_get.php": "otp_get",
    "/api/v3/otp_post/sent-otp": "otp_post",
    "/api/v3/otp_post/add-content": "otp_post",
    "/api/v3/otp_post_detailed/sent-otp": "otp_detailed",
    "/api/v3/otp_post_detailed/add-content": "otp_detailed",
    "/api/v3/sms-durumu/sms_durumu.php": "status",
    "/api/v3/rapor/temel": "report",
    "/api/v3/rapor/detayli": "report_detailed",
    "/api/v3/bakiye_sorgulama/add-content": "balance",
}
"""Path (without a trailing slash) -> function name."""

TURKEY_FUNCTIONS: Final = frozenset(TURKEY_PATHS.values())
TURKEY_GET_SENDS: Final = frozenset({"send_get", "otp_get"})
"""Sends that need the key enabled for GET (TS-1062); the others need POST."""
TURKEY_GET_FUNCTIONS: Final = TURKEY_GET_SENDS | {"status"}
"""The ``.php`` scripts the document calls with GET and a query string. Every
other Turkey SMS endpoint takes POST with a JSON body."""
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
    return TURKEY_PATHS.get(path.rstrip("/"), UNKNOWN)


def turkey_method(function: str) -> str:
    """The one HTTP method a Turkey SMS endpoint answers."""
    return "GET" if function in TURKEY_GET_FUNCTIONS else "POST"


def hisms_function(query_keys: list[str]) -> str:
    """The first known function key present in the query."""
    return next((key for key in query_keys if key in HISMS_FUNCTIONS), UNKNOWN)
