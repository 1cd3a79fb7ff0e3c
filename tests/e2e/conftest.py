"""Real processes for the end-to-end tests: the emulator and Home Assistant.

Each test module gets its own emulator and Home Assistant (module scope), on
free loopback ports, with a fresh configuration directory. They are stopped
after the module even when a test fails; their output goes to log files in
the configuration directory, which a failing start shows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
import contextlib
from dataclasses import dataclass, field
import os
from pathlib import Path
import shutil
import signal
import socket
import subprocess
import sys
import time
from typing import Any

import pytest
import pytest_socket

from tests.scripts import load_script

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT = 90.0
STOP_TIMEOUT = 30.0


dev_setup = load_script("dev_setup.py", "sms_gateway_dev_setup")
HomeAssistantApi = dev_setup.HomeAssistantApi
http_json = dev_setup.http_json


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
class Server:
    """A child process serving HTTP on 127.0.0.1."""

    name: str
    command: list[str]
    port: int
    log_path: Path
    ready_path: str
    process: subprocess.Popen[bytes] | None = None
    _log: Any = field(default=None, repr=False)

    @property
    def url(self) -> str:
        """Where it answers."""
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = START_TIMEOUT) -> None:
        """Start it and wait until ``ready_path`` answers 200."""
        assert self.process is None, f"{self.name} is running already"
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self.command,
            cwd=REPO,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        try:
            dev_setup.wait_until_up(
                self.url + self.ready_path, timeout, is_alive=self.alive
            )
        except dev_setup.HomeAssistantError as err:
            self.stop()
            pytest.fail(f"{self.name} did not start: {err}\n{self.log_tail()}")

    def alive(self) -> bool:
        """Whether the process still runs."""
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        """SIGTERM, then SIGKILL to the whole process group if it lingers."""
        process, self.process = self.process, None
        if process is not None:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(STOP_TIMEOUT)
                except subprocess.TimeoutExpired:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(process.pid, signal.SIGKILL)
                    process.wait(STOP_TIMEOUT)
            # Anything it started itself goes with it.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        if self._log is not None:
            self._log.close()
            self._log = None

    def log_tail(self, lines: int = 60) -> str:
        """The end of its output, for failure messages."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


@dataclass
class RealHomeAssistant:
    """A Home Assistant process with an onboarded owner and a token."""

    server: Server
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
        self.api.login(dev_setup.DEMO_USERNAME, dev_setup.DEMO_PASSWORD)

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

    server: Server

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
    server = Server(
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
    dev_setup.prepare_config_dir(config_dir, port)
    server = Server(
        name="Home Assistant",
        command=dev_setup.hass_command(config_dir),
        port=port,
        log_path=e2e_dir / "home-assistant.out",
        ready_path=dev_setup.READY_PATH,
    )
    try:
        server.start()
        api = HomeAssistantApi(server.url)
        api.onboard()
        yield RealHomeAssistant(server, config_dir, api)
    finally:
        server.stop()
