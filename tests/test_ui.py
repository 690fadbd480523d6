"""The ui package's pure helpers: the page registry, the lesson path and unit formatting."""

import math
from pathlib import Path

import pytest

import ui
from ui import access, fit, registry

ROOT = Path(__file__).resolve().parent.parent


def test_registry_starts_with_landing_page_then_every_page_file_in_numeric_order():
    files = registry.page_files()
    assert files[0] == "app.py"
    on_disk = {f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py")}
    assert set(files[1:]) == on_disk     # a page file without an entry fails here
    numbers = [int(Path(f).name.split("_")[0]) for f in files[1:]]
    assert numbers == sorted(numbers)


def test_every_page_has_one_title_one_material_icon_and_a_summary():
    titles = [page.title for page in registry.PAGES]
    assert len(set(titles)) == len(titles)
    for page in registry.PAGES:
        assert page.icon.startswith(":material/") and page.icon.endswith(":")
        assert page.summary and page.title


def test_a_page_off_the_registry_is_named_in_the_error():
    with pytest.raises(KeyError, match="9_Extra_topic.py"):
        registry.find("pages/9_Extra_topic.py")
    assert registry.find(str(ROOT / "app.py")).title == "Start here"   # __file__ is absolute


def test_every_page_script_takes_its_title_from_the_registry():
    """One description a page: no page passes its own title or icon to page_setup."""
    for file in registry.page_files():
        assert "ui.page_setup(__file__)" in (ROOT / file).read_text(encoding="utf-8"), file


def test_fmt_converts_nats_to_the_chosen_unit():
    # ln 2 nats is exactly one bit.
    assert ui.fmt(math.log(2), "bits") == "1.0000 bits"
    assert ui.fmt(math.log(2), "nats") == "0.6931 nats"
    assert ui.fmt(-math.log(0.7), "bits", digits=3) == "0.515 bits"   # seed 001's number
    assert ui.fmt(math.inf, "bits") == "∞ bits"


# ----------------------------------------------------------------------------- classroom views

from streamlit.testing.v1 import AppTest  # noqa: E402


def _styles(at) -> str:
    """The view styles a page added: everything but the aids every page has (ui/access.py's
    rules and script, ui/fit.py's formula script)."""
    always = (access._CSS, "window.__ceAccess", fit.SCRIPT_KEY)
    return "".join(el.proto.body for el in at.get("html")
                   if not any(mark in el.proto.body for mark in always))


def test_present_1_in_the_url_turns_presenter_mode_on_and_stays_in_the_url():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["present"] = "1"
    at.run()
    assert at.toggle(key="present").value is True
    assert f"font-size: {ui.PRESENTER_FONT_PX}px" in _styles(at)
    at.toggle(key="present").set_value(False).run()
    assert "font-size" not in _styles(at)
    assert "present" not in at.query_params


def test_hide_flags_hide_exactly_the_named_controls_and_ignore_unsafe_keys():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["e_k_hide"] = "1"
    at.query_params["pc_p_hide"] = "0"            # 0 means shown
    at.query_params["x}body{display:none_hide"] = "1"   # not a key: would inject CSS
    at.run()
    css = _styles(at)
    assert ".st-key-e_k {" in css
    assert "pc_p" not in css
    assert "body{" not in css


def test_without_flags_no_style_is_added():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert _styles(at) == ""


def test_lesson_path_links_each_page_to_its_neighbours():
    pages = registry.PAGES
    assert registry.neighbours("app.py") == (None, pages[1])
    assert registry.neighbours(str(ROOT / pages[2].file)) == (pages[1], pages[3])
    assert registry.neighbours(pages[-1].file) == (pages[-2], None)
    assert registry.neighbours("pages/not_a_page.py") == (None, None)


def test_landing_page_shows_next_link_to_the_first_topic():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    links = [el.proto.label for el in at.get("page_link")]
    assert f"Next: {registry.PAGES[1].title}" in links


def test_fmt_never_shows_negative_zero():
    assert ui.fmt(-1e-12, "nats") == "0.0000 nats"
    assert ui.fmt(-0.0, "bits") == "0.0000 bits"
    assert ui.fmt(-0.5, "nats") == "-0.5000 nats"     # a real negative stays negative


def test_unit_in_the_url_opens_the_page_in_bits():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["unit"] = "bits"
    at.run()
    assert at.radio(key="unit").value == "bits"


def test_chart_tables_keep_values_and_nulls_and_fall_back_on_mixed_columns():
    import pyarrow as pa

    from ui import draw
    table = draw._table({"k": ["a", "b"], "v": [0.25, None]})
    assert isinstance(table, pa.Table)
    assert table.to_pydict() == {"k": ["a", "b"], "v": [0.25, None]}
    mixed = {"v": [1.0, "∞"]}
    assert draw._table(mixed) is mixed          # left to pandas, which can hold objects


# ----------------------------------------------------------------------------- shared links

def test_view_link_percent_encodes_values_so_they_keep_their_meaning(monkeypatch):
    """A space, '&', '#' or '=' in a value must come back as the same value, not a new key."""
    from types import SimpleNamespace
    from urllib.parse import parse_qsl, urlsplit

    from ui import navigation

    values = {"yn_pre": "a b&c=d#e", "unit": "bits", "x": "100%"}
    monkeypatch.setattr(navigation.st, "query_params", values)
    monkeypatch.setattr(navigation.st, "context", SimpleNamespace(url="http://host/Entropy?old=1"))
    link = navigation.view_link()
    parts = urlsplit(link)
    assert parts.fragment == "" and parts.path == "/Entropy"
    assert dict(parse_qsl(parts.query)) == values


def test_hide_flag_keys_must_match_whole_with_no_trailing_newline(monkeypatch):
    from ui import presenter

    monkeypatch.setattr(presenter.st, "query_params",
                        {"e_k\n_hide": "1", "e_k_hide": "1", "p}x_hide": "1"})
    assert presenter.hidden_keys() == ["e_k"]


def test_a_huge_quick_check_guess_is_shown_short():
    from tests.apptest import open_page

    at = open_page("pages/1_Entropy.py")
    at.text_input(key="e_qc_guess").set_value("1e308").run()
    at.button(key="e_qc_reveal").click().run()
    said = next(w.value for w in at.warning if "you said" in w.value)
    assert "1e+308" in said and len(said) < 400       # not 309 digits


def test_fmt_writes_a_huge_value_in_scientific_notation():
    assert ui.fmt(1e300, "nats") == "1.0000e+300 nats"      # not 301 digits
    assert ui.fmt(2.5e6 * math.log(2), "bits", 2) == "2.50e+06 bits"
    assert ui.fmt(999_999.0, "nats") == "999999.0000 nats"


def test_a_decimal_comma_in_a_quick_check_is_refused_not_read_as_15():
    from tests.apptest import open_page

    at = open_page("pages/1_Entropy.py")
    at.text_input(key="e_qc_guess").set_value("1,5").run()
    at.button(key="e_qc_reveal").click().run()
    assert any("1.5, not 1,5" in w.value for w in at.warning)
    assert not any("you said" in w.value for w in at.warning)     # no verdict on 15


def test_read_guess_takes_numbers_and_names_what_is_not_one():
    from ui.widgets import read_guess

    assert read_guess("0.69") == (0.69, None) and read_guess(" -2 ") == (-2.0, None)
    assert read_guess("") == (None, None)
    assert read_guess("abc")[1].startswith("abc is not a number")
    assert read_guess("inf")[1].startswith("Type a finite number")
