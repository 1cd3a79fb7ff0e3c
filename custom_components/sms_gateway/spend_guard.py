"""The spend guard: a daily limit of SMS parts, and a filter of repeated texts.

Every send asks ``SpendGuard.admit`` before any request. It holds back the
numbers that got the same text within the repeat window, refuses a send that
would pass the day's limit as a whole, and reserves the parts of the rest;
``Admission.settle`` then counts what went out or may have, and gives back
what certainly did not. Checking and reserving run in the event loop with no
await between them, so sends made at the same moment cannot together pass the
limit.

Parts are counted as the provider charges them: a text's parts times its
numbers. The day is Home Assistant's local day. The day's count, the day's
refusal and the repeat marks are stored, so a reload or a restart changes
nothing; a mark is a keyed hash of the number and the text, never either.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
import hashlib
import secrets
from typing import Any, Final, NoReturn

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.event import async_track_point_in_time
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util
from homeassistant.util.hass_dict import HassKey

from .client.bulk import BulkResult, Delivery, OutgoingText
from .client.phone import PhoneNumber
from .const import (
    CONF_DAILY_LIMIT,
    CONF_REPEAT_WINDOW_MINUTES,
    DEFAULT_DAILY_LIMIT,
    DEFAULT_REPEAT_WINDOW_MINUTES,
    DOMAIN,
    EVENT_LIMIT_REACHED,
    ISSUE_DAILY_LIMIT_REACHED,
    LOGGER,
)
from .coordinator import SmsGatewayConfigEntry, issue_owner

STORAGE_VERSION: Final = 1
SAVE_DELAY: Final = 1.0
"""Seconds: the sends of one burst are written once; unloading writes at once."""
CERTAINLY_UNSENT: Final = frozenset({Delivery.NOT_SENT, Delivery.REJECTED})
SPEND_GUARDS: HassKey[dict[str, SpendGuard]] = HassKey(f"{DOMAIN}_spend_guards")
"""Each account's guard by entry id, for as long as Home Assistant runs."""


@dataclass
class SpendRecord:
    """What is stored for an account: today's count and refusal, the marks."""

    day: date
    """The local day the count is for."""
    parts: int = 0
    refused_at: int | None = None
    """The limit a send was refused at this day; None: nothing refused."""
    marks: dict[str, float] = field(default_factory=dict)
    """Keyed hash of (number, text) → when it last went out (UTC timestamp)."""
    key: str = field(default_factory=lambda: secrets.token_hex(16))
    """The account's own key of the mark hashes."""

    def as_dict(self) -> dict[str, Any]:
        """The stored form."""
        return {
            "day": self.day.isoformat(),
            "parts": self.parts,
            "refused_at": self.refused_at,
            "marks": self.marks,
            "key": self.key,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SpendRecord:
        """Read back what :meth:`as_dict` stored."""
        refused_at = data.get("refused_at")
        return cls(
            day=date.fromisoformat(data["day"]),
            parts=int(data["parts"]),
            refused_at=None if refused_at is None else int(refused_at),
            marks={str(k): float(v) for k, v in data.get("marks", {}).items()},
            key=str(data["key"]),
        )


@dataclass(slots=True)
class Reservation:
    """The parts and the repeat mark one number of a send holds until it settles."""

    number: PhoneNumber
    parts: int
    mark: str | None
    previous: float | None
    """The mark's time before this send; restored if the number gets nothing."""


@dataclass
class Admission:
    """A send the guard let through: what may go out, and what it reserved."""

    guard: SpendGuard
    outgoing: list[OutgoingText]
    """The texts and numbers that may go out."""
    suppressed: tuple[PhoneNumber, ...]
    """Numbers that got the same text within the repeat window: not sent."""
    reservations: tuple[Reservation, ...]
    settled: bool = False

    @callback
    def settle(self, result: BulkResult) -> None:
        """Count what went out or may have; give back what certainly did not."""
        self.give_back(o.number for o in result.outcomes if o.state in CERTAINLY_UNSENT)

    @callback
    def give_back(self, unsent: Iterable[PhoneNumber] = ()) -> None:
        """Count everything but ``unsent``, whose parts and marks are given back."""
        if not self.settled:
            self.settled = True
            self.guard.settle(self.reservations, frozenset(unsent))


class SpendGuard:
    """The daily limit and the repeat filter of one account."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry_id: str,
        store: Store[dict[str, Any]],
        record: SpendRecord,
    ) -> None:
        self._hass = hass
        self._entry_id = entry_id
        self._title = ""
        self.store = store
        self._record = record
        self.limit = DEFAULT_DAILY_LIMIT
        """SMS parts a day; 0: no limit."""
        self._window = timedelta(minutes=DEFAULT_REPEAT_WINDOW_MINUTES)
        self._keyed_hash = hashlib.blake2b(
            key=bytes.fromhex(record.key), digest_size=16
        )
        self._reserved = 0
        """Parts of sends in flight."""
        self._listeners: list[CALLBACK_TYPE] = []
        self._unsub_midnight: CALLBACK_TYPE | None = None

    @property
    def parts_today(self) -> int:
        """Parts that went out today, or may have."""
        return self._record.parts

    @property
    def day_start(self) -> datetime:
        """Local midnight at the start of the counted day."""
        return dt_util.start_of_local_day(self._record.day)

    @property
    def remaining(self) -> int | None:
        """Parts that may still go out today; None without a limit."""
        if not self.limit:
            return None
        return max(0, self.limit - self._record.parts - self._reserved)

    @callback
    def async_add_listener(self, update: CALLBACK_TYPE) -> CALLBACK_TYPE:
        """Call ``update`` whenever the count changes; returns the remover."""
        self._listeners.append(update)
        return lambda: self._listeners.remove(update)

    @callback
    def admit(
        self,
        outgoing: Sequence[OutgoingText],
        *,
        ignore_limits: bool = False,
        filter_repeats: bool = True,
    ) -> Admission:
        """What of ``outgoing`` may go out now, its parts reserved.

        ``ignore_limits``: neither the limit nor the repeat filter holds the
        send back; its parts count all the same. ``filter_repeats`` is off for
        one-time codes, whose every text is new. Raises ``daily_limit_reached``,
        with nothing reserved, when the send would pass the day's limit.
        """
        self._roll_day()
        now = dt_util.utcnow().timestamp()
        self._forget_old_marks(now)
        marking = filter_repeats and self._window > timedelta(0)
        allowed: list[OutgoingText] = []
        suppressed: list[PhoneNumber] = []
        reservations: list[Reservation] = []
        for item in outgoing:
            numbers: list[PhoneNumber] = []
            for number in item.numbers:
                mark = self._mark(number, item.analysis.text) if marking else None
                repeated = mark is not None and mark in self._record.marks
                if repeated and not ignore_limits:
                    suppressed.append(number)
                    continue
                numbers.append(number)
                previous = self._record.marks.get(mark) if mark else None
                reservations.append(
                    Reservation(number, item.analysis.segments, mark, previous)
                )
            if numbers:
                allowed.append(OutgoingText(item.analysis, tuple(numbers)))
        needed = sum(r.parts for r in reservations)
        remaining = self.remaining
        if remaining is not None and needed > remaining and not ignore_limits:
            self._refuse(needed, remaining)
        self._reserved += needed
        for reservation in reservations:
            if reservation.mark is not None:
                self._record.marks[reservation.mark] = now
        return Admission(self, allowed, tuple(suppressed), tuple(reservations))

    @callback
    def settle(
        self, reservations: Iterable[Reservation], unsent: frozenset[PhoneNumber]
    ) -> None:
        """Turn reservations into the day's count, less what did not go out."""
        for reservation in reservations:
            self._reserved -= reservation.parts
            if reservation.number not in unsent:
                self._record.parts += reservation.parts
            elif reservation.mark is None:
                continue
            elif reservation.previous is None:
                self._record.marks.pop(reservation.mark, None)
            else:
                self._record.marks[reservation.mark] = reservation.previous
        self._changed()

    def _mark(self, number: PhoneNumber, text: str) -> str:
        hasher = self._keyed_hash.copy()
        hasher.update(f"{number.e164}\n{text}".encode())
        return hasher.hexdigest()

    def _forget_old_marks(self, now: float) -> None:
        oldest = now - self._window.total_seconds()
        for mark in [m for m, at in self._record.marks.items() if at <= oldest]:
            del self._record.marks[mark]

    def _refuse(self, needed: int, remaining: int) -> NoReturn:
        """Tell the owner (repair issue) and automations (event), then refuse."""
        self._record.refused_at = self.limit
        self._update_issue()
        self._save()
        self._hass.bus.async_fire(
            EVENT_LIMIT_REACHED,
            {
                "config_entry_id": self._entry_id,
                "limit": self.limit,
                "needed": needed,
                "remaining": remaining,
            },
        )
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="daily_limit_reached",
            translation_placeholders={
                "limit": str(self.limit),
                "remaining": str(remaining),
                "needed": str(needed),
            },
        )

    def _roll_day(self) -> bool:
        """Start a new count when the local day has changed; whether it did."""
        today = dt_util.now().date()
        if self._record.day == today:
            return False
        self._record.day = today
        self._record.parts = 0
        self._record.refused_at = None
        self._update_issue()
        return True

    def _update_issue(self) -> None:
        """Keep the repair issue while today's refusal stands at this limit.

        A new day or a higher limit (or none) removes it.
        """
        refused_at = self._record.refused_at
        if refused_at is None or not 0 < self.limit <= refused_at:
            async_delete_limit_issue(self._hass, self._entry_id)
            return
        ir.async_create_issue(
            self._hass,
            DOMAIN,
            _issue_id(self._entry_id),
            **issue_owner(self._entry_id),
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key=ISSUE_DAILY_LIMIT_REACHED,
            translation_placeholders={"title": self._title, "limit": str(self.limit)},
        )

    @callback
    def _changed(self) -> None:
        self._save()
        for update in list(self._listeners):
            update()

    def _save(self) -> None:
        self.store.async_delay_save(self._record.as_dict, SAVE_DELAY)

    @callback
    def async_start(self, entry: SmsGatewayConfigEntry) -> None:
        """Take the entry's options; catch up with the day; wake at each midnight."""
        self._title = entry.title
        self.limit = int(entry.options.get(CONF_DAILY_LIMIT, DEFAULT_DAILY_LIMIT))
        self._window = timedelta(
            minutes=int(
                entry.options.get(
                    CONF_REPEAT_WINDOW_MINUTES, DEFAULT_REPEAT_WINDOW_MINUTES
                )
            )
        )
        self._roll_day()
        self._forget_old_marks(dt_util.utcnow().timestamp())
        self._update_issue()
        self._schedule_midnight()

    def _schedule_midnight(self) -> None:
        tomorrow = dt_util.now().date() + timedelta(days=1)
        self._unsub_midnight = async_track_point_in_time(
            self._hass, self._midnight, dt_util.start_of_local_day(tomorrow)
        )

    @callback
    def _midnight(self, now: datetime) -> None:
        if self._roll_day():
            self._changed()
        self._schedule_midnight()

    async def async_stop(self) -> None:
        """Stop waking at midnight and write the count now (the entry unloads)."""
        if self._unsub_midnight is not None:
            self._unsub_midnight()
            self._unsub_midnight = None
        await self.store.async_save(self._record.as_dict())


def _issue_id(entry_id: str) -> str:
    return f"{ISSUE_DAILY_LIMIT_REACHED}_{entry_id}"


@callback
def async_delete_limit_issue(hass: HomeAssistant, entry_id: str) -> None:
    """Remove the account's daily-limit repair issue, if raised."""
    ir.async_delete_issue(hass, DOMAIN, _issue_id(entry_id))


def _store(hass: HomeAssistant, entry_id: str) -> Store[dict[str, Any]]:
    return Store(hass, STORAGE_VERSION, f"{DOMAIN}.spend.{entry_id}")


async def async_start_spend_guard(
    hass: HomeAssistant, entry: SmsGatewayConfigEntry
) -> SpendGuard:
    """The account's guard: loaded once a run, kept across reloads.

    A send still running when the account reloads settles with the same
    guard the reloaded account uses, so nothing is counted twice or lost.
    """
    guards = hass.data.setdefault(SPEND_GUARDS, {})
    if (guard := guards.get(entry.entry_id)) is None:
        store = _store(hass, entry.entry_id)
        record = SpendRecord(day=dt_util.now().date())
        if (stored := await store.async_load()) is not None:
            try:
                record = SpendRecord.from_dict(stored)
            except (KeyError, TypeError, ValueError, AttributeError):
                LOGGER.warning(
                    "The SMS count of %s was unreadable: it starts again", entry.title
                )
        guard = guards[entry.entry_id] = SpendGuard(hass, entry.entry_id, store, record)
    guard.async_start(entry)
    entry.async_on_unload(guard.async_stop)
    return guard


async def async_remove_spend_guard(hass: HomeAssistant, entry_id: str) -> None:
    """Forget a removed account's count, marks and repair issue."""
    guard = hass.data.get(SPEND_GUARDS, {}).pop(entry_id, None)
    async_delete_limit_issue(hass, entry_id)
    # The guard's own store, so that a write it has pending is dropped too.
    await (guard.store if guard else _store(hass, entry_id)).async_remove()
