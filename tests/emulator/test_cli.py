"""``python -m sms_emulator`` and the pytest plugin."""

from __future__ import annotations

import json
from pathlib import Path
import signal
import socket
import subprocess
import sys
import urllib.request

import pytest

from sms_emulator import Emulator, Seed
from sms_emulator.__main__ import main, parse_args

from .helpers import Api, auth, serving

REPO = Path(__file__).parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.usefixtures("socket_enabled")
def test_module_runs_and_stops_on_ctrl_c() -> None:
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sms_emulator",
            "--port",
            str(port),
            "--result-style",
            "string",
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first.strip() == f"SMS emulator running at http://127.0.0.1:{port}"
        assert proc.stdout.readline().strip() == f"Inbox: http://127.0.0.1:{port}/inbox"
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/_emulator/state", timeout=5
        ) as response:
            state = json.loads(response.read())
        assert state["settings"]["result_style"] == "string"
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0
    assert "SMS emulator stopped" in out
    assert "Traceback" not in err


def test_bad_seed_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--seed", str(tmp_path / "missing.json")]) == 2
    bad = tmp_path / "bad.json"
    bad.write_text('{"turkey_accounts": 1}', "utf-8")
    assert main(["--seed", str(bad)]) == 2
    assert "turkey_accounts must be a list" in capsys.readouterr().err


@pytest.mark.usefixtures("socket_enabled")
async def test_serve_until_stopped(capsys: pytest.CaptureFixture[str]) -> None:
    args = parse_args(["--port", "0", "--latency", "0", "--rate-limit-per-minute", "9"])
    async with serving(args, capsys):
        pass
    assert "stopped" in capsys.readouterr().out


def test_invalid_group_numbers_option() -> None:
    assert parse_args([]).invalid_group_numbers == "accept_valid"
    args = parse_args(["--invalid-group-numbers", "reject_group"])
    assert args.invalid_group_numbers == "reject_group"
    emu = Emulator(invalid_group_numbers="reject_group")
    assert emu.settings.invalid_group_numbers == "reject_group"
    with pytest.raises(ValueError, match="invalid_group_numbers"):
        emu.invalid_group_numbers = "sometimes"


class TestSeedOverride:
    @pytest.fixture
    def emulator_seed(self) -> Seed:
        seed = Seed.default()
        seed.hisms_accounts[0].balance = 3
        return seed

    async def test_overridden_seed(self, api: Api, emulator: Emulator) -> None:
        assert emulator.base_url is not None
        assert emulator.base_url.startswith("http://127.0.0.1:")
        assert await api.hisms("get_balance", **auth()) == "BLANCE:3"


async def test_restart_and_double_start(emulator: Emulator) -> None:
    with pytest.raises(RuntimeError):
        await emulator.start()
    await emulator.stop()
    assert emulator.base_url is None
    await emulator.stop()
    url = await emulator.start()
    assert url.startswith("http://127.0.0.1:")


@pytest.mark.usefixtures("socket_enabled")
async def test_start_failure_cleans_up() -> None:
    first = Emulator()
    url = await first.start()
    port = int(url.rsplit(":", 1)[1])
    second = Emulator()
    try:
        with pytest.raises(OSError):
            await second.start(port=port)
    finally:
        await first.stop()


def test_invalid_settings() -> None:
    with pytest.raises(ValueError):
        Emulator(result_style="xml")
    emu = Emulator()
    with pytest.raises(TypeError):
        emu.latency = "1"  # type: ignore[assignment]
    with pytest.raises(ValueError):
        emu.rate_limit_per_minute = -5
