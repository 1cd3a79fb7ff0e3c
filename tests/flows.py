"""Walking the config flow the way the frontend does, and reading what it shows."""

from __future__ import annotations

import json
from typing import Any

from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType
from homeassistant.helpers import config_validation as cv
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.sms_gateway.const import (
    CONF_ADVANCED,
    CONF_BASE_URL,
    CONF_SENDER,
    DOMAIN,
)

try:
    # Home Assistant 2026.9 and newer describe forms to the frontend with
    # probatio; older releases with voluptuous-serialize.
    from probatio import to_field_list as serialize_schema
except ImportError:
    from voluptuous_serialize import convert as serialize_schema

from .conftest import HISMS_PASSWORD, HISMS_USERNAME, SENDER, TURKEY_API_KEY

OTHER_TURKEY_KEY = "local-only-key"


def shown(result: FlowResult[Any, Any]) -> str:
    """Everything the frontend receives about a step, as text."""
    schema = result.get("data_schema")
    return json.dumps(
        {
            "schema": serialize_schema(schema, custom_serializer=cv.custom_serializer)
            if schema is not None
            else None,
            "errors": result.get("errors"),
            "placeholders": result.get("description_placeholders"),
            "reason": result.get("reason"),
        },
        default=str,
    )


def assert_aborted(result: FlowResult[Any, Any], reason: str) -> None:
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == reason


def field_names(result: FlowResult[Any, Any]) -> list[str]:
    return [str(key) for key in result["data_schema"].schema]


def turkey_input(base_url: str, api_key: str = TURKEY_API_KEY) -> dict[str, Any]:
    return {
        "api_key": api_key,
        CONF_SENDER: SENDER,
        CONF_ADVANCED: {CONF_BASE_URL: base_url},
    }


def hisms_input(
    base_url: str,
    username: str = HISMS_USERNAME,
    password: str = HISMS_PASSWORD,
) -> dict[str, Any]:
    return {
        "username": username,
        "password": password,
        CONF_SENDER: SENDER,
        CONF_ADVANCED: {CONF_BASE_URL: base_url},
    }


async def open_provider_form(
    hass: HomeAssistant, provider: str
) -> FlowResult[Any, Any]:
    """Open the menu and choose the provider."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": provider}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == provider
    return result


async def submit_provider_form(
    hass: HomeAssistant, provider: str, user_input: dict[str, Any]
) -> tuple[str, FlowResult[Any, Any]]:
    """Choose the provider and submit its form once."""
    flow_id = (await open_provider_form(hass, provider))["flow_id"]
    result = await hass.config_entries.flow.async_configure(flow_id, user_input)
    return flow_id, result


async def submit_reconfigure(
    hass: HomeAssistant, entry: MockConfigEntry, user_input: dict[str, Any]
) -> FlowResult[Any, Any]:
    """Add the account, start its reconfiguration and submit the form once."""
    entry.add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    return await hass.config_entries.flow.async_configure(result["flow_id"], user_input)
