"""What happened to a send: one message's status, and a group's report.

Both need status queries enabled for the key (TS-1063) and name a message or
a report of the key's own account (TS-1033 otherwise); both settle what is due
first (:mod:`.progress`). ``/rapor/*`` also take a single message's ``sms_id``
as ``raporid``: a report of one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

from sms_emulator.clock import TURKEY_TZ
from sms_emulator.seed import TurkeyAccount
from sms_emulator.state import EmulatorState, SentMessage, TurkeyReport
from sms_emulator.status import MessageStatus
from sms_emulator.wire import Reply

from .auth import authenticate
from .codes import TurkeyError
from .numbers import is_local, operator
from .progress import settle
from .request import Endpoint, TurkeyRequest

STATUS_TEXTS: Final = {
    MessageStatus.DELIVERED: "Number received the message",
    MessageStatus.NOT_RECEIVED: "Number did not receive the message",
    MessageStatus.PENDING: "Number out of coverage, not received yet",
}

INVALID_NUMBER_STATUS: Final = "Invalid number"
"""``sms_status`` of a report row for a number that was not sent to."""


def status(request: TurkeyRequest) -> Reply:
    """``sms_durumu.php?sms_id=…``: one message."""
    account = _querying_account(request)
    sms_id = request.params.scalar("sms_id")
    message = request.state.message(sms_id) if sms_id else None
    if message is None or message.account != account.user_id:
        raise TurkeyError("TS-1033")
    settle(request.state, request.now, [message])
    local = _local_time(message.submitted_at)
    payload = {
        "result": True,
        "sender_id": message.sender,
        "date_of_sending": local.strftime("%Y-%m-%d"),
        "time_of_sending": local.strftime("%H:%M:%S"),
        "sms_status": STATUS_TEXTS[message.status],
        "sms_status_code": message.status,
        "sms_balance": (
            f"{message.charged} SMS"
            if message.charge_unit == "sms"
            else f"{message.charged:.2f} TL"
        ),
        "operator": operator(message.number),
    }
    return Reply(payload, outcome=message.status, message_ids=(message.message_id,))


def report(request: TurkeyRequest) -> Reply:
    """``/rapor/temel``: the counts."""
    return _report(request, detailed=False)


def detailed_report(request: TurkeyRequest) -> Reply:
    """``/rapor/detayli``: the counts and a row per number."""
    return _report(request, detailed=True)


def _querying_account(request: TurkeyRequest) -> TurkeyAccount:
    account = authenticate(request)
    if not account.status_enabled:
        raise TurkeyError("TS-1063")
    return account


def _report(request: TurkeyRequest, *, detailed: bool) -> Reply:
    account = _querying_account(request)
    state = request.state
    report_id = request.params.scalar("raporid")
    found = _find_report(state, report_id) if report_id else None
    if found is None or found.account != account.user_id:
        raise TurkeyError("TS-1033")
    messages = [m for m in map(state.message, found.message_ids) if m is not None]
    settle(state, request.now, messages)
    blocked = [
        m
        for m in messages
        if m.number in state.blocked_numbers and m.status == MessageStatus.NOT_RECEIVED
    ]
    operators = [operator(m.number) for m in messages]
    local = _local_time(found.created_at)
    payload: dict[str, Any] = {
        "result": True,
        "status_code": "TS-1064",
        "report_id": found.report_id,
        "sending_date": local.strftime("%Y-%m-%d"),
        "sending_time": local.strftime("%H:%M:%S"),
        "report_status": "Report dispatched successfully.",
        "number_verification_status": (
            "Undergoing number verification."
            if any(m.status == MessageStatus.PENDING for m in messages)
            else "Number verification completed."
        ),
        "total_mobile_numbers": str(len(messages) + len(found.invalid_numbers)),
        "sms_sender_id": found.sender,
        "numbers_received": str(
            sum(m.status == MessageStatus.DELIVERED for m in messages)
        ),
        "numbers_not_received": str(
            sum(m.status == MessageStatus.NOT_RECEIVED for m in messages) - len(blocked)
        ),
        "invalid_numbers": str(len(found.invalid_numbers)),
        "blocked_numbers": str(len(blocked)),
        "turkcell_count": str(operators.count("Turkcell")),
        "turktelekom_count": str(operators.count("Turk Telekom")),
        "vodafone_count": str(operators.count("Vodafone")),
        "message_validity_duration": "1440",
    }
    if detailed:
        rows = [_message_row(message) for message in messages]
        rows += [_invalid_row(found, n) for n in found.invalid_numbers]
        payload["numbers"] = [
            {"number_id": index, **row} for index, row in enumerate(rows, start=1)
        ]
    return Reply(payload, outcome="TS-1064", message_ids=(found.report_id,))


def _message_row(message: SentMessage) -> dict[str, Any]:
    done = message.done_at
    return {
        "phone_number": (
            message.number[2:] if is_local(message.number) else message.number
        ),
        "sent_at": _stamp(message.submitted_at),
        "done_at": _stamp(done) if done else "",
        "sms_count": message.segments,
        "sms_status": STATUS_TEXTS[message.status],
        "operator": operator(message.number).upper(),
    }


def _invalid_row(found: TurkeyReport, number: str) -> dict[str, Any]:
    """A number the group named but nothing went to: no parts, no operator."""
    return {
        "phone_number": number,
        "sent_at": _stamp(found.created_at),
        "done_at": _stamp(found.created_at),
        "sms_count": 0,
        "sms_status": INVALID_NUMBER_STATUS,
        "operator": "",
    }


def _find_report(state: EmulatorState, report_id: str) -> TurkeyReport | None:
    """A group report, or a single message seen as a report of one."""
    found = state.reports.get(report_id)
    if found is None and (message := state.message(report_id)):
        found = TurkeyReport(
            report_id=message.message_id,
            account=message.account,
            sender=message.sender,
            created_at=message.submitted_at,
            message_ids=[message.message_id],
        )
    return found


def _stamp(moment: datetime) -> str:
    return _local_time(moment).strftime("%Y-%m-%d %H:%M:%S")


def _local_time(moment: datetime) -> datetime:
    return moment.astimezone(TURKEY_TZ)


ENDPOINTS: Final = (
    Endpoint("status", ("/api/v3/sms-durumu/sms_durumu.php",), "GET", status),
    Endpoint("report", ("/api/v3/rapor/temel",), "POST", report),
    Endpoint("report_detailed", ("/api/v3/rapor/detayli",), "POST", detailed_report),
)
