"""Every documented result code of both providers lands on the right exception."""

from __future__ import annotations

import json

from aiohttp import ClientSession
import pytest

from custom_components.sms_gateway.client import (
    AccountDisabledError,
    AuthenticationError,
    RateLimitedError,
    RejectedError,
)
from custom_components.sms_gateway.client.hisms import HiSms
from custom_components.sms_gateway.client.result_codes import (
    RESULT_CODES,
    CodeKind,
    error_for_code,
)
from custom_components.sms_gateway.client.turkey_sms import TurkeySms

from .conftest import ScriptedServer

EXPECTED_CLASS = {
    CodeKind.AUTHENTICATION: AuthenticationError,
    CodeKind.ACCOUNT_DISABLED: AccountDisabledError,
    CodeKind.RATE_LIMITED: RateLimitedError,
    CodeKind.LOCKED_OUT: RateLimitedError,
    CodeKind.REJECTED: RejectedError,
}


def _error_codes(provider: str) -> list[str]:
    return [
        code
        for code, entry in RESULT_CODES[provider].items()
        if entry.kind in EXPECTED_CLASS
    ]


@pytest.mark.parametrize("code", _error_codes("turkey_sms"))
async def test_every_turkey_sms_error_code_raises_its_exception(
    scripted: ScriptedServer, session: ClientSession, code: str
) -> None:
    entry = RESULT_CODES["turkey_sms"][code]
    scripted.reply(
        json.dumps({"result": False, "result_code": code, "result_message": "x"})
    )
    client = TurkeySms(session, api_key="k", sender="S", base_url=scripted.base_url)
    with pytest.raises(EXPECTED_CLASS[entry.kind]) as caught:
        await client.send(["905321234567"], "hello")
    assert type(caught.value) is EXPECTED_CLASS[entry.kind]
    assert caught.value.code == code
    if isinstance(caught.value, RejectedError):
        assert caught.value.reason is entry.reason


@pytest.mark.parametrize("code", _error_codes("hisms"))
async def test_every_hisms_error_code_raises_its_exception(
    scripted: ScriptedServer, session: ClientSession, code: str
) -> None:
    entry = RESULT_CODES["hisms"][code]
    scripted.reply(code)
    client = HiSms(
        session, username="9665", password="p", sender="S", base_url=scripted.base_url
    )
    with pytest.raises(EXPECTED_CLASS[entry.kind]) as caught:
        await client.send(["966501234567"], "hello")
    assert type(caught.value) is EXPECTED_CLASS[entry.kind]
    assert caught.value.code == code


def test_hisms_lockout_must_not_be_retried() -> None:
    err = error_for_code("hisms", "403")
    assert isinstance(err, RateLimitedError)
    assert not err.retry_allowed
    turkey = error_for_code("turkey_sms", "TS-1060")
    assert isinstance(turkey, RateLimitedError)
    assert turkey.retry_allowed


def test_an_unknown_code_is_a_rejection_with_unknown_reason() -> None:
    err = error_for_code("turkey_sms", "TS-9999")
    assert isinstance(err, RejectedError)
    assert err.reason == "unknown"


def test_a_success_code_is_never_turned_into_an_error_class() -> None:
    err = error_for_code("turkey_sms", "TS-1024")
    assert isinstance(err, RejectedError)
    assert "not an error" in str(err)


def test_every_code_of_the_specification_is_in_the_table() -> None:
    turkey = {f"TS-{n}" for n in (*range(1022, 1035), 1040, 1046, *range(1050, 1053))}
    turkey |= {f"TS-{n}" for n in (*range(1060, 1066), 1070, 1071, 1072)}
    assert set(RESULT_CODES["turkey_sms"]) == turkey
    hisms = {str(n) for n in range(1, 12)} | {"402", "403", "404", "504"}
    assert set(RESULT_CODES["hisms"]) == hisms
