"""SMS encoding detection and exact part counting."""

from __future__ import annotations

from collections.abc import Mapping
import dataclasses

import gsmcodecs  # noqa: F401  # registers the "gsm23.038-*" codecs
import pytest

from custom_components.sms_gateway.client.text import (
    DEFAULT_ALPHABET,
    DEFAULT_EXTENSION,
    TURKISH_SINGLE_SHIFT,
    Encoding,
    TextAnalysis,
    analyze_text,
)
from tests.tables import cases_by_outcome

ESCAPE = 0x1B
GSM_CODEC = "gsm23.038-0-0"  # default alphabet + default extension table
TURKISH_CODEC = "gsm23.038-0-1"  # default alphabet + Turkish single-shift table


@pytest.mark.parametrize(
    ("text", "encoding", "segments"),
    [
        pytest.param(text, encoding, segments, id=f"{limits}-{len(text)}-in-{segments}")
        for encoding, limits, cases in [
            (
                Encoding.GSM7,
                "gsm-160-alone-153-concatenated",
                [
                    ("a", 1),
                    ("a" * 160, 1),
                    ("a" * 161, 2),
                    ("a" * 306, 2),
                    ("a" * 307, 3),
                    ("a" * 153 * 3, 3),
                    ("a" * (153 * 3 + 1), 4),
                ],
            ),
            (
                Encoding.GSM7_TURKISH,
                "turkish-155-alone-149-concatenated",
                [
                    ("ş" + "a" * 154, 2),  # 156 septets: over the 155 single-part limit
                    ("ş" + "a" * 296, 2),  # 298 septets: two full parts of 149
                    ("ş" + "a" * 297, 3),
                    (
                        "a" * 148 + "ş" + "a" * 148,
                        3,
                    ),  # the escape pair moves to part two
                ],
            ),
            (
                Encoding.UCS2,
                "unicode-70-alone-67-concatenated",
                [
                    ("ب" * 70, 1),
                    ("ب" * 71, 2),
                    ("ب" * 134, 2),
                    ("ب" * 135, 3),
                    ("😀" * 35, 1),
                ],
            ),
        ]
        for text, segments in cases
    ],
)
def test_parts_per_encoding_alone_and_when_concatenated(
    text: str, encoding: Encoding, segments: int
) -> None:
    analysis = analyze_text(text)
    assert analysis.encoding is encoding
    assert analysis.segments == segments


def test_161_gsm_characters_need_two_parts() -> None:
    analysis = analyze_text("a" * 161)
    assert (analysis.units, analysis.segments) == (161, 2)


def test_escape_pair_is_never_split_across_parts() -> None:
    # 306 septets would fill exactly two parts, but the euro sign's escape pair
    # would straddle the boundary, so it moves to part two and the tail spills.
    analysis = analyze_text("a" * 152 + "€" + "a" * 152)
    assert analysis.encoding is Encoding.GSM7
    assert analysis.units == 306
    assert analysis.segments == 3


def test_surrogate_pair_is_never_split_across_parts() -> None:
    analysis = analyze_text("ب" * 66 + "😀" + "ب" * 66)
    assert analysis.encoding is Encoding.UCS2
    assert analysis.units == 134
    assert analysis.segments == 3


def test_36_emoji_need_two_unicode_parts() -> None:
    analysis = analyze_text("😀" * 36)
    assert (analysis.encoding, analysis.units, analysis.segments) == (
        Encoding.UCS2,
        72,
        2,
    )


def test_empty_text_needs_no_parts() -> None:
    assert analyze_text("") == TextAnalysis(
        text="", encoding=Encoding.GSM7, units=0, segments=0, language_code=0
    )


def test_decomposed_input_is_normalised_before_choosing_the_encoding() -> None:
    analysis = analyze_text("s\u0327")  # "s" + combining cedilla
    assert analysis.text == "ş"
    assert analysis.encoding is Encoding.GSM7_TURKISH
    assert analysis.units == 2


def test_decomposed_gsm_letter_stays_gsm() -> None:
    analysis = analyze_text("e\u0301")  # "é" in NFD
    assert (analysis.text, analysis.encoding, analysis.units) == ("é", Encoding.GSM7, 1)


LANGUAGE_CODES = {Encoding.GSM7: 0, Encoding.GSM7_TURKISH: 1, Encoding.UCS2: 2}
CHEAPEST_ENCODING = {
    Encoding.GSM7: [
        ("Hello, world!", 13),
        ("Fiyat: 10€ {}", 16),
        ("[~] \\ | ^ \f", 18),
        ("ÇÖÜöüÄÑäñåÅæÆøØßÉéèùìòà", 23),
        ("ΔΦΓΛΩΠΨΣΘΞ", 10),
        ("line\r\nbreak", 11),
        ("a" * 160, 160),  # the most that fits one part
    ],
    Encoding.GSM7_TURKISH: [
        ("Çok güzel, Öğle?", 17),
        ("İstanbul", 9),
        ("Iğdır ışık", 15),
        ("Şeker ç", 9),
        ("€ and ş", 9),
        ("ş" + "a" * 153, 155),  # the most that fits one part
    ],
    Encoding.UCS2: [
        ("مرحبا", 5),
        ("Привет", 6),
        ("ş and Ж", 7),  # one non-Turkish letter: all Unicode
        ("price `5`", 9),  # the backtick is not in GSM-7
        ("👍🏽", 4),
        ("a\x1bb", 3),  # a raw escape is not a character
    ],
}


@pytest.mark.parametrize(
    ("text", "units", "encoding"), cases_by_outcome(CHEAPEST_ENCODING)
)
def test_cheapest_encoding_that_carries_a_one_part_text_is_chosen(
    text: str, units: int, encoding: Encoding
) -> None:
    assert analyze_text(text) == TextAnalysis(
        text=text,
        encoding=encoding,
        units=units,
        segments=1,
        language_code=LANGUAGE_CODES[encoding],
    )


def test_encoding_values_are_stable() -> None:
    assert [member.value for member in Encoding] == ["gsm7", "gsm7_turkish", "ucs2"]


def test_analysis_is_immutable() -> None:
    analysis = analyze_text("hi")
    with pytest.raises(dataclasses.FrozenInstanceError):
        analysis.segments = 5  # type: ignore[misc]


# --- The tables against an independent transcription of 3GPP TS 23.038 ---


def test_default_alphabet_matches_gsmcodecs() -> None:
    assert len(DEFAULT_ALPHABET) == 128
    for septet, char in enumerate(DEFAULT_ALPHABET):
        if septet == ESCAPE:
            continue
        assert char.encode(GSM_CODEC) == bytes([septet]), repr(char)
        assert bytes([septet]).decode(GSM_CODEC) == char


@pytest.mark.parametrize(
    ("table", "codec"),
    [(DEFAULT_EXTENSION, GSM_CODEC), (TURKISH_SINGLE_SHIFT, TURKISH_CODEC)],
    ids=["default-extension", "turkish-single-shift"],
)
def test_shift_table_matches_gsmcodecs(table: Mapping[str, int], codec: str) -> None:
    for char, septet in table.items():
        assert char.encode(codec) == bytes([ESCAPE, septet]), repr(char)
    # ...and gsmcodecs knows no shifted character that the table lacks.
    decoded = {}
    for septet in range(128):
        try:
            decoded[bytes([ESCAPE, septet]).decode(codec)] = septet
        except UnicodeDecodeError:
            continue
    decoded.pop(" ", None)  # gsmcodecs' stand-in for the reserved SS2 position
    assert decoded == table


def test_turkish_codec_shares_the_default_alphabet() -> None:
    alphabet = DEFAULT_ALPHABET.replace(chr(ESCAPE), "")
    assert alphabet.encode(TURKISH_CODEC) == alphabet.encode(GSM_CODEC)


def test_every_gsm_text_encodes_to_as_many_septets_as_counted() -> None:
    for text in (DEFAULT_ALPHABET.replace(chr(ESCAPE), ""), "".join(DEFAULT_EXTENSION)):
        assert analyze_text(text).units == len(text.encode(GSM_CODEC))
    turkish = "".join(TURKISH_SINGLE_SHIFT) + "Çok güzel"
    assert analyze_text(turkish).units == len(turkish.encode(TURKISH_CODEC))
