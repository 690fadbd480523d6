"""The fast reader (pandas, then Python only for the rows pandas could not read) gives the
same result, notes and messages as reading every row in Python."""

from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from ce_core import parsing
from tests.test_your_numbers_fuzz import LABEL, SEPARATOR, VALUE

CLEAN = st.floats(0, 1).map(lambda v: f"{v:.3g}")
ODD = st.one_of(VALUE, st.sampled_from(["0,9", "1,000", "x", "nan", "inf", "", "True"]))


@st.composite
def mostly_clean_tables(draw) -> str:
    """Rows of plain numbers with, now and then, a row holding any cell at all."""
    sep, width = draw(SEPARATOR), draw(st.integers(1, 4))
    lines = []
    for _ in range(draw(st.integers(2, 30))):
        dirty = draw(st.integers(0, 9)) == 0
        label = draw(LABEL if dirty else st.sampled_from(["0", "1", "2"]))
        cells = draw(st.lists(ODD if dirty else CLEAN, min_size=width, max_size=width))
        if dirty and draw(st.booleans()):
            cells = cells[:-1]                      # a row one cell short
        lines.append(sep.join([label, *cells]))
    if draw(st.booleans()):
        lines.insert(0, sep.join(["label", *[f"c{i}" for i in range(width)]]))
    return "\n".join(lines)


def outcome(text: str, kind: str):
    try:
        parsed = parsing.parse_table(text, kind=kind)
    except parsing.InputError as error:
        return ("refused", str(error))
    return (parsed.kind, parsed.class_names, parsed.labels.tolist(), parsed.label_text,
            parsed.values.tolist(), parsed.line_numbers.tolist(), parsed.notes)


@settings(max_examples=300, deadline=None)
@given(text=mostly_clean_tables(), kind=st.sampled_from(["auto", *parsing.KINDS]))
def test_the_fast_reader_agrees_with_reading_every_row_in_python(text, kind):
    fast = outcome(text, kind)
    with mock.patch.object(parsing, "_fast_read", return_value=None):
        slow = outcome(text, kind)
    assert repr(fast) == repr(slow), text    # repr: nan == nan, and -0.0 is not 0.0


def test_a_large_file_failing_on_its_last_cell_is_read_by_pandas_up_to_that_row():
    rows = ["1, 0.25, 0.75"] * 50_000 + ["0, 0.5, x"]
    seen = []
    real = parsing._cells
    with mock.patch.object(parsing, "_cells", side_effect=lambda *a: seen.append(a) or real(*a)):
        try:
            parsing.parse_table("\n".join(rows))
        except parsing.InputError as error:
            message = str(error)
    assert message.startswith("Line 50001, column 3 is 'x'")
    # Beyond the first two lines (is the first a header?), only the bad one in Python.
    assert [args[0] for args in seen if args[0] > 2] == [50001]
