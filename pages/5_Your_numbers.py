"""Your numbers: paste or upload labels and predictions, get the loss sample by sample."""

import hashlib

import pandas as pd
import streamlit as st

import ce_core
import ui
from ce_core import parsing, presets, scoring
from charts.calculator import loss_histogram_figure

unit = ui.page_setup(__file__)

# URL keys (public, keep stable): yn_pre = preset, yn_fmt = format, yn_w = weights column,
# yn_norm = normalise rows, yn_ls = label smoothing, yn_clip = clip p = 0 and 1.
# The text itself stays out of the URL (it can be megabytes).
# Bound widgets write the option text into the URL, so options are short words.
CLIP_CHOICES = {"Clip": "like scikit-learn: at most 36.04 nats", "Exact": "−ln 0 = ∞"}
LOG = {"nats": r"\ln", "bits": r"\log_2"}


def load_preset() -> None:
    """Replace the text with the chosen preset (only when the user picks one)."""
    chosen = presets.BY_NAME.get(st.session_state.get("yn_pre"))
    if chosen is not None:
        st.session_state["yn_text"] = chosen.text


def kept(slot: str, key: tuple, compute):
    """``compute()``, or what it gave (or raised) last time for the same ``key``.

    One result per slot, in this session's state: an unchanged input is never parsed
    twice, not even one that failed, and the memory goes with the session. (A cache
    shared by all sessions kept 16 results of ~80 MB with no expiry: BENCHMARKS.md.)
    """
    last = st.session_state.get(slot)
    if last is None or last[0] != key:
        try:
            last = (key, compute())
        except ce_core.InputError as err:
            last = (key, err)
        st.session_state[slot] = last
    if isinstance(last[1], ce_core.InputError):
        raise last[1]
    return last[1]


def parse_and_score(text: str, kind: str, weights_column: bool, normalise: bool,
                    smoothing: float, clip: bool):
    """The input parsed once, then scored once per choice of smoothing and clipping."""
    text_key = (hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest(),
                len(text), kind, weights_column, normalise)
    with st.spinner("Scoring…"):
        parsed = kept("yn_parsed", text_key, lambda: ui.apart(
            len(text), parsing.parse_table, text, kind=kind, weights_column=weights_column,
            normalise_rows=normalise))
        scores = kept("yn_scored", (text_key, smoothing, clip), lambda: ui.apart(
            len(text), scoring.score, parsed, label_smoothing=smoothing, clip=clip))
    return parsed, scores


def input_ui() -> tuple[str | None, str]:
    """The text box, presets and uploader; returns (text to score, where it came from)."""
    names = [p.name for p in presets.PRESETS]
    if "yn_text" not in st.session_state:   # first visit: the preset named in the URL, or the first
        start = presets.BY_NAME.get(st.query_params.get("yn_pre", ""), presets.PRESETS[0])
        st.session_state["yn_text"] = start.text
    st.selectbox("Start from an example", names, key="yn_pre", on_change=load_preset,
                 bind="query-params",
                 help="Each example comes from a library's documentation or a common worked example, "
                      "with the loss it documents.")
    text = st.text_area(
        "Labels and predictions, one sample per line", key="yn_text", height=220,
        persist_state="session",   # what you typed survives a visit to another page
        help="Label first, then the predictions. Separate cells with commas, semicolons, "
             "tabs or spaces. A first line of names is read as a header naming the classes.",
    )
    upload = st.file_uploader("…or upload a CSV or text file", type=["csv", "tsv", "txt"],
                              key="yn_file", max_upload_size=parsing.MAX_BYTES // 10**6)
    if upload is not None:
        return (parsing.decode_upload(upload.getvalue(), name=upload.name),
                f"the file {ui.plain(upload.name)}")
    return text, "the text box"


def options_ui() -> tuple[str, bool, bool, float, bool]:
    kind = st.selectbox("Format", ["auto", *parsing.KINDS], key="yn_fmt", bind="query-params",
                        help="auto decides from the numbers; the caption shows the layout.")
    st.caption(f"Layout: {parsing.KIND_NAMES[kind]}")
    weights_column = st.checkbox("Last column is a sample weight", key="yn_w", bind="query-params")
    normalise = st.checkbox("Normalise rows that do not sum to 1", key="yn_norm",
                            bind="query-params",
                            help="Off: such a row is an error. On: each row is divided by its sum.")
    smoothing = st.slider("Label smoothing ε", 0.0, 0.5, 0.0, step=0.05, key="yn_ls",
                          bind="query-params",
                          help="Targets become (1 − ε)·one-hot + ε/K: the true class stops "
                               "demanding probability exactly 1.")
    clip = st.radio("A probability of exactly 0 for the true class", list(CLIP_CHOICES),
                    captions=list(CLIP_CHOICES.values()), key="yn_clip", bind="query-params")
    return kind, weights_column, normalise, smoothing, clip == "Clip"


def formula_latex(scores, weighted: bool) -> str:
    """The mean written out with the first few per-sample losses."""
    losses = ce_core.to_unit(scores.per_sample, unit)
    n = len(losses)
    shown = " + ".join("\\infty" if v == float("inf") else f"{v:.3f}" for v in losses[:6])
    more = r" + \dots" if n > 6 else ""
    mean = ui.fmt(scores.mean, unit).replace("∞", r"\infty")
    if weighted:
        return (r"L = \frac{\sum_i w_i \ell_i}{\sum_i w_i},\quad \ell_i = -" + LOG[unit]
                + r" p_i(\text{true}) \quad = \text{" + mean + "}")
    # One step a line, so that a phone's column holds each (ui/fit.py shrinks the rest).
    return (r"\begin{aligned} L &= \frac{1}{n}\sum_{i=1}^{n} -" + LOG[unit]
            + r" p_i(\text{true}) \\ &= \frac{1}{" + f"{n:,}".replace(",", "{,}")
            + r"}\left(" + shown + more + r"\right) \\ &= \text{" + mean + r"} \end{aligned}")


def score_input(kind: str, weights_column: bool, normalise: bool, smoothing: float,
                clip: bool):
    """The text box (or upload) parsed and scored; None, with the reason shown, if it fails."""
    try:
        text, source = input_ui()
    except ce_core.InputError as err:
        st.error(ui.plain(err), icon=":material/error:")
        return None
    try:
        return parse_and_score(text, kind, weights_column, normalise, smoothing, clip)
    except ce_core.InputError as err:
        st.error(f"**Could not score {source}.** {ui.plain(err)}", icon=":material/error:")
        return None


def result_metrics(parsed, scores) -> None:
    """The mean, scikit-learn's check, the sample count and the worst sample."""
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Mean cross-entropy", ui.fmt(scores.mean, unit))
    c2.metric("scikit-learn log_loss",
              ui.fmt(scores.reference, unit) if scores.reference is not None else "—",
              help=ui.plain(scores.reference_note))
    c3.metric("Samples", f"{parsed.n_samples:,}")
    c4.metric("Worst sample", ui.fmt(float(scores.per_sample.max()), unit))


def sample_table(parsed, scores) -> None:
    """The worst samples first, with a bar for each loss, and the whole table as CSV."""
    table = pd.DataFrame(scoring.sample_table(parsed, scores, unit))
    loss_column = f"loss ({unit})"
    worst = float(table[loss_column].replace(float("inf"), float("nan")).max() or 1.0)
    shown = f"the {len(table)} worst of {parsed.n_samples:,}" if parsed.n_samples > len(table) \
        else f"all {parsed.n_samples}"
    st.markdown(f"**Samples by loss, worst first** ({shown})")
    st.dataframe(
        table, hide_index=True, height=min(38 + 35 * len(table), 420),
        column_config={
            "line": st.column_config.NumberColumn("line", help="Line in your input", format="%d"),
            "p(true)": st.column_config.NumberColumn(
                "p(true)", format="%.4f",
                help="Probability the model gave to the true class"),
            loss_column: st.column_config.ProgressColumn(
                loss_column, format="%.4f", min_value=0.0, max_value=worst if worst > 0 else 1.0),
        },
    )
    st.download_button(
        "Download every sample as CSV", icon=":material/download:",
        data=lambda: scoring.table_csv(parsed, scores, unit),
        file_name="cross_entropy_per_sample.csv", mime="text/csv", key="yn_download",
    )


def results(parsed, scores, where) -> None:
    """The numbers at the top, the histogram beside the options (on a projector one screen
    holds the controls and what they move), the parser's notes under the input, the
    formula and the table below."""
    with where["numbers"]:
        result_metrics(parsed, scores)
    with where["data"]:
        for note in parsed.notes:
            st.caption(f"ℹ️ {ui.plain(note)}")
    with where["chart"]:
        note = st.empty()   # always there, so the chart below keeps its place (and mount)
        if scores.reference is None:
            note.caption(ui.plain(scores.reference_note))
        counts, edges, n_inf = scoring.loss_histogram(scores.per_sample, unit)
        ui.chart(loss_histogram_figure(counts, edges, unit, n_infinite=n_inf), "yn_hist")
    st.latex(formula_latex(scores, parsed.weights is not None))
    sample_table(parsed, scores)


st.title("Your numbers")
st.markdown(
    "Paste the labels and the predicted probabilities (or logits) of any classifier and see "
    "what cross-entropy charges for each sample. The mean at the top is the number your "
    "training loop prints; the table shows which samples make it large. "
    "scikit-learn's `log_loss` computes the same mean independently, as a check."
)

numbers = st.container()   # filled once the input is scored: the result heads the page
data_column, options_column, chart_column = st.columns([4, 3, 4], gap="medium")
with options_column:
    st.markdown("**Options**")
    options = options_ui()
with data_column:
    result = score_input(*options)
if result is not None:
    results(*result, where={"numbers": numbers, "data": data_column, "chart": chart_column})

with st.expander("What happens at p = 0 or p = 1?", icon=":material/help:"):
    st.markdown(
        "A model that gives the true class probability exactly 0 has made a promise it broke, "
        "and −ln 0 is infinite: one such sample makes the mean infinite too. Libraries avoid "
        "this by clipping. scikit-learn's `log_loss` replaces p by a value between ε and 1 − ε, "
        "with ε = 2⁻⁵² ≈ 2.2 × 10⁻¹⁶ (float64's machine epsilon), so the worst possible sample costs "
        f"−ln ε = {ui.fmt(ce_core.binary_cross_entropy([1], [0.0]), unit)}. Keras clips at 10⁻⁷ "
        "instead. Choose **Exact** above to see the unclipped loss. Logits never need clipping: "
        "the log-sum-exp form stays finite."
    )

ui.show_code(parsing.parse_table, scoring.score, ce_core.categorical_cross_entropy)

ui.lesson_nav(__file__)
