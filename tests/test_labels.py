"""The offline map's place labels: GeoNames' towns, the largest labelled from afar, written once
where the user's cache can be written, else in a temporary folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dashboard import labels, outlines
from geodata.settings import DEFAULTS


def test_towns_are_listed_largest_first_with_the_zoom_they_are_named_from() -> None:
    places = labels.places()
    assert len(places) > 20_000
    zooms = [p[3] for p in places]
    assert zooms == sorted(zooms) and zooms[0] == 3 and zooms[-1] == labels.LAST_ZOOM
    names = [p[2] for p in places[:100]]
    assert "Baghdad" in names and "Tokyo" in names
    assert all(-90 <= p[0] <= 90 and -180 <= p[1] <= 180 for p in places)


def test_the_script_is_written_once_and_where_it_can_be(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    labels.labels_dir.cache_clear()
    try:
        folder = labels.labels_dir(tmp_path / "home")
        assert folder.parent == tmp_path / "home"
        script = folder / labels.SCRIPT
        text = script.read_text("utf-8")
        assert text.startswith("window.geodataPlaces = ") and text.endswith(";\n")
        listed = json.loads(text.removeprefix("window.geodataPlaces = ").removesuffix(";\n"))
        assert [tuple(p) for p in listed] == labels.places()
        stamp = script.stat().st_mtime_ns
        labels.labels_dir.cache_clear()  # a later start uses it as it is
        assert labels.labels_dir(tmp_path / "home") == folder and script.stat().st_mtime_ns == stamp
        locked = tmp_path / "locked"
        locked.write_text("a file, not a folder: nothing can be made under it")
        monkeypatch.setattr(labels.tempfile, "tempdir", str(tmp_path / "tmp"))
        (tmp_path / "tmp").mkdir()
        private = labels.labels_dir(locked / "labels")
        assert private.parent == tmp_path / "tmp" and private.name.startswith("geodata-labels-")
        assert private.stat().st_mode & 0o077 == 0 and (private / labels.SCRIPT).read_text("utf-8") == text
    finally:
        labels.labels_dir.cache_clear()


def test_region_outlines_are_a_script_of_natural_earths_first_level_regions(tmp_path: Path) -> None:
    outlines.outlines_dir.cache_clear()
    try:
        folder = outlines.outlines_dir(tmp_path / "home")
        text = (folder / outlines.SCRIPT).read_text("utf-8")
        assert text.startswith("window.geodataAdmin1 = ") and text.endswith(";\n")
        doc = json.loads(text.removeprefix("window.geodataAdmin1 = ").removesuffix(";\n"))
        assert doc == json.loads(DEFAULTS.admin1_outlines_file.read_text("utf-8"))
        assert outlines.outlines_dir(tmp_path / "home") == folder
    finally:
        outlines.outlines_dir.cache_clear()


def test_each_outline_holds_its_regions_towns() -> None:
    import shapely
    from shapely.geometry import shape

    doc = json.loads(DEFAULTS.admin1_outlines_file.read_text("utf-8"))
    regions = doc["features"]
    assert len(regions) > 4_000
    properties = [r["properties"] for r in regions]
    assert sum(bool(p["country"]) for p in properties) > 0.99 * len(regions)  # not disputed areas
    assert all(p["code"] is None or p["code"].startswith(p["country"] + ".") for p in properties)
    outlines_of = {
        (p["country"], p["name"]): shape(r["geometry"]) for p, r in zip(properties, regions, strict=True)
    }
    # Towns at GeoNames' points, each inside its own region's outline (simplified by 0.05°).
    for country, region, lat, lon in [
        ("IQ", "Ninawa", 36.335, 43.119),  # Mosul
        ("IQ", "Arbil", 36.191, 44.009),  # Erbil
        ("US", "Illinois", 39.80, -89.644),  # Springfield
        ("UA", "Donets'k", 48.723, 37.557),  # Kramatorsk
        ("YE", "Al Hudaydah", 14.798, 42.954),  # Hodeidah
    ]:
        assert shapely.contains_xy(outlines_of[(country, region)], lon, lat), region
