"""The whole Your numbers page, driven with generated texts and uploads under every option.

Never an exception (the generic error box) and never a NumPy warning (pyproject turns
RuntimeWarnings into errors, and AppTest runs the page in this process): bad input gets
the page's own message instead.
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ce_core import parsing
from tests.apptest import open_page

PAGE = "pages/5_Your_numbers.py"

LABEL = st.one_of(st.sampled_from(["0", "1", "2", "cat", "dog", "0.5", "nan", "-1", "1e308",
                                   '"1"', "", "y", "label", "\u200b1"]),
                  st.integers(-3, 12).map(str))
VALUE = st.one_of(st.floats(allow_nan=True, allow_infinity=True).map(repr),
                  st.floats(0, 1).map(lambda v: f"{v:.3g}"),
                  st.sampled_from(["0", "1", "0,9", '"0,9"', "1,000", "1e308", "-1e308",
                                   "5e-324", "", " ", "x", "0.3\u200b", "1.000,5"]))
SEPARATOR = st.sampled_from([", ", ",", ";", "\t", " "])
ROW = st.tuples(LABEL, st.lists(VALUE, min_size=1, max_size=4))


@st.composite
def tables(draw) -> str:
    sep = draw(SEPARATOR)
    width = draw(st.integers(1, 4))
    rows = draw(st.lists(ROW, min_size=1, max_size=8))
    lines = [sep.join([label, *(values * width)[:width]]) for label, values in rows]
    if draw(st.booleans()):
        lines.insert(0, sep.join(["label", *draw(st.lists(st.sampled_from(
            ["0", "1", "a", "b", "![x](y)", "$x$", "p"]), min_size=width, max_size=width))]))
    return "\n".join(lines)


OPTIONS = st.fixed_dictionaries({
    "yn_fmt": st.sampled_from(["auto", *parsing.KINDS]),
    "yn_w": st.booleans(),
    "yn_norm": st.booleans(),
    "yn_ls": st.sampled_from([0.0, 0.05, 0.5]),
    "yn_clip": st.sampled_from(["Clip", "Exact"]),
})


def set_options(at, options) -> None:
    at.selectbox(key="yn_fmt").set_value(options["yn_fmt"])
    at.checkbox(key="yn_w").set_value(options["yn_w"])
    at.checkbox(key="yn_norm").set_value(options["yn_norm"])
    at.slider(key="yn_ls").set_value(options["yn_ls"])
    at.radio(key="yn_clip").set_value(options["yn_clip"])


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(text=tables(), options=OPTIONS)
def test_any_text_under_any_options_gets_a_result_or_a_message(text, options):
    at = open_page(PAGE)
    set_options(at, options)
    at.text_area(key="yn_text").set_value(text).run()
    assert not at.exception, (text, options, [e.value for e in at.exception])
    assert at.error or [m for m in at.metric if m.label == "Mean cross-entropy"]


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(p=st.floats(0, 1), label_smoothing=st.sampled_from([0.0, 0.05]))
def test_two_mirrored_samples_never_crash_the_histogram(p, label_smoothing):
    """1, p / 0, 1 − p: two losses one rounding step apart crashed np.histogram."""
    at = open_page(PAGE, {"yn_ls": str(label_smoothing)})
    at.text_area(key="yn_text").set_value(f"1, {p!r}\n0, {1 - p!r}").run()
    assert not at.exception, [e.value for e in at.exception]


@settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(st.binary(max_size=300), tables().map(lambda t: t.encode("utf-16")),
                      tables().map(lambda t: t.encode("utf-8"))),
       name=st.sampled_from(["data.csv", "![x](http://e.invalid).csv", "$x$.txt", "a b.tsv"]))
def test_any_upload_gets_a_result_or_a_message(data, name):
    at = open_page(PAGE)
    at.file_uploader(key="yn_file").upload(name, data, "text/csv").run()
    assert not at.exception, [e.value for e in at.exception]
