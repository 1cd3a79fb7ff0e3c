"""Request parameters the way a PHP script sees them, and how one is read.

PHP fills ``$_GET`` from the query and ``$_POST`` from a urlencoded or multipart
body (``name[]`` becoming an array); ``$_REQUEST`` merges them, form winning
(the default ``request_order=GP``). A JSON API reads ``php://input`` instead and
sees nothing else. Each endpoint reads one of these, never a mix of all.

Both providers read a parameter through :class:`Params`: one value, an array
or one of a few allowed values. A value of the wrong shape raises
:class:`InvalidParameterError`, which each provider answers with its own code.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
import json
import re
from typing import Any, Final
from urllib.parse import parse_qsl

from aiohttp import web

FORM_CONTENT_TYPES: Final = ("application/x-www-form-urlencoded", "multipart/form-data")

_BRACKETS = re.compile(r"^(?P<name>[^\[\]]+)\[(?P<key>[^\[\]]*)\]$")


class InvalidParameterError(ValueError):
    """A parameter holds a value of the wrong shape, or one it may not take."""


@dataclass
class Params:
    """The request parameters an endpoint reads."""

    values: dict[str, Any] = field(default_factory=dict)
    body_error: bool = False
    """The body claimed to be JSON but was not a JSON object."""

    def get(self, name: str) -> Any:
        """A value, or None when absent."""
        return self.values.get(name)

    def __contains__(self, name: str) -> bool:
        return name in self.values

    def scalar(self, name: str) -> str | None:
        """One value as text, None when absent.

        An array, an object or a boolean where one value is expected is
        :class:`InvalidParameterError`: a JSON API cannot read it as text.
        """
        value = self.get(name)
        if value is None:
            return None
        if isinstance(value, bool | list | dict):
            raise InvalidParameterError(name)
        return str(value)

    def form_value(self, name: str) -> str | None:
        """One form field as text; an array (``name[]``) counts as absent.

        Form fields are strings or arrays only, so nothing here is of a bad shape.
        """
        value = self.get(name)
        if value is None or isinstance(value, list | dict):
            return None
        return str(value)

    def choice(self, name: str, allowed: Collection[str]) -> str | None:
        """One of ``allowed``, None when absent or empty; anything else is bad."""
        value = self.scalar(name)
        if value is None or value == "":
            return None
        if value not in allowed:
            raise InvalidParameterError(name)
        return value

    def array(self, name: str) -> list[str]:
        """An array of numbers or strings, as text; empty when absent or empty.

        A JSON array, a string of JSON text holding one, or PHP's ``name[]`` /
        ``name[key]`` (an object: its values in order). Anything else, or an
        item that is not a number or a string, is bad.
        """
        value = self.get(name)
        if value is None or value in ("", [], {}):
            return []
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except json.JSONDecodeError:
                raise InvalidParameterError(name) from None
        if isinstance(value, dict):
            value = list(value.values())
        if not isinstance(value, list):
            raise InvalidParameterError(name)
        if any(isinstance(v, bool) or not isinstance(v, str | int) for v in value):
            raise InvalidParameterError(name)
        return [str(v) for v in value]


def php_pairs(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Fold ``name[]`` / ``name[key]`` pairs into lists / dicts; last wins."""
    result: dict[str, Any] = {}
    for raw_name, value in pairs:
        match = _BRACKETS.match(raw_name)
        if match is None:
            result[raw_name] = value
            continue
        name, key = match["name"], match["key"]
        if key == "":
            current = result.get(name)
            if isinstance(current, list):
                current.append(value)
            elif isinstance(current, dict):
                current[str(len(current))] = value
            else:
                result[name] = [value]
        else:
            current = result.get(name)
            if isinstance(current, list):
                current = {str(i): v for i, v in enumerate(current)}
            elif not isinstance(current, dict):
                current = {}
            current[key] = value
            result[name] = current
    return result


type Query = tuple[dict[str, Any], list[str]]
"""A parsed query string: its values, and its keys in order."""


def parse_query(query_string: str) -> Query:
    """Query parameters, and the keys in order (``?send_sms&…`` has a bare key)."""
    pairs = parse_qsl(query_string, keep_blank_values=True, errors="replace")
    return php_pairs(pairs), [name for name, _ in pairs]


async def read_params(
    request: web.Request, query: Query, *, form: bool, json_body: bool
) -> Params:
    """The parameters one endpoint reads: the query, plus a form or a JSON body.

    ``query`` is the request's query string as :func:`parse_query` reads it.

    A form endpoint (``$_REQUEST``) sees urlencoded or multipart fields and
    nothing of a JSON body. A JSON endpoint (``php://input``) sees only the
    body: its query string is ignored, and a body that is not a JSON object (a
    form, plain words) sets ``body_error``. An empty body is no parameters.
    """
    values, _ = query
    params = Params(values=values if not json_body else {})
    if not request.can_read_body or not (form or json_body):
        return params
    if form:
        if request.content_type in FORM_CONTENT_TYPES:
            fields = await request.post()
            pairs = [(k, v) for k, v in fields.items() if isinstance(v, str)]
            params.values.update(php_pairs(pairs))
        return params
    raw = await request.read()
    if not raw.strip():
        return params
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        params.body_error = True
        return params
    if not isinstance(data, dict):
        params.body_error = True
        return params
    params.values.update({str(k): v for k, v in data.items()})
    return params
