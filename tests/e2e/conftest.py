"""Real processes for the end-to-end tests: the emulator and Home Assistant.

Each test module gets its own emulator and Home Assistant (module scope), on
free loopback ports, with a fresh configuration directory. They are stopped
after the module even when a test fails; their output goes to log files in
the configuration directory, which a failing start shows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
import shutil
import socket
import sys
import time
from typing import Any

import pytest
import pytest_socket

from local_hass.api import HomeAssistantApi, http_json
from local_hass.config_dir import prepare_config_dir
from local_hass.demo import OWNER
from local_hass.process import HASS_READY_PATH, ServerProcess, hass_command

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """No in-process Home Assistant here: the real one loads the integration."""


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class RealHomeAssistant:
    """A Home Assistant process with an onboarded owner and a token."""

    server: ServerProcess
    config_dir: Path
    api: HomeAssistantApi

    @property
    def url(self) -> str:
        """Its address."""
        return self.server.url

    def restart(self) -> None:
        """Stop the process and start it again on the same configuration."""
        self.server.stop()
        self.server.start()
        self.api.login(OWNER.username, OWNER.password)

    def reports_about_us(self) -> list[str]:
        """What Home Assistant logged as deprecated or soon breaking in our code."""
        text = self.server.log_path.read_text(errors="replace")
        return [
            line
            for line in text.splitlines()
            if "custom integration 'sms_gateway'" in line
            or ("sms_gateway" in line and "deprecat" in line.lower())
        ]

    def stop(self) -> None:
        """Shut Home Assistant down, so that its log is complete."""
        self.server.stop()

    def error_lines(self) -> list[str]:
        """Logged errors that concern this integration."""
        text = self.server.log_path.read_text(errors="replace")
        return [
            line
            for line in text.splitlines()
            if " ERROR " in line and "sms_gateway" in line
        ]


@dataclass
class Emulator:
    """The provider emulator process and its control API."""

    server: ServerProcess

    @property
    def url(self) -> str:
        """Its address: the base_url of the accounts."""
        return self.server.url

    def state(self) -> dict[str, Any]:
        """GET /_emulator/state."""
        status, data = http_json("GET", self.url + "/_emulator/state")
        assert status == 200, data
        assert isinstance(data, dict)
        return data

    def log(self) -> list[dict[str, Any]]:
        """The provider request log, oldest first."""
        return list(reversed(self.state()["log"]))

    def wait_for_log(
        self,
        before: int,
        wanted: Callable[[dict[str, Any]], bool],
        timeout: float = 30,
    ) -> list[dict[str, Any]]:
        """The wanted requests after the first ``before``, once there are any."""
        deadline = time.monotonic() + timeout
        while True:
            found = [entry for entry in self.log()[before:] if wanted(entry)]
            if found or time.monotonic() > deadline:
                return found
            time.sleep(0.25)


@pytest.fixture(scope="module")
def loopback() -> None:
    """Sockets for the module's fixtures; the tests get ``socket_enabled``.

    pytest-homeassistant-custom-component allows only 127.0.0.1, which is all
    these processes use.
    """
    pytest_socket.enable_socket()


@pytest.fixture(scope="module")
def e2e_dir(request: pytest.FixtureRequest) -> Path:
    """A fresh directory for the module's processes, inside the repository.

    A Home Assistant on another Python may run in a root of its own where only
    the repository is mounted (scripts/py314), so the configuration lives here.
    """
    directory = REPO / ".e2e" / request.module.__name__.rpartition(".")[2]
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    return directory


@pytest.fixture(scope="module")
def emulator_process(loopback: None, e2e_dir: Path) -> Iterator[Emulator]:
    """``python -m sms_emulator`` on a free port, with the default seed."""
    port = free_port()
    server = ServerProcess(
        name="the SMS emulator",
        command=[sys.executable, "-m", "sms_emulator", "--port", str(port)],
        port=port,
        log_path=e2e_dir / "emulator.log",
        ready_path="/_emulator/state",
    )
    try:
        server.start(timeout=30)
        yield Emulator(server)
    finally:
        server.stop()


@pytest.fixture(scope="module")
def real_hass(loopback: None, e2e_dir: Path) -> Iterator[RealHomeAssistant]:
    """A real Home Assistant with the integration, onboarded, no accounts yet."""
    port = free_port()
    config_dir = e2e_dir / "config"
    prepare_config_dir(config_dir, port)
    server = ServerProcess(
        name="Home Assistant",
        command=hass_command(config_dir),
        port=port,
        log_path=e2e_dir / "home-assistant.out",
        ready_path=HASS_READY_PATH,
    )
    try:
        server.start()
        api = HomeAssistantApi(server.url)
        api.onboard(OWNER)
        yield RealHomeAssistant(server, config_dir, api)
    finally:
        server.stop()


@pytest.fixture(scope="module")
def ha(real_hass: RealHomeAssistant, emulator_process: Emulator) -> RealHomeAssistant:
    """Home Assistant, with the emulator running for its accounts."""
    return real_hass


def wait_until(found: Callable[[], Any], what: str, timeout: float = 30) -> Any:
    """Poll until ``found()`` is truthy and return it; fail naming ``what``."""
    deadline = time.monotonic() + timeout
    while not (result := found()):
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {timeout:.0f} s")
        time.sleep(0.25)
    return result


def change_emulator_account(
    emulator: Emulator, provider: str, account_id: str, **changes: Any
) -> dict[str, Any]:
    """PATCH an emulator account (a new key, senders...); the account after it."""
    status, account = http_json(
        "PATCH", f"{emulator.url}/_emulator/accounts/{provider}/{account_id}", changes
    )
    assert status == 200, account
    assert isinstance(account, dict)
    return account


def stop_and_check_reports(ha: RealHomeAssistant) -> list[str]:
    """Stop Home Assistant, so its log is complete, and find no report about us.

    Home Assistant reports each use once per process, so the whole log counts.
    Returns the logged errors that concern the integration.
    """
    ha.stop()
    assert ha.reports_about_us() == []
    return ha.error_lines()
