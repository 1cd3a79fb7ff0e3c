"""Run a server as a child process: Home Assistant, or the provider emulator.

``SMS_GATEWAY_HASS_PYTHON`` names the Python of the Home Assistant to run, a
command line (``scripts/test`` sets ``scripts/py314 run …/python`` for the
newest release); by default it is the Python running this.
"""

from __future__ import annotations

from collections.abc import Callable
import contextlib
from dataclasses import dataclass, field
import os
from pathlib import Path
import shlex
import signal
import subprocess
import sys
import time
from typing import IO, Final
import urllib.error

from .api import http_json

REPO: Final = Path(__file__).resolve().parent.parent

HASS_READY_PATH: Final = "/manifest.json"
"""Served once the frontend is set up, which needs onboarding, auth and the API."""

STOP_TIMEOUT: Final = 30.0


class ServerNotReadyError(RuntimeError):
    """A server did not answer in time, or exited first."""


def hass_python() -> list[str]:
    """The command line of the Python of the Home Assistant to run."""
    return shlex.split(
        os.environ.get("SMS_GATEWAY_HASS_PYTHON", shlex.quote(sys.executable))
    )


def hass_command(config_dir: Path) -> list[str]:
    """The command that runs Home Assistant on a configuration directory."""
    return [
        *hass_python(),
        str(REPO / "scripts" / "run_hass.py"),
        "--config",
        str(config_dir),
        # Everything is installed from requirements/ already.
        "--skip-pip",
    ]


def wait_until_up(
    url: str, timeout: float = 90, is_alive: Callable[[], bool] | None = None
) -> None:
    """Wait until ``url`` answers 200.

    Home Assistant's HTTP server answers 404 for a moment before its views are
    registered. ``is_alive`` stops the wait early when the server process has
    exited.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if is_alive is not None and not is_alive():
            raise ServerNotReadyError(f"the server for {url} exited")
        try:
            status, _ = http_json("GET", url, timeout=5)
        except (OSError, urllib.error.URLError):
            status = 0
        if status == 200:
            return
        time.sleep(0.5)
    raise ServerNotReadyError(f"{url} did not answer within {timeout:.0f} s")


@dataclass
class ServerProcess:
    """A child process serving HTTP on 127.0.0.1, its output in a log file."""

    name: str
    command: list[str]
    port: int
    log_path: Path
    ready_path: str
    process: subprocess.Popen[bytes] | None = None
    _log: IO[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        """Where it answers."""
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 90) -> None:
        """Start it and wait until ``ready_path`` answers 200.

        A server that does not come up is stopped; the error carries the end
        of its log.
        """
        if self.process is not None:
            raise RuntimeError(f"{self.name} is running already")
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(  # noqa: S603 - a command of this project
            self.command,
            cwd=REPO,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        try:
            wait_until_up(self.url + self.ready_path, timeout, is_alive=self.alive)
        except ServerNotReadyError as err:
            self.stop()
            raise ServerNotReadyError(
                f"{self.name} did not start: {err}\n{self.log_tail()}"
            ) from None

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
