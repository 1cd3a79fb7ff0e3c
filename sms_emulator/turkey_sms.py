"""Turkey SMS API v3: every endpoint of SPEC §2, answered from the state.

Checks run in one fixed order so each result code is reachable on purpose:
API key (TS-1050, TS-1031, TS-1030), then for sends the key's channel
(TS-1061 POST / TS-1062 GET), then the request's own fields in the order the
endpoint reads them: mobile (TS-1025), text (TS-1026), sender (TS-1051 absent
or ``""``, TS-1052 only whitespace, TS-1029 unknown, TS-1028 inactive), shape
(TS-1033), each number (TS-1034), international permission (TS-1032), the
per-minute limit (TS-1060) and finally the balance for the whole request
(TS-1027: nothing is sent). A request that is rejected sends nothing.

The per-minute limit counts messages, as TS-1060 says ("the number of messages
sent in the last minute"): one part to one number is one message. A send whose
messages would take the API key past ``rate_limit_per_minute`` within 60 s is
refused whole.

A group send with some invalid numbers is sent to the valid ones; the report
counts the others as ``invalid_numbers`` and lists them. The
``reject_group`` setting refuses such a request whole with TS-1034 instead. A
single-number send with an invalid number is always TS-1034.

TS-1070..TS-1072 (scheduled sending) are never produced: the provider documents
the codes but no scheduling parameter, so there is nothing to validate. Inject
them with a ``result_code`` fault when a client's handling needs testing.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
import json
import re
import secrets
from typing import Any, Final

from .clock import TURKEY_TZ
from .delivery import DeliveryStep, scripted_status
from .functions import TURKEY_FUNCTIONS, TURKEY_GET_SENDS
from .params import Params
from .seed import TurkeyAccount
from .segments import LANGUAGE_NAMES, TextCost, analyze
from .settings import REJECT_GROUP, Settings
from .state import (
    TURKEY_SMS,
    EmulatorState,
    SentMessage,
    TurkeyReport,
)
from .status import MessageStatus
from .wire import Reply

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

STATUS_TEXTS: Final = {
    MessageStatus.DELIVERED: "Number received the message",
    MessageStatus.NOT_RECEIVED: "Number did not receive the message",
    MessageStatus.PENDING: "Number out of coverage, not received yet",
}

INVALID_NUMBER_STATUS: Final = "Invalid number"
"""``sms_status`` of a report row for a number that was not sent to."""

OTP_TEXTS: Final = {
    0: "Your verification code is {code}",
    1: "Doğrulama kodunuz: {code}",
    2: "رمز التحقق الخاص بك هو {code}",
}
"""The text of a plain OTP, by the ``lang`` parameter."""

DEFAULT_OTP_DIGITS: Final = 6
"""Used when ``digits`` is absent (the document does not say)."""

COUNTRIES: Final = {
    "90": "Turkey-TR",
    "966": "Saudi Arabia-SA",
    "971": "United Arab Emirates-AE",
    "974": "Qatar-QA",
    "965": "Kuwait-KW",
    "973": "Bahrain-BH",
    "968": "Oman-OM",
    "962": "Jordan-JO",
    "964": "Iraq-IQ",
    "963": "Syria-SY",
    "20": "Egypt-EG",
    "49": "Germany-DE",
    "44": "United Kingdom-GB",
    "33": "France-FR",
    "31": "Netherlands-NL",
    "7": "Russia-RU",
    "1": "United States-US",
}

OPERATORS: Final = {
    "53": "Turkcell",
    "54": "Vodafone",
    "50": "Turk Telekom",
    "55": "Turk Telekom",
}
"""Operator by the first two digits after 90 (a deterministic stand-in)."""

_DIGITS = re.compile(r"[0-9]+")
_SENT: Final = "The message was sent successfully"
_RATE_WINDOW: Final = timedelta(seconds=60)


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


def country(number: str) -> str:
    """Country label of a number, longest calling-code prefix first."""
    for length in (3, 2, 1):
        name = COUNTRIES.get(number[:length])
        if name:
            return name
    return "International"


def operator(number: str) -> str:
    """Operator of a Turkish mobile number; "International" or "Unknown" else."""
    if not is_local(number):
        return "International"
    return OPERATORS.get(number[2:4], "Unknown")


def is_local(number: str) -> bool:
    """A Turkish number: charged from the local SMS balance."""
    return number.startswith("90")


def valid_number(number: str) -> bool:
    """Digits only; Turkish 90 + 10 digits; international 8 to 15 digits."""
    if _DIGITS.fullmatch(number) is None:
        return False
    if is_local(number):
        return len(number) == 12
    return not number.startswith("0") and 8 <= len(number) <= 15


def requested_numbers(function: str, params: Params) -> tuple[str, ...]:
    """The recipients a request names, for the log, however malformed it is."""
    uses_mobile = function in TURKEY_GET_SENDS or function.startswith("otp")
    value = params.get("mobile" if uses_mobile else "sentto")
    if isinstance(value, str) and value.lstrip().startswith("["):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            return (value,)
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return tuple(str(v) for v in value if isinstance(v, str | int))
    if isinstance(value, str | int) and not isinstance(value, bool) and value != "":
        return (str(value),)
    return ()


def account_id(state: EmulatorState, params: Params) -> str | None:
    """The user_id a request's API key belongs to, if any (no checks)."""
    key = params.get("api_key")
    account = state.turkey_accounts.get(key) if isinstance(key, str) else None
    return account.user_id if account else None


@dataclass
class _Recipient:
    number: str
    cost: TextCost


class TurkeySms:
    """Handles one request against the state."""

    def __init__(self, state: EmulatorState, now: datetime, settings: Settings) -> None:
        self.state = state
        self.now = now
        self.settings = settings
        self.account: str | None = None

    def handle(self, function: str, params: Params) -> Reply:
        """Answer ``function``; an unknown path is an HTTP 404 as on the server."""
        if function not in TURKEY_FUNCTIONS:
            return Reply("404 Not Found", outcome="HTTP 404", status=404)
        try:
            reply = self._dispatch(function, params)
        except TurkeyError as err:
            return Reply(
                error_payload(err.code), outcome=err.code, account=self.account
            )
        reply.account = self.account
        return reply

    def _dispatch(self, function: str, params: Params) -> Reply:
        if params.body_error:
            raise TurkeyError("TS-1033")
        handler = getattr(self, f"_{function}")
        reply: Reply = handler(function, params)
        return reply

    # -- endpoints ---------------------------------------------------------------

    def _login(self, function: str, params: Params) -> Reply:
        account = self._authenticate(params)
        payload = {
            "result": True,
            "result_code": "TS-1046",
            "result_message": MESSAGES["TS-1046"],
            "user_id": account.user_id,
            "account_name": account.account_name,
        }
        return Reply(self._short(payload, params), outcome="TS-1046")

    def _balance(self, function: str, params: Params) -> Reply:
        account = self._authenticate(params)
        if not account.balance_enabled:
            raise TurkeyError("TS-1065")
        payload = {
            "result": True,
            "result_code": "TS-1040",
            "result_message": MESSAGES["TS-1040"],
            "api_key": account.api_key,
            "local_balance_sms": account.local_balance,
            "international_balance_tl": f"{account.international_balance_tl:.2f}",
        }
        return Reply(payload, outcome="TS-1040")

    def _send_one(self, function: str, params: Params) -> Reply:
        return self._send_single(function, params, "sentto", "sms_lang")

    def _send_get(self, function: str, params: Params) -> Reply:
        return self._send_single(function, params, "mobile", "lang")

    def _send_single(
        self, function: str, params: Params, number_field: str, language_field: str
    ) -> Reply:
        """One text to one number; the two endpoints name the fields differently."""
        account = self._send_gate(function, params)
        number = self._required_scalar(params, number_field, "TS-1025")
        text = self._required_text(params, "text")
        sender = self._sender(account, params)
        language = self._language(params, language_field)
        return self._single(function, params, account, sender, number, text, language)

    def _send_group(self, function: str, params: Params) -> Reply:
        account = self._send_gate(function, params)
        numbers = self._array(params, "sentto", "TS-1025")
        text = self._required_text(params, "text")
        sender = self._sender(account, params)
        language = self._language(params, "sms_lang")
        return self._group(
            function, params, account, sender, [(n, text) for n in numbers], language
        )

    def _send_multi(self, function: str, params: Params) -> Reply:
        account = self._send_gate(function, params)
        numbers = self._array(params, "sentto", "TS-1025")
        texts = self._array(params, "text", "TS-1026")
        if any(not text.strip() for text in texts):
            raise TurkeyError("TS-1026")
        sender = self._sender(account, params)
        if len(texts) != len(numbers):
            raise TurkeyError("TS-1033")
        language = self._language(params, "sms_lang")
        return self._group(
            function,
            params,
            account,
            sender,
            list(zip(numbers, texts, strict=True)),
            language,
        )

    def _otp_get(self, function: str, params: Params) -> Reply:
        return self._otp(function, params)

    def _otp_post(self, function: str, params: Params) -> Reply:
        return self._otp(function, params)

    def _otp_detailed(self, function: str, params: Params) -> Reply:
        return self._otp(function, params)

    def _status(self, function: str, params: Params) -> Reply:
        account = self._authenticate(params)
        if not account.status_enabled:
            raise TurkeyError("TS-1063")
        sms_id = self._scalar(params, "sms_id")
        message = self.state.message(sms_id) if sms_id else None
        if message is None or message.account != account.user_id:
            raise TurkeyError("TS-1033")
        self._progress([message])
        local = self._local_time(message.submitted_at)
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

    def _report(self, function: str, params: Params) -> Reply:
        return self._report_reply(params, detailed=False)

    def _report_detailed(self, function: str, params: Params) -> Reply:
        return self._report_reply(params, detailed=True)

    # -- sending -----------------------------------------------------------------

    def _single(
        self,
        function: str,
        params: Params,
        account: TurkeyAccount,
        sender: str,
        number: str,
        text: str,
        language: int | None,
        otp_code: str | None = None,
    ) -> Reply:
        recipients, _ = self._recipients(account, [(number, text)], language)
        (message,) = self._charge_and_record(
            function, account, sender, recipients, None, otp_code
        )
        cost = recipients[0].cost
        payload: dict[str, Any] = {"result": True}
        if otp_code is not None:
            payload["otp_code"] = otp_code
        payload |= {
            "sms_id": message.message_id,
            "number_of_sms": cost.segments,
            "result_code": "TS-1024",
            "result_message": _SENT,
            "sms_lang": LANGUAGE_NAMES[cost.language_code],
            "country": country(number),
        }
        if function == "otp_detailed":
            payload["result_message"] = "the_SMS_has_been_sent_successfully"
            payload["content_type"] = "High_quality"
            payload["country"] = payload.pop("country")
        return Reply(
            self._short(payload, params),
            outcome="TS-1024",
            message_ids=(message.message_id,),
        )

    def _group(
        self,
        function: str,
        params: Params,
        account: TurkeyAccount,
        sender: str,
        pairs: list[tuple[str, str]],
        language: int | None,
    ) -> Reply:
        recipients, invalid = self._recipients(account, pairs, language)
        report_id = self.state.new_report_id()
        messages = self._charge_and_record(
            function, account, sender, recipients, report_id, None
        )
        self.state.reports[report_id] = TurkeyReport(
            report_id=report_id,
            account=account.user_id,
            sender=sender,
            created_at=self.now,
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
            "result_message": _SENT,
            "sms_lang": LANGUAGE_NAMES[first.language_code],
            "country": country(recipients[0].number),
        }
        return Reply(
            self._short(payload, params), outcome="TS-1024", message_ids=(report_id,)
        )

    def _otp(self, function: str, params: Params) -> Reply:
        account = self._send_gate(function, params)
        number = self._required_scalar(params, "mobile", "TS-1025")
        template: str | None = None
        sender: str | None = None
        if function == "otp_detailed":
            name = "text" if self._scalar(params, "text") else "sms_text"
            template = self._required_text(params, name)
            sender = self._sender(account, params)
        digits = self._digits(params)
        language = self._language(params, "lang")
        code = "".join(secrets.choice("0123456789") for _ in range(digits))
        if template is None:
            text = OTP_TEXTS[language or 0].format(code=code)
        else:
            text = template.replace("TS-L", "\n")
            text = (
                text.replace("TS_CODE", code) if "TS_CODE" in text else f"{text} {code}"
            )
        if sender is None:
            sender = next(
                (n for n, s in account.senders.items() if s == "active"), "OTP"
            )
        return self._single(
            function, params, account, sender, number, text, language, code
        )

    def _recipients(
        self,
        account: TurkeyAccount,
        pairs: list[tuple[str, str]],
        language: int | None,
    ) -> tuple[list[_Recipient], list[str]]:
        """The recipients to send to, priced, and the invalid numbers left out.

        Numbers are checked first (TS-1034), then the international permission
        of the valid ones (TS-1032). An invalid number is left out of a group,
        but under ``reject_group``, or when no number is valid (a single-number
        send with an invalid number), the request is refused whole (TS-1034).

        The declared language is the alphabet: a GSM-7 text declared Unicode (2)
        is sent, and charged, as Unicode; an Arabic text declared English (0)
        reaches the handset with ``?`` for every Arabic letter.
        """
        valid: list[tuple[str, str]] = []
        invalid: list[str] = []
        for number, text in pairs:
            if valid_number(number):
                valid.append((number, text))
            else:
                invalid.append(number)
        if invalid and (
            not valid or self.settings.invalid_group_numbers == REJECT_GROUP
        ):
            raise TurkeyError("TS-1034")
        if not account.international_enabled and any(
            not is_local(number) for number, _ in valid
        ):
            raise TurkeyError("TS-1032")
        costs: dict[str, TextCost] = {}
        recipients = []
        for number, text in valid:
            if text not in costs:
                costs[text] = analyze(text, language)
            recipients.append(_Recipient(number, costs[text]))
        return recipients, invalid

    def _charge_and_record(
        self,
        function: str,
        account: TurkeyAccount,
        sender: str,
        recipients: list[_Recipient],
        report_id: str | None,
        otp_code: str | None,
    ) -> list[SentMessage]:
        """Charge the whole request or nothing (TS-1060, TS-1027), then record it."""
        minute = self._minute(account)
        count = sum(r.cost.segments for r in recipients)
        if (
            sum(sent for _, sent in minute) + count
            > self.settings.rate_limit_per_minute
        ):
            raise TurkeyError("TS-1060")
        price = self.state.international_price_tl
        local = sum(r.cost.segments for r in recipients if is_local(r.number))
        international = price * sum(
            r.cost.segments for r in recipients if not is_local(r.number)
        )
        if local > account.local_balance or international > (
            account.international_balance_tl
        ):
            raise TurkeyError("TS-1027")
        minute.append((self.now, count))
        account.local_balance -= local
        account.international_balance_tl -= international
        messages = []
        for recipient in recipients:
            local_number = is_local(recipient.number)
            message = SentMessage(
                provider=TURKEY_SMS,
                account=account.user_id,
                message_id=self.state.new_sms_id(),
                report_id=report_id,
                number=recipient.number,
                text=recipient.cost.text,
                sender=sender,
                segments=recipient.cost.segments,
                charged=(
                    Decimal(recipient.cost.segments)
                    if local_number
                    else price * recipient.cost.segments
                ),
                status=MessageStatus.PENDING,
                scheduled_for=None,
                submitted_at=self.now,
                charge_unit="sms" if local_number else "tl",
                function=function,
                otp_code=otp_code,
                language_code=recipient.cost.language_code,
                sent_at=self.now,
            )
            self.state.add_message(message)
            messages.append(message)
        return messages

    # -- reports -----------------------------------------------------------------

    def _report_reply(self, params: Params, *, detailed: bool) -> Reply:
        account = self._authenticate(params)
        if not account.status_enabled:
            raise TurkeyError("TS-1063")
        report_id = self._scalar(params, "raporid")
        report = self._find_report(report_id) if report_id else None
        if report is None or report.account != account.user_id:
            raise TurkeyError("TS-1033")
        messages = [
            m for m in map(self.state.message, report.message_ids) if m is not None
        ]
        self._progress(messages)
        blocked = [
            m
            for m in messages
            if m.number in self.state.blocked_numbers
            and m.status == MessageStatus.NOT_RECEIVED
        ]
        operators = [operator(m.number) for m in messages]
        local = self._local_time(report.created_at)
        payload: dict[str, Any] = {
            "result": True,
            "status_code": "TS-1064",
            "report_id": report.report_id,
            "sending_date": local.strftime("%Y-%m-%d"),
            "sending_time": local.strftime("%H:%M:%S"),
            "report_status": "Report dispatched successfully.",
            "number_verification_status": (
                "Undergoing number verification."
                if any(m.status == MessageStatus.PENDING for m in messages)
                else "Number verification completed."
            ),
            "total_mobile_numbers": str(len(messages) + len(report.invalid_numbers)),
            "sms_sender_id": report.sender,
            "numbers_received": str(
                sum(m.status == MessageStatus.DELIVERED for m in messages)
            ),
            "numbers_not_received": str(
                sum(m.status == MessageStatus.NOT_RECEIVED for m in messages)
                - len(blocked)
            ),
            "invalid_numbers": str(len(report.invalid_numbers)),
            "blocked_numbers": str(len(blocked)),
            "turkcell_count": str(operators.count("Turkcell")),
            "turktelekom_count": str(operators.count("Turk Telekom")),
            "vodafone_count": str(operators.count("Vodafone")),
            "message_validity_duration": "1440",
        }
        if detailed:
            rows = [self._report_row(message) for message in messages]
            rows += [self._invalid_row(report, n) for n in report.invalid_numbers]
            payload["numbers"] = [
                {"number_id": index, **row} for index, row in enumerate(rows, start=1)
            ]
        return Reply(payload, outcome="TS-1064", message_ids=(report.report_id,))

    def _report_row(self, message: SentMessage) -> dict[str, Any]:
        done = message.done_at
        return {
            "phone_number": (
                message.number[2:] if is_local(message.number) else message.number
            ),
            "sent_at": self._stamp(message.submitted_at),
            "done_at": self._stamp(done) if done else "",
            "sms_count": message.segments,
            "sms_status": STATUS_TEXTS[message.status],
            "operator": operator(message.number).upper(),
        }

    def _invalid_row(self, report: TurkeyReport, number: str) -> dict[str, Any]:
        """A number the group named but nothing went to: no parts, no operator."""
        return {
            "phone_number": number,
            "sent_at": self._stamp(report.created_at),
            "done_at": self._stamp(report.created_at),
            "sms_count": 0,
            "sms_status": INVALID_NUMBER_STATUS,
            "operator": "",
        }

    def _stamp(self, moment: datetime) -> str:
        return self._local_time(moment).strftime("%Y-%m-%d %H:%M:%S")

    def _find_report(self, report_id: str) -> TurkeyReport | None:
        """A group report, or a single message seen as a report of one."""
        report = self.state.reports.get(report_id)
        if report is None and (message := self.state.message(report_id)):
            report = TurkeyReport(
                report_id=message.message_id,
                account=message.account,
                sender=message.sender,
                created_at=message.submitted_at,
                message_ids=[message.message_id],
            )
        return report

    def _progress(self, messages: list[SentMessage]) -> None:
        """Settle pending messages old enough: the query is what moves them."""
        delay = timedelta(seconds=self.state.delivery_delay_seconds)
        for message in messages:
            if message.status != MessageStatus.PENDING:
                continue
            if script := self.state.delivery_scripts.get(message.number):
                self._follow_script(message, script)
                continue
            if self.now - message.submitted_at < delay:
                continue
            if message.number in self.state.out_of_coverage_numbers:
                continue
            message.done_at = self.now
            if message.number in (
                self.state.undeliverable_numbers | self.state.blocked_numbers
            ):
                message.status = MessageStatus.NOT_RECEIVED
            else:
                message.status = MessageStatus.DELIVERED

    def _follow_script(
        self, message: SentMessage, script: tuple[DeliveryStep, ...]
    ) -> None:
        """Move a pending message on to the status its script gives at its age."""
        age = (self.now - message.submitted_at).total_seconds()
        status = scripted_status(script, age)
        if status is not None and status != MessageStatus.PENDING:
            message.status = status
            message.done_at = self.now

    # -- validation --------------------------------------------------------------

    def _authenticate(self, params: Params) -> TurkeyAccount:
        key = self._scalar(params, "api_key")
        if not key or not key.strip():
            raise TurkeyError("TS-1050")
        account = self.state.turkey_accounts.get(key)
        if account is None:
            raise TurkeyError("TS-1031")
        self.account = account.user_id
        if not account.active:
            raise TurkeyError("TS-1030")
        return account

    def _send_gate(self, function: str, params: Params) -> TurkeyAccount:
        account = self._authenticate(params)
        if function in TURKEY_GET_SENDS:
            if not account.get_enabled:
                raise TurkeyError("TS-1062")
        elif not account.post_enabled:
            raise TurkeyError("TS-1061")
        return account

    def _minute(self, account: TurkeyAccount) -> deque[tuple[datetime, int]]:
        """The key's sends of the last 60 s: (time, messages), oldest first."""
        window = self.state.send_windows.setdefault(account.api_key, deque())
        while window and self.now - window[0][0] >= _RATE_WINDOW:
            window.popleft()
        return window

    def _sender(self, account: TurkeyAccount, params: Params) -> str:
        title = self._scalar(params, "title")
        if not title:
            raise TurkeyError("TS-1051")
        if not title.strip():
            raise TurkeyError("TS-1052")
        state = account.senders.get(title)
        if state is None:
            raise TurkeyError("TS-1029")
        if state != "active":
            raise TurkeyError("TS-1028")
        return title

    @staticmethod
    def _scalar(params: Params, name: str) -> str | None:
        """A single value; arrays and booleans where one is expected are TS-1033."""
        value = params.get(name)
        if value is None:
            return None
        if isinstance(value, bool | list | dict):
            raise TurkeyError("TS-1033")
        return str(value)

    def _required_scalar(self, params: Params, name: str, empty_code: str) -> str:
        value = self._scalar(params, name)
        if value is None or not value.strip():
            raise TurkeyError(empty_code)
        return value

    def _required_text(self, params: Params, name: str) -> str:
        return self._required_scalar(params, name, "TS-1026")

    @staticmethod
    def _array(params: Params, name: str, empty_code: str) -> list[str]:
        """An array parameter: a JSON array, a JSON-encoded string or ``name[]``."""
        value = params.get(name)
        if value is None or value in ("", [], {}):
            raise TurkeyError(empty_code)
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except json.JSONDecodeError:
                raise TurkeyError("TS-1033") from None
        if isinstance(value, dict):
            value = list(value.values())
        if not isinstance(value, list):
            raise TurkeyError("TS-1033")
        if not value:
            raise TurkeyError(empty_code)
        if any(isinstance(v, bool) or not isinstance(v, str | int) for v in value):
            raise TurkeyError("TS-1033")
        return [str(v) for v in value]

    def _language(self, params: Params, name: str) -> int | None:
        value = self._scalar(params, name)
        if value is None or value == "":
            return None
        if value not in ("0", "1", "2"):
            raise TurkeyError("TS-1033")
        return int(value)

    def _digits(self, params: Params) -> int:
        value = self._scalar(params, "digits")
        if value is None or value == "":
            return DEFAULT_OTP_DIGITS
        if value not in ("4", "5", "6"):
            raise TurkeyError("TS-1033")
        return int(value)

    def _short(self, payload: dict[str, Any], params: Params) -> dict[str, Any]:
        """``report=0`` asks for no details: keep result, code and message."""
        if self._scalar(params, "report") == "0":
            keep = ("result", "result_code", "result_message")
            return {k: payload[k] for k in keep}
        return payload

    @staticmethod
    def _local_time(moment: datetime) -> datetime:
        return moment.astimezone(TURKEY_TZ)
