// The browser half of ui/scrub.py. While a slider of the section moves (dragged, or
// pressed with an arrow key), pick that step's rows in each chart and write that step's
// headline numbers. Every number comes from the server's table: nothing is computed here.
//
// data = {sliders: {key: [step values]}, charts: {chart key: {slider key: first state}},
// tokens: {chart key: [token of each dataset, by name]}, still: {chart key: {slider key:
// [places of the datasets it leaves alone]}}, metrics: {metric key: {slider key:
// {label: [...] | null, value: [...]}}}}

// The chart's hidden "scrub" input (a Vega param): "<token>:<state>" for each dataset shows
// that state's rows; anything else shows the rows the server settled on (ui/scrub.py).
function scrubInput(chartKey) {
  return document.querySelector(
    `.st-key-${chartKey}_live form.vega-bindings input[name="scrub"]`);
}

function setParam(chartKey, value) {
  const input = scrubInput(chartKey);
  if (input && input.value !== value) {
    input.value = value;
    input.dispatchEvent(new Event("input"));
  }
}

// Streamlit draws a metric's text through Markdown: change the text node in place, so
// that React, which keeps that node, writes the settled text into it on the next run.
function setText(element, text) {
  if (!element || text == null) return;
  const node = document.createTreeWalker(element, NodeFilter.SHOW_TEXT).nextNode();
  if (node && node.nodeValue !== text) node.nodeValue = text;
}

function setMetric(metricKey, label, value) {
  const box = document.querySelector(`.st-key-${metricKey}`);
  if (!box) return;
  setText(box.querySelector('[data-testid="stMetricLabel"]'), label);
  setText(box.querySelector('[data-testid="stMetricValue"]'), value);
}

// The step of a slider value: the server's grid holds exactly the values Streamlit sends.
function stepIndex(values, value) {
  if (values.length < 2) return values[0] === value ? 0 : -1;
  const step = values[1] - values[0];
  const i = Math.round((value - values[0]) / step);
  return i >= 0 && i < values.length && Math.abs(values[i] - value) <= 1e-9 * Math.max(1, Math.abs(value))
    ? i : -1;
}

// "<token>:<state>" for each dataset of the chart: a dataset the slider leaves alone
// keeps its first state, so Vega need not filter it again (ui/scrub.py, FILTER).
function paramOf(data, chartKey, sliderKey, first, i) {
  const still = new Set((data.still?.[chartKey] || {})[sliderKey] || []);
  return data.tokens[chartKey].map((token, j) => `${token}:${still.has(j) ? first : first + i}`)
    .join(":");
}

function follow(data, sliderKey, value) {
  const i = stepIndex(data.sliders[sliderKey], value);
  for (const [chartKey, firsts] of Object.entries(data.charts)) {
    // off the grid (a value typed into the URL): the settled rows, until the rerun
    const first = firsts[sliderKey];
    setParam(chartKey, i >= 0 && first !== undefined ? paramOf(data, chartKey, sliderKey, first, i) : "");
  }
  if (i < 0) return;
  for (const [metricKey, bySlider] of Object.entries(data.metrics)) {
    const rows = bySlider[sliderKey];
    if (rows) setMetric(metricKey, rows.label ? rows.label[i] : null, rows.value[i]);
  }
}

function sliderKeyOf(data, input) {
  return Object.keys(data.sliders).find((key) => input.closest(`.st-key-${key}`));
}

// One watcher per section. Streamlit calls the default export again on every rerun that
// changes the data, and keeps only the last cleanup (BidiComponent in Streamlit 1.67): a
// watcher made per call would pile up, each writing its own stale step on every move.
const watchers = new Map();   // component key -> {data, observer}

function watch(key) {
  const watcher = { data: null };
  // Streamlit rewrites a slider thumb's aria-valuetext on every render of the slider, and
  // the slider renders on every step of a drag or key press, before it sends the value.
  watcher.observer = new MutationObserver((records) => {
    let moved = null;
    for (const record of records) {
      const input = record.target;
      // the thumb has focus while the hand drags it or presses a key on it; a rerun
      // (a preset, another control) redraws sliders that have no focus
      if (input === document.activeElement && input.matches('input[type="range"]')) moved = input;
    }
    if (!moved) return;
    const sliderKey = sliderKeyOf(watcher.data, moved);
    if (sliderKey) follow(watcher.data, sliderKey, Number(moved.value));
  });
  watcher.observer.observe(document.body, { subtree: true, attributes: true,
                                            attributeFilter: ["aria-valuetext"] });
  watchers.set(key, watcher);
  return watcher;
}

export default function ({ data, key }) {
  if (!data || !data.sliders) return undefined;
  // Mark the numbers this writes while a slider moves: the browser tests then know that a
  // change there is not yet the server's rerun (tests/e2e/browser.py, rerun_settled).
  for (const metricKey of Object.keys(data.metrics || {})) {
    document.querySelector(`.st-key-${metricKey}`)?.setAttribute("data-ce-scrub", "");
  }
  const watcher = watchers.get(key) || watch(key);
  watcher.data = data;
  return () => {
    if (watchers.get(key) !== watcher || watcher.data !== data) return;   // a later call owns it
    watcher.observer.disconnect();
    watchers.delete(key);
  };
}
