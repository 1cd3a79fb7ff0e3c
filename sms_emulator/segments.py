"""What a handset receives and what the network bills: 3GPP TS 23.038 on the wire.

The emulator stands on its own: it never borrows the integration's text
analysis, so a counting mistake on either side shows up as a disagreement
(``tests/emulator/test_segment_counter_crosscheck.py``) instead of two matching
wrong numbers.

Three alphabets, one per provider language code:

* 0 — the GSM 7-bit default alphabet (§6.2.1) with its extension table
  (§6.2.1.1), an extension character costing two septets (ESC + code);
* 1 — the default alphabet with the Turkish national language single shift
  table (annex A.2.1): same costs, and a 3-octet shift element in every header;
* 2 — UCS-2 (§7) as phones use it today, i.e. UTF-16: a character outside the
  Basic Multilingual Plane is a surrogate pair of two code units.

One part carries 140 octets of user data. Concatenation adds a 6-octet user
data header (UDHL + 5-octet IE), the Turkish shift a 3-octet IE; GSM-7 text
after a header starts on the next septet boundary. That gives 160/153 septets
(GSM-7), 155/149 (Turkish shift) and 70/67 code units (UCS-2). An escape
sequence or a surrogate pair is never split between two parts.

A text declared in an alphabet that cannot carry it is delivered the way a
handset shows it: every character outside the alphabet becomes ``?``, and the
part count is that of the delivered text in the declared alphabet.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Final


class Alphabet(IntEnum):
    """The provider's language code (``sms_lang`` / ``lang``) is the alphabet."""

    GSM = 0
    TURKISH = 1
    UNICODE = 2


LANGUAGE_NAMES: Final[dict[int, str]] = {
    Alphabet.GSM: "English",
    Alphabet.TURKISH: "Turkish",
    Alphabet.UNICODE: "Arabic",
}
"""Turkey SMS reports the alphabet by these names (the document shows Arabic)."""

REPLACEMENT: Final = "?"
"""What a handset shows for a character the declared alphabet cannot carry."""

# §6.2.1, row by row (the escape, 0x1B, is not a character and is left out).
_DEFAULT_ROWS: Final = (
    "@£$¥èéùìòÇ\nØø\rÅå",
    "Δ_ΦΓΛΩΠΨΣΘΞ",
    "ÆæßÉ",
    " !\"#¤%&'()*+,-./",
    "0123456789:;<=>?",
    "¡ABCDEFGHIJKLMNO",
    "PQRSTUVWXYZÄÖÑÜ§",
    "¿abcdefghijklmno",
    "pqrstuvwxyzäöñüà",
)
DEFAULT_ALPHABET: Final = frozenset("".join(_DEFAULT_ROWS))
"""The 127 characters of the default alphabet: one septet each."""
DEFAULT_EXTENSION: Final = frozenset("\f^{}\\[~]|€")
"""§6.2.1.1: reached by ESC, two septets each."""
TURKISH_SINGLE_SHIFT: Final = DEFAULT_EXTENSION | frozenset("ĞİŞçğış")
"""Annex A.2.1: the extension characters plus Ğ İ Ş ç ğ ı ş, two septets each."""

_TWO_SEPTETS: Final = {
    Alphabet.GSM: DEFAULT_EXTENSION,
    Alphabet.TURKISH: TURKISH_SINGLE_SHIFT,
}

CAPACITY: Final = {
    Alphabet.GSM: (160, 153),
    Alphabet.TURKISH: (155, 149),
    Alphabet.UNICODE: (70, 67),
}
"""Units (septets or UTF-16 code units) in a lone part, and in each part of a
concatenated message."""

_BMP_END: Final = 0xFFFF


@dataclass(frozen=True, slots=True)
class TextCost:
    """A text as delivered: the characters a handset shows, and the parts billed."""

    text: str
    """The delivered text (characters the alphabet lacks replaced by ``?``)."""
    segments: int
    """Parts billed; 0 for an empty text."""
    language_code: int
    """The alphabet it went out in: 0 GSM-7, 1 Turkish shift, 2 UCS-2."""


def carries(alphabet: Alphabet, char: str) -> bool:
    """Whether ``alphabet`` has ``char``."""
    if alphabet is Alphabet.UNICODE:
        return True
    return char in DEFAULT_ALPHABET or char in _TWO_SEPTETS[alphabet]


def narrowest_alphabet(text: str) -> Alphabet:
    """The cheapest alphabet that carries every character of ``text``."""
    for alphabet in (Alphabet.GSM, Alphabet.TURKISH):
        if all(carries(alphabet, char) for char in text):
            return alphabet
    return Alphabet.UNICODE


def unit_width(alphabet: Alphabet, char: str) -> int:
    """Septets (GSM-7) or UTF-16 code units (UCS-2) one character takes."""
    if alphabet is Alphabet.UNICODE:
        return 2 if ord(char) > _BMP_END else 1
    return 2 if char in _TWO_SEPTETS[alphabet] else 1


def count_parts(text: str, alphabet: Alphabet) -> int:
    """Parts ``text`` needs in ``alphabet``; a 2-unit character stays whole."""
    widths = [unit_width(alphabet, char) for char in text]
    lone, each = CAPACITY[alphabet]
    if sum(widths) <= lone:
        return 1 if widths else 0
    parts, room = 1, each
    for width in widths:
        if width > room:
            parts += 1
            room = each
        room -= width
    return parts


def deliver(text: str, alphabet: Alphabet | None = None) -> TextCost:
    """The text a handset shows and its parts, in ``alphabet`` or the narrowest.

    ``None`` picks the narrowest alphabet that carries the whole text (what the
    network does when nothing is declared). A declared alphabet is used as is:
    wider than needed costs more parts, narrower loses characters.
    """
    chosen = narrowest_alphabet(text) if alphabet is None else alphabet
    delivered = "".join(char if carries(chosen, char) else REPLACEMENT for char in text)
    return TextCost(
        text=delivered,
        segments=count_parts(delivered, chosen),
        language_code=int(chosen),
    )


def analyze(text: str, declared_language: int | None = None) -> TextCost:
    """:func:`deliver` with the provider's language code (0, 1, 2 or absent)."""
    alphabet = None if declared_language is None else Alphabet(declared_language)
    return deliver(text, alphabet)
