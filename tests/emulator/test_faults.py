"""Fault injection: what each kind answers and whether the request was processed."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import aiohttp
from aiohttp.test_utils import TestServer
import pytest

from sms_emulator import Emulator, Fault
from sms_emulator.faults import FaultSet

from .helpers import LOCAL, TURKEY_KEY, Api, send

SEND_URL = "/api/v3/gonder/add-content"
SEND_BODY = {
    "api_key": TURKEY_KEY,
    "title": "HOMEALERT",
    "text": "Hello",
    "sentto": LOCAL,
    "response_type": "json",
}


async def post_send(
    http: aiohttp.ClientSession, emu: Emulator, **kwargs: object
) -> aiohttp.ClientResponse:
    response = await http.post(f"{emu.base_url}{SEND_URL}", json=SEND_BODY, **kwargs)  # type: ignore[arg-type]
    await response.read()
    return response


def last_handled(emu: Emulator) -> tuple[bool, str, str | None]:
    """Whether the last request was processed, its outcome and the fault applied."""
    entry = emu.log[-1]
    return (entry.processed, entry.outcome, entry.fault)


def local_balance(emu: Emulator) -> int:
    return emu.state.turkey_accounts[TURKEY_KEY].local_balance


async def test_http_status(http: aiohttp.ClientSession, emulator: Emulator) -> None:
    emulator.faults.add(Fault("http_status", provider="turkey_sms", status=503))
    response = await post_send(http, emulator)
    assert response.status == 503
    assert await response.text() == "503 Service Unavailable"
    assert local_balance(emulator) == 1000
    assert last_handled(emulator) == (False, "HTTP 503", "http_status")
    entry = emulator.log[-1]
    assert entry.numbers == (LOCAL,)
    assert entry.account == "100200"
    assert emulator.sent_messages() == []


async def test_html_error(http: aiohttp.ClientSession, emulator: Emulator) -> None:
    emulator.faults.add(Fault("html_error"))
    response = await post_send(http, emulator)
    assert response.status == 200
    assert response.content_type == "text/html"
    assert (await response.text()).startswith("<!DOCTYPE html>")
    assert emulator.log[-1].processed is False
    assert emulator.sent_messages() == []


async def test_malformed_json_is_processed(
    http: aiohttp.ClientSession, emulator: Emulator
) -> None:
    emulator.faults.add(Fault("malformed_json"))
    response = await post_send(http, emulator)
    text = await response.text()
    assert response.status == 200
    assert text.startswith('{"result":true')
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)
    assert local_balance(emulator) == 999
    assert len(emulator.sent_messages()) == 1
    assert last_handled(emulator) == (True, "TS-1024", "malformed_json")
    entry = emulator.log[-1]
    assert entry.message_ids == ("1000007721",)


async def test_malformed_hisms_body(api: Api, emulator: Emulator) -> None:
    emulator.faults.add(Fault("malformed_json", provider="hisms"))
    body = await api.hisms("send_sms", **send())
    assert body.startswith("{")
    with pytest.raises(json.JSONDecodeError):
        json.loads(body)
    assert len(emulator.sent_messages("hisms")) == 1


async def test_bom(http: aiohttp.ClientSession, emulator: Emulator) -> None:
    emulator.faults.add(Fault("bom", times=1))
    response = await post_send(http, emulator)
    raw = await response.read()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert json.loads(raw[3:])["result_code"] == "TS-1024"
    assert len(emulator.sent_messages()) == 1
    assert not (await (await post_send(http, emulator)).read()).startswith(b"\xef")


@pytest.mark.parametrize(
    "retry_after", ["7", "Wed, 21 Oct 2015 07:28:00 GMT", "-1", "abc", "999999"]
)
async def test_rate_limited(
    http: aiohttp.ClientSession, emulator: Emulator, retry_after: str
) -> None:
    emulator.faults.add(Fault("rate_limited", retry_after=retry_after))
    response = await post_send(http, emulator)
    assert response.status == 429
    assert response.headers["Retry-After"] == retry_after
    assert emulator.sent_messages() == []
    assert emulator.log[-1].outcome == "HTTP 429"


async def test_rate_limited_without_header(
    http: aiohttp.ClientSession, emulator: Emulator
) -> None:
    emulator.faults.add(Fault("rate_limited"))
    response = await post_send(http, emulator)
    assert response.status == 429
    assert "Retry-After" not in response.headers


async def test_drop_before(http: aiohttp.ClientSession, emulator: Emulator) -> None:
    emulator.faults.add(Fault("drop_before", times=1))
    with pytest.raises((aiohttp.ServerDisconnectedError, aiohttp.ClientOSError)):
        await post_send(http, emulator)
    assert local_balance(emulator) == 1000
    assert last_handled(emulator) == (False, "dropped", "drop_before")
    # the connection pool recovers
    assert (await post_send(http, emulator)).status == 200


async def test_drop_after(http: aiohttp.ClientSession, emulator: Emulator) -> None:
    emulator.faults.add(Fault("drop_after", function="send_one"))
    with pytest.raises((aiohttp.ServerDisconnectedError, aiohttp.ClientOSError)):
        await post_send(http, emulator)
    assert local_balance(emulator) == 999
    assert len(emulator.sent_messages()) == 1
    assert last_handled(emulator) == (True, "TS-1024", "drop_after")


async def test_hang_before(http: aiohttp.ClientSession, emulator: Emulator) -> None:
    emulator.faults.add(Fault("hang_before", seconds=30))
    with pytest.raises(asyncio.TimeoutError):
        await post_send(http, emulator, timeout=aiohttp.ClientTimeout(total=0.1))
    assert emulator.sent_messages() == []
    assert emulator.log[-1].outcome == "pending"
    await emulator.stop()  # wakes the hanging handler at once
    assert emulator.log[-1].outcome == "dropped"
    assert emulator.log[-1].processed is False


async def test_hang_before_short(
    http: aiohttp.ClientSession, emulator: Emulator
) -> None:
    emulator.faults.add(Fault("hang_before", seconds=0.05))
    with pytest.raises((aiohttp.ServerDisconnectedError, aiohttp.ClientOSError)):
        await post_send(http, emulator)
    assert emulator.sent_messages() == []


async def test_hang_after(http: aiohttp.ClientSession, emulator: Emulator) -> None:
    emulator.faults.add(Fault("hang_after", seconds=30))
    with pytest.raises(asyncio.TimeoutError):
        await post_send(http, emulator, timeout=aiohttp.ClientTimeout(total=0.1))
    assert len(emulator.sent_messages()) == 1
    assert emulator.log[-1].processed is True


async def test_result_code_turkey(
    http: aiohttp.ClientSession, emulator: Emulator
) -> None:
    emulator.faults.add(
        Fault("result_code", provider="turkey_sms", code="TS-1031", after=1)
    )
    assert (await (await post_send(http, emulator)).json())["result_code"] == "TS-1024"
    data = await (await post_send(http, emulator)).json()
    assert data == {
        "result": False,
        "result_code": "TS-1031",
        "result_message": "The API key is incorrect",
    }
    assert len(emulator.sent_messages()) == 1
    assert last_handled(emulator) == (False, "TS-1031", "result_code")


async def test_result_code_scheduling_codes(
    http: aiohttp.ClientSession, emulator: Emulator
) -> None:
    emulator.faults.add(Fault("result_code", code="TS-1072"))
    data = await (await post_send(http, emulator)).json()
    assert data["result_message"] == "A scheduled message cannot be dated in the past"


async def test_result_code_hisms(api: Api, emulator: Emulator) -> None:
    emulator.faults.add(Fault("result_code", provider="hisms", code=2))
    assert await api.hisms("send_sms", **send()) == "2"
    assert emulator.sent_messages() == []


async def test_latency(http: aiohttp.ClientSession, emulator: Emulator) -> None:
    emulator.faults.add(Fault("latency", seconds=0.05, times=1))
    emulator.faults.add(Fault("http_status", status=502, times=1))
    started = time.monotonic()
    response = await post_send(http, emulator)
    assert time.monotonic() - started >= 0.05
    assert response.status == 502
    assert emulator.log[-1].fault == "http_status"
    response = await post_send(http, emulator)
    assert response.status == 200
    assert emulator.log[-1].fault is None


async def test_latency_alone_is_logged(
    http: aiohttp.ClientSession, emulator: Emulator
) -> None:
    emulator.faults.add(Fault("latency", seconds=0.01))
    assert (await post_send(http, emulator)).status == 200
    assert emulator.log[-1].fault == "latency"
    assert emulator.log[-1].processed is True


async def test_global_latency(http: aiohttp.ClientSession, emulator: Emulator) -> None:
    emulator.latency = 0.05
    started = time.monotonic()
    await post_send(http, emulator)
    assert time.monotonic() - started >= 0.05


async def test_after_and_times(http: aiohttp.ClientSession, emulator: Emulator) -> None:
    fault = emulator.faults.add(Fault("http_status", after=1, times=2))
    statuses = [(await post_send(http, emulator)).status for _ in range(4)]
    assert statuses == [200, 500, 500, 200]
    assert (fault.matched, fault.applied, fault.exhausted) == (4, 2, True)


async def test_targeting(http: aiohttp.ClientSession, emulator: Emulator) -> None:
    emulator.faults.add(Fault("http_status", provider="hisms"))
    emulator.faults.add(Fault("http_status", status=502, function="balance"))
    assert (await post_send(http, emulator)).status == 200
    async with http.post(
        f"{emulator.base_url}/api/v3/bakiye_sorgulama/add-content",
        json={"api_key": TURKEY_KEY},
    ) as response:
        assert response.status == 502
    async with http.get(f"{emulator.base_url}/api.php?get_balance") as response:
        assert response.status == 500


async def test_second_eligible_fault_waits(
    http: aiohttp.ClientSession, emulator: Emulator
) -> None:
    emulator.faults.add(Fault("http_status", status=502, times=1))
    emulator.faults.add(Fault("http_status", status=503, times=1))
    statuses = [(await post_send(http, emulator)).status for _ in range(3)]
    assert statuses == [502, 503, 200]


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        (("explode",), {}),
        (("latency",), {"provider": "twilio"}),
        (("latency",), {"function": "send_fax"}),
        (("latency",), {"provider": "hisms", "function": "send_one"}),
        (("latency",), {"times": -1}),
        (("latency",), {"after": -1}),
        (("latency",), {"seconds": "1"}),
        (("latency",), {"seconds": -1}),
        (("latency",), {"status": 500}),
        (("http_status",), {"status": 99}),
        (("http_status",), {"status": "500"}),
        (("result_code",), {}),
    ],
)
def test_fault_validation(args: tuple[str, ...], kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        Fault(*args, **kwargs)


def test_fault_from_dict_and_set() -> None:
    fault = Fault.from_dict(
        {
            "kind": "rate_limited",
            "provider": "hisms",
            "params": {"retry_after": 5},
            "id": 9,
        }
    )
    assert fault.params == {"retry_after": "5"}
    assert "rate_limited" in repr(fault)
    with pytest.raises(TypeError):
        Fault.from_dict({"provider": "hisms"})
    with pytest.raises(TypeError):
        Fault.from_dict({"kind": "bom", "params": [1]})
    faults = FaultSet()
    first = faults.add(Fault("bom"))
    faults.add(Fault("bom"))
    assert len(faults) == 2
    assert faults.remove(first.id or 0)
    assert not faults.remove(first.id or 0)
    assert [f.kind for f in faults] == ["bom"]
    assert faults.clear() == 1
    assert faults.plan("hisms", "send_sms").action is None


async def test_get_send_is_retried_after_a_drop(
    http: aiohttp.ClientSession, emulator: Emulator
) -> None:
    """Why sends use POST: aiohttp re-sends a GET once on a dropped keep-alive."""
    query = {
        "api_key": TURKEY_KEY,
        "mobile": LOCAL,
        "title": "HOMEALERT",
        "text": "Hi",
        "response_type": "json",
    }
    url = f"{emulator.base_url}/api/v3/get/get.php"
    async with http.get(url, params=query) as response:  # opens a keep-alive
        await response.read()
    emulator.faults.add(Fault("drop_after", function="send_get", times=1))
    async with http.get(url, params=query) as response:
        assert (await response.json())["result_code"] == "TS-1024"
    assert len(emulator.sent_messages()) == 3
    assert [e.fault for e in emulator.log] == [None, "drop_after", None]


@pytest.mark.usefixtures("socket_enabled")
async def test_app_in_a_test_server_wakes_faults_on_close() -> None:
    emu = Emulator()
    emu.faults.add(Fault("hang_after", seconds=30))
    server = TestServer(emu.app)
    await server.start_server()
    async with aiohttp.ClientSession() as session:
        with pytest.raises(asyncio.TimeoutError):
            await session.post(
                str(server.make_url(SEND_URL)),
                json=SEND_BODY,
                timeout=aiohttp.ClientTimeout(total=0.05),
            )
    started = time.monotonic()
    await server.close()
    assert time.monotonic() - started < 1
    assert emu.log[-1].processed is True
