"""What the delivery status action answers: the provider's models as plain data.

Report rows may carry local numbers; they are shown in E.164 where they parse.
"""

from __future__ import annotations

from typing import Any

from .client import DeliveryReport, MessageStatus
from .client.phone import PhoneNumberError, parse_phone_number
from .coordinator import SmsGatewayConfigEntry
from .validation import default_region


def status_response(status: MessageStatus) -> dict[str, Any]:
    """One message's status."""
    return {
        "message_id": status.message_id,
        "state": status.state.value,
        "code": status.code,
        "sender": status.sender,
        "sent_at": status.sent_at.isoformat() if status.sent_at else None,
        "operator": status.operator,
        "charged": status.charged,
    }


def _report_number(raw: str, entry: SmsGatewayConfigEntry) -> str:
    """Report rows may carry a local or international number: show E.164."""
    try:
        return parse_phone_number(raw, default_region(entry)).e164
    except PhoneNumberError:
        return raw


def report_response(
    report: DeliveryReport, entry: SmsGatewayConfigEntry
) -> dict[str, Any]:
    """A group send's report, a row per number when detailed."""
    return {
        "report_id": report.report_id,
        "status": report.status,
        "sent_at": report.sent_at,
        "sender": report.sender,
        "total": report.total,
        "received": report.received,
        "not_received": report.not_received,
        "invalid": report.invalid,
        "blocked": report.blocked,
        "operators": dict(report.operators),
        "numbers": [
            {
                "number": _report_number(row.number, entry),
                "state": row.state.value,
                "sent_at": row.sent_at,
                "done_at": row.done_at,
                "segments": row.segments,
                "operator": row.operator,
            }
            for row in report.entries
        ],
    }
