"""Home Assistant's websocket API, driven synchronously from a test.

The frontend's channel: subscriptions to events and to config entry changes,
and the commands that only it offers (the flows Home Assistant started
itself). One connection runs its own event loop in a thread; use it as a
context manager so the thread ends with the test.
"""

from __future__ import annotations

import asyncio
import itertools
import threading
from types import TracebackType
from typing import Any, Self

import aiohttp

TIMEOUT = 30.0


class WebsocketError(RuntimeError):
    """Home Assistant refused a command or the connection."""


class HomeAssistantSocket:
    """One authenticated websocket connection to a running Home Assistant."""

    def __init__(self, base_url: str, token: str) -> None:
        self._url = base_url.replace("http", "ws", 1) + "/api/websocket"
        self._token = token
        self._ids = itertools.count(1)
        self._results: dict[int, asyncio.Future[Any]] = {}
        self._subscriptions: dict[int, list[Any]] = {}
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="e2e-websocket", daemon=True
        )
        self._session: aiohttp.ClientSession | None = None
        self._socket: aiohttp.ClientWebSocketResponse | None = None
        self._reader: asyncio.Task[None] | None = None

    def __enter__(self) -> Self:
        self._thread.start()
        try:
            self._run(self._connect())
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def call(self, message: dict[str, Any]) -> Any:
        """Send a command and return its result; a refusal raises."""
        return self._run(self._call(message))

    def subscribe(self, message: dict[str, Any]) -> list[Any]:
        """Start a subscription; the returned list fills with what it sends."""
        received: list[Any] = []
        self._run(self._call(message, received))
        return received

    def subscribe_events(self, event_type: str) -> list[dict[str, Any]]:
        """Every event of this type from now on, as Home Assistant sends it."""
        events: list[dict[str, Any]] = self.subscribe(
            {"type": "subscribe_events", "event_type": event_type}
        )
        return events

    def close(self) -> None:
        """Close the connection and end the thread."""
        if self._thread.is_alive():
            self._run(self._disconnect())
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(TIMEOUT)
        self._loop.close()

    # -- in the connection's loop ---------------------------------------------

    def _run(self, coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(
            TIMEOUT + 5
        )

    async def _connect(self) -> None:
        self._session = aiohttp.ClientSession()
        self._socket = await self._session.ws_connect(
            self._url, timeout=aiohttp.ClientWSTimeout(ws_close=TIMEOUT)
        )
        greeting = await self._socket.receive_json(timeout=TIMEOUT)
        if greeting.get("type") != "auth_required":
            raise WebsocketError(f"unexpected greeting {greeting}")
        await self._socket.send_json({"type": "auth", "access_token": self._token})
        answer = await self._socket.receive_json(timeout=TIMEOUT)
        if answer.get("type") != "auth_ok":
            raise WebsocketError(f"authentication refused: {answer}")
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self._socket is not None
        async for frame in self._socket:
            if frame.type is not aiohttp.WSMsgType.TEXT:
                break
            message = frame.json()
            for item in message if isinstance(message, list) else [message]:
                self._dispatch(item)
        for future in self._results.values():
            if not future.done():
                future.set_exception(WebsocketError("the connection closed"))

    def _dispatch(self, message: dict[str, Any]) -> None:
        if message.get("type") == "result":
            future = self._results.pop(message["id"], None)
            if future is None or future.done():
                return
            if message.get("success"):
                future.set_result(message.get("result"))
            else:
                future.set_exception(WebsocketError(str(message.get("error"))))
        elif message.get("type") == "event":
            self._subscriptions.get(message["id"], []).append(message["event"])

    async def _call(
        self, message: dict[str, Any], received: list[Any] | None = None
    ) -> Any:
        assert self._socket is not None
        message_id = next(self._ids)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._results[message_id] = future
        if received is not None:
            self._subscriptions[message_id] = received
        await self._socket.send_json({**message, "id": message_id})
        async with asyncio.timeout(TIMEOUT):
            return await future

    async def _disconnect(self) -> None:
        if self._socket is not None:
            await self._socket.close()
        if self._reader is not None:
            await self._reader
        if self._session is not None:
            await self._session.close()
