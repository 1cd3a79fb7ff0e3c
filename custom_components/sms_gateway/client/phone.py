"""Phone number normalisation: whatever a user typed or pasted, to E.164.

Numbers arrive from forms, YAML, templates and copy-paste out of chat apps, so
they carry invisible bidi marks, Arabic-Indic digits and "00" prefixes, or come
as integers (templates, unquoted YAML: YAML 1.1 even reads 05321234567 as the
octal 725956983). Everything is reduced to digits here, then ``phonenumbers``
decides whether the number exists, so a mangled integer is refused.

A phone number is personal data: no exception message or mask returned here
ever holds a complete number.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
import re
from typing import TYPE_CHECKING
import unicodedata

import phonenumbers

from .numbering import recognise

if TYPE_CHECKING:
    from collections.abc import Iterable

_MAX_E164_DIGITS = 15
_MASK = "*******"
_MIN_DIGITS_TO_SHOW_TAIL = 6  # below this, the last two digits are most of it
_E164 = re.compile(r"\+[1-9][0-9]{1,14}")


class PhoneNumberProblem(StrEnum):
    """Why a number was refused, for messages and translations."""

    EMPTY = "empty"
    LETTERS = "letters"
    EXTENSION = "extension"
    INVALID_CHARACTERS = "invalid_characters"
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    INVALID = "invalid"
    NOT_MOBILE = "not_mobile"
    NO_COUNTRY = "no_country"


class PhoneNumberError(ValueError):
    """A number that cannot be sent to; the message never contains the number."""

    reason: PhoneNumberProblem

    def __init__(self, reason: PhoneNumberProblem) -> None:
        super().__init__(f"Invalid phone number: {reason.value}")
        self.reason = reason


@dataclass(frozen=True, slots=True, order=True)
class PhoneNumber:
    """A valid number in E.164 form, e.g. ``+905321234567``."""

    e164: str

    def __post_init__(self) -> None:
        if not _E164.fullmatch(self.e164):
            raise PhoneNumberError(PhoneNumberProblem.INVALID)

    def __repr__(self) -> str:
        """Keep full numbers out of logs that print objects."""
        return f"PhoneNumber({self.masked!r})"

    @property
    def digits(self) -> str:
        """The number as the providers want it: digits only, no ``+`` or ``00``."""
        return self.e164[1:]

    @property
    def region(self) -> str | None:
        """ISO 3166 region, e.g. ``TR``; None for non-geographic numbers."""
        region = phonenumbers.region_code_for_number(phonenumbers.parse(self.e164))
        return region if region and region.isalpha() and region != "ZZ" else None

    @property
    def masked(self) -> str:
        """Country code and last two digits only, e.g. ``+90*******67``."""
        return _mask_international(self.digits)


# Characters that carry no meaning in a number but arrive with pasted text.
_INVISIBLE = (
    "\u061c"  # Arabic letter mark
    "\u200b\u200c\u200d"  # zero-width space, non-joiner, joiner
    "\u200e\u200f"  # left-to-right / right-to-left mark
    "\u202a\u202b\u202c\u202d\u202e"  # bidi embeddings and overrides
    "\u2060"  # word joiner
    "\u2066\u2067\u2068\u2069"  # bidi isolates
    "\ufeff"  # zero-width no-break space / byte order mark
)
# Visual grouping that people and address books put between digits.
_SEPARATORS = (
    " \t\u00a0\u2007\u2009\u202f\u3000"  # spaces
    "-\u2010\u2011\u2012\u2013\u2212\uff0d"  # dashes and minus signs
    ".\uff0e()\uff08\uff09"  # dots and parentheses, also fullwidth
)
_TRANSLATION = str.maketrans(
    {
        **dict.fromkeys(_INVISIBLE + _SEPARATORS),
        **{chr(0x0660 + n): str(n) for n in range(10)},  # Arabic-Indic
        **{chr(0x06F0 + n): str(n) for n in range(10)},  # Eastern Arabic-Indic
        **{chr(0xFF10 + n): str(n) for n in range(10)},  # fullwidth
        "\uff0b": "+",  # fullwidth plus
    }
)
_NUMBER = re.compile(r"(\+?)([0-9]*)")
_WITH_EXTENSION = re.compile(r"\+?[0-9]+(?:extension|ext|x|#|,|;ext=)[0-9]+", re.I)


def _to_text(raw: object) -> str:
    """Accept what configuration can hold: text, or an int (templates, YAML)."""
    if isinstance(raw, str):
        return raw
    if isinstance(raw, int) and not isinstance(raw, bool):
        return str(raw)
    if raw is None:
        return ""
    raise PhoneNumberError(PhoneNumberProblem.INVALID_CHARACTERS)


def _clean(raw: object) -> tuple[bool, str]:
    """Reduce input to (has a leading ``+`` or ``00``, ASCII digits)."""
    if type(raw) is str and raw.isascii():  # the usual spellings, as they are
        if raw.isdigit():
            return (True, raw[2:]) if raw.startswith("00") else (False, raw)
        if raw.startswith("+") and raw[1:].isdigit():
            return True, raw[1:]
    text = _to_text(raw).translate(_TRANSLATION).strip()
    if not text.isascii():  # digits of scripts without a fast path above
        text = "".join(
            str(unicodedata.decimal(char)) if char.isdecimal() else char
            for char in text
        )
    if not text:
        raise PhoneNumberError(PhoneNumberProblem.EMPTY)
    if (match := _NUMBER.fullmatch(text)) is None:
        if _WITH_EXTENSION.fullmatch(text):
            raise PhoneNumberError(PhoneNumberProblem.EXTENSION)
        if any(char.isalpha() for char in text):
            raise PhoneNumberError(PhoneNumberProblem.LETTERS)
        raise PhoneNumberError(PhoneNumberProblem.INVALID_CHARACTERS)
    plus, digits = match.groups()
    if not plus and digits.startswith("00"):
        return True, digits[2:]
    return bool(plus), digits


_POSSIBILITY_PROBLEMS = {
    phonenumbers.ValidationResult.TOO_SHORT: PhoneNumberProblem.TOO_SHORT,
    phonenumbers.ValidationResult.TOO_LONG: PhoneNumberProblem.TOO_LONG,
    phonenumbers.ValidationResult.INVALID_COUNTRY_CODE: PhoneNumberProblem.INVALID,
    phonenumbers.ValidationResult.INVALID_LENGTH: PhoneNumberProblem.INVALID,
}
_PARSE_PROBLEMS = {
    phonenumbers.NumberParseException.TOO_SHORT_AFTER_IDD: PhoneNumberProblem.TOO_SHORT,
    phonenumbers.NumberParseException.TOO_SHORT_NSN: PhoneNumberProblem.TOO_SHORT,
    phonenumbers.NumberParseException.NOT_A_NUMBER: PhoneNumberProblem.TOO_SHORT,
    phonenumbers.NumberParseException.TOO_LONG: PhoneNumberProblem.TOO_LONG,
}
_MOBILE_TYPES = frozenset(
    {
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    }
)


def _parse_clean(
    international: bool, digits: str, region: str | None, require_mobile: bool
) -> PhoneNumber:
    """Validate cleaned digits with ``phonenumbers``."""
    if not digits:
        raise PhoneNumberError(PhoneNumberProblem.EMPTY)
    if len(digits) > _MAX_E164_DIGITS:
        raise PhoneNumberError(PhoneNumberProblem.TOO_LONG)
    if not international and region is None:
        raise PhoneNumberError(PhoneNumberProblem.NO_COUNTRY)
    if (known := recognise(international, digits, region)) is not None and (
        not require_mobile or known.kind in _MOBILE_TYPES
    ):
        return PhoneNumber(known.e164)
    try:
        number = phonenumbers.parse(f"+{digits}" if international else digits, region)
    except phonenumbers.NumberParseException as err:
        if err.error_type == phonenumbers.NumberParseException.INVALID_COUNTRY_CODE:
            problem = (
                PhoneNumberProblem.INVALID
                if international
                else PhoneNumberProblem.NO_COUNTRY
            )
        else:
            problem = _PARSE_PROBLEMS.get(err.error_type, PhoneNumberProblem.INVALID)
        raise PhoneNumberError(problem) from None
    possibility = phonenumbers.is_possible_number_with_reason(number)
    if (impossible := _POSSIBILITY_PROBLEMS.get(possibility)) is not None:
        raise PhoneNumberError(impossible)
    if not phonenumbers.is_valid_number(number):
        raise PhoneNumberError(PhoneNumberProblem.INVALID)
    if require_mobile and phonenumbers.number_type(number) not in _MOBILE_TYPES:
        raise PhoneNumberError(PhoneNumberProblem.NOT_MOBILE)
    return PhoneNumber(
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    )


def _outcome(
    international: bool, digits: str, region: str | None, require_mobile: bool
) -> PhoneNumber | PhoneNumberProblem:
    """Like _parse_clean, with the problem returned rather than raised."""
    try:
        return _parse_clean(international, digits, region, require_mobile)
    except PhoneNumberError as err:
        return err.reason


def _region(default_region: str | None) -> str | None:
    """Accept ``tr`` as well as ``TR``; an empty region means none."""
    if default_region is None:
        return None
    return default_region.strip().upper() or None


def parse_phone_number(
    raw: str | int, default_region: str | None = None, *, require_mobile: bool = False
) -> PhoneNumber:
    """Normalise one number to E.164, or raise PhoneNumberError saying why not.

    ``default_region`` (ISO 3166, e.g. ``TR``) applies to numbers written without
    a country code; ``require_mobile`` refuses numbers that cannot receive SMS.
    """
    international, digits = _clean(raw)
    return _parse_clean(international, digits, _region(default_region), require_mobile)


@dataclass(frozen=True, slots=True)
class ParsedNumbers:
    """A recipient list split into numbers to send to and numbers to report."""

    valid: tuple[PhoneNumber, ...]
    """De-duplicated, in the order first seen."""
    invalid: tuple[tuple[str, PhoneNumberProblem], ...]
    """The input as given (as text) and why it was refused; mask it before logging."""
    duplicates: int
    """How many inputs were dropped because an earlier one was the same number."""


def parse_phone_numbers(
    raws: Iterable[str | int],
    default_region: str | None = None,
    *,
    require_mobile: bool = False,
) -> ParsedNumbers:
    """Normalise a recipient list: one bad number must not sink the whole send."""
    region = _region(default_region)
    valid: dict[str, PhoneNumber] = {}
    invalid: list[tuple[str, PhoneNumberProblem]] = []
    duplicates = 0
    # The same number is often repeated in the same spelling: parse it once.
    outcomes: dict[tuple[bool, str], PhoneNumber | PhoneNumberProblem] = {}
    for raw in raws:
        try:
            key = _clean(raw)
        except PhoneNumberError as err:
            outcome: PhoneNumber | PhoneNumberProblem = err.reason
        else:
            if (known := outcomes.get(key)) is None:
                known = outcomes[key] = _outcome(*key, region, require_mobile)
            outcome = known
        if isinstance(outcome, PhoneNumber):
            if outcome.e164 in valid:
                duplicates += 1
            else:
                valid[outcome.e164] = outcome
        else:
            invalid.append((raw if isinstance(raw, str) else str(raw), outcome))
    return ParsedNumbers(tuple(valid.values()), tuple(invalid), duplicates)


def _country_code(digits: str) -> str | None:
    """Find the country calling code that international ``digits`` start with."""
    for length in (1, 2, 3):
        if int(digits[:length] or 0) in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
            return digits[:length]
    return None


def _mask_international(digits: str) -> str:
    code = _country_code(digits) or ""
    rest = digits[len(code) :]
    tail = rest[-2:] if len(rest) >= _MIN_DIGITS_TO_SHOW_TAIL else ""
    return f"+{code}{_MASK}{tail}"


def mask_number(value: str | int) -> str:
    """Mask anything number-like for logs, the way PhoneNumber.masked does.

    Works on input that failed validation too, so a rejected number can be
    mentioned in a log without exposing it.
    """
    try:
        text = _to_text(value).translate(_TRANSLATION).strip()
    except PhoneNumberError:
        return _MASK
    if not text:
        return ""
    digits = "".join(char for char in text if "0" <= char <= "9")
    if text.startswith("+"):
        return _mask_international(digits)
    if digits.startswith("00"):
        return _mask_international(digits[2:])
    tail = digits[-2:] if len(digits) >= _MIN_DIGITS_TO_SHOW_TAIL else ""
    return f"{_MASK}{tail}"
