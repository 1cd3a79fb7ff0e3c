"""The providers offered in the config flow, and how an entry becomes a client.

What a user types (field names, which of them are secret, the default
country) is Home Assistant's business, so it lives here and not in the
client package. The entry's credential fields are the client's keyword
arguments of the same name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

import aiohttp
from homeassistant.const import CONF_API_KEY, CONF_PASSWORD, CONF_USERNAME

from .client import HiSms, SmsProvider, TurkeySms
from .const import CONF_BASE_URL, CONF_PROVIDER, CONF_SENDER


@dataclass(frozen=True, slots=True)
class ProviderSetup:
    """One provider's account form and its client."""

    client: type[TurkeySms] | type[HiSms]
    name: str
    credential_fields: tuple[str, ...]
    secret_fields: tuple[str, ...]
    default_region: str

    @property
    def provider_id(self) -> str:
        """The menu option, the step id and ``entry.data[provider]``."""
        return self.client.provider_id

    @property
    def default_base_url(self) -> str:
        """The provider's own API address."""
        return self.client.default_base_url

    def create(
        self, session: aiohttp.ClientSession, data: Mapping[str, Any]
    ) -> SmsProvider:
        """The client of an account's ``entry.data``."""
        credentials = {field: data[field] for field in self.credential_fields}
        return self.client(
            session,
            **credentials,
            sender=data.get(CONF_SENDER),
            base_url=data.get(CONF_BASE_URL) or self.default_base_url,
        )


PROVIDERS: Final[Mapping[str, ProviderSetup]] = {
    setup.provider_id: setup
    for setup in (
        ProviderSetup(
            client=TurkeySms,
            name="Turkey SMS",
            credential_fields=(CONF_API_KEY,),
            secret_fields=(CONF_API_KEY,),
            default_region="TR",
        ),
        ProviderSetup(
            client=HiSms,
            name="HiSMS",
            credential_fields=(CONF_USERNAME, CONF_PASSWORD),
            secret_fields=(CONF_PASSWORD,),
            default_region="SA",
        ),
    )
}


def create_provider(
    session: aiohttp.ClientSession, data: Mapping[str, Any]
) -> SmsProvider:
    """The client of a configured account."""
    return PROVIDERS[data[CONF_PROVIDER]].create(session, data)
