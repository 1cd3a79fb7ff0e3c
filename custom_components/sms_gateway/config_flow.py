"""Add an SMS provider account, keep its credentials current, set its options.

Every provider in ``providers.PROVIDERS`` is a menu option with a step of the
same name; the steps share one form built from the provider's credential
fields. A new provider is one entry there, one step here and its texts in
``strings.json``. Recipients are subentries, added in ``recipient_flow``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.config_entries import (
    ConfigEntry,
    ConfigEntryState,
    ConfigFlow,
    ConfigFlowResult,
    ConfigSubentryFlow,
)
from homeassistant.const import CONF_NAME
from homeassistant.core import callback
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from .account_form import (
    CONF_SEND_PASSWORD_REMINDER,
    account_schema,
    default_options,
    entry_data,
    entry_title,
    form_values,
    is_web_address,
    secrets_schema,
    setup_of,
)
from .client import AccountInfo, Capability, SmsGatewayError, SmsProvider
from .const import (
    CONF_BASE_URL,
    CONF_DEFAULT_REGION,
    DOMAIN,
    LOGGER,
    SUBENTRY_RECIPIENT,
)
from .errors import FORM_ERRORS
from .options_flow import SmsGatewayOptionsFlow
from .providers import PROVIDERS, ProviderSetup, create_provider
from .recipient_flow import RecipientSubentryFlow
from .trial_sms import TestSms


class SmsGatewayConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add an account: pick the provider, then enter its credentials."""

    VERSION = 1

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> SmsGatewayOptionsFlow:
        """Defaults for numbers, the balance warning and long texts."""
        return SmsGatewayOptionsFlow()

    @classmethod
    @callback
    def async_get_supported_subentry_types(
        cls, config_entry: ConfigEntry
    ) -> dict[str, type[ConfigSubentryFlow]]:
        """Recipients: named lists of numbers to notify."""
        return {SUBENTRY_RECIPIENT: RecipientSubentryFlow}

    def _unique_title(self, title: str) -> str:
        """Titles name the legacy notify services, so two must not be equal."""
        taken = {entry.title for entry in self._async_current_entries()}
        candidate, number = title, 1
        while candidate in taken:
            number += 1
            candidate = f"{title} {number}"
        return candidate

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Choose the provider the account is at."""
        return self.async_show_menu(step_id="user", menu_options=list(PROVIDERS))

    async def async_step_turkey_sms(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """A Turkey SMS account: an API key."""
        return await self._async_step_provider(PROVIDERS["turkey_sms"], user_input)

    async def async_step_hisms(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """A HiSMS account: username and password."""
        return await self._async_step_provider(PROVIDERS["hisms"], user_input)

    async def _async_step_provider(
        self, spec: ProviderSetup, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Check the credentials and maybe the sender, then add the account once."""
        errors: dict[str, str] = {}
        test = TestSms()
        if user_input is not None:
            data = entry_data(spec, user_input)
            test = TestSms.of(user_input, spec.default_region)
            info, errors = await self._async_authenticate(spec, data, test)
            if info is not None:
                await self.async_set_unique_id(info.account_id)
                self._abort_if_unique_id_configured()
                errors = await test.async_send(self._provider(data))
                if not errors:
                    return self.async_create_entry(
                        title=self._unique_title(entry_title(spec, info)),
                        data=data,
                        options=default_options(spec),
                    )
        return self.async_show_form(
            step_id=spec.provider_id,
            data_schema=self.add_suggested_values_to_schema(
                account_schema(spec, secrets_required=True),
                form_values(spec, user_input) if user_input else None,
            ),
            errors=errors,
            description_placeholders=test.placeholders,
        )

    async def async_step_reauth(
        self, entry_data: Mapping[str, Any]
    ) -> ConfigFlowResult:
        """The provider refused the stored credentials."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the secrets again; offer a password reminder when refused."""
        entry = self._get_reauth_entry()
        spec = setup_of(entry)
        if user_input is None:
            return self._reauth_form(spec)
        if user_input.get(CONF_SEND_PASSWORD_REMINDER):
            return await self.async_step_forgot_password()
        secrets = {field: user_input.get(field) for field in spec.secret_fields}
        if all(secrets.values()):
            data = {**entry.data, **secrets}
            info, errors = await self._async_authenticate(spec, data)
            if info is not None:
                return await self._async_update_account(entry, info, data)
        else:
            errors = {"base": "invalid_auth"}
        offer_reminder = (
            errors["base"] == "invalid_auth"
            and Capability.PASSWORD_REMINDER in self._provider(entry.data).capabilities
        )
        return self._reauth_form(spec, errors, offer_reminder=offer_reminder)

    def _reauth_form(
        self,
        spec: ProviderSetup,
        errors: dict[str, str] | None = None,
        *,
        offer_reminder: bool = False,
    ) -> ConfigFlowResult:
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=secrets_schema(spec, offer_reminder=offer_reminder),
            errors=errors or {},
        )

    async def async_step_forgot_password(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Have the provider send the password to the account's phone."""
        entry = self._get_reauth_entry()
        spec = setup_of(entry)
        if user_input is not None:
            return await self.async_step_reauth_confirm(user_input)
        try:
            await self._provider(entry.data).request_password_reminder()
        except SmsGatewayError as err:
            LOGGER.debug("%s refused the password reminder: %s", spec.name, err)
            return self._reauth_form(
                spec, {"base": "reminder_failed"}, offer_reminder=True
            )
        return self.async_show_form(
            step_id="forgot_password",
            data_schema=secrets_schema(spec, offer_reminder=False),
            description_placeholders={"provider": spec.name},
        )

    async def _async_update_account(
        self, entry: ConfigEntry, info: AccountInfo, data: dict[str, Any]
    ) -> ConfigFlowResult:
        """Store new credentials of the same account."""
        unique_id = await self._async_same_account(entry, info)
        return self._async_store(entry, data, unique_id, "reauth_successful")

    async def _async_same_account(
        self, entry: ConfigEntry, info: AccountInfo
    ) -> str | None:
        """The entry's unique ID; another account's credentials abort the flow."""
        if info.identifies_account:
            await self.async_set_unique_id(info.account_id)
            self._abort_if_unique_id_mismatch(reason="wrong_account")
            return entry.unique_id
        # An id made from the key changes with the key: nothing to compare.
        return info.account_id

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the credentials, sender or address of the same account."""
        entry = self._get_reconfigure_entry()
        spec = setup_of(entry)
        errors: dict[str, str] = {}
        test = TestSms()
        if user_input is not None:
            data = entry_data(spec, user_input, stored=entry.data)
            region = entry.options.get(CONF_DEFAULT_REGION, spec.default_region)
            test = TestSms.of(user_input, region)
            info, errors = await self._async_authenticate(spec, data, test)
            if info is not None:
                # The same account first: a test SMS never goes through another.
                unique_id = await self._async_same_account(entry, info)
                errors = await test.async_send(self._provider(data))
                if not errors:
                    return self._async_store(
                        entry, data, unique_id, "reconfigure_successful"
                    )
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                account_schema(spec, secrets_required=False),
                form_values(spec, user_input or entry.data),
            ),
            errors=errors,
            description_placeholders={CONF_NAME: entry.title, **test.placeholders},
        )

    def _async_store(
        self,
        entry: ConfigEntry,
        data: dict[str, Any],
        unique_id: str | None,
        reason: str,
    ) -> ConfigFlowResult:
        """Save the account and end the flow with our own text.

        A loaded account reloads through its update listener, once. One that
        is not loaded (its setup failed on refused credentials, before the
        listener existed) or that nothing changed for (the same key again,
        after the provider refused it) is reloaded here, so the flow always
        ends with the account set up.
        """
        # Read before the update: the listener starts reloading at once.
        loaded = entry.state is ConfigEntryState.LOADED
        changed = self.hass.config_entries.async_update_entry(
            entry, data=data, unique_id=unique_id
        )
        if not changed or not loaded:
            self.hass.config_entries.async_schedule_reload(entry.entry_id)
        return self.async_abort(reason=reason)

    def _provider(self, data: Mapping[str, Any]) -> SmsProvider:
        return create_provider(async_get_clientsession(self.hass), data)

    async def _async_authenticate(
        self, spec: ProviderSetup, data: Mapping[str, Any], test: TestSms | None = None
    ) -> tuple[AccountInfo | None, dict[str, str]]:
        """Whose account the credentials open, or the form error saying why not.

        A test number that cannot be sent to is refused before any request.
        """
        if not is_web_address(data[CONF_BASE_URL]):
            return None, {"base": "invalid_url"}
        if test is not None and test.errors:
            return None, test.errors
        try:
            return await self._provider(data).authenticate(), {}
        except Exception as err:  # noqa: BLE001 - any failure must end as a form error
            if isinstance(err, SmsGatewayError) and err.reason in FORM_ERRORS:
                return None, {"base": FORM_ERRORS[err.reason]}
            LOGGER.exception("Unexpected error while checking a %s account", spec.name)
        return None, {"base": "unknown"}
