"""Seed, wire formats, parameter parsing, text counting and clock."""

from __future__ import annotations

from decimal import Decimal
import json
from pathlib import Path

import pytest

from sms_emulator import ManualClock, Seed, SeedError
from sms_emulator.params import parse_query, php_pairs
from sms_emulator.segments import analyze
from sms_emulator.wire import php_json, php_print_r, turkey_body, with_result_style

PACKAGE = Path(__file__).parents[2] / "sms_emulator"


def test_default_seed_values() -> None:
    seed = Seed.default()
    demo, inactive, local_only = seed.turkey_accounts
    assert (demo.api_key, demo.user_id, demo.account_name) == (
        "demo-turkey-key",
        "100200",
        "Demo Home",
    )
    assert demo.active
    assert demo.international_enabled
    assert demo.local_balance == 1000
    assert demo.international_balance_tl == Decimal("250.00")
    assert demo.senders == {"HOMEALERT": "active", "OLDSENDER": "inactive"}
    assert (inactive.api_key, inactive.user_id, inactive.active) == (
        "inactive-turkey-key",
        "100201",
        False,
    )
    assert (local_only.api_key, local_only.user_id) == ("local-only-key", "100202")
    assert not local_only.international_enabled
    assert not local_only.get_enabled
    assert local_only.balance_enabled
    account, disabled = seed.hisms_accounts
    assert (account.username, account.password, account.balance) == (
        "966500000001",
        "demo-password",
        500,
    )
    assert account.senders == {"HOMEALERT": "active", "PENDING": "inactive"}
    assert not account.disabled
    assert (disabled.username, disabled.password, disabled.disabled) == (
        "966500000002",
        "disabled-password",
        True,
    )
    assert seed.forbidden_words == ["casino"]
    assert seed.international_price_tl == Decimal("0.75")
    assert (seed.lockout_after, seed.lockout_seconds) == (5, 900)


def test_seed_file_round_trip(tmp_path: Path) -> None:
    shipped = json.loads((PACKAGE / "seed.json").read_text("utf-8"))
    assert Seed.default().to_dict() == Seed.from_dict(shipped).to_dict()
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(Seed.default().to_dict()), "utf-8")
    assert Seed.from_file(path) == Seed.default()
    assert Seed.from_dict({}) == Seed()


@pytest.mark.parametrize(
    "data",
    [
        [],
        {"unknown": 1},
        {"turkey_accounts": {}},
        {"turkey_accounts": [{"api_key": "k", "user_id": "1"}]},
        {"turkey_accounts": [{"api_key": "", "user_id": "1", "account_name": "a"}]},
        {
            "turkey_accounts": [
                {"api_key": "k", "user_id": "1", "account_name": "a", "active": 1}
            ]
        },
        {
            "turkey_accounts": [
                {
                    "api_key": "k",
                    "user_id": "1",
                    "account_name": "a",
                    "local_balance": -1,
                }
            ]
        },
        {
            "turkey_accounts": [
                {
                    "api_key": "k",
                    "user_id": "1",
                    "account_name": "a",
                    "international_balance_tl": "x",
                }
            ]
        },
        {
            "turkey_accounts": [
                {
                    "api_key": "k",
                    "user_id": "1",
                    "account_name": "a",
                    "international_balance_tl": True,
                }
            ]
        },
        {
            "turkey_accounts": [
                {
                    "api_key": "k",
                    "user_id": "1",
                    "account_name": "a",
                    "international_balance_tl": "-2",
                }
            ]
        },
        {
            "turkey_accounts": [
                {"api_key": "k", "user_id": "1", "account_name": "a", "senders": []}
            ]
        },
        {
            "turkey_accounts": [
                {
                    "api_key": "k",
                    "user_id": "1",
                    "account_name": "a",
                    "senders": {"A": "on"},
                }
            ]
        },
        {"hisms_accounts": [{"username": "u"}]},
        {"forbidden_words": [1]},
        {"lockout_seconds": "900"},
    ],
)
def test_seed_errors(data: object) -> None:
    with pytest.raises(SeedError):
        Seed.from_dict(data)


def test_seed_file_errors(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text("{", "utf-8")
    with pytest.raises(SeedError):
        Seed.from_file(path)


def test_print_r_nested() -> None:
    assert php_print_r(
        {"a": True, "b": False, "c": None, "d": [{"e": 1}], "f": Decimal("0.75")}
    ) == (
        "Array\n(\n    [a] => 1\n    [b] => \n    [c] => \n    [d] => Array\n"
        "        (\n            [0] => Array\n                (\n"
        "                    [e] => 1\n                )\n\n        )\n\n"
        "    [f] => 0.75\n)\n"
    )
    assert php_print_r("plain") == "plain"


def test_php_json() -> None:
    assert (
        php_json({"a": "x/y", "b": "ş", "c": (1, 2)})
        == '{"a":"x\\/y","b":"\\u015f","c":[1,2]}'
    )


def test_result_styles() -> None:
    assert with_result_style({"result": True}, "string") == {"result": "true"}
    assert with_result_style({"result": False}, "string") == {"result": "false"}
    assert with_result_style({"result": True}, "bool") == {"result": True}
    body, content_type = turkey_body({"result": True}, "php", "bool")
    assert body == b"Array\n(\n    [result] => 1\n)\n"
    assert content_type == "text/html; charset=UTF-8"


def test_php_pairs() -> None:
    assert php_pairs([("a[]", "1"), ("a[]", "2"), ("b", "x"), ("b", "y")]) == {
        "a": ["1", "2"],
        "b": "y",
    }
    assert php_pairs([("m[x]", "1"), ("m[y]", "2")]) == {"m": {"x": "1", "y": "2"}}
    assert php_pairs([("m[]", "1"), ("m[k]", "2"), ("m[]", "3")]) == {
        "m": {"0": "1", "k": "2", "2": "3"}
    }
    assert php_pairs([("s", "1"), ("s[k]", "2")]) == {"s": {"k": "2"}}
    values, keys = parse_query("send_sms&username=1&msg=a+b%2B")
    assert keys == ["send_sms", "username", "msg"]
    assert values == {"send_sms": "", "username": "1", "msg": "a b+"}


@pytest.mark.parametrize(
    ("text", "segments", "code"),
    [
        ("", 0, 0),
        ("hello", 1, 0),
        ("x" * 160, 1, 0),
        ("x" * 161, 2, 0),
        ("€" * 80, 1, 0),
        ("€" * 81, 2, 0),
        # ş is in the Turkish single-shift table: two septets each.
        ("ş" * 77, 1, 1),
        ("ş" * 78, 2, 1),
        ("ب" * 70, 1, 2),
        ("ب" * 71, 2, 2),
    ],
)
def test_the_emulator_charges_parts_by_alphabet(
    text: str, segments: int, code: int
) -> None:
    cost = analyze(text)
    assert (cost.segments, cost.language_code) == (segments, code)


def test_manual_clock() -> None:
    clock = ManualClock()
    start = clock()
    assert clock.advance(5) - start == (clock() - start)
    assert (clock() - start).total_seconds() == 5


@pytest.mark.parametrize(
    ("text", "declared", "segments"),
    [("a" * 100, 0, 1), ("a" * 100, 2, 2), ("ş" * 60, 2, 1), ("ş" * 80, 1, 2)],
)
def test_the_declared_language_decides_the_alphabet(
    text: str, declared: int, segments: int
) -> None:
    assert analyze(text, declared).segments == segments
