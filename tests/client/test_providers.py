"""What both provider clients do alike, checked on each against the emulator."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import ClientSession
import pytest

from custom_components.sms_gateway.client import FailureReason
from custom_components.sms_gateway.client.hisms import HiSms
from custom_components.sms_gateway.client.provider import SmsProvider
from custom_components.sms_gateway.client.turkey_sms import TurkeySms
from sms_emulator import Emulator

from .conftest import assert_rejected

SENDER = "HOMEALERT"
HISMS_USERNAME = "966500000001"
TURKEY_API_KEY = "demo-turkey-key"


@dataclass(frozen=True)
class Provider:
    """A provider's demo account on the emulator and numbers it can reach."""

    make: Callable[[ClientSession, str, str | None], SmsProvider]
    numbers: tuple[str, str, str]
    account: Callable[[Emulator], Any]
    balance_field: str

    @property
    def number(self) -> str:
        return self.numbers[0]

    def client(
        self, session: ClientSession, emulator: Emulator, sender: str | None = SENDER
    ) -> SmsProvider:
        assert emulator.base_url is not None
        return self.make(session, emulator.base_url, sender)


HISMS = Provider(
    make=lambda session, base_url, sender: HiSms(
        session,
        username=HISMS_USERNAME,
        password="demo-password",
        sender=sender,
        base_url=base_url,
    ),
    numbers=("966501234567", "966551234567", "966561234567"),
    account=lambda emulator: emulator.state.hisms_accounts[HISMS_USERNAME],
    balance_field="balance",
)
TURKEY_SMS = Provider(
    make=lambda session, base_url, sender: TurkeySms(
        session, api_key=TURKEY_API_KEY, sender=sender, base_url=base_url
    ),
    numbers=("905321234567", "905441234567", "905051234567"),
    account=lambda emulator: emulator.state.turkey_accounts[TURKEY_API_KEY],
    balance_field="local_balance",
)
PROVIDERS = {"hisms": HISMS, "turkey_sms": TURKEY_SMS}


@pytest.mark.parametrize("provider", PROVIDERS.values(), ids=PROVIDERS.keys())
async def test_sender_given_per_call_overrides_the_default(
    emulator: Emulator, session: ClientSession, provider: Provider
) -> None:
    provider.account(emulator).senders["OTHER"] = "active"

    await provider.client(session, emulator).send(
        [provider.number], "Hello", sender="OTHER"
    )

    assert emulator.sent_messages()[0].sender == "OTHER"


@pytest.mark.parametrize(
    ("provider", "sender", "code", "reason"),
    [
        (HISMS, "PENDING", "7", FailureReason.SENDER_NOT_ACTIVE),
        (HISMS, "NOSUCHSENDER", "6", FailureReason.SENDER_UNKNOWN),
        (HISMS, None, "6", FailureReason.SENDER_UNKNOWN),
        (TURKEY_SMS, "OLDSENDER", "TS-1028", FailureReason.SENDER_NOT_ACTIVE),
        (TURKEY_SMS, "NOSUCHSENDER", "TS-1029", FailureReason.SENDER_UNKNOWN),
        (TURKEY_SMS, "homealert", "TS-1029", FailureReason.SENDER_UNKNOWN),
        (TURKEY_SMS, None, "TS-1051", FailureReason.SENDER_MISSING),
        (TURKEY_SMS, "   ", "TS-1052", FailureReason.SENDER_MISSING),
    ],
    ids=[
        "hisms-pending",
        "hisms-unknown",
        "hisms-none",
        "turkey_sms-inactive",
        "turkey_sms-unknown",
        "turkey_sms-wrong-case",
        "turkey_sms-none",
        "turkey_sms-blank",
    ],
)
async def test_sender_problems_are_rejections(
    emulator: Emulator,
    session: ClientSession,
    provider: Provider,
    sender: str | None,
    code: str,
    reason: FailureReason,
) -> None:
    client = provider.client(session, emulator, sender=sender)

    await assert_rejected(client.send([provider.number], "Hello"), code, reason)
    assert emulator.sent_messages() == []


@pytest.mark.parametrize(
    ("provider", "numbers", "text", "code", "reason"),
    [
        (HISMS, [], "Hello", "4", FailureReason.NO_NUMBERS),
        (HISMS, ["12"], "Hello", "4", FailureReason.NO_NUMBERS),
        (HISMS, [HISMS.number], "", "5", FailureReason.EMPTY_MESSAGE),
        (TURKEY_SMS, [], "Hello", "TS-1025", FailureReason.NO_NUMBERS),
        (TURKEY_SMS, [TURKEY_SMS.number], "", "TS-1026", FailureReason.EMPTY_MESSAGE),
        (TURKEY_SMS, ["12345"], "Hello", "TS-1034", FailureReason.INVALID_NUMBER),
        (
            TURKEY_SMS,
            ["+905321234567"],
            "Hello",
            "TS-1034",
            FailureReason.INVALID_NUMBER,
        ),
    ],
    ids=[
        "hisms-no-numbers",
        "hisms-short-number",
        "hisms-empty-text",
        "turkey_sms-no-numbers",
        "turkey_sms-empty-text",
        "turkey_sms-short-number",
        "turkey_sms-plus-prefix",
    ],
)
async def test_bad_requests_are_rejections(
    emulator: Emulator,
    session: ClientSession,
    provider: Provider,
    numbers: list[str],
    text: str,
    code: str,
    reason: FailureReason,
) -> None:
    await assert_rejected(
        provider.client(session, emulator).send(numbers, text), code, reason
    )


@pytest.mark.parametrize(
    ("provider", "code"),
    [(HISMS, "9"), (TURKEY_SMS, "TS-1027")],
    ids=PROVIDERS.keys(),
)
async def test_insufficient_balance_sends_nothing(
    emulator: Emulator, session: ClientSession, provider: Provider, code: str
) -> None:
    account = provider.account(emulator)
    setattr(account, provider.balance_field, 2)

    error = await assert_rejected(
        provider.client(session, emulator).send(list(provider.numbers), "Hello"),
        code,
        FailureReason.INSUFFICIENT_BALANCE,
    )
    assert error.reason.affects_every_request
    assert emulator.sent_messages() == []
    assert getattr(account, provider.balance_field) == 2
