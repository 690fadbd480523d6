"""The shared Vega-Lite look: config, presenter scaling, Chart packaging."""

from ce_core.figures.style import CONFIG, Chart, finite_or_none, scaled_config, vega_spec

from tests.vega import assert_valid


def font_sizes(node, path=()):
    if isinstance(node, dict):
        for key, value in node.items():
            if key.endswith("FontSize") or key == "fontSize":
                yield path + (key,), value
            else:
                yield from font_sizes(value, path + (key,))


def test_scaled_config_multiplies_every_font_size_and_nothing_else():
    scaled = scaled_config(1.5)
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
