"""Reading Turkey SMS replies: loose values, delivery states and reports.

The API answers numbers as strings or numbers, booleans in several spellings
and report rows as a list or an object; this is where that is smoothed out.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
import json
from typing import Any, Final

from .models import DeliveryReport, DeliveryState, ReportEntry
from .php_array import PrintRError, parse_print_r

SENT: Final = "TS-1024"
NOT_DELIVERED: Final = "TS-1022"
OUT_OF_COVERAGE: Final = "TS-1023"
TRUE_VALUES: Final = frozenset({True, "true", "1", "TRUE", "True"})

DELIVERY_STATES: Final = {
    SENT: DeliveryState.DELIVERED,
    NOT_DELIVERED: DeliveryState.NOT_DELIVERED,
    OUT_OF_COVERAGE: DeliveryState.PENDING,
}


def as_int(value: Any) -> int | None:
    """A whole number, or None."""
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def as_decimal(value: Any) -> Decimal | None:
    """A decimal, also with a comma, or None."""
    try:
        return Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, TypeError):
        return None


def as_str(value: Any) -> str | None:
    """A non-empty string, or None."""
    return None if value is None or value == "" else str(value)


def is_true(value: Any) -> bool:
    """Whether the API meant yes."""
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


def parse_report(data: Mapping[str, Any], report_id: str) -> DeliveryReport:
    """A basic or detailed report reply."""
    operators = {
        name: count
        for name in ("turkcell", "turktelekom", "vodafone")
        if (count := as_int(data.get(f"{name}_count"))) is not None
    }
    rows = data.get("numbers") or []
    if isinstance(rows, Mapping):
        rows = list(rows.values())
    entries = tuple(_report_entry(row) for row in rows if isinstance(row, Mapping))
    return DeliveryReport(
        report_id=str(data.get("report_id") or report_id),
        status=as_str(data.get("report_status")),
        sent_at=_join_date_time(data.get("sending_date"), data.get("sending_time")),
        sender=as_str(data.get("sms_sender_id")),
        total=as_int(data.get("total_mobile_numbers")),
        received=as_int(data.get("numbers_received")),
        not_received=as_int(data.get("numbers_not_received")),
        invalid=as_int(data.get("invalid_numbers")),
        blocked=as_int(data.get("blocked_numbers")),
        operators=operators,
        entries=entries,
        validity_minutes=as_int(data.get("message_validity_duration")),
    )


def _report_entry(row: Mapping[str, Any]) -> ReportEntry:
    """One number's row; its status is a code or the provider's own words."""
    status = as_str(row.get("sms_status"))
    return ReportEntry(
        number=str(row.get("phone_number", "")),
        state=_report_state(status),
        sent_at=as_str(row.get("sent_at")),
        done_at=as_str(row.get("done_at")),
        segments=as_int(row.get("sms_count")),
        operator=as_str(row.get("operator")),
        status_text=status,
    )


def _join_date_time(date: Any, time: Any) -> str | None:
    parts = [str(part) for part in (date, time) if part]
    return " ".join(parts) or None


def _report_state(value: Any) -> DeliveryState:
    """Report rows carry a status code or a word; map both."""
    text = str(value or "").strip()
    if text in DELIVERY_STATES:
        return DELIVERY_STATES[text]
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
    if lowered in {"invalid", "invalid number", "invalid_number"}:
        return DeliveryState.INVALID
    return DeliveryState.UNKNOWN
