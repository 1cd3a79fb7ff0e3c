"""The fast recognition of valid numbers agrees with phonenumbers everywhere."""

from __future__ import annotations

from collections.abc import Iterator
import random

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType, ValidationResult
import pytest

from custom_components.sms_gateway.client.numbering import Recognised, recognise

_IMPOSSIBLE = {
    ValidationResult.TOO_SHORT,
    ValidationResult.TOO_LONG,
    ValidationResult.INVALID_COUNTRY_CODE,
    ValidationResult.INVALID_LENGTH,
}
_TYPES = [
    PhoneNumberType.FIXED_LINE,
    PhoneNumberType.MOBILE,
    PhoneNumberType.TOLL_FREE,
    PhoneNumberType.PREMIUM_RATE,
    PhoneNumberType.SHARED_COST,
    PhoneNumberType.VOIP,
    PhoneNumberType.PERSONAL_NUMBER,
    PhoneNumberType.PAGER,
    PhoneNumberType.UAN,
    PhoneNumberType.VOICEMAIL,
]
type Case = tuple[bool, str, str | None]


def by_phonenumbers(
    international: bool, digits: str, region: str | None
) -> Recognised | None:
    """What phone.py concluded before the fast way: phonenumbers, step by step."""
    try:
        number = phonenumbers.parse(f"+{digits}" if international else digits, region)
    except phonenumbers.NumberParseException:
        return None
    if phonenumbers.is_possible_number_with_reason(number) in _IMPOSSIBLE:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return Recognised(
        phonenumbers.format_number(number, PhoneNumberFormat.E164),
        phonenumbers.number_type(number),
    )


def examples() -> Iterator[tuple[str, phonenumbers.PhoneNumber]]:
    """Every region's example number of every type, and the non-geographic ones."""
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in _TYPES:
            number = phonenumbers.example_number_for_type(region, kind)
            if number is not None:
                yield region, number
    for code in sorted(phonenumbers.COUNTRY_CODES_FOR_NON_GEO_REGIONS):
        number = phonenumbers.example_number_for_non_geo_entity(code)
        if number is not None:
            yield "001", number


def variants(digits: str) -> list[str]:
    """The digits, and near misses: one changed, one missing, one too many."""
    last = str((int(digits[-1]) + 1) % 10)
    first = str((int(digits[0]) + 1) % 10)
    return [digits, digits[:-1] + last, digits[:-1], digits + "5", first + digits[1:]]


def cases() -> Iterator[Case]:
    for region, number in examples():
        national = phonenumbers.national_significant_number(number)
        written = "".join(
            c
            for c in phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
            if c.isdigit()
        )
        for digits in variants(f"{number.country_code}{national}"):
            yield True, digits, None
            yield True, digits, "TR"
        if region != "001":
            for digits in {*variants(national), *variants(written)}:
                yield False, digits, region
    rng = random.Random(7)
    regions = sorted(phonenumbers.SUPPORTED_REGIONS)
    for _ in range(3000):
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(2, 15)))
        yield rng.random() < 0.5, digits, rng.choice([*regions[:20], "TR", "US", "GB"])


def test_every_answer_is_what_phonenumbers_says() -> None:
    answered = valid = 0
    disagreements: list[tuple[Case, Recognised | None, Recognised | None]] = []
    for case in cases():
        expected = by_phonenumbers(*case)
        fast = recognise(*case)
        valid += expected is not None
        if fast is not None:
            answered += 1
            if fast != expected:
                disagreements.append((case, fast, expected))
    assert disagreements == []
    # Almost every valid number is answered without phonenumbers' parser.
    assert answered > 0.95 * valid


@pytest.mark.parametrize(
    ("international", "digits", "region", "expected"),
    [
        (False, "05321234567", "TR", ("+905321234567", PhoneNumberType.MOBILE)),
        (False, "5321234567", "TR", ("+905321234567", PhoneNumberType.MOBILE)),
        (True, "905321234567", None, ("+905321234567", PhoneNumberType.MOBILE)),
        (True, "905321234567", "SA", ("+905321234567", PhoneNumberType.MOBILE)),
        (True, "902122345678", "TR", ("+902122345678", PhoneNumberType.FIXED_LINE)),
        (False, "0501234567", "SA", ("+966501234567", PhoneNumberType.MOBILE)),
        (
            False,
            "2015550123",
            "US",
            ("+12015550123", PhoneNumberType.FIXED_LINE_OR_MOBILE),
        ),
    ],
)
def test_plain_numbers_are_recognised(
    international: bool, digits: str, region: str | None, expected: tuple[str, int]
) -> None:
    assert recognise(international, digits, region) == expected


@pytest.mark.parametrize(
    ("international", "digits", "region"),
    [
        (False, "905321234567", "TR"),  # country code without +: phonenumbers decides
        (False, "00905321234567", "TR"),  # an international prefix
        (False, "0532123456", "TR"),  # too short
        (True, "0905321234567", None),  # no country code starts with 0
        (True, "90", None),
        (False, "05321234567", None),  # no region
        (False, "05321234567", "001"),
    ],
)
def test_anything_else_is_left_to_phonenumbers(
    international: bool, digits: str, region: str | None
) -> None:
    assert recognise(international, digits, region) is None
