"""How many parts a text costs: the server charges what the client predicts.

The emulator counts with the integration's own ``analyze_text``, whose tables
are checked against 3GPP TS 23.038 by its tests.
"""

from __future__ import annotations

from dataclasses import dataclass

from custom_components.sms_gateway.client.text import (
    Encoding,
    analyze_text,
    encoding_for_language_code,
)

LANGUAGE_NAMES = {0: "English", 1: "Turkish", 2: "Arabic"}
"""Turkey SMS reports the alphabet by these names (the document shows Arabic)."""


@dataclass(frozen=True, slots=True)
class TextCost:
    """Parts and the provider's language code (0 GSM-7, 1 Turkish, 2 Unicode)."""

    segments: int
    language_code: int


def analyze(text: str, declared_language: int | None = None) -> TextCost:
    """Count the parts of ``text`` in at least the declared alphabet."""
    floor = (
        Encoding.GSM7
        if declared_language is None
        else encoding_for_language_code(declared_language)
    )
    result = analyze_text(text, at_least=floor)
    return TextCost(segments=result.segments, language_code=result.language_code)
