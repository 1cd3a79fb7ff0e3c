"""Prepare a running Home Assistant for development, over its HTTP API only.

``.venv/bin/python scripts/dev_setup.py --ha URL --emulator URL`` finishes the
onboarding with the demo owner (or logs in when that is done), then adds a
Turkey SMS and a HiSMS account against the emulator, each with one recipient,
unless accounts of the integration exist already. Running it twice changes
nothing. The end-to-end tests import the same helpers.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
import json
import os
from pathlib import Path
import shlex
import subprocess
import sys
import time
from typing import Any
import urllib.error
import urllib.parse
import urllib.request

DOMAIN = "sms_gateway"

DEMO_NAME = "Demo"
DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-password-123"  # noqa: S105 - the documented demo login

TURKEY_API_KEY = "demo-turkey-key"
HISMS_USERNAME = "966500000001"
HISMS_PASSWORD = "demo-password"  # noqa: S105 - the emulator's demo account
SENDER = "HOMEALERT"

TURKEY_RECIPIENT = ("Ayşe", ["+905321234567"])
HISMS_RECIPIENT = ("Sara", ["+966501234567"])


REPO = Path(__file__).resolve().parent.parent

CONFIGURATION_YAML = """\
# Development and test instance of Home Assistant for the SMS Gateway
# integration. Only what the frontend, the REST API and onboarding need, so
# that nothing reaches the internet and it starts in seconds.
homeassistant:
  name: SMS Gateway Demo
  latitude: 41.0082
  longitude: 28.9784
  elevation: 40
  unit_system: metric
  time_zone: Europe/Istanbul
  country: TR
  currency: TRY
  language: en

{http}
frontend:
config:
# Automations made in the UI (and by the end-to-end tests).
automation: !include automations.yaml

logger:
  default: warning
  logs:
    custom_components.sms_gateway: debug
"""

# Location, units and analytics (off) are settled by configuration.yaml, so
# those onboarding steps are marked done up front: completing them over the API
# would also start the onboarding integrations (weather, radio, text to speech),
# which need the internet. The owner account is still created by onboarding.
ONBOARDING_STORE = {
    "version": 4,
    "minor_version": 1,
    "key": "onboarding",
    "data": {"done": ["core_config", "analytics"]},
}


HTTP_YAML = """\
http:
  server_host: 127.0.0.1
  server_port: {port}
"""

# Run by the Home Assistant's own Python: newer releases keep the HTTP settings
# in storage and stage a YAML `http:` as a trial the owner must confirm in the
# browser. For those, the settings are written to storage, as confirmed.
HTTP_STORE_SNIPPET = """\
import datetime, json, sys
try:
    from homeassistant.components.http import config
except ImportError:
    sys.exit(0)
settings = dict(config.HTTP_STORAGE_SCHEMA(
    {"server_host": ["127.0.0.1"], "server_port": int(sys.argv[1])}))
settings.update(created_at=datetime.datetime.now(datetime.UTC).isoformat(),
                error=None, error_message=None)
print(json.dumps({
    "version": config.STORAGE_VERSION,
    "minor_version": config.STORAGE_MINOR_VERSION,
    "key": config.STORAGE_KEY,
    "data": {"stable": settings, "pending": None, "yaml_migration_done": True},
}, default=str))
"""


def http_store(port: int) -> dict[str, Any] | None:
    """The stored HTTP settings for the Home Assistant that will run, if it keeps them."""
    output = subprocess.run(
        [*hass_python(), "-c", HTTP_STORE_SNIPPET, str(port)],
        check=True,
        capture_output=True,
        text=True,
        cwd=REPO,
    ).stdout
    return json.loads(output) if output.strip() else None


def prepare_config_dir(config_dir: Path, port: int) -> None:
    """A configuration directory that loads this repository's integration.

    Existing files are kept, so a second run reuses everything.
    """
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / ".storage").mkdir(exist_ok=True)
    configuration = config_dir / "configuration.yaml"
    if not configuration.exists():
        store = http_store(port)
        if store is not None:
            (config_dir / ".storage" / "http").write_text(json.dumps(store, indent=2))
        configuration.write_text(
            CONFIGURATION_YAML.format(
                http="" if store is not None else HTTP_YAML.format(port=port) + "\n"
            )
        )
    automations = config_dir / "automations.yaml"
    if not automations.exists():
        automations.write_text("[]\n")
    components = config_dir / "custom_components"
    if not components.exists() and not components.is_symlink():
        components.symlink_to(REPO / "custom_components", target_is_directory=True)
    onboarding = config_dir / ".storage" / "onboarding"
    if not onboarding.exists():
        onboarding.write_text(json.dumps(ONBOARDING_STORE, indent=2))


def hass_python() -> list[str]:
    """The Python of the Home Assistant to run (see ``hass_command``)."""
    return shlex.split(
        os.environ.get("SMS_GATEWAY_HASS_PYTHON", shlex.quote(sys.executable))
    )


def hass_command(config_dir: Path) -> list[str]:
    """The command that runs Home Assistant on a configuration directory.

    SMS_GATEWAY_HASS_PYTHON names another Python with another release of Home
    Assistant (scripts/test sets it for the newest release); by default it is
    this Python.
    """
    return [
        *hass_python(),
        str(REPO / "scripts" / "run_hass.py"),
        "--config",
        str(config_dir),
        # Everything is installed from requirements/ already.
        "--skip-pip",
    ]


# Served once the frontend is set up, which needs onboarding, auth and the API.
READY_PATH = "/manifest.json"


class HomeAssistantError(RuntimeError):
    """Home Assistant answered something other than what the step needs."""


def http_json(
    method: str,
    url: str,
    body: Any = None,
    *,
    token: str | None = None,
    form: dict[str, str] | None = None,
    timeout: float = 30,
) -> tuple[int, Any]:
    """One request; returns the status and the decoded JSON body (or text)."""
    headers = {"Accept": "application/json"}
    data: bytes | None = None
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    elif body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"not a web address: {url}")
    request = urllib.request.Request(url, data=data, headers=headers, method=method)  # noqa: S310 - http(s) only, checked above
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as err:
        status, raw = err.code, err.read()
    text = raw.decode("utf-8", "replace")
    try:
        return status, json.loads(text) if text else None
    except json.JSONDecodeError:
        return status, text


def wait_until_up(url: str, timeout: float = 90, is_alive: Any = None) -> None:
    """Wait until ``url`` answers 200.

    Home Assistant's HTTP server answers 404 for a moment before its views are
    registered. ``is_alive`` (a callable) stops the wait early when the server
    process has exited.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if is_alive is not None and not is_alive():
            raise HomeAssistantError(f"the server for {url} exited")
        try:
            status, _ = http_json("GET", url, timeout=5)
        except (OSError, urllib.error.URLError):
            status = 0
        if status == 200:
            return
        time.sleep(0.5)
    raise HomeAssistantError(f"{url} did not answer within {timeout:.0f} s")


@dataclass
class HomeAssistantApi:
    """An authenticated client of one Home Assistant."""

    base_url: str
    token: str = ""

    @property
    def client_id(self) -> str:
        """The client id the frontend itself would use."""
        return self.base_url.rstrip("/") + "/"

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        """An authenticated request."""
        return http_json(method, self.base_url + path, body, token=self.token)

    def ok(self, method: str, path: str, body: Any = None) -> Any:
        """An authenticated request that must answer 200/201."""
        status, data = self.call(method, path, body)
        if status not in (200, 201):
            raise HomeAssistantError(f"{method} {path}: HTTP {status}: {data}")
        return data

    # -- onboarding and login -------------------------------------------------

    def onboarding_done(self) -> set[str]:
        """The onboarding steps already done."""
        status, steps = http_json("GET", self.base_url + "/api/onboarding")
        if status == 404:
            # Once onboarded, Home Assistant no longer serves the onboarding API.
            return {"user", "core_config", "analytics", "integration"}
        if status != 200:
            raise HomeAssistantError(f"GET /api/onboarding: HTTP {status}")
        return {step["step"] for step in steps if step["done"]}

    def _token_from_code(self, code: str) -> None:
        status, tokens = http_json(
            "POST",
            self.base_url + "/auth/token",
            form={
                "grant_type": "authorization_code",
                "code": code,
                "client_id": self.client_id,
            },
        )
        if status != 200:
            raise HomeAssistantError(f"POST /auth/token: HTTP {status}: {tokens}")
        self.token = tokens["access_token"]

    def onboard(
        self,
        name: str = DEMO_NAME,
        username: str = DEMO_USERNAME,
        password: str = DEMO_PASSWORD,
    ) -> bool:
        """Finish the onboarding (owner, location, analytics); False if done."""
        done = self.onboarding_done()
        if "user" in done:
            self.login(username, password)
        else:
            status, data = http_json(
                "POST",
                self.base_url + "/api/onboarding/users",
                {
                    "name": name,
                    "username": username,
                    "password": password,
                    "client_id": self.client_id,
                    "language": "en",
                },
            )
            if status != 200:
                raise HomeAssistantError(f"onboarding user: HTTP {status}: {data}")
            self._token_from_code(data["auth_code"])
        steps = {
            # The location, time zone and currency come from configuration.yaml.
            "core_config": ("/api/onboarding/core_config", {}),
            "analytics": ("/api/onboarding/analytics", {}),
            "integration": (
                "/api/onboarding/integration",
                {"client_id": self.client_id, "redirect_uri": self.client_id},
            ),
        }
        for step, (path, body) in steps.items():
            if step not in done:
                self.ok("POST", path, body)
        return "user" not in done

    def login(self, username: str, password: str) -> None:
        """Log in as the frontend does: a login flow, then a token."""
        flow = self._post_anon(
            "/auth/login_flow",
            {
                "client_id": self.client_id,
                "handler": ["homeassistant", None],
                "redirect_uri": self.client_id,
            },
        )
        result = self._post_anon(
            f"/auth/login_flow/{flow['flow_id']}",
            {"client_id": self.client_id, "username": username, "password": password},
        )
        if result.get("type") != "create_entry":
            raise HomeAssistantError(f"login refused: {result.get('errors')}")
        self._token_from_code(result["result"])

    def _post_anon(self, path: str, body: Any) -> Any:
        status, data = http_json("POST", self.base_url + path, body)
        if status != 200:
            raise HomeAssistantError(f"POST {path}: HTTP {status}: {data}")
        return data

    # -- config entries -------------------------------------------------------

    def entries(self, domain: str = DOMAIN) -> list[dict[str, Any]]:
        """The config entries of a domain."""
        data: list[dict[str, Any]] = self.ok(
            "GET", f"/api/config/config_entries/entry?domain={domain}"
        )
        return data

    def add_account(self, provider: str, fields: dict[str, Any]) -> dict[str, Any]:
        """Run the config flow: the menu, then the provider's form."""
        flow = self.ok(
            "POST",
            "/api/config/config_entries/flow",
            {"handler": DOMAIN, "show_advanced_options": False},
        )
        if flow.get("type") != "menu":
            raise HomeAssistantError(f"expected the provider menu, got {flow}")
        path = f"/api/config/config_entries/flow/{flow['flow_id']}"
        form = self.ok("POST", path, {"next_step_id": provider})
        if form.get("type") != "form" or form.get("step_id") != provider:
            raise HomeAssistantError(f"expected the {provider} form, got {form}")
        result: dict[str, Any] = self.ok("POST", path, fields)
        if result.get("type") != "create_entry":
            raise HomeAssistantError(f"adding the {provider} account: {result}")
        return result

    def add_recipient(
        self, entry_id: str, name: str, numbers: list[str]
    ) -> dict[str, Any]:
        """Run the recipient subentry flow."""
        flow = self.ok(
            "POST",
            "/api/config/config_entries/subentries/flow",
            {"handler": [entry_id, "recipient"], "show_advanced_options": False},
        )
        result: dict[str, Any] = self.ok(
            "POST",
            f"/api/config/config_entries/subentries/flow/{flow['flow_id']}",
            {"name": name, "numbers": numbers},
        )
        if result.get("type") != "create_entry":
            raise HomeAssistantError(f"adding recipient {name}: {result}")
        return result

    def add_demo_accounts(self, emulator_url: str) -> list[str]:
        """One Turkey SMS and one HiSMS account, each with a recipient."""
        advanced = {"advanced": {"base_url": emulator_url}}
        turkey = self.add_account(
            "turkey_sms", {"api_key": TURKEY_API_KEY, "sender": SENDER, **advanced}
        )
        self.add_recipient(turkey["result"]["entry_id"], *TURKEY_RECIPIENT)
        hisms = self.add_account(
            "hisms",
            {
                "username": HISMS_USERNAME,
                "password": HISMS_PASSWORD,
                "sender": SENDER,
                **advanced,
            },
        )
        self.add_recipient(hisms["result"]["entry_id"], *HISMS_RECIPIENT)
        self.wait_until_loaded()
        return [turkey["title"], hisms["title"]]

    def wait_until_loaded(self, timeout: float = 90) -> list[dict[str, Any]]:
        """Entries are set up (and reloaded after a recipient) in the background."""
        deadline = time.monotonic() + timeout
        while True:
            entries = self.entries()
            states = {entry["state"] for entry in entries}
            if states <= {"loaded"} or time.monotonic() > deadline:
                return entries
            time.sleep(0.25)

    def wait_for_state(self, entity_id: str, wanted: str, timeout: float = 30) -> None:
        """Wait until an entity exists with this state."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status, state = self.call("GET", f"/api/states/{entity_id}")
            if status == 200 and state["state"] == wanted:
                return
            time.sleep(0.25)
        raise HomeAssistantError(f"{entity_id} is not {wanted} after {timeout:.0f} s")


def main(argv: list[str] | None = None) -> int:
    """Onboard and add the demo accounts; exit status 1 on failure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ha", default="http://127.0.0.1:8123")
    parser.add_argument("--emulator", default="http://127.0.0.1:8124")
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument(
        "--prepare",
        metavar="CONFIG_DIR",
        type=Path,
        help="only write the configuration directory for --ha's port, then exit",
    )
    args = parser.parse_args(argv)
    if args.prepare:
        port = urllib.parse.urlsplit(args.ha).port or 8123
        prepare_config_dir(args.prepare, port)
        return 0
    try:
        wait_until_up(args.ha + READY_PATH, args.timeout)
        api = HomeAssistantApi(args.ha)
        if api.onboard():
            print(f"Onboarding done: owner {DEMO_NAME!r} created")
        else:
            print("Onboarding was done before; logged in")
        if existing := api.entries():
            titles = ", ".join(entry["title"] for entry in existing)
            print(f"SMS Gateway accounts already there: {titles}")
        else:
            titles = ", ".join(api.add_demo_accounts(args.emulator))
            print(f"Added SMS Gateway accounts: {titles}")
    except (HomeAssistantError, OSError) as err:
        print(f"dev setup failed: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
