"""Page setup, the sidebar, the share link and Previous / Next: all read ``ui.registry``."""

from __future__ import annotations

from urllib.parse import quote, urlencode

import streamlit as st

from ui import access, presenter, query, registry
from ui.format import UNITS, plain


#: The browser tab's icon, the same on every page: a Material icon as ``page_icon`` makes
#: the browser fetch it from Google's font servers, which a lecture hall may not reach.
TAB_ICON = "📉"


def page_setup(path: str) -> str:
    """Configure the page ``path`` (a page's ``__file__``), draw the sidebar, return the unit."""
    page = registry.find(path)
    st.session_state["link_keys"] = query.unheld_link_keys(st.session_state)
    for key, value in query.drop_unreadable_values().items():   # before any widget reads them
        st.toast(f"This link set {plain(key)} to {plain(value[:24])}, which is not a number "
                 "a control can hold, so that control starts at its default.",
                 icon=":material/link_off:")
    present = presenter.start_presenting_if_asked()
    # A shared presenter link opens with the sidebar folded away: the projector gets the
    # whole width (the sidebar, and the presenter toggle in it, are one click away).
    st.set_page_config(page_title=f"{page.title} · Cross-entropy, interactively",
                       page_icon=TAB_ICON, layout="wide",
                       initial_sidebar_state="collapsed" if present else "auto")
    unit = sidebar()
    presenter.view_css()
    access.page_aids()
    return unit


def sidebar() -> str:
    """Our navigation and the shared settings; returns the chosen unit."""
    with st.sidebar:
        for page in registry.PAGES:
            st.page_link(page.file, label=page.title, icon=page.icon)
        st.divider()
        unit = st.radio(
            "Information unit", UNITS, key="unit", horizontal=True,
            bind="query-params",      # ?unit=bits opens any page in bits
            persist_state="session",
            help="nats use the natural log (what PyTorch, TensorFlow and scikit-learn report); "
            "bits use log base 2 (what information theory counts). 1 bit = ln 2 = 0.693 nats.",
        )
        st.toggle(
            "Presenter mode", key="present", persist_state="session",
            help="Larger text and charts for a projector. Add _hide=1 to a control's key in "
            "the URL (for example e_k_hide=1) to hide that control from a shared view.",
        )
        share_link()
    return unit


def share_link() -> None:
    """"Link to this view": a popover that reruns on open, so the link is read when asked
    for (the sidebar is outside the pages' fragments; drawn with it, the link went stale)."""
    with st.popover("Link to this view", icon=":material/link:", key="link_open",
                    on_change="rerun", width="stretch") as link:
        if link.open:
            st.caption("This address reopens the page with every setting as it is now.")
            st.code(view_link(), language=None, wrap_lines=True)


def view_link() -> str:
    """The address of this page with its current settings, for sharing: every value
    percent-encoded, so a space, ``&`` or ``#`` in it cannot change the link's meaning."""
    base = str(st.context.url or "").split("?")[0]
    query = urlencode(list(st.query_params.items()), quote_via=quote)
    return base + ("?" + query if query else "")


def lesson_nav(path: str) -> None:
    """"Previous / Next" links at the bottom of a page: ``ui.lesson_nav(__file__)``; by
    then every control has drawn, so a link value one refused is said here."""
    say_refused_values()
    previous, following = registry.neighbours(path)
    st.divider()
    left, right = st.columns(2)
    if previous:
        left.page_link(previous.file, label=f"Previous: {previous.title}",
                       icon=":material/arrow_back:")
    if following:
        with right:
            st.page_link(following.file, label=f"Next: {following.title}",
                         icon=":material/arrow_forward:", icon_position="right",
                         width="stretch")


def say_refused_values() -> None:
    """A link value a control could not take (out of its range, not one of its options),
    read from the link's keys no control held when the page started (``page_setup``)."""
    keys = st.session_state.get("link_keys", [])
    for key, (asked, shown) in query.refused_values(st.session_state, keys).items():
        st.toast(f"This link set {plain(key)} to {plain(asked[:24])}, which that control "
                 f"cannot take, so it shows {plain(str(shown)[:24])}.",
                 icon=":material/link_off:")
