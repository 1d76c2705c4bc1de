"""Tiny tile files made in code: an MBTiles and a PMTiles of a few coloured PNG tiles, and
vector tiles (MVT) encoded here."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

#: (zoom, x, y) of the tiles written, in the XYZ scheme Leaflet asks for.
TILES = [(0, 0, 0), (1, 1, 0), (1, 0, 1)]
COLOUR = (200, 30, 120)


def png(colour: tuple[int, int, int] = COLOUR) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (256, 256), colour).save(out, "PNG")
    return out.getvalue()


Shape = tuple[int, list[list[tuple[int, int]]]]  # kind (2 line, 3 polygon) and its parts


def mvt(layers: dict[str, list[Shape]], *, gzipped: bool = True) -> bytes:
    """A vector tile (extent 4096) of ``layers``, each a list of (kind, parts) features."""
    from geodata.io.vector_tiles import encode

    return encode(layers, gzipped=gzipped)


#: Water over the tile's left half (with an island: a hole), a road across it.
_SHORE = [(0, 0), (0, 4096), (2048, 4096), (2048, 0)]
_ISLAND = [(512, 512), (1536, 512), (1536, 1536), (512, 1536)]  # wound against the shore: a hole
VECTOR_TILE = {"water": [(3, [_SHORE, _ISLAND])], "transportation": [(2, [[(0, 3072), (4096, 3072)]])]}


def write_mbtiles(
    path: Path,
    *,
    fmt: str = "png",
    tiles: list[tuple[int, int, int]] | None = None,
    data: bytes | None = None,
) -> Path:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    db.execute(
        "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)"
    )
    meta = {"name": "Test tiles", "format": fmt, "minzoom": "0", "maxzoom": "1", "bounds": "-180,-85,180,85",
            "attribution": "Test <b>tiles</b>"}  # fmt: skip
    db.executemany("INSERT INTO metadata VALUES (?, ?)", meta.items())
    for z, x, y in tiles if tiles is not None else TILES:
        row = (1 << z) - 1 - y if z >= 0 else y  # TMS rows count from the south
        db.execute("INSERT INTO tiles VALUES (?, ?, ?, ?)", (z, x, row, png() if data is None else data))
    db.commit()
    db.close()
    return path


def write_pmtiles(
    path: Path, *, data: bytes | None = None, vector: bool = False, gzipped: bool = False
) -> Path:
    """A PMTiles file of :data:`TILES` (PNG, or ``data`` for the one tile 0/0/0 when given)."""
    from pmtiles.tile import Compression, TileType, zxy_to_tileid
    from pmtiles.writer import Writer

    tiles = [(0, 0, 0)] if data is not None else TILES
    with path.open("wb") as handle:
        writer = Writer(handle)
        for z, x, y in sorted(tiles, key=lambda t: zxy_to_tileid(*t)):
            writer.write_tile(zxy_to_tileid(z, x, y), png() if data is None else data)
        writer.finalize(
            {
                "tile_type": TileType.MVT if vector else TileType.PNG,
                "tile_compression": Compression.GZIP if gzipped else Compression.NONE,
                "min_zoom": 0,
                "max_zoom": max(z for z, _, _ in tiles),
                "min_lon_e7": -1800000000,
                "min_lat_e7": -850000000,
                "max_lon_e7": 1800000000,
                "max_lat_e7": 850000000,
                "center_zoom": 0,
                "center_lon_e7": 0,
                "center_lat_e7": 0,
            },
            {"name": "Test tiles", "attribution": "Test tiles"},
        )
    return path
