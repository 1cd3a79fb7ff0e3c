"""The providers the integration offers, and how each is set up."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final

import aiohttp

from . import hisms, transport, turkey_sms
from .provider import SmsProvider


@dataclass(frozen=True, slots=True)
class ProviderSpec:
    """How to build one provider from the fields a user typed in."""

    provider_id: str
    name: str
    credential_fields: tuple[str, ...]
    secret_fields: tuple[str, ...]
    default_base_url: str
    default_region: str
    factory: Callable[[aiohttp.ClientSession, Mapping[str, str]], SmsProvider]


def _turkey_sms(
    session: aiohttp.ClientSession, config: Mapping[str, str]
) -> SmsProvider:
    return turkey_sms.TurkeySms(
        session,
        api_key=config["api_key"],
        sender=config.get("sender"),
        base_url=config.get("base_url") or turkey_sms.DEFAULT_BASE_URL,
        timeout=transport.DEFAULT_TIMEOUT,
    )


def _hisms(session: aiohttp.ClientSession, config: Mapping[str, str]) -> SmsProvider:
    return hisms.HiSms(
        session,
        username=config["username"],
        password=config["password"],
        sender=config.get("sender"),
        base_url=config.get("base_url") or hisms.DEFAULT_BASE_URL,
        timeout=transport.DEFAULT_TIMEOUT,
    )


PROVIDERS: Final[Mapping[str, ProviderSpec]] = {
    spec.provider_id: spec
    for spec in (
        ProviderSpec(
            provider_id=turkey_sms.PROVIDER,
            name="Turkey SMS",
            credential_fields=("api_key",),
            secret_fields=("api_key",),
            default_base_url=turkey_sms.DEFAULT_BASE_URL,
            default_region="TR",
            factory=_turkey_sms,
        ),
        ProviderSpec(
            provider_id=hisms.PROVIDER,
            name="HiSMS",
            credential_fields=("username", "password"),
            secret_fields=("password",),
            default_base_url=hisms.DEFAULT_BASE_URL,
            default_region="SA",
            factory=_hisms,
        ),
    )
}


def create_provider(
    provider_id: str, session: aiohttp.ClientSession, config: Mapping[str, str]
) -> SmsProvider:
    """Build the client for a configured account."""
    return PROVIDERS[provider_id].factory(session, config)
