"""The account's options: defaults for numbers and texts, holding, the fallback."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigEntry, ConfigFlowResult, OptionsFlow
from homeassistant.helpers.selector import (
    BooleanSelector,
    CountrySelector,
    CountrySelectorConfig,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
)
import voluptuous as vol

from .account_form import MAX_SEGMENTS_LIMIT, REGIONS, default_options, setup_of
from .client import Capability
from .const import (
    CONF_DAILY_LIMIT,
    CONF_DEFAULT_REGION,
    CONF_FALLBACK_ACCOUNT,
    CONF_LOW_BALANCE_THRESHOLD,
    CONF_MAX_SEGMENTS,
    CONF_REPEAT_WINDOW_MINUTES,
    CONF_RETRY_MINUTES,
    CONF_TRACK_DELIVERY,
    DEFAULT_DAILY_LIMIT,
    DEFAULT_REPEAT_WINDOW_MINUTES,
    DEFAULT_RETRY_MINUTES,
    DOMAIN,
    RETRY_MINUTES_MAX,
)

WHOLE_NUMBER = NumberSelector(
    NumberSelectorConfig(min=0, step=1, mode=NumberSelectorMode.BOX)
)
"""A count of zero or more; 0 turns the limit it sets off."""


def options_schema(entry: ConfigEntry, others: list[ConfigEntry]) -> vol.Schema:
    """The form; the fallback is chosen from the other accounts."""
    schema = vol.Schema(
        {
            vol.Required(CONF_DEFAULT_REGION): CountrySelector(
                CountrySelectorConfig(countries=REGIONS)
            ),
            vol.Required(CONF_LOW_BALANCE_THRESHOLD): NumberSelector(
                NumberSelectorConfig(min=0, step="any", mode=NumberSelectorMode.BOX)
            ),
            vol.Required(CONF_MAX_SEGMENTS): NumberSelector(
                NumberSelectorConfig(
                    min=1, max=MAX_SEGMENTS_LIMIT, step=1, mode=NumberSelectorMode.BOX
                )
            ),
            vol.Optional(
                CONF_RETRY_MINUTES, default=DEFAULT_RETRY_MINUTES
            ): NumberSelector(
                NumberSelectorConfig(
                    min=0,
                    max=RETRY_MINUTES_MAX,
                    step=1,
                    mode=NumberSelectorMode.BOX,
                    unit_of_measurement="min",
                )
            ),
            vol.Optional(CONF_DAILY_LIMIT, default=DEFAULT_DAILY_LIMIT): WHOLE_NUMBER,
            vol.Optional(
                CONF_REPEAT_WINDOW_MINUTES, default=DEFAULT_REPEAT_WINDOW_MINUTES
            ): WHOLE_NUMBER,
        }
    )
    if others:
        schema = schema.extend(
            {
                vol.Optional(CONF_FALLBACK_ACCOUNT): SelectSelector(
                    SelectSelectorConfig(
                        options=[
                            SelectOptionDict(value=other.entry_id, label=other.title)
                            for other in others
                        ],
                        mode=SelectSelectorMode.DROPDOWN,
                    )
                )
            }
        )
    if Capability.MESSAGE_STATUS in setup_of(entry).client.capabilities:
        schema = schema.extend(
            {vol.Optional(CONF_TRACK_DELIVERY, default=False): BooleanSelector()}
        )
    return schema


class SmsGatewayOptionsFlow(OptionsFlow):
    """Account-wide defaults.

    Not ``OptionsFlowWithReload``: Home Assistant refuses it next to an update
    listener, and the entry needs one because a new recipient subentry has no
    reload helper. The listener reloads on changed options and recipients only.
    """

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Country, balance warning, longest text, holding and the fallback."""
        errors: dict[str, str] = {}
        if user_input is not None:
            fallback = user_input.get(CONF_FALLBACK_ACCOUNT) or None
            if error := self._fallback_error(fallback):
                errors[CONF_FALLBACK_ACCOUNT] = error
            else:
                return self.async_create_entry(
                    data={
                        CONF_DEFAULT_REGION: user_input[CONF_DEFAULT_REGION],
                        CONF_LOW_BALANCE_THRESHOLD: float(
                            user_input[CONF_LOW_BALANCE_THRESHOLD]
                        ),
                        CONF_MAX_SEGMENTS: int(user_input[CONF_MAX_SEGMENTS]),
                        CONF_RETRY_MINUTES: int(user_input[CONF_RETRY_MINUTES]),
                        CONF_DAILY_LIMIT: int(user_input[CONF_DAILY_LIMIT]),
                        CONF_REPEAT_WINDOW_MINUTES: int(
                            user_input[CONF_REPEAT_WINDOW_MINUTES]
                        ),
                        **({CONF_FALLBACK_ACCOUNT: fallback} if fallback else {}),
                        **(
                            {CONF_TRACK_DELIVERY: True}
                            if user_input.get(CONF_TRACK_DELIVERY)
                            else {}
                        ),
                    }
                )
        current = {
            **default_options(setup_of(self.config_entry)),
            CONF_RETRY_MINUTES: DEFAULT_RETRY_MINUTES,
            CONF_DAILY_LIMIT: DEFAULT_DAILY_LIMIT,
            CONF_REPEAT_WINDOW_MINUTES: DEFAULT_REPEAT_WINDOW_MINUTES,
            **self.config_entry.options,
            **(user_input or {}),
        }
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(
                options_schema(self.config_entry, self._other_accounts()), current
            ),
            errors=errors,
        )

    def _other_accounts(self) -> list[ConfigEntry]:
        return [
            entry
            for entry in self.hass.config_entries.async_entries(DOMAIN)
            if entry.entry_id != self.config_entry.entry_id
        ]

    def _fallback_error(self, fallback: str | None) -> str | None:
        """One hop only: the fallback must not fall back to this account."""
        if fallback is None:
            return None
        other = self.hass.config_entries.async_get_entry(fallback)
        if other is None or other.domain != DOMAIN or other is self.config_entry:
            return "fallback_unknown"
        if other.options.get(CONF_FALLBACK_ACCOUNT) == self.config_entry.entry_id:
            return "fallback_loop"
        return None
