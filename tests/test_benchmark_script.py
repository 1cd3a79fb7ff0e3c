"""The benchmark script still runs against the integration it measures."""

from __future__ import annotations

from pathlib import Path
import subprocess
import sys

REPO = Path(__file__).resolve().parents[1]


def test_the_benchmark_runs_and_writes_its_table(tmp_path: Path) -> None:
    output = tmp_path / "benchmark.md"
    subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "bench.py"),
            "--counts",
            "1",
            "3",
            "--samples",
            "2",
            "--latency",
            "0.01",
            "--output",
            str(output),
        ],
        check=True,
        cwd=REPO,
        capture_output=True,
        timeout=120,
    )
    table = output.read_text()
    assert "| recipients | requests |" in table
    assert "| ratio (median) |" in table
    assert "\n| 3 | 1 | 3 | 0.010 |" in table  # one request carried the 3 numbers
    assert "## Home Assistant " in table
    assert "Home Assistant side overhead" in table
