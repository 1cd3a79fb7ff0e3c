"""SMS text analysis: which encoding a message needs and how many parts it costs.

Providers bill per part, so the count has to match what the network does, not an
approximation: a GSM-7 escape pair and a UTF-16 surrogate pair are never split
between two parts, which can add a part that plain division would miss.

The character tables are transcribed from 3GPP TS 23.038.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING
import unicodedata

if TYPE_CHECKING:
    from collections.abc import Mapping


class Encoding(StrEnum):
    """The alphabet a message is sent in."""

    GSM7 = "gsm7"
    """GSM 03.38 default alphabet with the default extension table."""
    GSM7_TURKISH = "gsm7_turkish"
    """GSM 03.38 default alphabet with the Turkish national single-shift table."""
    UCS2 = "ucs2"
    """UTF-16, for anything GSM-7 cannot carry."""

    @property
    def language_code(self) -> int:
        """The providers' language parameter: 0 GSM-7, 1 Turkish, 2 Unicode."""
        return _LANGUAGE_CODES[self]


@dataclass(frozen=True, slots=True)
class TextAnalysis:
    """What sending a text costs."""

    text: str
    """The NFC-normalised text: send this, since the count was made for it."""
    encoding: Encoding
    units: int
    """Septets for GSM-7 (an escaped character counts 2), UTF-16 code units for UCS-2."""
    segments: int
    """Number of SMS parts; 0 for an empty text."""
    language_code: int
    """The provider's language parameter: 0 GSM-7, 1 Turkish, 2 Unicode."""


# 3GPP TS 23.038 §6.2.1: the default alphabet, indexed by septet. Position 0x1B is
# the escape to the extension table, not a character; it holds a placeholder that
# is left out of the lookup below.
_ESCAPE = 0x1B
DEFAULT_ALPHABET = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ"
    " !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
"""The GSM 7-bit default alphabet; the character at index n is septet n."""

DEFAULT_EXTENSION: Mapping[str, int] = MappingProxyType(
    {
        "\f": 0x0A,
        "^": 0x14,
        "{": 0x28,
        "}": 0x29,
        "\\": 0x2F,
        "[": 0x3C,
        "~": 0x3D,
        "]": 0x3E,
        "|": 0x40,
        "€": 0x65,
    }
)
"""3GPP TS 23.038 §6.2.1.1: characters reached by ESC + septet."""

TURKISH_SINGLE_SHIFT: Mapping[str, int] = MappingProxyType(
    {
        **DEFAULT_EXTENSION,
        "Ğ": 0x47,
        "İ": 0x49,
        "Ş": 0x53,
        "ç": 0x63,
        "ğ": 0x67,
        "\u0131": 0x69,  # dotless small i
        "ş": 0x73,
    }
)
"""3GPP TS 23.038 annex A.2.1: the Turkish national language single-shift table."""

_BASIC_CHARS = frozenset(DEFAULT_ALPHABET) - {chr(_ESCAPE)}
_GSM7_EXTENDED = frozenset(DEFAULT_EXTENSION)
_TURKISH_EXTENDED = frozenset(TURKISH_SINGLE_SHIFT)
_GSM7_CHARS = _BASIC_CHARS | _GSM7_EXTENDED
_TURKISH_CHARS = _BASIC_CHARS | _TURKISH_EXTENDED

# Capacity of one SMS: 140 octets of user data. A user data header (UDH) takes
# room from that, and in GSM-7 the septets after it start on a septet boundary.
_USER_DATA_OCTETS = 140
_UDH_LENGTH_OCTETS = 1  # the UDHL octet itself
_CONCAT_IE_OCTETS = 5  # IEI 0x00 + length + reference, total, sequence
_SHIFT_IE_OCTETS = 3  # IEI 0x24 + length + language identifier


def _septets(udh_octets: int) -> int:
    """Septets left for text after a header of this many octets (0 = no header)."""
    header_bits = udh_octets * 8
    header_septets = -(-header_bits // 7)  # rounded up to the septet boundary
    return _USER_DATA_OCTETS * 8 // 7 - header_septets


def _udh(*elements: int) -> int:
    """Length of a header carrying these information elements (0 if none)."""
    return _UDH_LENGTH_OCTETS + sum(elements) if elements else 0


_GSM7_SINGLE = _septets(_udh())  # 160
_GSM7_MULTI = _septets(_udh(_CONCAT_IE_OCTETS))  # 153
_TURKISH_SINGLE = _septets(_udh(_SHIFT_IE_OCTETS))  # 155
_TURKISH_MULTI = _septets(_udh(_CONCAT_IE_OCTETS, _SHIFT_IE_OCTETS))  # 149
_UCS2_SINGLE = _USER_DATA_OCTETS // 2  # 70
_UCS2_MULTI = (_USER_DATA_OCTETS - _udh(_CONCAT_IE_OCTETS)) // 2  # 67

_LANGUAGE_CODES: Mapping[Encoding, int] = MappingProxyType(
    {Encoding.GSM7: 0, Encoding.GSM7_TURKISH: 1, Encoding.UCS2: 2}
)


def _count_parts(
    text: str, units: int, wide: frozenset[str], single: int, multi: int
) -> int:
    """Count parts, keeping each 2-unit character (in ``wide``) within one part."""
    if units <= single:
        return 1 if units else 0
    if units == len(text):  # every character costs one unit: nothing to keep whole
        return -(-units // multi)
    parts, used = 1, 0
    for char in text:
        cost = 2 if char in wide else 1
        used += cost
        if used > multi:
            parts += 1
            used = cost
    return parts


def _astral(text: str) -> frozenset[str]:
    """Characters outside the BMP: a surrogate pair, two UTF-16 code units each."""
    return frozenset(char for char in set(text) if ord(char) > 0xFFFF)


def analyze_text(text: str) -> TextAnalysis:
    """Pick the cheapest encoding that carries ``text`` and count its parts exactly."""
    text = unicodedata.normalize("NFC", text)
    chars = set(text)
    if chars <= _GSM7_CHARS:
        encoding = Encoding.GSM7
        wide = _GSM7_EXTENDED & chars
        single, multi = _GSM7_SINGLE, _GSM7_MULTI
    elif chars <= _TURKISH_CHARS:
        encoding = Encoding.GSM7_TURKISH
        wide = _TURKISH_EXTENDED & chars
        single, multi = _TURKISH_SINGLE, _TURKISH_MULTI
    else:
        encoding = Encoding.UCS2
        wide = _astral(text)
        single, multi = _UCS2_SINGLE, _UCS2_MULTI
    units = len(text) + sum(text.count(char) for char in wide)
    return TextAnalysis(
        text=text,
        encoding=encoding,
        units=units,
        segments=_count_parts(text, units, wide, single, multi),
        language_code=encoding.language_code,
    )


type SmsText = str | TextAnalysis
"""A text to send, or its analysis when the caller has already made it."""


def analysis_of(text: SmsText) -> TextAnalysis:
    """The caller's analysis, so that a text is analysed once per send."""
    return text if isinstance(text, TextAnalysis) else analyze_text(text)
