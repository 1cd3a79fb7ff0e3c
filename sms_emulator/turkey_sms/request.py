"""One Turkey SMS request being answered, and the endpoint that answers it.

Each endpoint module lists its :class:`Endpoint` records: the function name the
request log and faults use, the paths, the one HTTP method and the handler. A
handler reads the request's fields through :class:`TurkeyRequest`, which turns
an empty field into the endpoint's own code; a field of the wrong shape raises
:class:`~sms_emulator.params.InvalidParameterError`, answered TS-1033 by the dispatcher.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from sms_emulator.params import Params
from sms_emulator.settings import Settings
from sms_emulator.state import EmulatorState
from sms_emulator.wire import Reply

from .codes import TurkeyError

LANGUAGES: Final = ("0", "1", "2")
"""``sms_lang`` / ``lang``: GSM-7, the Turkish shift, UCS-2."""

SHORT_REPLY_FIELDS: Final = ("result", "result_code", "result_message")
"""What a reply keeps when ``report=0`` asks for no details."""

type Handler = Callable[[TurkeyRequest], Reply]


@dataclass(frozen=True)
class Endpoint:
    """A Turkey SMS endpoint: where it answers, how, and what it is called."""

    name: str
    """The function name in the request log and for faults."""
    paths: tuple[str, ...]
    """Without a trailing slash (one does not matter)."""
    method: str
    """The one HTTP method it answers: GET scripts read the query, POST a JSON body."""
    handler: Handler
    recipients: str = "sentto"
    """The parameter that names the recipients, for the request log."""


@dataclass
class TurkeyRequest:
    """The state a request changes, and the parameters it brought."""

    state: EmulatorState
    now: datetime
    settings: Settings
    endpoint: Endpoint
    params: Params
    account_id: str | None = None
    """The user_id of the API key, once it is known (for the request log)."""

    @property
    def function(self) -> str:
        """The endpoint's function name."""
        return self.endpoint.name

    def required(self, name: str, empty_code: str) -> str:
        """One value; absent, empty or only whitespace is ``empty_code``."""
        value = self.params.scalar(name)
        if value is None or not value.strip():
            raise TurkeyError(empty_code)
        return value

    def required_array(self, name: str, empty_code: str) -> list[str]:
        """An array with at least one item; none is ``empty_code``."""
        values = self.params.array(name)
        if not values:
            raise TurkeyError(empty_code)
        return values

    def language(self, name: str) -> int | None:
        """The declared alphabet, None when absent."""
        value = self.params.choice(name, LANGUAGES)
        return None if value is None else int(value)

    def short(self, payload: dict[str, Any]) -> dict[str, Any]:
        """``report=0`` asks for no details: keep result, code and message."""
        if self.params.scalar("report") == "0":
            return {k: payload[k] for k in SHORT_REPLY_FIELDS}
        return payload
