"""Parsing pasted text: the good layouts, the documented presets, and the worst inputs we found.

Each malformed input must raise InputError with a message naming the problem and
where it is (line and column, counted from 1 as an editor does).
"""

import math

import numpy as np
import pytest
from sklearn.metrics import log_loss

from ce_core import InputError
from ce_core.parsing import MAX_BYTES, MAX_ROWS, decode_upload, parse_table
from ce_core.presets import PRESETS
from ce_core.scoring import loss_histogram, sample_table, score, table_csv

ln = math.log


def bad(name, text, message, **options):
    """A malformed input: its InputError must match the regex ``message``."""
    return pytest.param(text, options, message, id=name)


# Nothing to score: no text, no data rows, or not text at all.
NOTHING_TO_READ = [
    bad("empty", "", r"The input is empty"),
    bad("only-whitespace", "   \n\n  \t \n", r"The input is empty"),
    bad("only-comments", "# just a comment\n", r"The input is empty"),
    bad("header-only", "label, p\n", r"There is a header but no data rows"),
    bad("not-text", 12345, r"The input must be text"),
]

# A cell that is not a number.
NOT_NUMBERS = [
    bad("non-numeric-cell", "1, 0.9\n0, abc", r"Line 2, column 2 is 'abc', which is not a number"),
    bad("empty-cell", "1, 0.9\n0, ", r"Line 2, column 2 is empty"),
    bad("trailing-separator", "1, 0.9, \n0, 0.2, ", r"Line 1, column 3 is empty", kind="multiclass"),
    bad("stray-quote", '1, "0.9\n0, 0.1', r"Line 1 has an unmatched quote"),
    bad("bom-mid-text", "\ufeff1, 0.9\n\ufeff0, 0.1", r"Line 2 contains a byte-order mark"),
]

# A number, but not one a loss can use.
NUMBERS_NO_LOSS_CAN_USE = [
    bad("nan", "1, 0.9\n0, nan", r"Line 2, column 2 is 'nan'.*finite number"),
    bad("inf", "1, inf\n0, 0.1", r"Line 1, column 2 is 'inf'"),
    bad("prob-above-one", "1, 1.2\n0, 0.1", r"Line 1, column 2 is 1.2, but a probability must lie between 0 and 1"),
    bad("prob-negative", "1, 0.9\n0, -0.1", r"Line 2, column 2 is -0.1", kind="binary"),
]

# Multi-class probabilities whose row does not sum to 1.
ROWS_NOT_SUMMING_TO_ONE = [
    bad("row-sum", "0, 0.5, 0.4\n1, 0.3, 0.7", r"Line 1: the probabilities sum to 0.9, not 1.*normalise rows", kind="multiclass"),
    bad("row-all-zero-normalise", "0, 0, 0\n1, 0.3, 0.7", r"Line 1: every probability is 0", kind="multiclass", normalise_rows=True),
]

# Rows of different or impossible widths.
WRONG_WIDTH = [
    bad("ragged-more", "1, 0.9\n0, 0.1, 0.3", r"Line 2 has 3 columns but line 1 has 2"),
    bad("ragged-fewer", "0, 0.2, 0.8\n1, 0.9", r"Line 2 has 2 columns but line 1 has 3"),
    bad("single-column", "1\n0\n1", r"Line 1 has a single column"),
    bad("decimal-comma-mixed", "1;0,9;0,1\n0;0,2;0;8", r"Line 2 has 4 columns but line 1 has 3"),
    bad("decimal-comma-with-comma-separator", "1, 0,9\n0, 0,1", r"The binary format has 2 columns", kind="binary"),
]

# Labels that match no prediction column.
CLASS_LABELS = [
    bad("label-out-of-range", "3, 0.2, 0.8\n1, 0.9, 0.1", r"Line 1, column 1 is label 3, but there are 2 prediction columns"),
    bad("label-negative", "-1, 0.2, 0.8\n1, 0.9, 0.1", r"Line 1, column 1 is label -1"),
    bad("label-not-in-header", "label, cat, dog\ncat, 0.9, 0.1\nbird, 0.5, 0.5", r"Line 3, column 1 \('label'\) is 'bird', which is not one of the class columns \(cat, dog\)"),
    bad("names-without-header", "cat, 0.2, 0.3, 0.5\ndog, 0.1, 0.1, 0.8", r"The labels name 2 classes \(cat, dog\) but there are 3 prediction columns.*header"),
]

# Labels that do not make two classes.
BINARY_LABELS = [
    bad("binary-label-2", "1, 0.9\n2, 0.1", r"Line 2, column 1 is label 2, but the binary format needs labels 0 or 1", kind="binary"),
    bad("binary-three-names", "cat, 0.9\ndog, 0.1\nbird, 0.5", r"The labels name 3 classes \(bird, cat, dog\) but there is one probability column"),
    bad("single-class", "spam, 0.9\nspam, 0.6", r"Every label is 'spam'.*Add a header row"),
]

# A weights column that cannot weigh.
BAD_WEIGHTS = [
    bad("negative-weight", "1, 0.9, 2\n0, 0.1, -1", r"Line 2, column 3 is a weight of -1", weights_column=True),
    bad("all-weights-zero", "1, 0.9, 0\n0, 0.1, 0", r"Every weight is 0", weights_column=True),
    bad("weights-too-few-columns", "1, 0.9\n0, 0.1", r"at least 3 columns", weights_column=True),
]

# A format that the table does not fit.
WRONG_FORMAT = [
    bad("multilabel-odd", "1, 0, 0.5, 0.7, 0.2\n0, 1, 0.4, 0.1, 0.3", r"even number, but there are 5", kind="multilabel"),
    bad("multilabel-bad-label", "2, 0, 0.5, 0.7\n0, 1, 0.4, 0.1", r"Line 1, column 1 is 2, but multi-label labels", kind="multilabel"),
    bad("logits-one-column", "0, 0.5\n1, 0.2", r"needs one column per class \(at least 2\)", kind="logits"),
    bad("unknown-format", "1, 0.9", r"kind='softmax' is not one of", kind="softmax"),
]

# Larger than the page scores.
TOO_LARGE = [
    bad("too-many-columns", "1," + ",".join(["0.1"] * 250), r"has 251 columns; the limit is 201"),
    bad("too-many-rows", "1, 0.5\n" * (MAX_ROWS + 2), r"the limit is 200,000"),
]

MALFORMED = [*NOTHING_TO_READ, *NOT_NUMBERS, *NUMBERS_NO_LOSS_CAN_USE, *ROWS_NOT_SUMMING_TO_ONE,
             *WRONG_WIDTH, *CLASS_LABELS, *BINARY_LABELS, *BAD_WEIGHTS, *WRONG_FORMAT, *TOO_LARGE]


@pytest.mark.parametrize("text, options, message", MALFORMED)
def test_malformed_input_names_the_problem_and_the_place(text, options, message):
    with pytest.raises(InputError, match=message):
        parse_table(text, **options)


def test_there_are_at_least_25_distinct_malformed_inputs():
    assert len({p.id for p in MALFORMED}) >= 25


def test_upload_that_is_not_utf8_or_too_large():
    with pytest.raises(InputError, match=r"not UTF-8 text \(byte 7"):
        decode_upload(b"1, 0.9\n\xff\xfe0, 0.1", name="data.csv")
    with pytest.raises(InputError, match=r"is 20.0 MB \(20,000,001 bytes\); the limit is 20 MB \(20,000,000 bytes\)"):
        decode_upload(b"1" * (MAX_BYTES + 1), name="big.csv")
    assert decode_upload("\ufeff1, 0.9".encode("utf-8")) == "1, 0.9"   # a leading BOM is fine


# ----------------------------------------------------------------------------- good inputs

@pytest.mark.parametrize("separator", [",", ";", "\t", " ", "  "])
def test_every_separator_gives_the_same_loss(separator):
    y, p = [1, 0, 1, 1, 0, 1], [0.9, 0.1, 0.8, 0.7, 0.2, 0.9]
    text = "\n".join(f"{a}{separator}{b}" for a, b in zip(y, p))
    assert score(parse_table(text)).mean == pytest.approx(log_loss(y, p), rel=1e-12)


def test_leading_bom_quotes_blank_lines_and_comments_are_tolerated():
    parsed = parse_table('\ufeff# exported by a spreadsheet\n"label","p"\n\n"1","0.9"\n"0","0.2"\n')
    assert parsed.labels.tolist() == [1, 0]
    assert parsed.line_numbers.tolist() == [4, 5]   # lines as the user counts them
    assert any("byte-order mark" in note for note in parsed.notes)


def test_string_labels_follow_scikit_learn_alphabetical_order():
    # log_loss sorts class names: ham = 0, spam = 1, so the column is P(spam).
    y, p = ["spam", "ham", "ham", "spam"], [0.9, 0.1, 0.2, 0.65]
    parsed = parse_table("\n".join(f"{a}, {b}" for a, b in zip(y, p)))
    assert parsed.class_names == ["ham", "spam"]
    assert score(parsed).mean == pytest.approx(log_loss(y, p), rel=1e-12)


def test_header_chooses_the_positive_class():
    # The header says the column is P(ham), so spam rows pay -ln(1 - p).
    parsed = parse_table("label, ham\nspam, 0.1\nham, 0.8")
    assert parsed.class_names == ["spam", "ham"]
    assert score(parsed).mean == pytest.approx(-(ln(0.9) + ln(0.8)) / 2, rel=1e-12)


def test_header_named_columns_map_labels_in_any_order():
    text = "label, dog, cat\ncat, 0.3, 0.7\ndog, 0.6, 0.4"
    assert score(parse_table(text)).mean == pytest.approx(-(ln(0.7) + ln(0.6)) / 2, rel=1e-12)


def test_decimal_commas_with_semicolons():
    parsed = parse_table("1;0,9\n0;0,2")
    assert parsed.values.tolist() == [0.9, 0.2]
    assert any("decimal commas" in note for note in parsed.notes)


def test_weights_column_matches_log_loss_sample_weight():
    y, p, w = [1, 0, 1], [0.9, 0.3, 0.4], [1.0, 2.0, 0.5]
    text = "\n".join(f"{a}, {b}, {c}" for a, b, c in zip(y, p, w))
    expected = log_loss(y, p, sample_weight=w)
    s = score(parse_table(text, weights_column=True))
    assert s.mean == pytest.approx(expected, rel=1e-12)
    assert s.reference == pytest.approx(expected, rel=1e-12)


def test_normalise_rows_divides_by_the_row_sum():
    parsed = parse_table("0, 0.5, 0.3\n1, 0.2, 0.2", kind="multiclass", normalise_rows=True)
    np.testing.assert_allclose(parsed.values, [[0.625, 0.375], [0.5, 0.5]])
    assert score(parsed).mean == pytest.approx(-(ln(0.625) + ln(0.5)) / 2, rel=1e-12)


def test_auto_detection_of_each_format():
    assert parse_table("1, 0.9\n0, 0.2").kind == "binary"
    assert parse_table("0, 0.9, 0.1\n1, 0.2, 0.8").kind == "multiclass"
    assert parse_table("0, 2.0, -1.0\n1, 0.5, 3.0").kind == "logits"
    assert parse_table("1, 0, 0.8, 0.3\n0, 1, 0.4, 0.9").kind == "multilabel"


def test_label_smoothing_matches_the_smoothed_target_formula():
    # eps = 0.2, K = 2: targets (0.9, 0.1) for the true class 1 with p = 0.8:
    # -(0.9 ln 0.8 + 0.1 ln 0.2).
    s = score(parse_table("1, 0.8"), label_smoothing=0.2)
    assert s.mean == pytest.approx(-(0.9 * ln(0.8) + 0.1 * ln(0.2)), rel=1e-12)
    assert s.reference is None   # log_loss has no smoothing to compare with


def test_exact_mode_gives_infinity_and_clip_mode_gives_52_ln_2():
    parsed = parse_table("1, 0.0\n0, 0.1")
    assert score(parsed, clip=False).mean == math.inf
    clipped = score(parsed)
    assert clipped.per_sample[0] == pytest.approx(52 * ln(2), rel=1e-12)   # -ln(2**-52)
    assert clipped.mean == pytest.approx(log_loss([1, 0], [0.0, 0.1]), rel=1e-12)
    counts, edges, n_inf = loss_histogram(score(parsed, clip=False).per_sample, "nats")
    assert n_inf == 1 and counts.sum() == 1


def test_logits_match_log_loss_of_softmax():
    rng = np.random.default_rng(3)
    z, y = rng.normal(0, 2, (50, 4)), rng.integers(0, 4, 50)
    text = "\n".join(f"{label}, " + ", ".join(repr(float(v)) for v in row) for label, row in zip(y, z))
    s = score(parse_table(text, kind="logits"))
    e = np.exp(z - z.max(axis=1, keepdims=True))
    assert s.mean == pytest.approx(log_loss(y, e / e.sum(axis=1, keepdims=True), labels=range(4)), rel=1e-9)


# ----------------------------------------------------------------------------- presets

# Documented means, restated here from their sources (not read from ce_core.presets).
DOCUMENTED = {
    "Six binary predictions": 0.1865,            # seed 002 prints 0.18649...
    "Five samples, three classes": 0.4281,       # seed 002 prints 0.42809...
    "scikit-learn: log_loss([0, 1], ...)": 0.3993,             # (-ln .9 - ln .5) / 2
    "scikit-learn: spam and ham": 0.21616,                     # sklearn log_loss docstring
    "Keras: binary_crossentropy (two labels per sample)": 0.815,   # mean of [0.916, 0.714]
    "Keras: CategoricalCrossentropy": 1.177,                   # Keras docs
    "TensorFlow: sparse_softmax_cross_entropy_with_logits": 0.48078,  # mean of [0.2975, 1.1448, 0]
}


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.name)
def test_every_preset_reproduces_its_documented_value(preset):
    documented = DOCUMENTED[preset.name]
    digits = len(str(documented).split(".")[1])
    s = score(parse_table(preset.text))
    assert round(s.mean, digits) == pytest.approx(documented, abs=10 ** -digits)
    assert s.reference == pytest.approx(s.mean, rel=1e-9, abs=1e-12)   # log_loss agrees


def test_every_preset_has_a_documented_value_here():
    assert {p.name for p in PRESETS} == set(DOCUMENTED)


# ----------------------------------------------------------------------------- tables

def test_sample_table_is_sorted_worst_first_and_limited():
    parsed = parse_table("\n".join(f"1, {p}" for p in np.linspace(0.05, 0.95, 300)))
    table = sample_table(parsed, score(parsed), "bits", limit=200)
    assert len(table["line"]) == 200
    assert table["line"][0] == 1 and table["p(true)"][0] == pytest.approx(0.05)
    assert table["loss (bits)"][0] == pytest.approx(-math.log2(0.05), rel=1e-12)
    assert np.all(np.diff(table["loss (bits)"]) <= 0)


def test_csv_download_has_every_row():
    parsed = parse_table("label, ham, spam\nspam, .1, .9\nham, .9, .1\nham, .8, .2\nspam, .35, .65")
    lines = table_csv(parsed, score(parsed), "nats").splitlines()
    assert lines[0] == "line,true label,p(true),loss (nats)"
    assert len(lines) == 5
    assert lines[1].startswith("5,spam,0.65,")          # -ln 0.65 is the worst
    assert float(lines[1].split(",")[3]) == pytest.approx(-ln(0.65), rel=1e-12)


# ----------------------------------------------------------------------------- any text at all

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

CELL = st.one_of(st.sampled_from(["0", "1", "2", "0.5", "0.25", "1e-3", "-1", "nan", "inf", "",
                                  "spam", "ham", '"0.5"', '"', "0,5", "\ufeff", "1.2", " "]),
                 st.text(max_size=4))


@st.composite
def near_valid_tables(draw):
    rows = draw(st.integers(1, 6))
    cols = draw(st.integers(1, 5))
    sep = draw(st.sampled_from([",", ";", "\t", " ", ", "]))
    lines = [sep.join(draw(CELL) for _ in range(cols + draw(st.sampled_from([0, 0, 0, 1, -1]))))
             for _ in range(rows)]
    return "\n".join(lines)


@given(st.one_of(st.text(max_size=200), near_valid_tables()),
       st.sampled_from(["auto", "binary", "multiclass", "logits", "multilabel"]),
       st.booleans(), st.booleans(), st.sampled_from([0.0, 0.1]), st.booleans())
def test_any_text_gives_a_score_or_an_input_error(text, kind, weights, normalise, smoothing, clip):
    try:
        parsed = parse_table(text, kind=kind, weights_column=weights, normalise_rows=normalise)
    except InputError as err:
        assert str(err) and str(err)[0].isupper()      # a sentence, not a bare repr
        return
    s = score(parsed, label_smoothing=smoothing, clip=clip)
    assert s.per_sample.shape == (parsed.n_samples,)
    assert np.all(s.per_sample >= 0)
    assert not np.isnan(s.mean)
