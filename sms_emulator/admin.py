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
from typing import Any, Final

from aiohttp import web

from .delivery import parse_scripts, script_to_json
from .faults import Fault
from .seed import TURKEY_FLAGS, HismsAccount, SeedError, TurkeyAccount, senders
from .snapshot import EmulatorView, hisms_dict, snapshot, turkey_dict
from .state import HISMS, TURKEY_SMS

PREFIX: Final = "/_emulator"


def add_routes(app: web.Application, emu: EmulatorView) -> None:
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
    route("GET", "/delivery-scripts", _delivery_scripts)
    route("POST", "/delivery-scripts", _add_delivery_scripts)
    route("DELETE", "/delivery-scripts", _clear_delivery_scripts)


# -- handlers -------------------------------------------------------------------


async def _state(emu: EmulatorView, request: web.Request) -> web.StreamResponse:
    return _json(snapshot(emu))


async def _faults(emu: EmulatorView, request: web.Request) -> web.StreamResponse:
    return _json({"faults": [f.to_dict() for f in emu.faults]})


async def _add_faults(emu: EmulatorView, request: web.Request) -> web.StreamResponse:
    data = await _body(request)
    items = data if isinstance(data, list) else [data]
    faults = [Fault.from_dict(item) for item in items]
    added = [emu.faults.add(fault).to_dict() for fault in faults]
    return _json({"faults": added}, status=201)


async def _clear_faults(emu: EmulatorView, request: web.Request) -> web.StreamResponse:
    return _json({"cleared": emu.faults.clear()})


async def _remove_fault(emu: EmulatorView, request: web.Request) -> web.StreamResponse:
    try:
        fault_id = int(request.match_info["fault_id"])
    except ValueError:
        raise ValueError("fault id must be an integer") from None
    if not emu.faults.remove(fault_id):
        return _json({"error": f"no fault {fault_id}"}, status=404)
    return _json({"removed": fault_id})


async def _delivery_scripts(
    emu: EmulatorView, request: web.Request
) -> web.StreamResponse:
    return _json({n: script_to_json(s) for n, s in emu.state.delivery_scripts.items()})


async def _add_delivery_scripts(
    emu: EmulatorView, request: web.Request
) -> web.StreamResponse:
    emu.state.delivery_scripts.update(parse_scripts(await _body(request)))
    return await _delivery_scripts(emu, request)


async def _clear_delivery_scripts(
    emu: EmulatorView, request: web.Request
) -> web.StreamResponse:
    emu.state.delivery_scripts.clear()
    return _json({})


async def _reset(emu: EmulatorView, request: web.Request) -> web.StreamResponse:
    emu.reset()
    return _json({"reset": True})


async def _settings(emu: EmulatorView, request: web.Request) -> web.StreamResponse:
    return _json(snapshot(emu)["settings"])


async def _update_settings(
    emu: EmulatorView, request: web.Request
) -> web.StreamResponse:
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


async def _patch_account(emu: EmulatorView, request: web.Request) -> web.StreamResponse:
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
    allowed = {*TURKEY_FLAGS, "account_name", "local_balance"}
    allowed |= {"international_balance_tl", "senders"}
    _known(data, allowed)
    changes: dict[str, Any] = {}
    for flag in TURKEY_FLAGS:
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


def patch_hisms(emu: EmulatorView, account: HismsAccount, data: dict[str, Any]) -> None:
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
