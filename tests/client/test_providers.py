"""What both provider clients do alike, checked on each against the emulator."""

from __future__ import annotations

from aiohttp import ClientSession
import pytest

from custom_components.sms_gateway.client import FailureReason
from sms_emulator import Emulator

from .conftest import ACCOUNTS, HISMS, TURKEY_SMS, Account, assert_rejected


@pytest.mark.parametrize("account", ACCOUNTS, ids=lambda account: account.provider)
async def test_sender_given_per_call_overrides_the_default(
    emulator: Emulator, session: ClientSession, account: Account
) -> None:
    account.state(emulator).senders["OTHER"] = "active"

    await account.client(session, emulator).send(
        [account.number], "Hello", sender="OTHER"
    )

    assert emulator.sent_messages()[0].sender == "OTHER"


@pytest.mark.parametrize(
    ("account", "sender", "code", "reason"),
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
    account: Account,
    sender: str | None,
    code: str,
    reason: FailureReason,
) -> None:
    client = account.client(session, emulator, sender=sender)

    await assert_rejected(client.send([account.number], "Hello"), code, reason)
    assert emulator.sent_messages() == []


@pytest.mark.parametrize(
    ("account", "numbers", "text", "code", "reason"),
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
    account: Account,
    numbers: list[str],
    text: str,
    code: str,
    reason: FailureReason,
) -> None:
    await assert_rejected(
        account.client(session, emulator).send(numbers, text), code, reason
    )


@pytest.mark.parametrize(
    ("account", "code"),
    [(HISMS, "9"), (TURKEY_SMS, "TS-1027")],
    ids=[HISMS.provider, TURKEY_SMS.provider],
)
async def test_insufficient_balance_sends_nothing(
    emulator: Emulator, session: ClientSession, account: Account, code: str
) -> None:
    setattr(account.state(emulator), account.balance_field, 2)

    error = await assert_rejected(
        account.client(session, emulator).send(list(account.numbers), "Hello"),
        code,
        FailureReason.INSUFFICIENT_BALANCE,
    )
    assert error.reason.affects_every_request
    assert emulator.sent_messages() == []
    assert account.balance(emulator) == 2
