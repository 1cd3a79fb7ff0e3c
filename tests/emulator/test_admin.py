"""The /_emulator/ control API and the inbox page."""

from __future__ import annotations

import aiohttp
import pytest

from sms_emulator import Emulator, Fault

from .helpers import HISMS_USER, LOCAL, Api, auth, send


async def test_state(api: Api, emulator: Emulator) -> None:
    await api.turkey("/gonder/add-content", title="HOMEALERT", text="Hi", sentto=LOCAL)
    await api.hisms("send_sms", **send(date="2099-01-01", time="10:00"))
    await api.hisms("forgot_password", **auth())
    state = await api.admin("GET", "/state")
    text = str(state)
    assert "demo-turkey-key" not in text
    assert "demo-password" not in text
    turkey_accounts = {a["user_id"]: a for a in state["accounts"]["turkey_sms"]}
    assert turkey_accounts["100200"]["local_balance"] == 999
    assert turkey_accounts["100200"]["international_balance_tl"] == "250.00"
    hisms_accounts = {a["username"]: a for a in state["accounts"]["hisms"]}
    assert hisms_accounts[HISMS_USER]["balance"] == 499
    assert state["messages_by_number"][LOCAL][0]["text"] == "Hi"
    assert state["messages_by_number"][LOCAL][0]["status"] == "TS-1023"
    assert len(state["scheduled"]) == 1
    assert state["scheduled"][0]["scheduled_for"].startswith(
        "2099-01-01T10:00:00+03:00"
    )
    assert state["reminders"][0]["number"] == HISMS_USER
    assert [e["function"] for e in state["log"]] == [
        "forgot_password",
        "send_sms",
        "send_one",
    ]
    assert state["settings"]["result_style"] == "bool"
    assert state["base_url"] == emulator.base_url


async def test_group_report_in_state(api: Api) -> None:
    await api.turkey(
        "/gruba-gonder/post/tek-metin-gonderimi/",
        title="HOMEALERT",
        text="Hi",
        sentto=[LOCAL],
    )
    state = await api.admin("GET", "/state")
    assert state["reports"][0]["report_id"] == "123456"


async def test_faults_endpoint(
    api: Api, http: aiohttp.ClientSession, emulator: Emulator
) -> None:
    added = await api.admin(
        "POST",
        "/faults",
        {"kind": "http_status", "provider": "hisms", "status": 503, "times": 1},
        expect=201,
    )
    assert added["faults"][0]["params"] == {"status": 503}
    fault_id = added["faults"][0]["id"]
    await api.admin(
        "POST",
        "/faults",
        [{"kind": "latency", "params": {"seconds": 0}}, {"kind": "bom"}],
        expect=201,
    )
    listed = await api.admin("GET", "/faults")
    assert [f["kind"] for f in listed["faults"]] == ["http_status", "latency", "bom"]
    async with http.get(f"{emulator.base_url}/api.php?get_balance") as response:
        assert response.status == 503
    assert (await api.admin("GET", "/faults"))["faults"][0]["applied"] == 1
    await api.admin("DELETE", f"/faults/{fault_id}")
    await api.admin("DELETE", f"/faults/{fault_id}", expect=404)
    await api.admin("DELETE", "/faults/abc", expect=400)
    assert await api.admin("DELETE", "/faults") == {"cleared": 2}
    error = await api.admin("POST", "/faults", {"kind": "nope"}, expect=400)
    assert "unknown fault kind" in error["error"]
    await api.admin("POST", "/faults", {"status": 1}, expect=400)
    async with http.post(
        f"{emulator.base_url}/_emulator/faults", data=b"{"
    ) as response:
        assert response.status == 400


async def test_settings_endpoint(api: Api, emulator: Emulator) -> None:
    settings = await api.admin(
        "POST",
        "/settings",
        {
            "result_style": "string",
            "rate_limit_per_minute": 5,
            "latency": 0,
            "delivery_delay_seconds": 3,
        },
    )
    assert settings["result_style"] == "string"
    assert emulator.rate_limit_per_minute == 5
    assert emulator.state.delivery_delay_seconds == 3
    assert (await api.admin("GET", "/settings"))["rate_limit_per_minute"] == 5
    settings = await api.admin(
        "POST", "/settings", {"invalid_group_numbers": "reject_group"}
    )
    assert settings["invalid_group_numbers"] == "reject_group"
    assert emulator.invalid_group_numbers == "reject_group"
    data = await api.turkey("/authenticate/login")
    assert data["result"] == "true"
    for bad in (
        {"result_style": "xml"},
        {"rate_limit_per_minute": -1},
        {"rate_limit_per_minute": True},
        {"latency": "slow"},
        {"latency": -1},
        {"json_content_type": ""},
        {"delivery_delay_seconds": -1},
        {"colour": "red"},
        [1],
    ):
        await api.admin("POST", "/settings", bad, expect=400)
    assert emulator.result_style == "string"


async def test_reset(api: Api, emulator: Emulator) -> None:
    await api.hisms("send_sms", **send())
    assert emulator.faults.add(Fault("bom")).id == 1
    assert await api.admin("POST", "/reset") == {"reset": True}
    assert emulator.sent_messages() == []
    assert emulator.log == []
    assert len(emulator.faults) == 0
    assert emulator.state.hisms_accounts[HISMS_USER].balance == 500
    # reset never touches the seed
    assert emulator.seed.hisms_accounts[0].balance == 500


async def test_patch_turkey_account(api: Api, emulator: Emulator) -> None:
    account = await api.admin(
        "PATCH",
        "/accounts/turkey_sms/100200",
        {
            "local_balance": 3,
            "international_balance_tl": "1.5",
            "active": False,
            "senders": {"NEWONE": "active"},
            "account_name": "Renamed",
        },
    )
    assert account["local_balance"] == 3
    assert account["international_balance_tl"] == "1.50"
    assert account["senders"] == {
        "HOMEALERT": "active",
        "OLDSENDER": "inactive",
        "NEWONE": "active",
    }
    assert (await api.turkey("/authenticate/login"))["result_code"] == "TS-1030"
    for bad in (
        {"local_balance": -1},
        {"local_balance": 1.5},
        {"active": "no"},
        {"international_balance_tl": "lots"},
        {"international_balance_tl": "-1"},
        {"international_balance_tl": None},
        {"senders": {"X": "maybe"}},
        {"account_name": ""},
        {"api_key": ""},
        {"api_key": "local-only-key"},  # another account's
        [1],
    ):
        await api.admin("PATCH", "/accounts/turkey_sms/100200", bad, expect=400)
    assert emulator.state.turkey_accounts["demo-turkey-key"].local_balance == 3
    await api.admin("PATCH", "/accounts/turkey_sms/999", {}, expect=404)
    await api.admin("PATCH", "/accounts/twilio/1", {}, expect=404)


async def test_a_new_turkey_key_replaces_the_old_one(
    api: Api, emulator: Emulator
) -> None:
    """As when the owner makes a new key at the provider."""
    account = await api.admin(
        "PATCH", "/accounts/turkey_sms/100200", {"api_key": "second-key"}
    )
    assert "api_key" not in account
    assert account["user_id"] == "100200"
    login = await api.turkey("/authenticate/login", api_key="second-key")
    assert (login["result_code"], login["user_id"]) == ("TS-1046", "100200")
    assert (await api.turkey("/authenticate/login"))["result_code"] == "TS-1031"
    assert emulator.log[-1].account is None


async def test_patch_hisms_account(api: Api, emulator: Emulator) -> None:
    path = f"/accounts/hisms/{HISMS_USER}"
    account = await api.admin("PATCH", path, {"balance": 7, "disabled": True})
    assert account == {
        "username": HISMS_USER,
        "disabled": True,
        "balance": 7,
        "senders": {"HOMEALERT": "active", "PENDING": "inactive"},
        "failed_logins": 0,
        "locked_until": None,
    }
    assert await api.hisms("get_balance", **auth()) == "504"
    await api.admin("PATCH", path, {"disabled": False, "password": "new"})
    assert await api.hisms("get_balance", **auth(password="new")) == "BLANCE:7"
    emulator.state.lockout_after = 1
    assert await api.hisms("get_balance", **auth()) == "2"
    state = await api.admin("GET", "/state")
    assert state["accounts"]["hisms"][0]["locked_until"] is not None
    await api.admin("PATCH", path, {"locked": False, "senders": {"PENDING": "active"}})
    assert await api.hisms("get_balance", **auth(password="new")) == "BLANCE:7"
    for bad in ({"locked": True}, {"password": ""}, {"balance": "1"}, {"colour": 1}):
        await api.admin("PATCH", path, bad, expect=400)
    await api.admin("PATCH", "/accounts/hisms/1", {}, expect=404)


@pytest.mark.parametrize("path", ["/", "/inbox"])
async def test_inbox_page(
    api: Api, http: aiohttp.ClientSession, emulator: Emulator, path: str
) -> None:
    async with http.get(f"{emulator.base_url}{path}") as response:
        assert response.status == 200
        empty = await response.text()
    assert "No messages yet." in empty
    assert "No requests yet." in empty
    await api.turkey(
        "/gonder/add-content",
        title="HOMEALERT",
        text="<script>alert('x')</script> & more",
        sentto=LOCAL,
    )
    await api.hisms("send_sms", **send(date="2099-01-01", time="10:00"))
    await api.hisms(
        "forgot_password", username="966500000002", password="disabled-password"
    )
    emulator.state.lockout_after = 1
    await api.hisms("get_balance", **auth(password="bad"))
    async with http.get(f"{emulator.base_url}{path}") as response:
        assert response.status == 200
        assert response.content_type == "text/html"
        page = await response.text()
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; more" in page
    assert LOCAL in page
    assert "966500000002" in page
    assert "disabled-password" not in page
    assert "Password reminder (password hidden)" in page
    assert "http-equiv='refresh'" in page
    assert "Demo Home" in page
    assert "locked" in page
    assert "2099-01-01" in page
    assert "send_one" in page
