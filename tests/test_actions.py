"""Delivery status, reports, scheduled messages and the password change."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.auth.models import User
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import (
    HomeAssistantError,
    ServiceValidationError,
    Unauthorized,
)
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from custom_components.sms_gateway.const import DOMAIN
from sms_emulator import Emulator, Fault

from .conftest import AYSE, MEHMET, SARA, let_time_pass
from .schema_errors import refused_by_schema


async def call(hass: HomeAssistant, service: str, **data: Any) -> dict[str, Any]:
    response = await hass.services.async_call(
        DOMAIN, service, data, blocking=True, return_response=True
    )
    assert isinstance(response, dict)
    return response


@pytest.mark.usefixtures("turkey_sms")
async def test_delivery_status_of_one_message(
    hass: HomeAssistant, emulator: Emulator, snapshot: SnapshotAssertion
) -> None:
    sent = await call(hass, "send_sms", recipients=[AYSE], message="hi")
    status = await call(hass, "get_delivery_status", message_id=sent["message_ids"][0])
    assert status["state"] == "delivered"
    assert status["code"] == "TS-1024"
    assert {k: v for k, v in status.items() if k != "sent_at"} == snapshot


@pytest.mark.usefixtures("turkey_sms")
async def test_detailed_report_of_a_group_send(
    hass: HomeAssistant, emulator: Emulator
) -> None:
    sent = await call(hass, "send_sms", recipients=[AYSE, MEHMET], message="hi")
    report = await call(
        hass, "get_delivery_status", report_id=sent["report_id"], detailed=True
    )
    assert report["total"] == 2
    assert sorted(row["number"] for row in report["numbers"]) == [AYSE, MEHMET]
    summary = await call(hass, "get_delivery_status", report_id=sent["report_id"])
    assert summary["numbers"] == []


@pytest.mark.usefixtures("turkey_sms")
@pytest.mark.parametrize(
    "data", [{}, {"message_id": "1", "report_id": "2"}], ids=["neither", "both"]
)
async def test_delivery_status_needs_exactly_one_id(
    hass: HomeAssistant, data: dict[str, Any]
) -> None:
    with pytest.raises(ServiceValidationError) as caught:
        await call(hass, "get_delivery_status", **data)
    assert caught.value.translation_key == "message_or_report_id"


@pytest.mark.usefixtures("turkey_sms")
@pytest.mark.parametrize(
    "data",
    [
        {"message_id": ["1"]},
        {"report_id": {"id": 1}},
        {"report_id": 1, "detailed": "maybe"},
    ],
    ids=["list id", "object id", "detailed not a boolean"],
)
async def test_delivery_status_values_of_the_wrong_type_are_refused_by_the_schema(
    hass: HomeAssistant, emulator: Emulator, data: dict[str, Any]
) -> None:
    requests_before = len(emulator.log)
    with refused_by_schema():
        await call(hass, "get_delivery_status", **data)
    assert len(emulator.log) == requests_before


@pytest.mark.usefixtures("turkey_sms")
async def test_an_unknown_message_id_is_a_provider_error(
    hass: HomeAssistant, emulator: Emulator
) -> None:
    with pytest.raises(HomeAssistantError):
        await call(hass, "get_delivery_status", message_id="999")


@pytest.mark.usefixtures("turkey_sms")
async def test_a_provider_that_is_down_gives_a_translated_error(
    hass: HomeAssistant, emulator: Emulator
) -> None:
    emulator.faults.add(Fault("http_status", status=503))
    with pytest.raises(HomeAssistantError) as caught:
        await call(hass, "get_delivery_status", message_id="1000007721")
    assert caught.value.translation_key == "cannot_connect"


async def change_password(
    hass: HomeAssistant, new_password: str, context: Context | None = None
) -> None:
    """Call the change_password action and wait for it."""
    await hass.services.async_call(
        DOMAIN,
        "change_password",
        {"new_password": new_password},
        blocking=True,
        context=context,
    )


@pytest.mark.parametrize(
    ("account", "service", "data"),
    [
        pytest.param(
            "hisms", "get_delivery_status", {"message_id": "1"}, id="hisms-status"
        ),
        pytest.param(
            "hisms", "get_delivery_status", {"report_id": "1"}, id="hisms-report"
        ),
        pytest.param("turkey_sms", "delete_scheduled", {}, id="turkey_sms-scheduled"),
        pytest.param(
            "turkey_sms",
            "change_password",
            {"new_password": "abc"},
            id="turkey_sms-password",
        ),
    ],
    indirect=["account"],
)
async def test_an_action_the_provider_does_not_offer_is_refused(
    hass: HomeAssistant, account: MockConfigEntry, service: str, data: dict[str, Any]
) -> None:
    with pytest.raises(ServiceValidationError) as caught:
        await hass.services.async_call(
            DOMAIN,
            service,
            data,
            blocking=True,
            # The password change is the one action without a response.
            return_response=service != "change_password",
        )
    assert caught.value.translation_key == "not_supported"


async def test_delete_scheduled_messages(
    hass: HomeAssistant, emulator: Emulator, hisms: MockConfigEntry
) -> None:
    await call(
        hass,
        "send_sms",
        recipients=[SARA, "+966551234567"],
        message="Later",
        send_at="2099-01-01T10:00:00+03:00",
    )
    assert await call(hass, "delete_scheduled") == {"deleted": 2}
    assert await call(hass, "delete_scheduled") == {"deleted": 0}


async def test_change_password_updates_the_stored_entry(
    hass: HomeAssistant, emulator: Emulator, hisms: MockConfigEntry
) -> None:
    await change_password(hass, "n3w-password")
    await hass.async_block_till_done()
    assert hisms.data["password"] == "n3w-password"
    assert emulator.state.hisms_accounts["966500000001"].password == "n3w-password"
    assert hass.states.get("sensor.hisms_sms_balance") is not None


async def test_change_password_is_for_administrators_only(
    hass: HomeAssistant, hisms: MockConfigEntry, hass_read_only_user: User
) -> None:
    with pytest.raises(Unauthorized):
        await change_password(
            hass, "n3w-password", Context(user_id=hass_read_only_user.id)
        )
    assert hisms.data["password"] == "demo-password"


async def test_a_blank_new_password_is_refused(
    hass: HomeAssistant, hisms: MockConfigEntry
) -> None:
    with pytest.raises(ServiceValidationError) as caught:
        await change_password(hass, " x ")
    assert caught.value.translation_key == "password_invalid"


async def test_a_refused_key_during_an_action_starts_reauthentication(
    hass: HomeAssistant, emulator: Emulator, turkey_sms: MockConfigEntry
) -> None:
    emulator.faults.add(Fault("result_code", code="TS-1031"))
    with pytest.raises(HomeAssistantError) as caught:
        await call(hass, "send_sms", recipients=[AYSE], message="hi", retry_minutes=0)
    assert caught.value.translation_key == "authentication_failed"
    # Held by default: it goes out once new credentials are entered.
    response = await call(hass, "send_sms", recipients=[AYSE], message="hi")
    assert response["queued"] == [AYSE]
    await hass.async_block_till_done()
    flows = hass.config_entries.flow.async_progress()
    assert [f["context"]["source"] for f in flows] == ["reauth"]


@pytest.mark.usefixtures("turkey_sms")
@pytest.mark.parametrize(
    ("code", "key"),
    [
        ("TS-1027", "insufficient_balance"),
        ("TS-1034", "provider_invalid_number"),
        ("TS-1030", "account_disabled"),
    ],
)
async def test_a_refused_otp_names_the_reason(
    hass: HomeAssistant, emulator: Emulator, code: str, key: str
) -> None:
    emulator.faults.add(Fault("result_code", code=code, times=1))
    with pytest.raises(HomeAssistantError) as caught:
        await call(hass, "send_otp", recipient=AYSE)
    assert caught.value.translation_key == key
    assert emulator.sent_messages() == []


@pytest.mark.usefixtures("turkey_sms")
async def test_a_rate_limited_otp_is_held_and_sent_once_the_limit_passes(
    hass: HomeAssistant, emulator: Emulator, freezer: FrozenDateTimeFactory
) -> None:
    """TS-1060 certainly sent nothing: the code waits in the outbox, never past its validity."""
    emulator.faults.add(Fault("result_code", code="TS-1060", times=1))

    sent = await call(hass, "send_otp", recipient=AYSE, ttl=300)

    assert sent["queued"] is True
    assert sent["outbox_id"]
    assert sent["message_id"] is None
    assert emulator.sent_messages() == []

    await let_time_pass(hass, freezer, timedelta(minutes=1))

    [message] = emulator.sent_messages()
    assert message.otp_code is not None
    verdict = await call(hass, "verify_otp", recipient=AYSE, code=message.otp_code)
    assert verdict == {"valid": True, "reason": "valid"}


async def test_provider_errors_of_the_account_actions_are_translated(
    hass: HomeAssistant, emulator: Emulator, hisms: MockConfigEntry
) -> None:
    emulator.faults.add(Fault("http_status", provider="hisms", status=503))
    with pytest.raises(HomeAssistantError) as caught:
        await call(hass, "delete_scheduled")
    assert caught.value.translation_key == "cannot_connect"
    with pytest.raises(HomeAssistantError) as caught:
        await change_password(hass, "n3w-password")
    assert caught.value.translation_key == "cannot_connect"
    assert hisms.data["password"] == "demo-password"


@pytest.mark.usefixtures("turkey_sms")
async def test_scheduling_is_refused_with_a_text_per_recipient(
    hass: HomeAssistant, emulator: Emulator
) -> None:
    with pytest.raises(ServiceValidationError) as caught:
        await call(
            hass,
            "send_sms",
            messages=[{"recipient": AYSE, "message": "x"}],
            send_at="2099-01-01T10:00:00+03:00",
        )
    assert caught.value.translation_key == "scheduling_not_supported"
