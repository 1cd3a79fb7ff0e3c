"""The emulator's starting point: accounts, senders and delivery rules.

A seed is plain data so that a test, the dev server and a JSON file all describe
the same world; :meth:`Seed.default` is the shipped ``seed.json`` that other test
suites rely on, value for value. A seed and its accounts are read through one
table of checks per record and written back from their fields; the control API
checks its account changes with the same checks. The first account of each
provider in ``seed.json`` is its demo account (:func:`demo_accounts`), the one
set of credentials the tests and the dev server use.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import MISSING, dataclass, field, fields, is_dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

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

type Check = Callable[[Any, str], Any]
"""Validates a JSON value (named by the second argument for the error)."""


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
        return _record(cls, "seed", _SEED_CHECKS, data)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form read by :meth:`from_dict` (decimals as strings)."""
        return record_dict(self)


@dataclass(frozen=True)
class DemoAccounts:
    """The credentials of the shipped seed's demo accounts.

    Tests, the dev server and the documentation's examples use these; the
    seed is where they are written down.
    """

    turkey_api_key: str
    turkey_user_id: str
    hisms_username: str
    hisms_password: str
    sender: str
    """A sender ID active on both accounts."""


@cache
def demo_accounts() -> DemoAccounts:
    """The first Turkey SMS and the first HiSMS account of ``seed.json``."""
    seed = Seed.default()
    turkey, hisms = seed.turkey_accounts[0], seed.hisms_accounts[0]
    sender = next(
        name
        for name, state in turkey.senders.items()
        if state == "active" and hisms.senders.get(name) == "active"
    )
    return DemoAccounts(
        turkey_api_key=turkey.api_key,
        turkey_user_id=turkey.user_id,
        hisms_username=hisms.username,
        hisms_password=hisms.password,
        sender=sender,
    )


def record_dict(record: DataclassInstance) -> dict[str, Any]:
    """JSON form of a seed or an account.

    Its fields in order; decimals as strings, lists and sender maps copied.
    """
    return {f.name: _json_value(getattr(record, f.name)) for f in fields(record)}


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list):
        return [_json_value(item) for item in value]
    if isinstance(value, dict):
        return dict(value)
    if is_dataclass(value) and not isinstance(value, type):
        return record_dict(value)
    return value


def _record[T: DataclassInstance](
    cls: type[T], what: str, checks: Mapping[str, Check], item: Any
) -> T:
    """A ``cls`` from a JSON object of its fields.

    Each key is checked by its entry in ``checks``; a key without one is an
    error, and so is a missing field that has no default.
    """
    data = _mapping(item, what, set(checks))
    for f in fields(cls):
        if f.default is MISSING and f.default_factory is MISSING and f.name not in data:
            raise SeedError(f"{what}: {f.name} is required")
    return cls(**checked(checks, data))


def checked(checks: Mapping[str, Check], data: Mapping[str, Any]) -> dict[str, Any]:
    """The values of ``data`` that ``checks`` names, each through its check.

    Checked in the order of ``checks``, so the first bad one is the error.
    """
    return {
        name: check(data[name], name) for name, check in checks.items() if name in data
    }


def _records(
    cls: type[DataclassInstance], what: str, checks: Mapping[str, Check]
) -> Check:
    """The check of a list of ``cls`` objects."""

    def check(value: Any, name: str) -> list[Any]:
        return [_record(cls, what, checks, item) for item in _list(value, name)]

    return check


def senders(value: Any, what: str = "senders") -> dict[str, str]:
    """Validate a sender map: name -> "active" | "inactive"."""
    if not isinstance(value, dict):
        raise SeedError(f"{what} must be an object")
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


def text(value: Any, what: str) -> str:
    """A non-empty string."""
    if not isinstance(value, str) or not value:
        raise SeedError(f"{what} must be a non-empty string")
    return value


def boolean(value: Any, what: str) -> bool:
    """``true`` or ``false``."""
    if not isinstance(value, bool):
        raise SeedError(f"{what} must be true or false")
    return value


def count(value: Any, what: str) -> int:
    """A non-negative integer."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise SeedError(f"{what} must be a non-negative integer")
    return int(value)


def number(value: Any, what: str) -> float:
    """A non-negative number, as a float."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise SeedError(f"{what} must be a non-negative number")
    return float(value)


def amount(value: Any, what: str) -> Decimal:
    """A non-negative amount of lira, to the kuruş."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise SeedError(f"{what} must be a decimal string")
    try:
        result = Decimal(str(value))
    except InvalidOperation as err:
        raise SeedError(f"{what} must be a decimal string") from err
    if not result.is_finite() or result < 0:
        raise SeedError(f"{what} must be a non-negative amount")
    return result.quantize(Decimal("0.01"))


TURKEY_CHECKS: Final[dict[str, Check]] = {
    "api_key": text,
    "user_id": text,
    "account_name": text,
    **dict.fromkeys(TURKEY_FLAGS, boolean),
    "local_balance": count,
    "international_balance_tl": amount,
    "senders": senders,
}
"""How each key of a Turkey SMS account is checked, in field order."""

HISMS_CHECKS: Final[dict[str, Check]] = {
    "username": text,
    "password": text,
    "disabled": boolean,
    "balance": count,
    "senders": senders,
}
"""How each key of a HiSMS account is checked, in field order."""

_SEED_CHECKS: Final[dict[str, Check]] = {
    "turkey_accounts": _records(TurkeyAccount, "turkey account", TURKEY_CHECKS),
    "hisms_accounts": _records(HismsAccount, "hisms account", HISMS_CHECKS),
    "forbidden_words": _strings,
    "undeliverable_numbers": _strings,
    "out_of_coverage_numbers": _strings,
    "blocked_numbers": _strings,
    "international_price_tl": amount,
    "lockout_after": count,
    "lockout_seconds": number,
    "delivery_delay_seconds": number,
}
