"""The UI in headless Chromium: log in, add a Turkey SMS account, see its sensors.

Then the send_sms action form with its date and time picker, and a dashboard
card with the balance and the sent counters.

Uses Debian's Chromium (``/usr/bin/chromium``) through Playwright; both are
installed by the setup scripts, so their absence fails the test. Screenshots
for the README are written to ``docs/screenshots/``.
"""

from __future__ import annotations

from collections.abc import Iterator
import contextlib
import os
from pathlib import Path
import shutil
from typing import TYPE_CHECKING, Any

import pytest

from local_hass.demo import ACCOUNTS, OWNER

from .conftest import REPO, Emulator, RealHomeAssistant

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page, Route

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
]
SCREENSHOTS = REPO / "docs" / "screenshots"
BRAND = REPO / "custom_components" / "sms_gateway" / "brand"
TIMEOUT_MS = 60_000


@contextlib.contextmanager
def chromium() -> Iterator[Browser]:
    """Headless Chromium; missing pieces are a failure, not a skip.

    Started inside the test rather than in a fixture: Playwright runs its own
    event loop, which must be closed before the test harness checks its own.
    """
    try:
        from playwright.sync_api import sync_playwright  # noqa: PLC0415
    except ImportError:
        pytest.fail(
            "playwright is not installed: run scripts/bootstrap (requirements/dev.txt)",
            pytrace=False,
        )
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run scripts/bootstrap "
            "(apt-get install chromium) or set CHROMIUM",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def home_assistant_page(
    browser: Browser, real_hass: RealHomeAssistant, height: int = 860
) -> Iterator[Page]:
    """A page of Home Assistant with nothing leaving the machine.

    A failure leaves a screenshot next to the configuration directory.
    """
    context = browser.new_context(
        viewport={"width": 1280, "height": height}, color_scheme="light", locale="en-US"
    )
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        _serve_offline(page, real_hass.url)
        yield page
    except Exception:
        page.screenshot(path=real_hass.config_dir.parent / "browser-failure.png")
        raise
    finally:
        context.close()


def _serve_offline(page: Page, base_url: str) -> None:
    """Nothing leaves the machine; the integration's icon comes from brand/."""

    def handle(route: Route) -> None:
        url = route.request.url
        if url.startswith(base_url):
            route.continue_()
        elif "brands.home-assistant.io" in url and "/sms_gateway/" in url:
            name = "icon@2x.png" if "@2x" in url else "icon.png"
            route.fulfill(path=BRAND / name, content_type="image/png")
        else:
            route.abort()

    page.route("**/*", handle)


def _field(page: Page, label: str) -> Locator:
    """A form field by its label; newer frontends name the text box instead."""
    return page.get_by_label(label).or_(page.get_by_role("textbox", name=label)).first


def _log_in(page: Page, ha: RealHomeAssistant) -> None:
    page.goto(ha.url + "/")
    page.get_by_label("Username").fill(OWNER.username)
    page.get_by_label("Password", exact=True).fill(OWNER.password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/auth/" not in url and "auth_callback" not in url)


def _device_id(ha: RealHomeAssistant) -> str:
    status, device_id = ha.api.call(
        "POST",
        "/api/template",
        {
            "template": "{{ integration_entities('sms_gateway') "
            "| map('device_id') | reject('none') | first }}"
        },
    )
    assert status == 200, device_id
    return str(device_id)


def test_add_turkey_sms_in_the_ui(
    real_hass: RealHomeAssistant, emulator_process: Emulator, socket_enabled: Any
) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with chromium() as browser:
        _add_turkey_sms(browser, real_hass, emulator_process)
        _inbox_shows_a_sent_message(browser, real_hass, emulator_process)
        _action_form_and_dashboard_card(browser, real_hass)

    entries = real_hass.api.entries()
    assert [e["title"] for e in entries] == ["Turkey SMS Demo Home"]
    assert entries[0]["state"] == "loaded"
    turkey = [e for e in emulator_process.log() if e["provider"] == "turkey_sms"]
    assert turkey[0]["function"] == "login"
    sends = [e["function"] for e in turkey if e["function"].startswith(("send", "otp"))]
    assert sends == ["send_one"]  # the one message shown on the inbox page
    for name in (
        "config_flow.png",
        "device_created.png",
        "device.png",
        "inbox.png",
        "send_sms_action.png",
    ):
        assert (SCREENSHOTS / name).stat().st_size > 10_000
    # One card, not a page.
    assert (SCREENSHOTS / "sent_card.png").stat().st_size > 3_000


def _inbox_shows_a_sent_message(
    browser: Browser, real_hass: RealHomeAssistant, emulator_process: Emulator
) -> None:
    """A send_sms from Home Assistant appears on the emulator's inbox page."""
    status, _ = real_hass.api.call(
        "POST",
        "/api/services/sms_gateway/send_sms",
        {"recipients": ["+905321234567"], "message": "The garage door is open"},
    )
    assert status == 200
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        page.goto(emulator_process.url + "/")
        page.get_by_text("The garage door is open").first.wait_for()
        page.screenshot(path=SCREENSHOTS / "inbox.png")
    finally:
        context.close()


SENT_CARD: dict[str, Any] = {
    "type": "entities",
    "title": "SMS",
    "entities": [
        {"entity": "sensor.turkey_sms_demo_home_local_sms_balance", "name": "Balance"},
        {"entity": "sensor.turkey_sms_demo_home_sms_parts_sent", "name": "Parts sent"},
        {
            "entity": "sensor.turkey_sms_demo_home_messages_sent",
            "name": "Messages sent",
        },
    ],
}
"""The README's dashboard card, without the statistics graph that needs hours."""


def _action_form_and_dashboard_card(
    browser: Browser, real_hass: RealHomeAssistant
) -> None:
    """Developer tools → Actions shows send_sms with a date and time picker."""
    with home_assistant_page(browser, real_hass, height=1100) as page:
        # The action the page opens with, as it remembers the last one.
        page.add_init_script(
            "localStorage.setItem('panel-dev-action-state-service-data', "
            "JSON.stringify({action: 'sms_gateway.send_sms', data: {}}));"
            "localStorage.setItem('panel-dev-action-state-yaml-mode', 'false');"
        )
        _log_in(page, real_hass)
        page.goto(real_hass.url + "/developer-tools/action")
        page.get_by_text("Send at").first.wait_for()
        send_at = page.locator("ha-selector-datetime").first
        send_at.wait_for()
        send_at.scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        page.screenshot(path=SCREENSHOTS / "send_sms_action.png")

        # A dashboard of its own: the default one differs between releases.
        page.evaluate(
            """async card => {
                const hass = document.querySelector('home-assistant').hass;
                await hass.callWS({
                    type: 'lovelace/dashboards/create',
                    url_path: 'sms-gateway',
                    title: 'SMS',
                    mode: 'storage',
                });
                await hass.callWS({
                    type: 'lovelace/config/save',
                    url_path: 'sms-gateway',
                    config: {views: [{title: 'SMS', path: 'sms', cards: [card]}]},
                });
            }""",
            SENT_CARD,
        )
        page.goto(real_hass.url + "/sms-gateway/sms")
        page.get_by_text("Messages sent").first.wait_for()
        page.get_by_text("Parts sent").first.wait_for()
        page.wait_for_timeout(500)
        page.locator("hui-entities-card").first.screenshot(
            path=SCREENSHOTS / "sent_card.png"
        )


def _add_turkey_sms(
    browser: Browser, real_hass: RealHomeAssistant, emulator_process: Emulator
) -> None:
    with home_assistant_page(browser, real_hass) as page:
        _log_in(page, real_hass)

        # Settings → Devices & services → Add integration → SMS Gateway.
        page.goto(real_hass.url + "/config/integrations/dashboard")
        page.get_by_role("button", name="Add integration").click()
        # A labelled field on 2026.2, a placeholder on newer releases.
        search = "Search for a brand name"
        page.get_by_label(search).or_(page.get_by_placeholder(search)).first.fill(
            "SMS Gateway"
        )
        page.get_by_text("SMS Gateway", exact=True).click()

        # The provider menu, then the Turkey SMS form.
        page.get_by_text("Turkey SMS", exact=True).click()
        _field(page, "API key").fill(ACCOUNTS.turkey_api_key)
        _field(page, "Sender ID").fill(ACCOUNTS.sender)
        page.get_by_text("Advanced settings").click()
        _field(page, "API address").fill(emulator_process.url)
        page.wait_for_timeout(500)  # let the ripple and focus settle
        page.screenshot(path=SCREENSHOTS / "config_flow.png")
        page.get_by_role("button", name="Submit").click()

        # The account is checked with the provider and its device created.
        finish = page.get_by_role("button", name="Skip and finish")
        finish.wait_for()
        page.wait_for_timeout(500)
        page.screenshot(path=SCREENSHOTS / "device_created.png")
        finish.click()

        # The device page lists the balance sensors with their values.
        real_hass.api.wait_until_loaded()
        page.goto(f"{real_hass.url}/config/devices/device/{_device_id(real_hass)}")
        page.get_by_text("Local SMS balance").first.wait_for()
        page.get_by_text("International balance").first.wait_for()
        page.get_by_text("1,000 SMS").first.wait_for()
        page.wait_for_timeout(500)
        page.screenshot(path=SCREENSHOTS / "device.png")
