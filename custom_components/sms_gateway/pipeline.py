"""The one way a message leaves an account: send → fail over → hold → outcome.

``send_sms``, ``send_otp``, the recipients' notify entities, the legacy
notify service and the outbox's later tries all come through here, already
validated. A recipient whose message certainly did not go out for a reason
that concerns the account goes through the fallback account at once; one that
still did not go out for a reason that passes is held in the outbox. A
recipient whose outcome is unknown is never sent again, nor failed over.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.util import dt as dt_util

from .client import FailureReason, SmsGatewayError, SmsProvider
from .client.bulk import (
    BulkOptions,
    BulkResult,
    BulkSend,
    Delivery,
    OutgoingText,
    plan_chunks,
)
from .client.phone import PhoneNumber
from .codes import CodeSender
from .const import (
    CONF_FALLBACK_ACCOUNT,
    CONF_RETRY_MINUTES,
    DEFAULT_RETRY_MINUTES,
    DOMAIN,
    LOGGER,
)
from .errors import reauth_if_refused
from .legs import (
    fails_over,
    may_go_elsewhere,
    only,
    reanalysed,
    retry_after,
    unsent,
    without,
)
from .outbox import HeldMessage, HeldTry, HeldTryCancelled, Outbox
from .outcome import LegSummary, SendOutcome, fire_sent_event
from .spend_guard import Admission
from .validation import validate_message

if TYPE_CHECKING:
    from .coordinator import SmsGatewayConfigEntry

CHUNK_SIZE: Final = 500
"""Numbers per request at most (providers may take fewer)."""
BULK_OPTIONS: Final = BulkOptions()
"""How many chunks go at once, and how often and how long a chunk is retried."""

pause = asyncio.sleep
"""The wait between attempts within one send (tests make it instant)."""


class SendCancelled(asyncio.CancelledError):
    """A send stopped part way; cancellation all the same."""

    def __init__(self, result: BulkResult) -> None:
        super().__init__()
        self.result = result
        """What it did until then: a request without an answer is unknown."""


class SendPipeline:
    """Sends through one account, failing over and holding as needed."""

    def __init__(
        self, hass: HomeAssistant, entry: SmsGatewayConfigEntry, provider: SmsProvider
    ) -> None:
        self._hass = hass
        self._entry = entry
        self.provider = provider
        self.outbox = Outbox(hass, entry)
        self.codes = CodeSender(hass, entry, self)

    @property
    def entry(self) -> SmsGatewayConfigEntry:
        """The account this pipeline sends through."""
        return self._entry

    @property
    def entry_id(self) -> str:
        """The account's entry id."""
        entry_id: str = self._entry.entry_id
        return entry_id

    # -- sending texts --------------------------------------------------------

    async def async_send(
        self,
        outgoing: Sequence[OutgoingText],
        *,
        sender: str | None = None,
        send_at: datetime | None = None,
        retry_minutes: int | None = None,
        track: bool = False,
        ignore_limits: bool = False,
    ) -> SendOutcome:
        """Guard, send, fail over, hold; every recipient ends in one list.

        The spend guard refuses the whole send before any request when it
        would pass the day's limit, and leaves out repeats (``suppressed``).
        """
        outcome = SendOutcome(outgoing)
        admission = self._entry.runtime_data.spend_guard.admit(
            outgoing, ignore_limits=ignore_limits
        )
        outcome.suppressed = [number.e164 for number in admission.suppressed]
        outgoing = admission.outgoing
        deadline = self.deadline(retry_minutes, send_at)
        # A number with a message still held gets this one after it (when
        # this one may be held at all).
        held = self.outbox.held_numbers() if deadline is not None else set()
        behind = {n.e164 for item in outgoing for n in item.numbers if n.e164 in held}
        now_outgoing = without(outgoing, behind)
        result = await self.async_send_leg(
            now_outgoing,
            sender=sender,
            send_at=send_at,
            admission=admission,
            not_now={n for item in outgoing for n in item.numbers if n.e164 in behind},
            suppressed=len(outcome.suppressed),
        )
        outcome.receipts.extend(result.receipts)
        candidates = may_go_elsewhere(result)
        settled: set[str] = set()
        if candidates and send_at is None:
            settled = await self._async_fail_over(outgoing, candidates, outcome)
        to_hold = {
            number: reason
            for number, reason in candidates.items()
            if number not in settled and self._holds_for(reason)
        }
        if deadline is not None and (to_hold or behind):
            await self._async_hold(
                outgoing,
                set(to_hold) | behind,
                outcome,
                sender,
                deadline,
                result,
                track,
            )
        outcome.add_result(result, exclude=settled | set(outcome.queued))
        if track and (tracker := self._entry.runtime_data.delivery) is not None:
            outcome.tracking_id = tracker.track(outcome.receipts)
        return outcome

    async def async_send_leg(
        self,
        outgoing: Sequence[OutgoingText],
        *,
        sender: str | None = None,
        send_at: datetime | None = None,
        admission: Admission | None = None,
        not_now: set[PhoneNumber] | None = None,
        suppressed: int = 0,
    ) -> BulkResult:
        """One account's requests, counted by its spend guard.

        The event, reauth and a balance refresh follow. Without an
        ``admission`` (a fallback's or a held message's leg) the guard admits
        the texts here, repeats and all; over the limit it raises
        ``daily_limit_reached`` before any request. Parts of recipients that
        certainly did not go out (or wait, ``not_now``) are given back.
        """
        if admission is None:
            admission = self._entry.runtime_data.spend_guard.admit(
                outgoing, filter_repeats=False
            )
        waiting = not_now or set()
        job = BulkSend(
            plan_chunks(
                self.provider,
                outgoing,
                max_numbers=CHUNK_SIZE,
                sender=sender,
                send_at=send_at,
            ),
            BULK_OPTIONS,
            sleep=lambda seconds: pause(seconds),
        )
        try:
            result = await job.run()
        except asyncio.CancelledError as err:
            done = job.snapshot()
            summary = LegSummary.of(done, outgoing)
            LOGGER.warning(
                "Sending through %s was cancelled: %s sent, %s unknown, %s not sent",
                self._entry.title,
                summary.accepted,
                summary.unknown,
                summary.not_sent,
            )
            fire_sent_event(self._hass, self._entry.entry_id, summary, cancelled=True)
            admission.give_back(waiting | set(unsent(done)))
            raise SendCancelled(done) from err
        admission.give_back(waiting | set(unsent(result)))
        fire_sent_event(
            self._hass,
            self._entry.entry_id,
            LegSummary.of(result, outgoing),
            suppressed=suppressed,
        )
        self.after_requests(result.stopped_by, sent=bool(result.receipts))
        return result

    def after_requests(self, err: SmsGatewayError | None, *, sent: bool) -> None:
        """Ask for new credentials if refused; show the new balance soon."""
        reauth_if_refused(self._hass, self._entry, err)
        if sent:
            self._entry.runtime_data.coordinator.async_refresh_after_send()

    # -- failover -------------------------------------------------------------

    def _fallback(self) -> SendPipeline | None:
        """The fallback account's pipeline, when it is set and loaded."""
        entry_id = self._entry.options.get(CONF_FALLBACK_ACCOUNT)
        if not entry_id or entry_id == self._entry.entry_id:
            return None
        entry = self._hass.config_entries.async_get_entry(entry_id)
        if entry is None or entry.domain != DOMAIN:
            return None
        if entry.state is not ConfigEntryState.LOADED:
            return None
        pipeline: SendPipeline = entry.runtime_data.pipeline
        return pipeline

    async def _async_fail_over(
        self,
        outgoing: Sequence[OutgoingText],
        candidates: dict[str, FailureReason],
        outcome: SendOutcome,
    ) -> set[str]:
        """Send what concerns this account through the fallback: the numbers settled."""
        fallback = self._fallback()
        numbers = {n for n, reason in candidates.items() if fails_over(reason)}
        if fallback is None or not numbers:
            return set()
        moved = reanalysed(only(outgoing, numbers), fallback.entry)
        if not moved:
            return set()
        try:
            result = await fallback.async_send_leg(moved)
        except HomeAssistantError:
            # The fallback's own daily limit: it sends nothing of this.
            return set()
        outcome.fallback_account = fallback.entry_id
        outcome.fallback_receipts.extend(result.receipts)
        outcome.requests += result.requests
        settled: set[str] = set()
        for item in result.outcomes:
            number = item.number.e164
            if item.state is Delivery.SENT:
                outcome.accepted.append(number)
                outcome.failed_over.append(number)
            elif item.state is Delivery.UNKNOWN:
                outcome.unknown.append(number)
            elif item.state is Delivery.REJECTED and not (
                item.reason and item.reason.concerns_the_account
            ):
                outcome.rejected.append((number, item.reason or FailureReason.UNKNOWN))
            else:
                continue
            settled.add(number)
        return settled

    # -- holding --------------------------------------------------------------

    def _holds_for(self, reason: FailureReason) -> bool:
        """Whether a recipient not sent for this reason waits in the outbox.

        A cause that passes by itself; refused credentials, which the owner
        replaces through reauthentication (held messages wait for it); or any
        cause of this account when the fallback could not send either.
        """
        return (
            reason.passes
            or reason is FailureReason.AUTHENTICATION_FAILED
            or (reason.concerns_the_account and self._fallback() is not None)
        )

    def deadline(
        self, retry_minutes: int | None, send_at: datetime | None
    ) -> datetime | None:
        """Until when a message may be held; None: never held."""
        if send_at is not None:
            return None
        minutes = (
            retry_minutes
            if retry_minutes is not None
            else int(self._entry.options.get(CONF_RETRY_MINUTES, DEFAULT_RETRY_MINUTES))
        )
        if minutes <= 0:
            return None
        return dt_util.utcnow() + timedelta(minutes=minutes)

    async def _async_hold(
        self,
        outgoing: Sequence[OutgoingText],
        numbers: set[str],
        outcome: SendOutcome,
        sender: str | None,
        deadline: datetime,
        result: BulkResult,
        track: bool,
    ) -> None:
        texts = [
            ([n.e164 for n in item.numbers if n.e164 in numbers], item.analysis.text)
            for item in outgoing
        ]
        texts = [(held, text) for held, text in texts if held]
        ids = await self.outbox.async_hold(
            "sms",
            texts,
            sender=sender,
            deadline=deadline,
            retry_after=retry_after(result.stopped_by),
            track=track,
        )
        outcome.outbox_id = ids[-1]
        outcome.queued.extend(number for held, _ in texts for number in held)

    async def async_send_held(
        self, message: HeldMessage, numbers: list[str]
    ) -> HeldTry:
        """One try of a held message, through this account and its fallback."""
        if message.kind == "code":
            return await self.codes.async_send_held(message, numbers[0])
        try:
            analysis = validate_message(message.text, self._entry)
        except HomeAssistantError:
            return HeldTry(rejected=numbers)
        outgoing = [OutgoingText(analysis, tuple(PhoneNumber(n) for n in numbers))]
        try:
            result = await self.async_send_leg(outgoing, sender=message.sender)
        except HomeAssistantError:
            # Today's limit is reached: the message waits (until its deadline).
            return HeldTry(waiting=numbers)
        except SendCancelled as cancelled:
            so_far = cancelled.result
            raise HeldTryCancelled(
                HeldTry(
                    sent=[n.e164 for n in so_far.numbers_in(Delivery.SENT)],
                    unknown=[n.e164 for n in so_far.numbers_in(Delivery.UNKNOWN)],
                    waiting=[n.e164 for n in so_far.numbers_in(Delivery.NOT_SENT)],
                )
            ) from cancelled
        candidates = may_go_elsewhere(result)
        scratch = SendOutcome(outgoing)
        settled = await self._async_fail_over(outgoing, candidates, scratch)
        sent = [o.number.e164 for o in result.outcomes if o.state is Delivery.SENT]
        unknown = [
            o.number.e164 for o in result.outcomes if o.state is Delivery.UNKNOWN
        ]
        if message.track and (tracker := self._entry.runtime_data.delivery) is not None:
            tracker.track(result.receipts)
        waiting = [
            n
            for n, reason in candidates.items()
            if n not in settled and self._holds_for(reason)
        ]
        done = {*sent, *unknown, *settled, *waiting}
        return HeldTry(
            sent=sent + scratch.failed_over,
            unknown=unknown + scratch.unknown,
            rejected=[n for n in numbers if n not in done]
            + [n for n, _ in scratch.rejected],
            waiting=waiting,
            retry_after=retry_after(result.stopped_by),
        )
