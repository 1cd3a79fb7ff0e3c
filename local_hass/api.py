"""A client of a running Home Assistant's HTTP API, as its frontend uses it.

Onboarding, the login flow, config entries and the config and subentry flows
of the integration: enough to set up a development instance and to drive the
end-to-end tests. Standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass
import json
import time
from typing import Any, Final
import urllib.error
import urllib.parse
import urllib.request

DOMAIN: Final = "sms_gateway"
"""The integration this Home Assistant is set up with."""

ONBOARDED: Final = frozenset({"user", "core_config", "analytics", "integration"})


class HomeAssistantApiError(RuntimeError):
    """Home Assistant answered something other than what the step needs."""


@dataclass(frozen=True)
class Owner:
    """The person onboarding creates, and their login."""

    name: str
    username: str
    password: str


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
            raise HomeAssistantApiError(f"{method} {path}: HTTP {status}: {data}")
        return data

    # -- onboarding and login -------------------------------------------------

    def onboarding_done(self) -> set[str]:
        """The onboarding steps already done."""
        status, steps = http_json("GET", self.base_url + "/api/onboarding")
        if status == 404:
            # Once onboarded, Home Assistant no longer serves the onboarding API.
            return set(ONBOARDED)
        if status != 200:
            raise HomeAssistantApiError(f"GET /api/onboarding: HTTP {status}")
        return {step["step"] for step in steps if step["done"]}

    def onboard(self, owner: Owner) -> bool:
        """Finish the onboarding as ``owner``, or log in; False if it was done.

        The location, time zone and currency come from configuration.yaml, so
        the remaining steps take no answers.
        """
        done = self.onboarding_done()
        if "user" in done:
            self.login(owner.username, owner.password)
        else:
            data = self._post_anon(
                "/api/onboarding/users",
                {
                    "name": owner.name,
                    "username": owner.username,
                    "password": owner.password,
                    "client_id": self.client_id,
                    "language": "en",
                },
            )
            self._token_from_code(data["auth_code"])
        steps = {
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
            raise HomeAssistantApiError(f"login refused: {result.get('errors')}")
        self._token_from_code(result["result"])

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
            raise HomeAssistantApiError(f"POST /auth/token: HTTP {status}: {tokens}")
        self.token = tokens["access_token"]

    def _post_anon(self, path: str, body: Any) -> Any:
        status, data = http_json("POST", self.base_url + path, body)
        if status != 200:
            raise HomeAssistantApiError(f"POST {path}: HTTP {status}: {data}")
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
            raise HomeAssistantApiError(f"expected the provider menu, got {flow}")
        path = f"/api/config/config_entries/flow/{flow['flow_id']}"
        form = self.ok("POST", path, {"next_step_id": provider})
        if form.get("type") != "form" or form.get("step_id") != provider:
            raise HomeAssistantApiError(f"expected the {provider} form, got {form}")
        result: dict[str, Any] = self.ok("POST", path, fields)
        if result.get("type") != "create_entry":
            raise HomeAssistantApiError(f"adding the {provider} account: {result}")
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
            raise HomeAssistantApiError(f"adding recipient {name}: {result}")
        return result

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
        raise HomeAssistantApiError(
            f"{entity_id} is not {wanted} after {timeout:.0f} s"
        )
