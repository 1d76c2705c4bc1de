"""The user's own offline tiles: MBTiles and PMTiles written out for the map, hostile files refused."""

from __future__ import annotations

import gzip
import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tilekit import TILES, VECTOR_TILE, mvt, png, write_mbtiles, write_pmtiles

from geodata.io import tiles as tiles_module
from geodata.io import vector_tiles
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


WATER, LAND, ROAD = (181, 208, 216), (242, 239, 233), (201, 194, 182)


def _pixels(path: Path) -> Any:
    from PIL import Image

    return Image.open(path).convert("RGB")


@pytest.mark.parametrize("gzipped", [True, False])
def test_vector_tiles_are_drawn_as_png_tiles(tmp_path: Path, gzipped: bool) -> None:
    source = write_mbtiles(tmp_path / "vector.mbtiles", fmt="pbf", data=mvt(VECTOR_TILE, gzipped=gzipped))
    tiles = tile_set(source, tmp_path / "cache")
    assert (tiles.suffix, tiles.tiles) == ("png", 3)
    image = _pixels(tiles.folder / "1/1/0.png")
    assert image.size == (256, 256)
    assert image.getpixel((10, 10)) == WATER  # the left half is water
    assert image.getpixel((64, 64)) == LAND  # but for its island (a hole in the water)
    assert image.getpixel((200, 10)) == LAND
    assert image.getpixel((200, 192)) == ROAD == image.getpixel((20, 192))  # the road over it all


def test_a_vector_pmtiles_file_is_drawn_too(tmp_path: Path) -> None:
    source = write_pmtiles(tmp_path / "vector.pmtiles", data=mvt(VECTOR_TILE), vector=True, gzipped=True)
    tiles = tile_set(source, tmp_path / "cache")
    assert tiles.suffix == "png" and _pixels(tiles.folder / "0/0/0.png").getpixel((10, 10)) == WATER


@pytest.mark.parametrize(
    ("tile", "message"),
    [
        (mvt(VECTOR_TILE, gzipped=False)[:-7], "runs past the end"),
        (b"\x1a\xff\xff\xff\xff\x0f", "runs past the end"),  # a layer said to be 4 GB long
        (b"\x1f\x8b" + b"\x00" * 30, "not valid compressed data"),
        (gzip.compress(b"\x00" * (20 << 20)), "unzips to more than"),  # a zip bomb
        (b"\x1e\x00", "unknown protobuf wire type"),
    ],
    ids=["truncated", "huge-length", "bad-gzip", "zip-bomb", "wire-type"],
)
def test_a_hostile_vector_tile_is_refused_naming_it(tmp_path: Path, tile: bytes, message: str) -> None:
    source = write_mbtiles(tmp_path / "bad.mbtiles", fmt="pbf", tiles=[(0, 0, 0)], data=tile)
    with pytest.raises(TileError, match=message) as caught:
        tile_set(source, tmp_path / "cache")
    assert str(source) in str(caught.value) and "vector tile 0/0/0" in str(caught.value)
    assert not any((tmp_path / "cache").iterdir())  # nothing half-written is kept


def test_vector_tiles_are_bounded_in_points_and_in_number(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(vector_tiles, "MAX_POINTS", 100)
    line = [(k, k) for k in range(101)]
    with pytest.raises(vector_tiles.VectorTileError, match="more than 100 points"):
        vector_tiles.decode(mvt({"roads": [(2, [line])]}))
    monkeypatch.setattr(tiles_module, "MAX_VECTOR_TILES", 2)
    source = write_mbtiles(tmp_path / "many.mbtiles", fmt="pbf", data=mvt(VECTOR_TILE))
    with pytest.raises(TileError, match="more than 2 vector tiles"):
        tile_set(source, tmp_path / "cache")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_decode_or_are_a_vector_tile_error(data: bytes) -> None:
    try:
        layers = vector_tiles.decode(data)
    except vector_tiles.VectorTileError:
        return
    vector_tiles.render(layers, size=16)


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


_POINTS = st.lists(st.tuples(st.integers(-5000, 9000), st.integers(-5000, 9000)), min_size=2, max_size=6)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([2, 3]), st.lists(_POINTS, min_size=1, max_size=3)), max_size=4))
def test_decoding_gives_back_what_was_encoded(shapes: list[tuple[int, list[list[tuple[int, int]]]]]) -> None:
    (layer,) = vector_tiles.decode(vector_tiles.encode({"roads": shapes}))
    assert (layer.name, layer.extent) == ("roads", 4096)
    for feature, (kind, parts) in zip(layer.features, shapes, strict=True):
        closed = [[*part, part[0]] for part in parts] if kind == 3 else parts  # rings come back closed
        assert (feature.kind, feature.parts) == (kind, closed)


def test_what_a_review_found_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vector_tiles, "MAX_POINTS", 1_000)
    with pytest.raises(vector_tiles.VectorTileError, match="more than 1,000 points"):
        vector_tiles.decode(_closepath_flood())  # each ClosePath counts against the bound
    with pytest.raises(vector_tiles.VectorTileError, match="far outside the tile"):
        vector_tiles.decode(vector_tiles.encode({"roads": [(2, [[(0, 0), (1 << 33, 5)]])]}))
    with pytest.raises(vector_tiles.VectorTileError, match="cut short"):
        vector_tiles.decode(vector_tiles.encode({"roads": [(2, [[(0, 0), (4096, 4096)]])]})[:-9])


def _closepath_flood() -> bytes:
    """A line layer whose one feature is MoveTo, then 16,000 ClosePath commands."""
    commands = bytes([0x09, 0x00, 0x00]) + b"\x0f" * 16_000  # MoveTo(1) 0,0; ClosePath x 16,000
    geometry = b"\x22" + _len(commands) + commands
    feature = b"\x18\x02" + geometry  # type = line
    layer = b"\x78\x02\x0a\x05roads\x12" + _len(feature) + feature + b"\x28\x80\x20"
    return b"\x1a" + _len(layer) + layer


def _len(data: bytes) -> bytes:
    size, out = len(data), bytearray()
    while True:
        byte, size = size & 0x7F, size >> 7
        out.append(byte | (0x80 if size else 0))
        if not size:
            return bytes(out)


def test_green_areas_are_green_and_one_features_hole_opens_no_other() -> None:
    from PIL import Image

    ocean = [(1024, 0), (1024, 4096), (4096, 4096), (4096, 0)]
    lake = [(1536, 1536), (1536, 3584), (3584, 3584), (3584, 1536)]
    island = [(2048, 2048), (3072, 2048), (3072, 3072), (2048, 3072)]  # wound against the lake
    wood = [(0, 0), (0, 512), (512, 512), (512, 0)]
    tile = vector_tiles.encode({"water": [(3, [ocean]), (3, [lake, island])], "landcover": [(3, [wood])]})
    image = Image.open(io.BytesIO(vector_tiles.render(vector_tiles.decode(tile)))).convert("RGB")
    assert image.getpixel((160, 160)) == WATER  # the ocean still covers the lake's island
    assert image.getpixel((10, 10)) == (223, 230, 207)  # landcover: green, not the land's colour


def test_a_tile_that_merely_starts_with_0x78_is_no_zlib_stream() -> None:
    assert vector_tiles.decode(b"\x78\x02") == []  # field 15, a number: a legal, empty tile
    assert vector_tiles._value(b"\x20" + b"\xff" * 9 + b"\x01") == -1  # int64 -1


def test_a_gzip_bomb_in_a_raster_pmtiles_file_is_refused(tmp_path: Path) -> None:
    bomb = gzip.compress(b"\0" * (8 << 20))
    source = write_pmtiles(tmp_path / "bomb.pmtiles", data=bomb, gzipped=True)
    with pytest.raises(TileError, match="unzips to more than"):
        tile_set(source, tmp_path / "cache")


def test_drawing_vector_tiles_is_bounded_in_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tiles_module, "MAX_VECTOR_SECONDS", -1)
    source = write_mbtiles(tmp_path / "slow.mbtiles", fmt="pbf", data=mvt(VECTOR_TILE))
    with pytest.raises(TileError, match="took more than"):
        tile_set(source, tmp_path / "cache")
