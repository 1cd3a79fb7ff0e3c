"""Turkey SMS API v3: every endpoint of SPEC §2, answered from the state.

Checks run in one fixed order so each result code is reachable on purpose:
API key (TS-1050, TS-1031, TS-1030), then for sends the key's channel
(TS-1061 POST / TS-1062 GET), then the request's own fields in the order the
endpoint reads them: mobile (TS-1025), text (TS-1026), sender (TS-1051 absent
or ``""``, TS-1052 only whitespace, TS-1029 unknown, TS-1028 inactive), shape
(TS-1033), each number (TS-1034), international permission (TS-1032), the
per-minute limit (TS-1060) and finally the balance for the whole request
(TS-1027: nothing is sent). A request that is rejected sends nothing.

A group send with some invalid numbers is sent to the valid ones; the report
counts the others as ``invalid_numbers`` and lists them. The
``reject_group`` setting refuses such a request whole with TS-1034 instead. A
single-number send with an invalid number is always TS-1034.

TS-1070..TS-1072 (scheduled sending) are never produced: the provider documents
the codes but no scheduling parameter, so there is nothing to validate. Inject
them with a ``result_code`` fault when a client's handling needs testing.

One module a concern: :mod:`.dispatch` finds the endpoint and answers errors,
:mod:`.auth` checks the key, its channel and its senders, :mod:`.account`,
:mod:`.sends`, :mod:`.otp` and :mod:`.reports` hold the endpoints,
:mod:`.charging` and :mod:`.rate_window` what a send costs and may cost,
:mod:`.progress` how deliveries move on, :mod:`.codes` and :mod:`.numbers` the
provider's codes and numbering.
"""

from __future__ import annotations

from .codes import error_payload
from .dispatch import TurkeySmsEmulator, account_id, requested_numbers

__all__ = ["TurkeySmsEmulator", "account_id", "error_payload", "requested_numbers"]
