r"""Bodies as a PHP server writes them: ``json_encode``, ``print_r`` and plain text.

Both providers run PHP. Turkey SMS answers ``json_encode`` output only when asked
with ``response_type=json`` and ``print_r`` otherwise; HiSMS prints short plain
strings. Reproducing the PHP quirks (escaped slashes, ``\uXXXX`` escapes,
``print_r`` writing ``true`` as ``1``) keeps client parsers honest.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
import json
from typing import Any, Final

RESULT_STYLES: Final = ("bool", "string")
"""``bool``: ``result`` is PHP true/false; ``string``: the strings "true"/"false"."""

PHP_CONTENT_TYPE: Final = "text/html; charset=UTF-8"
"""PHP's default Content-Type when a script sets none."""
JSON_CONTENT_TYPE: Final = "application/json"


def with_result_style(payload: Mapping[str, Any], style: str) -> dict[str, Any]:
    """Turn a boolean ``result`` into the strings "true"/"false" when asked."""
    result = dict(payload)
    if style == "string" and isinstance(result.get("result"), bool):
        result["result"] = "true" if result["result"] else "false"
    return result


def php_json(value: Any) -> str:
    """``json_encode`` with PHP's default flags."""
    return json.dumps(_plain(value), ensure_ascii=True, separators=(",", ":")).replace(
        "/", "\\/"
    )


def php_print_r(value: Any) -> str:
    """``print_r`` of an array (or a scalar), byte for byte."""
    return _print_r(_plain(value), 0)


def _print_r(value: Any, indent: int) -> str:
    if isinstance(value, dict | list):
        items = value.items() if isinstance(value, dict) else enumerate(value)
        pad = " " * indent
        lines = [f"Array\n{pad}(\n"]
        for key, item in items:
            lines.append(f"{pad}    [{key}] => {_print_r(item, indent + 8)}\n")
        lines.append(f"{pad})\n")
        return "".join(lines)
    if value is True:
        return "1"
    if value is False or value is None:
        return ""
    return str(value)


def _plain(value: Any) -> Any:
    """Decimals to strings, tuples to lists: what PHP arrays would hold."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return [_plain(v) for v in value]
    return value


def turkey_body(
    payload: Mapping[str, Any],
    response_type: str | None,
    result_style: str,
    json_content_type: str = JSON_CONTENT_TYPE,
) -> tuple[bytes, str]:
    """Render a Turkey SMS reply: JSON when asked for, ``print_r`` otherwise."""
    styled = with_result_style(payload, result_style)
    if (response_type or "").strip().lower() == "json":
        return php_json(styled).encode(), json_content_type
    return php_print_r(styled).encode(), PHP_CONTENT_TYPE


def plain_body(text: str) -> tuple[bytes, str]:
    """Render a HiSMS reply."""
    return text.encode(), PHP_CONTENT_TYPE


@dataclass
class Reply:
    """A provider's answer before rendering, and what the request log records."""

    payload: dict[str, Any] | str
    """Turkey SMS: the array the PHP script would encode; HiSMS: the body."""
    outcome: str
    """The result code the client sees (HiSMS: the whole short body)."""
    message_ids: tuple[str, ...] = ()
    """Ids the answer carried: sms_id, rapor_id or the HiSMS message id."""
    account: str | None = None
    status: int = 200
