"""HTTP for every provider: timeouts, and the line between "not sent" and "unknown".

aiohttp errors are translated here, once. A send whose request may have reached
the provider becomes ``OutcomeUnknownError``; only a failure that certainly
happened before the provider processed anything becomes
``SmsGatewayConnectionError`` (safe to retry).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from typing import Any, Final

import aiohttp

from .errors import (
    InvalidResponseError,
    OutcomeUnknownError,
    RateLimitedError,
    SmsGatewayConnectionError,
)

DEFAULT_TIMEOUT: Final = aiohttp.ClientTimeout(
    total=None, connect=10, sock_connect=10, sock_read=30
)
MAX_RETRY_AFTER: Final = 86_400.0
MAX_IN_FLIGHT: Final = 4
"""Requests one account has at the provider at once, whoever makes them."""
_BOM: Final = "\ufeff"


@dataclass(frozen=True, slots=True)
class HttpReply:
    """A decoded answer with status 200."""

    text: str


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header; ``None`` if absent or nonsense."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    delay = (when - (now or datetime.now(UTC))).total_seconds()
    return min(max(delay, 0.0), MAX_RETRY_AFTER)


class HttpTransport:
    """Requests against one provider's base URL.

    Never logs a URL or parameters: credentials travel in them. One transport
    belongs to one account, and every request of it (sends of any number of
    concurrent callers, OTP, status queries, polling) waits for one of
    ``max_in_flight`` places, so a burst queues here instead of tripping the
    provider's limits. The wait is not part of the request's timeout.
    """

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str,
        *,
        provider: str,
        timeout: aiohttp.ClientTimeout = DEFAULT_TIMEOUT,
        max_in_flight: int = MAX_IN_FLIGHT,
    ) -> None:
        self._session = session
        self._base_url = base_url.rstrip("/")
        self._provider = provider
        self._timeout = timeout
        self._places = asyncio.Semaphore(max(1, max_in_flight))

    async def request(
        self,
        method: str,
        path: str,
        *,
        sends_message: bool,
        json: Mapping[str, Any] | None = None,
        data: Mapping[str, str] | None = None,
        params: Mapping[str, str] | None = None,
    ) -> HttpReply:
        """Make one request; raise the error that says what may have happened."""
        async with self._places:
            return await self._request(
                method,
                path,
                sends_message=sends_message,
                json=json,
                data=data,
                params=params,
            )

    async def _request(
        self,
        method: str,
        path: str,
        *,
        sends_message: bool,
        json: Mapping[str, Any] | None,
        data: Mapping[str, str] | None,
        params: Mapping[str, str] | None,
    ) -> HttpReply:
        url = f"{self._base_url}{path}"
        try:
            async with self._session.request(
                method,
                url,
                json=json,
                data=data,
                params=params,
                timeout=self._timeout,
                allow_redirects=False,
            ) as response:
                body = await response.read()
                status = response.status
                headers = response.headers
        except (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError) as err:
            raise SmsGatewayConnectionError(
                f"cannot connect to {self._provider}: {type(err).__name__}"
            ) from None
        except (TimeoutError, aiohttp.ClientError) as err:
            reason = "timed out" if isinstance(err, TimeoutError) else "was cut off"
            if sends_message:
                raise OutcomeUnknownError(
                    f"the request to {self._provider} {reason} after it was sent"
                ) from None
            raise SmsGatewayConnectionError(
                f"the request to {self._provider} {reason}"
            ) from None
        except asyncio.CancelledError:
            raise
        return self._check(status, headers, body, sends_message=sends_message)

    def _check(
        self,
        status: int,
        headers: Mapping[str, str],
        body: bytes,
        *,
        sends_message: bool,
    ) -> HttpReply:
        retry_after = parse_retry_after(headers.get("Retry-After"))
        if status == HTTPStatus.TOO_MANY_REQUESTS:
            raise RateLimitedError(
                f"{self._provider} answered HTTP 429",
                code="HTTP-429",
                retry_after=retry_after,
            )
        if status == HTTPStatus.SERVICE_UNAVAILABLE:
            raise SmsGatewayConnectionError(
                f"{self._provider} is unavailable (HTTP 503)", retry_after=retry_after
            )
        if status >= HTTPStatus.INTERNAL_SERVER_ERROR:
            message = f"{self._provider} answered HTTP {status}"
            if sends_message:
                raise OutcomeUnknownError(message)
            raise SmsGatewayConnectionError(message)
        if status != HTTPStatus.OK:
            raise InvalidResponseError(
                f"{self._provider} answered HTTP {status}", status=status
            )
        text = body.decode("utf-8", errors="replace").lstrip(_BOM).strip()
        return HttpReply(text=text)
