"""The map page's libraries, imported in the server while the browser loads Streamlit's own page.

Streamlit runs the page's script only once a browser has connected, and the browser first loads
Streamlit's frontend (about a second), while the server waits. ``python -m dashboard`` starts the
server with :func:`start`, which imports the libraries the map page needs in a thread as soon as
the server is up, so the first run finds them imported. The page's script calls :func:`wait`
before its own imports: one thread imports a module at a time, never two of them the same.
"""

from __future__ import annotations

import importlib
import sys
import threading
import time

#: What the map page imports before its first map, slowest first (about 1.5 s on a 2-core machine).
MODULES = (
    "geopandas",
    "pandas",
    "folium",
    "folium.plugins",
    "sqlalchemy",
    "streamlit.emojis",  # the page's icons are checked against Streamlit's emoji list
    "dashboard.data",
    "dashboard.source",
    "dashboard.details",
    "dashboard.history",
    "dashboard.large",
    "dashboard.picture",
    "dashboard.regions",
    "dashboard.reviewer",
    "dashboard.sidebar",
    "dashboard.density",
    "dashboard.layers",
    "dashboard.memo",
    "dashboard.mapview",
    "dashboard.problems",
    "dashboard.state",
    "geodata.store",
    "geodata.store.store",
    "geodata.io.acled",
    "geodata.io.export",
)
#: The longest :func:`wait` holds the page's script, and the longest the thread waits for the server.
WAIT_S = 60.0
#: Python hands the lock between threads this often while importing (default 5 ms): the server
#: keeps answering the browser's requests for Streamlit's page in the meantime.
SWITCH_S = 0.001

_done = threading.Event()
_started = threading.Event()


def _server_up() -> bool:
    from streamlit import runtime
    from streamlit.runtime.runtime import RuntimeState

    return runtime.exists() and runtime.get_instance().state != RuntimeState.INITIAL


def _import_all() -> None:
    deadline = time.monotonic() + WAIT_S
    try:
        while not _server_up() and time.monotonic() < deadline:
            time.sleep(0.02)
        switch = sys.getswitchinterval()
        sys.setswitchinterval(SWITCH_S)
        try:
            for name in MODULES:
                try:
                    importlib.import_module(name)
                except Exception:  # the page's own import then says what is wrong
                    continue
        finally:
            sys.setswitchinterval(switch)
    finally:
        _done.set()


def start() -> None:
    """Import :data:`MODULES` in a thread once the Streamlit server in this process is up."""
    if not _started.is_set():
        _started.set()
        threading.Thread(target=_import_all, name="geodata-warm", daemon=True).start()


def wait() -> None:
    """Return once the imports :func:`start` began are done (at once when none were begun)."""
    if _started.is_set():
        _done.wait(WAIT_S)
