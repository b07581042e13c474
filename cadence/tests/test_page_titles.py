"""A page's title block holds its title only: words, never markup (a section pasted there shows
as raw HTML in the browser's tab and history)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TITLE = re.compile(r"\{% block title %\}(.*?)\{% endblock %\}", re.S)


def test_no_title_block_holds_markup():
    offending = [
        str(path.relative_to(ROOT))
        for path in ROOT.glob("*/templates/**/*.html")
        for title in TITLE.findall(path.read_text())
        if "<" in title
    ]
    assert offending == []
