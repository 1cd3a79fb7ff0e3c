"""Recipients: a config subentry per named list of numbers, each with its notify entity."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import (
    ConfigSubentry,
    ConfigSubentryFlow,
    SubentryFlowResult,
)
from homeassistant.const import CONF_NAME
import voluptuous as vol

from .account_form import PHONE_NUMBERS, TEXT, setup_of
from .client.phone import mask_number, parse_phone_numbers
from .const import CONF_DEFAULT_REGION, CONF_NUMBERS


class RecipientSubentryFlow(ConfigSubentryFlow):
    """A named list of numbers that gets its own notify entity."""

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Add a recipient."""
        return await self._async_step_recipient("user", user_input, None)

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Rename a recipient or change its numbers."""
        return await self._async_step_recipient(
            "reconfigure", user_input, self._get_reconfigure_subentry()
        )

    async def _async_step_recipient(
        self,
        step_id: str,
        user_input: dict[str, Any] | None,
        subentry: ConfigSubentry | None,
    ) -> SubentryFlowResult:
        """Store the numbers in E.164, once each; name a refused one only masked."""
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {}
        if user_input is not None:
            entry = self._get_entry()
            region = entry.options.get(
                CONF_DEFAULT_REGION, setup_of(entry).default_region
            )
            raws = [raw for raw in user_input.get(CONF_NUMBERS, []) if raw.strip()]
            parsed = parse_phone_numbers(raws, region, require_mobile=True)
            if parsed.invalid:
                raw, problem = parsed.invalid[0]
                errors[CONF_NUMBERS] = f"invalid_number_{problem.value}"
                placeholders = {"number": mask_number(raw)}
            elif not parsed.valid:
                errors[CONF_NUMBERS] = "no_numbers"
            else:
                title = user_input[CONF_NAME].strip()
                data = {CONF_NUMBERS: [number.e164 for number in parsed.valid]}
                if subentry is None:
                    return self.async_create_entry(title=title, data=data)
                # Our own text: the helper's default reason is Home
                # Assistant's on newer releases.
                self.hass.config_entries.async_update_subentry(
                    entry, subentry, title=title, data=data
                )
                return self.async_abort(reason="reconfigure_successful")
        suggested = user_input or (
            {CONF_NAME: subentry.title, **subentry.data} if subentry else None
        )
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(
                vol.Schema(
                    {
                        vol.Required(CONF_NAME): TEXT,
                        vol.Required(CONF_NUMBERS): PHONE_NUMBERS,
                    }
                ),
                suggested,
            ),
            errors=errors,
            description_placeholders=placeholders,
        )
