"""The low-balance repair issue: raised below the threshold, gone once topped up."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.translation import async_get_translations
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
)
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import props

from custom_components.sms_gateway.const import (
    CONF_LOW_BALANCE_THRESHOLD,
    DOMAIN,
    ISSUE_LOW_BALANCE,
)
from sms_emulator import Emulator, Fault

from .conftest import HISMS_USERNAME, TURKEY_API_KEY, poll, setup_entry


def set_balance(emulator: Emulator, entry: MockConfigEntry, balance: int) -> None:
    """Spend or top up the account at the provider."""
    if entry.data["provider"] == "turkey_sms":
        emulator.state.turkey_accounts[TURKEY_API_KEY].local_balance = balance
    else:
        emulator.state.hisms_accounts[HISMS_USERNAME].balance = balance


async def set_up_with_balance(
    hass: HomeAssistant, emulator: Emulator, entry: MockConfigEntry, balance: int
) -> None:
    """Set the account up with this balance at the provider."""
    set_balance(emulator, entry, balance)
    await setup_entry(hass, entry)


def low_balance_issue(
    hass: HomeAssistant, entry: MockConfigEntry
) -> ir.IssueEntry | None:
    return ir.async_get(hass).async_get_issue(
        DOMAIN, f"{ISSUE_LOW_BALANCE}_{entry.entry_id}"
    )


def shown_low_balance(
    hass: HomeAssistant, entry: MockConfigEntry
) -> dict[str, str] | None:
    """The balance and threshold the entry's issue shows (``None``: no issue)."""
    issue = low_balance_issue(hass, entry)
    if issue is None:
        return None
    placeholders = dict(issue.translation_placeholders or {})
    assert placeholders.pop("title") == entry.title
    return placeholders


@pytest.fixture
async def low(
    hass: HomeAssistant,
    emulator: Emulator,
    freezer: FrozenDateTimeFactory,
    account: MockConfigEntry,
) -> MockConfigEntry:
    """The account, polled once with a balance of 12, below the threshold of 50."""
    set_balance(emulator, account, 12)
    await poll(hass, freezer)
    return account


async def test_low_balance_raises_an_issue_and_topping_up_removes_it(
    hass: HomeAssistant,
    emulator: Emulator,
    freezer: FrozenDateTimeFactory,
    low: MockConfigEntry,
) -> None:
    account = low
    issue = low_balance_issue(hass, account)
    assert issue is not None
    assert issue.translation_key == "low_balance"
    assert issue.severity is ir.IssueSeverity.WARNING
    assert not issue.is_fixable
    assert shown_low_balance(hass, account) == {
        "balance": "12",
        "threshold": "50",
    }

    set_balance(emulator, account, 2000)
    await poll(hass, freezer)

    assert low_balance_issue(hass, account) is None


async def test_the_issue_goes_with_its_account(
    hass: HomeAssistant, low: MockConfigEntry
) -> None:
    assert low_balance_issue(hass, low) is not None

    await hass.config_entries.async_remove(low.entry_id)
    await hass.async_block_till_done()

    assert low_balance_issue(hass, low) is None


async def test_issue_and_its_text(
    hass: HomeAssistant,
    emulator: Emulator,
    snapshot: SnapshotAssertion,
    turkey_sms_entry: MockConfigEntry,
) -> None:
    await set_up_with_balance(hass, emulator, turkey_sms_entry, 7)

    issue = low_balance_issue(hass, turkey_sms_entry)
    assert issue is not None
    assert issue.issue_id == f"low_balance_{turkey_sms_entry.entry_id}"
    assert issue == snapshot(name="issue", exclude=props("issue_id"))
    translations = await async_get_translations(hass, "en", "issues", [DOMAIN])
    prefix = f"component.{DOMAIN}.issues.{issue.translation_key}"
    placeholders = issue.translation_placeholders or {}
    assert {
        part: translations[f"{prefix}.{part}"].format(**placeholders)
        for part in ("title", "description")
    } == snapshot(name="text")


@pytest.mark.parametrize(
    ("balance", "shown"),
    [
        (None, None),
        (50, None),
        (0, {"balance": "0", "threshold": "50"}),
    ],
    ids=[
        "above-the-threshold-raises-none",
        "equal-to-the-threshold-raises-none",
        "low-raises-the-issue-at-once",
    ],
)
async def test_balance_at_startup_against_the_threshold(
    hass: HomeAssistant,
    emulator: Emulator,
    account_entry: MockConfigEntry,
    balance: int | None,
    shown: dict[str, str] | None,
) -> None:
    if balance is not None:  # None: the balance the account is seeded with
        set_balance(emulator, account_entry, balance)
    await setup_entry(hass, account_entry)

    assert shown_low_balance(hass, account_entry) == shown


async def test_failed_poll_leaves_the_issue_as_it_was(
    hass: HomeAssistant,
    emulator: Emulator,
    freezer: FrozenDateTimeFactory,
    turkey_sms_entry: MockConfigEntry,
) -> None:
    await set_up_with_balance(hass, emulator, turkey_sms_entry, 5)
    emulator.faults.add(Fault("http_status", status=500))

    await poll(hass, freezer)

    assert low_balance_issue(hass, turkey_sms_entry) is not None


async def test_raising_the_threshold_in_the_options_raises_the_issue(
    hass: HomeAssistant, turkey_sms: MockConfigEntry
) -> None:
    hass.config_entries.async_update_entry(
        turkey_sms,
        options={**turkey_sms.options, CONF_LOW_BALANCE_THRESHOLD: 5000},
    )
    await hass.async_block_till_done(wait_background_tasks=True)

    assert shown_low_balance(hass, turkey_sms) == {
        "balance": "1000",
        "threshold": "5000",
    }


async def test_each_account_has_its_own_issue(
    hass: HomeAssistant,
    emulator: Emulator,
    turkey_sms: MockConfigEntry,
    hisms_entry: MockConfigEntry,
) -> None:
    await set_up_with_balance(hass, emulator, hisms_entry, 3)

    assert low_balance_issue(hass, turkey_sms) is None
    assert low_balance_issue(hass, hisms_entry) is not None


@pytest.mark.parametrize(
    ("threshold", "balance", "shown"),
    [
        (2_000_000, 1_500_000, {"balance": "1500000", "threshold": "2000000"}),
        (12.5, 12, {"balance": "12", "threshold": "12.5"}),
    ],
)
async def test_numbers_in_the_issue_are_written_out(
    hass: HomeAssistant,
    emulator: Emulator,
    turkey_sms_entry: MockConfigEntry,
    threshold: float,
    balance: int,
    shown: dict[str, str],
) -> None:
    turkey_sms_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        turkey_sms_entry,
        options={**turkey_sms_entry.options, CONF_LOW_BALANCE_THRESHOLD: threshold},
    )
    set_balance(emulator, turkey_sms_entry, balance)
    assert await hass.config_entries.async_setup(turkey_sms_entry.entry_id)
    await hass.async_block_till_done()

    assert shown_low_balance(hass, turkey_sms_entry) == shown
