"""Every Turkey SMS endpoint, gathered from the modules that answer them.

A new endpoint is one :class:`~.request.Endpoint` in the module of its kind;
the server routes its paths, and the request log and faults know its name,
from this table.
"""

from __future__ import annotations

from typing import Final

from . import account, otp, reports, sends
from .request import Endpoint

ENDPOINTS: Final[tuple[Endpoint, ...]] = (
    *account.ENDPOINTS,
    *sends.ENDPOINTS,
    *otp.ENDPOINTS,
    *reports.ENDPOINTS,
)

BY_NAME: Final = {endpoint.name: endpoint for endpoint in ENDPOINTS}
BY_PATH: Final = {path: endpoint for endpoint in ENDPOINTS for path in endpoint.paths}
