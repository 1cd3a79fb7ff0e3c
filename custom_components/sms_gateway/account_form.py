"""The account form: its fields and selectors, and what a submitted form stores.

Shared by the add, reauth and reconfigure steps of ``config_flow.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from homeassistant import data_entry_flow
from homeassistant.config_entries import (
    ConfigEntry,
)
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME
from homeassistant.generated.countries import COUNTRIES
from homeassistant.helpers.selector import (
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
import phonenumbers
import voluptuous as vol
from yarl import URL

from .client import AccountInfo
from .const import (
    CONF_ADVANCED,
    CONF_BASE_URL,
    CONF_DEFAULT_REGION,
    CONF_LOW_BALANCE_THRESHOLD,
    CONF_MAX_SEGMENTS,
    CONF_PROVIDER,
    CONF_SENDER,
    DEFAULT_LOW_BALANCE_THRESHOLD,
    DEFAULT_MAX_SEGMENTS,
)
from .provider_setup import PROVIDERS, ProviderSetup
from .sender_check import CONF_TEST_NUMBER

CONF_SEND_PASSWORD_REMINDER: Final = "send_password_reminder"  # noqa: S105 - a field name
MAX_SEGMENTS_LIMIT: Final = 20

_AUTOCOMPLETE: Final = {
    CONF_USERNAME: "username",
    CONF_PASSWORD: "current-password",
}
TEXT: Final = TextSelector()
URL_SELECTOR: Final = TextSelector(TextSelectorConfig(type=TextSelectorType.URL))
PHONE_NUMBERS: Final = TextSelector(
    TextSelectorConfig(type=TextSelectorType.TEL, multiple=True)
)
PHONE_NUMBER: Final = TextSelector(TextSelectorConfig(type=TextSelectorType.TEL))
REGIONS: Final = sorted(phonenumbers.SUPPORTED_REGIONS & set(COUNTRIES))


def credential_selector(spec: ProviderSetup, field: str) -> TextSelector:
    """Secrets are masked; a browser may fill in what it recognises."""
    return TextSelector(
        TextSelectorConfig(
            type=(
                TextSelectorType.PASSWORD
                if field in spec.secret_fields
                else TextSelectorType.TEXT
            ),
            autocomplete=_AUTOCOMPLETE.get(field, "off"),
        )
    )


def account_schema(spec: ProviderSetup, *, secrets_required: bool) -> vol.Schema:
    """Credentials, sender and the provider's address tucked away in a section.

    When an account is edited, an empty secret keeps the stored one.
    """
    fields: dict[vol.Marker, Any] = {}
    for field in spec.credential_fields:
        marker = (
            vol.Optional(field)
            if field in spec.secret_fields and not secrets_required
            else vol.Required(field)
        )
        fields[marker] = credential_selector(spec, field)
    fields[vol.Required(CONF_SENDER)] = TEXT
    fields[vol.Optional(CONF_TEST_NUMBER)] = PHONE_NUMBER
    fields[vol.Required(CONF_ADVANCED)] = data_entry_flow.section(
        vol.Schema(
            {vol.Required(CONF_BASE_URL, default=spec.default_base_url): URL_SELECTOR}
        ),
        {"collapsed": True},
    )
    return vol.Schema(fields)


def secrets_schema(spec: ProviderSetup, *, offer_reminder: bool) -> vol.Schema:
    """Only the secrets; with the reminder on offer they may be left empty."""
    marker = vol.Optional if offer_reminder else vol.Required
    fields: dict[vol.Marker, Any] = {
        marker(field): credential_selector(spec, field) for field in spec.secret_fields
    }
    if offer_reminder:
        fields[vol.Optional(CONF_SEND_PASSWORD_REMINDER, default=False)] = bool
    return vol.Schema(fields)


def form_values(spec: ProviderSetup, values: Mapping[str, Any]) -> dict[str, Any]:
    """Entry data or typed input as form values; secrets are never sent back."""
    base_url = values.get(CONF_ADVANCED, {}).get(CONF_BASE_URL) or values.get(
        CONF_BASE_URL
    )
    return {
        **{
            field: values[field]
            for field in (*spec.credential_fields, CONF_SENDER)
            if field not in spec.secret_fields and field in values
        },
        CONF_ADVANCED: {CONF_BASE_URL: base_url or spec.default_base_url},
    }


def entry_data(
    spec: ProviderSetup,
    user_input: Mapping[str, Any],
    stored: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The flat ``entry.data`` for a submitted account form."""
    data: dict[str, Any] = {CONF_PROVIDER: spec.provider_id}
    for field in spec.credential_fields:
        value = user_input.get(field, "")
        if field in spec.secret_fields:
            data[field] = value or (stored or {}).get(field, "")
        else:
            data[field] = value.strip()
    data[CONF_SENDER] = user_input[CONF_SENDER].strip()
    data[CONF_BASE_URL] = user_input[CONF_ADVANCED][CONF_BASE_URL].strip().rstrip("/")
    return data


def is_web_address(value: str) -> bool:
    """An http(s) address with a host: anything else cannot be an API."""
    try:
        url = URL(value)
    except ValueError:
        return False
    return url.scheme in ("http", "https") and bool(url.host)


def entry_title(spec: ProviderSetup, info: AccountInfo) -> str:
    """The provider and, where it has one, the account's name."""
    return f"{spec.name} {info.name}" if info.name else spec.name


def default_options(spec: ProviderSetup) -> dict[str, Any]:
    """The options a new account starts with."""
    return {
        CONF_DEFAULT_REGION: spec.default_region,
        CONF_LOW_BALANCE_THRESHOLD: DEFAULT_LOW_BALANCE_THRESHOLD,
        CONF_MAX_SEGMENTS: DEFAULT_MAX_SEGMENTS,
    }


def setup_of(entry: ConfigEntry) -> ProviderSetup:
    """The provider of a configured account."""
    return PROVIDERS[entry.data[CONF_PROVIDER]]
