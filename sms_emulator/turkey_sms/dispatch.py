"""Answer a Turkey SMS request: find its endpoint, run it, reply to an error.

Also what the request log records of a request before any check: the numbers
it names and whose API key it carries.
"""

from __future__ import annotations

from datetime import datetime
import json

from sms_emulator.params import InvalidParameterError, Params
from sms_emulator.settings import Settings
from sms_emulator.state import EmulatorState
from sms_emulator.wire import Reply

from .codes import TurkeyError, error_payload
from .endpoints import BY_NAME
from .request import TurkeyRequest


class TurkeySmsEmulator:
    """Handles one request against the state."""

    def __init__(self, state: EmulatorState, now: datetime, settings: Settings) -> None:
        self.state = state
        self.now = now
        self.settings = settings

    def handle(self, function: str, params: Params) -> Reply:
        """Answer ``function``; an unknown path is an HTTP 404 as on the server."""
        endpoint = BY_NAME.get(function)
        if endpoint is None:
            return Reply("404 Not Found", outcome="HTTP 404", status=404)
        request = TurkeyRequest(self.state, self.now, self.settings, endpoint, params)
        try:
            reply = _answer(request)
        except TurkeyError as err:
            payload = error_payload(err.code)
            return Reply(payload, outcome=err.code, account=request.account_id)
        reply.account = request.account_id
        return reply


def _answer(request: TurkeyRequest) -> Reply:
    """The endpoint's reply; data of the wrong shape anywhere is TS-1033."""
    if request.params.body_error:
        raise TurkeyError("TS-1033")
    try:
        return request.endpoint.handler(request)
    except InvalidParameterError:
        raise TurkeyError("TS-1033") from None


def requested_numbers(function: str, params: Params) -> tuple[str, ...]:
    """The recipients a request names, for the log, however malformed it is."""
    endpoint = BY_NAME.get(function)
    value = params.get(endpoint.recipients if endpoint else "sentto")
    if isinstance(value, str) and value.lstrip().startswith("["):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            return (value,)
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return tuple(str(v) for v in value if isinstance(v, str | int))
    if isinstance(value, str | int) and not isinstance(value, bool) and value != "":
        return (str(value),)
    return ()


def account_id(state: EmulatorState, params: Params) -> str | None:
    """The user_id a request's API key belongs to, if any (no checks)."""
    key = params.get("api_key")
    account = state.turkey_accounts.get(key) if isinstance(key, str) else None
    return account.user_id if account else None
