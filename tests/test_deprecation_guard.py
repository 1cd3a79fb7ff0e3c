"""The suite's guard sees every deprecation report Home Assistant makes about us.

Home Assistant reports each (integration, use) once per process; the test
harness makes it forget between tests, so a use that an earlier test already
made still fails the test that makes it again. The real-process tests read
the whole log of their process instead (tests/e2e).
"""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers.frame import report_usage
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.sms_gateway.const import DOMAIN

from .conftest import reports_about_us


@pytest.mark.parametrize("attempt", ["first report", "same report again"])
async def test_a_report_is_caught_each_time_it_is_made(
    hass: HomeAssistant,
    turkey_sms: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
    attempt: str,
) -> None:
    report_usage(
        "uses something that stops working",
        breaks_in_ha_version="2099.1.0",
        integration_domain=DOMAIN,
    )

    found = reports_about_us(caplog.records, [])
    # Checked here: the guard itself would fail this test at its end.
    caplog.clear()
    assert len(found) == 1
    assert "uses something that stops working" in found[0]
