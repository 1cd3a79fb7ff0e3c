"""Adding accounts, keeping their credentials current, options and recipients."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any
from unittest.mock import patch

from homeassistant.config_entries import (
    SOURCE_REAUTH,
    SOURCE_RECONFIGURE,
    SOURCE_USER,
    ConfigEntryState,
)
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType, InvalidData
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.sms_gateway.client.phone import PhoneNumberProblem
from custom_components.sms_gateway.const import (
    CONF_ADVANCED,
    CONF_BASE_URL,
    CONF_DAILY_LIMIT,
    CONF_DEFAULT_REGION,
    CONF_LOW_BALANCE_THRESHOLD,
    CONF_MAX_SEGMENTS,
    CONF_NUMBERS,
    CONF_PROVIDER,
    CONF_REPEAT_WINDOW_MINUTES,
    CONF_RETRY_MINUTES,
    CONF_SENDER,
    DOMAIN,
    SUBENTRY_RECIPIENT,
)
from custom_components.sms_gateway.provider_setup import PROVIDERS
from sms_emulator import Emulator, Fault

from .conftest import (
    AYSE,
    HISMS_PASSWORD,
    HISMS_USERNAME,
    MEHMET,
    SARA,
    SENDER,
    TURKEY_API_KEY,
    TURKEY_USER_ID,
)
from .flows import (
    OTHER_TURKEY_KEY,
    assert_aborted,
    field_names,
    hisms_input,
    open_provider_form,
    shown,
    submit_provider_form,
    submit_reconfigure,
    turkey_input,
)

STRINGS = Path(__file__).parents[1] / "custom_components/sms_gateway/strings.json"
INACTIVE_TURKEY_KEY = "inactive-turkey-key"
DISABLED_HISMS_USERNAME = "966500000002"
DISABLED_HISMS_PASSWORD = "disabled-password"
SECRETS = (
    TURKEY_API_KEY,
    INACTIVE_TURKEY_KEY,
    OTHER_TURKEY_KEY,
    HISMS_PASSWORD,
    DISABLED_HISMS_PASSWORD,
    "wrong-password",
    "wrong-key",
)


def assert_no_secrets(result: FlowResult[Any, Any]) -> None:
    text = shown(result)
    for secret in SECRETS:
        assert secret not in text


def suggested(result: FlowResult[Any, Any]) -> dict[str, Any]:
    """The values a form is pre-filled with, sections flattened."""
    values: dict[str, Any] = {}
    for key, value in result["data_schema"].schema.items():
        inner = getattr(value, "schema", None)
        markers = inner.schema if inner is not None else {key: value}
        for marker in markers:
            if (description := marker.description) and "suggested_value" in description:
                values[str(marker)] = description["suggested_value"]
    return values


async def start_reauth(
    hass: HomeAssistant, entry: MockConfigEntry, **stored: str
) -> FlowResult[Any, Any]:
    """Add the account, with stored data changed, and start re-authentication."""
    entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(entry, data={**entry.data, **stored})
    return await entry.start_reauth_flow(hass)


async def submit_reauth(
    hass: HomeAssistant, entry: MockConfigEntry, user_input: dict[str, Any]
) -> FlowResult[Any, Any]:
    """Add the account, start its re-authentication and submit the form once."""
    result = await start_reauth(hass, entry)
    return await hass.config_entries.flow.async_configure(result["flow_id"], user_input)


async def request_reminder(
    hass: HomeAssistant, entry: MockConfigEntry
) -> FlowResult[Any, Any]:
    """Give a wrong password on re-authentication, then ask for a reminder."""
    result = await submit_reauth(hass, entry, {"password": "wrong-password"})
    return await hass.config_entries.flow.async_configure(
        result["flow_id"], {"send_password_reminder": True}
    )


# -- adding an account ---------------------------------------------------------


async def test_the_first_step_offers_every_provider(hass: HomeAssistant) -> None:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )

    assert result["type"] is FlowResultType.MENU
    assert result["step_id"] == "user"
    assert result["menu_options"] == ["turkey_sms", "hisms"]


async def test_turkey_sms_account_is_added_after_the_key_is_checked(
    hass: HomeAssistant, emulator: Emulator
) -> None:
    _, result = await submit_provider_form(
        hass, "turkey_sms", turkey_input(emulator.base_url)
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Turkey SMS Demo Home"
    assert result["data"] == {
        CONF_PROVIDER: "turkey_sms",
        "api_key": TURKEY_API_KEY,
        CONF_SENDER: SENDER,
        CONF_BASE_URL: emulator.base_url,
    }
    assert result["options"] == {
        CONF_DEFAULT_REGION: "TR",
        CONF_LOW_BALANCE_THRESHOLD: 50.0,
        CONF_MAX_SEGMENTS: 6,
    }
    assert result["result"].unique_id == TURKEY_USER_ID
    # The key is checked once; then the new account is set up and polled.
    assert result["result"].state is ConfigEntryState.LOADED
    assert [entry.function for entry in emulator.log] == ["login", "balance"]
    assert emulator.log[0].account == TURKEY_USER_ID
    assert not emulator.sent_messages()


async def test_hisms_account_is_added_with_the_username_as_its_identity(
    hass: HomeAssistant, emulator: Emulator
) -> None:
    _, result = await submit_provider_form(
        hass, "hisms", hisms_input(f" {emulator.base_url}/ ")
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "HiSMS"
    assert result["data"] == {
        CONF_PROVIDER: "hisms",
        "username": HISMS_USERNAME,
        "password": HISMS_PASSWORD,
        CONF_SENDER: SENDER,
        CONF_BASE_URL: emulator.base_url,
    }
    assert result["options"][CONF_DEFAULT_REGION] == "SA"
    assert result["result"].unique_id == HISMS_USERNAME
    # The password is checked once; then the new account is set up and polled.
    assert result["result"].state is ConfigEntryState.LOADED
    assert [entry.function for entry in emulator.log] == [
        "get_balance",
        "get_balance",
        "schedule_sms_count",
    ]


async def test_a_second_account_with_the_same_name_gets_its_own_title(
    hass: HomeAssistant, emulator: Emulator, hisms_entry: MockConfigEntry
) -> None:
    hisms_entry.add_to_hass(hass)
    accounts = emulator.state.hisms_accounts
    accounts["966500000009"] = dataclasses.replace(
        accounts[HISMS_USERNAME], username="966500000009", password="second-password"
    )
    flow_id = (await open_provider_form(hass, "hisms"))["flow_id"]

    result = await hass.config_entries.flow.async_configure(
        flow_id,
        {
            **hisms_input(emulator.base_url),
            "username": "966500000009",
            "password": "second-password",
        },
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "HiSMS 2"


async def test_provider_forms_ask_for_their_own_credentials(
    hass: HomeAssistant,
) -> None:
    turkey = await open_provider_form(hass, "turkey_sms")
    hisms = await open_provider_form(hass, "hisms")

    assert field_names(turkey) == ["api_key", CONF_SENDER, "test_number", CONF_ADVANCED]
    assert field_names(hisms) == [
        "username",
        "password",
        CONF_SENDER,
        "test_number",
        CONF_ADVANCED,
    ]
    form = json.loads(shown(turkey))["schema"]
    assert form[0]["selector"]["text"]["type"] == "password"
    assert form[3] == {
        "name": CONF_ADVANCED,
        "required": True,
        "type": "expandable",
        "expanded": False,
        "schema": [
            {
                "name": CONF_BASE_URL,
                "required": True,
                "default": "https://turkeysms.com.tr",
                "selector": {
                    "text": {"type": "url", "multiline": False, "multiple": False}
                },
            }
        ],
    }
    hisms_form = json.loads(shown(hisms))["schema"]
    assert hisms_form[1]["selector"]["text"]["type"] == "password"
    assert hisms_form[4]["schema"][0]["default"] == "https://www.hisms.ws"


@pytest.mark.parametrize(
    ("provider", "fault", "user_input", "error"),
    [
        ("turkey_sms", None, {"api_key": "wrong-key"}, "invalid_auth"),
        ("turkey_sms", None, {"api_key": INACTIVE_TURKEY_KEY}, "account_disabled"),
        ("hisms", None, {"password": "wrong-password"}, "invalid_auth"),
        (
            "hisms",
            None,
            {"username": DISABLED_HISMS_USERNAME, "password": DISABLED_HISMS_PASSWORD},
            "account_disabled",
        ),
        ("turkey_sms", Fault("drop_before"), {}, "cannot_connect"),
        ("hisms", Fault("http_status", status=500), {}, "cannot_connect"),
        ("turkey_sms", Fault("http_status", status=503), {}, "cannot_connect"),
        ("turkey_sms", Fault("html_error"), {}, "cannot_connect"),
        ("hisms", Fault("drop_after"), {}, "cannot_connect"),
        ("turkey_sms", Fault("rate_limited", retry_after="30"), {}, "rate_limited"),
        ("turkey_sms", Fault("result_code", code="TS-1060"), {}, "rate_limited"),
    ],
    ids=[
        "turkey-wrong-key",
        "turkey-inactive-account",
        "hisms-wrong-password",
        "hisms-disabled-account",
        "connection-dropped",
        "server-error",
        "unavailable",
        "html-error-page",
        "answer-cut-off",
        "http-429",
        "too-many-requests-code",
    ],
)
async def test_a_refused_account_can_be_corrected_and_added(
    hass: HomeAssistant,
    emulator: Emulator,
    provider: str,
    fault: Fault | None,
    user_input: dict[str, str],
    error: str,
) -> None:
    make_input = turkey_input if provider == "turkey_sms" else hisms_input
    flow_id = (await open_provider_form(hass, provider))["flow_id"]
    if fault is not None:
        emulator.faults.add(fault)

    result = await hass.config_entries.flow.async_configure(
        flow_id, make_input(emulator.base_url) | user_input
    )

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == provider
    assert result["errors"] == {"base": error}
    assert_no_secrets(result)
    emulator.faults.clear()

    result = await hass.config_entries.flow.async_configure(
        flow_id, make_input(emulator.base_url)
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert not emulator.sent_messages()


async def test_hisms_lockout_after_repeated_wrong_passwords_is_reported(
    hass: HomeAssistant, emulator: Emulator
) -> None:
    flow_id = (await open_provider_form(hass, "hisms"))["flow_id"]
    wrong = hisms_input(emulator.base_url, password="wrong-password")
    for _ in range(5):
        result = await hass.config_entries.flow.async_configure(flow_id, wrong)
        assert result["errors"] == {"base": "invalid_auth"}

    result = await hass.config_entries.flow.async_configure(
        flow_id, hisms_input(emulator.base_url)
    )

    assert result["errors"] == {"base": "rate_limited"}
    assert emulator.log[-1].outcome == "403"


async def test_a_form_shown_again_keeps_what_was_typed_except_secrets(
    hass: HomeAssistant, emulator: Emulator
) -> None:
    _, result = await submit_provider_form(
        hass, "hisms", hisms_input(emulator.base_url, password="wrong-password")
    )

    assert suggested(result) == {
        "username": HISMS_USERNAME,
        CONF_SENDER: SENDER,
        CONF_BASE_URL: emulator.base_url,
    }
    assert_no_secrets(result)


@pytest.mark.parametrize(
    "base_url",
    ["", "turkeysms.com.tr", "ftp://turkeysms.com.tr", "http://", "http://[::1"],
)
async def test_an_api_address_that_is_not_a_web_address_is_refused(
    hass: HomeAssistant, emulator: Emulator, base_url: str
) -> None:
    _, result = await submit_provider_form(hass, "turkey_sms", turkey_input(base_url))

    assert result["errors"] == {"base": "invalid_url"}
    assert not emulator.log


async def test_an_unexpected_error_is_logged_without_the_key(
    hass: HomeAssistant, emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    flow_id = (await open_provider_form(hass, "turkey_sms"))["flow_id"]

    with patch(
        "custom_components.sms_gateway.client.turkey_sms.TurkeySms.authenticate",
        side_effect=RuntimeError("boom"),
    ):
        result = await hass.config_entries.flow.async_configure(
            flow_id, turkey_input(emulator.base_url)
        )

    assert result["errors"] == {"base": "unknown"}
    assert "Unexpected error while checking a Turkey SMS account" in caplog.text
    assert TURKEY_API_KEY not in caplog.text


async def test_an_account_is_added_only_once(
    hass: HomeAssistant, emulator: Emulator, turkey_sms_entry: MockConfigEntry
) -> None:
    turkey_sms_entry.add_to_hass(hass)
    _, result = await submit_provider_form(
        hass, "turkey_sms", turkey_input(emulator.base_url)
    )

    assert_aborted(result, "already_configured")
    assert len(hass.config_entries.async_entries(DOMAIN)) == 1


# -- re-authentication ---------------------------------------------------------


async def test_turkey_sms_reauth_stores_the_new_key(
    hass: HomeAssistant, emulator: Emulator, turkey_sms_entry: MockConfigEntry
) -> None:
    result = await start_reauth(hass, turkey_sms_entry, api_key="revoked-key")

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reauth_confirm"
    assert field_names(result) == ["api_key"]
    assert result["description_placeholders"] == {"name": "Turkey SMS Demo Home"}
    assert_no_secrets(result)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"api_key": "wrong-key"}
    )

    assert result["errors"] == {"base": "invalid_auth"}
    assert field_names(result) == ["api_key"]

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"api_key": TURKEY_API_KEY}
    )
    await hass.async_block_till_done()

    assert_aborted(result, "reauth_successful")
    assert turkey_sms_entry.data["api_key"] == TURKEY_API_KEY
    assert turkey_sms_entry.data[CONF_SENDER] == SENDER
    assert turkey_sms_entry.state is ConfigEntryState.LOADED


async def test_a_key_refused_at_startup_is_replaced_through_reauth(
    hass: HomeAssistant, emulator: Emulator, turkey_sms_entry: MockConfigEntry
) -> None:
    turkey_sms_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        turkey_sms_entry, data={**turkey_sms_entry.data, "api_key": "revoked-key"}
    )
    await hass.config_entries.async_setup(turkey_sms_entry.entry_id)
    await hass.async_block_till_done()
    assert turkey_sms_entry.state is ConfigEntryState.SETUP_ERROR
    [flow] = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert flow["context"]["source"] == SOURCE_REAUTH

    result = await hass.config_entries.flow.async_configure(
        flow["flow_id"], {"api_key": TURKEY_API_KEY}
    )
    await hass.async_block_till_done()

    assert result["reason"] == "reauth_successful"
    assert turkey_sms_entry.state is ConfigEntryState.LOADED


async def test_reauth_with_the_key_of_another_account_is_refused(
    hass: HomeAssistant, emulator: Emulator, turkey_sms_entry: MockConfigEntry
) -> None:
    result = await submit_reauth(hass, turkey_sms_entry, {"api_key": OTHER_TURKEY_KEY})

    assert_aborted(result, "wrong_account")
    assert turkey_sms_entry.data["api_key"] == TURKEY_API_KEY


async def test_hisms_reauth_of_a_disabled_account_offers_no_reminder(
    hass: HomeAssistant, emulator: Emulator, hisms_entry: MockConfigEntry
) -> None:
    hisms_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        hisms_entry,
        unique_id=DISABLED_HISMS_USERNAME,
        data={**hisms_entry.data, "username": DISABLED_HISMS_USERNAME},
    )
    result = await hisms_entry.start_reauth_flow(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"password": DISABLED_HISMS_PASSWORD}
    )

    assert result["errors"] == {"base": "account_disabled"}
    assert field_names(result) == ["password"]


async def test_hisms_wrong_password_offers_the_password_reminder(
    hass: HomeAssistant, emulator: Emulator, hisms_entry: MockConfigEntry
) -> None:
    result = await start_reauth(hass, hisms_entry)
    assert field_names(result) == ["password"]

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"password": "wrong-password"}
    )

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reauth_confirm"
    assert result["errors"] == {"base": "invalid_auth"}
    assert field_names(result) == ["password", "send_password_reminder"]
    assert_no_secrets(result)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"send_password_reminder": True}
    )

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "forgot_password"
    assert result["errors"] is None
    assert result["description_placeholders"] == {"provider": "HiSMS", "name": "HiSMS"}
    assert field_names(result) == ["password"]
    assert [(r.username, r.number) for r in emulator.state.reminders] == [
        (HISMS_USERNAME, HISMS_USERNAME)
    ]
    assert emulator.log[-1].function == "forgot_password"
    assert not emulator.sent_messages()

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"password": HISMS_PASSWORD}
    )

    assert_aborted(result, "reauth_successful")
    assert hisms_entry.data["password"] == HISMS_PASSWORD


async def test_hisms_reminder_that_fails_is_reported_and_can_be_skipped(
    hass: HomeAssistant, emulator: Emulator, hisms_entry: MockConfigEntry
) -> None:
    emulator.faults.add(Fault("http_status", function="forgot_password", status=500))

    result = await request_reminder(hass, hisms_entry)

    assert result["step_id"] == "reauth_confirm"
    assert result["errors"] == {"base": "reminder_failed"}
    assert field_names(result) == ["password", "send_password_reminder"]
    assert not emulator.state.reminders

    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})

    assert result["step_id"] == "reauth_confirm"
    assert result["errors"] == {"base": "invalid_auth"}
    assert field_names(result) == ["password", "send_password_reminder"]

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"password": HISMS_PASSWORD}
    )
    await hass.async_block_till_done()

    assert result["reason"] == "reauth_successful"


async def test_hisms_reminder_with_a_stored_password_that_is_wrong_too_fails(
    hass: HomeAssistant, emulator: Emulator, hisms_entry: MockConfigEntry
) -> None:
    result = await start_reauth(hass, hisms_entry, password="stale-password")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"password": "wrong-password"}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"send_password_reminder": True}
    )

    assert result["step_id"] == "reauth_confirm"
    assert result["errors"] == {"base": "reminder_failed"}
    assert not emulator.state.reminders
    assert emulator.log[-1].function == "forgot_password"
    assert emulator.log[-1].outcome == "2"


async def test_a_password_from_the_reminder_that_is_wrong_is_reported(
    hass: HomeAssistant, emulator: Emulator, hisms_entry: MockConfigEntry
) -> None:
    result = await request_reminder(hass, hisms_entry)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"password": "wrong-password"}
    )

    assert result["step_id"] == "reauth_confirm"
    assert result["errors"] == {"base": "invalid_auth"}


# -- reconfiguration -----------------------------------------------------------


async def test_reconfigure_changes_the_sender_and_keeps_the_stored_password(
    hass: HomeAssistant, emulator: Emulator, hisms_entry: MockConfigEntry
) -> None:
    hisms_entry.add_to_hass(hass)
    result = await hisms_entry.start_reconfigure_flow(hass)

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    assert result["description_placeholders"] == {"name": "HiSMS"}
    assert suggested(result) == {
        "username": HISMS_USERNAME,
        CONF_SENDER: SENDER,
        CONF_BASE_URL: emulator.base_url,
    }
    assert_no_secrets(result)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            "username": HISMS_USERNAME,
            CONF_SENDER: "NEWSENDER",
            CONF_ADVANCED: {CONF_BASE_URL: emulator.base_url},
        },
    )
    await hass.async_block_till_done()

    assert_aborted(result, "reconfigure_successful")
    assert hisms_entry.data == {
        CONF_PROVIDER: "hisms",
        "username": HISMS_USERNAME,
        "password": HISMS_PASSWORD,
        CONF_SENDER: "NEWSENDER",
        CONF_BASE_URL: emulator.base_url,
    }
    assert hisms_entry.state is ConfigEntryState.LOADED


async def test_reconfigure_checks_a_new_key_and_can_be_corrected(
    hass: HomeAssistant, emulator: Emulator, turkey_sms_entry: MockConfigEntry
) -> None:
    result = await submit_reconfigure(
        hass, turkey_sms_entry, turkey_input(emulator.base_url, api_key="wrong-key")
    )

    assert result["errors"] == {"base": "invalid_auth"}
    assert suggested(result)[CONF_SENDER] == SENDER
    assert_no_secrets(result)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], turkey_input(emulator.base_url)
    )

    assert result["reason"] == "reconfigure_successful"


@pytest.mark.parametrize(
    "typed", [{}, {"test_number": AYSE}], ids=["no_test_number", "test_number"]
)
async def test_reconfigure_to_another_account_is_refused(
    hass: HomeAssistant,
    emulator: Emulator,
    turkey_sms_entry: MockConfigEntry,
    typed: dict[str, str],
) -> None:
    """Nothing changes, and no test SMS goes out for the other account."""
    result = await submit_reconfigure(
        hass,
        turkey_sms_entry,
        {**turkey_input(emulator.base_url, api_key=OTHER_TURKEY_KEY), **typed},
    )

    assert_aborted(result, "wrong_account")
    assert turkey_sms_entry.data["api_key"] == TURKEY_API_KEY
    assert "send_one" not in [entry.function for entry in emulator.log]


# -- options -------------------------------------------------------------------


async def test_options_are_stored_with_their_types(
    hass: HomeAssistant, turkey_sms_entry: MockConfigEntry
) -> None:
    turkey_sms_entry.add_to_hass(hass)
    result = await hass.config_entries.options.async_init(turkey_sms_entry.entry_id)

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "init"
    assert suggested(result) == {
        CONF_DEFAULT_REGION: "TR",
        CONF_LOW_BALANCE_THRESHOLD: 50,
        CONF_MAX_SEGMENTS: 6,
        CONF_RETRY_MINUTES: 60,
        CONF_DAILY_LIMIT: 0,
        CONF_REPEAT_WINDOW_MINUTES: 0,
    }

    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            CONF_DEFAULT_REGION: "DE",
            CONF_LOW_BALANCE_THRESHOLD: 12.5,
            CONF_MAX_SEGMENTS: 3.0,
            CONF_RETRY_MINUTES: 15.0,
            CONF_DAILY_LIMIT: 200.0,
            CONF_REPEAT_WINDOW_MINUTES: 15.0,
        },
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert turkey_sms_entry.options == {
        CONF_DEFAULT_REGION: "DE",
        CONF_LOW_BALANCE_THRESHOLD: 12.5,
        CONF_MAX_SEGMENTS: 3,
        CONF_RETRY_MINUTES: 15,
        CONF_DAILY_LIMIT: 200,
        CONF_REPEAT_WINDOW_MINUTES: 15,
    }
    assert isinstance(turkey_sms_entry.options[CONF_MAX_SEGMENTS], int)
    assert isinstance(turkey_sms_entry.options[CONF_RETRY_MINUTES], int)


async def test_options_of_an_entry_without_options_start_from_the_defaults(
    hass: HomeAssistant, hisms_entry: MockConfigEntry
) -> None:
    hisms_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(hisms_entry, options={})

    result = await hass.config_entries.options.async_init(hisms_entry.entry_id)

    assert suggested(result) == {
        CONF_DEFAULT_REGION: "SA",
        CONF_LOW_BALANCE_THRESHOLD: 50.0,
        CONF_MAX_SEGMENTS: 6,
        CONF_RETRY_MINUTES: 60,
        CONF_DAILY_LIMIT: 0,
        CONF_REPEAT_WINDOW_MINUTES: 0,
    }


@pytest.mark.parametrize(
    "change",
    [
        {CONF_DEFAULT_REGION: "XX"},
        {CONF_DEFAULT_REGION: "AQ"},
        {CONF_LOW_BALANCE_THRESHOLD: -1},
        {CONF_MAX_SEGMENTS: 0},
        {CONF_MAX_SEGMENTS: 21},
        {CONF_RETRY_MINUTES: -1},
        {CONF_RETRY_MINUTES: 1441},
        {CONF_DAILY_LIMIT: -1},
        {CONF_REPEAT_WINDOW_MINUTES: -5},
    ],
)
async def test_options_out_of_range_are_refused(
    hass: HomeAssistant, turkey_sms_entry: MockConfigEntry, change: dict[str, Any]
) -> None:
    turkey_sms_entry.add_to_hass(hass)
    result = await hass.config_entries.options.async_init(turkey_sms_entry.entry_id)

    with pytest.raises(InvalidData):
        await hass.config_entries.options.async_configure(
            result["flow_id"], {**turkey_sms_entry.options, **change}
        )

    assert turkey_sms_entry.options[CONF_DEFAULT_REGION] == "TR"


# -- recipients ----------------------------------------------------------------


async def start_recipient(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    """Add the account and open the form for a new recipient."""
    entry.add_to_hass(hass)
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, SUBENTRY_RECIPIENT), context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert field_names(result) == ["name", CONF_NUMBERS]
    return result["flow_id"]


async def test_recipient_numbers_are_stored_in_international_format(
    hass: HomeAssistant, turkey_sms_entry: MockConfigEntry
) -> None:
    flow_id = await start_recipient(hass, turkey_sms_entry)

    result = await hass.config_entries.subentries.async_configure(
        flow_id,
        {
            "name": " Parents ",
            CONF_NUMBERS: [
                "0532 123 45 67",
                "+90 (532) 123-4567",
                "",
                "00905441234567",
            ],
        },
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Parents"
    assert result["data"] == {CONF_NUMBERS: [AYSE, MEHMET]}
    recipient = [
        subentry
        for subentry in turkey_sms_entry.subentries.values()
        if subentry.title == "Parents"
    ]
    assert len(recipient) == 1
    assert recipient[0].subentry_type == SUBENTRY_RECIPIENT
    assert recipient[0].data == {CONF_NUMBERS: [AYSE, MEHMET]}


async def test_local_numbers_are_read_in_the_accounts_default_country(
    hass: HomeAssistant, hisms_entry: MockConfigEntry
) -> None:
    flow_id = await start_recipient(hass, hisms_entry)

    result = await hass.config_entries.subentries.async_configure(
        flow_id, {"name": "Sara", CONF_NUMBERS: ["050 123 4567"]}
    )

    assert result["data"] == {CONF_NUMBERS: [SARA]}


@pytest.mark.parametrize(
    ("number", "masked", "reason"),
    [
        ("12345", "*******", "too short"),
        ("0212 123 45 67", "*******67", "not mobile"),
        ("call me", "*******", "letters"),
        ("+90 532 123 45 67 ext 9", "+90*******79", "extension"),
    ],
)
async def test_an_invalid_recipient_number_is_named_only_masked(
    hass: HomeAssistant,
    turkey_sms_entry: MockConfigEntry,
    number: str,
    masked: str,
    reason: str,
) -> None:
    flow_id = await start_recipient(hass, turkey_sms_entry)

    result = await hass.config_entries.subentries.async_configure(
        flow_id, {"name": "Office", CONF_NUMBERS: [AYSE, number]}
    )

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {
        CONF_NUMBERS: f"invalid_number_{reason.replace(' ', '_')}"
    }
    assert result["description_placeholders"] == {"number": masked}
    assert number not in json.dumps(result["description_placeholders"])

    result = await hass.config_entries.subentries.async_configure(
        flow_id, {"name": "Office", CONF_NUMBERS: [AYSE]}
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == {CONF_NUMBERS: [AYSE]}


async def test_a_recipient_needs_at_least_one_number(
    hass: HomeAssistant, turkey_sms_entry: MockConfigEntry
) -> None:
    flow_id = await start_recipient(hass, turkey_sms_entry)

    result = await hass.config_entries.subentries.async_configure(
        flow_id, {"name": "Nobody", CONF_NUMBERS: ["", "  "]}
    )

    assert result["errors"] == {CONF_NUMBERS: "no_numbers"}
    assert suggested(result) == {"name": "Nobody", CONF_NUMBERS: ["", "  "]}


async def test_a_recipient_can_be_renamed_and_given_other_numbers(
    hass: HomeAssistant, turkey_sms: MockConfigEntry
) -> None:
    family = next(
        subentry
        for subentry in turkey_sms.subentries.values()
        if subentry.title == "Family"
    )
    result = await turkey_sms.start_subentry_reconfigure_flow(hass, family.subentry_id)

    assert result["step_id"] == "reconfigure"
    assert suggested(result) == {"name": "Family", CONF_NUMBERS: [AYSE, MEHMET]}

    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"name": "Family", CONF_NUMBERS: ["+90 532 12"]}
    )

    assert result["errors"] == {CONF_NUMBERS: "invalid_number_too_short"}

    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"name": "Kids", CONF_NUMBERS: ["0544 123 45 67"]}
    )
    await hass.async_block_till_done()

    assert_aborted(result, "reconfigure_successful")
    updated = turkey_sms.subentries[family.subentry_id]
    assert updated.title == "Kids"
    assert updated.data == {CONF_NUMBERS: [MEHMET]}
    assert turkey_sms.state is ConfigEntryState.LOADED


async def test_recipient_reconfigure_flow_is_started_by_subentry_id(
    hass: HomeAssistant, hisms_entry: MockConfigEntry
) -> None:
    hisms_entry.add_to_hass(hass)
    sara = next(iter(hisms_entry.subentries.values()))

    result = await hass.config_entries.subentries.async_init(
        (hisms_entry.entry_id, SUBENTRY_RECIPIENT),
        context={"source": SOURCE_RECONFIGURE, "subentry_id": sara.subentry_id},
    )

    assert suggested(result) == {"name": "Sara", CONF_NUMBERS: [SARA]}


# -- providers -----------------------------------------------------------------


def test_every_provider_has_texts_for_its_step() -> None:
    strings = json.loads(STRINGS.read_text(encoding="utf-8"))
    config = strings["config"]

    for spec in PROVIDERS.values():
        assert config["step"]["user"]["menu_options"][spec.provider_id]
        step = config["step"][spec.provider_id]
        for field in (*spec.credential_fields, CONF_SENDER):
            assert step["data"][field]
            assert step["data_description"][field]
            assert config["step"]["reconfigure"]["data"][field]
        for field in spec.secret_fields:
            assert config["step"]["reauth_confirm"]["data"][field]
        assert step["sections"][CONF_ADVANCED]["data"][CONF_BASE_URL]
    assert set(config["error"]) == {
        "account_disabled",
        "cannot_connect",
        "invalid_auth",
        "invalid_url",
        "rate_limited",
        "reminder_failed",
        "unknown",
        # The test SMS (tests/test_config_flow_test_sms.py).
        "sender_missing",
        "sender_not_active",
        "sender_unknown",
        "test_number_invalid",
        "test_number_refused",
        "test_sms_refused",
        "test_sms_unconfirmed",
    }
    recipient = strings["config_subentries"][SUBENTRY_RECIPIENT]
    invalid_keys = {f"invalid_number_{problem.value}" for problem in PhoneNumberProblem}
    assert set(recipient["error"]) == invalid_keys | {"no_numbers"}
    for key in invalid_keys:
        assert "{number}" in recipient["error"][key]


async def test_reconfiguring_a_loaded_account_reloads_it_once(
    hass: HomeAssistant, emulator: Emulator, turkey_sms: MockConfigEntry
) -> None:
    emulator.state.turkey_accounts["demo-turkey-key"].senders["OFFICE"] = "active"
    balance_queries = [e.function for e in emulator.log].count("balance")
    result = await turkey_sms.start_reconfigure_flow(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**turkey_input(emulator.base_url), CONF_SENDER: "OFFICE"}
    )
    await hass.async_block_till_done()

    assert result["reason"] == "reconfigure_successful"
    assert turkey_sms.data[CONF_SENDER] == "OFFICE"
    assert turkey_sms.state is ConfigEntryState.LOADED
    # One reload: one first refresh of the balance.
    assert [e.function for e in emulator.log].count("balance") == balance_queries + 1


async def test_a_reseller_without_the_login_endpoint_can_replace_its_key(
    hass: HomeAssistant, emulator: Emulator
) -> None:
    emulator.faults.add(Fault("http_status", function="login", status=404))
    accounts = emulator.state.turkey_accounts
    accounts["rotated-key"] = dataclasses.replace(
        accounts[TURKEY_API_KEY], api_key="rotated-key"
    )
    _, result = await submit_provider_form(
        hass, "turkey_sms", turkey_input(emulator.base_url)
    )
    entry = result["result"]
    first_id = entry.unique_id
    assert first_id.startswith("key-")
    assert TURKEY_API_KEY not in first_id

    entry.async_start_reauth(hass)
    await hass.async_block_till_done()
    [flow] = hass.config_entries.flow.async_progress()
    result = await hass.config_entries.flow.async_configure(
        flow["flow_id"], {"api_key": "rotated-key"}
    )
    await hass.async_block_till_done()

    assert result["reason"] == "reauth_successful"
    assert entry.data["api_key"] == "rotated-key"
    assert entry.unique_id.startswith("key-")
    assert entry.unique_id != first_id
