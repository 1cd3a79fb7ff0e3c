"""The emulator: one aiohttp application serving both providers.

Every provider request goes through the same steps: lazy housekeeping (due
scheduled messages), fault planning, latency, then either a fault's answer
(unprocessed) or the provider's handler (processed) whose answer a fault may
still spoil. Handlers are synchronous, so concurrent requests never interleave
inside one; nothing runs in the background, so :meth:`Emulator.stop` leaves no
task or timer behind.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
import contextlib
from dataclasses import replace
import logging
from typing import Any, Final

from aiohttp import web

from . import admin, hisms, inbox, turkey_sms
from .clock import Clock, system_clock
from .delivery import parse_scripts
from .faults import (
    BEFORE_KINDS,
    BOM,
    DROP_AFTER,
    HANG_AFTER,
    HANG_BEFORE,
    HTML_ERROR,
    HTTP_STATUS,
    MALFORMED_JSON,
    RATE_LIMITED,
    RESULT_CODE,
    Fault,
    FaultPlan,
    FaultSet,
)
from .functions import (
    HISMS_METHODS,
    UNKNOWN,
    hisms_function,
    turkey_function,
    turkey_method,
)
from .params import Params, parse_query, read_params
from .requestlog import RequestLogEntry
from .seed import Seed
from .settings import ACCEPT_VALID, DEFAULT_RATE_LIMIT, Settings, SettingShortcut
from .state import HISMS, TURKEY_SMS, EmulatorState, SentMessage
from .wire import (
    PHP_CONTENT_TYPE,
    Reply,
    php_json,
    plain_body,
    turkey_body,
    with_result_style,
)

_LOGGER = logging.getLogger(__package__)

UTF8_BOM: Final = b"\xef\xbb\xbf"
MAX_BODY: Final = 16 * 1024 * 1024

HTML_ERROR_PAGE: Final = """<!DOCTYPE html>
<html><head><title>503 Service Temporarily Unavailable</title></head>
<body><center><h1>503 Service Temporarily Unavailable</h1></center>
<hr><center>nginx</center></body></html>
"""


class Emulator:
    """Both provider APIs, their state, faults and request log.

    ``emu.state`` is the live state: change a balance or an account flag from a
    test directly. :meth:`reset` returns state, log and faults to the seed.
    """

    def __init__(
        self,
        seed: Seed | None = None,
        *,
        rate_limit_per_minute: int = DEFAULT_RATE_LIMIT,
        result_style: str = "bool",
        latency: float = 0.0,
        clock: Clock | None = None,
        invalid_group_numbers: str = ACCEPT_VALID,
    ) -> None:
        self.seed = seed if seed is not None else Seed.default()
        self.settings = Settings(
            result_style=result_style,
            rate_limit_per_minute=rate_limit_per_minute,
            latency=latency,
            invalid_group_numbers=invalid_group_numbers,
        )
        self.settings.validate()
        self.clock: Clock = clock or system_clock
        self.state = EmulatorState.from_seed(self.seed)
        self.faults = FaultSet()
        self.log: list[RequestLogEntry] = []
        self.base_url: str | None = None
        self.app = self._build_app()
        self._runner: web.AppRunner | None = None

    # -- settings shortcuts: read and validated through ``self.settings`` ----------

    result_style = SettingShortcut[str]()
    """``bool`` or ``string``: how ``result`` is written (Turkey SMS)."""
    rate_limit_per_minute = SettingShortcut[int]()
    """Turkey SMS messages (numbers × parts) per API key in 60 s (TS-1060)."""
    latency = SettingShortcut[float]()
    """Seconds added before every provider request."""
    invalid_group_numbers = SettingShortcut[str]()
    """``accept_valid`` or ``reject_group``: Turkey SMS groups with bad numbers."""

    # -- life cycle --------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve in the running loop; returns the base URL."""
        if self._runner is not None:
            raise RuntimeError("the emulator is already running")
        runner = web.AppRunner(
            self.app, access_log=None, handle_signals=False, shutdown_timeout=2.0
        )
        await runner.setup()
        try:
            site = web.TCPSite(runner, host, port)
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        bound_port = runner.addresses[0][1]
        shown = f"[{host}]" if ":" in host else host
        self.base_url = f"http://{shown}:{bound_port}"
        return self.base_url

    async def stop(self) -> None:
        """Stop serving: wake every waiting fault, close every connection."""
        runner, self._runner = self._runner, None
        if runner is None:
            return
        self._closing.set()
        await runner.cleanup()
        self.base_url = None
        self.app = self._build_app()

    def reset(self) -> None:
        """Back to the seed: state, request log and faults (settings stay)."""
        self.state = EmulatorState.from_seed(self.seed)
        self.log.clear()
        self.faults.clear()

    def tick(self) -> None:
        """Do the lazy periodic work now: send due scheduled messages."""
        hisms.process_due(self.state, self.clock())

    def script_delivery(self, number: str, steps: Iterable[Sequence[Any]]) -> None:
        """Turkey SMS: move ``number``'s messages through ``[(seconds, state)]``.

        States: ``pending`` / ``out_of_coverage``, ``delivered``,
        ``not_delivered``; seconds count from the submission.
        """
        self.state.delivery_scripts.update(parse_scripts({number: list(steps)}))

    def sent_messages(self, provider: str | None = None) -> list[SentMessage]:
        """Every accepted message, one per recipient, oldest first."""
        self.tick()
        return [m for m in self.state.messages if provider in (None, m.provider)]

    # -- application -------------------------------------------------------------

    def _build_app(self) -> web.Application:
        """A fresh application; its shutdown wakes faults that are waiting."""
        self._closing = asyncio.Event()
        app = web.Application(client_max_size=MAX_BODY)
        app.on_shutdown.append(self._on_shutdown)
        app.router.add_route("*", "/api.php", self._hisms)
        app.router.add_route("*", "/api/v3/{tail:.*}", self._turkey)
        inbox.add_routes(app, self)
        admin.add_routes(app, self)
        return app

    async def _on_shutdown(self, app: web.Application) -> None:
        self._closing.set()

    async def _turkey(self, request: web.Request) -> web.StreamResponse:
        return await self._serve(request, TURKEY_SMS)

    async def _hisms(self, request: web.Request) -> web.StreamResponse:
        return await self._serve(request, HISMS)

    async def _serve(self, request: web.Request, provider: str) -> web.StreamResponse:
        arrived = self.clock()
        self.tick()
        query = parse_query(request.query_string)
        if provider == TURKEY_SMS:
            function = turkey_function(request.path)
            allowed: tuple[str, ...] = (turkey_method(function),)
        else:
            function = hisms_function(query[1])
            allowed = HISMS_METHODS
        entry = RequestLogEntry(
            time=arrived,
            provider=provider,
            function=function,
            method=request.method,
            path=request.path,
            processed=False,
            outcome="pending",
        )
        if request.method not in allowed and function != UNKNOWN:
            # the web server in front of the scripts answers; nothing runs
            self.log.append(replace(entry, outcome="HTTP 405"))
            return web.Response(
                status=405,
                text="405 Method Not Allowed",
                headers={"Allow": ", ".join(allowed)},
            )
        params = await read_params(
            request, query, form=provider == HISMS, json_body=allowed == ("POST",)
        )
        if provider == TURKEY_SMS:
            numbers = turkey_sms.requested_numbers(function, params)
            account = turkey_sms.account_id(self.state, params)
        else:
            numbers = hisms.requested_numbers(params)
            account = hisms.account_id(self.state, params)
        plan = self.faults.plan(provider, function)
        entry = replace(
            entry, numbers=numbers, fault=_fault_name(plan), account=account
        )
        self.log.append(entry)
        await self._pause(self.settings.latency + plan.latency)
        action = plan.action
        if action is not None and action.kind in BEFORE_KINDS:
            response, outcome = await self._answer_fault(
                request, provider, params, action
            )
            self._finish(entry, outcome=outcome)
            return response
        reply = self._process(provider, function, params)
        self._finish(
            entry,
            processed=True,
            outcome=reply.outcome,
            message_ids=reply.message_ids,
            account=reply.account or account,
        )
        body, content_type = self._render(provider, params, reply)
        if action is None:
            return _response(reply.status, body, content_type)
        return await self._spoil(request, provider, reply, action, body, content_type)

    def _process(self, provider: str, function: str, params: Params) -> Reply:
        now = self.clock()
        if provider == TURKEY_SMS:
            api = turkey_sms.TurkeySmsEmulator(self.state, now, self.settings)
            return api.handle(function, params)
        return hisms.HismsEmulator(self.state, now).handle(function, params)

    def _render(self, provider: str, params: Params, reply: Reply) -> tuple[bytes, str]:
        if isinstance(reply.payload, str):
            return plain_body(reply.payload)
        response_type = params.get("response_type")
        return turkey_body(
            reply.payload,
            response_type if isinstance(response_type, str) else None,
            self.settings.result_style,
            self.settings.json_content_type,
        )

    async def _answer_fault(
        self, request: web.Request, provider: str, params: Params, fault: Fault
    ) -> tuple[web.StreamResponse, str]:
        """Answer instead of the provider; the request is not processed."""
        kind = fault.kind
        if kind == HTTP_STATUS:
            status = int(fault.params["status"])
            reason = web.Response(status=status).reason
            return (
                web.Response(status=status, text=f"{status} {reason}"),
                f"HTTP {status}",
            )
        if kind == HTML_ERROR:
            status = int(fault.params["status"])
            response = _response(status, HTML_ERROR_PAGE.encode(), PHP_CONTENT_TYPE)
            return response, "html_error"
        if kind == RATE_LIMITED:
            retry_after = fault.params["retry_after"]
            headers = {} if retry_after is None else {"Retry-After": retry_after}
            response = web.Response(
                status=429, text="Too Many Requests", headers=headers
            )
            return response, "HTTP 429"
        if kind == RESULT_CODE:
            code = str(fault.params["code"])
            if provider == TURKEY_SMS:
                reply = Reply(turkey_sms.error_payload(code), outcome=code)
            else:
                reply = Reply(code, outcome=code)
            body, content_type = self._render(provider, params, reply)
            return _response(200, body, content_type), code
        if kind == HANG_BEFORE:
            await self._pause(float(fault.params["seconds"]))
        return _drop(request), "dropped"

    async def _spoil(
        self,
        request: web.Request,
        provider: str,
        reply: Reply,
        fault: Fault,
        body: bytes,
        content_type: str,
    ) -> web.StreamResponse:
        """Spoil the answer of a processed request."""
        if fault.kind == MALFORMED_JSON:
            payload = reply.payload
            if isinstance(payload, str):
                text = php_json({"response": payload})
            else:
                text = php_json(with_result_style(payload, self.settings.result_style))
            broken = text[: max(1, len(text) // 2)].encode()
            return _response(reply.status, broken, self.settings.json_content_type)
        if fault.kind == BOM:
            return _response(reply.status, UTF8_BOM + body, content_type)
        if fault.kind == HANG_AFTER:
            await self._pause(float(fault.params["seconds"]))
        if fault.kind in (DROP_AFTER, HANG_AFTER):
            return _drop(request)
        return _response(reply.status, body, content_type)  # pragma: no cover

    async def _pause(self, seconds: float) -> None:
        """Sleep, cut short by :meth:`stop` so shutdown never waits on a fault."""
        if seconds <= 0:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._closing.wait(), timeout=seconds)

    def _finish(self, entry: RequestLogEntry, **changes: Any) -> None:
        """Complete a log entry in place (reset may have emptied the log)."""
        final = replace(entry, **changes)
        for index in range(len(self.log) - 1, -1, -1):
            if self.log[index] is entry:
                self.log[index] = final
                break
        _LOGGER.debug(
            "%s %s -> %s%s",
            final.provider,
            final.function,
            final.outcome,
            "" if final.processed else " (not processed)",
        )


def _fault_name(plan: FaultPlan) -> str | None:
    if plan.action is not None:
        return plan.action.kind
    return plan.names[0] if plan.names else None


def _response(status: int, body: bytes, content_type: str) -> web.Response:
    return web.Response(
        status=status, body=body, headers={"Content-Type": content_type}
    )


def _drop(request: web.Request) -> web.Response:
    """Close the connection without an answer.

    ``force_close`` shuts the transport; aiohttp then fails to write the returned
    response, treats that as a client disconnect and logs nothing.
    """
    request.protocol.force_close()
    return web.Response()
