"""The shared Vega-Lite look: config, presenter scaling, Chart packaging."""

from charts.style import CONFIG, Chart, finite_or_none, scaled_fonts, vega_spec

from tests.vega import assert_valid


def font_sizes(node, path=()):
    if isinstance(node, dict):
        for key, value in node.items():
            if key.endswith("FontSize") or key == "fontSize":
                yield path + (key,), value
            else:
                yield from font_sizes(value, path + (key,))


def test_scaled_fonts_multiplies_every_font_size_of_the_config_and_nothing_else():
    scaled = scaled_fonts(CONFIG, 1.5)
    sizes, originals = dict(font_sizes(scaled)), dict(font_sizes(CONFIG))
    assert sizes.keys() == originals.keys() and len(sizes) >= 6
    assert all(sizes[k] == round(1.5 * originals[k]) for k in sizes)
    assert scaled["range"] == CONFIG["range"] and scaled["axis"]["gridColor"] == CONFIG["axis"]["gridColor"]
    assert CONFIG["axis"]["labelFontSize"] == 15          # the shared config is not mutated


def test_chart_ships_its_tables_as_named_datasets_and_validates():
    layer = {"data": {"name": "bars"}, "mark": "bar",
             "encoding": {"x": {"field": "k", "type": "nominal"},
                          "y": {"field": "v", "type": "quantitative"}}}
    chart = Chart(vega_spec(layer=[layer], title="t"), {"bars": {"k": ["a", "b"], "v": [1.0, None]}})
    spec = assert_valid(chart)
    assert spec["datasets"] == {"bars": {"k": ["a", "b"], "v": [1.0, None]}}
    assert "datasets" not in chart.spec                   # the spec itself carries no data
    assert spec["config"] is CONFIG or spec["config"] == CONFIG


def test_finite_or_none_drops_what_cannot_be_drawn():
    assert finite_or_none([1, float("inf"), float("-inf"), float("nan"), 0.5]) == [1.0, None, None, None, 0.5]


def test_scaled_fonts_reaches_the_marks_and_leaves_the_data_alone():
    layer = {"data": {"name": "t"}, "mark": {"type": "text", "fontSize": 15, "dy": -8},
             "encoding": {"text": {"field": "fontSize"}}}
    spec = {**vega_spec(layer=[layer]), "datasets": {"t": {"fontSize": [15, 30]}}}
    scaled = scaled_fonts(spec, 1.4)
    assert scaled["layer"][0]["mark"] == {"type": "text", "fontSize": 21, "dy": -8}
    assert scaled["datasets"] == {"t": {"fontSize": [15, 30]}}        # a column, not a style
    assert scaled["config"]["axis"]["labelFontSize"] == 21
    assert spec["layer"][0]["mark"]["fontSize"] == 15                 # the original is untouched


# --- readable chart text: contrast in both themes, size in presenter mode --------------------

def _luminance(hex_colour: str) -> float:
    """WCAG 2.1 relative luminance of ``#rrggbb``."""
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two colours."""
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _sample_charts():
    """One chart of every builder, as the pages draw them."""
    import numpy as np
    from ce_core.pitfalls import RunResult, reliability_bins
    from ce_core.training import DescentPath, EpochRecord, History, Surface
    from charts import calculator, information, likelihood, penalty, pitfalls, softmax, training
    h = History([EpochRecord(e, 1 / e, 1 / e + e / 10, 0.0, 0.5, 0.5, 1.0, 0.01 * e)
                 for e in range(1, 6)])
    run = RunResult("plain", h, np.array([[0.9, 0.1], [0.6, 0.4]]), np.array([0, 1]),
                    np.zeros(2), "")
    xs = np.linspace(-1, 1, 3)
    surface = Surface(xs, xs, np.dstack([np.full((3, 3), 0.3), np.full((3, 3), 0.7)]))
    path = DescentPath(np.array([0.0, 1.0]), np.array([0.0, 0.5]), np.array([0.7, 0.4]))
    return [
        information.surprise_bars([0.5, 0.3, 0.2, 0.0]), information.binary_entropy_curve(0.9),
        information.compare_distributions([0.5, 0.5], [0.9, 0.1]),
        information.entropy_decomposition([0.5, 0.5], [1.0, 0.0]),
        *likelihood.coin_panels([1, 1, 0], 0.5).values(),
        likelihood.running_likelihood([1, 0] * 600, 0.5),
        likelihood.logistic_fit(np.array([0.0, 1.0]), np.array([0, 1]), 1.0, 0.0, (2.0, 0.0)),
        softmax.softmax_probability_bars([0.7, 0.2, 0.1], 0),
        softmax.softmax_gradient_bars([-0.3, 0.2, 0.1], 0),
        softmax.softmax_temperature_lines([2.0, 1.0], temperature=1.0),
        penalty.penalty_curves(0.999), penalty.loss_comparison(1, p=0.3),
        penalty.logit_gradients(1, p=0.3),
        calculator.loss_histogram_figure(np.array([2, 1]), np.array([0.0, 0.5, 1.0]), "nats",
                                         n_infinite=1),
        training.loss_curves(h, n_classes=2),
        training.decision_surface(surface, [[0.0, 0.0], [1.0, 1.0]], [0, 1], np.array([1.2, 0.3]),
                                  worst=[0]),
        training.digits_gallery(np.zeros((2, 64)), [3, 5], np.full((2, 10), 0.1), [2.3, 2.3]),
        training.gradient_descent_surface(training.loss_cells([0, 1, 2], [0, 1], np.ones((2, 3))),
                                          path, (1.5, 0.4)),
        pitfalls.per_class_bars({"plain": run}), pitfalls.loss_histogram([0.1, 3.0], [False, True]),
        pitfalls.remedy_bars({"plain": run}, reference=0.4),
        pitfalls.reliability_diagram({"m": reliability_bins([0, 1], [[0.9, 0.1], [0.2, 0.8]])}),
        pitfalls.temperature_curve([0.5, 1.0], [0.6, 0.5], chosen=(1.0, 0.5), best=(1.0, 0.5)),
    ]


def _text_marks(node):
    """Every text mark of a spec (layers, concatenations)."""
    if isinstance(node, dict):
        mark = node.get("mark")
        if mark == "text" or (isinstance(mark, dict) and mark.get("type") == "text"):
            yield node
        for key, value in node.items():
            if key != "datasets":
                yield from _text_marks(value)
    elif isinstance(node, list):
        for value in node:
            yield from _text_marks(value)


#: Text drawn on a mark, not on the page, and what it sits on: dark ids with a white halo
#: on the pale decision surface; dark values inside orange bars (7.4:1).
ON_MARKS = {"#202020": ("#E69F00", "#FFFFFF")}
#: Streamlit's page backgrounds, light and dark (as measured in Chromium).
BACKGROUNDS = ("#FFFFFF", "#171614")


def test_the_theme_text_colour_reads_on_both_backgrounds():
    from charts.style import TEXT_COLOUR
    light, dark = "#31333F", "#FAFAFA"
    assert light in TEXT_COLOUR and dark in TEXT_COLOUR
    assert contrast(light, BACKGROUNDS[0]) >= 4.5 and contrast(dark, BACKGROUNDS[1]) >= 4.5


def test_axis_legend_and_title_text_follow_the_theme():
    from charts.style import TEXT_COLOUR
    theme = {"expr": TEXT_COLOUR}
    for part, keys in (("axis", ("labelColor", "titleColor")), ("legend", ("labelColor", "titleColor")),
                       ("header", ("labelColor", "titleColor")), ("title", ("color",))):
        assert all(CONFIG[part][k] == theme for k in keys), part


def test_every_chart_text_reads_at_4_5_to_1_in_both_themes():
    """A text mark takes the theme's text colour, or a fixed colour that reads on what it
    sits on (ON_MARKS) or on both page backgrounds."""
    from charts.style import TEXT_COLOUR
    problems = []
    for chart in _sample_charts():
        for layer in _text_marks(chart.spec):
            colour = layer["mark"].get("color") if isinstance(layer["mark"], dict) else None
            colour = colour or layer.get("encoding", {}).get("color")
            if colour in (None, {"expr": TEXT_COLOUR}):
                continue
            if isinstance(colour, dict) and "expr" in colour:     # black on vermillion, white on blue
                ok = contrast("#000000", "#D55E00") >= 4.5 and contrast("#FFFFFF", "#0072B2") >= 4.5
                ok = ok and "black" in colour["expr"] and "white" in colour["expr"]
            elif isinstance(colour, str) and colour.upper() in ON_MARKS:
                ok = all(contrast(colour, under) >= 4.5 for under in ON_MARKS[colour.upper()])
            elif isinstance(colour, str):
                ok = all(contrast(colour, bg) >= 4.5 for bg in BACKGROUNDS)
            else:
                ok = False
            if not ok:
                problems.append(f"{chart.alt[:40]}…: text in {colour}")
    assert not problems, "\n".join(problems)


def test_presenter_mode_chart_text_is_at_least_16_px():
    """Issue 16: on a projector, every axis, legend and title text and every text mark is
    at least 16 px, as ui.draw scales the specs (Vega draws font sizes in CSS pixels)."""
    from ui.presenter import PRESENTER_FONT_PX
    factor = PRESENTER_FONT_PX / 16
    small = []
    for chart in _sample_charts():
        scaled = scaled_fonts(chart.to_vega_lite(), factor)
        small += [f"{chart.alt[:40]}…: {'.'.join(path)} = {size}"
                  for path, size in font_sizes({k: v for k, v in scaled.items() if k != "datasets"})
                  if size < 16]
    assert not small, "\n".join(small)


def _layered_views(node):
    """Every view of a spec with ``layer`` in it (top level, panels of a concatenation)."""
    if isinstance(node, dict):
        if "layer" in node:
            yield node
        for key, value in node.items():
            if key not in ("datasets", "layer"):
                yield from _layered_views(value)
    elif isinstance(node, list):
        for value in node:
            yield from _layered_views(value)


def _axis_titles(view, channel: str) -> set:
    """The titles the layers of one view give a shared position axis: a field with no
    title is titled by its name, and Vega-Lite joins differing ones with commas."""
    titles = set()
    for layer in view["layer"]:
        encoding = layer.get("encoding", {}).get(channel, {})
        if "field" not in encoding or encoding.get("title", "") is None:
            continue
        titles.add(encoding.get("title", encoding["field"]))
    return titles


def test_every_layered_chart_titles_each_axis_once():
    """The remedies chart once read "validation loss (nats), low, loss" under its bars."""
    import numpy as np
    from ce_core.pitfalls import RunResult, spread
    from ce_core.training import EpochRecord, History
    from charts import pitfalls
    run = RunResult("plain", History([EpochRecord(1, 0.5, 0.4, 0.0, 1.0, 1.0, 1.0, 0.1)]),
                    np.array([[0.9, 0.1]]), np.array([0]), np.zeros(1), "")
    charts = _sample_charts() + [pitfalls.remedy_bars({"plain": run}, reference=0.4,
                                                      spreads={"plain": spread([0.3, 0.5])})]
    for chart in charts:
        for view in _layered_views(chart.spec):
            independent = view.get("resolve", {}).get("scale", {})
            for channel in ("x", "y"):
                if independent.get(channel) != "independent":
                    assert len(_axis_titles(view, channel)) <= 1, (
                        f"{channel} axis titled {_axis_titles(view, channel)}")


def test_no_chart_ships_an_empty_table():
    """Vega warns "Infinite extent for field" over an empty table: the running likelihood
    of flips whose product never underflows once shipped an empty "zero" table."""
    from charts import likelihood
    no_underflow = likelihood.running_likelihood([1, 0, 1], 0.5)
    assert no_underflow.data["zero"]["label"] == [""]           # nothing said, nothing drawn
    for chart in _sample_charts() + [no_underflow]:
        for name, columns in chart.data.items():
            assert min(len(values) for values in columns.values()) > 0, f"{name} is empty"
