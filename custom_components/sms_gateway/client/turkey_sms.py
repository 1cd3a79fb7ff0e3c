"""Turkey SMS, API v3 (turkeysms.com.tr): JSON over POST, an API key."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
import hashlib
from http import HTTPStatus
import logging
from typing import Any, Final, Unpack

import aiohttp

from .errors import InvalidResponseError, OutcomeUnknownError, SmsGatewayError
from .models import (
    AccountInfo,
    AccountStatus,
    DeliveryReport,
    DeliveryState,
    MessageStatus,
    SendReceipt,
)
from .otp import OTP_PLACEHOLDER, OtpReceipt, OtpTemplate
from .provider import Capability, ConnectionOptions, HttpSmsProvider
from .result_codes import error_for_code
from .text import SmsText, TextAnalysis, analysis_of
from .turkey_sms_replies import (
    DELIVERY_STATES,
    SENT,
    as_decimal,
    as_int,
    as_str,
    decode_reply,
    is_true,
    parse_report,
)

PROVIDER: Final = "turkey_sms"
DEFAULT_BASE_URL: Final = "https://turkeysms.com.tr"
API: Final = "/api/v3"

BALANCE_OK: Final = "TS-1040"
LOGIN_OK: Final = "TS-1046"
REPORT_OK: Final = "TS-1064"
OTP_CODE_MARK: Final = "TS_CODE"
LINE_BREAK_MARK: Final = "TS-L"

_LOGGER: Final = logging.getLogger(__name__)


class TurkeySms(HttpSmsProvider):
    """A Turkey SMS account, identified by its API key."""

    provider_id = PROVIDER
    capabilities = (
        Capability.NATIVE_OTP
        | Capability.PER_RECIPIENT_TEXTS
        | Capability.MESSAGE_STATUS
        | Capability.DELIVERY_REPORT
        | Capability.INTERNATIONAL_BALANCE
    )

    default_base_url = DEFAULT_BASE_URL

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        api_key: str,
        **options: Unpack[ConnectionOptions],
    ) -> None:
        super().__init__(session, **options)
        self._api_key = api_key

    def _body[V](self, fields: Mapping[str, V]) -> dict[str, V | str]:
        """Every request's fields: the key, the request's own, a JSON answer."""
        return {"api_key": self._api_key, **fields, "response_type": "json"}

    async def _call(
        self,
        path: str,
        payload: Mapping[str, Any],
        *,
        success: str,
        sends_message: bool,
    ) -> dict[str, Any]:
        reply = await self._http.request(
            "POST", API + path, json=self._body(payload), sends_message=sends_message
        )
        data = decode_reply(reply.text)
        if data is None:
            raise self._answer_error(
                None,
                "Turkey SMS answered a body that is not JSON",
                sends_message=sends_message,
            )
        code = str(data.get("result_code") or data.get("status_code") or "")
        if code == success and is_true(data.get("result", True)):
            return data
        raise self._answer_error(
            code if code != success else None,
            f"Turkey SMS answered no usable result code ({code or 'none'})",
            sends_message=sends_message,
        )

    async def authenticate(self) -> AccountInfo:
        """Log in; resellers without the login endpoint are checked by balance."""
        try:
            data = await self._call(
                "/authenticate/login",
                {"report": 1},
                success=LOGIN_OK,
                sends_message=False,
            )
        except InvalidResponseError as err:
            if err.status != HTTPStatus.NOT_FOUND:
                raise
            await self.fetch_account_status()
            digest = hashlib.sha256(self._api_key.encode()).hexdigest()[:16]
            return AccountInfo(account_id=f"key-{digest}", identifies_account=False)
        user_id = as_str(data.get("user_id"))
        if user_id is None:
            raise InvalidResponseError("Turkey SMS login answered no user_id")
        return AccountInfo(account_id=user_id, name=as_str(data.get("account_name")))

    async def fetch_account_status(self) -> AccountStatus:
        """Local SMS balance and international balance in TL."""
        data = await self._call(
            "/bakiye_sorgulama/add-content", {}, success=BALANCE_OK, sends_message=False
        )
        local = as_decimal(data.get("local_balance_sms"))
        return AccountStatus(
            sms_balance=float(local) if local is not None else None,
            international_balance=as_decimal(data.get("international_balance_tl")),
        )

    async def _send(
        self, to: Sequence[str], text: TextAnalysis, sender: str, at: datetime | None
    ) -> SendReceipt:
        """One number: the single endpoint; several: the group endpoint."""
        payload: dict[str, Any] = {
            "title": sender,
            "text": text.text,
            "report": 1,
            "sms_lang": text.language_code,
        }
        if len(to) == 1:
            payload["sentto"] = to[0]
            data = await self._call(
                "/gonder/add-content", payload, success=SENT, sends_message=True
            )
        else:
            payload["sentto"] = list(to)
            data = await self._call(
                "/gruba-gonder/post/tek-metin-gonderimi/",
                payload,
                success=SENT,
                sends_message=True,
            )
        return await self._group_receipt(data, to)

    def individual_batches[N](
        self, messages: Sequence[tuple[N, TextAnalysis]], size: int
    ) -> list[Sequence[tuple[N, TextAnalysis]]]:
        """One alphabet per request.

        A request declares one language: a GSM-7 text sent in a Unicode request
        would cost more parts, so each alphabet gets requests of its own.
        """
        by_alphabet: dict[int, list[tuple[N, TextAnalysis]]] = {}
        for number, analysis in messages:
            by_alphabet.setdefault(analysis.language_code, []).append(
                (number, analysis)
            )
        return [
            batch
            for same_alphabet in by_alphabet.values()
            for batch in super().individual_batches(same_alphabet, size)
        ]

    async def send_individual(
        self, messages: Sequence[tuple[str, SmsText]], *, sender: str | None = None
    ) -> SendReceipt:
        """A text per number, matched by index, in one request."""
        analyses = [analysis_of(text) for _, text in messages]
        payload = {
            "title": self._sender_or_default(sender),
            "text": [analysis.text for analysis in analyses],
            "sentto": [number for number, _ in messages],
            "report": 1,
            "sms_lang": max((a.language_code for a in analyses), default=0),
        }
        data = await self._call(
            "/gruba-gonder/post/coklu-metin-gonderimi/",
            payload,
            success=SENT,
            sends_message=True,
        )
        return await self._group_receipt(
            data, [number for number, _ in messages], one_text=False
        )

    async def _group_receipt(
        self, data: Mapping[str, Any], numbers: Sequence[str], *, one_text: bool = True
    ) -> SendReceipt:
        """A group reply; fewer numbers accepted than sent asks the report which.

        Turkey SMS sends a group to its valid numbers and counts the others as
        invalid: ``total_mobile_num`` then falls short of the numbers sent, and
        the detailed report names them. Where it cannot, those numbers are left
        unconfirmed rather than reported as sent.
        """
        total = as_int(data.get("total_mobile_num"))
        if total is None or total >= len(numbers):
            return self._receipt(data, numbers, one_text=one_text)
        report_id = as_str(data.get("rapor_id"))
        rejected: tuple[str, ...] = ()
        if report_id is not None:
            try:
                report = await self.get_report(report_id, detailed=True)
            except SmsGatewayError as err:
                _LOGGER.debug("Turkey SMS report %s unavailable: %s", report_id, err)
            else:
                invalid = [
                    row for row in report.entries if row.state is DeliveryState.INVALID
                ]
                rejected = tuple(
                    n for n in numbers if any(row.is_for(n) for row in invalid)
                )
        if len(rejected) == len(numbers) - total:
            return self._receipt(data, numbers, one_text=one_text, rejected=rejected)
        return self._receipt(
            data,
            numbers,
            one_text=one_text,
            rejected=rejected,
            unconfirmed=tuple(n for n in numbers if n not in rejected),
        )

    @staticmethod
    def _receipt(
        data: Mapping[str, Any],
        numbers: Sequence[str],
        *,
        one_text: bool = True,
        rejected: tuple[str, ...] = (),
        unconfirmed: tuple[str, ...] = (),
    ) -> SendReceipt:
        """``credits`` only where the reply says it: parts of one text × numbers."""
        segments = as_int(data.get("number_of_sms"))
        total = as_int(data.get("total_mobile_num")) or len(numbers)
        left_out = set(rejected) | set(unconfirmed)
        return SendReceipt(
            numbers=tuple(n for n in numbers if n not in left_out),
            rejected=rejected,
            unconfirmed=unconfirmed,
            message_id=as_str(data.get("sms_id")),
            report_id=as_str(data.get("rapor_id")),
            segments=segments,
            credits=float(segments * total)
            if segments is not None and one_text
            else None,
        )

    async def _send_otp(
        self, number: str, digits: int, template: OtpTemplate | None, sender: str
    ) -> OtpReceipt:
        """The provider makes the code; a template puts it inside your text."""
        payload: dict[str, Any] = {"mobile": number, "digits": digits, "report": 1}
        if template is None:
            payload["lang"] = 0
            paths = ("/otp_post/sent-otp", "/otp_post/add-content")
            text_key = None
        else:
            # The text that goes out is the one the language was chosen for:
            # NFC-normalised, with CRLF as one line break.
            text = (
                template.text.replace("\r\n", "\n")
                .replace(OTP_PLACEHOLDER, OTP_CODE_MARK)
                .replace("\n", LINE_BREAK_MARK)
            )
            payload |= {
                "title": sender,
                "text": text,
                "lang": template.analysis.language_code,
            }
            paths = ("/otp_post_detailed/sent-otp", "/otp_post_detailed/add-content")
            text_key = "sms_text"
        try:
            data = await self._call(paths[0], payload, success=SENT, sends_message=True)
        except InvalidResponseError as err:
            if err.status != HTTPStatus.NOT_FOUND:
                raise
            if text_key is not None:
                payload[text_key] = payload.pop("text")
            data = await self._call(paths[1], payload, success=SENT, sends_message=True)
        code = as_str(data.get("otp_code"))
        if code is None:
            raise OutcomeUnknownError("Turkey SMS accepted the OTP but gave no code")
        return OtpReceipt(
            number=number,
            code=code,
            message_id=as_str(data.get("sms_id")),
            segments=as_int(data.get("number_of_sms")),
        )

    async def get_message_status(self, message_id: str) -> MessageStatus:
        """The status of one message by its ``sms_id``."""
        reply = await self._http.request(
            "GET",
            API + "/sms-durumu/sms_durumu.php",
            params=self._body({"sms_id": message_id}),
            sends_message=False,
        )
        data = decode_reply(reply.text)
        if data is None:
            raise InvalidResponseError("Turkey SMS status is not JSON")
        if not is_true(data.get("result")):
            raise error_for_code(PROVIDER, str(data.get("result_code") or ""))
        code = as_str(data.get("sms_status_code"))
        sent_at = None
        date, time = data.get("date_of_sending"), data.get("time_of_sending")
        if date and time:
            try:
                sent_at = datetime.fromisoformat(f"{date}T{time}")
            except ValueError:
                sent_at = None
        return MessageStatus(
            message_id=message_id,
            state=DELIVERY_STATES.get(code or "", DeliveryState.UNKNOWN),
            code=code,
            sender=as_str(data.get("sender_id")),
            sent_at=sent_at,
            operator=as_str(data.get("operator")),
            charged=as_str(data.get("sms_balance")),
        )

    async def get_report(self, report_id: str, *, detailed: bool) -> DeliveryReport:
        """A group send's report; ``detailed`` adds a row per number."""
        path = "/rapor/detayli" if detailed else "/rapor/temel"
        data = await self._call(
            path, {"raporid": report_id}, success=REPORT_OK, sends_message=False
        )
        return parse_report(data, report_id)
