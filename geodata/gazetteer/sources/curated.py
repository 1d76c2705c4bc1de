"""The project's curated data files: sites and seas, each point with its quoted source."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from geodata.errors import GazetteerError
from geodata.gazetteer.entry import Entry
from geodata.gazetteer.points import agreed_point, geonames_reference


def read_yaml(path: Path) -> Any:
    """A data file read with YAML 1.2 booleans, so Norway's code ``NO`` stays a string."""
    from geodata.io.yamlio import load_yaml

    try:
        data, problems = load_yaml(path.read_text(encoding="utf-8"), path=str(path))
    except OSError as err:
        raise GazetteerError(f"cannot read gazetteer file {str(path)!r}: {err}") from err
    if problems:
        raise GazetteerError("; ".join(p.format() for p in problems))
    return data


def load_sites(path: Path) -> Iterator[Entry]:
    """Curated sites (``sites.yaml``), each with its coordinate's source."""
    return _load_sourced(path, what="sites", prefix="site", kind="site")


def load_features(path: Path) -> Iterator[Entry]:
    """Seas, straits, islands and named regions (``features.yaml``), each with its coordinate's source."""
    return _load_sourced(path, what="features", prefix="feature", kind="region")


def _load_sourced(path: Path, *, what: str, prefix: str, kind: str) -> Iterator[Entry]:
    """Entries of a curated YAML list: id, name, lat, lon, kind, source {url, quote}, aliases,
    and optionally GeoNames' own point for the place (``geonames: {id, lat, lon, quote}``)."""
    for row in read_yaml(path) or []:
        try:
            source = row["source"]
            cited = ((float(row["lat"]), float(row["lon"])), f"{source['url']} ({source['quote']})")
            gn = geonames_reference(row["geonames"]) if row.get("geonames") else None
            lat, lon, described = agreed_point(gn, [cited])
            yield Entry(
                id=f"{prefix}:{row['id']}",
                name=row["name"],
                lat=lat,
                lon=lon,
                kind=kind,
                country=row.get("country"),
                admin1=row.get("region"),
                source=described,
                aliases=tuple(row.get("aliases") or ()),
                feature=row.get("kind"),
            )
        except (KeyError, TypeError, ValueError) as err:
            raise GazetteerError(f"{what} file {str(path)!r}: bad entry {row!r}: {err}") from err
