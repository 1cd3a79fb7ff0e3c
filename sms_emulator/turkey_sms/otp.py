"""One-time passcodes: the emulator makes the code and sends it as one text.

The plain OTP endpoints (GET ``otp_get.php``, POST ``otp_post``) send a text
in the ``lang`` of the request from the account's first active sender (``OTP``
if none). The detailed one takes the sender and the text: ``TS-L`` becomes a
line break and ``TS_CODE`` the code; a text without ``TS_CODE`` gets the code
appended. ``digits`` is 4, 5 or 6 (6 when absent).
"""

from __future__ import annotations

import secrets
from typing import Final

from sms_emulator.wire import Reply

from .auth import sender, sending_account
from .request import Endpoint, TurkeyRequest
from .sends import send_single, sent_reply

OTP_TEXTS: Final = {
    0: "Your verification code is {code}",
    1: "Doğrulama kodunuz: {code}",
    2: "رمز التحقق الخاص بك هو {code}",
}
"""The text of a plain OTP, by the ``lang`` parameter."""

DIGITS: Final = ("4", "5", "6")
DEFAULT_OTP_DIGITS: Final = 6
"""Used when ``digits`` is absent (the document does not say)."""


def plain_otp(request: TurkeyRequest) -> Reply:
    """A code in the provider's own words, from the first active sender."""
    account = sending_account(request)
    number = request.required("mobile", "TS-1025")
    code = _new_code(request)
    language = request.language("lang")
    text = OTP_TEXTS[language or 0].format(code=code)
    title = next((n for n, s in account.senders.items() if s == "active"), "OTP")
    payload, message_id = send_single(
        request, account, title, number, text, language, code
    )
    return sent_reply(request, payload, message_id)


def detailed_otp(request: TurkeyRequest) -> Reply:
    """A code in the caller's text (``text`` or ``sms_text``), from its sender."""
    account = sending_account(request)
    number = request.required("mobile", "TS-1025")
    name = "text" if request.params.scalar("text") else "sms_text"
    template = request.required(name, "TS-1026")
    title = sender(request, account)
    code = _new_code(request)
    language = request.language("lang")
    text = template.replace("TS-L", "\n")
    text = text.replace("TS_CODE", code) if "TS_CODE" in text else f"{text} {code}"
    payload, message_id = send_single(
        request, account, title, number, text, language, code
    )
    # The detailed reply words its message its own way and ends with the country.
    payload["result_message"] = "the_SMS_has_been_sent_successfully"
    payload["content_type"] = "High_quality"
    payload["country"] = payload.pop("country")
    return sent_reply(request, payload, message_id)


def _new_code(request: TurkeyRequest) -> str:
    """A random code of the requested number of digits."""
    digits = request.params.choice("digits", DIGITS)
    length = DEFAULT_OTP_DIGITS if digits is None else int(digits)
    return "".join(secrets.choice("0123456789") for _ in range(length))


ENDPOINTS: Final = (
    Endpoint("otp_get", ("/api/v3/otp/otp_get.php",), "GET", plain_otp, "mobile"),
    Endpoint(
        "otp_post",
        ("/api/v3/otp_post/sent-otp", "/api/v3/otp_post/add-content"),
        "POST",
        plain_otp,
        "mobile",
    ),
    Endpoint(
        "otp_detailed",
        (
            "/api/v3/otp_post_detailed/sent-otp",
            "/api/v3/otp_post_detailed/add-content",
        ),
        "POST",
        detailed_otp,
        "mobile",
    ),
)
