"""HiSMS ``api.php``: the six functions of SPEC §1, answered in plain text.

Check order, so that each code is reachable on purpose: required parameters
(404, or 402 for ``change_pass``), username (1), lockout (403), password (2),
account disabled (504), then for ``send_sms``: numbers (4), message (5), sender
(6 unknown or empty, 7 inactive), forbidden word (8), date (10) and time (11),
credit (9).

``send_sms`` needs the keys ``numbers``, ``sender`` and ``message`` present
(else 404); present but empty they give 4, 6 and 5. Numbers are split on commas
and must all be international digits (``9665XXXXXXXX``, no ``+``, ``00`` or
leading ``0``, 8 to 15 digits, a Saudi number a mobile one): one that is not
refuses the whole request with 4, rather than sending to the others silently.
``date`` and ``time`` are the document's forms, ``YYYY-M-D`` (month and day
padded or not) and ``HH:MM`` (24 h, Asia/Riyadh), both or neither; a minute
already gone is refused, 10 when the day has passed, 11 when only the time has.
A bad password counts towards the lockout of that username; after
``lockout_after`` consecutive ones every attempt gets 403 for
``lockout_seconds``; a good login resets the count. ``schedule_sms_count`` and
``delete_schedule_sms`` count recipients; deleting refunds their credit.
``forgot_password`` takes ``username`` and ``password`` as the document's
example does (404 without them, 2 for a wrong password) and works on a
disabled account (the document lists no 504).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
import re

from .clock import RIYADH_TZ
from .params import Params
from .seed import HismsAccount
from .segments import deliver
from .state import (
    HISMS,
    EmulatorState,
    PasswordReminder,
    SentMessage,
)
from .status import MessageStatus
from .wire import Reply

_NUMBER = re.compile(r"(?!966)[1-9][0-9]{7,14}|9665[0-9]{8}")
_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_TIME = re.compile(r"([0-9]{2}):([0-9]{2})")


class HismsError(Exception):
    """Ends a request with the bare error code as the body."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def requested_numbers(params: Params) -> tuple[str, ...]:
    """The recipients named by ``numbers``, for the log."""
    value = params.get("numbers")
    if not isinstance(value, str):
        return ()
    return tuple(n.strip() for n in value.split(",") if n.strip())


def account_id(state: EmulatorState, params: Params) -> str | None:
    """The username a request names, if such an account exists (no checks)."""
    username = params.get("username") or params.get("mobile")
    if isinstance(username, str) and username in state.hisms_accounts:
        return username
    return None


def process_due(state: EmulatorState, now: datetime) -> int:
    """Send the scheduled messages whose time has come; returns how many."""
    count = 0
    waiting = []
    for message in state.scheduled:
        if message.status != MessageStatus.SCHEDULED:
            continue
        if message.scheduled_for is not None and message.scheduled_for <= now:
            message.status = MessageStatus.SENT
            message.sent_at = message.scheduled_for
            count += 1
        else:
            waiting.append(message)
    state.scheduled = waiting
    return count


class HismsEmulator:
    """Handles one request against the state."""

    def __init__(self, state: EmulatorState, now: datetime) -> None:
        self.state = state
        self.now = now
        self.account: str | None = None

    def handle(self, function: str, params: Params) -> Reply:
        """Answer ``function``; no known function key gives 404."""
        handler = getattr(self, f"_{function}", self._unknown)
        try:
            reply: Reply = handler(params)
        except HismsError as err:
            return Reply(err.code, outcome=err.code, account=self.account)
        reply.account = self.account
        return reply

    # -- functions ---------------------------------------------------------------

    def _unknown(self, params: Params) -> Reply:
        raise HismsError("404")

    def _send_sms(self, params: Params) -> Reply:
        self._require(params, ("username", "password", "numbers", "sender", "message"))
        account = self._login(params)
        numbers = [n.strip() for n in (params.form_value("numbers") or "").split(",")]
        if not all(_NUMBER.fullmatch(number) for number in numbers):
            raise HismsError("4")
        message = params.form_value("message") or ""
        if not message.strip():
            raise HismsError("5")
        sender = params.form_value("sender") or ""
        state = account.senders.get(sender)
        if state is None:
            raise HismsError("6")
        if state != "active":
            raise HismsError("7")
        if self._forbidden(message):
            raise HismsError("8")
        scheduled = self._schedule(params)
        cost = deliver(message)
        total = cost.segments * len(numbers)
        if total > account.balance:
            raise HismsError("9")
        account.balance -= total
        message_id = self.state.new_hisms_id()
        later = scheduled is not None and scheduled > self.now
        for number in numbers:
            self.state.add_message(
                SentMessage(
                    provider=HISMS,
                    account=account.username,
                    message_id=message_id,
                    report_id=None,
                    number=number,
                    text=cost.text,
                    sender=sender,
                    segments=cost.segments,
                    charged=Decimal(cost.segments),
                    status=MessageStatus.SCHEDULED if later else MessageStatus.SENT,
                    scheduled_for=scheduled if later else None,
                    submitted_at=self.now,
                    charge_unit="credit",
                    function="send_sms",
                    language_code=cost.language_code,
                    sent_at=None if later else self.now,
                )
            )
        body = f"3-{message_id}"
        return Reply(body, outcome=body, message_ids=(message_id,))

    def _get_balance(self, params: Params) -> Reply:
        self._require(params, ("username", "password"))
        account = self._login(params)
        return self._body(f"BLANCE:{account.balance}")

    def _schedule_sms_count(self, params: Params) -> Reply:
        self._require(params, ("username", "password"), alias=True)
        account = self._login(params, alias=True)
        return self._body(f"Count:{len(self._scheduled(account))}")

    def _delete_schedule_sms(self, params: Params) -> Reply:
        self._require(params, ("username", "password"), alias=True)
        account = self._login(params, alias=True)
        pending = self._scheduled(account)
        for message in pending:
            account.balance += int(message.charged)
            message.charged = Decimal(0)
            message.status = MessageStatus.DELETED
        return self._body(f"OK:{len(pending)}")

    def _change_pass(self, params: Params) -> Reply:
        self._require(params, ("username", "password"), code="402")
        # The document spells it both ways.
        new_password = params.form_value("new_password") or params.form_value(
            "new_passoword"
        )
        if not new_password:
            raise HismsError("402")
        account = self._login(params)
        account.password = new_password
        return self._body("3")

    def _forgot_password(self, params: Params) -> Reply:
        self._require(params, ("username", "password"))
        username = params.form_value("username") or ""
        account = self._account(username)
        self._check_lock(username)
        self._check_password(account, params.form_value("password") or "")
        self.state.reminders.append(
            PasswordReminder(
                username=username,
                number=username,
                password=account.password,
                sent_at=self.now,
            )
        )
        return self._body("3")

    # -- helpers -----------------------------------------------------------------

    @staticmethod
    def _body(text: str) -> Reply:
        return Reply(text, outcome=text)

    def _require(
        self,
        params: Params,
        names: tuple[str, ...],
        *,
        code: str = "404",
        alias: bool = False,
    ) -> None:
        for name in names:
            value = params.form_value(name)
            if value is None and alias and name == "username":
                value = params.form_value("mobile")
            if value is None or (name in ("username", "password") and not value):
                raise HismsError(code)

    def _account(self, username: str) -> HismsAccount:
        account = self.state.hisms_accounts.get(username)
        if account is None:
            raise HismsError("1")
        self.account = username
        return account

    def _login(self, params: Params, *, alias: bool = False) -> HismsAccount:
        username = params.form_value("username")
        if username is None and alias:
            username = params.form_value("mobile")
        account = self._account(username or "")
        self._check_lock(account.username)
        self._check_password(account, params.form_value("password") or "")
        if account.disabled:
            raise HismsError("504")
        return account

    def _check_lock(self, username: str) -> None:
        until = self.state.locked_until.get(username)
        if until is None:
            return
        if self.now < until:
            raise HismsError("403")
        del self.state.locked_until[username]
        self.state.failed_logins.pop(username, None)

    def _check_password(self, account: HismsAccount, password: str) -> None:
        username = account.username
        if password == account.password:
            self.state.failed_logins.pop(username, None)
            return
        failures = self.state.failed_logins.get(username, 0) + 1
        self.state.failed_logins[username] = failures
        if failures >= self.state.lockout_after:
            self.state.locked_until[username] = self.now + timedelta(
                seconds=self.state.lockout_seconds
            )
        raise HismsError("2")

    def _forbidden(self, message: str) -> bool:
        return any(
            re.search(rf"(?<!\w){re.escape(word)}(?!\w)", message, re.IGNORECASE)
            for word in self.state.forbidden_words
            if word
        )

    def _schedule(self, params: Params) -> datetime | None:
        """``date=YYYY-M-D`` and ``time=HH:MM`` (Asia/Riyadh), both or neither.

        The current minute is due (sent at once); an earlier one is refused.
        """
        day = params.form_value("date") or ""
        time = params.form_value("time") or ""
        if not day and not time:
            return None
        if not day:
            raise HismsError("10")
        if not time:
            raise HismsError("11")
        parsed = _parse_date(day)
        local_now = self.now.astimezone(RIYADH_TZ)
        if parsed is None or parsed < local_now.date():
            raise HismsError("10")
        time_match = _TIME.fullmatch(time)
        if time_match is None:
            raise HismsError("11")
        hour, minute = (int(part) for part in time_match.groups())
        if hour > 23 or minute > 59:
            raise HismsError("11")
        when = datetime(
            parsed.year, parsed.month, parsed.day, hour, minute, tzinfo=RIYADH_TZ
        )
        if when < local_now.replace(second=0, microsecond=0):
            raise HismsError("11")
        return when

    def _scheduled(self, account: HismsAccount) -> list[SentMessage]:
        return [
            m
            for m in self.state.scheduled
            if m.account == account.username and m.status == MessageStatus.SCHEDULED
        ]


def _parse_date(text: str) -> date | None:
    """``YYYY-M-D`` with or without zero padding, a real calendar day."""
    match = _DATE.fullmatch(text)
    if match is None:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None
