"""The actions: send_sms, send_otp, verify_otp and the account helpers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from datetime import timedelta
from functools import wraps
from typing import Any, Final

from homeassistant.const import CONF_PASSWORD
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.service import async_register_admin_service
import voluptuous as vol

from .client import Capability
from .client.bulk import OutgoingText
from .client.otp import OTP_PLACEHOLDER
from .const import DOMAIN, RETRY_MINUTES_MAX
from .coordinator import SmsGatewayConfigEntry
from .delivery_status import report_response, status_response
from .errors import provider_errors
from .otp_recipient import async_account_of_code
from .permissions import async_check_code_may_be_returned
from .validation import (
    async_resolve_recipients,
    async_run_off_loop,
    async_single_recipient,
    check_recipient_count,
    expand_recipients,
    invalid,
    parse_unique_numbers,
    resolve_entry,
    validate_message,
    validate_otp_template,
    validate_send_at,
    validate_sender,
)

ATTR_CONFIG_ENTRY_ID = "config_entry_id"
ATTR_RECIPIENTS = "recipients"
ATTR_RECIPIENT = "recipient"
ATTR_MESSAGE = "message"
ATTR_MESSAGES = "messages"
ATTR_SENDER = "sender"
ATTR_SEND_AT = "send_at"
ATTR_DIGITS = "digits"
ATTR_TTL = "ttl"
ATTR_CODE = "code"
ATTR_RETURN_CODE = "return_code"
ATTR_MESSAGE_ID = "message_id"
ATTR_REPORT_ID = "report_id"
ATTR_DETAILED = "detailed"
ATTR_NEW_PASSWORD = "new_password"  # noqa: S105 - a field name
ATTR_TRACK_DELIVERY = "track_delivery"
ATTR_RETRY_MINUTES = "retry_minutes"
ATTR_IGNORE_LIMITS = "ignore_limits"

DEFAULT_OTP_DIGITS: Final = 6
DEFAULT_OTP_TTL: Final = 300
OTP_DIGITS_RANGE: Final = (4, 6)
OTP_TTL_RANGE: Final = (30, 3600)

# What Home Assistant checks well is checked here: types, ranges and the shape
# of ``messages``; a bad value is refused with Home Assistant's own validation
# error. Left to validation.py, because its translated keys name the problem:
# phone numbers (one key for each kind of bad number, shown masked), the text
# (empty, control characters, too many parts), the sender ID, ``send_at``, and
# what only the account knows (recipient entities, the number of recipients).
# ``import voluptuous as vol`` is Home Assistant's own engine on every release:
# up to 2026.8 it depends on voluptuous; from 2026.9 it validates with probatio,
# which homeassistant/__init__.py registers as ``voluptuous``
# (probatio.compat.install_as_voluptuous). Nothing extra is required.
_ENTRY: dict[vol.Marker, Any] = {
    vol.Optional(ATTR_CONFIG_ENTRY_ID): vol.Any(None, cv.string)
}
# A number as text, or as an int from a template; a bool or an octal int read
# from unquoted YAML reaches the phone-number check and its translated key.
_RECIPIENT: Final = vol.Any(str, int)
_RECIPIENTS: Final = vol.All(cv.ensure_list, [_RECIPIENT])
# Any scalar: validate_message refuses the rest with ``message_required``.
_TEXT: Final = vol.Any(None, str, int, float)
_SENDER: Final = vol.Any(None, cv.string)
SEND_SMS_SCHEMA: Final = vol.Schema(
    {
        **_ENTRY,
        vol.Optional(ATTR_RECIPIENTS): _RECIPIENTS,
        vol.Optional(ATTR_MESSAGE): _TEXT,
        vol.Optional(ATTR_MESSAGES): vol.All(
            [
                {
                    vol.Optional(ATTR_RECIPIENT): _RECIPIENTS,
                    vol.Optional(ATTR_MESSAGE): _TEXT,
                }
            ],
            vol.Length(min=1),
        ),
        vol.Optional(ATTR_SENDER): _SENDER,
        vol.Optional(ATTR_SEND_AT): vol.Any(str, cv.datetime, None),
        vol.Optional(ATTR_TRACK_DELIVERY, default=False): cv.boolean,
        vol.Optional(ATTR_IGNORE_LIMITS, default=False): cv.boolean,
        vol.Optional(ATTR_RETRY_MINUTES): vol.All(
            vol.Coerce(int), vol.Range(min=0, max=RETRY_MINUTES_MAX)
        ),
    }
)
SEND_OTP_SCHEMA: Final = vol.Schema(
    {
        **_ENTRY,
        vol.Required(ATTR_RECIPIENT): _RECIPIENT,
        vol.Optional(ATTR_DIGITS, default=DEFAULT_OTP_DIGITS): vol.All(
            vol.Coerce(int), vol.Range(min=OTP_DIGITS_RANGE[0], max=OTP_DIGITS_RANGE[1])
        ),
        vol.Optional(ATTR_MESSAGE): vol.Any(None, cv.string),
        vol.Optional(ATTR_SENDER): _SENDER,
        vol.Optional(ATTR_TTL, default=DEFAULT_OTP_TTL): vol.All(
            vol.Coerce(int), vol.Range(min=OTP_TTL_RANGE[0], max=OTP_TTL_RANGE[1])
        ),
        vol.Optional(ATTR_RETURN_CODE, default=False): cv.boolean,
    }
)
VERIFY_OTP_SCHEMA: Final = vol.Schema(
    {
        **_ENTRY,
        vol.Required(ATTR_RECIPIENT): _RECIPIENT,
        vol.Required(ATTR_CODE): cv.string,
    }
)
DELIVERY_STATUS_SCHEMA: Final = vol.Schema(
    {
        **_ENTRY,
        vol.Optional(ATTR_MESSAGE_ID): vol.Any(None, cv.string),
        vol.Optional(ATTR_REPORT_ID): vol.Any(None, cv.string),
        vol.Optional(ATTR_DETAILED, default=False): cv.boolean,
    }
)
ENTRY_ONLY_SCHEMA: Final = vol.Schema(_ENTRY)
# The blank-or-padded check stays in the handler: ``password_invalid`` says
# what is wrong with the new password.
CHANGE_PASSWORD_SCHEMA: Final = vol.Schema(
    {**_ENTRY, vol.Required(ATTR_NEW_PASSWORD): cv.string}
)


type AccountAction = Callable[
    [ServiceCall, SmsGatewayConfigEntry], Awaitable[ServiceResponse]
]


def _account_action(
    handler: AccountAction,
) -> Callable[[ServiceCall], Coroutine[Any, Any, ServiceResponse]]:
    """Run an action on its account; provider failures become translated errors."""

    @wraps(handler)
    async def run(call: ServiceCall) -> ServiceResponse:
        entry = resolve_entry(call.hass, call.data.get(ATTR_CONFIG_ENTRY_ID))
        with provider_errors(call.hass, entry):
            return await handler(call, entry)

    return run


async def _async_outgoing_from_messages(
    hass: HomeAssistant, entry: SmsGatewayConfigEntry, items: list[Any]
) -> list[OutgoingText]:
    """``messages``: a text per recipient; one number gets one text."""
    expanded: list[tuple[Any, list[Any]]] = []
    total = 0
    for item in items:
        values = expand_recipients(hass, entry, item.get(ATTR_RECIPIENT))
        total += len(values)
        check_recipient_count(total)
        expanded.append((item.get(ATTR_MESSAGE), values))
    return await async_run_off_loop(hass, total, _outgoing, expanded, entry)


def _outgoing(
    expanded: list[tuple[Any, list[Any]]], entry: SmsGatewayConfigEntry
) -> list[OutgoingText]:
    outgoing: list[OutgoingText] = []
    seen: set[str] = set()
    for message, values in expanded:
        analysis = validate_message(message, entry)
        numbers = [n for n in parse_unique_numbers(values, entry) if n.e164 not in seen]
        seen.update(n.e164 for n in numbers)
        if numbers:
            outgoing.append(OutgoingText(analysis, tuple(numbers)))
    return outgoing


@_account_action
async def _send_sms(call: ServiceCall, entry: SmsGatewayConfigEntry) -> ServiceResponse:
    hass = call.hass
    capabilities = entry.runtime_data.coordinator.provider.capabilities
    track = call.data[ATTR_TRACK_DELIVERY]
    if track and entry.runtime_data.delivery is None:
        raise invalid("delivery_tracking_not_supported")
    sender = validate_sender(call.data.get(ATTR_SENDER))
    messages = call.data.get(ATTR_MESSAGES)
    if messages is not None:
        if call.data.get(ATTR_MESSAGE) is not None or call.data.get(ATTR_RECIPIENTS):
            raise invalid("message_and_messages")
        if call.data.get(ATTR_SEND_AT):
            raise invalid("scheduling_not_supported")
        outgoing = await _async_outgoing_from_messages(hass, entry, messages)
        send_at = None
    else:
        analysis = validate_message(call.data.get(ATTR_MESSAGE), entry)
        numbers = await async_resolve_recipients(
            hass, entry, call.data.get(ATTR_RECIPIENTS)
        )
        send_at = validate_send_at(
            call.data.get(ATTR_SEND_AT), supported=Capability.SCHEDULING in capabilities
        )
        outgoing = [OutgoingText(analysis, tuple(numbers))]
    outcome = await entry.runtime_data.pipeline.async_send(
        outgoing,
        sender=sender,
        send_at=send_at,
        retry_minutes=call.data.get(ATTR_RETRY_MINUTES),
        track=track,
        ignore_limits=call.data[ATTR_IGNORE_LIMITS],
    )
    outcome.raise_for_failure(partial_ok=call.return_response)
    if not call.return_response:
        return None
    response = outcome.response()
    if track:
        response["tracking_id"] = outcome.tracking_id
    return response


@_account_action
async def _send_otp(call: ServiceCall, entry: SmsGatewayConfigEntry) -> ServiceResponse:
    if call.data[ATTR_RETURN_CODE]:
        await async_check_code_may_be_returned(call)
    hass = call.hass
    digits: int = call.data[ATTR_DIGITS]
    number = await async_single_recipient(hass, entry, call.data[ATTR_RECIPIENT])
    sender = validate_sender(call.data.get(ATTR_SENDER))
    raw_template = call.data.get(ATTR_MESSAGE)
    template = (
        None
        if raw_template is None
        else validate_otp_template(raw_template, digits, entry)
    )
    sent = await entry.runtime_data.pipeline.codes.async_send(
        number,
        digits=digits,
        template=template,
        sender=sender,
        ttl=timedelta(seconds=call.data[ATTR_TTL]),
    )
    response: dict[str, Any] = {
        "expires_at": sent.expires_at.isoformat(),
        "message_id": sent.receipt.message_id if sent.receipt else None,
        "queued": sent.receipt is None,
        "outbox_id": sent.outbox_id,
    }
    # Action responses are kept in automation and script traces: the code is
    # only handed out to a caller that asks for it. A held code is made when
    # it goes out, so there is none to hand out yet.
    if call.data[ATTR_RETURN_CODE]:
        response["code"] = sent.receipt.code if sent.receipt else None
    return response


async def _verify_otp(call: ServiceCall) -> ServiceResponse:
    entry, number = await async_account_of_code(
        call.hass, call.data.get(ATTR_CONFIG_ENTRY_ID), call.data[ATTR_RECIPIENT]
    )
    verdict = entry.runtime_data.otp_store.verify(
        number.e164, str(call.data[ATTR_CODE])
    )
    return {"valid": verdict == "valid", "reason": verdict.value}


@_account_action
async def _get_delivery_status(
    call: ServiceCall, entry: SmsGatewayConfigEntry
) -> ServiceResponse:
    provider = entry.runtime_data.coordinator.provider
    message_id = call.data.get(ATTR_MESSAGE_ID)
    report_id = call.data.get(ATTR_REPORT_ID)
    if (message_id is None) == (report_id is None):
        raise invalid("message_or_report_id")
    if message_id is not None:
        if Capability.MESSAGE_STATUS not in provider.capabilities:
            raise invalid("not_supported")
        return status_response(await provider.get_message_status(str(message_id)))
    if Capability.DELIVERY_REPORT not in provider.capabilities:
        raise invalid("not_supported")
    report = await provider.get_report(
        str(report_id), detailed=call.data[ATTR_DETAILED]
    )
    return report_response(report, entry)


@_account_action
async def _delete_scheduled(
    call: ServiceCall, entry: SmsGatewayConfigEntry
) -> ServiceResponse:
    runtime = entry.runtime_data
    if Capability.SCHEDULED_MESSAGES not in runtime.coordinator.provider.capabilities:
        raise invalid("not_supported")
    deleted = await runtime.coordinator.provider.delete_scheduled()
    runtime.coordinator.async_refresh_after_send()
    return {"deleted": deleted}


@_account_action
async def _change_password(
    call: ServiceCall, entry: SmsGatewayConfigEntry
) -> ServiceResponse:
    provider = entry.runtime_data.coordinator.provider
    if Capability.CHANGE_PASSWORD not in provider.capabilities:
        raise invalid("not_supported")
    new_password = call.data[ATTR_NEW_PASSWORD]
    if not new_password.strip() or new_password != new_password.strip():
        raise invalid("password_invalid")
    await provider.change_password(new_password)
    # The client keeps the credentials it was built with: the update listener
    # reloads the account with the new one.
    call.hass.config_entries.async_update_entry(
        entry, data={**entry.data, CONF_PASSWORD: new_password}
    )
    return None


@_account_action
async def _clear_outbox(
    call: ServiceCall, entry: SmsGatewayConfigEntry
) -> ServiceResponse:
    messages, recipients = await entry.runtime_data.pipeline.outbox.async_clear()
    return {"cleared": messages, "recipients": recipients}


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the actions of the integration."""
    hass.services.async_register(
        DOMAIN,
        "send_sms",
        _send_sms,
        schema=SEND_SMS_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    hass.services.async_register(
        DOMAIN,
        "send_otp",
        _send_otp,
        schema=SEND_OTP_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
        description_placeholders={"code": OTP_PLACEHOLDER},
    )
    for name, handler, schema in (
        ("verify_otp", _verify_otp, VERIFY_OTP_SCHEMA),
        ("get_delivery_status", _get_delivery_status, DELIVERY_STATUS_SCHEMA),
    ):
        hass.services.async_register(
            DOMAIN,
            name,
            handler,
            schema=schema,
            supports_response=SupportsResponse.ONLY,
        )
    # Actions that change or destroy the account: administrators only; any
    # other user gets Home Assistant's Unauthorized before the handler runs.
    for name, handler, schema, supports_response in (
        (
            "delete_scheduled",
            _delete_scheduled,
            ENTRY_ONLY_SCHEMA,
            SupportsResponse.OPTIONAL,
        ),
        (
            "change_password",
            _change_password,
            CHANGE_PASSWORD_SCHEMA,
            SupportsResponse.NONE,
        ),
        ("clear_outbox", _clear_outbox, ENTRY_ONLY_SCHEMA, SupportsResponse.OPTIONAL),
    ):
        async_register_admin_service(
            hass, DOMAIN, name, handler, schema, supports_response
        )
