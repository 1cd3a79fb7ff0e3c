"""Who may do what: the API key, its sending channel and its sender IDs.

In this order: the key (TS-1050 empty, TS-1031 unknown, TS-1030 inactive), for
sends the channel of the endpoint's method (TS-1061 POST, TS-1062 GET), and
the ``title`` (TS-1051 absent or empty, TS-1052 only whitespace, TS-1029
unknown, TS-1028 inactive).
"""

from __future__ import annotations

from sms_emulator.seed import TurkeyAccount

from .codes import TurkeyError
from .request import TurkeyRequest


def authenticate(request: TurkeyRequest) -> TurkeyAccount:
    """The account of the request's API key, if it is active."""
    key = request.params.scalar("api_key")
    if not key or not key.strip():
        raise TurkeyError("TS-1050")
    account = request.state.turkey_accounts.get(key)
    if account is None:
        raise TurkeyError("TS-1031")
    request.account_id = account.user_id
    if not account.active:
        raise TurkeyError("TS-1030")
    return account


def sending_account(request: TurkeyRequest) -> TurkeyAccount:
    """The account, if its key may send through this endpoint's method."""
    account = authenticate(request)
    if request.endpoint.method == "GET":
        if not account.get_enabled:
            raise TurkeyError("TS-1062")
    elif not account.post_enabled:
        raise TurkeyError("TS-1061")
    return account


def sender(request: TurkeyRequest, account: TurkeyAccount) -> str:
    """The ``title``: a sender ID of the account that is active."""
    title = request.params.scalar("title")
    if not title:
        raise TurkeyError("TS-1051")
    if not title.strip():
        raise TurkeyError("TS-1052")
    state = account.senders.get(title)
    if state is None:
        raise TurkeyError("TS-1029")
    if state != "active":
        raise TurkeyError("TS-1028")
    return title
