"""The offline map's place labels: GeoNames' towns, the largest labelled from afar, written once
where the user's cache can be written, else in a temporary folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dashboard import labels


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
