"""CSV files that are safe to open in a spreadsheet, for every export.

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula (a tab or a
carriage return first can hide one): a name, a job title or a comment typed as
`=HYPERLINK(…)` would run on the computer of whoever opens the export. Every cell goes through
`cell`, which puts a `'` before such a start, so the spreadsheet shows the text as it was typed.

    response = csv_response("audit-log.csv", header, rows)   # streamed, one row at a time

or, writing into something of one's own, `writer(out).writerow(row(values))`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.http import StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"  # so that spreadsheets read the file as UTF-8


def cell(value: Any) -> str:
    """`value` as text a spreadsheet shows as it is (None: empty). Numbers are written as they
    are: a negative number is not a formula, and must still read as a number."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def row(values: Iterable[Any]) -> list[str]:
    return [cell(value) for value in values]


class _Line:
    """A file-like object that hands back what the csv writer writes (for streaming)."""

    def write(self, text: str) -> str:
        return text


def lines(header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> Iterable[str]:
    """The CSV text, a line at a time: the byte order mark, the header, then each row, every
    cell neutralised."""
    writer = csv.writer(_Line(), lineterminator="\r\n")
    yield BOM + writer.writerow(row(header))
    for values in rows:
        yield writer.writerow(row(values))


def csv_response(
    filename: str, header: Iterable[Any], rows: Iterable[Iterable[Any]]
) -> StreamingHttpResponse:
    """A CSV download, streamed (a long export is never held in memory whole)."""
    response = StreamingHttpResponse(lines(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
