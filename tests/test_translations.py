"""English, Arabic and Turkish carry the same texts, and every key used exists."""

from __future__ import annotations

import json
from pathlib import Path
import re

import pytest

from scripts.translations import leaves

ROOT = Path(__file__).resolve().parent.parent / "custom_components" / "sms_gateway"
LANGUAGES = ("en", "ar", "tr")


def _load(path: Path) -> dict[str, object]:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _placeholders(tree: object) -> dict[str, set[str]]:
    """The placeholders of every text, by the path of its key."""
    return {
        key: set(re.findall(r"\{(\w+)\}", str(text)))
        for key, text in leaves(tree).items()
    }


def test_english_translation_is_strings_json() -> None:
    assert _load(ROOT / "translations" / "en.json") == _load(ROOT / "strings.json")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_has_the_same_keys_and_placeholders(language: str) -> None:
    english = _load(ROOT / "strings.json")
    other = _load(ROOT / "translations" / f"{language}.json")
    assert set(leaves(other)) == set(leaves(english))
    assert _placeholders(other) == _placeholders(english)


def test_every_translation_key_raised_in_code_exists() -> None:
    strings = _load(ROOT / "strings.json")
    exceptions = strings["exceptions"]
    assert isinstance(exceptions, dict)
    used: set[str] = set()
    for path in ROOT.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r'translation_key="(\w+)"', text))
        used |= set(re.findall(r'invalid\(\s*"(\w+)"', text))
        used |= set(re.findall(r'key = "(\w+)"', text))
    entities = strings["entity"]
    issues = strings["issues"]
    assert isinstance(entities, dict)
    assert isinstance(issues, dict)
    entity_keys = {key for platform in entities.values() for key in platform}
    recipients = {"recipient"}  # the notify entity of a recipient subentry
    missing = used - set(exceptions) - entity_keys - set(issues) - recipients
    assert not missing


def test_every_phone_number_problem_has_its_own_message() -> None:
    from custom_components.sms_gateway.client.phone import (  # noqa: PLC0415
        PhoneNumberProblem,
    )

    strings = _load(ROOT / "strings.json")
    exceptions = strings["exceptions"]
    assert isinstance(exceptions, dict)
    for problem in PhoneNumberProblem:
        assert f"invalid_recipient_{problem.value}" in exceptions


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_failure_reason_has_a_message_in_every_language(language: str) -> None:
    from custom_components.sms_gateway.client import FailureReason  # noqa: PLC0415
    from custom_components.sms_gateway.errors import (  # noqa: PLC0415
        FORM_ERRORS,
        TRANSLATION_KEYS,
    )

    translations = _load(ROOT / "translations" / f"{language}.json")
    exceptions = translations["exceptions"]
    form_errors = translations["config"]["error"]  # type: ignore[index]
    assert isinstance(exceptions, dict)
    assert set(TRANSLATION_KEYS) == set(FailureReason)
    for reason, key in TRANSLATION_KEYS.items():
        message = exceptions[key]["message"]
        assert message.strip(), reason
        assert "{" not in message, f"{reason}: the message takes no placeholders"
    for key in FORM_ERRORS.values():
        assert form_errors[key]
