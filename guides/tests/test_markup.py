"""The guides' little Markdown: what it reads, and that a link it does not know stays words."""

from guides.markup import Block, Span, anchor, read


def links(target):
    return {"guide-hr.md": "/guides/hr/", "#here": "#here"}.get(target)


def test_headings_get_the_anchors_github_gives_them():
    blocks = read("# Cadence for HR\n\n## Run a 360 cycle\n### What *k* is, and why!", links)
    assert [(b.level, b.anchor, b.plain) for b in blocks] == [
        (1, "cadence-for-hr", "Cadence for HR"),
        (2, "run-a-360-cycle", "Run a 360 cycle"),
        (3, "what-k-is-and-why", "What k is, and why!"),
    ]
    assert anchor("Approve reviewers & release a report") == "approve-reviewers--release-a-report"


def test_paragraphs_join_their_lines_and_end_at_a_blank_line():
    blocks = read("One line\nand the next.\n\nAnother.", links)
    assert [b.plain for b in blocks] == ["One line and the next.", "Another."]


def test_lists_bulleted_and_numbered_with_items_over_several_lines():
    blocks = read("- first\n  goes on\n- second\n\n1. one\n2. two\ncontinued", links)
    assert [b.kind for b in blocks] == ["ul", "ol"]
    assert [[s.text for s in item] for item in blocks[0].items] == [["first goes on"], ["second"]]
    assert [[s.text for s in item] for item in blocks[1].items] == [["one"], ["two continued"]]


def test_a_fenced_block_keeps_its_lines_as_they_are():
    blocks = read("Run:\n\n```sh\nmanage.py grant_hr **x**\n  --revoke\n```\nAfter.", links)
    assert blocks[1] == Block("pre", text="manage.py grant_hr **x**\n  --revoke")
    assert blocks[2].plain == "After."


def test_inline_code_strong_emphasis_and_links():
    (block,) = read("Use `run_jobs`, **Prepare now**, *Reality* and [HR](guide-hr.md).", links)
    assert block.spans == [
        Span("text", "Use "),
        Span("code", "run_jobs"),
        Span("text", ", "),
        Span("strong", "Prepare now"),
        Span("text", ", "),
        Span("em", "Reality"),
        Span("text", " and "),
        Span("link", "HR", "/guides/hr/"),
        Span("text", "."),
    ]


def test_a_link_it_does_not_know_is_shown_as_its_words():
    (block,) = read("See [the README](../README.md) or [here](#here).", links)
    assert block.spans == [
        Span("text", "See "),
        Span("text", "the README"),
        Span("text", " or "),
        Span("link", "here", "#here"),
        Span("text", "."),
    ]
