"""One balance coordinator per account, and the entry's runtime data."""

from __future__ import annotations

from dataclasses import dataclass
import inspect
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryNotReady
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator

from .client import AccountStatus, FailureReason, SmsGatewayError, SmsProvider
from .const import (
    CONF_LOW_BALANCE_THRESHOLD,
    DEFAULT_LOW_BALANCE_THRESHOLD,
    DOMAIN,
    ISSUE_LOW_BALANCE,
    LOGGER,
    UPDATE_INTERVAL,
)
from .errors import poll_error
from .otp import OtpStore

if TYPE_CHECKING:
    from .pipeline import SendPipeline
    from .spend_guard import SpendGuard
    from .tracking import DeliveryTracker


@dataclass(frozen=True, slots=True)
class SmsGatewayRuntimeData:
    """What a loaded account holds, built once when it is set up."""

    coordinator: SmsGatewayCoordinator
    pipeline: SendPipeline
    """The one way its messages leave, with its outbox."""
    delivery: DeliveryTracker | None
    """Delivery tracking; None where the provider has no delivery API."""
    account_device_id: str
    otp_store: OtpStore
    spend_guard: SpendGuard
    """The daily limit and the repeat filter, kept across reloads."""


type SmsGatewayConfigEntry = ConfigEntry[SmsGatewayRuntimeData]


class SmsGatewayCoordinator(DataUpdateCoordinator[AccountStatus]):
    """Polls balances and counters once per interval for every entity."""

    config_entry: SmsGatewayConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        config_entry: SmsGatewayConfigEntry,
        provider: SmsProvider,
    ) -> None:
        super().__init__(
            hass,
            LOGGER,
            config_entry=config_entry,
            name=f"{DOMAIN} {config_entry.title}",
            update_interval=UPDATE_INTERVAL,
        )
        self.provider = provider
        self.balance_readable = True
        """False once the provider refused the balance query to these credentials."""

    async def async_first_poll(self) -> None:
        """Poll once before the entities are added; only refused credentials stop setup.

        An account whose provider cannot be reached when Home Assistant
        starts (a power cut often brings it up before the internet) still
        sets up: its notify entities and outbox take alerts, the balance
        sensors come when the provider answers.
        """
        try:
            await self.async_config_entry_first_refresh()
        except ConfigEntryNotReady as err:
            LOGGER.warning(
                "%s cannot be reached yet (%s): messages are held until it answers",
                self.config_entry.title,
                err,
            )

    async def _async_update_data(self) -> AccountStatus:
        if not self.balance_readable:
            return AccountStatus()
        try:
            status = await self.provider.fetch_account_status()
        except SmsGatewayError as err:
            if err.reason is FailureReason.NOT_PERMITTED:
                return self._stop_polling_without_permission()
            raise poll_error(err) from err
        self._update_low_balance_issue(status)
        return status

    @callback
    def async_refresh_after_send(self) -> None:
        """Show the new balance soon; the send does not wait for it."""
        self.config_entry.async_create_background_task(
            self.hass,
            self.async_request_refresh(),
            f"{DOMAIN} balance after a send",
        )

    def _stop_polling_without_permission(self) -> AccountStatus:
        """Keep an account usable whose API key may send but not read the balance.

        Turkey SMS can switch the balance query off per key (TS-1065); asking
        again every interval would only fail again.
        """
        LOGGER.warning(
            "The API key of %s may not read the balance: balance sensors are off "
            "until the provider allows it and the entry is reloaded",
            self.config_entry.title,
        )
        self.balance_readable = False
        self.update_interval = None
        return AccountStatus()

    def _update_low_balance_issue(self, status: AccountStatus) -> None:
        """Raise a repair issue below the threshold; remove it once topped up."""
        threshold = float(
            self.config_entry.options.get(
                CONF_LOW_BALANCE_THRESHOLD, DEFAULT_LOW_BALANCE_THRESHOLD
            )
        )
        entry_id = self.config_entry.entry_id
        if status.sms_balance is not None and status.sms_balance < threshold:
            ir.async_create_issue(
                self.hass,
                DOMAIN,
                _low_balance_issue_id(entry_id),
                **issue_owner(entry_id),
                is_fixable=False,
                severity=ir.IssueSeverity.WARNING,
                translation_key=ISSUE_LOW_BALANCE,
                translation_placeholders={
                    "title": self.config_entry.title,
                    "balance": _plain_number(status.sms_balance),
                    "threshold": _plain_number(threshold),
                },
            )
        else:
            async_delete_low_balance_issue(self.hass, entry_id)


def _low_balance_issue_id(entry_id: str) -> str:
    return f"{ISSUE_LOW_BALANCE}_{entry_id}"


def issue_owner(entry_id: str) -> dict[str, Any]:
    """Tie the issue to its entry where Home Assistant can (2026.11 and newer).

    Home Assistant then removes it with the entry; older releases rely on
    ``async_delete_low_balance_issue`` in ``async_remove_entry``.
    """
    return {"config_entry_id": entry_id} if _TAKES_ENTRY_ID else {}


_TAKES_ENTRY_ID = (
    "config_entry_id" in inspect.signature(ir.async_create_issue).parameters
)


@callback
def async_delete_low_balance_issue(hass: HomeAssistant, entry_id: str) -> None:
    """Remove the account's low-balance repair issue, if raised."""
    ir.async_delete_issue(hass, DOMAIN, _low_balance_issue_id(entry_id))


def _plain_number(value: float) -> str:
    """1500000 and 12.5 as written, never 1.5e+06."""
    return str(int(value)) if value.is_integer() else str(value)
