"""The outbox: messages that certainly did not go out, held and sent later.

Kept in Home Assistant's ``Store`` before a send reports them queued, so a
reload or a restart loses nothing. Each message is tried again with a
backoff that honours the provider's ``Retry-After``, at once when the
account's balance poll succeeds again, and never after its deadline. A try is
marked in the store before its request: a try whose outcome is unknown
(Home Assistant stopped during a request, or the provider did not answer) is
never made again; one stopped between requests is. Per number, messages go
out in the order they were held.
The store holds what must be sent; events and logs never hold the text.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any, Final, Literal
from uuid import uuid4

from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .client.phone import mask_number
from .const import DOMAIN, LOGGER

STORAGE_VERSION: Final = 1
EVENT_OUTBOX: Final = "sms_gateway_outbox"
FIRST_WAIT: Final = 30.0
"""Seconds before a held message is first tried again."""
LONGEST_WAIT: Final = 600.0
"""The backoff doubles up to this many seconds."""

type Kind = Literal["sms", "code"]
type OutboxState = Literal[
    "queued", "sent", "unknown", "rejected", "expired", "cleared"
]


def outbox_signal(entry_id: str) -> str:
    """Dispatched whenever an account's outbox changes (its sensor listens)."""
    return f"{DOMAIN}_outbox_{entry_id}"


@dataclass(slots=True)
class HeldMessage:
    """One held message: a text (or a one-time code's template) and its numbers."""

    outbox_id: str
    kind: Kind
    numbers: list[str]
    """E.164 numbers still waiting, in the order they were given."""
    text: str
    """The text, or for a code its template (the code is made when it goes out)."""
    sender: str | None
    created: str
    deadline: str
    next_try: str
    attempts: int = 0
    in_flight: list[str] = field(default_factory=list)
    """Numbers whose try has started and has no answer yet."""
    digits: int = 0
    expires_at: str | None = None
    """When a held code stops being valid."""
    track: bool = False

    @property
    def deadline_at(self) -> datetime:
        """After this, the message is dropped (event ``expired``)."""
        return _parse(self.deadline)

    @property
    def next_try_at(self) -> datetime:
        """When the message is tried again."""
        return _parse(self.next_try)


@dataclass(frozen=True, slots=True)
class HeldTry:
    """What one try of a held message did, number by number."""

    sent: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)
    """Certainly not sent, for a reason that passes: tried again later."""
    retry_after: float | None = None


class HeldTryCancelled(asyncio.CancelledError):
    """A try stopped part way (the account unloads, Home Assistant stops)."""

    def __init__(self, done: HeldTry) -> None:
        super().__init__()
        self.done = done
        """What it did until then: only what may have gone out is final."""


type SendHeld = Callable[[HeldMessage, list[str]], Awaitable[HeldTry]]


def _parse(value: str) -> datetime:
    return dt_util.parse_datetime(value, raise_on_error=True)


def _wait(attempts: int, retry_after: float | None) -> float:
    """Doubling from FIRST_WAIT up to LONGEST_WAIT; longer if the provider asks."""
    wait: float = min(LONGEST_WAIT, FIRST_WAIT * 2 ** max(attempts - 1, 0))
    return max(wait, retry_after or 0.0)


class Outbox:
    """One account's held messages, their timer and their store."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry[Any]) -> None:
        self._hass = hass
        self._entry = entry
        self._store: Store[dict[str, Any]] = Store(
            hass, STORAGE_VERSION, f"{DOMAIN}.outbox.{entry.entry_id}"
        )
        self._messages: list[HeldMessage] = []
        self._send_held: SendHeld | None = None
        self._unsub_timer: CALLBACK_TYPE | None = None
        self._running = False
        self._stopped = False

    # -- what is held ---------------------------------------------------------

    @property
    def waiting(self) -> int:
        """Recipients waiting, counted once per held message."""
        return sum(len(message.numbers) for message in self._messages)

    @property
    def oldest(self) -> datetime | None:
        """When the oldest held message was held."""
        return _parse(self._messages[0].created) if self._messages else None

    def held_numbers(self) -> set[str]:
        """Numbers with a message waiting: a new one to them goes behind it."""
        return {number for message in self._messages for number in message.numbers}

    # -- lifecycle ------------------------------------------------------------

    async def async_start(self, send_held: SendHeld) -> None:
        """Load what was held; a try cut short by a stop is reported unknown."""
        self._send_held = send_held
        stored = await self._store.async_load() or {}
        self._messages = [HeldMessage(**item) for item in stored.get("messages", [])]
        cut_short = [m for m in self._messages if m.in_flight]
        for message in cut_short:
            self._fire(message, "unknown", message.in_flight)
            message.numbers = [n for n in message.numbers if n not in message.in_flight]
            message.in_flight = []
        self._messages = [m for m in self._messages if m.numbers]
        # A fresh start (a restart, new credentials): try again now.
        now = dt_util.utcnow().isoformat()
        for message in self._messages:
            message.next_try = min(message.next_try, now)
        if cut_short:
            await self._async_save()
        self._schedule()

    @callback
    def async_stop(self) -> None:
        """Stop trying (the account unloads); what is held stays stored."""
        self._stopped = True
        self._cancel_timer()

    # -- holding and clearing -------------------------------------------------

    async def async_hold(
        self,
        kind: Kind,
        texts: Sequence[tuple[list[str], str]],
        *,
        sender: str | None,
        deadline: datetime,
        retry_after: float | None = None,
        digits: int = 0,
        expires_at: datetime | None = None,
        track: bool = False,
    ) -> list[str]:
        """Hold each (numbers, text); stored once, before this returns. Their ids."""
        now = dt_util.utcnow()
        held = [
            HeldMessage(
                outbox_id=uuid4().hex,
                kind=kind,
                numbers=list(numbers),
                text=text,
                sender=sender,
                created=now.isoformat(),
                deadline=deadline.isoformat(),
                next_try=(now + timedelta(seconds=_wait(1, retry_after))).isoformat(),
                digits=digits,
                expires_at=expires_at.isoformat() if expires_at else None,
                track=track,
            )
            for numbers, text in texts
        ]
        self._messages.extend(held)
        await self._async_save()
        for message in held:
            self._fire(message, "queued", message.numbers)
        LOGGER.warning(
            "%s could not send now: %s recipient(s) held in the outbox and sent "
            "when the provider can take them",
            self._entry.title,
            sum(len(message.numbers) for message in held),
        )
        self._schedule()
        return [message.outbox_id for message in held]

    async def async_clear(self) -> tuple[int, int]:
        """Drop every held message: (messages, recipients) dropped."""
        dropped = [m for m in self._messages if not m.in_flight]
        for message in dropped:
            self._fire(message, "cleared", message.numbers)
        self._messages = [m for m in self._messages if m.in_flight]
        await self._async_save()
        self._schedule()
        return len(dropped), sum(len(m.numbers) for m in dropped)

    @callback
    def wake(self) -> None:
        """The provider answers again: try every held message now."""
        if not self._messages:
            return
        now = dt_util.utcnow().isoformat()
        for message in self._messages:
            message.next_try = now
        self._schedule()

    # -- trying again ---------------------------------------------------------

    @callback
    def _schedule(self) -> None:
        """Set the timer for the next try or deadline, whichever is first."""
        async_dispatcher_send(self._hass, outbox_signal(self._entry.entry_id))
        self._cancel_timer()
        if self._stopped or not self._messages or self._running:
            return
        when = min(min(m.next_try_at, m.deadline_at) for m in self._messages)
        self._unsub_timer = async_track_point_in_utc_time(
            self._hass, self._due, max(when, dt_util.utcnow())
        )

    @callback
    def _cancel_timer(self) -> None:
        if self._unsub_timer is not None:
            self._unsub_timer()
            self._unsub_timer = None

    @callback
    def _due(self, _now: datetime) -> None:
        self._unsub_timer = None
        self._entry.async_create_background_task(
            self._hass, self._async_try_due(), f"{DOMAIN} outbox"
        )

    def _reauth_pending(self) -> bool:
        """New credentials are being asked for: held messages wait for them."""
        flows = self._entry.async_get_active_flows(self._hass, {SOURCE_REAUTH})
        return any(True for _ in flows)

    async def _async_try_due(self) -> None:
        """Expire what is late, then try what is due, oldest first."""
        if self._running or self._send_held is None:
            return
        self._running = True
        try:
            now = dt_util.utcnow()
            for message in [m for m in self._messages if m.deadline_at <= now]:
                self._fire(message, "expired", message.numbers)
                self._messages.remove(message)
            if not self._reauth_pending():
                await self._async_try(now, self._send_held)
            else:
                for message in self._messages:
                    message.next_try = (
                        now + timedelta(seconds=LONGEST_WAIT)
                    ).isoformat()
            await self._async_save()
        finally:
            self._running = False
            self._schedule()

    async def _async_try(self, now: datetime, send_held: SendHeld) -> None:
        blocked: set[str] = set()
        for message in list(self._messages):
            if self._stopped:
                return
            due = message.next_try_at <= now
            numbers = [n for n in message.numbers if n not in blocked]
            blocked.update(message.numbers)
            if not due or not numbers:
                continue
            message.in_flight = numbers
            message.attempts += 1
            await self._async_save()
            try:
                result = await send_held(message, numbers)
            except HeldTryCancelled as cancelled:
                # What certainly did not go out waits for the next start.
                message.in_flight = []
                self._settle(message, cancelled.done)
                if not message.numbers:
                    self._messages.remove(message)
                await self._async_save()
                raise
            message.in_flight = []
            self._settle(message, result)
            if message.numbers:
                wait = _wait(message.attempts + 1, result.retry_after)
                after = dt_util.utcnow() + timedelta(seconds=wait)
                message.next_try = after.isoformat()
            else:
                self._messages.remove(message)
            blocked.difference_update(set(numbers) - set(message.numbers))
            await self._async_save()

    def _settle(self, message: HeldMessage, result: HeldTry) -> None:
        for state, numbers in (
            ("sent", result.sent),
            ("unknown", result.unknown),
            ("rejected", result.rejected),
        ):
            if numbers:
                self._fire(message, state, numbers)  # type: ignore[arg-type]
        done = {*result.sent, *result.unknown, *result.rejected}
        message.numbers = [n for n in message.numbers if n not in done]

    # -- store and events -----------------------------------------------------

    async def _async_save(self) -> None:
        await self._store.async_save(
            {"messages": [asdict(message) for message in self._messages]}
        )

    def _fire(
        self, message: HeldMessage, state: OutboxState, numbers: list[str]
    ) -> None:
        """Never the text or the code; numbers masked."""
        self._hass.bus.async_fire(
            EVENT_OUTBOX,
            {
                "config_entry_id": self._entry.entry_id,
                "outbox_id": message.outbox_id,
                "state": state,
                "kind": message.kind,
                "recipients": [mask_number(number) for number in numbers],
                "attempts": message.attempts,
            },
        )


async def async_remove_outbox(hass: HomeAssistant, entry_id: str) -> None:
    """The account is removed: forget what it held."""
    await Store[dict[str, Any]](
        hass, STORAGE_VERSION, f"{DOMAIN}.outbox.{entry_id}"
    ).async_remove()
