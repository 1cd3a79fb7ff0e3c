"""Run the emulator as a local server: ``python -m sms_emulator --port 8765``."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Mapping
import contextlib
import logging
import signal
import sys

from .delivery import DeliveryStep, parse_cli_script
from .seed import Seed, SeedError
from .server import Emulator
from .settings import ACCEPT_VALID, DEFAULT_RATE_LIMIT, INVALID_NUMBER_POLICIES
from .wire import RESULT_STYLES


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(
        prog="python -m sms_emulator",
        description="Local emulator of the Turkey SMS and HiSMS APIs.",
    )
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--seed", help="a seed JSON file (default: the shipped one)")
    parser.add_argument(
        "--rate-limit-per-minute",
        type=int,
        default=DEFAULT_RATE_LIMIT,
        help="Turkey SMS messages (numbers x parts) per API key per minute",
    )
    parser.add_argument("--result-style", choices=RESULT_STYLES, default="bool")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds")
    parser.add_argument(
        "--invalid-group-numbers",
        choices=INVALID_NUMBER_POLICIES,
        default=ACCEPT_VALID,
        help="Turkey SMS groups with invalid numbers: send to the valid ones, "
        "or refuse the whole request (TS-1034)",
    )
    parser.add_argument(
        "--delivery-script",
        action="append",
        default=[],
        metavar="NUMBER=STATE@SECONDS,...",
        help="Turkey SMS: the states a number's messages go through, e.g. "
        "905321234567=out_of_coverage@0,delivered@90 (repeatable)",
    )
    parser.add_argument("--verbose", action="store_true", help="log every request")
    return parser.parse_args(argv)


def delivery_scripts(args: argparse.Namespace) -> dict[str, tuple[DeliveryStep, ...]]:
    """The ``--delivery-script`` options by number (``ValueError`` if one is bad)."""
    return dict(parse_cli_script(text) for text in args.delivery_script)


async def serve(
    args: argparse.Namespace,
    seed: Seed,
    stop: asyncio.Event | None = None,
    scripts: Mapping[str, tuple[DeliveryStep, ...]] | None = None,
) -> None:
    """Serve until SIGINT or SIGTERM (or ``stop`` is set).

    ``scripts`` are the delivery scripts already read from ``args``; without
    them they are read here.
    """
    emu = Emulator(
        seed,
        rate_limit_per_minute=args.rate_limit_per_minute,
        result_style=args.result_style,
        latency=args.latency,
        invalid_group_numbers=args.invalid_group_numbers,
    )
    emu.state.delivery_scripts.update(
        delivery_scripts(args) if scripts is None else scripts
    )
    base_url = await emu.start(host=args.host, port=args.port)
    print(f"SMS emulator running at {base_url}", flush=True)  # noqa: T201
    print(f"Inbox: {base_url}/inbox", flush=True)  # noqa: T201
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    installed = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
            installed.append(sig)
    try:
        await stop.wait()
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)
        await emu.stop()
        print("SMS emulator stopped", flush=True)  # noqa: T201


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    args = parse_args(argv)
    try:
        seed = Seed.from_file(args.seed) if args.seed else Seed.default()
        scripts = delivery_scripts(args)
    except (SeedError, OSError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)  # noqa: T201
        return 2
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("asyncio").setLevel(logging.WARNING)
    try:
        asyncio.run(serve(args, seed, scripts=scripts))
    except OSError as err:
        print(f"error: {err}", file=sys.stderr)  # noqa: T201
        return 1
    except KeyboardInterrupt:  # pragma: no cover - the signal handler comes first
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
