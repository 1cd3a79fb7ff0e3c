"""The four send endpoints: one number (POST or GET), a group, a text each.

Fields are read in the order each endpoint reads them: mobile (TS-1025), text
(TS-1026), sender, language, then the recipients are checked and charged
(:mod:`.charging`). A group send with some invalid numbers goes to the valid
ones; its report lists the others.
"""

from __future__ import annotations

from typing import Any, Final

from sms_emulator.seed import TurkeyAccount
from sms_emulator.segments import LANGUAGE_NAMES
from sms_emulator.state import TurkeyReport
from sms_emulator.wire import Reply

from .auth import sender, sending_account
from .charging import charge_and_record, price_recipients
from .codes import MESSAGES, TurkeyError
from .numbers import country
from .request import Endpoint, TurkeyRequest


def send_one(request: TurkeyRequest) -> Reply:
    """``/gonder/add-content``: JSON ``sentto`` and ``sms_lang``."""
    return _send_to_one(request, "sentto", "sms_lang")


def send_get(request: TurkeyRequest) -> Reply:
    """``/get/get.php``: the query's ``mobile`` and ``lang``."""
    return _send_to_one(request, "mobile", "lang")


def _send_to_one(
    request: TurkeyRequest, number_field: str, language_field: str
) -> Reply:
    account = sending_account(request)
    number = request.required(number_field, "TS-1025")
    text = request.required("text", "TS-1026")
    title = sender(request, account)
    language = request.language(language_field)
    payload, message_id = send_single(request, account, title, number, text, language)
    return sent_reply(request, payload, message_id)


def send_group(request: TurkeyRequest) -> Reply:
    """One text to every number of ``sentto``."""
    account = sending_account(request)
    numbers = request.required_array("sentto", "TS-1025")
    text = request.required("text", "TS-1026")
    title = sender(request, account)
    language = request.language("sms_lang")
    return _send_to_group(
        request, account, title, [(n, text) for n in numbers], language
    )


def send_multi(request: TurkeyRequest) -> Reply:
    """Text *i* to number *i*; the two arrays must be as long (TS-1033)."""
    account = sending_account(request)
    numbers = request.required_array("sentto", "TS-1025")
    texts = request.required_array("text", "TS-1026")
    if any(not text.strip() for text in texts):
        raise TurkeyError("TS-1026")
    title = sender(request, account)
    if len(texts) != len(numbers):
        raise TurkeyError("TS-1033")
    language = request.language("sms_lang")
    return _send_to_group(
        request, account, title, list(zip(numbers, texts, strict=True)), language
    )


def send_single(
    request: TurkeyRequest,
    account: TurkeyAccount,
    title: str,
    number: str,
    text: str,
    language: int | None,
    otp_code: str | None = None,
) -> tuple[dict[str, Any], str]:
    """Send one text to one number: the reply's fields and the ``sms_id``."""
    recipients, _ = price_recipients(request, account, [(number, text)], language)
    (message,) = charge_and_record(request, account, title, recipients, None, otp_code)
    cost = recipients[0].cost
    payload: dict[str, Any] = {"result": True}
    if otp_code is not None:
        payload["otp_code"] = otp_code
    payload |= {
        "sms_id": message.message_id,
        "number_of_sms": cost.segments,
        "result_code": "TS-1024",
        "result_message": MESSAGES["TS-1024"],
        "sms_lang": LANGUAGE_NAMES[cost.language_code],
        "country": country(number),
    }
    return payload, message.message_id


def sent_reply(request: TurkeyRequest, payload: dict[str, Any], sent_id: str) -> Reply:
    """The answer to an accepted send (shortened when ``report=0``)."""
    return Reply(request.short(payload), outcome="TS-1024", message_ids=(sent_id,))


def _send_to_group(
    request: TurkeyRequest,
    account: TurkeyAccount,
    title: str,
    pairs: list[tuple[str, str]],
    language: int | None,
) -> Reply:
    recipients, invalid = price_recipients(request, account, pairs, language)
    state = request.state
    report_id = state.new_report_id()
    messages = charge_and_record(request, account, title, recipients, report_id, None)
    state.reports[report_id] = TurkeyReport(
        report_id=report_id,
        account=account.user_id,
        sender=title,
        created_at=request.now,
        message_ids=[m.message_id for m in messages],
        invalid_numbers=invalid,
    )
    first = recipients[0].cost
    payload = {
        "result": True,
        "rapor_id": report_id,
        "total_mobile_num": len(messages),
        "number_of_sms": max(r.cost.segments for r in recipients),
        "result_code": "TS-1024",
        "result_message": MESSAGES["TS-1024"],
        "sms_lang": LANGUAGE_NAMES[first.language_code],
        "country": country(recipients[0].number),
    }
    return sent_reply(request, payload, report_id)


ENDPOINTS: Final = (
    Endpoint("send_one", ("/api/v3/gonder/add-content",), "POST", send_one),
    Endpoint("send_get", ("/api/v3/get/get.php",), "GET", send_get, "mobile"),
    Endpoint(
        "send_group",
        ("/api/v3/gruba-gonder/post/tek-metin-gonderimi",),
        "POST",
        send_group,
    ),
    Endpoint(
        "send_multi",
        ("/api/v3/gruba-gonder/post/coklu-metin-gonderimi",),
        "POST",
        send_multi,
    ),
)
