"""The charts' tables are rendered in Python (`table_rows`): as the template showed them, each
value localised and escaped, "—" for none, each cell with its column's words."""

from types import SimpleNamespace

from django.utils import translation

from insights.templatetags.insights import table_rows


def item(rows):
    columns = [SimpleNamespace(label="Team <name>"), SimpleNamespace(label="Share")]
    chart = SimpleNamespace(columns=columns)
    return SimpleNamespace(chart=chart, table=lambda: rows)


def test_cells_are_escaped_localised_and_labelled():
    rows = [["<b>Sales</b>", 0.5], ["Support", None], ["<b>Sales</b>", 1234.5]]
    with translation.override("nl"):
        html = table_rows(item(rows))
    assert html.count("<tr>") == 3
    assert '<td data-label="Team &lt;name&gt;">&lt;b&gt;Sales&lt;/b&gt;</td>' in html
    assert '<td data-label="Share">0,5</td>' in html and "<b>" not in html
    assert '<td data-label="Share">—</td>' in html
    assert "1234,5" in html or "1.234,5" in html


def test_an_unhashable_value_is_shown_too():
    assert "[1, 2]" in table_rows(item([[[1, 2], 3]]))
