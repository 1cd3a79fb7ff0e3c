"""Scripted delivery: statuses that move on over time, per number."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from sms_emulator import Emulator, ManualClock
from sms_emulator.__main__ import main, parse_args
from sms_emulator.delivery import parse_cli_script, parse_script

from .helpers import (
    GROUP,
    LOCAL,
    LOCAL_VODAFONE,
    Api,
    send_one,
    send_to_group,
    serving,
    status_of,
)


async def test_out_of_coverage_then_delivered(
    api: Api, emulator: Emulator, clock: ManualClock
) -> None:
    emulator.script_delivery(LOCAL, [(0, "out_of_coverage"), (90, "delivered")])
    sms_id = (await send_one(api))["sms_id"]
    clock.advance(60)
    assert (await status_of(api, sms_id))["sms_status_code"] == "TS-1023"
    clock.advance(30)
    data = await status_of(api, sms_id)
    assert data["sms_status_code"] == "TS-1024"
    assert emulator.sent_messages()[0].done_at == clock.now


async def test_not_delivered_in_a_group_report(
    api: Api, emulator: Emulator, clock: ManualClock
) -> None:
    emulator.script_delivery(LOCAL, [(0, "pending"), (20, "not_delivered")])
    emulator.script_delivery(LOCAL_VODAFONE, [(5, "delivered")])
    sent = await send_to_group(
        api, GROUP, text="Leak", sentto=[LOCAL, LOCAL_VODAFONE], report=1
    )
    report_id = sent["rapor_id"]
    rows = (await api.turkey("/rapor/detayli", raporid=report_id))["numbers"]
    assert [row["sms_status"] for row in rows] == [
        "Number out of coverage, not received yet"
    ] * 2
    clock.advance(20)
    rows = (await api.turkey("/rapor/detayli", raporid=report_id))["numbers"]
    assert [row["sms_status"] for row in rows] == [
        "Number did not receive the message",
        "Number received the message",
    ]


async def test_scripts_through_the_control_api(api: Api, emulator: Emulator) -> None:
    body = {"+90 532 123 45 67": [[30, "delivered"], [0, "out_of_coverage"]]}
    assert await api.admin("POST", "/delivery-scripts", body) == {
        LOCAL: [[0.0, "pending"], [30.0, "delivered"]]
    }
    assert LOCAL in await api.admin("GET", "/delivery-scripts")
    await api.admin("POST", "/delivery-scripts", {LOCAL: "x"}, expect=400)
    assert await api.admin("DELETE", "/delivery-scripts") == {}
    assert emulator.state.delivery_scripts == {}


@pytest.mark.parametrize(
    "steps",
    [[], [(1,)], ["ab"], [(True, "delivered")], [(-1, "delivered")], [(0, "lost")]],
)
def test_bad_scripts_are_refused(steps: list[Any]) -> None:
    with pytest.raises((TypeError, ValueError)):
        parse_script(steps)


def test_command_line_scripts(capsys: pytest.CaptureFixture[str]) -> None:
    number, script = parse_cli_script(f"{LOCAL}=out_of_coverage@0,delivered@90")
    assert number == LOCAL
    assert [(s.after_seconds, s.status) for s in script] == [
        (0, "TS-1023"),
        (90, "TS-1024"),
    ]
    with pytest.raises(ValueError, match="seconds"):
        parse_cli_script(f"{LOCAL}=delivered@soon")
    assert main(["--delivery-script", f"{LOCAL}=lost@1"]) == 2
    assert "state" in capsys.readouterr().err


async def test_serve_with_a_script(
    http: aiohttp.ClientSession, capsys: pytest.CaptureFixture[str]
) -> None:
    args = parse_args(["--port", "0", "--delivery-script", f"{LOCAL}=delivered@5"])

    async with (
        serving(args, capsys) as base_url,
        http.get(f"{base_url}/_emulator/delivery-scripts") as response,
    ):
        assert response.status == 200
        scripts = await response.json()

    assert scripts == {LOCAL: [[5.0, "delivered"]]}
    assert "SMS emulator stopped" in capsys.readouterr().out
    with pytest.raises(aiohttp.ClientConnectionError):
        await http.get(f"{base_url}/_emulator/delivery-scripts")
