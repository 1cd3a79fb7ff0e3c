"""The benchmark's rig: the emulator in its own process, Home Assistant on it.

The emulator gets a process of its own so that it does not share Home
Assistant's CPU time; it is steered through its control API.
"""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
import socket
import subprocess
import sys
import tempfile
from typing import TYPE_CHECKING, Any, Final

import aiohttp

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from homeassistant.core import HomeAssistant

ROOT = Path(__file__).resolve().parent.parent
SEND_FUNCTIONS: Final = frozenset({"send_one", "send_group", "send_multi", "send_get"})
SENT: Final = "TS-1024"
API_KEY: Final = "bench-key"
SEED: Final = """{
  "turkey_accounts": [{"api_key": "bench-key", "user_id": "9", "account_name": "Bench",
    "active": true, "international_enabled": false, "post_enabled": true,
    "get_enabled": true, "status_enabled": true, "balance_enabled": true,
    "local_balance": 100000000, "international_balance_tl": "0",
    "senders": {"BENCH": "active"}}],
  "hisms_accounts": []
}"""


@dataclass(frozen=True, slots=True)
class Emulator:
    """The emulator process, steered through its control API."""

    base_url: str
    session: aiohttp.ClientSession

    async def _admin(self, method: str, path: str, **kwargs: Any) -> Any:
        url = f"{self.base_url}/_emulator/{path}"
        async with self.session.request(method, url, **kwargs) as reply:
            reply.raise_for_status()
            return await reply.json()

    async def reset(self) -> None:
        """Back to the seed: balance, messages and the request log."""
        await self._admin("POST", "reset")

    async def set_latency(self, seconds: float) -> None:
        await self._admin("POST", "settings", json={"latency": seconds})

    async def sends(self) -> list[list[str]]:
        """The numbers of every send request since the last reset; all accepted."""
        log = (await self._admin("GET", "state"))["log"]
        sends = [entry for entry in log if entry["function"] in SEND_FUNCTIONS]
        refused = [entry["outcome"] for entry in sends if entry["outcome"] != SENT]
        if refused:
            raise RuntimeError(f"the emulator refused sends: {refused[:3]}")
        return [entry["numbers"] for entry in sends]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@asynccontextmanager
async def emulator(latency: float) -> AsyncIterator[Emulator]:
    """The emulator in its own process, with one Turkey SMS account."""
    port = free_port()
    seed = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)  # noqa: SIM115
    with seed:
        seed.write(SEED)
    seed_file = Path(seed.name)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sms_emulator",
            "--port",
            str(port),
            "--latency",
            str(latency),
            "--rate-limit-per-minute",
            "100000000",
            "--seed",
            str(seed_file),
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as session:
            for _ in range(200):
                try:
                    async with session.get(f"{base_url}/_emulator/state") as reply:
                        if reply.status == 200:
                            break
                except aiohttp.ClientError:
                    await asyncio.sleep(0.05)
            else:
                raise RuntimeError("the emulator did not start")
            yield Emulator(base_url, session)
    finally:
        process.terminate()
        process.wait(timeout=10)
        seed_file.unlink(missing_ok=True)


@asynccontextmanager
async def home_assistant(base_url: str) -> AsyncIterator[HomeAssistant]:
    """A Home Assistant instance with one Turkey SMS account on the emulator."""
    from homeassistant import loader  # noqa: PLC0415
    from pytest_homeassistant_custom_component.common import (  # noqa: PLC0415
        MockConfigEntry,
        async_test_home_assistant,
    )

    import custom_components.sms_gateway  # noqa: F401, PLC0415

    async with async_test_home_assistant() as hass:
        hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)
        entry = MockConfigEntry(
            domain="sms_gateway",
            title="Bench",
            unique_id="9",
            data={
                "provider": "turkey_sms",
                "api_key": API_KEY,
                "sender": "BENCH",
                "base_url": base_url,
            },
            options={
                "default_region": "TR",
                "low_balance_threshold": 0,
                "max_segments": 6,
            },
        )
        entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        yield hass
        await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()


async def settle(hass: HomeAssistant, emu: Emulator) -> None:
    """An emulator back to its seed, an account loaded anew and idle.

    Reloading drops the balance refresh that an earlier send asked for: it
    would otherwise take one of the account's 4 places at the provider in
    the middle of the next run.
    """
    await emu.reset()
    (entry,) = hass.config_entries.async_entries("sms_gateway")
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
