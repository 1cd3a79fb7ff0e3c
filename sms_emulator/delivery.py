"""Scripted delivery: how a Turkey SMS message's status moves on over time.

Without a script a message is out of coverage (``TS-1023``) until it is
``delivery_delay_seconds`` old and then delivered, or not received for the
seed's undeliverable numbers. A script names, per number, the states it goes
through and when, e.g. "out of coverage, then delivered after 90 s"::

    emu.script_delivery("905321234567", [(0, "out_of_coverage"), (90, "delivered")])

Like every status change in the emulator, a step happens when a status or
report query sees the message old enough.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from .status import MessageStatus

SCRIPT_STATES: Final = {
    "pending": MessageStatus.PENDING,
    "out_of_coverage": MessageStatus.PENDING,
    "delivered": MessageStatus.DELIVERED,
    "not_delivered": MessageStatus.NOT_RECEIVED,
}
"""The words a script uses, and the Turkey SMS status each one stands for."""


@dataclass(frozen=True, slots=True)
class DeliveryStep:
    """From ``after_seconds`` past submission on, the message has ``status``."""

    after_seconds: float
    status: MessageStatus


def parse_script(steps: Iterable[Sequence[Any]]) -> tuple[DeliveryStep, ...]:
    """``[(seconds, state), ...]`` checked and ordered; ``ValueError`` if bad."""
    script: list[DeliveryStep] = []
    for step in steps:
        if isinstance(step, str) or len(step) != 2:
            raise ValueError("a delivery step is [seconds, state]")
        seconds, word = step
        if isinstance(seconds, bool) or not isinstance(seconds, int | float):
            raise TypeError("a delivery step's seconds must be a number")
        if seconds < 0:
            raise ValueError("a delivery step's seconds must not be negative")
        if word not in SCRIPT_STATES:
            raise ValueError(
                f"a delivery step's state is one of {', '.join(SCRIPT_STATES)}"
            )
        script.append(DeliveryStep(float(seconds), SCRIPT_STATES[word]))
    if not script:
        raise ValueError("a delivery script needs at least one step")
    return tuple(sorted(script, key=lambda step: step.after_seconds))


def parse_scripts(data: Any) -> dict[str, tuple[DeliveryStep, ...]]:
    """``{number: [[seconds, state], ...]}`` from JSON or the command line."""
    if not isinstance(data, Mapping):
        raise TypeError("delivery scripts are an object of number: steps")
    scripts = {}
    for number, steps in data.items():
        digits = "".join(ch for ch in str(number) if ch.isdigit())
        if not digits or not isinstance(steps, list):
            raise ValueError("a delivery script is a number and a list of steps")
        scripts[digits] = parse_script(steps)
    return scripts


def parse_cli_script(text: str) -> tuple[str, tuple[DeliveryStep, ...]]:
    """``NUMBER=state@seconds,state@seconds`` (the ``--delivery-script`` option)."""
    number, _, steps = text.partition("=")
    pairs: list[tuple[float, str]] = []
    for item in steps.split(","):
        word, _, seconds = item.partition("@")
        try:
            pairs.append((float(seconds or 0), word.strip()))
        except ValueError:
            raise ValueError(f"not a number of seconds: {seconds!r}") from None
    [(digits, script)] = parse_scripts({number: pairs}).items()
    return digits, script


def scripted_status(
    script: Sequence[DeliveryStep], age_seconds: float
) -> MessageStatus | None:
    """The status a message of this age has; None before the first step."""
    status = None
    for step in script:
        if age_seconds >= step.after_seconds:
            status = step.status
    return status


def script_to_json(script: Sequence[DeliveryStep]) -> list[list[Any]]:
    """A script as the admin endpoint shows it."""
    words = {code: word for word, code in reversed(SCRIPT_STATES.items())}
    return [[step.after_seconds, words[step.status]] for step in script]
