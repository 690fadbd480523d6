"""Ambiguous input is never read silently: it is refused with a message, or read with a note.

Each case was misread before (issue: "Every page survives every input")."""

import math

import pytest

from ce_core import InputError
from ce_core.parsing import MAX_ROWS, parse_table
from ce_core.scoring import score


def test_a_fractional_label_is_refused_not_taken_as_a_class_name():
    with pytest.raises(InputError, match=r"Line 1, column 1 is label 0.5, a fraction"):
        parse_table("0.5, 0.3\n1, 0.9")


def test_quoted_decimal_commas_stay_in_their_cell():
    parsed = parse_table('"1","0,9"\n"0","0,2"')
    assert parsed.kind == "binary" and parsed.values.tolist() == [0.9, 0.2]
    assert any("decimal commas" in note for note in parsed.notes)
    # hand value: (-ln 0.9 - ln 0.8) / 2
    assert score(parsed).mean == pytest.approx((-math.log(0.9) - math.log(0.8)) / 2)


def test_a_header_whose_class_names_are_numbers_is_a_header():
    # "y" was taken as a second class name beside "spam", and line 1 scored as a sample
    parsed = parse_table("y,1\nspam,0.9\nham,0.2")
    assert parsed.n_samples == 2 and parsed.class_names == ["ham", "spam"]
    assert any("as a header" in note for note in parsed.notes)


def test_a_thousands_separator_is_not_guessed_as_a_decimal_comma():
    with pytest.raises(InputError, match=r"'1,000': a thousands separator or a decimal comma"):
        parse_table("1; 1,000; 2\n0; 0,5; 0,5", kind="logits")


@pytest.mark.parametrize("char, name", [("\u200b", "U+200B"), ("\x00", "U+0000")])
def test_an_invisible_character_is_removed_and_named(char, name):
    parsed = parse_table(f"1, 0.9{char}\n0, 0.1")
    assert parsed.values.tolist() == [0.9, 0.1]
    assert any(name in note and "line 1" in note for note in parsed.notes)


def test_a_multilabel_label_that_is_nan_gets_a_message_not_a_crash():
    with pytest.raises(InputError, match=r"Line 1, column 1 is 'nan'.*must be 0 or 1"):
        parse_table("nan, 1, 0.9, 0.2\n1, 0, 0.8, 0.1", kind="multilabel")


def test_the_row_limit_counts_data_rows_only():
    rows = "1, 0.5\n" * (MAX_ROWS + 1)                 # one too many, no header
    with pytest.raises(InputError, match=r"200,001 rows of data; the limit is 200,000"):
        parse_table(rows)
    assert parse_table("label, p\n" + "1, 0.5\n" * MAX_ROWS).n_samples == MAX_ROWS


def test_a_sum_that_is_not_one_is_shown_with_the_digits_that_say_so():
    with pytest.raises(InputError, match=r"sum to 1\.00000\d+, not 1"):   # .6g printed "1"
        parse_table("0, 0.5, 0.5000049\n1, 0.5, 0.5", kind="multiclass")
