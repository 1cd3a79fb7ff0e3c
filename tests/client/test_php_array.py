"""Reading PHP ``print_r`` output, the body Turkey SMS answers without JSON."""

from __future__ import annotations

import pytest

from custom_components.sms_gateway.client.php_array import PrintRError, parse_print_r

BALANCE = """Array
(
    [result] => 1
    [result_code] => TS-1040
    [result_message] => operation_success
    [local_balance_sms] => 1000
    [international_balance_tl] => 250.00
)
"""

DETAILED_REPORT = """Array
(
    [result] => 1
    [status_code] => TS-1064
    [report_id] => 123456
    [numbers] => Array
        (
            [0] => Array
                (
                    [number_id] => 1
                    [phone_number] => 5321234567
                    [done_at] =>
                    [operator] => TURKCELL
                )

            [1] => Array
                (
                    [number_id] => 2
                    [phone_number] => 5441234567
                    [done_at] => 2024-09-19 19:36:01
                    [operator] => VODAFONE
                )

        )

    [message_validity_duration] => 1440
)
"""


def test_flat_array_values_are_strings() -> None:
    assert parse_print_r(BALANCE) == {
        "result": "1",
        "result_code": "TS-1040",
        "result_message": "operation_success",
        "local_balance_sms": "1000",
        "international_balance_tl": "250.00",
    }


def test_nested_arrays_become_nested_dicts_keyed_by_index() -> None:
    data = parse_print_r(DETAILED_REPORT)

    assert data["report_id"] == "123456"
    assert data["message_validity_duration"] == "1440"
    assert list(data["numbers"]) == ["0", "1"]
    assert data["numbers"]["0"] == {
        "number_id": "1",
        "phone_number": "5321234567",
        "done_at": "",
        "operator": "TURKCELL",
    }
    assert data["numbers"]["1"]["done_at"] == "2024-09-19 19:36:01"


def test_an_empty_nested_array_is_an_empty_dict() -> None:
    text = "Array\n(\n    [numbers] => Array\n        (\n        )\n\n    [a] => b\n)\n"

    assert parse_print_r(text) == {"numbers": {}, "a": "b"}


def test_a_multi_line_value_keeps_its_lines() -> None:
    text = (
        "Array\n(\n    [text] => first line\nsecond line\n  third line\n"
        "    [title] => HOMEALERT\n)\n"
    )

    assert parse_print_r(text) == {
        "text": "first line\nsecond line\nthird line",
        "title": "HOMEALERT",
    }


def test_text_after_a_nested_array_is_not_glued_to_it() -> None:
    text = (
        "Array\n(\n    [inner] => Array\n        (\n        )\n\nstray\n    [a] => b\n)"
    )

    assert parse_print_r(text) == {"inner": {}, "a": "b"}


def test_surrounding_whitespace_and_windows_line_ends_are_accepted() -> None:
    text = "\r\n  Array\r\n(\r\n    [result] => 1\r\n)\r\n\r\n"

    assert parse_print_r(text) == {"result": "1"}


def test_a_value_with_an_arrow_inside_is_kept_whole() -> None:
    text = "Array\n(\n    [text] => a => b [c]\n)\n"

    assert parse_print_r(text) == {"text": "a => b [c]"}


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("   \n  ", id="blank"),
        pytest.param('{"result": true}', id="json"),
        pytest.param("<html><body>502 Bad Gateway</body></html>", id="html"),
        pytest.param("Array", id="no-opening-parenthesis"),
        pytest.param("Array\n[result] => 1\n)", id="entry-before-parenthesis"),
        pytest.param("Array\n(\n    [result] => 1\n", id="never-closed"),
        pytest.param(
            "Array\n(\n    [inner] => Array\n        (\n            [a] => 1\n)",
            id="nested-never-closed",
        ),
        pytest.param(
            "Array\n(\n    [inner] => Array\n    [a] => 1\n)",
            id="nested-no-parenthesis",
        ),
        pytest.param("Array (\n [result] => 1\n)", id="one-line-opening"),
    ],
)
def test_malformed_input_raises_print_r_error(text: str) -> None:
    with pytest.raises(PrintRError):
        parse_print_r(text)


def test_print_r_error_is_a_value_error() -> None:
    assert issubclass(PrintRError, ValueError)
