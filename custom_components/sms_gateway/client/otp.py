"""One-time codes: the template a code goes out in, the code, and its receipt.

``OtpTemplate`` is a code's text analysed once, so that a caller that has
checked it hands the analysis on to whichever provider sends it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
import secrets
from typing import Final
import unicodedata

from .text import TextAnalysis, analyze_text

OTP_PLACEHOLDER: Final = "{code}"
DEFAULT_OTP_TEMPLATE: Final = "Your verification code is {code}"


@dataclass(frozen=True, slots=True)
class OtpReceipt:
    """An OTP that went out; the code is returned once, to be kept only hashed."""

    number: str
    code: str
    message_id: str | None
    segments: int | None


@dataclass(frozen=True, slots=True)
class OtpTemplate:
    """A one-time code's text, analysed once for every provider that sends it.

    ``text`` is the NFC form with the placeholder; ``analysis`` is what the
    text costs with a code of ``digits`` digits in its place (every code of
    that length costs the same).
    """

    text: str
    digits: int
    analysis: TextAnalysis

    def with_code(self, code: str) -> TextAnalysis:
        """The analysis of the text that goes out with ``code`` in it."""
        return replace(self.analysis, text=self.text.replace(OTP_PLACEHOLDER, code))


def otp_template(template: str, digits: int) -> OtpTemplate:
    """Analyse a template with a code of ``digits`` digits in the placeholder."""
    text = unicodedata.normalize("NFC", template)
    analysis = analyze_text(text.replace(OTP_PLACEHOLDER, "0" * digits))
    return OtpTemplate(text=text, digits=digits, analysis=analysis)


def otp_template_of(template: str | OtpTemplate, digits: int) -> OtpTemplate:
    """The caller's analysed template, or the given text analysed now."""
    if isinstance(template, OtpTemplate):
        if template.digits == digits:
            return template
        template = template.text
    return otp_template(template, digits)


def generate_otp(digits: int) -> str:
    """A uniformly random numeric code, leading zeros allowed."""
    return "".join(secrets.choice("0123456789") for _ in range(digits))
