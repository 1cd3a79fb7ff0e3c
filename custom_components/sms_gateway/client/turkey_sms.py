"""Turkey SMS, API v3 (turkeysms.com.tr): JSON over POST, an API key."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation
import hashlib
from http import HTTPStatus
import json
from typing import Any, ClassVar, Final, Unpack

import aiohttp

from .errors import (
    InvalidResponseError,
    OutcomeUnknownError,
    UnsupportedFeatureError,
)
from .models import (
    AccountInfo,
    AccountStatus,
    DeliveryReport,
    DeliveryState,
    MessageStatus,
    OtpReceipt,
    ReportEntry,
    SendReceipt,
)
from .php_array import PrintRError, parse_print_r
from .provider import (
    OTP_PLACEHOLDER,
    ConnectionOptions,
    HttpSmsProvider,
    ProviderCapabilities,
)
from .result_codes import CodeKind, describe_code, error_for_code
from .text import SmsText, TextAnalysis, analysis_of, analyze_text

PROVIDER: Final = "turkey_sms"
DEFAULT_BASE_URL: Final = "https://turkeysms.com.tr"
API: Final = "/api/v3"

SENT: Final = "TS-1024"
NOT_DELIVERED: Final = "TS-1022"
OUT_OF_COVERAGE: Final = "TS-1023"
BALANCE_OK: Final = "TS-1040"
LOGIN_OK: Final = "TS-1046"
REPORT_OK: Final = "TS-1064"
TRUE_VALUES: Final = frozenset({True, "true", "1", "TRUE", "True"})
OTP_CODE_MARK: Final = "TS_CODE"
LINE_BREAK_MARK: Final = "TS-L"

_NOT_REFUSALS: Final = frozenset({CodeKind.SUCCESS, CodeKind.DELIVERY_STATE})

_DELIVERY_STATES: Final = {
    SENT: DeliveryState.DELIVERED,
    NOT_DELIVERED: DeliveryState.NOT_DELIVERED,
    OUT_OF_COVERAGE: DeliveryState.PENDING,
}


def _int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, TypeError):
        return None


def _str(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def _is_true(value: Any) -> bool:
    return isinstance(value, bool | int | str) and value in TRUE_VALUES


def decode_reply(text: str) -> dict[str, Any] | None:
    """A reply body as a dict: JSON, or the ``print_r`` style as a fallback."""
    try:
        data = json.loads(text)
    except ValueError:
        try:
            return parse_print_r(text)
        except PrintRError:
            return None
    return data if isinstance(data, dict) else None


class TurkeySms(HttpSmsProvider):
    """A Turkey SMS account, identified by its API key."""

    provider_id: ClassVar[str] = PROVIDER
    capabilities: ClassVar[ProviderCapabilities] = ProviderCapabilities(
        native_otp=True,
        per_recipient_texts=True,
        message_status=True,
        delivery_report=True,
        international_balance=True,
        max_numbers_per_request=500,
    )

    default_base_url: ClassVar[str] = DEFAULT_BASE_URL

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        api_key: str,
        **options: Unpack[ConnectionOptions],
    ) -> None:
        super().__init__(session, **options)
        self._api_key = api_key

    async def _call(
        self,
        path: str,
        payload: Mapping[str, Any],
        *,
        success: str,
        sends_message: bool,
    ) -> dict[str, Any]:
        body = {"api_key": self._api_key, **payload, "response_type": "json"}
        reply = await self._http.request(
            "POST", API + path, json=body, sends_message=sends_message
        )
        data = decode_reply(reply.text)
        if data is None:
            raise self._unusable_answer(
                "Turkey SMS answered a body that is not JSON",
                sends_message=sends_message,
            )
        code = str(data.get("result_code") or data.get("status_code") or "")
        if code == success and _is_true(data.get("result", True)):
            return data
        known = describe_code(PROVIDER, code)
        refused = known is not None and known.kind not in _NOT_REFUSALS
        # A send is only known not to have gone out when the provider names a
        # documented refusal; anything else may hide an accepted message.
        if code and code != success and (refused or not sends_message):
            raise error_for_code(PROVIDER, code)
        raise self._unusable_answer(
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
        user_id = _str(data.get("user_id"))
        if user_id is None:
            raise InvalidResponseError("Turkey SMS login answered no user_id")
        return AccountInfo(account_id=user_id, name=_str(data.get("account_name")))

    async def fetch_account_status(self) -> AccountStatus:
        """Local SMS balance and international balance in TL."""
        data = await self._call(
            "/bakiye_sorgulama/add-content", {}, success=BALANCE_OK, sends_message=False
        )
        local = _decimal(data.get("local_balance_sms"))
        return AccountStatus(
            sms_balance=float(local) if local is not None else None,
            international_balance=_decimal(data.get("international_balance_tl")),
        )

    async def send(
        self,
        numbers: Sequence[str],
        text: SmsText,
        *,
        sender: str | None = None,
        send_at: datetime | None = None,
    ) -> SendReceipt:
        """One number: the single endpoint; several: the group endpoint."""
        if send_at is not None:
            raise UnsupportedFeatureError("Turkey SMS has no documented scheduling")
        analysis = analysis_of(text)
        payload: dict[str, Any] = {
            "title": self._sender_or_default(sender),
            "text": analysis.text,
            "report": 1,
            "sms_lang": analysis.language_code,
        }
        if len(numbers) == 1:
            payload["sentto"] = numbers[0]
            data = await self._call(
                "/gonder/add-content", payload, success=SENT, sends_message=True
            )
        else:
            payload["sentto"] = list(numbers)
            data = await self._call(
                "/gruba-gonder/post/tek-metin-gonderimi/",
                payload,
                success=SENT,
                sends_message=True,
            )
        return self._receipt(data, numbers)

    def individual_batches(
        self, messages: Sequence[tuple[str, TextAnalysis]], size: int
    ) -> list[Sequence[tuple[str, TextAnalysis]]]:
        """One alphabet per request.

        A request declares one language: a GSM-7 text sent in a Unicode request
        would cost more parts, so each alphabet gets requests of its own.
        """
        by_alphabet: dict[int, list[tuple[str, TextAnalysis]]] = {}
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
        return self._receipt(data, [number for number, _ in messages], one_text=False)

    @staticmethod
    def _receipt(
        data: Mapping[str, Any], numbers: Sequence[str], *, one_text: bool = True
    ) -> SendReceipt:
        """``credits`` only where the reply says it: parts of one text × numbers."""
        segments = _int(data.get("number_of_sms"))
        total = _int(data.get("total_mobile_num")) or len(numbers)
        return SendReceipt(
            numbers=tuple(numbers),
            result_code=SENT,
            message_id=_str(data.get("sms_id")),
            report_id=_str(data.get("rapor_id")),
            segments=segments,
            credits=float(segments * total)
            if segments is not None and one_text
            else None,
        )

    async def send_otp(
        self,
        number: str,
        *,
        digits: int,
        template: str | None = None,
        sender: str | None = None,
    ) -> OtpReceipt:
        """The provider makes the code; a template puts it inside your text."""
        payload: dict[str, Any] = {"mobile": number, "digits": digits, "report": 1}
        if template is None:
            payload["lang"] = 0
            paths = ("/otp_post/sent-otp", "/otp_post/add-content")
            text_key = None
        else:
            text = template.replace(OTP_PLACEHOLDER, OTP_CODE_MARK).replace(
                "\n", LINE_BREAK_MARK
            )
            analysis = analyze_text(template.replace(OTP_PLACEHOLDER, "0" * digits))
            payload |= {
                "title": self._sender_or_default(sender),
                "text": text,
                "lang": analysis.language_code,
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
        code = _str(data.get("otp_code"))
        if code is None:
            raise OutcomeUnknownError("Turkey SMS accepted the OTP but gave no code")
        return OtpReceipt(
            number=number,
            code=code,
            message_id=_str(data.get("sms_id")),
            segments=_int(data.get("number_of_sms")),
        )

    async def get_message_status(self, message_id: str) -> MessageStatus:
        """The status of one message by its ``sms_id``."""
        body = {"api_key": self._api_key, "sms_id": message_id, "response_type": "json"}
        reply = await self._http.request(
            "GET", API + "/sms-durumu/sms_durumu.php", params=body, sends_message=False
        )
        data = decode_reply(reply.text)
        if data is None:
            raise InvalidResponseError("Turkey SMS status is not JSON")
        if not _is_true(data.get("result")):
            raise error_for_code(PROVIDER, str(data.get("result_code") or ""))
        code = _str(data.get("sms_status_code"))
        sent_at = None
        date, time = data.get("date_of_sending"), data.get("time_of_sending")
        if date and time:
            try:
                sent_at = datetime.fromisoformat(f"{date}T{time}")
            except ValueError:
                sent_at = None
        return MessageStatus(
            message_id=message_id,
            state=_DELIVERY_STATES.get(code or "", DeliveryState.UNKNOWN),
            code=code,
            sender=_str(data.get("sender_id")),
            sent_at=sent_at,
            operator=_str(data.get("operator")),
            charged=_str(data.get("sms_balance")),
        )

    async def get_report(self, report_id: str, *, detailed: bool) -> DeliveryReport:
        """A group send's report; ``detailed`` adds a row per number."""
        path = "/rapor/detayli" if detailed else "/rapor/temel"
        data = await self._call(
            path, {"raporid": report_id}, success=REPORT_OK, sends_message=False
        )
        operators = {
            name: count
            for name in ("turkcell", "turktelekom", "vodafone")
            if (count := _int(data.get(f"{name}_count"))) is not None
        }
        rows = data.get("numbers") or []
        if isinstance(rows, Mapping):
            rows = list(rows.values())
        entries = tuple(
            ReportEntry(
                number=str(row.get("phone_number", "")),
                state=_report_state(row.get("sms_status")),
                sent_at=_str(row.get("sent_at")),
                done_at=_str(row.get("done_at")),
                segments=_int(row.get("sms_count")),
                operator=_str(row.get("operator")),
            )
            for row in rows
            if isinstance(row, Mapping)
        )
        return DeliveryReport(
            report_id=str(data.get("report_id") or report_id),
            status=_str(data.get("report_status")),
            sent_at=_join_date_time(data.get("sending_date"), data.get("sending_time")),
            sender=_str(data.get("sms_sender_id")),
            total=_int(data.get("total_mobile_numbers")),
            received=_int(data.get("numbers_received")),
            not_received=_int(data.get("numbers_not_received")),
            invalid=_int(data.get("invalid_numbers")),
            blocked=_int(data.get("blocked_numbers")),
            operators=operators,
            entries=entries,
        )


def _join_date_time(date: Any, time: Any) -> str | None:
    parts = [str(part) for part in (date, time) if part]
    return " ".join(parts) or None


def _report_state(value: Any) -> DeliveryState:
    """Report rows carry a status code or a word; map both."""
    text = str(value or "").strip()
    if text in _DELIVERY_STATES:
        return _DELIVERY_STATES[text]
    lowered = text.lower()
    if lowered in {
        "delivered",
        "received",
        "teslim edildi",
        "number received the message",
    }:
        return DeliveryState.DELIVERED
    if lowered in {
        "not_delivered",
        "not delivered",
        "not received",
        "failed",
        "number did not receive the message",
    }:
        return DeliveryState.NOT_DELIVERED
    if lowered in {
        "pending",
        "waiting",
        "out_of_coverage",
        "out of coverage",
        "number out of coverage, not received yet",
    }:
        return DeliveryState.PENDING
    return DeliveryState.UNKNOWN
