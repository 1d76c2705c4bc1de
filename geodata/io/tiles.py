"""A user's own offline map tiles: an MBTiles or PMTiles file written out as ``{z}/{x}/{y}`` files
that the dashboard serves from its own origin.

MBTiles (a SQLite database, rows in TMS order: y counted from the south) and PMTiles (one file
with a directory of tiles, read by the ``pmtiles`` package) both become one folder per tile set,
made once (in a temporary folder, then renamed) and kept under a name derived from the file's path,
size and modification time. Raster tiles (PNG, JPEG, WebP) are written as they are; vector tiles
(MVT) are drawn into PNG tiles as they are written (``geodata.io.vector_tiles``), at most
:data:`MAX_VECTOR_TILES` of them, since each is drawn once here rather than in the browser.

A tile file is untrusted: it is opened read-only, every tile's coordinates are checked against
its zoom, the number of tiles and each tile's size are bounded, and a broken file is a
:class:`TileError` that names it, never a traceback.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from geodata.errors import GeodataError

#: The most tiles, and the largest tile, a tile set may hold (a country to zoom 14 is about a
#: million tiles; a raster tile is rarely above 100 KB).
MAX_TILES = 5_000_000
MAX_TILE_BYTES = 4 << 20
MAX_ZOOM = 24
#: Vector tiles are drawn one by one when written out (``python -m benchmarks vector_tiles``:
#: about 4 ms a sparse tile, 50 ms a dense city one): a city to zoom 15, a country to zoom 9.
MAX_VECTOR_TILES = 20_000
#: ... and for at most this long in all: a hostile file of many tiles, each within its bounds,
#: could otherwise keep the dashboard's start busy for hours.
MAX_VECTOR_SECONDS = 20 * 60
VECTOR = "pbf"
RASTER = {"png": "png", "jpg": "jpg", "jpeg": "jpg", "webp": "webp"}
_PMTILES_TYPES = {2: "png", 3: "jpg", 4: "webp", 1: "pbf"}
_INFO = "tileset.json"


class TileError(GeodataError, ValueError):
    """A tile file that cannot be shown, and why."""


@dataclass(frozen=True)
class TileSet:
    """A tile set written out: its folder, file suffix, zooms, bounds and credit."""

    folder: Path
    suffix: str
    minzoom: int
    maxzoom: int
    bounds: tuple[float, float, float, float] | None  # west, south, east, north
    name: str
    attribution: str
    tiles: int


def tile_set(path: str | os.PathLike[str], cache_dir: Path) -> TileSet:
    """The tile set of an MBTiles or PMTiles file, written out under ``cache_dir`` the first
    time (later calls read what was written)."""
    source = Path(path)
    try:
        stat = source.stat()
    except OSError as err:
        raise TileError(f"{source}: cannot read the tile file ({err.strerror or err})") from err
    if not source.is_file():
        raise TileError(f"{source}: not a file; give an .mbtiles or .pmtiles file")
    key = hashlib.sha256(f"{source.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:20]
    folder = cache_dir / key
    if (folder / _INFO).is_file():
        return _read_info(folder)
    cache_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{key}-", dir=cache_dir))
    try:
        info = _write(source, staging)
        (staging / _INFO).write_text(json.dumps({**asdict(info), "folder": ""}), encoding="utf-8")
        try:
            staging.rename(folder)
        except OSError:  # another process wrote it first: theirs is the same
            shutil.rmtree(staging, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return _read_info(folder)


def _read_info(folder: Path) -> TileSet:
    data = json.loads((folder / _INFO).read_text(encoding="utf-8"))
    bounds = tuple(data["bounds"]) if data.get("bounds") else None
    return TileSet(**{**data, "folder": folder, "bounds": bounds})


def _write(source: Path, folder: Path) -> TileSet:
    with source.open("rb") as handle:
        magic = handle.read(16)
    if magic.startswith(b"PMTiles"):
        return _write_pmtiles(source, folder)
    if magic.startswith(b"SQLite format 3\x00"):
        return _write_mbtiles(source, folder)
    raise TileError(f"{source}: neither an MBTiles nor a PMTiles file; give an .mbtiles or .pmtiles file")


def _write_mbtiles(source: Path, folder: Path) -> TileSet:
    try:
        db = sqlite3.connect(f"file:{source}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error as err:
        raise TileError(f"{source}: cannot open the MBTiles file ({err})") from err
    try:
        meta = dict(db.execute("SELECT name, value FROM metadata").fetchall())
        kind = _kind(str(meta.get("format", "png")).lower(), source)
        rows = db.execute("SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles")
        flipped = ((z, x, _xyz_row(z, y), d) for z, x, y, d in rows)  # TMS rows count from the south
        count = _write_tiles(flipped, folder, kind, source)
    except sqlite3.Error as err:
        raise TileError(f"{source}: not an MBTiles file geodata can read ({err})") from err
    finally:
        db.close()
    return TileSet(
        folder=folder,
        suffix=_suffix(kind),
        minzoom=_int(meta.get("minzoom"), 0),
        maxzoom=_int(meta.get("maxzoom"), MAX_ZOOM),
        bounds=_bounds(meta.get("bounds")),
        name=str(meta.get("name") or source.stem)[:200],
        attribution=str(meta.get("attribution") or "")[:500],
        tiles=count,
    )


def _write_pmtiles(source: Path, folder: Path) -> TileSet:
    from pmtiles.reader import MmapSource, Reader, all_tiles
    from pmtiles.tile import Compression

    with source.open("rb") as handle:
        try:
            get_bytes = MmapSource(handle)
            reader = Reader(get_bytes)
            header = reader.header()
            metadata = reader.metadata()
            kind = _kind(_PMTILES_TYPES.get(int(header["tile_type"].value), "unknown"), source)
            compressed = header["tile_compression"] == Compression.GZIP and kind != VECTOR  # decode() unzips
            tiles = (
                (z, x, y, _gunzip(d, source) if compressed else d) for (z, x, y), d in all_tiles(get_bytes)
            )
            count = _write_tiles(tiles, folder, kind, source)
        except TileError:
            raise
        except Exception as err:  # a broken file can fail anywhere in the reader: say which file
            raise TileError(
                f"{source}: not a PMTiles file geodata can read ({type(err).__name__}: {err})"
            ) from err
    bounds = (
        header["min_lon_e7"] / 1e7,
        header["min_lat_e7"] / 1e7,
        header["max_lon_e7"] / 1e7,
        header["max_lat_e7"] / 1e7,
    )
    return TileSet(
        folder=folder,
        suffix=_suffix(kind),
        minzoom=int(header["min_zoom"]),
        maxzoom=int(header["max_zoom"]),
        bounds=bounds if _valid_bounds(bounds) else None,
        name=str(metadata.get("name") or source.stem)[:200] if isinstance(metadata, dict) else source.stem,
        attribution=str(metadata.get("attribution") or "")[:500] if isinstance(metadata, dict) else "",
        tiles=count,
    )


def _kind(kind: str, source: Path) -> str:
    """The file suffix of a raster format, or :data:`VECTOR` for vector tiles."""
    if kind in RASTER:
        return RASTER[kind]
    if kind in ("pbf", "mvt"):
        return VECTOR
    raise TileError(
        f"{source}: unknown tile format {kind[:40]!r}; use PNG, JPEG or WebP tiles, or vector tiles"
    )


def _gunzip(data: bytes, source: Path) -> bytes:
    from geodata.io.vector_tiles import VectorTileError, unzipped

    try:
        return unzipped(data, MAX_TILE_BYTES)
    except VectorTileError as err:
        raise TileError(f"{source}: a gzipped tile cannot be read: {err}") from err


def _suffix(kind: str) -> str:
    return "png" if kind == VECTOR else kind


def _write_tiles(tiles: Iterator[tuple[Any, Any, Any, Any]], folder: Path, kind: str, source: Path) -> int:
    most = MAX_VECTOR_TILES if kind == VECTOR else MAX_TILES
    count = 0
    drawn: dict[bytes, bytes] = {}  # tiles of the same bytes (open sea, bare land) drawn once
    deadline = time.monotonic() + MAX_VECTOR_SECONDS
    for z, x, y, data in tiles:
        if not (isinstance(z, int) and 0 <= z <= MAX_ZOOM and 0 <= x < (1 << z) and 0 <= y < (1 << z)):
            raise TileError(
                f"{source}: a tile at zoom {z!r}, column {x!r}, row {y!r} is outside its zoom's grid"
            )
        if not isinstance(data, (bytes, memoryview)) or len(data) > MAX_TILE_BYTES:
            raise TileError(
                f"{source}: the tile {z}/{x}/{y} is not image data of at most {MAX_TILE_BYTES:,} bytes"
            )
        count += 1
        if count > most:
            what = "vector tiles (each drawn here)" if kind == VECTOR else "tiles"
            raise TileError(f"{source}: more than {most:,} {what}; split the tile set")
        if kind == VECTOR:
            data = _drawn(bytes(data), drawn, f"{source}: the vector tile {z}/{x}/{y}")
            if time.monotonic() > deadline:
                raise TileError(
                    f"{source}: drawing the vector tiles took more than {MAX_VECTOR_SECONDS // 60} minutes "
                    f"({count:,} drawn); render them to raster tiles with your tile server"
                )
        target = folder / str(z) / str(x)
        target.mkdir(parents=True, exist_ok=True)
        (target / f"{y}.{_suffix(kind)}").write_bytes(bytes(data))
    if not count:
        raise TileError(f"{source}: the tile file holds no tiles")
    return count


def _drawn(data: bytes, drawn: dict[bytes, bytes], what: str) -> bytes:
    """The PNG of a vector tile (drawn once per distinct tile)."""
    from geodata.io.vector_tiles import VectorTileError, decode, render

    key = hashlib.sha256(data).digest()
    if key not in drawn:
        try:
            png = render(decode(data))
        except VectorTileError as err:
            raise TileError(f"{what} cannot be read: {err}") from err
        except (ValueError, OverflowError, MemoryError) as err:  # Pillow on a tile it cannot draw
            raise TileError(f"{what} cannot be drawn ({type(err).__name__}: {err})") from err
        if len(drawn) >= 10_000:
            drawn.clear()
        drawn[key] = png
    return drawn[key]


def _xyz_row(zoom: object, row: object) -> object:
    if isinstance(zoom, int) and isinstance(row, int) and 0 <= zoom <= MAX_ZOOM:
        return (1 << zoom) - 1 - row
    return row  # checked, and refused, with the rest of the tile


def _int(value: object, default: int) -> int:
    try:
        number = int(str(value))
    except ValueError:
        return default
    return min(max(number, 0), MAX_ZOOM)


def _bounds(value: object) -> tuple[float, float, float, float] | None:
    try:
        west, south, east, north = (float(part) for part in str(value).split(","))
    except ValueError:
        return None
    bounds = (west, south, east, north)
    return bounds if _valid_bounds(bounds) else None


def _valid_bounds(bounds: tuple[float, float, float, float]) -> bool:
    west, south, east, north = bounds
    return -180 <= west < east <= 180 and -90 <= south < north <= 90
