"""ui.py's pure helpers: page discovery, labels and unit formatting."""

import math
from pathlib import Path

import ui

ROOT = Path(__file__).resolve().parent.parent


def test_page_files_start_with_landing_page_then_pages_in_numeric_order():
    files = ui.page_files()
    assert files[0] == "app.py"
    on_disk = {f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py")}
    assert set(files[1:]) == on_disk
    numbers = [int(Path(f).name.split("_")[0]) for f in files[1:]]
    assert numbers == sorted(numbers)


def test_unknown_page_gets_a_label_from_its_file_name():
    assert ui.page_label("pages/9_Extra_topic.py") == ("Extra topic", ":material/article:")
    assert ui.page_label("app.py")[0] == "Start here"


def test_fmt_converts_nats_to_the_chosen_unit():
    # ln 2 nats is exactly one bit.
    assert ui.fmt(math.log(2), "bits") == "1.0000 bits"
    assert ui.fmt(math.log(2), "nats") == "0.6931 nats"
    assert ui.fmt(-math.log(0.7), "bits", digits=3) == "0.515 bits"   # seed 001's number
    assert ui.fmt(math.inf, "bits") == "∞ bits"
