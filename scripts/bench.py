"""Sending through Home Assistant against the emulator, measured against its lower bound.

The emulator runs in its own process, so it does not share our CPU time, and
answers every request after a fixed latency. Each recipient count is sent with
``sms_gateway.send_sms`` through a Home Assistant instance, end to end: the
action call, the validation of every number, the requests, the response. The
lower bound is that latency once for every round of 4 parallel requests the
emulator saw; each count runs several times, to different numbers, and the
ratio shown is the median run's. Beside it: one request per recipient (what
Home Assistant's core SMS notifiers do), and the time of a single-recipient
call.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
import math
import os
from pathlib import Path
import platform
import statistics
import sys
import time
from typing import TYPE_CHECKING, Final

import aiohttp
from bench_rig import API_KEY, ROOT, Emulator, emulator, home_assistant, settle

sys.path.insert(0, str(ROOT))

from custom_components.sms_gateway.client.phone import (
    parse_phone_number,
    parse_phone_numbers,
)
from custom_components.sms_gateway.client.turkey_sms import TurkeySms

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

PARALLEL_REQUESTS: Final = 4
"""The lower bound's rounds: the goal counts 4 requests at a time."""
MESSAGE: Final = "Bench message"
# Turkish mobile prefixes: every run of a count sends to numbers of its own.
_PREFIXES: Final = (*range(532, 540), *range(541, 550))


@dataclass(frozen=True, slots=True)
class Run:
    """One action call, as the emulator saw it."""

    seconds: float
    requests: int
    largest_request: int

    def lower_bound(self, latency: float) -> float:
        return math.ceil(self.requests / PARALLEL_REQUESTS) * latency


def numbers(count: int, run: int = 0) -> list[str]:
    """Distinct Turkish mobile numbers, as a user would type them."""
    prefix = _PREFIXES[run % len(_PREFIXES)]
    return [f"0{prefix}{n:07d}" for n in range(count)]


async def send_through_action(
    hass: HomeAssistant, emu: Emulator, raw: list[str]
) -> Run:
    """One send_sms call with its response; every number must have gone out."""
    await settle(hass, emu)
    started = time.perf_counter()
    response = await hass.services.async_call(
        "sms_gateway",
        "send_sms",
        {"recipients": raw, "message": MESSAGE},
        blocking=True,
        return_response=True,
    )
    seconds = time.perf_counter() - started
    assert isinstance(response, dict), response
    sends = await emu.sends()
    sent = sum(len(numbers) for numbers in sends)
    if sent != len(raw):
        raise RuntimeError(f"{sent} of {len(raw)} numbers reached the emulator")
    return Run(seconds, len(sends), max(len(numbers) for numbers in sends))


async def per_recipient(client: TurkeySms, raw: Sequence[str]) -> float:
    """One request per recipient, one after the other, as core notifiers do."""
    started = time.perf_counter()
    for number in raw:
        digits = parse_phone_number(number, "TR").digits
        await client.send([digits], MESSAGE)
    return time.perf_counter() - started


async def single_recipient(
    hass: HomeAssistant, client: TurkeySms, samples: int
) -> tuple[list[float], list[float]]:
    """A single-recipient send_sms through Home Assistant vs the bare client."""
    action: list[float] = []
    bare: list[float] = []
    for index in range(samples):
        started = time.perf_counter()
        await hass.services.async_call(
            "sms_gateway",
            "send_sms",
            {"recipients": [f"0533{index:07d}"], "message": "Bench"},
            blocking=True,
        )
        action.append(time.perf_counter() - started)
        started = time.perf_counter()
        await client.send([f"90534{index:07d}"], "Bench")
        bare.append(time.perf_counter() - started)
    return action, bare


def normalising(count: int, runs: int) -> float:
    """Median seconds to normalise ``count`` numbers alone (part of the call)."""
    times = []
    for run in range(runs):
        raw = numbers(count, run)
        started = time.perf_counter()
        parse_phone_numbers(raw, "TR", require_mobile=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def row(
    count: int, runs: list[Run], latency: float, shown_base: str, base: float
) -> str:
    """A count's line: each run, the median run's ratio, the per-recipient way."""
    median = sorted(runs, key=lambda run: run.seconds / run.lower_bound(latency))[
        len(runs) // 2
    ]
    bound = median.lower_bound(latency)
    return (
        f"| {count:,} | {median.requests} | {median.largest_request} "
        f"| {bound:.3f} | {' | '.join(f'{r.seconds:.3f}' for r in runs)} "
        f"| **{median.seconds / bound:.2f}** | {count:,} "
        f"| {shown_base} | {base / (count * latency):.2f} "
        f"| {count / median.requests:.0f}× |"
    )


async def measure(arguments: argparse.Namespace) -> list[str]:
    """This Home Assistant's section of the report."""
    from homeassistant.const import __version__ as ha_version  # noqa: PLC0415

    latency: float = arguments.latency
    lines = [
        f"## Home Assistant {ha_version} (Python {platform.python_version()})",
        "",
        f"`sms_gateway.send_sms` with its response, {arguments.runs} runs per count "
        "to different numbers; each run's wall time, the median run's ratio to the "
        "lower bound, and the same recipients sent one request each:",
        "",
        "| recipients | requests | numbers per request | lower bound (s) "
        f"| {' | '.join(f'run {n + 1} (s)' for n in range(arguments.runs))} "
        "| ratio (median) | per-recipient requests | per-recipient wall time (s) "
        "| per-recipient ratio | fewer requests |",
        f"|---:|---:|---:|---:|{'---:|' * arguments.runs}---:|---:|---:|---:|---:|",
    ]
    async with (
        emulator(latency) as emu,
        home_assistant(emu.base_url) as hass,
        aiohttp.ClientSession() as session,
    ):
        client = TurkeySms(
            session, api_key=API_KEY, sender="BENCH", base_url=emu.base_url
        )
        per_request: float | None = None
        for count in arguments.counts:
            runs = [
                await send_through_action(hass, emu, numbers(count, run))
                for run in range(arguments.runs)
            ]
            if count <= arguments.baseline_max:
                base = await per_recipient(client, numbers(count))
                per_request, mark = base / count, ""
            else:
                if per_request is None:
                    sample = numbers(arguments.baseline_max)
                    per_request = await per_recipient(client, sample) / len(sample)
                base, mark = per_request * count, " (extrapolated)"
            lines.append(row(count, runs, latency, f"{base:.1f}{mark}", base))
            print(lines[-1], flush=True)
        await emu.set_latency(0.0)
        await settle(hass, emu)
        action, bare = await single_recipient(hass, client, arguments.samples)
    largest = max(arguments.counts)
    overhead = [a - b for a, b in zip(action, bare, strict=True)]
    return [
        *lines,
        "",
        f"Normalising the {largest:,} numbers alone (part of each call above): "
        f"{normalising(largest, arguments.runs) * 1000:.0f} ms, median of "
        f"{arguments.runs}.",
        "",
        "Single-recipient `sms_gateway.send_sms` through Home Assistant, emulator at "
        f"0 ms, {arguments.samples} calls:",
        "",
        "| | p50 (ms) | p95 (ms) |",
        "|---|---:|---:|",
        f"| action call | {percentile(action, 0.5) * 1000:.2f} "
        f"| {percentile(action, 0.95) * 1000:.2f} |",
        f"| bare client request | {percentile(bare, 0.5) * 1000:.2f} "
        f"| {percentile(bare, 0.95) * 1000:.2f} |",
        f"| Home Assistant side overhead | {percentile(overhead, 0.5) * 1000:.2f} "
        f"| {percentile(overhead, 0.95) * 1000:.2f} |",
    ]


def machine() -> str:
    """Cores, processor and how busy the machine was."""
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown processor",
    )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{os.cpu_count()} cores ({model}), load average {load:.2f} at the start, "
        f"niceness {os.nice(0)}"
    )


def header(arguments: argparse.Namespace, command: str) -> list[str]:
    return [
        "# Bulk sending benchmark",
        "",
        f"Produced by `{command}` against the local emulator, {machine()}.",
        "",
        f"Emulated latency {arguments.latency * 1000:.0f} ms per request. Lower bound: "
        f"that latency once per round of {PARALLEL_REQUESTS} parallel requests, "
        f"⌈requests / {PARALLEL_REQUESTS}⌉ × latency.",
        "",
    ]


def positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--latency", type=float, default=0.2, help="seconds per request"
    )
    parser.add_argument("--counts", type=int, nargs="+", default=[1, 100, 1000, 10000])
    parser.add_argument(
        "--runs",
        type=positive,
        default=3,
        help="action calls per count; the median counts",
    )
    parser.add_argument(
        "--baseline-max",
        type=positive,
        default=100,
        help="largest count the per-recipient loop really runs; beyond, extrapolated",
    )
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmark.md")
    parser.add_argument(
        "--append",
        action="store_true",
        help="add this Home Assistant's section to the output instead of starting it",
    )
    return parser.parse_args(argv)


if __name__ == "__main__":
    args = parse_arguments(sys.argv[1:])
    section = asyncio.run(measure(args))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    if args.append and args.output.exists():
        body = args.output.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    else:
        command = " ".join(
            ["scripts/bench", *(a for a in sys.argv[1:] if a != "--append")]
        )
        body = "\n".join(header(args, command)) + "\n"
    body += "\n".join(section) + "\n"
    args.output.write_text(body, encoding="utf-8")
    print(body)
