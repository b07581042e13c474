"""CSV cells a spreadsheet would run as a formula are neutralised (`cadence.csv_safe`)."""

import csv
import io

import pytest

from cadence.csv_safe import cell, csv_response, lines, row


@pytest.mark.parametrize(
    "value, safe",
    [
        ("=1+1", "'=1+1"),
        ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
        ("+31 20 123", "'+31 20 123"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tstart", "'\tstart"),
        ("\rstart", "'\rstart"),
        ("plain", "plain"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (-3, "-3"),  # a number, not a formula: it must still read as a number
        (42, "42"),
    ],
)
def test_a_cell_that_would_run_starts_with_a_quote(value, safe):
    assert cell(value) == safe


def test_the_lines_are_a_csv_file_with_every_cell_neutralised():
    text = "".join(lines(["name", "note"], [["=cmd()", 'a, "quoted"\nline'], ["Ann", None]]))
    assert text.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(text.removeprefix("\ufeff")))) == [
        ["name", "note"],
        ["'=cmd()", 'a, "quoted"\nline'],
        ["Ann", ""],
    ]


def test_the_response_is_a_streamed_attachment():
    response = csv_response("log.csv", ["a"], [["=1"]])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="log.csv"'
    assert b"".join(response.streaming_content).decode() == "\ufeffa\r\n'=1\r\n"


def test_numbers_stay_numbers_and_text_that_looks_like_one_is_neutralised():
    assert row([-5, 2.5, None, True, "-x", "-5"]) == ["-5", "2.5", "", "True", "'-x", "'-5"]
