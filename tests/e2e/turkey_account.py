"""A Turkey SMS account with one recipient, added to a real Home Assistant.

Added as the frontend adds it (the config flow, then the recipient subentry
flow, over the REST API); its entities are found in the entity registry over
the websocket API, by what they are rather than by their names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from .conftest import Emulator, RealHomeAssistant
from .websocket import HomeAssistantSocket

TURKEY_USER_ID: Final = "100200"
"""The emulator's demo account, opened by ``TURKEY_API_KEY``."""
TURKEY_API_KEY: Final = "demo-turkey-key"
SENDER: Final = "HOMEALERT"
AYSE: Final = "+905321234567"
MEHMET: Final = "+905441234567"
SEND_FUNCTIONS: Final = frozenset({"send_one", "send_get", "send_group", "send_multi"})
"""The emulator's Turkey SMS functions that send."""


@dataclass(frozen=True)
class TurkeyAccount:
    """The account's entry and the entities a user reaches it through."""

    entry_id: str
    notify_entity: str
    """Ayşe's notify entity."""
    outbox_sensor: str


def add_turkey_account(ha: RealHomeAssistant, emulator: Emulator) -> TurkeyAccount:
    """Add the account against the emulator with Ayşe as its recipient."""
    result = ha.api.add_account(
        "turkey_sms",
        {
            "api_key": TURKEY_API_KEY,
            "sender": SENDER,
            "advanced": {"base_url": emulator.url},
        },
    )
    entry_id: str = result["result"]["entry_id"]
    ha.api.add_recipient(entry_id, "Ayşe", [AYSE])
    ha.api.wait_until_loaded()
    with HomeAssistantSocket(ha.url, ha.api.token) as socket:
        registry = socket.call({"type": "config/entity_registry/list"})
    entities = [e for e in registry if e["config_entry_id"] == entry_id]
    [notify] = [
        e["entity_id"] for e in entities if e["entity_id"].startswith("notify.")
    ]
    [outbox] = [e["entity_id"] for e in entities if e["translation_key"] == "outbox"]
    return TurkeyAccount(entry_id, notify, outbox)


def entry_state(ha: RealHomeAssistant, entry_id: str) -> str:
    """The config entry's state: loaded, setup_retry, ..."""
    [entry] = [e for e in ha.api.entries() if e["entry_id"] == entry_id]
    state: str = entry["state"]
    return state


def send_sms(
    ha: RealHomeAssistant,
    account: TurkeyAccount,
    recipients: list[str],
    message: str,
    **options: Any,
) -> dict[str, Any]:
    """``sms_gateway.send_sms`` through the account over REST; its response."""
    data = {
        "config_entry_id": account.entry_id,
        "recipients": recipients,
        "message": message,
        **options,
    }
    body = ha.api.ok("POST", "/api/services/sms_gateway/send_sms?return_response", data)
    response: dict[str, Any] = body["service_response"]
    return response


def notify(ha: RealHomeAssistant, entity_id: str, message: str) -> None:
    """``notify.send_message`` to a recipient entity, as an automation calls it."""
    ha.api.ok(
        "POST",
        "/api/services/notify/send_message",
        {"entity_id": entity_id, "message": message},
    )


def delivered(emulator: Emulator) -> list[dict[str, Any]]:
    """Every message the emulator took, oldest first, numbers in E.164."""
    messages = [
        {**message, "number": "+" + message["number"].removeprefix("+")}
        for by_number in emulator.state()["messages_by_number"].values()
        for message in by_number
    ]
    return sorted(messages, key=lambda message: int(message["message_id"]))
