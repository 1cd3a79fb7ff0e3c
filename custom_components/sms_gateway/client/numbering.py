"""Valid numbers recognised fast, by phonenumbers' own rules and metadata.

``phonenumbers.parse`` reads free text (RFC 3966, extensions, vanity letters)
and looks its patterns up again on every call, so 10,000 recipients cost most
of a second. The digits phone.py has cleaned need none of that: here the same
steps run in the same order on patterns compiled once per region.

Only a number that is possible and valid is answered. Whatever phonenumbers
does in more than the plain way (an international or country prefix typed
without ``+``) and every refusal answer ``None``: phonenumbers then parses the
number itself and names the problem. tests/client/test_numbering.py holds both
ways to the same answers on every region's numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
import re
from typing import Final, NamedTuple, TypeGuard

from phonenumbers import (
    COUNTRY_CODE_TO_REGION_CODE,
    REGION_CODE_FOR_NON_GEO_ENTITY,
    SUPPORTED_REGIONS,
    PhoneMetadata,
    PhoneNumberDesc,
    PhoneNumberType,
    ValidationResult,
)

# phonenumbers' bounds on a national significant number.
_MIN_NATIONAL_LENGTH: Final = 2
_MAX_NATIONAL_LENGTH: Final = 17
_MAX_COUNTRY_CODE_LENGTH: Final = 3
_KEEPS_NATIONAL_PREFIX: Final = frozenset(
    {
        ValidationResult.TOO_SHORT,
        ValidationResult.IS_POSSIBLE_LOCAL_ONLY,
        ValidationResult.INVALID_LENGTH,
    }
)
_IMPOSSIBLE: Final = frozenset(
    {
        ValidationResult.TOO_SHORT,
        ValidationResult.TOO_LONG,
        ValidationResult.INVALID_LENGTH,
    }
)


class Recognised(NamedTuple):
    """A valid number: its E.164 form and what kind of line it is."""

    e164: str
    kind: int
    """A ``phonenumbers.PhoneNumberType``."""


@dataclass(frozen=True, slots=True)
class _Desc:
    """One number type of a region: its lengths and its pattern."""

    lengths: frozenset[int]
    """Empty: any length."""
    pattern: re.Pattern[str] | None

    @classmethod
    def of(cls, desc: PhoneNumberDesc | None) -> _Desc:
        if desc is None or not desc.national_number_pattern:
            return cls(frozenset(), None)
        return cls(
            frozenset(desc.possible_length or ()),
            re.compile(desc.national_number_pattern),
        )

    def fits(self, national: str) -> bool:
        """The pattern alone, as ``_match_national_number`` in phonenumbers."""
        return self.pattern is not None and self.pattern.fullmatch(national) is not None

    def matches(self, national: str) -> bool:
        """Length and pattern, as ``_is_number_matching_desc`` in phonenumbers."""
        pattern = self.pattern
        return (
            pattern is not None
            and (not self.lengths or len(national) in self.lengths)
            and pattern.fullmatch(national) is not None
        )


@dataclass(frozen=True, slots=True)
class _Plan:
    """A region's numbering plan, compiled."""

    country_code: int
    country_code_text: str
    general: _Desc
    special: tuple[tuple[_Desc, int], ...]
    """Premium rate to voicemail, in the order phonenumbers tries them; only
    those the region has (a type without a pattern matches nothing)."""
    fixed_line: _Desc
    mobile: _Desc
    same_mobile_and_fixed_line: bool
    lengths: tuple[int, ...]
    local_lengths: frozenset[int]
    international_prefix: re.Pattern[str] | None
    national_prefix: re.Pattern[str] | None
    national_prefix_transform: str | None
    leading_digits: re.Pattern[str] | None


def _plan(country_code: int, region: str) -> _Plan | None:
    """The plan of ``region``; of ``country_code`` for "001", the non-geographic.

    For any other region the country code plays no part.
    """
    return _compiled(
        country_code if region == REGION_CODE_FOR_NON_GEO_ENTITY else 0, region
    )


@cache
def _compiled(country_code: int, region: str) -> _Plan | None:
    metadata = PhoneMetadata.metadata_for_region_or_calling_code(country_code, region)
    if metadata is None or metadata.country_code is None:
        return None
    general = metadata.general_desc
    if general is None:
        return None
    return _Plan(
        country_code=metadata.country_code,
        country_code_text=str(metadata.country_code),
        general=_Desc.of(general),
        special=tuple(
            (_Desc.of(desc), kind)
            for desc, kind in (
                (metadata.premium_rate, PhoneNumberType.PREMIUM_RATE),
                (metadata.toll_free, PhoneNumberType.TOLL_FREE),
                (metadata.shared_cost, PhoneNumberType.SHARED_COST),
                (metadata.voip, PhoneNumberType.VOIP),
                (metadata.personal_number, PhoneNumberType.PERSONAL_NUMBER),
                (metadata.pager, PhoneNumberType.PAGER),
                (metadata.uan, PhoneNumberType.UAN),
                (metadata.voicemail, PhoneNumberType.VOICEMAIL),
            )
            if desc is not None and desc.national_number_pattern
        ),
        fixed_line=_Desc.of(metadata.fixed_line),
        mobile=_Desc.of(metadata.mobile),
        same_mobile_and_fixed_line=bool(metadata.same_mobile_and_fixed_line_pattern),
        lengths=tuple(general.possible_length),
        local_lengths=frozenset(general.possible_length_local_only or ()),
        international_prefix=re.compile(metadata.international_prefix)
        if metadata.international_prefix is not None
        else None,
        national_prefix=re.compile(metadata.national_prefix_for_parsing)
        if metadata.national_prefix_for_parsing
        else None,
        national_prefix_transform=metadata.national_prefix_transform_rule or None,
        leading_digits=re.compile(metadata.leading_digits)
        if metadata.leading_digits is not None
        else None,
    )


def recognise(
    international: bool, digits: str, region: str | None
) -> Recognised | None:
    """What phonenumbers makes of cleaned ``digits``, when it is a valid number.

    ``international``: the digits followed a ``+`` (country code first);
    otherwise they are a number of ``region`` (upper case). ``None``: ask
    phonenumbers.
    """
    parsed = (
        _international(digits, region) if international else _national(digits, region)
    )
    if parsed is None:
        return None
    country_code, national = parsed
    if not _MIN_NATIONAL_LENGTH <= len(national) <= _MAX_NATIONAL_LENGTH:
        return None
    regions = COUNTRY_CODE_TO_REGION_CODE[country_code]
    main = _plan(country_code, regions[0])
    if main is None or _length_result(national, main) in _IMPOSSIBLE:
        return None
    plan = main if len(regions) == 1 else _region_plan(country_code, regions, national)
    kind = PhoneNumberType.UNKNOWN if plan is None else _type_in(national, plan)
    if kind == PhoneNumberType.UNKNOWN:
        return None
    return Recognised(f"+{country_code}{national}", kind)


def _national(digits: str, region: str | None) -> tuple[int, str] | None:
    """``parse(digits, region)`` for digits without ``+``."""
    if region is None or region not in SUPPORTED_REGIONS:
        return None
    plan = _plan(0, region)
    if plan is None or len(digits) < _MIN_NATIONAL_LENGTH:
        return None
    if plan.international_prefix is not None and plan.international_prefix.match(
        digits
    ):
        return None
    if digits.startswith(plan.country_code_text):
        return None
    return plan.country_code, _national_significant(digits, plan)


def _international(digits: str, region: str | None) -> tuple[int, str] | None:
    """``parse("+" + digits, region)``."""
    if len(digits) <= _MIN_NATIONAL_LENGTH or digits[0] == "0":
        return None
    for length in range(1, _MAX_COUNTRY_CODE_LENGTH + 1):
        country_code = int(digits[:length])
        if country_code in COUNTRY_CODE_TO_REGION_CODE:
            break
    else:
        return None
    rest = digits[length:]
    if len(rest) < _MIN_NATIONAL_LENGTH:
        return None
    number_region = COUNTRY_CODE_TO_REGION_CODE[country_code][0]
    if number_region == region and region not in SUPPORTED_REGIONS:
        return None
    plan = _plan(country_code, number_region)
    if plan is None:
        return None
    return country_code, _national_significant(rest, plan)


def _national_significant(number: str, plan: _Plan) -> str:
    """Without the national prefix, where the rest is a possible length."""
    stripped = _without_national_prefix(number, plan)
    if _length_result(stripped, plan) in _KEEPS_NATIONAL_PREFIX:
        return number
    return stripped


def _without_national_prefix(number: str, plan: _Plan) -> str:
    """As ``_maybe_strip_national_prefix_carrier_code`` in phonenumbers."""
    prefix = plan.national_prefix
    if not number or prefix is None:
        return number
    match = prefix.match(number)
    if match is None:
        return number
    if plan.national_prefix_transform is None or match.groups()[-1] is None:
        result = number[match.end() :]
    else:
        result = prefix.sub(plan.national_prefix_transform, number, count=1)
    if plan.general.fits(number) and not plan.general.fits(result):
        return number
    return result


def _length_result(national: str, plan: _Plan) -> int:
    """As ``_test_number_length`` in phonenumbers, for any type of number."""
    length = len(national)
    if length in plan.local_lengths:
        return ValidationResult.IS_POSSIBLE_LOCAL_ONLY
    shortest = plan.lengths[0]
    if shortest == length:
        return ValidationResult.IS_POSSIBLE
    if shortest > length:
        return ValidationResult.TOO_SHORT
    if plan.lengths[-1] < length:
        return ValidationResult.TOO_LONG
    if length in plan.lengths[1:]:
        return ValidationResult.IS_POSSIBLE
    return ValidationResult.INVALID_LENGTH


def _region_plan(
    country_code: int, regions: tuple[str, ...], national: str
) -> _Plan | None:
    """Of the regions that share a country code, the one the number is of.

    As ``region_code_for_number`` in phonenumbers, for ``number_type``.
    """
    return next(
        (
            plan
            for plan in (_plan(country_code, region) for region in regions)
            if _claims(plan, national)
        ),
        None,
    )


def _claims(plan: _Plan | None, national: str) -> TypeGuard[_Plan]:
    """Whether a region that shares its country code takes the number."""
    if plan is None:
        return False
    if plan.leading_digits is not None:
        return plan.leading_digits.match(national) is not None
    return _type_in(national, plan) != PhoneNumberType.UNKNOWN


def _type_in(national: str, plan: _Plan) -> int:
    """As ``_number_type_helper`` in phonenumbers."""
    if not plan.general.matches(national):
        return PhoneNumberType.UNKNOWN
    for desc, kind in plan.special:
        if desc.matches(national):
            return kind
    same = plan.same_mobile_and_fixed_line
    if plan.fixed_line.matches(national):
        if same or plan.mobile.matches(national):
            return PhoneNumberType.FIXED_LINE_OR_MOBILE
        return PhoneNumberType.FIXED_LINE
    if not same and plan.mobile.matches(national):
        return PhoneNumberType.MOBILE
    return PhoneNumberType.UNKNOWN
