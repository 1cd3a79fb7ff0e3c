"""Who may have a one-time code handed back: administrators and Home Assistant.

A code in a response lets its reader answer for someone else's phone. The
account actions are administrators' through Home Assistant's own check where
they are registered (services.py); sending stays open to every user.
"""

from __future__ import annotations

from homeassistant.core import ServiceCall

from .validation import invalid


async def async_check_code_may_be_returned(call: ServiceCall) -> None:
    """Refuse ``return_code`` to a user who is not an administrator.

    A call no user made (an automation, or a script Home Assistant runs by
    itself) may have it; a script that a user starts runs as that user.
    """
    if call.context.user_id is None:
        return
    user = await call.hass.auth.async_get_user(call.context.user_id)
    if user is None or not user.is_admin:
        raise invalid("return_code_not_allowed")
