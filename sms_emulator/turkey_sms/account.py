"""The account endpoints: login (TS-1046) and balance (TS-1040, TS-1065)."""

from __future__ import annotations

from typing import Final

from sms_emulator.wire import Reply

from .auth import authenticate
from .codes import MESSAGES, TurkeyError
from .request import Endpoint, TurkeyRequest


def login(request: TurkeyRequest) -> Reply:
    """Who the API key belongs to."""
    account = authenticate(request)
    payload = {
        "result": True,
        "result_code": "TS-1046",
        "result_message": MESSAGES["TS-1046"],
        "user_id": account.user_id,
        "account_name": account.account_name,
    }
    return Reply(request.short(payload), outcome="TS-1046")


def balance(request: TurkeyRequest) -> Reply:
    """The local SMS and the international lira balances."""
    account = authenticate(request)
    if not account.balance_enabled:
        raise TurkeyError("TS-1065")
    payload = {
        "result": True,
        "result_code": "TS-1040",
        "result_message": MESSAGES["TS-1040"],
        "api_key": account.api_key,
        "local_balance_sms": account.local_balance,
        "international_balance_tl": f"{account.international_balance_tl:.2f}",
    }
    return Reply(payload, outcome="TS-1040")


ENDPOINTS: Final = (
    Endpoint("login", ("/api/v3/authenticate/login",), "POST", login),
    Endpoint("balance", ("/api/v3/bakiye_sorgulama/add-content",), "POST", balance),
)
