"""The inbox page: what the phones would have received, at a glance.

One self-contained HTML page (inline CSS, no scripts or external assets, a meta
refresh) rendered from the same snapshot as ``/_emulator/state``. Every value
that came from a request or the seed is escaped.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any, Final

from aiohttp import web

from .snapshot import EmulatorView, snapshot
from .state import HISMS, TURKEY_SMS

REFRESH_SECONDS: Final = 3
LOG_ROWS: Final = 200

_CSS: Final = """
body{font:14px/1.4 system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1d2330}
header{background:#1d2330;color:#fff;padding:12px 24px}
header h1{font-size:18px;margin:0}
header p{margin:2px 0 0;color:#aab1c0;font-size:12px}
main{padding:16px 24px;display:grid;gap:16px}
section{background:#fff;border-radius:8px;padding:12px 16px;
box-shadow:0 1px 2px rgba(0,0,0,.08)}
h2{font-size:15px;margin:0 0 8px}
h3{font-size:14px;margin:12px 0 4px;font-family:ui-monospace,monospace}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eceef2;
vertical-align:top}
th{font-size:12px;color:#5b6375;font-weight:600}
.text{white-space:pre-wrap;max-width:480px}
.badge{display:inline-block;padding:0 6px;border-radius:4px;font-size:12px;
background:#e6e9f0}
.ok{background:#d9f2e3}.bad{background:#fadcdc}.wait{background:#fff1cc}
.empty{color:#8a91a3}
"""

_GOOD: Final = frozenset({"TS-1024", "sent"})
_BAD: Final = frozenset({"TS-1022", "deleted"})


def add_routes(app: web.Application, emu: EmulatorView) -> None:
    """Serve the page at ``/`` and ``/inbox``."""

    async def page(request: web.Request) -> web.Response:
        emu.tick()
        return web.Response(text=render(snapshot(emu)), content_type="text/html")

    app.router.add_get("/", page)
    app.router.add_get("/inbox", page)


def render(data: dict[str, Any]) -> str:
    """The whole page for a snapshot."""
    sections = [
        _messages(data),
        _balances(data),
        _scheduled(data),
        _log(data),
    ]
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<meta http-equiv='refresh' content='{REFRESH_SECONDS}'>"
        "<title>SMS emulator inbox</title>"
        f"<style>{_CSS}</style></head><body>"
        "<header><h1>SMS emulator inbox</h1>"
        f"<p>{_e(data['base_url'] or '')} · {_when(data['now'])} · "
        f"result style {_e(data['settings']['result_style'])}</p></header>"
        f"<main>{''.join(sections)}</main></body></html>"
    )


def _messages(data: dict[str, Any]) -> str:
    reminders: dict[str, list[dict[str, Any]]] = {}
    for reminder in data["reminders"]:
        reminders.setdefault(reminder["number"], []).append(reminder)
    numbers = list(data["messages_by_number"]) + [
        n for n in reminders if n not in data["messages_by_number"]
    ]
    if not numbers:
        return _section("Messages", "<p class='empty'>No messages yet.</p>")
    parts = []
    for number in numbers:
        rows = [
            _row(
                _e(m["provider"]),
                _when(m["sent_at"] or m["submitted_at"]),
                _e(m["sender"]),
                _text_cell(m["text"]),
                str(m["segments"]),
                _badge(m["status"]),
            )
            for m in data["messages_by_number"].get(number, [])
        ]
        rows += [
            _row(
                HISMS,
                _when(r["sent_at"]),
                "HiSMS",
                _text_cell(r["text"]),
                "1",
                _badge("sent"),
            )
            for r in reminders.get(number, [])
        ]
        head = _head("Provider", "Time", "Sender", "Text", "Parts", "Status")
        parts.append(f"<h3>{_e(number)}</h3><table>{head}{''.join(rows)}</table>")
    return _section("Messages by number", "".join(parts))


def _balances(data: dict[str, Any]) -> str:
    rows = [
        _row(
            "Turkey SMS",
            _e(f"{a['user_id']} · {a['account_name']}"),
            _e(f"{a['local_balance']} SMS · {a['international_balance_tl']} TL"),
            _badge("active" if a["active"] else "inactive"),
            _e(", ".join(f"{k} ({v})" for k, v in a["senders"].items())),
        )
        for a in data["accounts"][TURKEY_SMS]
    ]
    rows += [
        _row(
            "HiSMS",
            _e(a["username"]),
            _e(f"{a['balance']} credit"),
            _badge(
                "locked"
                if a["locked_until"]
                else ("disabled" if a["disabled"] else "active")
            ),
            _e(", ".join(f"{k} ({v})" for k, v in a["senders"].items())),
        )
        for a in data["accounts"][HISMS]
    ]
    head = _head("Provider", "Account", "Balance", "State", "Senders")
    return _section("Accounts", f"<table>{head}{''.join(rows)}</table>")


def _scheduled(data: dict[str, Any]) -> str:
    if not data["scheduled"]:
        return _section("Scheduled", "<p class='empty'>Nothing scheduled.</p>")
    rows = [
        _row(
            _when(m["scheduled_for"]),
            _e(m["account"]),
            _e(m["number"]),
            _e(m["sender"]),
            _text_cell(m["text"]),
        )
        for m in data["scheduled"]
    ]
    head = _head("Due", "Account", "Number", "Sender", "Text")
    return _section("Scheduled", f"<table>{head}{''.join(rows)}</table>")


def _log(data: dict[str, Any]) -> str:
    entries = data["log"][:LOG_ROWS]
    if not entries:
        return _section("Request log", "<p class='empty'>No requests yet.</p>")
    rows = [
        _row(
            _when(e["time"]),
            _e(e["provider"]),
            _e(f"{e['method']} {e['function']}"),
            _badge(e["outcome"]),
            "yes" if e["processed"] else "no",
            _e(e["fault"] or ""),
            _e(", ".join(e["numbers"])),
            _e(", ".join(e["message_ids"])),
        )
        for e in entries
    ]
    head = _head(
        "Time", "Provider", "Call", "Outcome", "Processed", "Fault", "Numbers", "Ids"
    )
    return _section(
        "Request log (latest first)", f"<table>{head}{''.join(rows)}</table>"
    )


def _section(title: str, body: str) -> str:
    return f"<section><h2>{_e(title)}</h2>{body}</section>"


def _head(*names: str) -> str:
    return "<tr>" + "".join(f"<th>{_e(n)}</th>" for n in names) + "</tr>"


def _row(*cells: str) -> str:
    """Cells are already escaped HTML."""
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def _text_cell(text: str) -> str:
    return f"<div class='text'>{_e(text)}</div>"


def _badge(status: str) -> str:
    if status in _GOOD or status.startswith("3") or status == "active":
        tone = "ok"
    elif status in _BAD or status in ("inactive", "disabled", "locked"):
        tone = "bad"
    elif status in ("TS-1023", "scheduled", "pending"):
        tone = "wait"
    else:
        tone = ""
    return f"<span class='badge {tone}'>{_e(status)}</span>"


def _when(iso: str) -> str:
    """An ISO time as ``2025-01-15 12:00:00 +03:00`` (or ``UTC``)."""
    moment = datetime.fromisoformat(iso)
    offset = moment.strftime("%z")
    zone = "UTC" if offset in ("", "+0000") else f"{offset[:3]}:{offset[3:]}"
    return _e(f"{moment:%Y-%m-%d %H:%M:%S} {zone}")


def _e(value: Any) -> str:
    return escape(str(value), quote=True)
