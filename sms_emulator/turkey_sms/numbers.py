"""Turkey SMS recipients: which numbers are valid, local, and whose they are."""

from __future__ import annotations

import re
from typing import Final

COUNTRIES: Final = {
    "90": "Turkey-TR",
    "966": "Saudi Arabia-SA",
    "971": "United Arab Emirates-AE",
    "974": "Qatar-QA",
    "965": "Kuwait-KW",
    "973": "Bahrain-BH",
    "968": "Oman-OM",
    "962": "Jordan-JO",
    "964": "Iraq-IQ",
    "963": "Syria-SY",
    "20": "Egypt-EG",
    "49": "Germany-DE",
    "44": "United Kingdom-GB",
    "33": "France-FR",
    "31": "Netherlands-NL",
    "7": "Russia-RU",
    "1": "United States-US",
}

OPERATORS: Final = {
    "53": "Turkcell",
    "54": "Vodafone",
    "50": "Turk Telekom",
    "55": "Turk Telekom",
}
"""Operator by the first two digits after 90 (a deterministic stand-in)."""

_DIGITS = re.compile(r"[0-9]+")


def country(number: str) -> str:
    """Country label of a number, longest calling-code prefix first."""
    for length in (3, 2, 1):
        name = COUNTRIES.get(number[:length])
        if name:
            return name
    return "International"


def operator(number: str) -> str:
    """Operator of a Turkish mobile number; "International" or "Unknown" else."""
    if not is_local(number):
        return "International"
    return OPERATORS.get(number[2:4], "Unknown")


def is_local(number: str) -> bool:
    """A Turkish number: charged from the local SMS balance."""
    return number.startswith("90")


def valid_number(number: str) -> bool:
    """Digits only; Turkish 90 + 10 digits; international 8 to 15 digits."""
    if _DIGITS.fullmatch(number) is None:
        return False
    if is_local(number):
        return len(number) == 12
    return not number.startswith("0") and 8 <= len(number) <= 15
