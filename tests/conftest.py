"""Shared fixtures: no network for anyone, one gazetteer per session, tiny in-memory data."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import offline_guard
import pytest
from geopy.location import Location
from pgcluster import pg_cluster, store_url  # noqa: F401 (fixtures: the store tests' back ends)

from dashboard.serve import CHROMIUM_ARGS
from geodata.gazetteer import Entry, Gazetteer
from geodata.geocoding import OfflineGeocoder, default_geocoder

REPO = Path(__file__).resolve().parent.parent
ARTICLE = REPO / "geodata" / "data" / "articles" / "thenational-2020-04-02-air-defences-iraq.md"
#: Put first on PYTHONPATH: its sitecustomize.py guards every Python subprocess.
OFFLINE_DIR = Path(__file__).resolve().parent / "offline"


def browser_args(*, proxy_port: int = 9) -> list[str]:
    """Chromium's flags for the tests: offline too.

    Every request for a host other than this machine goes to a proxy on a closed local port
    (Chromium never sends loopback through a proxy), and no name but localhost resolves.
    """
    return [
        *CHROMIUM_ARGS,
        f"--proxy-server=http://127.0.0.1:{proxy_port}",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1, EXCLUDE [::1]",
    ]


@pytest.fixture(scope="session", autouse=True)
def offline_subprocesses() -> Iterator[None]:
    """Every Python the tests start (servers, the CLI, scripts) runs with the network blocked too.

    Set in ``os.environ`` so that ``subprocess`` calls and ``running_app`` inherit it.
    """
    saved = {name: os.environ.get(name) for name in ("PYTHONPATH", offline_guard.ENV)}
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(OFFLINE_DIR), saved["PYTHONPATH"]) if p)
    os.environ[offline_guard.ENV] = "1"
    yield
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Any connection to, or name lookup of, a host other than this machine fails at once."""
    for owner, name, guard in offline_guard.replacements():
        monkeypatch.setattr(owner, name, guard)
    yield


@pytest.fixture(scope="session")
def geocoder() -> OfflineGeocoder:
    """The geocoder over the full shipped gazetteer (loaded once)."""
    return default_geocoder()


@pytest.fixture(scope="session")
def gazetteer(geocoder: OfflineGeocoder) -> Gazetteer:
    return geocoder.gazetteer


TINY_ENTRIES = [
    Entry(
        id="country:IQ",
        name="Iraq",
        lat=33.0,
        lon=43.0,
        kind="country",
        country="IQ",
        population=38_000_000,
        aliases=("IQ", "IRQ"),
        source="test: Iraq",
    ),
    Entry(
        id="geonames:95446",
        name="Erbil",
        lat=36.19117,
        lon=44.00943,
        kind="city",
        country="IQ",
        population=1_612_700,
        aliases=("Arbil", "Irbil", "Hawler"),
        source="GeoNames 95446",
    ),
    Entry(
        id="geonames:4140963",
        name="Washington",
        lat=38.89511,
        lon=-77.03637,
        kind="city",
        country="US",
        population=689_545,
        source="GeoNames 4140963",
    ),
    Entry(
        id="geonames:2634715",
        name="Washington",
        lat=54.9,
        lon=-1.51667,
        kind="city",
        country="GB",
        population=67_085,
        source="GeoNames 2634715",
    ),
    Entry(
        id="site:ain-al-asad-air-base",
        name="Ain al-Asad Air Base",
        lat=33.7856083,
        lon=42.4412,
        kind="site",
        country="IQ",
        admin1="Anbar",
        aliases=("Al Asad Airbase",),
        source="test: Wikipedia",
    ),
    Entry(
        id="site:camp-taji",
        name="Camp Taji",
        lat=33.52944,
        lon=44.2775,
        kind="site",
        country="IQ",
        source="test: nautilus.org",
    ),
]


@pytest.fixture
def tiny_gazetteer() -> Gazetteer:
    return Gazetteer(list(TINY_ENTRIES))


@pytest.fixture
def tiny_geocoder(tiny_gazetteer: Gazetteer) -> OfflineGeocoder:
    return OfflineGeocoder(tiny_gazetteer)


GOOD_EVENT = """\
- id: patriot-erbil
  type: air_defence_deployment
  title: Patriot battery shipped to Erbil
  date: {start: 2020-03-23, precision: week}
  place: {name: Arbil, canonical: Erbil, country: IQ, geo_precision: city}
  actors: [United States]
  source:
    publisher: The National
    title: US says build-up of air defences in Iraq going ahead
    url: https://example.org/article
    published: 2020-04-02
    quote: Another was shipped to Erbil.
"""


@pytest.fixture
def good_catalogue(tmp_path: Path) -> Path:
    path = tmp_path / "events.yaml"
    path.write_text(GOOD_EVENT, encoding="utf-8")
    return path


def entry_for(gazetteer: Gazetteer, query: str, **hints: Any) -> Entry:
    """The gazetteer's answer for ``query``, which must exist (a test of what it is, not whether)."""
    found = gazetteer.lookup(query, **hints)
    assert found is not None, f"{query!r} is not found"
    return found


def located(answer: object) -> Location:
    """A geocoder's single answer, which must exist."""
    assert isinstance(answer, Location), answer
    return answer
