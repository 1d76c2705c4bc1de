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
    locked = tmp_path / "locked"
    locked.write_text("a file, not a folder: nothing can be made under it")
    monkeypatch.setattr(labels.tempfile, "gettempdir", lambda: str(tmp_path / "tmp"))
    labels.labels_dir.cache_clear()
    try:
        folder = labels.labels_dir(locked / "labels")
        assert folder.is_relative_to(tmp_path / "tmp")
        text = (folder / labels.SCRIPT).read_text("utf-8")
        assert text.startswith("window.geodataPlaces = ") and text.endswith(";\n")
        listed = json.loads(text.removeprefix("window.geodataPlaces = ").removesuffix(";\n"))
        assert [tuple(p) for p in listed] == labels.places()
        assert labels.labels_dir(tmp_path / "home") == tmp_path / "home" / folder.name  # where it can be
    finally:
        labels.labels_dir.cache_clear()
