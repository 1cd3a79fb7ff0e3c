"""The ``/_emulator/`` control API: state, faults, settings, accounts, reset.

It lets a process that cannot call the Python API (a dev server, a browser, a
shell) steer the emulator. Account secrets (API keys, passwords) never appear in
its answers; accounts are addressed by Turkey SMS ``user_id`` / HiSMS username.
Admin requests are not part of the provider request log.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
import json
from typing import Any, Final

from aiohttp import web

from .delivery import parse_scripts, script_to_json
from .faults import Fault
from .seed import (
    HISMS_CHECKS,
    TURKEY_CHECKS,
    TURKEY_FLAGS,
    Check,
    HismsAccount,
    SeedError,
    TurkeyAccount,
    boolean,
    checked,
    number,
)
from .snapshot import EmulatorView, hisms_dict, settings_view, snapshot, turkey_dict
from .state import HISMS, TURKEY_SMS

PREFIX: Final = "/_emulator"

type Handler = Callable[[EmulatorView, web.Request], Awaitable[web.StreamResponse]]


def add_routes(app: web.Application, emu: EmulatorView) -> None:
    """Register the admin endpoints."""

    def route(method: str, path: str, handler: Handler) -> None:
        async def wrapped(request: web.Request) -> web.StreamResponse:
            emu.tick()
            try:
                return await handler(emu, request)
            except (TypeError, ValueError, SeedError) as err:
                return _json({"error": str(err)}, status=400)

        app.router.add_route(method, PREFIX + path, wrapped)

    for path, handlers in _RESOURCES.items():
        for method, handler in handlers.items():
            route(method, path, handler)


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
    return _json(settings_view(emu))


async def _update_settings(
    emu: EmulatorView, request: web.Request
) -> web.StreamResponse:
    data = await _body(request)
    if not isinstance(data, dict):
        raise TypeError("settings must be an object")
    data = dict(data)
    if "delivery_delay_seconds" in data:
        delay = data.pop("delivery_delay_seconds")
        emu.state.delivery_delay_seconds = number(delay, "delivery_delay_seconds")
    emu.settings.update(data)
    return _json(settings_view(emu))


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
        patch_turkey(emu, turkey, data)
        return _json(turkey_dict(turkey))
    if provider == HISMS:
        account = emu.state.hisms_accounts.get(account_id)
        if account is None:
            return _json({"error": f"no account {account_id}"}, status=404)
        patch_hisms(emu, account, data)
        return _json(hisms_dict(emu, account))
    return _json({"error": f"unknown provider {provider}"}, status=404)


def patch_turkey(
    emu: EmulatorView, account: TurkeyAccount, data: dict[str, Any]
) -> None:
    """Apply a validated change to a Turkey SMS account (all or nothing).

    A new ``api_key`` replaces the old one, as when the owner makes a new key
    at the provider: from then on the old key is refused.
    """
    _known(data, set(_TURKEY_CHANGES))
    changes = _changes(account, data, _TURKEY_CHANGES)
    accounts = emu.state.turkey_accounts
    old_key = account.api_key
    new_key = changes.get("api_key", old_key)
    if new_key != old_key and new_key in accounts:
        raise ValueError("api_key belongs to another account")
    for name, value in changes.items():
        setattr(account, name, value)
    if new_key != old_key:
        accounts[new_key] = accounts.pop(old_key)


def patch_hisms(emu: EmulatorView, account: HismsAccount, data: dict[str, Any]) -> None:
    """Apply a validated change to a HiSMS account (all or nothing)."""
    _known(data, {*_HISMS_CHANGES, "locked"})
    changes = _changes(account, data, _HISMS_CHANGES)
    unlock = "locked" in data and not boolean(data["locked"], "locked")
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


def _changes(
    account: TurkeyAccount | HismsAccount,
    data: dict[str, Any],
    checks: dict[str, Check],
) -> dict[str, Any]:
    """The checked values of ``data``; new senders join the account's."""
    changes = checked(checks, data)
    if "senders" in changes:
        changes["senders"] = {**account.senders, **changes["senders"]}
    return changes


def _known(data: dict[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ValueError(f"unknown fields {unknown}")


_TURKEY_CHANGES: Final[dict[str, Check]] = {
    name: TURKEY_CHECKS[name]
    for name in (
        "api_key",
        *TURKEY_FLAGS,
        "account_name",
        "local_balance",
        "international_balance_tl",
        "senders",
    )
}
"""What a PATCH may change in a Turkey SMS account: every key of the seed's but
``user_id``, checked as the seed checks it, in this order (the first bad value
is the error)."""

_HISMS_CHANGES: Final[dict[str, Check]] = {
    name: HISMS_CHECKS[name] for name in ("disabled", "balance", "senders", "password")
}
"""The same for a HiSMS account: all but ``username`` (``locked`` aside: it only
unlocks)."""

_RESOURCES: Final[dict[str, dict[str, Handler]]] = {
    "/state": {"GET": _state},
    "/faults": {"GET": _faults, "POST": _add_faults, "DELETE": _clear_faults},
    "/faults/{fault_id}": {"DELETE": _remove_fault},
    "/reset": {"POST": _reset},
    "/settings": {"GET": _settings, "POST": _update_settings},
    "/accounts/{provider}/{account_id}": {"PATCH": _patch_account},
    "/delivery-scripts": {
        "GET": _delivery_scripts,
        "POST": _add_delivery_scripts,
        "DELETE": _clear_delivery_scripts,
    },
}
"""Each endpoint under ``PREFIX``, by path and method."""
