"""Mapbox Vector Tiles (MVT 2.1) drawn as raster tiles, so that a user's own vector MBTiles or
PMTiles file shows on the offline map.

Decoding is written here rather than taken from ``mapbox-vector-tile``: its current release
needs protobuf 6 (the dashboard's Streamlit installs 7) and its older ones shapely 1. The
format is small (a tile of layers; a layer of features with tags into its keys and values; a
feature's geometry as move/line/close commands, https://github.com/mapbox/vector-tile-spec), and
a tile is untrusted: lengths are checked against the buffer, and the features, commands and
points a tile may hold are bounded, so a hostile tile is a :class:`VectorTileError`, not a
hang. Drawing is Pillow's: land, green areas, water, buildings, waterways, roads and borders in
the muted colours of the offline basemap (no labels: the map has its own).
"""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from geodata.errors import GeodataError

#: Bounds on one tile: its size once unzipped, the features and points it may hold, and how far
#: outside the tile (in tile extents) a point may lie. Real tiles hold well under 100,000 points
#: and reach a few hundredths of an extent past their edges; the bounds keep a hostile tile's
#: drawing to seconds (Pillow walks every line and fills every ring across all its rows).
MAX_UNZIPPED = 4 << 20
MAX_FEATURES = 100_000
MAX_POINTS = 200_000
MAX_REACH = 4
TILE_PIXELS = 256

_WIRE_VARINT, _WIRE_64, _WIRE_LEN, _WIRE_32 = 0, 1, 2, 5
_POINT, _LINE, _POLYGON = 1, 2, 3


class VectorTileError(GeodataError, ValueError):
    """A vector tile that cannot be read, and why."""


@dataclass
class Feature:
    kind: int  # 1 point, 2 line, 3 polygon (0 unknown)
    parts: list[list[tuple[int, int]]]  # rings or lines, in tile coordinates (y down)
    tags: dict[str, object] = field(default_factory=dict)


@dataclass
class Layer:
    name: str
    extent: int
    features: list[Feature]


def _varint(data: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if at >= len(data) or shift > 63:
            raise VectorTileError("a number runs past the end of the tile")
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value & 0xFFFFFFFFFFFFFFFF, at  # protobuf keeps the low 64 bits
        shift += 7


def _fields(data: bytes) -> Iterator[tuple[int, int, object]]:
    """(field number, wire type, value) of a protobuf message: a number, or bytes."""
    at = 0
    while at < len(data):
        key, at = _varint(data, at)
        number, wire = key >> 3, key & 7
        if wire == _WIRE_VARINT:
            value, at = _varint(data, at)
            yield number, wire, value
        elif wire == _WIRE_LEN:
            size, at = _varint(data, at)
            if at + size > len(data):
                raise VectorTileError("a field runs past the end of the tile")
            yield number, wire, data[at : at + size]
            at += size
        elif wire in (_WIRE_64, _WIRE_32):
            size = 8 if wire == _WIRE_64 else 4
            if at + size > len(data):
                raise VectorTileError("a field runs past the end of the tile")
            yield number, wire, data[at : at + size]
            at += size
        else:
            raise VectorTileError(f"unknown protobuf wire type {wire}")


def _packed(data: object) -> list[int]:
    if not isinstance(data, bytes):
        raise VectorTileError("a packed list is not bytes")
    out, at = [], 0
    while at < len(data):
        value, at = _varint(data, at)
        out.append(value)
    return out


def _zigzag(value: int) -> int:
    return (value >> 1) ^ -(value & 1)


def _value(data: bytes) -> object:
    import struct

    for number, _, value in _fields(data):
        if number == 1 and isinstance(value, bytes):
            return value.decode("utf-8", "replace")
        if number == 2 and isinstance(value, bytes) and len(value) == 4:
            return struct.unpack("<f", value)[0]
        if number == 3 and isinstance(value, bytes) and len(value) == 8:
            return struct.unpack("<d", value)[0]
        if number == 4 and isinstance(value, int):
            return value - (1 << 64) if value >> 63 else value  # int64, two's complement
        if number == 5 and isinstance(value, int):
            return value
        if number == 6 and isinstance(value, int):
            return _zigzag(value)
        if number == 7 and isinstance(value, int):
            return bool(value)
    return None


def _geometry(commands: list[int], budget: list[int], extent: int) -> list[list[tuple[int, int]]]:
    """The parts of a feature's geometry (each MoveTo starts one), in tile coordinates."""
    parts: list[list[tuple[int, int]]] = []
    x = y = k = 0
    low, high = -MAX_REACH * extent, (MAX_REACH + 1) * extent
    while k < len(commands):
        command, count = commands[k] & 7, commands[k] >> 3
        k += 1
        budget[0] -= max(count, 1)
        if budget[0] < 0:
            raise VectorTileError(f"more than {MAX_POINTS:,} points in one tile")
        if command == 7:  # ClosePath: once, after a part has begun
            if count != 1 or not parts:
                raise VectorTileError(f"a ClosePath command of count {count} where no ring is open")
            parts[-1].append(parts[-1][0])
            continue
        if command not in (1, 2) or k + 2 * count > len(commands):
            raise VectorTileError(f"a geometry command {command} with {count} points runs past its end")
        if command == 2 and not parts:
            raise VectorTileError("a LineTo command before any MoveTo")
        for _ in range(count):
            x += _zigzag(commands[k])
            y += _zigzag(commands[k + 1])
            k += 2
            if not (low <= x <= high and low <= y <= high):
                raise VectorTileError(f"a point ({x}, {y}) lies far outside the tile (extent {extent})")
            if command == 1:
                parts.append([(x, y)])
            else:
                parts[-1].append((x, y))
    return parts


def _zlib_header(data: bytes) -> bool:
    """Whether ``data`` opens with a zlib header (deflate, and the header's check sum right)."""
    return len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0


def unzipped(data: bytes, limit: int) -> bytes:
    """``data`` gzip- or zlib-decompressed, refused when broken, cut short or over ``limit`` bytes."""
    unzip = zlib.decompressobj(47)  # a gzip or a zlib header
    try:
        out = unzip.decompress(data, limit)
    except zlib.error as err:
        raise VectorTileError(f"the tile is not valid compressed data ({err})") from err
    if not unzip.eof:
        raise VectorTileError(
            f"the tile's compressed data is cut short or unzips to more than {limit:,} bytes"
        )
    return out


def decode(tile: bytes) -> list[Layer]:
    """The layers of a vector tile (gzip- or zlib-compressed, or not)."""
    if tile[:2] == b"\x1f\x8b" or _zlib_header(tile):
        tile = unzipped(tile, MAX_UNZIPPED)
    layers: list[Layer] = []
    features = 0
    budget = [MAX_POINTS]
    for number, _, raw in _fields(tile):
        if number != 3 or not isinstance(raw, bytes):
            continue
        name, extent, keys, values, found = "", 4096, [], [], []
        for field_number, _, value in _fields(raw):
            if field_number == 1 and isinstance(value, bytes):
                name = value.decode("utf-8", "replace")
            elif field_number == 5 and isinstance(value, int):
                extent = value or 4096
            elif field_number == 3 and isinstance(value, bytes):
                keys.append(value.decode("utf-8", "replace"))
            elif field_number == 4 and isinstance(value, bytes):
                values.append(_value(value))
            elif field_number == 2 and isinstance(value, bytes):
                found.append(value)
        features += len(found)
        if features > MAX_FEATURES:
            raise VectorTileError(f"more than {MAX_FEATURES:,} features in one tile")
        layers.append(Layer(name, extent, [_feature(f, keys, values, budget, extent) for f in found]))
    return layers


def _feature(raw: bytes, keys: list[str], values: list[object], budget: list[int], extent: int) -> Feature:
    kind, tags, parts = 0, {}, []
    for number, _, value in _fields(raw):
        if number == 3 and isinstance(value, int):
            kind = value
        elif number == 2:
            pairs = _packed(value)
            for k in range(0, len(pairs) - 1, 2):
                if pairs[k] < len(keys) and pairs[k + 1] < len(values):
                    tags[keys[pairs[k]]] = values[pairs[k + 1]]
        elif number == 4:
            parts = _geometry(_packed(value), budget, extent)
    return Feature(kind, parts, tags)


def _put_varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _put(number: int, payload: bytes | int) -> bytes:
    if isinstance(payload, int):
        return _put_varint(number << 3) + _put_varint(payload)
    return _put_varint(number << 3 | _WIRE_LEN) + _put_varint(len(payload)) + payload


def encode(
    layers: dict[str, list[tuple[int, list[list[tuple[int, int]]]]]], *, gzipped: bool = True
) -> bytes:
    """A vector tile (extent 4096) of ``layers``, each a list of (kind, parts) features (2 a
    line, 3 a polygon whose parts are rings): the inverse of :func:`decode`, for tests and
    benchmarks."""
    body = b""
    for name, shapes in layers.items():
        layer = _put(15, 2) + _put(1, name.encode())
        for kind, parts in shapes:
            commands: list[int] = []
            x = y = 0
            for part in parts:
                for k, (px, py) in enumerate(part):
                    if k < 2:
                        commands.append(1 | 1 << 3 if k == 0 else 2 | (len(part) - 1) << 3)
                    commands += [(px - x) << 1 ^ (px - x) >> 63, (py - y) << 1 ^ (py - y) >> 63]
                    x, y = px, py
                if kind == _POLYGON:
                    commands.append(7 | 1 << 3)
            geometry = b"".join(_put_varint(c) for c in commands)
            layer += _put(2, _put(3, kind) + _put(4, geometry))
        body += _put(3, layer + _put(5, 4096))
    return gzip.compress(body) if gzipped else body


#: How each kind of layer is drawn, by words in its name (OpenMapTiles, Protomaps and
#: Shortbread name their layers differently), in drawing order. A name is matched against the
#: rows in :data:`_MATCH_ORDER` ("landcover" is green, not "land").
_FILLS = (
    (("earth", "land"), "#f2efe9"),
    (("landcover", "landuse", "park", "wood", "forest", "grass", "green"), "#dfe6cf"),
    (("water", "ocean", "sea", "lake"), "#b5d0d8"),
    (("building",), "#ddd5cc"),
)
_MATCH_ORDER = (1, 2, 3, 0)
_LINES = (
    (("waterway", "river", "water"), "#b5d0d8", 1),
    (("transportation", "road", "street", "highway", "rail"), "#c9c2b6", 1),
    (("boundar", "admin", "border"), "#9a948a", 1),
)
_BACKGROUND = "#f2efe9"


def _fill(name: str) -> int | None:
    lowered = name.lower()
    return next((k for k in _MATCH_ORDER if any(word in lowered for word in _FILLS[k][0])), None)


def _line(name: str) -> int | None:
    lowered = name.lower()
    return next((k for k, row in enumerate(_LINES) if any(word in lowered for word in row[0])), None)


def _area(ring: list[tuple[float, float]]) -> float:
    """Twice the ring's signed area in tile coordinates (the spec's surveyor's formula): the
    spec winds outer rings positive and holes negative; some encoders wind them the other way,
    so a polygon's holes are the rings wound against its first."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True))


def _fill_polygon(mask: Any, pen: Any, rings: list[list[tuple[float, float]]]) -> None:
    """Fill a polygon feature's outer rings into ``mask``, its holes left open: on the mask
    itself when it has no holes, else on a mask of its own first (so that its holes do not
    open another feature's area)."""
    from PIL import Image, ImageChops, ImageDraw

    if not rings:
        return
    outer = _area(rings[0])  # rings wound against the first are its holes
    holes = [ring for ring in rings[1:] if _area(ring) * outer < 0]
    if not holes:
        for ring in rings:
            pen.polygon(ring, fill=255)
        return
    own = Image.new("L", mask.size, 0)
    draw = ImageDraw.Draw(own)
    for ring in rings:
        draw.polygon(ring, fill=255 if _area(ring) * outer > 0 else 0)
    mask.paste(ImageChops.lighter(mask, own))


def render(layers: list[Layer], size: int = TILE_PIXELS) -> bytes:
    """A PNG of ``layers``: areas filled (holes left open), then lines, in the basemap's colours."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (size, size), _BACKGROUND)
    masks = [Image.new("L", (size, size), 0) for _ in _FILLS]
    pens = [ImageDraw.Draw(mask) for mask in masks]
    lines: list[tuple[int, list[tuple[float, float]]]] = []
    for layer in layers:
        scale = size / layer.extent if layer.extent > 0 else size / 4096
        fill, line = _fill(layer.name), _line(layer.name)
        for feature in layer.features:
            rings = [[(x * scale, y * scale) for x, y in part] for part in feature.parts]
            if feature.kind == _POLYGON and fill is not None:
                _fill_polygon(masks[fill], pens[fill], [r for r in rings if len(r) >= 3])
            elif feature.kind == _LINE and line is not None:
                lines += [(line, points) for points in rings if len(points) >= 2]
    for (_, colour), mask in zip(_FILLS, masks, strict=True):  # land, green, water, buildings
        image.paste(colour, mask=mask)
    draw = ImageDraw.Draw(image)
    for k, points in sorted(lines, key=lambda a: a[0]):
        draw.line(points, fill=_LINES[k][1], width=_LINES[k][2])
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
