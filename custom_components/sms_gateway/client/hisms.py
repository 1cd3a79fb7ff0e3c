"""HiSMS (hisms.ws): one PHP script, a function key, plain-text answers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
import logging
import re
from typing import Final, Unpack
from zoneinfo import ZoneInfo

import aiohttp

from .errors import InvalidResponseError, RejectedError, SmsGatewayError
from .models import AccountInfo, AccountStatus, SendReceipt
from .provider import Capability, ConnectionOptions, HttpSmsProvider
from .result_codes import describe_code
from .text import TextAnalysis

PROVIDER: Final = "hisms"
DEFAULT_BASE_URL: Final = "https://www.hisms.ws"
PATH: Final = "/api.php"
ACCOUNT_TIMEZONE: Final = ZoneInfo("Asia/Riyadh")

_LOGGER: Final = logging.getLogger(__name__)

_SENT: Final = re.compile(r"^3(?:-(?P<id>\d+))?$")


class HiSms(HttpSmsProvider):
    """A HiSMS account: the username is the account's mobile number."""

    provider_id = PROVIDER
    capabilities = (
        Capability.SCHEDULING
        | Capability.SCHEDULED_MESSAGES
        | Capability.CHANGE_PASSWORD
        | Capability.PASSWORD_REMINDER
    )

    default_base_url = DEFAULT_BASE_URL

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        username: str,
        password: str,
        **options: Unpack[ConnectionOptions],
    ) -> None:
        super().__init__(session, **options)
        self._username = username
        self._password = password
        self._asks_scheduled_count = True
        """False once HiSMS answered ``schedule_sms_count`` as a function it lacks."""

    async def _call(
        self,
        function: str,
        fields: dict[str, str],
        *,
        sends_message: bool,
    ) -> str:
        """POST the form with the function key in the URL (never credentials)."""
        form = {"username": self._username, "password": self._password, **fields}
        reply = await self._http.request(
            "POST",
            f"{PATH}?{function}",
            data=form,
            sends_message=sends_message,
        )
        return reply.text

    def _fail(self, body: str, *, sends_message: bool) -> SmsGatewayError:
        """The error an unsuccessful body stands for."""
        return self._answer_error(
            body if describe_code(PROVIDER, body) is not None else None,
            "HiSMS answered a body that cannot be understood",
            sends_message=sends_message,
        )

    async def _call_for_value(self, function: str, label: str) -> int:
        """Functions answering ``Label:<number>``; split on the first colon."""
        body = await self._call(function, {}, sends_message=False)
        name, sep, value = body.partition(":")
        if sep and name.strip().lower() == label.lower():
            try:
                return int(float(value.strip()))
            except ValueError:
                pass
        raise self._fail(body, sends_message=False)

    async def authenticate(self) -> AccountInfo:
        """A balance query is the credentials check."""
        await self._call_for_value("get_balance", "BLANCE")
        return AccountInfo(account_id=self._username)

    async def fetch_account_status(self) -> AccountStatus:
        """Balance and the number of scheduled messages.

        The balance decides success; the scheduled count is ``None`` when it
        cannot be read, so that its failure never hides a good balance.
        """
        balance = await self._call_for_value("get_balance", "BLANCE")
        return AccountStatus(
            sms_balance=float(balance), scheduled_messages=await self._scheduled()
        )

    async def _scheduled(self) -> int | None:
        """``schedule_sms_count``: not in the HiSMS document, only in one client.

        A refusal or an unreadable answer means this account's HiSMS does not
        have the function: it is not asked again by this client. Anything else
        (a connection failure, a lockout) leaves the count unknown for now.
        """
        if not self._asks_scheduled_count:
            return None
        try:
            return await self._call_for_value("schedule_sms_count", "Count")
        except (RejectedError, InvalidResponseError) as err:
            self._asks_scheduled_count = False
            _LOGGER.warning(
                "HiSMS does not answer schedule_sms_count (%s): the scheduled "
                "messages count is no longer asked for",
                err.code if isinstance(err, RejectedError) else type(err).__name__,
            )
        except SmsGatewayError as err:
            _LOGGER.debug("HiSMS scheduled messages count unavailable: %r", err)
        return None

    async def _send(
        self, to: Sequence[str], text: TextAnalysis, sender: str, at: datetime | None
    ) -> SendReceipt:
        """Comma-separated numbers; ``at`` in the account's time zone."""
        fields = {
            "numbers": ",".join(to),
            "sender": sender,
            "message": text.text,
        }
        if at is not None:
            local = at.astimezone(ACCOUNT_TIMEZONE)
            fields |= {
                "date": local.strftime("%Y-%m-%d"),
                "time": local.strftime("%H:%M"),
            }
        body = await self._call("send_sms", fields, sends_message=True)
        match = _SENT.match(body)
        if match is None:
            raise self._fail(body, sends_message=True)
        return SendReceipt(
            numbers=tuple(to),
            message_id=match["id"],
            segments=text.segments,
        )

    async def delete_scheduled(self) -> int:
        """Delete every scheduled message; the answer is ``OK:<count>``."""
        return await self._call_for_value("delete_schedule_sms", "OK")

    async def change_password(self, new_password: str) -> None:
        """Change the password; build a new client to use the new one."""
        body = await self._call(
            "change_pass", {"new_password": new_password}, sends_message=False
        )
        if body != "3":
            raise self._fail(body, sends_message=False)

    async def request_password_reminder(self) -> None:
        """HiSMS sends the password by SMS to the account's number.

        The document's example sends the username and the password with
        ``forgot_password``; HiSMS answers 2 when that password is wrong, which
        raises ``AuthenticationError`` like any other refused password.
        """
        body = await self._call("forgot_password", {}, sends_message=False)
        if body != "3":
            raise self._fail(body, sends_message=False)
