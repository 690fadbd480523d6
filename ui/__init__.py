"""Streamlit only: what every page calls. No math here: numbers come from ``ce_core``.

A page starts with ``unit = ui.page_setup(__file__)``; its title and icon come from
``ui/registry.py``. One module a job:

=================  =============================================================
``registry``       the lesson's pages, in order (no Streamlit: tests read it too)
``navigation``     page setup, sidebar, share link, Previous / Next
``presenter``      presenter mode and ``*_hide`` flags
``format``         values in nats shown in the chosen unit
``widgets``        quick check, "Show the code", presets and weight sliders
``draw``           drawing a ``charts`` Chart
``offload``        large inputs parsed in a worker process, off the server's GIL
``query``          URL values no control can hold, dropped before widgets read them
``tuning``         once-per-process fixes for a class on one server
=================  =============================================================
"""

from ui import tuning, widgets
from ui.draw import chart
from ui.format import UNITS, fmt, number, plain
from ui.navigation import lesson_nav, page_setup
from ui.offload import apart
from ui.presenter import PRESENTER_FONT_PX
from ui.registry import PAGES
from ui.widgets import quick_check, show_code

__all__ = ["PAGES", "PRESENTER_FONT_PX", "UNITS", "apart", "chart", "fmt", "lesson_nav",
           "number", "page_setup", "plain", "quick_check", "show_code"]

tuning.tune_process()   # runs once: Python imports a module once per process
