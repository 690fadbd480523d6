"""What a student reads: no internal words, no wrong claim, one correction said once.

Every page of the registry is opened and all of its text read back (prose, captions,
alerts, metric and widget labels, buttons, table cells)."""

import pytest

from tests.apptest import open_page
from ui.registry import page_files

INTERNAL = ["seed article", "reading list", "popular article", "our article", "the article"]


def page_text(at) -> str:
    parts = []
    for kind in ("markdown", "caption", "info", "warning", "error", "success", "latex",
                 "title", "header", "subheader"):
        parts += [str(e.value) for e in at.get(kind)]
    parts += [m.label for m in at.metric] + [str(m.value) for m in at.metric]
    for kind in ("button", "slider", "select_slider", "selectbox", "radio", "checkbox",
                 "toggle", "number_input", "text_area"):
        for w in at.get(kind):
            parts += [str(w.label), str(getattr(w, "help", "") or "")]
            parts += [str(o) for o in getattr(w, "options", [])]
    parts += [str(link.proto.label) for link in at.get("page_link")]
    return "\n".join(parts)


@pytest.mark.parametrize("page", page_files())
def test_no_internal_words_on_screen(page):
    text = page_text(open_page(page)).lower()
    found = [word for word in INTERNAL if word in text]
    assert not found, f"{page} says {found}"


def test_entropy_is_a_lower_bound_not_the_length_any_code_achieves():
    text = page_text(open_page("pages/1_Entropy.py"))
    assert "any code can achieve" not in text
    assert "lower bound" in text


def test_the_f_cross_entropy_correction_is_made_on_one_page_and_linked_from_the_other():
    claim = "tensor(0.51457)"
    pages = [p for p in page_files() if claim in page_text(open_page(p))]
    assert pages == ["pages/3_Softmax.py"]
    one_hot = {"ce_p1": "100", "ce_p2": "0", "ce_p3": "0"}   # the section that links it
    links = open_page("pages/2_Cross_entropy_and_KL.py", one_hot).main.get("page_link")
    assert any(link.proto.page == "Softmax" and "F.cross_entropy" in link.proto.label
               for link in links)
