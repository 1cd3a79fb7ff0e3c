"""Bulk sending against the emulator: requests, wall time, and the lower bound.

The emulator runs in its own process with a fixed latency per request. For
each recipient count the table shows the group-chunked sender of this project
and a one-request-per-recipient loop (what Home Assistant's core SMS notifiers
do), then the Home Assistant side overhead of a single-recipient send_sms.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
import os
from pathlib import Path
import socket
import subprocess
import sys
import time
from typing import TYPE_CHECKING

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from custom_components.sms_gateway.client.bulk import (
    DEFAULT_CONCURRENCY,
    BulkOptions,
    BulkSend,
    Delivery,
    OutgoingText,
    plan_chunks,
)
from custom_components.sms_gateway.client.phone import parse_phone_number
from custom_components.sms_gateway.client.text import analyze_text
from custom_components.sms_gateway.client.turkey_sms import TurkeySms
from custom_components.sms_gateway.sending import DEFAULT_CHUNK_SIZE

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

API_KEY = "bench-key"
SEED = """{
  "turkey_accounts": [{"api_key": "bench-key", "user_id": "9", "account_name": "Bench",
    "active": true, "international_enabled": false, "post_enabled": true,
    "get_enabled": true, "status_enabled": true, "balance_enabled": true,
    "local_balance": 100000000, "international_balance_tl": "0",
    "senders": {"BENCH": "active"}}],
  "hisms_accounts": []
}"""


@dataclass
class Row:
    """One line of the table."""

    recipients: int
    requests: int
    seconds: float
    lower_bound: float
    extrapolated: bool = False

    @property
    def ratio(self) -> float:
        return self.seconds / self.lower_bound if self.lower_bound else float("nan")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@asynccontextmanager
async def emulator(latency: float, seed_file: Path) -> AsyncIterator[str]:
    """The emulator in its own process, so it does not share our CPU time."""
    port = free_port()
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
            "1000000",
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
        yield base_url
    finally:
        process.terminate()
        process.wait(timeout=10)


def numbers(count: int) -> list[str]:
    """Distinct Turkish mobile numbers, as a user would type them."""
    return [f"0532{n:07d}" for n in range(count)]


async def grouped(
    client: TurkeySms, raw: Sequence[str], latency: float
) -> tuple[Row, float]:
    """This project's way: normalise once, then chunks with bounded concurrency."""
    started = time.perf_counter()
    numbers = list(
        dict.fromkeys(parse_phone_number(n, "TR", require_mobile=True) for n in raw)
    )
    normalised = time.perf_counter()
    chunks = plan_chunks(
        client,
        [OutgoingText(analyze_text("Bench message"), tuple(numbers))],
        max_numbers=DEFAULT_CHUNK_SIZE,
    )
    result = await BulkSend(chunks, BulkOptions(concurrency=DEFAULT_CONCURRENCY)).run()
    finished = time.perf_counter()
    assert len(result.numbers_in(Delivery.SENT)) == len(numbers), result.outcomes[:3]
    bound = -(-result.requests // DEFAULT_CONCURRENCY) * latency
    return Row(len(raw), result.requests, finished - normalised, bound), (
        normalised - started
    )


async def per_recipient(client: TurkeySms, raw: Sequence[str], latency: float) -> Row:
    """One request per recipient, one after the other, as core notifiers do."""
    started = time.perf_counter()
    for number in raw:
        digits = parse_phone_number(number, "TR").digits
        await client.send([digits], "Bench message")
    return Row(len(raw), len(raw), time.perf_counter() - started, len(raw) * latency)


async def ha_overhead(base_url: str, samples: int) -> tuple[list[float], list[float]]:
    """A single-recipient send_sms through Home Assistant vs the bare client."""
    from homeassistant.core import HomeAssistant  # noqa: PLC0415
    from pytest_homeassistant_custom_component.common import (  # noqa: PLC0415
        MockConfigEntry,
        async_test_home_assistant,
    )

    import custom_components.sms_gateway  # noqa: F401, PLC0415

    hass: HomeAssistant
    async with async_test_home_assistant() as hass:
        from homeassistant import loader  # noqa: PLC0415

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
        client = entry.runtime_data.provider
        action: list[float] = []
        bare: list[float] = []
        for index in range(samples):
            number = f"0533{index:07d}"
            started = time.perf_counter()
            await hass.services.async_call(
                "sms_gateway",
                "send_sms",
                {"recipients": [number], "message": "Bench"},
                blocking=True,
            )
            action.append(time.perf_counter() - started)
            started = time.perf_counter()
            await client.send([f"90534{index:07d}"], "Bench")
            bare.append(time.perf_counter() - started)
        await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()
    return action, bare


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def main(arguments: argparse.Namespace) -> str:
    seed_file = ROOT / ".bench-seed.json"
    seed_file.write_text(SEED, encoding="utf-8")
    lines: list[str] = []
    try:
        async with (
            emulator(arguments.latency, seed_file) as base_url,
            aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=DEFAULT_CONCURRENCY * 2)
            ) as session,
        ):
            client = TurkeySms(
                session, api_key=API_KEY, sender="BENCH", base_url=base_url
            )
            lines += [
                f"Emulated latency {arguments.latency * 1000:.0f} ms per request; "
                f"chunks of {DEFAULT_CHUNK_SIZE}, {DEFAULT_CONCURRENCY} requests in parallel.",
                "",
                "| recipients | requests | send wall time (s) | lower bound (s) | ratio "
                "| normalise (ms) | per-recipient requests | per-recipient wall time (s) "
                "| per-recipient ratio | fewer requests |",
                "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
            ]
            baseline_per_request: float | None = None
            for count in arguments.counts:
                raw = numbers(count)
                row, normalise = await grouped(client, raw, arguments.latency)
                if count <= arguments.baseline_max:
                    base = await per_recipient(client, raw, arguments.latency)
                    baseline_per_request = base.seconds / base.requests
                else:
                    assert baseline_per_request is not None
                    base = Row(
                        count,
                        count,
                        baseline_per_request * count,
                        count * arguments.latency,
                        extrapolated=True,
                    )
                mark = " (extrapolated)" if base.extrapolated else ""
                lines.append(
                    f"| {count:,} | {row.requests} | {row.seconds:.3f} | {row.lower_bound:.3f} "
                    f"| {row.ratio:.2f} | {normalise * 1000:.0f} | {base.requests:,} "
                    f"| {base.seconds:.1f}{mark} | {base.ratio:.2f} "
                    f"| {base.requests / row.requests:.0f}× |"
                )
                print(lines[-1], flush=True)
        async with emulator(0.0, seed_file) as base_url:
            action, bare = await ha_overhead(base_url, arguments.samples)
    finally:
        seed_file.unlink(missing_ok=True)
    overhead = [a - b for a, b in zip(action, bare, strict=True)]
    lines += [
        "",
        f"Single-recipient `sms_gateway.send_sms` through Home Assistant, emulator at 0 ms, "
        f"{arguments.samples} calls:",
        "",
        "| | p50 (ms) | p95 (ms) |",
        "|---|---:|---:|",
        f"| action call | {percentile(action, 0.5) * 1000:.2f} | {percentile(action, 0.95) * 1000:.2f} |",
        f"| bare client request | {percentile(bare, 0.5) * 1000:.2f} | {percentile(bare, 0.95) * 1000:.2f} |",
        f"| Home Assistant side overhead | {percentile(overhead, 0.5) * 1000:.2f} "
        f"| {percentile(overhead, 0.95) * 1000:.2f} |",
    ]
    return "\n".join(lines)


def parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--latency", type=float, default=0.2, help="seconds per request"
    )
    parser.add_argument("--counts", type=int, nargs="+", default=[1, 100, 1000, 10000])
    parser.add_argument(
        "--baseline-max",
        type=int,
        default=100,
        help="largest count the per-recipient loop really runs; beyond, extrapolated",
    )
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmark.md")
    return parser.parse_args(argv)


if __name__ == "__main__":
    args = parse_arguments(sys.argv[1:])
    table = asyncio.run(main(args))
    body = (
        "# Bulk sending benchmark\n\n"
        "Produced by `scripts/bench` against the local emulator "
        f"(`{' '.join(['scripts/bench', *sys.argv[1:]])}`, {os.cpu_count()} cores).\n\n"
        f"{table}\n"
    )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(body, encoding="utf-8")
    print(body)
