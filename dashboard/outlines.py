"""First-level region outlines for the offline map: Natural Earth's states and provinces
(public domain; ``geodata/data/naturalearth_admin1.geojson``), drawn from zoom
:data:`FROM_ZOOM` on, where country outlines alone leave nothing to orient by.

Like the place labels (``dashboard.labels``), the outlines are written once as a script
(``admin1.js``, about 2.5 MB) into a cache folder and served from the dashboard's own address,
so the browser loads them once and keeps them instead of the map's page carrying them on every
rerun.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from dashboard.labels import script_folder
from geodata.settings import DEFAULTS

SCRIPT = "admin1.js"
#: The map draws the outlines from this zoom in (a continent's worth of regions further out).
FROM_ZOOM = 4
SOURCE = "Region outlines: Natural Earth (public domain)"


@cache
def outlines_dir(cache_dir: Path | None = None) -> Path:
    """The folder holding ``admin1.js`` (see :func:`dashboard.labels.script_folder`)."""
    data = DEFAULTS.admin1_outlines_file.read_bytes()
    made_from = "admin1:" + hashlib.sha256(data).hexdigest()

    def script() -> str:
        return "window.geodataAdmin1 = " + data.decode("utf-8").strip() + ";\n"

    return script_folder(
        DEFAULTS.labels_cache_dir if cache_dir is None else cache_dir, made_from, SCRIPT, script
    )
