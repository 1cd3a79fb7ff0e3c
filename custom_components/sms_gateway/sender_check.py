"""The sender check: the account form's test SMS, and the form errors it ends in.

A wrong sender shows in the form, not at the first alarm. The credentials
check cannot tell whether the provider approved the sender ID; only a send
can. When the form names a number, one short text goes to it, in one request
that is never retried. The number is only ever shown masked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Final

from .client import FailureReason, SmsGatewayError, SmsProvider
from .client.phone import PhoneNumber, PhoneNumberError, mask_number, parse_phone_number
from .const import CONF_SENDER, LOGGER
from .errors import FORM_ERRORS

CONF_TEST_NUMBER: Final = "test_number"
TEST_MESSAGE: Final = "Home Assistant: a test message from SMS Gateway. It arrived."

_R = FailureReason
FIELD_ERRORS: Final[Mapping[FailureReason, tuple[str, str]]] = MappingProxyType(
    {
        _R.SENDER_NOT_ACTIVE: (CONF_SENDER, "sender_not_active"),
        _R.SENDER_UNKNOWN: (CONF_SENDER, "sender_unknown"),
        _R.SENDER_MISSING: (CONF_SENDER, "sender_missing"),
        _R.INVALID_NUMBER: (CONF_TEST_NUMBER, "test_number_refused"),
        _R.INTERNATIONAL_NOT_ENABLED: (CONF_TEST_NUMBER, "test_number_refused"),
        _R.OUTCOME_UNKNOWN: ("base", "test_sms_unconfirmed"),
    }
)
"""The form error, on the field it is about, of a refused test SMS."""


@dataclass(slots=True)
class SenderCheck:
    """The test SMS a submitted form asks for, or why it cannot be sent."""

    number: PhoneNumber | None = None
    errors: dict[str, str] = field(default_factory=dict)
    placeholders: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, user_input: Mapping[str, Any], region: str | None) -> SenderCheck:
        """Read the number before any request: a bad one sends nothing."""
        raw = str(user_input.get(CONF_TEST_NUMBER) or "").strip()
        if not raw:
            return cls()
        placeholders = {"number": mask_number(raw)}
        try:
            number = parse_phone_number(raw, region, require_mobile=True)
        except PhoneNumberError:
            return cls(
                errors={CONF_TEST_NUMBER: "test_number_invalid"},
                placeholders=placeholders,
            )
        return cls(number, placeholders=placeholders)

    async def async_send(self, provider: SmsProvider) -> dict[str, str]:
        """Send it once, from the form's sender; form errors unless accepted."""
        if self.number is None:
            return {}
        try:
            await provider.send([self.number.digits], TEST_MESSAGE)
        except SmsGatewayError as err:
            LOGGER.debug(
                "%s refused the test SMS to %s: %s",
                provider.provider_id,
                self.number.masked,
                err.reason,
            )
            if err.reason in FIELD_ERRORS:
                where, key = FIELD_ERRORS[err.reason]
                return {where: key}
            return {"base": FORM_ERRORS.get(err.reason, "test_sms_refused")}
        return {}
