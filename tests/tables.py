"""Test cases written as tables grouped by outcome, made into parametrize rows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def cases_by_outcome(table: Mapping[Any, Iterable[Any]]) -> list[tuple[Any, ...]]:
    """Rows ``(*case, outcome)`` from cases grouped by their outcome.

    A case that is a tuple gives its values; any other case is one value.
    """
    return [
        (*(case if isinstance(case, tuple) else (case,)), outcome)
        for outcome, cases in table.items()
        for case in cases
    ]
