"""A geopy Geocoder over the offline gazetteer, and an opt-in online geocoder behind it."""

from __future__ import annotations

import hashlib
import json
import threading
import warnings
from collections.abc import Callable
from dataclasses import fields
from functools import lru_cache
from pathlib import Path
from typing import Any

from geopy.exc import GeopyError
from geopy.geocoders.base import DEFAULT_SENTINEL, Geocoder
from geopy.location import Location

from geodata.gazetteer import Entry, Gazetteer, Match, load_gazetteer
from geodata.model import Place
from geodata.settings import DEFAULTS, Settings

#: The source of a point a catalogue gives itself, when it names none.
GIVEN = "given in the catalogue"


class OfflineGeocoder(Geocoder):
    """geopy's ``geocode()`` contract answered from the shipped gazetteer, without a network.

    ``geocode("Irbil")``, ``geocode("Ain Al Assad base")`` and ``geocode("Erbil, Iraq")`` return a
    :class:`geopy.location.Location` whose ``raw`` holds the gazetteer entry, its kind, the geo
    precision it supports and the source of its coordinate.
    """

    def __init__(
        self, gazetteer: Gazetteer | None = None, *, settings: Settings = DEFAULTS, cache_size: int = 4096
    ) -> None:
        super().__init__(user_agent="geodata-offline")
        self._gazetteer, self._settings = gazetteer, settings
        self._loading = threading.Lock()
        self._candidates = lru_cache(maxsize=cache_size)(self._uncached_candidates)
        self._locations = lru_cache(maxsize=cache_size)(self._uncached_locations)

    @property
    def gazetteer(self) -> Gazetteer:
        """The gazetteer, loaded when first asked for (a second): places given with coordinates
        are located without it."""
        with self._loading:
            if self._gazetteer is None:
                self._gazetteer = load_gazetteer(self._settings)
            return self._gazetteer

    def _uncached_locations(
        self,
        query: str | tuple[tuple[str, str], ...],
        codes: tuple[str, ...],
        region: str | None,
        kinds: tuple[str, ...] | None,
        limit: int,
    ) -> list[Location]:
        plain = query if isinstance(query, str) else dict(query)
        matches = self.matches(
            plain, country_codes=list(codes), region=region, kinds=list(kinds) if kinds else None, limit=limit
        )
        return [_location(m) for m in matches]

    def _uncached_candidates(
        self, name: str, country: str | None, region: str | None, kinds: tuple[str, ...] | None, limit: int
    ) -> tuple[Match, ...]:
        return tuple(
            self.gazetteer.candidates(name, country=country, region=region, kinds=kinds, limit=limit)
        )

    def geocode(
        self,
        query: str | dict[str, str],
        *,
        exactly_one: bool = True,
        timeout: Any = DEFAULT_SENTINEL,
        country_codes: str | list[str] | None = None,
        region: str | None = None,
        kinds: list[str] | None = None,
        limit: int = 10,
    ) -> Location | list[Location] | None:
        """Find a place by name.

        Parameters
        ----------
        query
            A name ("Arbil"), a name with context ("Erbil, Iraq"; later parts are read as region
            or country hints), or a mapping such as ``{"city": "Erbil", "country": "IQ"}``.
        exactly_one
            Return the best :class:`Location` (or ``None``); else a list, best first.
        timeout
            Accepted for geopy compatibility; nothing here waits.
        country_codes
            ISO 3166-1 alpha-2 code(s); only places in these countries are returned.
        region
            A first-level region name that breaks ties ("Anbar").
        kinds
            Restrict to ``site``, ``city``, ``region`` and/or ``country`` entries.
        """
        codes = (country_codes,) if isinstance(country_codes, str) else tuple(country_codes or ())
        key_query = query if isinstance(query, str) else tuple(sorted(query.items()))
        locations = self._locations(key_query, codes, region, tuple(kinds) if kinds else None, limit)
        if exactly_one:
            return locations[0] if locations else None
        return locations or None

    def matches(
        self,
        query: str | dict[str, str],
        *,
        country_codes: str | list[str] | None = None,
        region: str | None = None,
        kinds: list[str] | None = None,
        limit: int = 10,
    ) -> list[Match]:
        """Scored gazetteer matches for a query (see :meth:`geocode` for the arguments)."""
        name, hints = _split_query(query, self.gazetteer)
        countries = [country_codes] if isinstance(country_codes, str) else list(country_codes or [])
        countries = [c.upper() for c in countries] or ([hints["country"]] if "country" in hints else [])
        region = region or hints.get("region")
        kind_key = tuple(kinds) if kinds else None
        found: list[Match] = []
        for country in countries or [None]:  # type: ignore[list-item]
            found += self._candidates(name, country, region, kind_key, limit)
        if not found and isinstance(query, str) and name != query:
            found = list(self._candidates(query, None, None, kind_key, limit))
        found.sort(key=lambda m: m.score, reverse=True)
        return found[:limit]

    def locate_place(self, place: Place) -> Location | None:
        """Where a catalogue :class:`Place` is: its explicit lat/lon, else the gazetteer's answer.

        The canonical name is tried first, then the name as written, each with the place's
        country and region hints.
        """
        if place.has_coordinates:
            raw = {
                "kind": "explicit",
                "source": place.coordinate_source or GIVEN,
                "precision": place.geo_precision,
                "id": None,
                "name": place.query,
            }
            return Location(place.query, (place.lat, place.lon), raw)
        for name in dict.fromkeys([place.query, place.name]):
            found = self.geocode(name, country_codes=place.country, region=place.region)
            if isinstance(found, Location):
                return found
        return None


def _split_query(query: str | dict[str, str], gazetteer: Gazetteer) -> tuple[str, dict[str, str]]:
    """The name to look up and the hints given with it ("Erbil, Iraq" -> "Erbil", country IQ)."""
    hints: dict[str, str] = {}
    if isinstance(query, dict):
        parts = [query.get(k, "") for k in ("facility", "city", "region", "state", "country")]
        values = [p for p in parts if p]
        name = values[0] if values else ""
        if query.get("country"):
            code = gazetteer.country_code(query["country"])
            if code:
                hints["country"] = code
        if query.get("region") or query.get("state"):
            hints["region"] = query.get("region") or query.get("state", "")
        return name, hints
    parts = [p.strip() for p in str(query).split(",") if p.strip()]
    if len(parts) < 2:
        return str(query).strip(), hints
    for part in parts[1:]:
        code = gazetteer.country_code(part)
        if code and "country" not in hints:
            hints["country"] = code
        elif "region" not in hints:
            hints["region"] = part
    return parts[0], hints


_ENTRY_FIELDS = tuple(f.name for f in fields(Entry))


def _location(match: Match) -> Location:
    entry: Entry = match.entry
    raw = {name: getattr(entry, name) for name in _ENTRY_FIELDS}
    raw.update(precision=entry.precision, match_level=match.level, score=round(match.score, 3))
    address = entry.name if entry.kind == "country" else f"{entry.name}, {entry.country}"
    return Location(address, (entry.lat, entry.lon), raw)


@lru_cache(maxsize=1)
def default_geocoder() -> OfflineGeocoder:
    """The offline geocoder over the shipped gazetteer, built once per process."""
    return OfflineGeocoder()


class CachedOnlineGeocoder:
    """An online geopy geocoder, rate-limited and cached on disk, with the offline answer behind.

    Opt-in only: nothing builds one unless asked. Each answer is kept as JSON under
    ``cache_dir``, so a query goes to the service once. When the service fails, or finds
    nothing, the offline answer stands and a warning says so.
    """

    def __init__(
        self,
        online: Geocoder,
        offline: OfflineGeocoder,
        *,
        cache_dir: Path | None = None,
        min_delay_seconds: float = DEFAULTS.online_min_delay_seconds,
        limiter: Callable[..., Any] | None = None,
    ) -> None:
        from geopy.extra.rate_limiter import RateLimiter

        self.online = online
        self.offline = offline
        self.cache_dir = Path(cache_dir or DEFAULTS.online_cache_dir)
        self._geocode = limiter or RateLimiter(
            online.geocode, min_delay_seconds=min_delay_seconds, max_retries=1, swallow_exceptions=False
        )

    @classmethod
    def by_name(
        cls, service: str, offline: OfflineGeocoder, *, user_agent: str, **kwargs: Any
    ) -> CachedOnlineGeocoder:
        """Build from a geopy service name, e.g. ``by_name("nominatim", offline, user_agent=...)``."""
        from geopy.geocoders import get_geocoder_for_service

        online = get_geocoder_for_service(service)(user_agent=user_agent)
        return cls(online, offline, **kwargs)

    def geocode(self, query: str, **kwargs: Any) -> Location | None:
        """The cached or online answer, else the offline one (with a warning why)."""
        path = self.cache_dir / (
            hashlib.sha256(f"{type(self.online).__name__}|{query}".encode()).hexdigest() + ".json"
        )
        cached = _read_cached(path)
        if cached is not None:
            return cached
        offline = self.offline.geocode(query, **kwargs)
        try:
            answer = self._geocode(query, exactly_one=True)
        except (GeopyError, OSError) as err:
            warnings.warn(
                f"online geocoder {type(self.online).__name__} failed for {query!r} ({err}); "
                "using the offline answer",
                RuntimeWarning,
                stacklevel=2,
            )
            return offline if isinstance(offline, Location) else None
        if not isinstance(answer, Location):
            warnings.warn(
                f"online geocoder {type(self.online).__name__} found nothing for {query!r}; "
                "using the offline answer",
                RuntimeWarning,
                stacklevel=2,
            )
            return offline if isinstance(offline, Location) else None
        _write_cached(path, answer)
        return answer


def _read_cached(path: Path) -> Location | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Location(data["address"], (data["lat"], data["lon"]), data.get("raw") or {})
    except (OSError, ValueError, KeyError):
        return None


def _write_cached(path: Path, location: Location) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "address": location.address,
            "lat": location.latitude,
            "lon": location.longitude,
            "raw": location.raw if isinstance(location.raw, dict) else {},
        }
        path.write_text(json.dumps(payload, default=str), encoding="utf-8")
    except OSError as err:
        warnings.warn(f"cannot write the geocoder cache {str(path)!r}: {err}", RuntimeWarning, stacklevel=3)
