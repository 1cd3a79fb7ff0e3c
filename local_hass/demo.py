"""The demo world of a development Home Assistant: its owner and two accounts.

The accounts are the emulator's demo accounts (:func:`sms_emulator.seed.demo_accounts`),
reached at the emulator's address, each with one recipient.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from sms_emulator.seed import demo_accounts

from .api import HomeAssistantApi, Owner


class Recipient(NamedTuple):
    """A recipient subentry: its name and numbers."""

    name: str
    numbers: list[str]


OWNER: Final = Owner(name="Demo", username="demo", password="demo-password-123")  # noqa: S106 - the documented demo login
ACCOUNTS: Final = demo_accounts()
TURKEY_RECIPIENT: Final = Recipient("Ayşe", ["+905321234567"])
HISMS_RECIPIENT: Final = Recipient("Sara", ["+966501234567"])


def add_demo_accounts(api: HomeAssistantApi, emulator_url: str) -> list[str]:
    """One Turkey SMS and one HiSMS account, each with a recipient; their titles."""
    advanced = {"advanced": {"base_url": emulator_url}}
    turkey = api.add_account(
        "turkey_sms",
        {
            "api_key": ACCOUNTS.turkey_api_key,
            "sender": ACCOUNTS.sender,
            **advanced,
        },
    )
    api.add_recipient(turkey["result"]["entry_id"], *TURKEY_RECIPIENT)
    hisms = api.add_account(
        "hisms",
        {
            "username": ACCOUNTS.hisms_username,
            "password": ACCOUNTS.hisms_password,
            "sender": ACCOUNTS.sender,
            **advanced,
        },
    )
    api.add_recipient(hisms["result"]["entry_id"], *HISMS_RECIPIENT)
    api.wait_until_loaded()
    return [turkey["title"], hisms["title"]]
