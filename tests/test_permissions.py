"""Who may do what: sending is for everyone, the account is for administrators.

Every call goes over the websocket API as the frontend makes it, with the
access token of a real user: a member of Home Assistant's "Users" group (a
child's account, a guest tablet, a wall panel) or an administrator.
"""

from __future__ import annotations

from copy import deepcopy
import json
from pathlib import Path
from typing import Any

from homeassistant.auth.const import GROUP_ID_USER
from homeassistant.auth.models import User
from homeassistant.components.notify import (
    ATTR_MESSAGE,
    DOMAIN as NOTIFY_DOMAIN,
    SERVICE_SEND_MESSAGE,
)
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import Context, HomeAssistant
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    CLIENT_ID,
    MockConfigEntry,
    async_capture_events,
)
from pytest_homeassistant_custom_component.typing import (
    MockHAClientWebSocket,
    WebSocketGenerator,
)

from custom_components.sms_gateway.const import DOMAIN
from sms_emulator import Emulator

from .conftest import AYSE, HISMS_PASSWORD, HISMS_USERNAME, SARA

ANYONE = ("send_sms", "send_otp", "verify_otp", "get_delivery_status")
"""The actions every signed-in user may call (``return_code`` aside)."""

ADMINISTRATOR_ACTIONS: dict[str, dict[str, Any]] = {
    "delete_scheduled": {},
    "change_password": {"new_password": "n3w-password"},
    "clear_outbox": {},
}
"""The actions that change or destroy the account, with a call that would work."""

UNAUTHORIZED = {"code": "home_assistant_error", "message": "Unauthorized"}
"""What Home Assistant answers a user who calls an administrator action."""

SCHEDULED = {
    "recipients": [SARA],
    "message": "Later",
    "send_at": "2099-01-01T10:00:00+03:00",
}


def _english(key: str) -> str:
    path = Path(__file__).parents[1] / "custom_components" / DOMAIN / "strings.json"
    strings = json.loads(path.read_text(encoding="utf-8"))
    message: str = strings["exceptions"][key]["message"]
    return message


@pytest.fixture
def recipient(account: MockConfigEntry) -> str:
    """A number of each provider's account in turn, set up."""
    return {"turkey_sms": AYSE, "hisms": SARA}[account.data["provider"]]


@pytest.fixture
async def user(hass: HomeAssistant, hass_admin_user: User) -> User:
    """A member of the "Users" group, made after the household's administrator.

    The first user Home Assistant creates becomes its owner (an administrator).
    """
    created = await hass.auth.async_create_user("Wall panel", group_ids=[GROUP_ID_USER])
    assert not created.is_admin
    return created


@pytest.fixture
async def user_ws(
    hass: HomeAssistant, hass_ws_client: WebSocketGenerator, user: User
) -> MockHAClientWebSocket:
    """The frontend of the user, signed in with the user's own access token."""
    refresh_token = await hass.auth.async_create_refresh_token(user, CLIENT_ID)
    access_token = hass.auth.async_create_access_token(refresh_token)
    return await hass_ws_client(hass, access_token=access_token)


@pytest.fixture
async def admin_ws(
    hass: HomeAssistant, hass_ws_client: WebSocketGenerator
) -> MockHAClientWebSocket:
    """The frontend of an administrator."""
    return await hass_ws_client(hass)


async def call_service(
    client: MockHAClientWebSocket,
    service: str,
    data: dict[str, Any],
    *,
    domain: str = DOMAIN,
    return_response: bool = True,
) -> dict[str, Any]:
    """Call an action as the frontend does; the whole answer."""
    await client.send_json_auto_id(
        {
            "type": "call_service",
            "domain": domain,
            "service": service,
            "service_data": data,
            "return_response": return_response,
        }
    )
    answer: dict[str, Any] = await client.receive_json()
    return answer


def response(answer: dict[str, Any]) -> Any:
    """The action's response from a successful answer."""
    assert answer["success"], answer
    return answer["result"].get("response")


async def schedule_a_message(hass: HomeAssistant) -> None:
    """A message for 2099, sent by Home Assistant itself; the sensors settle."""
    await hass.services.async_call(DOMAIN, "send_sms", SCHEDULED, blocking=True)
    await hass.async_block_till_done(wait_background_tasks=True)


def statuses(emulator: Emulator) -> list[str]:
    """The state of every message the provider holds."""
    return [message.status for message in emulator.sent_messages()]


@pytest.mark.usefixtures("hisms")
async def test_every_action_is_for_anyone_or_for_administrators(
    hass: HomeAssistant,
) -> None:
    assert set(hass.services.async_services_for_domain(DOMAIN)) == {
        *ANYONE,
        *ADMINISTRATOR_ACTIONS,
    }


@pytest.mark.usefixtures("hisms")
@pytest.mark.parametrize(("service", "data"), list(ADMINISTRATOR_ACTIONS.items()))
async def test_a_user_is_refused_each_account_action_and_nothing_changes(
    hass: HomeAssistant,
    emulator: Emulator,
    user_ws: MockHAClientWebSocket,
    service: str,
    data: dict[str, Any],
) -> None:
    await schedule_a_message(hass)
    requests_before = len(emulator.log)
    state_before = deepcopy(emulator.state)

    answer = await call_service(
        user_ws, service, data, return_response=service != "change_password"
    )

    assert not answer["success"]
    assert answer["error"] == UNAUTHORIZED
    await hass.async_block_till_done(wait_background_tasks=True)
    assert len(emulator.log) == requests_before
    assert emulator.state == state_before
    assert statuses(emulator) == ["scheduled"]
    assert emulator.state.hisms_accounts[HISMS_USERNAME].password == HISMS_PASSWORD


async def test_an_administrator_deletes_the_scheduled_messages(
    hass: HomeAssistant,
    emulator: Emulator,
    hisms: MockConfigEntry,
    admin_ws: MockHAClientWebSocket,
) -> None:
    await schedule_a_message(hass)
    answer = await call_service(admin_ws, "delete_scheduled", {})
    assert response(answer) == {"deleted": 1}
    assert statuses(emulator) == ["deleted"]


async def test_an_administrator_changes_the_password(
    hass: HomeAssistant,
    emulator: Emulator,
    hisms: MockConfigEntry,
    admin_ws: MockHAClientWebSocket,
) -> None:
    answer = await call_service(
        admin_ws,
        "change_password",
        ADMINISTRATOR_ACTIONS["change_password"],
        return_response=False,
    )
    assert answer["success"], answer
    await hass.async_block_till_done()
    assert emulator.state.hisms_accounts[HISMS_USERNAME].password == "n3w-password"
    assert hisms.data["password"] == "n3w-password"


async def test_a_user_asking_for_the_code_is_refused_and_nothing_is_sent(
    hass: HomeAssistant,
    emulator: Emulator,
    recipient: str,
    user_ws: MockHAClientWebSocket,
) -> None:
    requests_before = len(emulator.log)

    answer = await call_service(
        user_ws, "send_otp", {"recipient": recipient, "return_code": True}
    )

    assert not answer["success"]
    error = answer["error"]
    assert error["code"] == "service_validation_error"
    assert (error["translation_domain"], error["translation_key"]) == (
        DOMAIN,
        "return_code_not_allowed",
    )
    # Home Assistant drops the final full stop of a translated message.
    assert _english("return_code_not_allowed").rstrip(".") in error["message"]
    assert len(emulator.log) == requests_before
    assert emulator.sent_messages() == []
    verdict = await call_service(
        user_ws, "verify_otp", {"recipient": recipient, "code": "123456"}
    )
    assert response(verdict) == {"valid": False, "reason": "no_code"}


async def test_a_user_sends_a_code_without_seeing_it(
    hass: HomeAssistant,
    emulator: Emulator,
    recipient: str,
    user_ws: MockHAClientWebSocket,
) -> None:
    answer = await call_service(user_ws, "send_otp", {"recipient": recipient})
    sent = response(answer)
    assert "code" not in sent
    assert sent["message_id"]
    assert len(emulator.sent_messages()) == 1


def _code_sent(emulator: Emulator) -> str:
    """The code the handset got: Turkey SMS records its own, HiSMS gets ours."""
    [message] = emulator.sent_messages()
    return message.otp_code or message.text.split()[-1]


async def test_an_administrator_gets_the_code(
    hass: HomeAssistant,
    emulator: Emulator,
    recipient: str,
    admin_ws: MockHAClientWebSocket,
) -> None:
    answer = await call_service(
        admin_ws, "send_otp", {"recipient": recipient, "return_code": True}
    )
    assert response(answer)["code"] == _code_sent(emulator)


async def test_a_call_no_user_made_gets_the_code(
    hass: HomeAssistant, emulator: Emulator, recipient: str
) -> None:
    """An automation or a script that Home Assistant runs by itself."""
    sent = await hass.services.async_call(
        DOMAIN,
        "send_otp",
        {"recipient": recipient, "return_code": True},
        blocking=True,
        return_response=True,
        context=Context(),
    )
    assert sent is not None
    assert sent["code"] == _code_sent(emulator)


@pytest.mark.usefixtures("turkey_sms")
async def test_sending_stays_open_to_every_user(
    hass: HomeAssistant, emulator: Emulator, user_ws: MockHAClientWebSocket
) -> None:
    sent = response(
        await call_service(user_ws, "send_sms", {"recipients": [AYSE], "message": "a"})
    )
    status = await call_service(
        user_ws, "get_delivery_status", {"message_id": sent["message_ids"][0]}
    )
    assert response(status)["state"] == "delivered"
    to_entity = await call_service(
        user_ws,
        SERVICE_SEND_MESSAGE,
        {ATTR_ENTITY_ID: "notify.turkey_sms_demo_home_ayse", ATTR_MESSAGE: "b"},
        domain=NOTIFY_DOMAIN,
        return_response=False,
    )
    assert to_entity["success"], to_entity
    legacy = await call_service(
        user_ws,
        "turkey_sms_demo_home",
        {ATTR_MESSAGE: "c"},
        domain=NOTIFY_DOMAIN,
        return_response=False,
    )
    assert legacy["success"], legacy
    await hass.async_block_till_done()
    texts = sorted(m.text for m in emulator.sent_messages())
    assert texts == ["a", "b", "c", "c"]


async def _set_up_door_code(hass: HomeAssistant, recipient: str) -> None:
    """An automation and a script that ask for the code and pass it on."""
    sequence = [
        {
            "action": f"{DOMAIN}.send_otp",
            "data": {"recipient": recipient, "return_code": True},
            "response_variable": "sent",
        },
        {"event": "door_code_sent", "event_data": {"code": "{{ sent.code }}"}},
    ]
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "alias": "Door code",
                "triggers": [{"trigger": "event", "event_type": "door_code"}],
                "actions": sequence,
            }
        },
    )
    assert await async_setup_component(
        hass, "script", {"script": {"door_code": {"sequence": sequence}}}
    )


async def test_an_automation_a_user_triggers_still_gets_the_code(
    hass: HomeAssistant, emulator: Emulator, recipient: str, user: User
) -> None:
    """The automation runs as Home Assistant, not as the user who set it off."""
    await _set_up_door_code(hass, recipient)
    passed_on = async_capture_events(hass, "door_code_sent")
    hass.bus.async_fire("door_code", context=Context(user_id=user.id))
    await hass.async_block_till_done()
    assert [str(event.data["code"]) for event in passed_on] == [_code_sent(emulator)]


async def test_a_script_a_user_starts_runs_as_that_user(
    hass: HomeAssistant,
    emulator: Emulator,
    recipient: str,
    user_ws: MockHAClientWebSocket,
) -> None:
    await _set_up_door_code(hass, recipient)
    passed_on = async_capture_events(hass, "door_code_sent")
    answer = await call_service(
        user_ws, "door_code", {}, domain="script", return_response=False
    )
    assert not answer["success"]
    assert answer["error"]["translation_key"] == "return_code_not_allowed"
    assert passed_on == []
    assert emulator.sent_messages() == []
