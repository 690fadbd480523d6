"""Pasted text or an uploaded CSV -> validated labels and predictions.

Four layouts, one row per sample (the label column first):

=============  ===============================================  ==========================
kind           columns                                          example row
=============  ===============================================  ==========================
binary         label, P(class 1)                                ``spam, 0.9``
multiclass     label, one probability per class (rows sum to 1) ``2, 0.1, 0.2, 0.7``
logits         label, one raw score per class                   ``0, 2.0, -5.0, 0.5``
multilabel     K labels (0/1), then K probabilities             ``1, 0, 0.8, 0.3``
=============  ===============================================  ==========================

Cells may be separated by commas, semicolons, tabs or spaces; a header row is
optional (it names the classes); labels may be numbers or names. An optional
last column holds sample weights. Every problem raises :class:`InputError`
naming the line and column as a text editor counts them (from 1) and saying how
to fix it.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np

from .validation import SUM_TOLERANCE, InputError

KINDS = ("binary", "multiclass", "logits", "multilabel")
KIND_NAMES = {
    "auto": "detect automatically",
    "binary": "binary: label, P(class 1)",
    "multiclass": "multi-class: label, K probabilities",
    "logits": "multi-class: label, K logits",
    "multilabel": "multi-label: K labels, K probabilities",
}
MAX_ROWS = 200_000
MAX_CLASSES = 100
MAX_COLUMNS = 2 * MAX_CLASSES + 1   # the widest layout: K labels + K probabilities + weights
#: maxUploadSize = 20 in .streamlit/config.toml: the browser's uploader counts that as
#: 20,000,000 bytes (the server as 20 MiB), so the cap a student meets is 20 MB of 10⁶ bytes.
MAX_BYTES = 20_000_000
LIMIT_TEXT = f"20 MB ({MAX_BYTES:,} bytes)"

_DECIMAL_COMMA = re.compile(r"^[+-]?\d*,\d+(?:[eE][+-]?\d+)?$")
#: 1,000 or 12,500,000: a thousands separator as much as a decimal comma, so never guessed.
_THOUSANDS = re.compile(r"^[+-]?[1-9]\d{0,2}(?:,\d{3})+$")
#: Characters that do not show: zero-width spaces and joiners, word joiners, NUL...
_INVISIBLE = re.compile(r"[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064]")
#: Every ASCII character _INVISIBLE does not match (deleting them leaves the invisible ones).
_SHOWN_ASCII = bytes(c for c in range(128) if not _INVISIBLE.match(chr(c)))


@dataclass(frozen=True)
class ParsedInput:
    """Validated samples, ready for :func:`ce_core.scoring.score`."""

    kind: str                    #: one of KINDS
    class_names: list[str]       #: K names; binary: [negative, positive]
    labels: np.ndarray           #: (n,) class indices; multilabel: (n, K) of 0/1
    label_text: list[str]        #: each sample's label as the user wrote it
    values: np.ndarray           #: binary (n,) P(positive); multiclass/multilabel (n, K) probabilities; logits (n, K)
    weights: np.ndarray | None   #: (n,) sample weights, or None
    line_numbers: np.ndarray     #: (n,) the line of each sample in the input, from 1
    notes: list[str] = field(default_factory=list)   #: what the parser decided, in words

    @property
    def n_samples(self) -> int:
        return len(self.line_numbers)


# ----------------------------------------------------------------------------- text -> cells

def decode_upload(data: bytes, *, name: str = "the file") -> str:
    """Bytes of an uploaded file -> text (UTF-8, with or without a byte-order mark)."""
    if len(data) > MAX_BYTES:
        raise InputError(
            f"{name} is {len(data) / 1e6:.1f} MB ({len(data):,} bytes); the limit is "
            f"{LIMIT_TEXT}. "
            "Upload fewer rows (a random sample scores the same on average)."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name} is not UTF-8 text (byte {exc.start} cannot be read). "
            "Save it as 'CSV UTF-8' or plain text and upload it again."
        ) from None


def _where(line: int, col: int, header: list[str] | None) -> str:
    name = f" ('{header[col - 1]}')" if header and col - 1 < len(header) else ""
    return f"Line {line}, column {col}{name}"


def _split_lines(text: str, notes: list[str]) -> list[tuple[int, str]]:
    if not isinstance(text, str):
        raise InputError("The input must be text. Paste rows such as '1, 0.9', one sample per line.")
    if text.startswith("\ufeff"):
        text = text[1:]
        notes.append("Removed the byte-order mark at the start (spreadsheet programs add one).")
    if len(text.encode("utf-8", errors="replace")) > MAX_BYTES:
        raise InputError(f"The input is larger than {LIMIT_TEXT}. Score fewer rows at a time.")
    text = _without_invisible(text, notes)
    lines = [(i + 1, line.strip()) for i, line in enumerate(text.splitlines())]
    lines = [(i, line) for i, line in lines if line and not line.startswith("#")]
    if not lines:
        raise InputError(
            "The input is empty. Paste one sample per line, such as '1, 0.9' "
            "(label, then predicted probability), or choose a preset."
        )
    if len(lines) > MAX_ROWS + 1:   # more than a header and MAX_ROWS samples: stop early
        raise InputError(_too_many_rows(len(lines)))
    for number, line in lines:
        col = line.find("\ufeff")
        if col >= 0:
            raise InputError(
                f"Line {number} contains a byte-order mark (an invisible character) at "
                f"character {col + 1}. Two files were probably pasted together: "
                "delete that character, or re-save the file as UTF-8."
            )
    return lines


def _too_many_rows(n: int) -> str:
    return (f"The input has {n:,} rows of data; the limit is {MAX_ROWS:,}. "
            "Score a random sample of your rows: the mean loss will be close.")


def _without_invisible(text: str, notes: list[str]) -> str:
    """Remove characters that do not show (a zero-width space makes '0.9' unreadable),
    and say which, where."""
    if text.isascii() and not text.encode("ascii").translate(None, _SHOWN_ASCII):
        return text   # 4× faster than the search below on an 18 MB upload
    found = _INVISIBLE.search(text)
    if found is None:
        return text
    line = text.count("\n", 0, found.start()) + 1
    ch = found.group()
    name = unicodedata.name(ch, "control character")
    count = len(_INVISIBLE.findall(text))
    notes.append(f"Removed {count} invisible character(s), the first a U+{ord(ch):04X} "
                 f"({name.lower()}) on line {line}.")
    return _INVISIBLE.sub("", text)


def _delimiter(lines: list[tuple[int, str]]) -> str | None:
    """Tab, semicolon or comma if every sampled line has one; otherwise whitespace (None)."""
    sample = [line for _, line in lines[:50]]
    for candidate in ("\t", ";", ","):
        if all(candidate in line for line in sample):
            return candidate
    return None


def _cells(number: int, line: str, delimiter: str | None) -> list[str]:
    if line.count('"') % 2:
        col = line.index('"') + 1
        raise InputError(
            f"Line {number} has an unmatched quote (\") at character {col}. "
            "Remove the quote, or close it: \"spam\", 0.9."
        )
    if '"' in line:   # quoted cells may hold the separator: "0,9" with commas
        reader = csv.reader([line], delimiter=delimiter or " ", skipinitialspace=True)
        return [cell.strip() for cell in next(reader) if delimiter or cell.strip()]
    return line.split(delimiter) if delimiter else line.split()  # NumPy reads " 0.5" as 0.5; only labels and headers are stripped, later


def _check_columns(numbers: list[int], rows: list[list[str]]) -> int:
    """Every row as wide as the first, between 2 and MAX_COLUMNS cells; returns the width."""
    width = len(rows[0])
    if width > MAX_COLUMNS:
        raise InputError(
            f"Line {numbers[0]} has {width} columns; the limit is {MAX_COLUMNS} "
            f"(up to {MAX_CLASSES} classes). Check the separator, or score fewer classes."
        )
    for number, row in zip(numbers, rows):
        if len(row) != width:
            raise InputError(
                f"Line {number} has {len(row)} columns but line {numbers[0]} has {width}. "
                "Give every row the same number of cells (a missing or extra separator?)."
            )
    if width < 2:
        raise InputError(
            f"Line {numbers[0]} has a single column. Put the label first and the "
            "prediction after it, separated by a comma, semicolon, tab or space: '1, 0.9'."
        )
    return width


def _fast_read(lines: list[str], delimiter: str | None, width: int):
    """Labels, the numeric columns and the rows to read again, through pandas' C reader; or None.

    The rows to read again are those with a cell pandas did not read as a finite
    number (a name, a decimal comma, nan, a missing cell): only they go through the
    exact Python reader, which names the line and column of a problem. A file that
    fails on its last cell is then read in 0.3 s, not 5 s of held GIL that stall
    every other student's page (BENCHMARKS.md, bench_uploads). None (quotes, a row
    too long, a column pandas reads as True/False) means: read every row in Python.
    """
    import pandas as pd   # only here: ce_core's math does not need it

    body = "\n".join(lines)
    if '"' in body or len(lines) < 2:
        return None
    try:
        frame = pd.read_csv(io.StringIO(body), sep=delimiter or r"\s+", header=None,
                            engine="c", skipinitialspace=True, dtype={0: str}, na_filter=False,
                            low_memory=False)
    except (ValueError, pd.errors.ParserError):
        return None
    columns = frame.iloc[:, 1:]
    if frame.shape != (len(lines), width) or any(d.kind not in "ifO" for d in columns.dtypes):
        return None
    matrix = columns.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=np.float64, copy=True)
    again = np.flatnonzero(~np.isfinite(matrix).all(axis=1))
    return [cell.strip() for cell in frame.iloc[:, 0].tolist()], matrix, again


def _is_number(cell: str) -> bool:
    """float() reads it, or it is a decimal comma such as 0,9."""
    try:
        float(cell)
    except ValueError:
        return bool(_DECIMAL_COMMA.match(cell.strip()))
    return True


def _finite_number(cell: str) -> bool:
    try:
        return np.isfinite(float(cell))
    except ValueError:
        return False


def _decimal_commas(block: list[list[str]], numbers, columns, header, notes):
    """Cells such as 0,9 read as 0.9 (a cell holds a comma only with another separator, or
    in quotes); 1,000 is refused: a thousands separator or a decimal comma?"""
    for r, row in enumerate(block):
        for c, cell in enumerate(row):
            if _THOUSANDS.match(cell.strip()):
                raise InputError(
                    f"{_where(numbers[r], columns[c] + 1, header)} is '{cell.strip()}': a "
                    "thousands separator or a decimal comma? Write it without the comma "
                    f"({cell.strip().replace(',', '')}) or with a decimal point "
                    f"({cell.strip().replace(',', '.')})."
                )
    fixed = [[cell.replace(",", ".") if _DECIMAL_COMMA.match(cell.strip()) else cell
              for cell in row] for row in block]
    values = _as_floats(fixed)
    if values is None:
        return None
    notes.append("Read decimal commas (0,9) as decimal points (0.9).")
    return values


def _numbers(rows, numbers, columns, header, notes) -> np.ndarray:
    """The given columns as a float matrix, with the first bad cell named exactly."""
    lo, hi = columns[0], columns[-1] + 1   # always a contiguous run of columns
    block = [row[lo:hi] for row in rows]
    values = _as_floats(block)
    if values is None:
        values = _decimal_commas(block, numbers, columns, header, notes)
    if values is None:
        _refuse_first_non_number(block, numbers, columns, header)
    _refuse_missing_values(values, block, numbers, columns, header)
    return values


def _as_floats(block: list[list[str]]) -> np.ndarray | None:
    """The cells as a float matrix in one NumPy call, or None if any cell is not a number."""
    try:
        return np.array(block, dtype=np.float64)
    except ValueError:
        return None


def _refuse_first_non_number(block, numbers, columns, header) -> None:
    """Name the first cell that no reading makes a number (0,9 is readable: not the problem)."""
    for r, row in enumerate(block):
        for c, cell in enumerate(row):
            if not _is_number(cell):
                raise InputError(_not_a_number(_where(numbers[r], columns[c] + 1, header),
                                               cell.strip()))


def _not_a_number(where: str, cell: str) -> str:
    if cell == "":
        return (f"{where} is empty. Fill in the number, or delete the row "
                "(and check for a doubled or trailing separator).")
    hint = (" It holds both a comma and a point: write numbers without a "
            "thousands separator, such as 1000.5." if "," in cell and "." in cell else "")
    return (f"{where} is '{cell}', which is not a number.{hint} "
            "Use plain numbers such as 0.25 in every column after the label.")


def _refuse_missing_values(values, block, numbers, columns, header) -> None:
    """nan and inf read as numbers, but no loss can be computed from them."""
    bad = ~np.isfinite(values)
    if bad.any():
        r, c = np.argwhere(bad)[0]
        raise InputError(
            f"{_where(numbers[r], columns[c] + 1, header)} is '{block[r][c].strip()}'. "
            "Every value must be a finite number: fill in the missing value or delete the row."
        )


def _check_unit_interval(values, numbers, columns, header, what="probability"):
    bad = (values < 0) | (values > 1)
    if bad.any():
        r, c = np.argwhere(bad)[0]
        raise InputError(
            f"{_where(numbers[r], columns[c] + 1, header)} is {values[r, c]:g}, but a "
            f"{what} must lie between 0 and 1. If these are raw scores, choose the "
            "'logits' format; otherwise fix the value."
        )


# ----------------------------------------------------------------------------- labels

def _label_numbers(label_cells: list[str]) -> np.ndarray | None:
    """The labels as numbers, or None if any label is a name."""
    try:
        values = np.array(label_cells, dtype=np.float64)
    except ValueError:
        return None
    return values if np.isfinite(values).all() else None


def _whole(values: np.ndarray | None) -> bool:
    return values is not None and bool(np.all(values == np.round(values)))


def _refuse_fractions(label_cells, label_numbers, numbers, header) -> None:
    """A label of 0.5 is neither a class number nor a name: say so instead of guessing."""
    if label_numbers is None or _whole(label_numbers):
        return
    r = int(np.argmax(label_numbers != np.round(label_numbers)))
    raise InputError(
        f"{_where(numbers[r], 1, header)} is label {label_cells[r]}, a fraction. A label says "
        "which class is true: a whole number (0, 1, 2...) or a name. If this column holds "
        "probabilities, put the true label first on each line."
    )


def _class_labels(label_cells, label_numbers, numbers, names, header, *, named_columns: bool):
    """Map each label cell to a class index 0..K-1; names come from the header or are 0..K-1."""
    k = len(names)
    _refuse_fractions(label_cells, label_numbers, numbers, header)
    if _whole(label_numbers):
        index = label_numbers.astype(np.intp)
        bad = (index < 0) | (index >= k)
        if bad.any():
            r = int(np.argmax(bad))
            raise InputError(
                f"{_where(numbers[r], 1, header)} is label {label_cells[r]}, but there are "
                f"{k} prediction columns, so labels run 0..{k - 1}. Renumber the labels from 0, "
                "or add the missing class's column."
            )
        return index, names
    if named_columns:
        lookup = {name: i for i, name in enumerate(names)}
        for r, cell in enumerate(label_cells):
            if cell not in lookup:
                raise InputError(
                    f"{_where(numbers[r], 1, header)} is '{cell}', which is not one of the "
                    f"class columns ({', '.join(names)}). Use one of those names exactly "
                    "(spelling and capitals count)."
                )
        return np.array([lookup[c] for c in label_cells]), names
    classes = sorted(set(label_cells))
    if len(classes) != k:
        raise InputError(
            f"The labels name {len(classes)} classes ({_short_list(classes)}) but there are "
            f"{k} prediction columns. Add a header row naming the columns "
            f"(label, {', '.join(classes[:k]) or 'a, b'}...) so each column has its class."
        )
    lookup = {name: i for i, name in enumerate(classes)}
    return np.array([lookup[c] for c in label_cells]), classes


def _short_list(items, limit=5) -> str:
    shown = ", ".join(items[:limit])
    return shown + (", ..." if len(items) > limit else "")


def _binary_labels(label_cells, label_numbers, numbers, header, p_name: str | None, notes):
    classes = sorted(set(label_cells))
    _refuse_fractions(label_cells, label_numbers, numbers, header)
    if _whole(label_numbers):
        values = label_numbers
        bad = (values != 0) & (values != 1)
        if bad.any():
            r = int(np.argmax(bad))
            raise InputError(
                f"{_where(numbers[r], 1, header)} is label {label_cells[r]}, but the binary "
                "format needs labels 0 or 1 (or two names). For more classes give one "
                "probability column per class."
            )
        return values.astype(np.intp), ["0", "1"]
    if len(classes) > 2:
        raise InputError(
            f"The labels name {len(classes)} classes ({_short_list(classes)}) but there is one "
            "probability column. Binary input needs two classes; for more, give one "
            "probability column per class."
        )
    if p_name is not None and p_name in classes:
        positive = p_name
    elif len(classes) == 2:
        positive = classes[1]
        notes.append(
            f"Read the probabilities as P({positive}): the later of the two names "
            "alphabetically, as scikit-learn does. Name the column in a header to choose."
        )
    else:
        raise InputError(
            f"Every label is '{classes[0]}', so it is impossible to tell which class the "
            "probabilities belong to. Add a header row naming the probability column "
            f"(label, {classes[0]}), or include samples of the other class."
        )
    negative = next((c for c in classes if c != positive), f"not {positive}")
    return np.array([1 if c == positive else 0 for c in label_cells]), [negative, positive]


# ----------------------------------------------------------------------------- the parser

def _detect(first_numeric, pred, m_pred):
    if m_pred == 1:
        return "binary"
    if first_numeric is not None and m_pred % 2 == 1:
        labels = np.column_stack([first_numeric, pred[:, : (m_pred - 1) // 2]])
        probs = pred[:, (m_pred - 1) // 2:]
        if (np.isin(labels, (0, 1)).all() and ((probs >= 0) & (probs <= 1)).all()
                and not (np.abs(pred.sum(axis=1) - 1) <= SUM_TOLERANCE).all()):
            return "multilabel"
    if ((pred >= 0) & (pred <= 1)).all():
        return "multiclass"
    return "logits"


@dataclass
class _Table:
    """The data rows as read: line numbers, label cells, the numeric columns."""

    numbers: list[int]            #: the input line of each data row, from 1
    label_cells: list[str]
    matrix: np.ndarray            #: (n, width - 1) every column after the label
    width: int                    #: columns in a row, the label's included
    header: list[str] | None

    @property
    def label_numbers(self) -> np.ndarray | None:
        return _label_numbers(self.label_cells)


def parse_table(text: str, *, kind: str = "auto", weights_column: bool = False,
                normalise_rows: bool = False) -> ParsedInput:
    """Parse labels and predictions from text (CSV, TSV, semicolons or spaces).

    Parameters
    ----------
    text : str
        One sample per line; the label first. Blank lines and lines starting
        with ``#`` are skipped; a first line that is not numbers is a header.
    kind : {"auto", "binary", "multiclass", "logits", "multilabel"}, default="auto"
        The layout (see the module docstring); "auto" decides from the numbers.
    weights_column : bool, default=False
        The last column holds a non-negative weight per sample.
    normalise_rows : bool, default=False
        Multi-class probabilities whose row does not sum to 1 are divided by
        their sum instead of being refused.

    Examples
    --------
    scikit-learn's spam/ham example, with a header naming the classes:

    >>> parsed = parse_table("label,ham,spam\\nspam,.1,.9\\nham,.9,.1\\nham,.8,.2\\nspam,.35,.65")
    >>> parsed.kind, parsed.class_names, parsed.labels.tolist()
    ('multiclass', ['ham', 'spam'], [1, 0, 0, 1])
    """
    if kind not in ("auto",) + KINDS:
        raise InputError(f"kind={kind!r} is not one of auto, {', '.join(KINDS)}. Choose one of those.")
    notes: list[str] = []
    table = _read_table(text, notes)
    weights = _weights(table) if weights_column else None
    if kind == "auto":
        kind = _detect(table.label_numbers, table.matrix, table.width - 1)
        notes.append(f"Detected the format: {KIND_NAMES[kind]}.")
    if kind == "binary":
        return _binary(table, weights, notes)
    if kind == "multilabel":
        return _multilabel(table, weights, notes)
    return _classes(kind, table, weights, notes, normalise_rows)


def _read_table(text: str, notes: list[str]) -> _Table:
    """Lines -> header (if any) and data rows, read fast through pandas when they are clean."""
    numbered = _split_lines(text, notes)
    numbers = [n for n, _ in numbered]
    lines = [line for _, line in numbered]
    delimiter = _delimiter(numbered)
    first = [cell.strip() for cell in _cells(numbers[0], lines[0], delimiter)]
    header = _header(first, numbers, lines, delimiter, notes)
    start = 1 if header else 0
    if len(lines) - start > MAX_ROWS:
        raise InputError(_too_many_rows(len(lines) - start))
    _check_columns(numbers[:1], [first])   # too few or too many columns, before any reading
    fast = _fast_read(lines[start:], delimiter, len(first))
    if fast is None:
        again = np.arange(len(lines) - start)
        labels, matrix = [""] * len(again), np.empty((len(again), len(first) - 1))
    else:
        labels, matrix, again = fast
    if again.size:   # only these rows in Python: the same checks, in the same order
        picked = [start + i for i in again]
        rows = [_cells(numbers[i], lines[i], delimiter) for i in picked]
        _check_columns(numbers[:1] + [numbers[i] for i in picked], [first] + rows)
        matrix[again] = _numbers(rows, [numbers[i] for i in picked],
                                 list(range(1, len(first))), header, notes)
        for i, row in zip(again, rows):
            labels[i] = row[0].strip()
    return _Table(numbers[start:], labels, matrix, len(first), header)


#: First cells that name the label column in a header, even above class names that are
#: numbers (``label,0,1``).
HEADER_WORDS = {"label", "labels", "y", "y_true", "target", "targets", "class", "truth", "true"}


def _header(first: list[str], numbers, lines, delimiter, notes) -> list[str] | None:
    """The first row, if it is a header: a name where the predictions go, a named label
    column above numeric labels, or a label column called ``label`` (or y, target...)."""
    second_label = _cells(numbers[1], lines[1], delimiter)[0].strip() if len(lines) > 1 else ""
    if not (any(c and not _is_number(c) for c in first[1:])
            or (not _is_number(first[0]) and _is_number(second_label))
            or first[0].lower() in HEADER_WORDS):
        return None
    notes.append(f"Read line {numbers[0]} as a header: {', '.join(first)}.")
    if len(lines) == 1:
        raise InputError("There is a header but no data rows. Add one row per sample below it.")
    return first


def _weights(table: _Table) -> np.ndarray:
    """The last column as sample weights, taken off the table."""
    if table.width < 3:
        raise InputError(
            "With a weights column there must be at least 3 columns: label, prediction, "
            "weight. Add the weights, or untick 'last column is sample weights'."
        )
    weights, table.matrix = table.matrix[:, -1], table.matrix[:, :-1]
    if (weights < 0).any():
        r = int(np.argmax(weights < 0))
        raise InputError(
            f"{_where(table.numbers[r], table.width, table.header)} is a weight of "
            f"{weights[r]:g}. Weights must be 0 or more."
        )
    if not weights.any():   # not .sum(): weights of 1e308 would overflow it
        raise InputError("Every weight is 0, so there is no average to take. Give some samples a positive weight.")
    table.width -= 1
    return weights


def _names(table: _Table) -> list[str] | None:
    return table.header[1:table.width] if table.header else None


def _binary(table: _Table, weights, notes) -> ParsedInput:
    if table.width != 2:
        raise InputError(
            f"The binary format has 2 columns (label, probability) but there are {table.width}. "
            "Choose the multi-class or multi-label format, or remove the extra columns."
        )
    _check_unit_interval(table.matrix, table.numbers, [1], table.header)
    names = _names(table)
    labels, class_names = _binary_labels(table.label_cells, table.label_numbers, table.numbers,
                                         table.header, names[0] if names else None, notes)
    return ParsedInput("binary", class_names, labels, table.label_cells, table.matrix[:, 0],
                       weights, np.array(table.numbers), notes)


def _multilabel(table: _Table, weights, notes) -> ParsedInput:
    width, numbers, header = table.width, table.numbers, table.header
    if width % 2:
        raise InputError(
            f"The multi-label format needs K label columns then K probability columns, "
            f"an even number, but there are {width}. Check for a missing column."
        )
    k = width // 2
    label_numbers = table.label_numbers
    if label_numbers is None:   # a name, or a number that is not finite (nan)
        r = next(i for i, c in enumerate(table.label_cells) if not _finite_number(c))
        raise InputError(
            f"{_where(numbers[r], 1, header)} is '{table.label_cells[r]}', but multi-label "
            f"labels (the first {k} columns) must be 0 or 1."
        )
    block = np.column_stack([label_numbers, table.matrix])
    labels, probs = block[:, :k], block[:, k:]
    bad = ~np.isin(labels, (0, 1))
    if bad.any():
        r, c = np.argwhere(bad)[0]
        raise InputError(
            f"{_where(numbers[r], c + 1, header)} is {labels[r, c]:g}, but multi-label "
            f"labels (the first {k} columns) must be 0 or 1."
        )
    _check_unit_interval(probs, numbers, list(range(k, width)), header)
    class_names = header[:k] if header else [f"label {i + 1}" for i in range(k)]
    text_labels = [" ".join(f"{v:g}" for v in row) for row in labels]
    return ParsedInput("multilabel", class_names, labels.astype(np.intp), text_labels, probs,
                       weights, np.array(numbers), notes)


def _classes(kind: str, table: _Table, weights, notes, normalise_rows: bool) -> ParsedInput:
    """Multi-class probabilities or logits: one column per class after the label."""
    k = table.width - 1
    if k < 2:
        raise InputError(
            f"The {kind} format needs one column per class (at least 2) after the label. "
            "For a single probability column choose the binary format."
        )
    if k > MAX_CLASSES:
        raise InputError(f"There are {k} classes; the limit is {MAX_CLASSES}. Score fewer classes.")
    pred = table.matrix
    if kind == "multiclass":
        _check_unit_interval(pred, table.numbers, list(range(1, table.width)), table.header)
        pred = _rows_summing_to_one(pred, table.numbers, normalise_rows, notes)
    labels, class_names = _class_labels(table.label_cells, table.label_numbers, table.numbers,
                                        _names(table) or [str(i) for i in range(k)],
                                        table.header, named_columns=table.header is not None)
    return ParsedInput(kind, list(class_names), labels, table.label_cells, pred, weights,
                       np.array(table.numbers), notes)


def _rows_summing_to_one(pred: np.ndarray, numbers, normalise_rows: bool, notes) -> np.ndarray:
    """Probability rows that sum to 1, or (when asked) divided by their sum."""
    sums = pred.sum(axis=1)
    off = np.abs(sums - 1) > SUM_TOLERANCE
    if not off.any():
        return pred
    r = int(np.argmax(off))
    if not normalise_rows:
        raise InputError(
            f"Line {numbers[r]}: the probabilities sum to {_not_one(sums[r])}, not 1. "
            "Fix the row, tick 'normalise rows' to divide each row by its sum, "
            "or choose the logits format if these are raw scores."
        )
    if (sums == 0).any():
        r = int(np.argmax(sums == 0))
        raise InputError(
            f"Line {numbers[r]}: every probability is 0, so the row cannot be "
            "normalised. Give at least one class a positive probability."
        )
    notes.append(f"Normalised {int(off.sum())} row(s) whose probabilities did not sum to 1.")
    return pred / sums[:, None]


def _not_one(total: float) -> str:
    """A sum that is not 1, with as many digits as it takes to show that it is not."""
    for digits in range(6, 18):
        text = f"{total:.{digits}g}"
        if float(text) != 1.0:
            return text
    return repr(total)
