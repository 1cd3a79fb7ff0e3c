"""The HiSMS client over real HTTP against the emulator (and a scripted server)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from aiohttp import (
    ClientSession,
)
import pytest

from custom_components.sms_gateway.client import (
    AccountDisabledError,
    AuthenticationError,
    FailureReason,
    HiSms,
    InvalidResponseError,
    OtpTemplate,
    OutcomeUnknownError,
    RateLimitedError,
    RejectedError,
    UnsupportedFeatureError,
    otp_template,
)
from sms_emulator import Emulator, Fault

from .conftest import ScriptedServer, Wire, assert_rejected

USERNAME = "966500000001"
PASSWORD = "demo-password"
DISABLED_USERNAME = "966500000002"
DISABLED_PASSWORD = "disabled-password"
SENDER = "HOMEALERT"
SARA = "966501234567"
OMAR = "966551234567"
LAYLA = "966561234567"
RIYADH = ZoneInfo("Asia/Riyadh")


# -- helpers -------------------------------------------------------------------


def _client(
    session: ClientSession,
    base_url: str | None,
    *,
    username: str = USERNAME,
    password: str = PASSWORD,
    sender: str | None = SENDER,
) -> HiSms:
    assert base_url is not None
    return HiSms(
        session,
        username=username,
        password=password,
        sender=sender,
        base_url=base_url,
    )


@pytest.fixture
def client(emulator: Emulator, wire: Wire) -> HiSms:
    """The demo account on the emulator as HOMEALERT; ``wire`` records its requests."""
    return _client(wire.session, emulator.base_url)


def _balance(emulator: Emulator, username: str = USERNAME) -> int:
    return emulator.state.hisms_accounts[username].balance


def _later(days: int = 1) -> datetime:
    """A moment in the future, at a whole minute (the API has minutes only)."""
    moment = datetime.now(UTC) + timedelta(days=days)
    return moment.replace(second=0, microsecond=0)


# -- authentication and balance --------------------------------------------------


async def test_authenticate_returns_the_username_as_account_id(
    client: HiSms, emulator: Emulator
) -> None:
    info = await client.authenticate()

    assert info.account_id == USERNAME
    assert info.name is None
    (entry,) = emulator.log
    assert entry.function == "get_balance"
    assert entry.account == USERNAME


async def test_account_status_has_balance_and_scheduled_count(
    client: HiSms, emulator: Emulator
) -> None:
    status = await client.fetch_account_status()

    assert status.sms_balance == 500.0
    assert status.scheduled_messages == 0
    assert status.international_balance is None
    assert [entry.function for entry in emulator.log] == [
        "get_balance",
        "schedule_sms_count",
    ]


@pytest.mark.parametrize(
    ("credentials", "code", "call"),
    [
        ({"password": "wrong"}, "2", "authenticate"),
        ({"username": "966599999999"}, "1", "fetch_account_status"),
    ],
    ids=["wrong-password", "unknown-username"],
)
async def test_wrong_credentials_are_an_authentication_error(
    emulator: Emulator,
    session: ClientSession,
    credentials: dict[str, str],
    code: str,
    call: str,
) -> None:
    client = _client(session, emulator.base_url, **credentials)

    with pytest.raises(AuthenticationError) as err:
        await getattr(client, call)()

    assert not isinstance(err.value, AccountDisabledError)
    assert err.value.code == code


async def test_repeated_bad_logins_lock_the_account_without_retry(
    emulator: Emulator, session: ClientSession
) -> None:
    wrong = _client(session, emulator.base_url, password="wrong")
    for _ in range(emulator.state.lockout_after):
        with pytest.raises(AuthenticationError):
            await wrong.authenticate()

    with pytest.raises(RateLimitedError) as err:
        await wrong.authenticate()
    assert err.value.code == "403"
    assert err.value.retry_allowed is False

    # Now even the right password is refused.
    right = _client(session, emulator.base_url)
    with pytest.raises(RateLimitedError) as locked:
        await right.send([SARA], "Hello")
    assert locked.value.retry_allowed is False
    assert emulator.sent_messages() == []


async def test_disabled_account_is_account_disabled(
    emulator: Emulator, session: ClientSession
) -> None:
    client = _client(
        session,
        emulator.base_url,
        username=DISABLED_USERNAME,
        password=DISABLED_PASSWORD,
    )

    with pytest.raises(AccountDisabledError) as err:
        await client.authenticate()
    assert err.value.code == "504"
    with pytest.raises(AccountDisabledError):
        await client.send([SARA], "Hello")


async def test_a_success_code_where_a_value_belongs_is_not_a_balance(
    scripted: ScriptedServer, session: ClientSession
) -> None:
    scripted.reply("3")

    await assert_rejected(
        _client(session, scripted.base_url).fetch_account_status(),
        "3",
        FailureReason.UNKNOWN,
    )


async def test_balance_values_are_split_on_the_first_colon(
    scripted: ScriptedServer, session: ClientSession
) -> None:
    scripted.reply(" blance: 85000.0 ")

    info = await _client(session, scripted.base_url).authenticate()

    assert info.account_id == USERNAME


# -- sending ---------------------------------------------------------------------


async def test_send_posts_comma_separated_numbers_with_the_key_in_the_url(
    client: HiSms, emulator: Emulator, wire: Wire
) -> None:
    receipt = await client.send([SARA, OMAR, LAYLA], "Door opened")

    (request,) = wire.requests
    assert request.method == "POST"
    url = urlsplit(request.url)
    assert url.path == "/api.php"
    assert url.query in ("send_sms", "send_sms=")
    assert request.form() == {
        "username": [USERNAME],
        "password": [PASSWORD],
        "numbers": [f"{SARA},{OMAR},{LAYLA}"],
        "sender": [SENDER],
        "message": ["Door opened"],
    }
    (entry,) = emulator.log
    assert entry.function == "send_sms"
    assert entry.method == "POST"
    assert entry.numbers == (SARA, OMAR, LAYLA)
    assert receipt.message_id == entry.message_ids[0]
    assert receipt.numbers == (SARA, OMAR, LAYLA)
    assert receipt.segments == 1
    assert [m.number for m in emulator.sent_messages("hisms")] == [SARA, OMAR, LAYLA]
    assert _balance(emulator) == 497


async def test_send_answers_three_dash_message_id(
    client: HiSms, emulator: Emulator
) -> None:
    first = await client.send([SARA], "one")
    second = await client.send([SARA], "two")

    assert first.message_id is not None
    assert second.message_id is not None
    assert int(second.message_id) == int(first.message_id) + 1
    assert [entry.outcome for entry in emulator.log] == [
        f"3-{first.message_id}",
        f"3-{second.message_id}",
    ]


async def test_a_bare_three_is_success_without_an_id(
    scripted: ScriptedServer, session: ClientSession
) -> None:
    scripted.reply("3")

    receipt = await _client(session, scripted.base_url).send([SARA], "Hello")

    assert receipt.message_id is None


@pytest.mark.parametrize("body", ["30", "3-", "3-abc", "13", "31-5"])
async def test_bodies_starting_with_three_are_not_success(
    scripted: ScriptedServer, session: ClientSession, body: str
) -> None:
    scripted.reply(body)

    with pytest.raises(OutcomeUnknownError):
        await _client(session, scripted.base_url).send([SARA], "Hello")


async def test_arabic_text_is_sent_once_encoded(
    client: HiSms, emulator: Emulator
) -> None:
    text = "تم فتح الباب الأمامي & 100% آمن"

    receipt = await client.send([SARA], text)

    (message,) = emulator.sent_messages()
    assert message.text == text
    assert message.language_code == 2
    assert receipt.segments == 1


async def test_a_long_text_is_charged_per_part(
    client: HiSms, emulator: Emulator
) -> None:
    receipt = await client.send([SARA, OMAR], "x" * 200)

    assert receipt.segments == 2
    assert _balance(emulator) == 496


# -- scheduling -------------------------------------------------------------------


async def test_scheduled_send_uses_riyadh_date_and_time(
    client: HiSms, emulator: Emulator, wire: Wire
) -> None:
    when = _later(days=2).replace(hour=21, minute=30)  # 00:30 the next day in Riyadh

    await client.send([SARA, OMAR], "Reminder", send_at=when)

    local = when.astimezone(RIYADH)
    form = wire.requests[0].form()
    assert form["date"] == [local.strftime("%Y-%m-%d")]
    assert form["time"] == ["00:30"]
    assert local.day != when.day
    messages = emulator.sent_messages()
    assert {m.status for m in messages} == {"scheduled"}
    assert {m.scheduled_for for m in messages} == {when}
    assert (await client.fetch_account_status()).scheduled_messages == 2


async def test_scheduled_send_from_another_time_zone(
    client: HiSms, emulator: Emulator
) -> None:
    tokyo = ZoneInfo("Asia/Tokyo")
    when = _later(days=3).astimezone(tokyo).replace(hour=9, minute=5)

    await client.send([SARA], "Reminder", send_at=when)

    (message,) = emulator.sent_messages()
    assert message.scheduled_for == when
    assert message.scheduled_for is not None
    assert message.scheduled_for.astimezone(RIYADH).strftime("%H:%M") == "03:05"


async def test_delete_scheduled_returns_the_count_and_refunds(
    client: HiSms, emulator: Emulator
) -> None:
    await client.send([SARA, OMAR], "Later", send_at=_later())
    await client.send([LAYLA], "Now")
    assert _balance(emulator) == 497

    deleted = await client.delete_scheduled()

    assert deleted == 2
    assert emulator.log[-1].function == "delete_schedule_sms"
    assert _balance(emulator) == 499
    status = await client.fetch_account_status()
    assert status.scheduled_messages == 0
    assert status.sms_balance == 499.0
    assert await client.delete_scheduled() == 0


@pytest.mark.parametrize(
    ("body", "reason"),
    [("10", FailureReason.INVALID_DATE), ("11", FailureReason.INVALID_TIME)],
)
async def test_bad_schedule_codes_are_rejections(
    scripted: ScriptedServer, session: ClientSession, body: str, reason: Any
) -> None:
    scripted.reply(body)

    with pytest.raises(RejectedError) as err:
        await _client(session, scripted.base_url).send(
            [SARA], "Hello", send_at=_later()
        )

    assert err.value.reason is reason


# -- password -----------------------------------------------------------------------


async def test_change_password_makes_the_new_one_work_and_the_old_one_fail(
    client: HiSms, emulator: Emulator, session: ClientSession
) -> None:
    await client.change_password("new-secret")

    assert emulator.state.hisms_accounts[USERNAME].password == "new-secret"
    assert emulator.log[-1].function == "change_pass"
    # A client keeps the credentials it was built with.
    with pytest.raises(AuthenticationError):
        await client.fetch_account_status()
    fresh = _client(session, emulator.base_url, password="new-secret")
    assert (await fresh.authenticate()).account_id == USERNAME
    stale = _client(session, emulator.base_url)
    with pytest.raises(AuthenticationError) as err:
        await stale.authenticate()
    assert err.value.code == "2"


@pytest.mark.parametrize(
    ("password", "fault", "error"),
    [
        ("wrong", None, AuthenticationError),
        (PASSWORD, "html_error", InvalidResponseError),
    ],
    ids=["wrong-password", "html-error-page"],
)
async def test_a_failed_password_change_keeps_the_old_one(
    emulator: Emulator,
    session: ClientSession,
    password: str,
    fault: str | None,
    error: type[Exception],
) -> None:
    if fault is not None:
        emulator.faults.add(Fault(fault, provider="hisms"))
    client = _client(session, emulator.base_url, password=password)

    with pytest.raises(error):
        await client.change_password("new-secret")

    assert emulator.state.hisms_accounts[USERNAME].password == PASSWORD


async def test_change_password_to_nothing_is_missing_parameters(
    client: HiSms, emulator: Emulator
) -> None:
    await assert_rejected(
        client.change_password(""), "402", FailureReason.MISSING_PARAMETERS
    )


async def test_password_reminder_sends_the_username_and_password_in_the_form(
    client: HiSms, emulator: Emulator, wire: Wire
) -> None:
    await client.request_password_reminder()

    (reminder,) = emulator.state.reminders
    assert reminder.username == USERNAME
    assert emulator.log[0].function == "forgot_password"
    assert urlsplit(wire.requests[0].url).query == "forgot_password"
    assert wire.requests[0].form() == {"username": [USERNAME], "password": [PASSWORD]}
    assert PASSWORD not in wire.requests[0].url


@pytest.mark.parametrize(
    ("credentials", "code"),
    [({"password": "wrong"}, "2"), ({"username": "966599999999"}, "1")],
    ids=["wrong-password-is-code-2", "unknown-username-is-code-1"],
)
async def test_password_reminder_with_wrong_credentials_is_refused(
    emulator: Emulator, session: ClientSession, credentials: dict[str, str], code: str
) -> None:
    client = _client(session, emulator.base_url, **credentials)

    with pytest.raises(AuthenticationError) as err:
        await client.request_password_reminder()

    assert err.value.code == code
    assert emulator.state.reminders == []


async def test_password_reminder_with_an_unreadable_answer(
    scripted: ScriptedServer, session: ClientSession
) -> None:
    scripted.reply("<html>maintenance</html>")

    with pytest.raises(InvalidResponseError):
        await _client(session, scripted.base_url).request_password_reminder()


# -- refusals -----------------------------------------------------------------------


async def test_forbidden_word_is_rejected(client: HiSms, emulator: Emulator) -> None:
    await assert_rejected(
        client.send([SARA], "Visit the Casino tonight"),
        "8",
        FailureReason.FORBIDDEN_WORD,
    )
    assert emulator.sent_messages() == []
    assert _balance(emulator) == 500


async def test_injected_missing_parameters_code(
    client: HiSms, emulator: Emulator
) -> None:
    emulator.faults.add(Fault("result_code", provider="hisms", code="404"))

    with pytest.raises(RejectedError) as err:
        await client.send([SARA], "Hello")

    assert err.value.reason is FailureReason.MISSING_PARAMETERS


@pytest.mark.parametrize(
    ("call", "args", "kwargs"),
    [
        ("send_individual", ([(SARA, "Hello")],), {}),
        ("get_message_status", ("1",), {}),
        ("get_report", ("1",), {"detailed": True}),
    ],
)
async def test_turkey_sms_only_functions_are_unsupported(
    client: HiSms,
    emulator: Emulator,
    call: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> None:
    method = getattr(client, call)

    with pytest.raises(UnsupportedFeatureError):
        await method(*args, **kwargs)

    assert emulator.log == []


# -- OTP -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "digits", "text"),
    [
        pytest.param(None, 6, "Your verification code is {code}", id="default"),
        pytest.param(
            "رمز الدخول: {code}\nلا تشاركه",
            4,
            "رمز الدخول: {code}\nلا تشاركه",
            id="line-break",
        ),
        pytest.param(
            otp_template("رمز الدخول: {code}", 6),
            6,
            "رمز الدخول: {code}",
            id="analysed",
        ),
        pytest.param(
            otp_template("Code {code}", 4),
            6,
            "Code {code}",
            id="analysed-for-other-digits",
        ),
    ],
)
async def test_otp_is_a_plain_sms_with_a_local_code(
    client: HiSms,
    emulator: Emulator,
    template: str | OtpTemplate | None,
    digits: int,
    text: str,
) -> None:
    receipt = await client.send_otp(SARA, digits=digits, template=template)

    (message,) = emulator.sent_messages()
    assert len(receipt.code) == digits
    assert receipt.code.isdigit()
    assert message.text == text.replace("{code}", receipt.code)
    assert receipt.message_id == message.message_id
    assert receipt.number == SARA
    assert receipt.segments == 1


# -- faults --------------------------------------------------------------------------


async def test_malformed_answer_to_delete_scheduled_is_invalid(
    client: HiSms, emulator: Emulator
) -> None:
    emulator.faults.add(Fault("malformed_json", provider="hisms"))

    with pytest.raises(InvalidResponseError):
        await client.delete_scheduled()


# -- credentials ---------------------------------------------------------------------


async def test_credentials_never_appear_in_a_url(
    client: HiSms, emulator: Emulator, wire: Wire
) -> None:
    await client.authenticate()
    await client.fetch_account_status()
    await client.send([SARA], "Hello")
    await client.send([SARA], "Later", send_at=_later())
    await client.delete_scheduled()
    await client.request_password_reminder()
    await client.change_password("new-secret")
    await _client(wire.session, emulator.base_url, password="new-secret").authenticate()

    assert len(emulator.log) == 9
    secrets = (PASSWORD, "new-secret")
    for entry in emulator.log:
        assert not any(secret in entry.path for secret in secrets)
    for request in wire.requests:
        assert request.method == "POST"
        assert not any(secret in request.url for secret in secrets)
        assert USERNAME not in request.url
    functions = [urlsplit(request.url).query for request in wire.requests]
    assert functions == [
        "get_balance",
        "get_balance",
        "schedule_sms_count",
        "send_sms",
        "send_sms",
        "delete_schedule_sms",
        "forgot_password",
        "change_pass",
        "get_balance",
    ]
