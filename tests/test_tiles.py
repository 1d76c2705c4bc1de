"""The user's own offline tiles: MBTiles and PMTiles written out for the map, hostile files refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from tilekit import TILES, png, write_mbtiles, write_pmtiles

from geodata.io.tiles import TileError, tile_set


@pytest.mark.parametrize("writer", [write_mbtiles, write_pmtiles], ids=["mbtiles", "pmtiles"])
def test_a_tile_file_is_written_out_as_xyz_tiles(tmp_path: Path, writer: object) -> None:
    source = writer(tmp_path / "tiles.bin")  # type: ignore[operator]
    tiles = tile_set(source, tmp_path / "cache")
    assert (tiles.suffix, tiles.minzoom, tiles.maxzoom, tiles.tiles, tiles.name) == (
        "png",
        0,
        1,
        3,
        "Test tiles",
    )
    assert tiles.bounds == (-180.0, -85.0, 180.0, 85.0)
    written = sorted(p.relative_to(tiles.folder).as_posix() for p in tiles.folder.rglob("*.png"))
    assert written == sorted(f"{z}/{x}/{y}.png" for z, x, y in TILES)  # MBTiles' TMS rows flipped
    assert (tiles.folder / "1/1/0.png").read_bytes() == png()
    again = tile_set(source, tmp_path / "cache")
    assert again == tiles  # written once, then read


def test_vector_tiles_are_refused_with_what_to_do(tmp_path: Path) -> None:
    source = write_mbtiles(tmp_path / "vector.mbtiles", fmt="pbf")
    with pytest.raises(TileError, match=r"vector tiles \(pbf\).*raster MBTiles"):
        tile_set(source, tmp_path / "cache")
    assert not any((tmp_path / "cache").iterdir())  # nothing half-written is kept


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "neither an MBTiles nor a PMTiles"),
        (b"GIF89a" + b"\0" * 100, "neither an MBTiles nor a PMTiles"),
        (b"SQLite format 3\x00" + b"\xff" * 4000, "not an MBTiles file geodata can read"),
        (b"PMTiles\x03" + b"\xff" * 200, "not a PMTiles file geodata can read"),
    ],
)
def test_a_file_that_is_no_tile_set_is_named(tmp_path: Path, content: bytes, message: str) -> None:
    source = tmp_path / "odd.mbtiles"
    source.write_bytes(content)
    with pytest.raises(TileError, match=message) as caught:
        tile_set(source, tmp_path / "cache")
    assert str(source) in str(caught.value)


@pytest.mark.parametrize("tile", [(1, 2, 0), (1, 0, 5), (-1, 0, 0), (30, 0, 0)])
def test_a_tile_outside_its_zooms_grid_is_refused(tmp_path: Path, tile: tuple[int, int, int]) -> None:
    source = write_mbtiles(tmp_path / "t.mbtiles", tiles=[(0, 0, 0), tile])
    with pytest.raises(TileError, match="outside its zoom's grid"):
        tile_set(source, tmp_path / "cache")


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(TileError, match="cannot read the tile file"):
        tile_set(tmp_path / "nothing.mbtiles", tmp_path / "cache")
