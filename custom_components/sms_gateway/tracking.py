"""Delivery tracking: watch accepted messages until they are final, fire events.

A tracked send is polled on a schedule that starts soon after the send and
backs off, until every number is final or the message's validity is over.
Polls of one account run one at a time, so tracking never takes more than one
of the account's request places, however many messages are watched; a group
send is one report for all its numbers. What is tracked is stored, so polling
resumes after a restart; the numbers appear in events and logs masked only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Final
from uuid import uuid4

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .client import Capability, RateLimitedError, SmsGatewayError, SmsProvider
from .client.models import DeliveryState, SendReceipt
from .client.phone import mask_number
from .const import DOMAIN, LOGGER
from .coordinator import SmsGatewayConfigEntry

EVENT_DELIVERY: Final = "sms_gateway_delivery"
STATE_EXPIRED: Final = "expired"
"""Not final when the provider stopped trying (the validity is over)."""
DELIVERY_EVENT_TYPES: Final = [*(state.value for state in DeliveryState), STATE_EXPIRED]
FINAL_STATES: Final = frozenset(state for state in DeliveryState if state.final)
STATE_SENT: Final = "sent"
"""What a number is known to be before the first answer: no event for it."""

POLL_AFTER: Final = (10, 30, 60, 120, 300, 600, 1200, 1800)
"""Seconds after the send of the first polls; then every ``LATE_POLL_EVERY``."""
LATE_POLL_EVERY: Final = 3600
DEFAULT_VALIDITY: Final = timedelta(minutes=1440)
STORAGE_VERSION: Final = 1


def delivery_signal(entry_id: str) -> str:
    """The dispatcher signal of an account's delivery events (its event entity)."""
    return f"{DOMAIN}_delivery_{entry_id}"


@dataclass
class TrackedSend:
    """One message id or one group report, and the last state of its numbers."""

    tracking_id: str
    message_id: str | None
    report_id: str | None
    states: dict[str, str]
    """Digits → last known state."""
    sent_at: datetime
    expires_at: datetime
    next_poll: datetime
    polls: int = 0

    def as_dict(self) -> dict[str, Any]:
        """The stored form."""
        return {
            "tracking_id": self.tracking_id,
            "message_id": self.message_id,
            "report_id": self.report_id,
            "states": self.states,
            "sent_at": self.sent_at.isoformat(),
            "expires_at": self.expires_at.isoformat(),
            "next_poll": self.next_poll.isoformat(),
            "polls": self.polls,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrackedSend:
        """Read back what :meth:`as_dict` stored."""
        return cls(
            tracking_id=str(data["tracking_id"]),
            message_id=data.get("message_id"),
            report_id=data.get("report_id"),
            states={str(k): str(v) for k, v in data["states"].items()},
            sent_at=datetime.fromisoformat(data["sent_at"]),
            expires_at=datetime.fromisoformat(data["expires_at"]),
            next_poll=datetime.fromisoformat(data["next_poll"]),
            polls=int(data.get("polls", 0)),
        )

    def schedule_next(self, now: datetime) -> None:
        """Back off: the next poll of the schedule, never in the past."""
        self.polls += 1
        if self.polls < len(POLL_AFTER):
            due = self.sent_at + timedelta(seconds=POLL_AFTER[self.polls])
        else:
            due = now + timedelta(seconds=LATE_POLL_EVERY)
        self.next_poll = max(due, now + timedelta(seconds=1))


@dataclass(frozen=True, slots=True)
class Observation:
    """A number's state as one poll found it."""

    digits: str
    state: str
    code: str | None


@dataclass
class DeliveryTracker:
    """The tracked sends of one account."""

    hass: HomeAssistant
    entry_id: str
    title: str
    provider: SmsProvider
    store: Store[dict[str, Any]]
    start_background: Callable[[Any, str], Any]
    tracked: dict[str, TrackedSend] = field(default_factory=dict)
    _unsub_timer: CALLBACK_TYPE | None = None
    _polling: bool = False
    _stopped: bool = False

    async def async_load(self) -> None:
        """Resume what was tracked before a restart or reload."""
        data = await self.store.async_load() or {}
        for raw in data.get("tracked", []):
            try:
                item = TrackedSend.from_dict(raw)
            except (KeyError, TypeError, ValueError, AttributeError):
                LOGGER.warning("Skipping an unreadable tracked message")
                continue
            self.tracked[self._key(item)] = item
        self._schedule()

    def track(self, receipts: Iterable[SendReceipt]) -> str | None:
        """Watch the accepted messages of one send; its tracking id, or None."""
        now = dt_util.utcnow()
        tracking_id = uuid4().hex
        added = 0
        for receipt in receipts:
            if not receipt.numbers or not (receipt.report_id or receipt.message_id):
                continue
            item = TrackedSend(
                tracking_id=tracking_id,
                message_id=None if receipt.report_id else receipt.message_id,
                report_id=receipt.report_id,
                states=dict.fromkeys(receipt.numbers, STATE_SENT),
                sent_at=now,
                expires_at=now + DEFAULT_VALIDITY,
                next_poll=now + timedelta(seconds=POLL_AFTER[0]),
            )
            self.tracked[self._key(item)] = item
            added += 1
        if not added:
            return None
        self._save()
        self._schedule()
        return tracking_id

    @callback
    def async_stop(self) -> None:
        """Stop polling (the entry unloads); what is tracked stays stored."""
        self._stopped = True
        if self._unsub_timer is not None:
            self._unsub_timer()
            self._unsub_timer = None

    @staticmethod
    def _key(item: TrackedSend) -> str:
        return f"r{item.report_id}" if item.report_id else f"m{item.message_id}"

    def _save(self) -> None:
        """Write now, not delayed: a reload right after a send must find it."""
        data = {"tracked": [item.as_dict() for item in self.tracked.values()]}
        self.hass.async_create_task(
            self.store.async_save(data), f"{DOMAIN} save tracked messages"
        )

    def _schedule(self) -> None:
        if self._unsub_timer is not None:
            self._unsub_timer()
            self._unsub_timer = None
        if self._stopped or self._polling or not self.tracked:
            return
        due = min(item.next_poll for item in self.tracked.values())
        self._unsub_timer = async_track_point_in_utc_time(self.hass, self._due, due)

    @callback
    def _due(self, now: datetime) -> None:
        self._unsub_timer = None
        self._polling = True
        self.start_background(self._poll_due(), f"{DOMAIN} delivery tracking")

    async def _poll_due(self) -> None:
        """Poll everything due, one request at a time."""
        try:
            for key in [
                k for k, v in self.tracked.items() if v.next_poll <= dt_util.utcnow()
            ]:
                if (item := self.tracked.get(key)) is not None:
                    await self._poll(key, item)
        finally:
            self._polling = False
            self._save()
            self._schedule()

    async def _poll(self, key: str, item: TrackedSend) -> None:
        try:
            observations = await self._observe(item)
        except RateLimitedError as err:
            now = dt_util.utcnow()
            item.schedule_next(now)
            if err.retry_after:
                item.next_poll = max(
                    item.next_poll, now + timedelta(seconds=err.retry_after)
                )
            observations = []
        except SmsGatewayError as err:
            LOGGER.debug(
                "Delivery status of a message of %s not read: %s",
                self.title,
                type(err).__name__,
            )
            item.schedule_next(dt_util.utcnow())
            observations = []
        else:
            item.schedule_next(dt_util.utcnow())
        for seen in observations:
            if item.states.get(seen.digits, seen.state) != seen.state:
                item.states[seen.digits] = seen.state
                self._fire(item, seen.digits, seen.state, seen.code)
        open_numbers = [d for d, s in item.states.items() if s not in FINAL_STATES]
        if not open_numbers:
            del self.tracked[key]
        elif dt_util.utcnow() >= item.expires_at:
            for digits in open_numbers:
                self._fire(item, digits, STATE_EXPIRED, None)
            del self.tracked[key]

    async def _observe(self, item: TrackedSend) -> list[Observation]:
        if item.report_id is None:
            status = await self.provider.get_message_status(str(item.message_id))
            [digits] = item.states
            return [Observation(digits, status.state.value, status.code)]
        report = await self.provider.get_report(item.report_id, detailed=True)
        if report.validity_minutes:
            item.expires_at = item.sent_at + timedelta(minutes=report.validity_minutes)
        found: list[Observation] = []
        for row in report.entries:
            number = next(
                (digits for digits in item.states if row.is_for(digits)), None
            )
            if number is not None:
                found.append(Observation(number, row.state.value, row.status_text))
        return found

    def _fire(
        self, item: TrackedSend, digits: str, state: str, code: str | None
    ) -> None:
        data = {
            "config_entry_id": self.entry_id,
            "account": self.title,
            "tracking_id": item.tracking_id,
            "message_id": item.message_id,
            "report_id": item.report_id,
            "recipient": mask_number(f"+{digits}"),
            "state": state,
            "code": code,
            "time": dt_util.utcnow().isoformat(),
        }
        LOGGER.debug(
            "Delivery of a message of %s to %s: %s",
            self.title,
            data["recipient"],
            state,
        )
        self.hass.bus.async_fire(EVENT_DELIVERY, data)
        async_dispatcher_send(self.hass, delivery_signal(self.entry_id), data)


def _store(hass: HomeAssistant, entry_id: str) -> Store[dict[str, Any]]:
    return Store(hass, STORAGE_VERSION, f"{DOMAIN}.delivery.{entry_id}")


async def async_start_tracking(
    hass: HomeAssistant, entry: SmsGatewayConfigEntry, provider: SmsProvider
) -> DeliveryTracker | None:
    """The account's tracker, resumed from storage; None without a delivery API."""
    if Capability.MESSAGE_STATUS not in provider.capabilities:
        return None
    tracker = DeliveryTracker(
        hass,
        entry.entry_id,
        entry.title,
        provider,
        _store(hass, entry.entry_id),
        lambda job, name: entry.async_create_background_task(hass, job, name),
    )
    entry.async_on_unload(tracker.async_stop)
    await tracker.async_load()
    return tracker


async def async_remove_tracking(hass: HomeAssistant, entry_id: str) -> None:
    """Forget what a removed account tracked."""
    await _store(hass, entry_id).async_remove()
