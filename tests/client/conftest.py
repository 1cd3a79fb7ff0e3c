"""A scripted HTTP server for the client tests that need exact replies, the demo
accounts of both providers on the emulator, and checks the client tests share."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable
from dataclasses import dataclass, field
import json
from typing import Any, NamedTuple
from urllib.parse import parse_qs

from aiohttp import (
    ClientSession,
    ClientTimeout,
    TraceConfig,
    TraceRequestChunkSentParams,
    TraceRequestStartParams,
    web,
)
import pytest

from custom_components.sms_gateway.client import (
    FailureReason,
    HiSms,
    HttpSmsProvider,
    RejectedError,
    TurkeySms,
)
from custom_components.sms_gateway.client.provider import ConnectionOptions
from sms_emulator import Emulator, demo_accounts

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

DEMO = demo_accounts()
SENDER = DEMO.sender
HISMS_USERNAME = DEMO.hisms_username
TURKEY_API_KEY = DEMO.turkey_api_key


class Functions(NamedTuple):
    """What a provider's API calls its functions, as the emulator's faults name them."""

    send: str
    group_send: str
    balance: str


@dataclass(frozen=True)
class Account:
    """A provider's demo account on the emulator and numbers it can reach."""

    provider: str
    build: Callable[..., HttpSmsProvider]
    numbers: tuple[str, str, str]
    functions: Functions
    state: Callable[[Emulator], Any]
    """The account as the emulator keeps it."""
    balance_field: str
    starting_balance: int

    @property
    def number(self) -> str:
        return self.numbers[0]

    def balance(self, emulator: Emulator) -> int:
        balance: int = getattr(self.state(emulator), self.balance_field)
        return balance

    def client(
        self,
        session: ClientSession,
        emulator: Emulator,
        *,
        sender: str | None = SENDER,
        timeout: ClientTimeout | None = None,
    ) -> HttpSmsProvider:
        """A client of this account on the emulator; no ``timeout``: the default."""
        assert emulator.base_url is not None
        options: ConnectionOptions = {"sender": sender, "base_url": emulator.base_url}
        if timeout is not None:
            options["timeout"] = timeout
        return self.build(session, **options)


TURKEY_SMS = Account(
    provider="turkey_sms",
    build=lambda session, **options: TurkeySms(
        session, api_key=TURKEY_API_KEY, **options
    ),
    numbers=("905321234567", "905441234567", "905051234567"),
    functions=Functions(send="send_one", group_send="send_group", balance="balance"),
    state=lambda emulator: emulator.state.turkey_accounts[TURKEY_API_KEY],
    balance_field="local_balance",
    starting_balance=1000,
)
HISMS = Account(
    provider="hisms",
    build=lambda session, **options: HiSms(
        session, username=HISMS_USERNAME, password=DEMO.hisms_password, **options
    ),
    numbers=("966501234567", "966551234567", "966561234567"),
    functions=Functions(send="send_sms", group_send="send_sms", balance="get_balance"),
    state=lambda emulator: emulator.state.hisms_accounts[HISMS_USERNAME],
    balance_field="balance",
    starting_balance=500,
)
ACCOUNTS = (TURKEY_SMS, HISMS)


async def assert_rejected(
    call: Awaitable[object], code: str, reason: FailureReason
) -> RejectedError:
    """Await a call the provider must refuse, with this code and this reason."""
    with pytest.raises(RejectedError) as err:
        await call
    assert err.value.code == code
    assert err.value.reason is reason
    return err.value


@dataclass
class ScriptedServer:
    """Answers every request with ``handler``; records what it was asked."""

    base_url: str = ""
    handler: Handler | None = None
    requests: list[tuple[str, str, str]] = field(default_factory=list)

    def reply(
        self,
        body: str | bytes,
        *,
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Answer every request with this body."""

        async def handler(request: web.Request) -> web.StreamResponse:
            raw = body.encode() if isinstance(body, str) else body
            return web.Response(body=raw, status=status, headers=headers)

        self.handler = handler


@pytest.fixture
async def scripted(socket_enabled: None) -> AsyncGenerator[ScriptedServer]:
    """A server on 127.0.0.1 whose answers the test decides."""
    server = ScriptedServer()

    async def dispatch(request: web.Request) -> web.StreamResponse:
        server.requests.append(
            (request.method, request.path_qs, (await request.read()).decode())
        )
        assert server.handler is not None
        return await server.handler(request)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", dispatch)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    server.base_url = f"http://127.0.0.1:{port}"
    yield server
    await runner.cleanup()


@pytest.fixture
async def session(socket_enabled: None) -> AsyncGenerator[ClientSession]:
    """A client session closed after the test."""
    async with ClientSession() as client_session:
        yield client_session


@dataclass
class SentRequest:
    """One request as it left the client."""

    method: str
    url: str
    body: bytes = b""

    def json(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.body)
        return data

    def form(self) -> dict[str, list[str]]:
        return parse_qs(self.body.decode(), keep_blank_values=True)


@dataclass
class Wire:
    """A session that records every request it sends."""

    session: ClientSession
    requests: list[SentRequest] = field(default_factory=list)


@pytest.fixture
async def wire(socket_enabled: None) -> AsyncGenerator[Wire]:
    """A client session whose requests the test can read back."""
    trace = TraceConfig()
    requests: list[SentRequest] = []

    async def on_start(
        session: ClientSession, context: Any, params: TraceRequestStartParams
    ) -> None:
        requests.append(SentRequest(params.method, str(params.url)))

    async def on_chunk(
        session: ClientSession, context: Any, params: TraceRequestChunkSentParams
    ) -> None:
        requests[-1].body += params.chunk

    trace.on_request_start.append(on_start)
    trace.on_request_chunk_sent.append(on_chunk)
    async with ClientSession(trace_configs=[trace]) as session:
        yield Wire(session, requests)
