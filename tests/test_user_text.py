"""What a user typed is shown as typed: never as Markdown, a link, an image or a formula.

Generated hostile strings go through ``ui.plain`` and a CommonMark parser (the browser's
Markdown follows CommonMark); the whole Your numbers page is driven with hostile headers,
labels, file names and cell text. And what a user typed survives a visit to another page.
"""

import html
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

import ui
from tests.apptest import open_page

PAGE = "pages/5_Your_numbers.py"
MARKUP = st.sampled_from(["![x](http://example.invalid/a.png)", "[link](http://e.invalid)",
                          "$\\rule{10000em}{10000em}$", ":red[alarm]", "**bold**", "`code`",
                          "<img src=x>", "# heading", "> quote", "- item", "1. item", "~~s~~",
                          ":material/home:", "\\", "&amp;", "|a|b|", "\u200b", "\x00"])
HOSTILE = st.lists(st.one_of(MARKUP, st.text(max_size=12)), max_size=6).map("".join)

md = MarkdownIt("commonmark").enable("strikethrough").enable("table")


def rendered_text(markdown: str) -> tuple[str, set[str]]:
    """The text a reader sees, and the HTML tags used to show it."""
    out = md.render(markdown)
    tags = set(re.findall(r"<(\w+)", out))
    return html.unescape(re.sub(r"<[^>]+>", "", out)).strip(), tags


def visible(text: str) -> str:
    """What ``plain`` promises to show: line breaks as spaces, invisible characters named."""
    return "".join(" " if c in "\r\n\t" else (c if c.isprintable() else f"<U+{ord(c):04X}>")
                   for c in text).strip()


@given(HOSTILE)
def test_plain_text_renders_as_itself_in_one_paragraph(text):
    shown, tags = rendered_text(ui.plain(text))
    assert tags <= {"p"}, tags                       # no link, image, emphasis, code, heading
    assert " ".join(shown.split()) == " ".join(visible(text).split())
    assert "$" not in ui.plain(text).replace("\\$", "")   # no unescaped $: no LaTeX


# A whole page run an example (~0.7 s): 40, as tests/test_your_numbers_fuzz.py does for the
# same page; the function itself gets the profile's full count above.
@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(HOSTILE)
def test_hostile_header_and_cells_never_become_markup_on_the_page(text):
    header = f"label,{text.replace(',', ' ').replace(chr(10), ' ')},b"
    at = open_page(PAGE)
    at.text_area(key="yn_text").set_value(f"{header}\nb, 0.2, 0.8\n{text}, 0.5, 0.5").run()
    assert not at.exception
    for element in [*at.error, *at.caption, *at.markdown, *at.warning, *at.info]:
        _, tags = rendered_text(element.value)
        assert not tags & {"img", "a"}, element.value


def test_typed_text_survives_a_visit_to_another_page():
    at = open_page(PAGE)
    mine = "1, 0.42\n0, 0.17\n1, 0.93"
    at.text_area(key="yn_text").set_value(mine).run()
    at.switch_page("pages/1_Entropy.py").run()
    at.switch_page(PAGE).run()
    assert at.text_area(key="yn_text").value == mine


def test_an_unchanged_failing_input_is_parsed_once(monkeypatch):
    from ce_core import parsing

    calls = []
    real = parsing.parse_table
    monkeypatch.setattr(parsing, "parse_table", lambda *a, **k: calls.append(1) or real(*a, **k))
    at = open_page(PAGE)
    calls.clear()
    at.text_area(key="yn_text").set_value("1, 0.9\n0, banana").run()
    assert at.error and calls == [1]
    at.slider(key="yn_ls").set_value(0.1).run()     # an option that does not change the parse
    at.run()
    assert at.error and calls == [1]
