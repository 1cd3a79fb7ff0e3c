"""A value the action schema refuses, on every supported release.

Home Assistant raises the schema library's ``Invalid`` (voluptuous up to
2026.8, probatio under the name ``voluptuous`` from 2026.9), and some releases
wrap it in a ``ServiceValidationError`` of its own domain. The texts differ
between the libraries, so only the class and the domain are asserted.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from homeassistant.core import DOMAIN as HOMEASSISTANT_DOMAIN
from homeassistant.exceptions import ServiceValidationError
import pytest
import voluptuous as vol


@contextmanager
def refused_by_schema() -> Iterator[None]:
    """The call inside is refused by Home Assistant's schema check."""
    with pytest.raises((vol.Invalid, ServiceValidationError)) as caught:
        yield
    if isinstance(caught.value, ServiceValidationError):
        assert caught.value.translation_domain == HOMEASSISTANT_DOMAIN
