"""Small request helpers shared by the emulator tests."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
import json
import re
from typing import Any

import aiohttp
import pytest

from sms_emulator import Emulator, Seed, demo_accounts
from sms_emulator.__main__ import serve

DEMO = demo_accounts()
TURKEY_KEY = DEMO.turkey_api_key
HISMS_USER = DEMO.hisms_username
LOCAL = "905321234567"
LOCAL_VODAFONE = "905441234567"
LOCAL_TT = "905051234567"
ABROAD = "966501234567"

SEND = "/gonder/add-content"
GROUP = "/gruba-gonder/post/tek-metin-gonderimi/"
MULTI = "/gruba-gonder/post/coklu-metin-gonderimi/"


@dataclass
class Api:
    """The running emulator and a client session to call its endpoints with."""

    http: aiohttp.ClientSession
    emulator: Emulator

    async def turkey(
        self, path: str, *, method: str = "POST", **params: Any
    ) -> dict[str, Any]:
        """Call a Turkey SMS endpoint with a JSON body (or a query for GET)."""
        params.setdefault("response_type", "json")
        params.setdefault("api_key", TURKEY_KEY)
        params = {k: v for k, v in params.items() if v is not None}
        url = f"{self.emulator.base_url}/api/v3{path}"
        if method == "GET":
            query = {k: str(v) for k, v in params.items()}
            async with self.http.get(url, params=query) as response:
                assert response.status == 200
                return dict(json.loads(await response.text()))
        async with self.http.post(url, json=params) as response:
            assert response.status == 200
            return dict(json.loads(await response.text()))

    async def turkey_raw(self, path: str, **kwargs: Any) -> tuple[int, str]:
        """POST anything to a Turkey SMS path; returns status and text."""
        url = f"{self.emulator.base_url}/api/v3{path}"
        async with self.http.post(url, **kwargs) as response:
            return response.status, await response.text()

    async def hisms(
        self, function: str, *, method: str = "GET", form: Any = None, **params: str
    ) -> str:
        """Call a HiSMS function: the key in the URL, parameters in query or form."""
        url = f"{self.emulator.base_url}/api.php?{function}"
        if method == "GET":
            async with self.http.get(url, params=params) as response:
                assert response.status == 200
                return await response.text()
        data = form if form is not None else params
        async with self.http.post(url, data=data) as response:
            assert response.status == 200
            return await response.text()

    async def admin(
        self, method: str, path: str, body: Any = None, expect: int = 200
    ) -> Any:
        """Call the /_emulator/ control API; the answer must have status ``expect``."""
        url = f"{self.emulator.base_url}/_emulator{path}"
        async with self.http.request(method, url, json=body) as response:
            assert response.status == expect, await response.text()
            return await response.json()


async def send_one(api: Api, **params: Any) -> dict[str, Any]:
    body = {"title": DEMO.sender, "text": "Hello", "sentto": LOCAL, "report": 1}
    return await api.turkey(SEND, **{**body, **params})


async def send_to_group(api: Api, path: str, **params: Any) -> dict[str, Any]:
    """Send through a group endpoint (``GROUP`` or ``MULTI``) as the demo sender."""
    return await api.turkey(path, title=DEMO.sender, **params)


async def status_of(api: Api, sms_id: str | None, **params: Any) -> dict[str, Any]:
    return await api.turkey(
        "/sms-durumu/sms_durumu.php", method="GET", sms_id=sms_id, **params
    )


def auth(**params: str) -> dict[str, str]:
    """HiSMS credentials of the demo account plus ``params``."""
    return {"username": HISMS_USER, "password": DEMO.hisms_password, **params}


def send(**params: str) -> dict[str, str]:
    """A valid HiSMS send_sms parameter set, overridable."""
    base = auth(numbers="966512345678", sender=DEMO.sender, message="Hello")
    return {**base, **params}


@asynccontextmanager
async def serving(
    args: argparse.Namespace, capsys: pytest.CaptureFixture[str]
) -> AsyncIterator[str]:
    """Serve the default seed with these options; its address while it runs.

    The server is stopped when the block ends.
    """
    stop = asyncio.Event()
    task = asyncio.create_task(serve(args, Seed.default(), stop))
    output = ""
    for _ in range(100):
        output += capsys.readouterr().out
        if running := re.search(r"running at (\S+)", output):
            break
        await asyncio.sleep(0.01)
    try:
        assert running, output
        yield running[1]
    finally:
        stop.set()
        await task
