"""The emulator's starting point: accounts, senders and delivery rules.

A seed is plain data so that a test, the dev server and a JSON file all describe
the same world; :meth:`Seed.default` is the shipped ``seed.json`` that other test
suites rely on, value for value.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from decimal import Decimal, InvalidOperation
from importlib import resources
import json
from pathlib import Path
from typing import Any

SENDER_STATES = frozenset({"active", "inactive"})
TURKEY_FLAGS = (
    "active",
    "international_enabled",
    "post_enabled",
    "get_enabled",
    "status_enabled",
    "balance_enabled",
)
"""The on/off switches of a Turkey SMS account."""


class SeedError(ValueError):
    """A seed file or mapping does not describe a valid emulator state."""


@dataclass
class TurkeyAccount:
    """A Turkey SMS account, reached by its API key."""

    api_key: str
    user_id: str
    account_name: str
    active: bool = True
    international_enabled: bool = True
    post_enabled: bool = True
    get_enabled: bool = True
    status_enabled: bool = True
    balance_enabled: bool = True
    local_balance: int = 0
    """Turkish SMS credit, in messages (segments)."""
    international_balance_tl: Decimal = Decimal("0.00")
    """International credit, in Turkish lira."""
    senders: dict[str, str] = field(default_factory=dict)
    """Sender ID -> "active" | "inactive" (case-sensitive, as the provider)."""


@dataclass
class HismsAccount:
    """A HiSMS account, reached by its username (the owner's mobile number)."""

    username: str
    password: str
    disabled: bool = False
    balance: int = 0
    """Credit in message parts."""
    senders: dict[str, str] = field(default_factory=dict)


@dataclass
class Seed:
    """Everything the emulator starts from (and returns to on reset)."""

    turkey_accounts: list[TurkeyAccount] = field(default_factory=list)
    hisms_accounts: list[HismsAccount] = field(default_factory=list)
    forbidden_words: list[str] = field(default_factory=list)
    """HiSMS rejects a message containing one of these words (code 8)."""
    undeliverable_numbers: list[str] = field(default_factory=list)
    """Turkey SMS: these numbers end as TS-1022 (did not receive)."""
    out_of_coverage_numbers: list[str] = field(default_factory=list)
    """Turkey SMS: these numbers stay TS-1023 (out of coverage)."""
    blocked_numbers: list[str] = field(default_factory=list)
    """Turkey SMS: accepted and charged, never delivered, counted as blocked."""
    international_price_tl: Decimal = Decimal("0.75")
    """Turkey SMS price of one international segment."""
    lockout_after: int = 5
    """HiSMS: consecutive bad logins before a username is locked (403)."""
    lockout_seconds: float = 900.0
    delivery_delay_seconds: float = 0.0
    """Turkey SMS: age a message needs before a query may mark it delivered."""

    @classmethod
    def default(cls) -> Seed:
        """The shipped ``seed.json``."""
        text = resources.files(__package__).joinpath("seed.json").read_text("utf-8")
        return cls.from_dict(json.loads(text))

    @classmethod
    def from_file(cls, path: str | Path) -> Seed:
        """Load a seed from a JSON file."""
        try:
            data = json.loads(Path(path).read_text("utf-8"))
        except json.JSONDecodeError as err:
            raise SeedError(f"{path}: not valid JSON: {err}") from err
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: Any) -> Seed:
        """Build a seed from JSON-like data; unknown keys are errors (typos)."""
        data = _mapping(data, "seed", {f.name for f in fields(cls)})
        return cls(
            turkey_accounts=[
                _turkey_account(item)
                for item in _list(data.get("turkey_accounts", []), "turkey_accounts")
            ],
            hisms_accounts=[
                _hisms_account(item)
                for item in _list(data.get("hisms_accounts", []), "hisms_accounts")
            ],
            forbidden_words=_strings(
                data.get("forbidden_words", []), "forbidden_words"
            ),
            undeliverable_numbers=_strings(
                data.get("undeliverable_numbers", []), "undeliverable_numbers"
            ),
            out_of_coverage_numbers=_strings(
                data.get("out_of_coverage_numbers", []), "out_of_coverage_numbers"
            ),
            blocked_numbers=_strings(
                data.get("blocked_numbers", []), "blocked_numbers"
            ),
            international_price_tl=_decimal(
                data.get("international_price_tl", "0.75"), "international_price_tl"
            ),
            lockout_after=_int(data.get("lockout_after", 5), "lockout_after"),
            lockout_seconds=_number(
                data.get("lockout_seconds", 900), "lockout_seconds"
            ),
            delivery_delay_seconds=_number(
                data.get("delivery_delay_seconds", 0), "delivery_delay_seconds"
            ),
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON form read by :meth:`from_dict` (decimals as strings)."""
        return {
            "turkey_accounts": [turkey_account_dict(a) for a in self.turkey_accounts],
            "hisms_accounts": [hisms_account_dict(a) for a in self.hisms_accounts],
            "forbidden_words": list(self.forbidden_words),
            "undeliverable_numbers": list(self.undeliverable_numbers),
            "out_of_coverage_numbers": list(self.out_of_coverage_numbers),
            "blocked_numbers": list(self.blocked_numbers),
            "international_price_tl": str(self.international_price_tl),
            "lockout_after": self.lockout_after,
            "lockout_seconds": self.lockout_seconds,
            "delivery_delay_seconds": self.delivery_delay_seconds,
        }


def turkey_account_dict(account: TurkeyAccount) -> dict[str, Any]:
    """JSON form of a Turkey SMS account."""
    return {
        "api_key": account.api_key,
        "user_id": account.user_id,
        "account_name": account.account_name,
        **{flag: getattr(account, flag) for flag in TURKEY_FLAGS},
        "local_balance": account.local_balance,
        "international_balance_tl": str(account.international_balance_tl),
        "senders": dict(account.senders),
    }


def hisms_account_dict(account: HismsAccount) -> dict[str, Any]:
    """JSON form of a HiSMS account."""
    return {
        "username": account.username,
        "password": account.password,
        "disabled": account.disabled,
        "balance": account.balance,
        "senders": dict(account.senders),
    }


def _turkey_account(item: Any) -> TurkeyAccount:
    data = _mapping(item, "turkey account", {f.name for f in fields(TurkeyAccount)})
    for key in ("api_key", "user_id", "account_name"):
        if key not in data:
            raise SeedError(f"turkey account: {key} is required")
    return TurkeyAccount(
        api_key=_str(data["api_key"], "api_key"),
        user_id=_str(data["user_id"], "user_id"),
        account_name=_str(data["account_name"], "account_name"),
        active=_bool(data.get("active", True), "active"),
        international_enabled=_bool(
            data.get("international_enabled", True), "international_enabled"
        ),
        post_enabled=_bool(data.get("post_enabled", True), "post_enabled"),
        get_enabled=_bool(data.get("get_enabled", True), "get_enabled"),
        status_enabled=_bool(data.get("status_enabled", True), "status_enabled"),
        balance_enabled=_bool(data.get("balance_enabled", True), "balance_enabled"),
        local_balance=_int(data.get("local_balance", 0), "local_balance"),
        international_balance_tl=_decimal(
            data.get("international_balance_tl", "0.00"), "international_balance_tl"
        ),
        senders=senders(data.get("senders", {})),
    )


def _hisms_account(item: Any) -> HismsAccount:
    data = _mapping(item, "hisms account", {f.name for f in fields(HismsAccount)})
    for key in ("username", "password"):
        if key not in data:
            raise SeedError(f"hisms account: {key} is required")
    return HismsAccount(
        username=_str(data["username"], "username"),
        password=_str(data["password"], "password"),
        disabled=_bool(data.get("disabled", False), "disabled"),
        balance=_int(data.get("balance", 0), "balance"),
        senders=senders(data.get("senders", {})),
    )


def senders(value: Any) -> dict[str, str]:
    """Validate a sender map: name -> "active" | "inactive"."""
    if not isinstance(value, dict):
        raise SeedError("senders must be an object")
    result: dict[str, str] = {}
    for name, state in value.items():
        if not isinstance(name, str) or state not in SENDER_STATES:
            raise SeedError(f"sender {name!r}: state must be 'active' or 'inactive'")
        result[name] = str(state)
    return result


def _mapping(value: Any, what: str, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise SeedError(f"{what} must be an object")
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise SeedError(f"{what}: unknown keys {unknown}")
    return value


def _list(value: Any, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise SeedError(f"{what} must be a list")
    return value


def _strings(value: Any, what: str) -> list[str]:
    items = _list(value, what)
    if not all(isinstance(item, str) for item in items):
        raise SeedError(f"{what} must be a list of strings")
    return [str(item) for item in items]


def _str(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise SeedError(f"{what} must be a non-empty string")
    return value


def _bool(value: Any, what: str) -> bool:
    if not isinstance(value, bool):
        raise SeedError(f"{what} must be true or false")
    return value


def _int(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise SeedError(f"{what} must be a non-negative integer")
    return int(value)


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise SeedError(f"{what} must be a non-negative number")
    return float(value)


def _decimal(value: Any, what: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise SeedError(f"{what} must be a decimal string")
    try:
        result = Decimal(str(value))
    except InvalidOperation as err:
        raise SeedError(f"{what} must be a decimal string") from err
    if not result.is_finite() or result < 0:
        raise SeedError(f"{what} must be a non-negative amount")
    return result.quantize(Decimal("0.01"))
