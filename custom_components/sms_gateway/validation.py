"""Checks on what a user asked to send, before anything leaves the house.

Every problem becomes a translated ``ServiceValidationError``; numbers in error
messages are masked.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
import re
from typing import Any, Final

from homeassistant.components.notify.const import DOMAIN as NOTIFY_DOMAIN
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util

from .client.otp import OTP_PLACEHOLDER, OtpTemplate, otp_template
from .client.phone import (
    PhoneNumber,
    mask_number,
    parse_phone_numbers,
)
from .client.text import TextAnalysis, analyze_text
from .const import (
    CONF_DEFAULT_REGION,
    CONF_MAX_SEGMENTS,
    CONF_NUMBERS,
    DEFAULT_MAX_SEGMENTS,
    DOMAIN,
)
from .coordinator import SmsGatewayConfigEntry

MAX_RECIPIENTS: Final = 10_000
_PARSE_IN_LOOP_MAX: Final = 50
_SENDER: Final = re.compile(r"^[0-9A-Za-z][0-9A-Za-z .&'_-]{0,15}$")
# Control characters other than line feed, carriage return and tab.
_CONTROL: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def invalid(key: str, **placeholders: str) -> ServiceValidationError:
    """A translated validation error of this integration."""
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders or None,
    )


def resolve_entry(hass: HomeAssistant, entry_id: str | None) -> SmsGatewayConfigEntry:
    """The account an action is for: named, or the only one there is."""
    if entry_id is None:
        loaded = hass.config_entries.async_loaded_entries(DOMAIN)
        if len(loaded) != 1:
            raise invalid("config_entry_required")
        return loaded[0]
    entry = hass.config_entries.async_get_entry(entry_id)
    if entry is None or entry.domain != DOMAIN:
        raise invalid("config_entry_not_found")
    if entry.state is not ConfigEntryState.LOADED:
        raise invalid("config_entry_not_loaded")
    return entry


def validate_message(raw: Any, entry: SmsGatewayConfigEntry) -> TextAnalysis:
    """A text that can be sent within the entry's segment limit."""
    return _within_limit(analyze_text(_checked_text(raw)), entry)


def validate_otp_template(
    raw: str, digits: int, entry: SmsGatewayConfigEntry
) -> OtpTemplate:
    """A code's text with its placeholder, analysed once, within the limit."""
    if OTP_PLACEHOLDER not in raw:
        raise invalid("otp_template_without_code", code=OTP_PLACEHOLDER)
    template = otp_template(_checked_text(raw), digits)
    _within_limit(template.analysis, entry)
    return template


def _checked_text(raw: Any) -> str:
    """A non-blank text of printable characters that UTF-8 can carry."""
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        raise invalid("message_required")
    text = str(raw)
    if not text.strip():
        raise invalid("message_required")
    if _CONTROL.search(text):
        raise invalid("message_invalid_characters")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise invalid("message_invalid_characters") from None
    return text


def _within_limit(analysis: TextAnalysis, entry: SmsGatewayConfigEntry) -> TextAnalysis:
    limit = int(entry.options.get(CONF_MAX_SEGMENTS, DEFAULT_MAX_SEGMENTS))
    if analysis.segments > limit:
        raise invalid(
            "message_too_long", segments=str(analysis.segments), limit=str(limit)
        )
    return analysis


def validate_sender(raw: Any) -> str | None:
    """An optional sender ID: letters and digits, at most 16 characters."""
    if raw is None:
        return None
    if not isinstance(raw, str) or not _SENDER.match(raw.strip()):
        raise invalid("invalid_sender")
    return raw.strip()


def validate_send_at(raw: Any, *, supported: bool) -> datetime | None:
    """A future moment, for providers that schedule.

    A time without an offset, as the date and time picker and most templates
    give it, is a time in Home Assistant's time zone, with the offset of that
    day: daylight saving time counts where it applies then, not now.
    """
    if raw is None or raw == "":
        return None
    if not supported:
        raise invalid("scheduling_not_supported")
    when = raw if isinstance(raw, datetime) else None
    if isinstance(raw, str):
        when = dt_util.parse_datetime(raw.strip())
    if when is None:
        raise invalid("send_at_invalid")
    if when.tzinfo is None:
        when = _local_time(when)
    if when <= dt_util.utcnow():
        raise invalid("send_at_in_past")
    return when


def _local_time(naive: datetime) -> datetime:
    """A wall-clock time in Home Assistant's zone; one the clocks skip is refused.

    A time that occurs twice, when the clocks go back, is the first of the two.
    """
    zone = dt_util.get_default_time_zone()
    when = naive.replace(tzinfo=zone)
    if when.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
        raise invalid("send_at_skipped", time_zone=str(zone))
    return when


def default_region(entry: SmsGatewayConfigEntry) -> str | None:
    """The country of numbers written without one."""
    region = entry.options.get(CONF_DEFAULT_REGION)
    return str(region) if region else None


def recipient_entity_numbers(
    hass: HomeAssistant, entry: SmsGatewayConfigEntry, entity_id: str
) -> list[str]:
    """The numbers behind one of this account's recipient notify entities."""
    registry_entry = er.async_get(hass).async_get(entity_id)
    if (
        registry_entry is None
        or registry_entry.config_entry_id != entry.entry_id
        or registry_entry.config_subentry_id is None
        or registry_entry.config_subentry_id not in entry.subentries
    ):
        raise invalid("unknown_recipient_entity", entity_id=entity_id)
    subentry = entry.subentries[registry_entry.config_subentry_id]
    return [str(number) for number in subentry.data.get(CONF_NUMBERS, [])]


def expand_recipients(
    hass: HomeAssistant, entry: SmsGatewayConfigEntry, raw: Any
) -> list[Any]:
    """Recipient entities become their numbers; anything else stays as given."""
    if raw is None or raw in ("", []):
        raise invalid("recipients_required")
    items = raw if isinstance(raw, list | tuple) else [raw]
    values: list[Any] = []
    for item in items:
        if isinstance(item, str) and item.strip().startswith(f"{NOTIFY_DOMAIN}."):
            values.extend(recipient_entity_numbers(hass, entry, item.strip()))
        else:
            values.append(item)
        check_recipient_count(len(values))
    return values


def check_recipient_count(count: int) -> None:
    """One call addresses at most ``MAX_RECIPIENTS`` numbers."""
    if count > MAX_RECIPIENTS:
        raise invalid("too_many_recipients", limit=str(MAX_RECIPIENTS))


async def async_run_off_loop[*Ts, T](
    hass: HomeAssistant, size: int, func: Callable[[*Ts], T], *args: *Ts
) -> T:
    """Large inputs are checked in the executor: the event loop never waits."""
    if size > _PARSE_IN_LOOP_MAX:
        return await hass.async_add_executor_job(func, *args)
    return func(*args)


def parse_unique_numbers(
    values: list[Any], entry: SmsGatewayConfigEntry
) -> list[PhoneNumber]:
    """Mobile numbers, once each and in order; the first bad one is refused."""
    parsed = parse_phone_numbers(values, default_region(entry), require_mobile=True)
    if parsed.invalid:
        raw, problem = parsed.invalid[0]
        raise invalid(
            f"invalid_recipient_{problem.value}", recipient=mask_number(str(raw))
        )
    return list(parsed.valid)


async def async_resolve_recipients(
    hass: HomeAssistant, entry: SmsGatewayConfigEntry, raw: Any
) -> list[PhoneNumber]:
    """Numbers and recipient entities → unique mobile numbers, in order."""
    values = expand_recipients(hass, entry, raw)
    return await async_run_off_loop(
        hass, len(values), parse_unique_numbers, values, entry
    )


async def async_single_recipient(
    hass: HomeAssistant, entry: SmsGatewayConfigEntry, raw: Any
) -> PhoneNumber:
    """Exactly one mobile number: a number, or a recipient entity with one."""
    numbers = await async_resolve_recipients(hass, entry, raw)
    if len(numbers) != 1:
        raise invalid("single_recipient_required")
    return numbers[0]
