"""The quick check on each concept page: predict, reveal, and feedback against a hand value."""

import math

import pytest

from tests.apptest import ROOT, open_page
from ui.registry import page_files

# (page, key, the answer in nats computed by hand)
CHECKS = [
    ("pages/1_Entropy.py", "e_qc", math.log(8)),                  # fair 8-sided die
    ("pages/2_Cross_entropy_and_KL.py", "ce_qc",                  # KL(fair || 0.9/0.1)
     0.5 * math.log(0.5 / 0.9) + 0.5 * math.log(0.5 / 0.1)),
    ("pages/2_Likelihood.py", "l_qc",                             # 7 heads in 10, q = 0.7:
     -0.7 * math.log(0.7) - 0.3 * math.log(0.3)),                 # H(0.7, 0.3)
    ("pages/3_Softmax.py", "s_qc", math.log(3)),                  # equal logits, 3 classes
    ("pages/4_Penalty_curves.py", "pc_qc", -math.log(0.1)),       # p = 0.1 for the truth
]


def test_every_page_with_a_quick_check_has_a_hand_answer_here():
    asking = [f for f in page_files() if "quick_check(" in (ROOT / f).read_text(encoding="utf-8")]
    assert asking == [page for page, _, _ in CHECKS], "add the new page's check to CHECKS"


@pytest.mark.parametrize("page, key, answer", CHECKS)
def test_right_guess_is_confirmed_in_bits(page, key, answer):
    at = open_page(page, unit="bits")
    bits = answer / math.log(2)
    at.text_input(key=f"{key}_guess").set_value(str(round(bits, 3))).run()
    at.button(key=f"{key}_reveal").click().run()
    assert not at.exception
    assert len(at.success) == 1 and f"{bits:.3f} bits" in at.success[0].value


@pytest.mark.parametrize("page, key, answer", CHECKS)
def test_wrong_guess_gets_the_answer_and_the_reveal_persists(page, key, answer):
    at = open_page(page)
    at.text_input(key=f"{key}_guess").set_value(str(answer * 3 + 1)).run()
    at.button(key=f"{key}_reveal").click().run()
    assert len(at.warning) >= 1
    assert any(f"the answer is **{answer:.3f} nats**" in w.value for w in at.warning)
    at.run()   # any later rerun keeps the revealed answer
    assert any(f"{answer:.3f} nats" in w.value for w in at.warning)


def test_nothing_is_revealed_before_the_button():
    at = open_page("pages/4_Penalty_curves.py")
    assert not any("Right" in s.value for s in at.success)
    assert not any("answer is" in w.value for w in at.warning)
