"""The ``/_emulator/`` control API: state, faults, settings, accounts, reset.

It lets a process that cannot call the Python API (a dev server, a browser, a
shell) steer the emulator. Account secrets (API keys, passwords) never appear in
its answers; accounts are addressed by Turkey SMS ``user_id`` / HiSMS username.
Admin requests are not part of the provider request log.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
import json
from typing import TYPE_CHECKING, Any, Final

from aiohttp import web

from .faults import Fault
from .seed import HismsAccount, SeedError, TurkeyAccount, senders
from .state import HISMS, STATUS_SCHEDULED, TURKEY_SMS, SentMessage

if TYPE_CHECKING:
    from .server import Emulator

PREFIX: Final = "/_emulator"

_TURKEY_FLAGS: Final = (
    "active",
    "international_enabled",
    "post_enabled",
    "get_enabled",
    "status_enabled",
    "balance_enabled",
)


def add_routes(app: web.Application, emu: Emulator) -> None:
    """Register the admin endpoints."""

    def route(method: str, path: str, handler: Callable[..., Any]) -> None:
        async def wrapped(request: web.Request) -> web.StreamResponse:
            emu.tick()
            try:
                result: web.StreamResponse = await handler(emu, request)
            except (TypeError, ValueError, SeedError) as err:
                return _json({"error": str(err)}, status=400)
            return result

        app.router.add_route(method, PREFIX + path, wrapped)

    route("GET", "/state", _state)
    route("GET", "/faults", _faults)
    route("POST", "/faults", _add_faults)
    route("DELETE", "/faults", _clear_faults)
    route("DELETE", "/faults/{fault_id}", _remove_fault)
    route("POST", "/reset", _reset)
    route("GET", "/settings", _settings)
    route("POST", "/settings", _update_settings)
    route("PATCH", "/accounts/{provider}/{account_id}", _patch_account)


def snapshot(emu: Emulator) -> dict[str, Any]:
    """Everything worth seeing, JSON-ready; the inbox page renders the same."""
    state = emu.state
    by_number: dict[str, list[dict[str, Any]]] = {}
    for message in reversed(state.messages):
        by_number.setdefault(message.number, []).append(message_dict(message))
    return {
        "now": emu.clock().isoformat(),
        "base_url": emu.base_url,
        "settings": {
            **emu.settings.to_dict(),
            "delivery_delay_seconds": state.delivery_delay_seconds,
        },
        "accounts": {
            TURKEY_SMS: [turkey_dict(a) for a in state.turkey_accounts.values()],
            HISMS: [hisms_dict(emu, a) for a in state.hisms_accounts.values()],
        },
        "messages_by_number": by_number,
        "scheduled": [
            message_dict(m) for m in state.messages if m.status == STATUS_SCHEDULED
        ],
        "reports": [
            {
                "report_id": r.report_id,
                "account": r.account,
                "sender": r.sender,
                "created_at": r.created_at.isoformat(),
                "message_ids": list(r.message_ids),
            }
            for r in state.reports.values()
        ],
        "reminders": [
            {
                "username": r.username,
                "number": r.number,
                "sent_at": r.sent_at.isoformat(),
                "text": "Password reminder (password hidden)",
            }
            for r in state.reminders
        ],
        "faults": [f.to_dict() for f in emu.faults],
        "log": [e.to_dict() for e in reversed(emu.log)],
    }


def message_dict(message: SentMessage) -> dict[str, Any]:
    """JSON form of an accepted message."""
    return {
        "provider": message.provider,
        "account": message.account,
        "function": message.function,
        "message_id": message.message_id,
        "report_id": message.report_id,
        "number": message.number,
        "text": message.text,
        "sender": message.sender,
        "segments": message.segments,
        "charged": str(message.charged),
        "charge_unit": message.charge_unit,
        "status": message.status,
        "otp_code": message.otp_code,
        "scheduled_for": _iso(message.scheduled_for),
        "submitted_at": message.submitted_at.isoformat(),
        "sent_at": _iso(message.sent_at),
        "done_at": _iso(message.done_at),
    }


def turkey_dict(account: TurkeyAccount) -> dict[str, Any]:
    """A Turkey SMS account without its API key."""
    return {
        "user_id": account.user_id,
        "account_name": account.account_name,
        **{flag: getattr(account, flag) for flag in _TURKEY_FLAGS},
        "local_balance": account.local_balance,
        "international_balance_tl": f"{account.international_balance_tl:.2f}",
        "senders": dict(account.senders),
    }


def hisms_dict(emu: Emulator, account: HismsAccount) -> dict[str, Any]:
    """A HiSMS account without its password."""
    locked = emu.state.locked_until.get(account.username)
    return {
        "username": account.username,
        "disabled": account.disabled,
        "balance": account.balance,
        "senders": dict(account.senders),
        "failed_logins": emu.state.failed_logins.get(account.username, 0),
        "locked_until": _iso(locked) if locked and locked > emu.clock() else None,
    }


# -- handlers -------------------------------------------------------------------


async def _state(emu: Emulator, request: web.Request) -> web.StreamResponse:
    return _json(snapshot(emu))


async def _faults(emu: Emulator, request: web.Request) -> web.StreamResponse:
    return _json({"faults": [f.to_dict() for f in emu.faults]})


async def _add_faults(emu: Emulator, request: web.Request) -> web.StreamResponse:
    data = await _body(request)
    items = data if isinstance(data, list) else [data]
    faults = [Fault.from_dict(item) for item in items]
    added = [emu.faults.add(fault).to_dict() for fault in faults]
    return _json({"faults": added}, status=201)


async def _clear_faults(emu: Emulator, request: web.Request) -> web.StreamResponse:
    return _json({"cleared": emu.faults.clear()})


async def _remove_fault(emu: Emulator, request: web.Request) -> web.StreamResponse:
    try:
        fault_id = int(request.match_info["fault_id"])
    except ValueError:
        raise ValueError("fault id must be an integer") from None
    if not emu.faults.remove(fault_id):
        return _json({"error": f"no fault {fault_id}"}, status=404)
    return _json({"removed": fault_id})


async def _reset(emu: Emulator, request: web.Request) -> web.StreamResponse:
    emu.reset()
    return _json({"reset": True})


async def _settings(emu: Emulator, request: web.Request) -> web.StreamResponse:
    return _json(snapshot(emu)["settings"])


async def _update_settings(emu: Emulator, request: web.Request) -> web.StreamResponse:
    data = await _body(request)
    if not isinstance(data, dict):
        raise TypeError("settings must be an object")
    data = dict(data)
    if "delivery_delay_seconds" in data:
        delay = data.pop("delivery_delay_seconds")
        if isinstance(delay, bool) or not isinstance(delay, int | float) or delay < 0:
            raise ValueError("delivery_delay_seconds must be a non-negative number")
        emu.state.delivery_delay_seconds = float(delay)
    emu.settings.update(data)
    return _json(snapshot(emu)["settings"])


async def _patch_account(emu: Emulator, request: web.Request) -> web.StreamResponse:
    provider = request.match_info["provider"]
    account_id = request.match_info["account_id"]
    data = await _body(request)
    if not isinstance(data, dict):
        raise TypeError("the account change must be an object")
    if provider == TURKEY_SMS:
        turkey = emu.state.turkey_account(account_id)
        if turkey is None:
            return _json({"error": f"no account {account_id}"}, status=404)
        patch_turkey(turkey, data)
        return _json(turkey_dict(turkey))
    if provider == HISMS:
        account = emu.state.hisms_accounts.get(account_id)
        if account is None:
            return _json({"error": f"no account {account_id}"}, status=404)
        patch_hisms(emu, account, data)
        return _json(hisms_dict(emu, account))
    return _json({"error": f"unknown provider {provider}"}, status=404)


def patch_turkey(account: TurkeyAccount, data: dict[str, Any]) -> None:
    """Apply a validated change to a Turkey SMS account (all or nothing)."""
    allowed = {*_TURKEY_FLAGS, "account_name", "local_balance"}
    allowed |= {"international_balance_tl", "senders"}
    _known(data, allowed)
    changes: dict[str, Any] = {}
    for flag in _TURKEY_FLAGS:
        if flag in data:
            changes[flag] = _bool(data[flag], flag)
    if "account_name" in data:
        if not isinstance(data["account_name"], str) or not data["account_name"]:
            raise ValueError("account_name must be a non-empty string")
        changes["account_name"] = data["account_name"]
    if "local_balance" in data:
        changes["local_balance"] = _count(data["local_balance"], "local_balance")
    if "international_balance_tl" in data:
        changes["international_balance_tl"] = _amount(data["international_balance_tl"])
    if "senders" in data:
        changes["senders"] = {**account.senders, **senders(data["senders"])}
    for name, value in changes.items():
        setattr(account, name, value)


def patch_hisms(emu: Emulator, account: HismsAccount, data: dict[str, Any]) -> None:
    """Apply a validated change to a HiSMS account (all or nothing)."""
    _known(data, {"disabled", "balance", "senders", "password", "locked"})
    changes: dict[str, Any] = {}
    if "disabled" in data:
        changes["disabled"] = _bool(data["disabled"], "disabled")
    if "balance" in data:
        changes["balance"] = _count(data["balance"], "balance")
    if "senders" in data:
        changes["senders"] = {**account.senders, **senders(data["senders"])}
    if "password" in data:
        if not isinstance(data["password"], str) or not data["password"]:
            raise ValueError("password must be a non-empty string")
        changes["password"] = data["password"]
    unlock = "locked" in data and not _bool(data["locked"], "locked")
    if "locked" in data and not unlock:
        raise ValueError("locked can only be set to false")
    for name, value in changes.items():
        setattr(account, name, value)
    if unlock:
        emu.state.locked_until.pop(account.username, None)
        emu.state.failed_logins.pop(account.username, None)


# -- helpers --------------------------------------------------------------------


async def _body(request: web.Request) -> Any:
    try:
        return json.loads(await request.text() or "null")
    except json.JSONDecodeError as err:
        raise ValueError(f"the body is not JSON: {err}") from err


def _json(data: Any, status: int = 200) -> web.Response:
    return web.json_response(data, status=status)


def _known(data: dict[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ValueError(f"unknown fields {unknown}")


def _bool(value: Any, name: str) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be true or false")
    return value


def _count(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be a non-negative integer")
    return int(value)


def _amount(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise TypeError("international_balance_tl must be an amount")
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ValueError("international_balance_tl must be an amount") from None
    if not amount.is_finite() or amount < 0:
        raise ValueError("international_balance_tl must be a non-negative amount")
    return amount.quantize(Decimal("0.01"))


def _iso(moment: Any) -> str | None:
    return None if moment is None else str(moment.isoformat())
