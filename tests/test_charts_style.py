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
