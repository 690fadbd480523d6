"""The lesson, page by page: the one list the sidebar, the landing page, Previous / Next,
the tests and the benches read. Adding a page is a file in ``pages/`` and an entry here.

No Streamlit import, so tests and benches can read it without starting a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Page:
    """One page of the lesson."""

    file: str      #: path from the repository root, as ``st.page_link`` takes it
    title: str     #: sidebar label, browser tab title, landing-page link
    icon: str      #: a Material icon, in the sidebar and on the landing page
    summary: str   #: one line on the landing page


#: In lesson order: the order of the sidebar, the landing page and Previous / Next.
PAGES: tuple[Page, ...] = (
    Page("app.py", "Start here", ":material/home:",
         "what the app teaches, and the path through it"),
    Page("pages/1_Entropy.py", "Entropy", ":material/casino:",
         "surprise, bits vs nats, and why a skewed distribution is cheap to describe"),
    Page("pages/2_Cross_entropy_and_KL.py", "Cross-entropy & KL", ":material/compare_arrows:",
         "coding one distribution with another's code; the extra cost is KL"),
    Page("pages/2_Likelihood.py", "Likelihood", ":material/functions:",
         "cross-entropy is negative log-likelihood: the best model makes the data most likely"),
    Page("pages/3_Softmax.py", "Softmax", ":material/bar_chart:",
         "from logits to probabilities, temperature, stable arithmetic, the gradient p − y"),
    Page("pages/4_Penalty_curves.py", "Penalty curves", ":material/show_chart:",
         "−ln p, binary cross-entropy, and why it trains better than squared error"),
    Page("pages/5_Your_numbers.py", "Your numbers", ":material/table_edit:",
         "paste labels and predictions, get the loss sample by sample"),
    Page("pages/6_Live_training.py", "Live training", ":material/model_training:",
         "watch train and validation loss fall while real models learn"),
    Page("pages/7_Pitfalls.py", "Pitfalls", ":material/warning:",
         "class imbalance, label noise, overconfidence and overfitting, caused and fixed"),
)


def page_files() -> list[str]:
    """Every page file in lesson order, ``app.py`` first."""
    return [page.file for page in PAGES]


def find(path: str) -> Page:
    """The registry entry of a page file, given as in the registry or as ``__file__``."""
    here = Path(path)
    if here.is_absolute():
        here = here.resolve().relative_to(ROOT)
    for page in PAGES:
        if page.file == here.as_posix():
            return page
    raise KeyError(f"{path} is not in ui/registry.py's PAGES: add an entry for it there")


def neighbours(path: str) -> tuple[Page | None, Page | None]:
    """The previous and next page of the lesson path (None at either end or off the path)."""
    try:
        i = PAGES.index(find(path))
    except KeyError:
        return None, None
    return (PAGES[i - 1] if i > 0 else None), (PAGES[i + 1] if i + 1 < len(PAGES) else None)
