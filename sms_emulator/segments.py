"""How many parts a text costs, counted the same way as the integration.

Charging must agree with what the client predicts, so the integration's own
``analyze_text`` is used. Only when the integration cannot be imported (the
emulator run on its own) does a plain GSM-7 / Turkish / UCS-2 count stand in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
import importlib
import logging
import math

_LOGGER = logging.getLogger(__name__)

GSM7 = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")
TURKISH_EXTRA = frozenset("ĞİŞçğış")

INTEGRATION_MODULE = "custom_components.sms_gateway.client.text"

LANGUAGE_NAMES = {0: "English", 1: "Turkish", 2: "Arabic"}
"""Turkey SMS reports the alphabet by these names (the document shows Arabic)."""


@dataclass(frozen=True, slots=True)
class TextCost:
    """Parts and the provider's language code (0 GSM-7, 1 Turkish, 2 Unicode)."""

    segments: int
    language_code: int


def analyze(text: str) -> TextCost:
    """Count the parts of ``text``."""
    result = _analyzer()(text)
    return TextCost(segments=result.segments, language_code=result.language_code)


@cache
def _analyzer() -> Callable[[str], TextCost]:
    # Imported by name so that type-checking the emulator does not depend on
    # the integration's modules; the tests check the two counts agree.
    try:
        module = importlib.import_module(INTEGRATION_MODULE)
    except ImportError:  # pragma: no cover - only outside this repository
        _LOGGER.warning("integration text analysis unavailable; using a plain count")
        return fallback_analyze
    analyze_text = module.analyze_text

    def _wrapped(text: str) -> TextCost:
        result = analyze_text(text)
        return TextCost(
            segments=int(result.segments), language_code=int(result.language_code)
        )

    return _wrapped


def fallback_analyze(text: str) -> TextCost:
    """A plain count: no surrogate or escape-pair splitting rules."""
    if not text:
        return TextCost(0, 0)
    chars = set(text)
    gsm = GSM7 | GSM7_EXTENSION
    if chars <= gsm:
        single, multi, code = 160, 153, 0
    elif chars <= gsm | TURKISH_EXTRA:
        single, multi, code = 155, 149, 1
    else:
        units = len(text.encode("utf-16-le")) // 2
        return TextCost(1 if units <= 70 else math.ceil(units / 67), 2)
    units = sum(2 if char in GSM7_EXTENSION else 1 for char in text)
    return TextCost(1 if units <= single else math.ceil(units / multi), code)
