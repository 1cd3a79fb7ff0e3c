"""A stateful local emulator of the Turkey SMS (API v3) and HiSMS APIs.

The real providers cannot be reached from development machines, so clients,
tests and benchmarks run against this emulator, which follows
``SPEC.md``: every endpoint, both Turkey SMS response styles, balances, reports,
scheduled messages, lockouts, the per-minute limit and injectable faults.

Example::

    from sms_emulator import Emulator, Fault, Seed

    emu = Emulator(Seed.default())
    base_url = await emu.start()  # http://127.0.0.1:<port>
    emu.faults.add(Fault("drop_after", provider="turkey_sms", times=1))
    ...  # POST f"{base_url}/api/v3/gonder/add-content"
    assert emu.sent_messages("turkey_sms")[0].status == "TS-1023"
    await emu.stop()

A seed file (the shipped ``seed.json`` has this shape)::

    {
      "turkey_accounts": [{"api_key": "demo-turkey-key", "user_id": "100200",
                           "account_name": "Demo Home", "local_balance": 1000,
                           "international_balance_tl": "250.00",
                           "senders": {"HOMEALERT": "active"}}],
      "hisms_accounts": [{"username": "966500000001", "password": "demo-password",
                          "balance": 500, "senders": {"HOMEALERT": "active"}}],
      "forbidden_words": ["casino"],
      "undeliverable_numbers": [], "out_of_coverage_numbers": [],
      "international_price_tl": "0.75", "lockout_after": 5, "lockout_seconds": 900
    }
"""

from __future__ import annotations

from .clock import ManualClock
from .faults import FAULT_KINDS, Fault
from .requestlog import RequestLogEntry
from .seed import (
    DemoAccounts,
    HismsAccount,
    Seed,
    SeedError,
    TurkeyAccount,
    demo_accounts,
)
from .server import Emulator
from .settings import Settings
from .state import HISMS, TURKEY_SMS, EmulatorState, SentMessage

__all__ = [
    "FAULT_KINDS",
    "HISMS",
    "TURKEY_SMS",
    "DemoAccounts",
    "Emulator",
    "EmulatorState",
    "Fault",
    "HismsAccount",
    "ManualClock",
    "RequestLogEntry",
    "Seed",
    "SeedError",
    "SentMessage",
    "Settings",
    "TurkeyAccount",
    "demo_accounts",
]
