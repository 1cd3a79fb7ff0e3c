"""Phone number normalisation, validation, de-duplication and masking."""

from __future__ import annotations

import dataclasses
import random

import pytest

from custom_components.sms_gateway.client.phone import (
    ParsedNumbers,
    PhoneNumber,
    PhoneNumberError,
    PhoneNumberProblem,
    mask_number,
    parse_phone_number,
    parse_phone_numbers,
)
from tests.tables import cases_by_outcome

TR_MOBILE = "+905321234567"
SA_MOBILE = "+966501234567"

LRM, RLM = "\u200e", "\u200f"
LRI, PDI = "\u2066", "\u2069"
RLE, PDF = "\u202b", "\u202c"
ZWSP, ZWJ, BOM, WJ = "\u200b", "\u200d", "\ufeff", "\u2060"


@pytest.mark.parametrize(
    ("raw", "region", "e164"),
    [
        ("05321234567", "TR", TR_MOBILE),
        ("+90 532 123 45 67", None, TR_MOBILE),
        ("+90 532 123 45 67", "SA", TR_MOBILE),  # the + wins over the region
        ("0090 532 123 4567", None, TR_MOBILE),
        ("0090 532 123 4567", "TR", TR_MOBILE),
        ("(0532) 123-45-67", "TR", TR_MOBILE),
        ("+90.532.123.45.67", None, TR_MOBILE),
        ("+90\u00a0532\u2009123\u202f45 67", None, TR_MOBILE),  # no-break spaces
        ("+90\u2013532\u2011123\u221245\u201067", None, TR_MOBILE),  # dash variants
        ("  05321234567\r\n", "TR", TR_MOBILE),
        ("05321234567", "tr", TR_MOBILE),
        ("05321234567", " TR ", TR_MOBILE),
        ("٠٥٣٢١٢٣٤٥٦٧", "TR", TR_MOBILE),  # Arabic-Indic digits
        ("۰۵۳۲۱۲۳۴۵۶۷", "TR", TR_MOBILE),  # Eastern Arabic-Indic (Persian) digits
        ("+٩٠٥٣٢١٢٣٤٥٦٧", None, TR_MOBILE),
        ("０５３２１２３４５６７", "TR", TR_MOBILE),  # fullwidth digits
        ("＋９０（５３２）１２３－４５６７", None, TR_MOBILE),  # fullwidth
        ("+९०५३२१२३४५६७", None, TR_MOBILE),  # any script's decimal digits
        ("0501234567", "SA", SA_MOBILE),
        ("050 123 4567", "SA", SA_MOBILE),
        ("+966 50 123 4567", None, SA_MOBILE),
        ("٠٥٠١٢٣٤٥٦٧", "SA", SA_MOBILE),
        ("+1 (201) 555-0123", None, "+12015550123"),
    ],
)
def test_numbers_are_normalised_to_e164(
    raw: str, region: str | None, e164: str
) -> None:
    assert parse_phone_number(raw, region).e164 == e164


@pytest.mark.parametrize(
    "raw",
    [
        f"{LRM}+905321234567{RLM}",
        f"{RLM}+90 532 123 45 67{LRM}",
        f"{LRI}+905321234567{PDI}",
        f"{RLE}+90\u202d532\u202e1234567{PDF}",
        f"+90{ZWSP}532{ZWJ}1234567{WJ}",
        f"{BOM}+905321234567",
        "\u061c+905321234567",  # Arabic letter mark
        "\u202a0090 532 123 45 67\u202c",
    ],
)
def test_bidi_and_zero_width_marks_are_ignored(raw: str) -> None:
    assert parse_phone_number(raw).e164 == TR_MOBILE


def test_an_integer_parses_with_the_default_region() -> None:
    # A template that renders 5321234567 gives Home Assistant an integer.
    assert parse_phone_number(5321234567, "TR").e164 == TR_MOBILE


def test_an_octal_integer_from_unquoted_yaml_is_refused() -> None:
    # YAML 1.1 reads an unquoted 05321234567 as the octal number 725956983.
    with pytest.raises(PhoneNumberError):
        parse_phone_number(0o5321234567, "TR", require_mobile=True)


def test_integer_with_country_code_parses_in_its_own_region() -> None:
    assert parse_phone_number(905321234567, "TR").e164 == TR_MOBILE


def test_integer_has_no_plus_so_it_needs_a_region() -> None:
    with pytest.raises(PhoneNumberError) as caught:
        parse_phone_number(905321234567)
    assert caught.value.reason is PhoneNumberProblem.NO_COUNTRY


def test_parts_of_a_number_for_the_providers() -> None:
    number = parse_phone_number("0532 123 45 67", "TR")
    assert number.e164 == "+905321234567"
    assert number.digits == "905321234567"
    assert number.region == "TR"
    assert number.masked == "+90*******67"


@pytest.mark.parametrize(
    ("e164", "region"),
    [
        (TR_MOBILE, "TR"),
        (SA_MOBILE, "SA"),
        ("+12015550123", "US"),
        ("+16135550123", "CA"),
        ("+80012345678", None),  # international freephone: no region
    ],
)
def test_region_of_a_number(e164: str, region: str | None) -> None:
    assert parse_phone_number(e164).region == region


PROBLEMS: dict[PhoneNumberProblem, list[tuple[str, str | None]]] = {
    PhoneNumberProblem.EMPTY: [
        ("", "TR"),
        ("   ", "TR"),
        (f"{LRM}{RLM} ", "TR"),
        ("+", None),
        ("00", None),
        ("( - )", "TR"),
    ],
    PhoneNumberProblem.LETTERS: [
        ("abc", "TR"),
        ("0532 ABC 45 67", "TR"),
        ("1-800-FLOWERS", "US"),
        ("tel:+905321234567", None),
        ("٠٥٣٢ب١٢٣٤٥٦٧", "TR"),
        ("+905321234567&text=hi", None),
    ],
    PhoneNumberProblem.EXTENSION: [
        ("+90 532 123 45 67 ext 12", None),
        ("+90 532 123 45 67 ext. 12", None),
        ("+90 532 123 45 67 EXT12", None),
        ("+90 532 123 45 67 extension 12", None),
        ("+905321234567x123", None),
        ("05321234567 X 9", "TR"),
        ("+905321234567;ext=12", None),
        ("+905321234567#12", None),
        ("+905321234567,12", None),
    ],
    PhoneNumberProblem.INVALID_CHARACTERS: [
        ("+905321234567\n+966501234567", None),
        ("0532\r1234567", "TR"),
        ("0532&1234567", "TR"),
        ("0532=1234567", "TR"),
        ("+905321234567;12", None),
        ("+905321234567,", None),
        ("+905321234567#", None),
        ("05321234567/8", "TR"),
        ("+90+5321234567", None),
        ("++905321234567", None),
        ("0532*1234567", "TR"),
        ("0532½1234567", "TR"),
    ],
    PhoneNumberProblem.TOO_LONG: [
        ("+1234567890123456", None),
        ("00 1234 5678 9012 3456", None),
        ("1234567890123456", None),
    ],
    PhoneNumberProblem.TOO_SHORT: [
        ("+90532", None),
        ("1", "TR"),
        ("12", "TR"),
        ("+1", None),
        ("001", None),
    ],
    PhoneNumberProblem.INVALID: [
        ("+90 532 123 456", None),
        ("+90 532 123 45 67 8", None),
        ("+999 123 456 78", None),  # no such country
        ("05001234567", "TR"),
        ("0501234567", "TR"),  # Saudi spelling, TR region
    ],
    PhoneNumberProblem.NO_COUNTRY: [
        ("05321234567", None),
        ("5321234567", None),
        ("05321234567", "XX"),  # unknown region
        ("05321234567", ""),
    ],
}


@pytest.mark.parametrize(("raw", "region", "problem"), cases_by_outcome(PROBLEMS))
def test_each_problem_has_a_reason(
    raw: str, region: str | None, problem: PhoneNumberProblem
) -> None:
    with pytest.raises(PhoneNumberError) as caught:
        parse_phone_number(raw, region)
    assert caught.value.reason is problem


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (None, PhoneNumberProblem.EMPTY),  # an empty YAML value
        (5321234567.0, PhoneNumberProblem.INVALID_CHARACTERS),  # a float loses digits
        (True, PhoneNumberProblem.INVALID_CHARACTERS),
        (["+905321234567"], PhoneNumberProblem.INVALID_CHARACTERS),
    ],
)
def test_values_that_are_neither_text_nor_integer_are_refused(
    raw: object, problem: PhoneNumberProblem
) -> None:
    with pytest.raises(PhoneNumberError) as caught:
        parse_phone_number(raw, "TR")  # type: ignore[arg-type]
    assert caught.value.reason is problem


@pytest.mark.parametrize(
    "raw",
    [
        "+90 212 234 56 78",  # Istanbul landline
        "+90 850 123 45 67",  # Turkish shared-cost
        "+966 11 234 5678",  # Riyadh landline
        "+800 1234 5678",  # international freephone
    ],
)
def test_require_mobile_refuses_numbers_that_cannot_receive_sms(raw: str) -> None:
    assert parse_phone_number(raw).e164.startswith("+")
    with pytest.raises(PhoneNumberError) as caught:
        parse_phone_number(raw, require_mobile=True)
    assert caught.value.reason is PhoneNumberProblem.NOT_MOBILE


@pytest.mark.parametrize(
    "raw",
    [TR_MOBILE, SA_MOBILE, "+12015550123"],  # US numbers are fixed-line-or-mobile
)
def test_require_mobile_accepts_mobiles(raw: str) -> None:
    assert parse_phone_number(raw, require_mobile=True).e164 == raw


def test_error_carries_the_reason_but_never_the_number() -> None:
    with pytest.raises(PhoneNumberError) as caught:
        parse_phone_number("+90 532 123 45 67 ext 12")
    error = caught.value
    assert isinstance(error, ValueError)
    assert error.reason is PhoneNumberProblem.EXTENSION
    assert "extension" in str(error)
    for fragment in ("532", "1234567", "45 67"):
        assert fragment not in str(error)
        assert fragment not in repr(error)


def test_parse_errors_do_not_chain_the_library_exception() -> None:
    # The library's message repeats the input; a chained cause would log it.
    with pytest.raises(PhoneNumberError) as caught:
        parse_phone_number("+999 123 456 78")
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__


def test_problem_values_are_stable() -> None:
    assert [problem.value for problem in PhoneNumberProblem] == [
        "empty",
        "letters",
        "extension",
        "invalid_characters",
        "too_short",
        "too_long",
        "invalid",
        "not_mobile",
        "no_country",
    ]


# --- PhoneNumber ---


def test_phone_number_is_immutable_hashable_and_ordered() -> None:
    tr, sa = PhoneNumber(TR_MOBILE), PhoneNumber(SA_MOBILE)
    assert tr == parse_phone_number("05321234567", "TR")
    assert len({tr, PhoneNumber(TR_MOBILE)}) == 1
    assert sorted([sa, tr]) == [tr, sa]
    with pytest.raises(dataclasses.FrozenInstanceError):
        tr.e164 = SA_MOBILE  # type: ignore[misc]


def test_phone_number_repr_is_masked() -> None:
    number = PhoneNumber(TR_MOBILE)
    assert repr(number) == "PhoneNumber('+90*******67')"
    assert "5321234567" not in f"{number} {[number]}"


@pytest.mark.parametrize(
    "e164", ["905321234567", "+0905321234567", "+9", "", "+1234567890123456"]
)
def test_phone_number_requires_e164(e164: str) -> None:
    with pytest.raises(PhoneNumberError) as caught:
        PhoneNumber(e164)
    assert caught.value.reason is PhoneNumberProblem.INVALID


# --- Lists ---


def test_one_number_in_many_spellings_is_sent_once() -> None:
    result = parse_phone_numbers(
        ["05321234567", "+905321234567", "00905321234567", 5321234567], "TR"
    )
    assert result == ParsedNumbers(
        valid=(PhoneNumber(TR_MOBILE),), invalid=(), duplicates=3
    )


def test_list_keeps_first_seen_order_and_reports_bad_numbers() -> None:
    result = parse_phone_numbers(
        [
            "+966 50 123 4567",
            "abc",
            "05321234567",
            "",
            "0501234567",  # valid in SA, not in TR
            "+966501234567",
            "05321234567 ext 1",
            "abc",
        ],
        "TR",
    )
    assert result.valid == (PhoneNumber(SA_MOBILE), PhoneNumber(TR_MOBILE))
    assert result.invalid == (
        ("abc", PhoneNumberProblem.LETTERS),
        ("", PhoneNumberProblem.EMPTY),
        ("0501234567", PhoneNumberProblem.INVALID),
        ("05321234567 ext 1", PhoneNumberProblem.EXTENSION),
        ("abc", PhoneNumberProblem.LETTERS),
    )
    assert result.duplicates == 1


def test_list_reports_integers_as_text() -> None:
    result = parse_phone_numbers([5321234567, 123], "TR")
    assert result.valid == (PhoneNumber(TR_MOBILE),)
    assert result.invalid == (("123", PhoneNumberProblem.TOO_SHORT),)


def test_list_applies_require_mobile_and_no_region() -> None:
    result = parse_phone_numbers(
        ["+902122345678", "+905321234567", "05321234567"], require_mobile=True
    )
    assert result.valid == (PhoneNumber(TR_MOBILE),)
    assert result.invalid == (
        ("+902122345678", PhoneNumberProblem.NOT_MOBILE),
        ("05321234567", PhoneNumberProblem.NO_COUNTRY),
    )


def test_list_accepts_any_iterable() -> None:
    result = parse_phone_numbers(iter(["05321234567"]), "TR")
    assert result.valid == (PhoneNumber(TR_MOBILE),)


def test_empty_list() -> None:
    assert parse_phone_numbers([]) == ParsedNumbers(valid=(), invalid=(), duplicates=0)


def test_ten_thousand_numbers_parse_each_once() -> None:
    """How fast is measured by scripts/bench (docs/benchmark.md), not here."""
    rng = random.Random(1)
    raws = [
        f"05{rng.randint(30, 49)} {rng.randint(0, 9_999_999):07d}"
        for _ in range(10_000)
    ]
    result = parse_phone_numbers(raws, "TR")
    assert result.invalid == ()
    assert len(result.valid) + result.duplicates == 10_000
    assert len({number.e164 for number in result.valid}) == len(result.valid)


# --- Masking ---


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("+905321234567", "+90*******67"),
        ("+90 532 123 45 67", "+90*******67"),
        ("00905321234567", "+90*******67"),
        (f"{RLM}+966 50 123 4567{LRM}", "+966*******67"),
        ("+12015550123", "+1*******23"),
        ("05321234567", "*******67"),
        ("٠٥٣٢١٢٣٤٥٦٧", "*******67"),
        (5321234567, "*******67"),
        ("+905321234567 ext 12", "+90*******12"),
        ("+90", "+90*******"),  # too few digits to show any
        ("+90 532", "+90*******"),
        ("1234", "*******"),
        ("abc", "*******"),
        ("+", "+*******"),
        ("+999 123 456 78", "+*******78"),  # unknown country code: none shown
        ("", ""),
        ("  ", ""),
        (None, ""),
        (1.5, "*******"),
    ],
)
def test_mask_number(value: object, masked: str) -> None:
    assert mask_number(value) == masked  # type: ignore[arg-type]


def test_mask_matches_phone_number_masked() -> None:
    for raw in ("+905321234567", "+966501234567", "+12015550123", "+80012345678"):
        assert mask_number(raw) == PhoneNumber(raw).masked


def test_mask_never_reveals_more_than_two_digits_after_the_country_code() -> None:
    for raw in ("+905321234567", "05321234567", "0090 532 123 4567", "+1 201 555 0123"):
        masked = mask_number(raw)
        assert sum(char.isdigit() for char in masked.partition("*")[2]) <= 2
