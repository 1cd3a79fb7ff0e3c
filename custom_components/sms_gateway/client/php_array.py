"""Read PHP ``print_r`` output, which Turkey SMS answers when it ignores JSON."""

from __future__ import annotations

import re
from typing import Any, Final

_ENTRY: Final = re.compile(r"^\s*\[(?P<key>[^\]]*)\]\s*=>\s?(?P<value>.*)$")


class PrintRError(ValueError):
    """The text is not ``print_r`` output of an array."""


def parse_print_r(text: str) -> dict[str, Any]:
    """Parse ``Array ( [key] => value … )``, nested arrays included."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    if not lines or lines[0].strip() != "Array":
        raise PrintRError("not a print_r array")
    result, _ = _parse_array(lines, 1)
    return result


def _parse_array(lines: list[str], index: int) -> tuple[dict[str, Any], int]:
    """Parse from the ``(`` line; return the array and the index after ``)``."""
    if index >= len(lines) or lines[index].strip() != "(":
        raise PrintRError("an array must open with '('")
    index += 1
    result: dict[str, Any] = {}
    last_key: str | None = None
    while index < len(lines):
        line = lines[index]
        stripped = line.strip()
        if stripped == ")":
            return result, index + 1
        match = _ENTRY.match(line)
        if match is None:
            if last_key is not None and isinstance(result[last_key], str) and stripped:
                result[last_key] += "\n" + stripped
            index += 1
            continue
        key, value = match["key"], match["value"].strip()
        if value == "Array":
            result[key], index = _parse_array(lines, index + 1)
            last_key = None
            continue
        result[key] = value
        last_key = key
        index += 1
    raise PrintRError("an array must close with ')'")
