"""The emulator's part counter and the integration's agree on a generated corpus.

Two independent implementations of 3GPP TS 23.038 (the emulator bills, the
integration predicts the bill): a disagreement means one of them is wrong.
The corpus is seeded, so a failure names a text that reproduces every time.
"""

from __future__ import annotations

from collections.abc import Iterator
import random
from typing import Final

from custom_components.sms_gateway.client.text import analyze_text
from sms_emulator.segments import CAPACITY, Alphabet, analyze, narrowest_alphabet

SEED: Final = 23038
CORPUS_SIZE: Final = 12_000

ASCII: Final = "".join(chr(c) for c in range(0x20, 0x7F) if chr(c) not in "^{}\\[~]|")
GSM_BASIC: Final = "@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà\n\r"
GSM_EXTENSION: Final = "^{}\\[~]|€\f"
TURKISH: Final = "ĞğİıŞşçÇöÖüÜ"
ARABIC: Final = "".join(chr(c) for c in range(0x0621, 0x064B)) + "؟،٠١٢"
EMOJI: Final = "😀😂👍🎉🔥🚀❤☺✅🇹🇷"
COMBINING: Final = ("s\u0327", "g\u0306", "I\u0307", "e\u0301", "a\u0308")
"""Decomposed letters: the integration sends their NFC form."""
CRLF: Final = "\r\n"

POOLS: Final = {
    "gsm": (ASCII, GSM_BASIC, GSM_EXTENSION),
    "turkish": (ASCII, GSM_BASIC, GSM_EXTENSION, TURKISH),
    "unicode": (ASCII, GSM_EXTENSION, TURKISH, ARABIC, EMOJI),
}


def _boundaries() -> list[int]:
    """Every unit count where one more unit could start another part."""
    edges = set()
    for lone, each in CAPACITY.values():
        edges.add(lone)
        edges.update(each * parts for parts in range(1, 5))
    return sorted(edges)


def _text(rng: random.Random, pools: tuple[str, ...], length: int) -> str:
    weights = [rng.random() for _ in pools]
    chars = []
    while len(chars) < length:
        roll = rng.random()
        if roll < 0.02:
            chars.extend(CRLF)
        elif roll < 0.03:
            chars.extend(rng.choice(COMBINING))
        else:
            chars.append(rng.choice(rng.choices(pools, weights)[0]))
    return "".join(chars[:length])


def _straddling(rng: random.Random) -> str:
    """A 2-unit character placed right on a concatenated part's edge."""
    alphabet = rng.choice(list(Alphabet))
    wide = {
        Alphabet.GSM: GSM_EXTENSION,
        Alphabet.TURKISH: "ğşİ€",
        Alphabet.UNICODE: "😀🚀",
    }[alphabet]
    filler = {Alphabet.GSM: "a", Alphabet.TURKISH: "ç", Alphabet.UNICODE: "ب"}
    each = CAPACITY[alphabet][1]
    before = each * rng.randint(1, 3) - rng.randint(0, 2)
    after = rng.randint(0, each)
    return filler[alphabet] * before + rng.choice(wide) + filler[alphabet] * after


def corpus(size: int = CORPUS_SIZE, seed: int = SEED) -> Iterator[str]:
    """Seeded texts: mixes of every character class, lengths around every edge."""
    rng = random.Random(seed)
    edges = _boundaries()
    for index in range(size):
        if index % 10 == 0:
            yield _straddling(rng)
            continue
        pools = POOLS[rng.choice(list(POOLS))]
        if rng.random() < 0.8:
            length = max(1, rng.choice(edges) + rng.randint(-3, 3))
        else:
            length = rng.randint(1, 650)
        yield _text(rng, pools, length)


def _disagreements(text: str) -> list[str]:
    """Every way the two counters differ on ``text`` (empty: they agree)."""
    predicted = analyze_text(text)
    sent = predicted.text  # the integration sends the NFC form it counted
    found = []
    billed = analyze(sent)
    if (billed.segments, billed.language_code) != (
        predicted.segments,
        predicted.language_code,
    ):
        found.append(
            f"auto: emulator {billed.segments} parts lang {billed.language_code}, "
            f"integration {predicted.segments} parts lang {predicted.language_code}"
        )
    return found


def test_corpus_is_large_and_covers_every_alphabet_and_edge() -> None:
    texts = list(corpus())
    assert len(texts) >= 10_000
    alphabets = {narrowest_alphabet(analyze_text(t).text) for t in texts}
    assert alphabets == set(Alphabet)
    lengths = {len(t) for t in texts}
    assert set(_boundaries()) <= lengths
    assert any(CRLF in t for t in texts)


def test_emulator_and_integration_count_the_same_parts() -> None:
    failures = {}
    for text in corpus():
        if found := _disagreements(text):
            failures[text] = found
    shortest = sorted(failures, key=len)[:5]
    assert not failures, (
        f"{len(failures)} of {CORPUS_SIZE} texts disagree; shortest: "
        + "; ".join(f"{t!r}: {failures[t]}" for t in shortest)
    )
