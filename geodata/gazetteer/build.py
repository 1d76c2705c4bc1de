"""Build the shipped gazetteer from its sources (the only module that knows every source), or read
it back from the on-disk copy made the last time."""

from __future__ import annotations

from collections.abc import Callable

from geodata.gazetteer import cache
from geodata.gazetteer.index import Gazetteer
from geodata.gazetteer.sources import airports, countries, curated, geonames, regions
from geodata.settings import DEFAULTS, Settings


def load_gazetteer(
    settings: Settings = DEFAULTS, *, min_population: int | None = None, small_towns: bool = True
) -> Gazetteer:
    """The shipped gazetteer: countries, regions, seas, GeoNames cities, sites.

    With ``small_towns``, GeoNames towns from ``settings.small_town_population`` up to
    ``min_population`` answer the names nothing else matches (built on first need).
    Both are read from ``settings.gazetteer_cache_dir`` when a copy made from the same code and
    data is there, and saved there after building.
    """
    population = settings.min_city_population if min_population is None else min_population
    directory = settings.gazetteer_cache_dir
    fallback = None
    if small_towns and settings.small_town_population < population:

        def fallback() -> Gazetteer:
            return _cached(
                settings,
                ("small towns", settings.small_town_population, population),
                lambda: _small_towns(settings, population),
            )

    key = cache.cache_key(settings, "main", population)
    state = cache.read(directory, key)
    if state is not None:
        return Gazetteer.from_state(state, fallback=fallback)
    built = _main(settings, population, fallback)
    cache.write(directory, key, built.state())
    return built


def _cached(settings: Settings, parts: tuple[object, ...], build: Callable[[], Gazetteer]) -> Gazetteer:
    key = cache.cache_key(settings, *parts)
    state = cache.read(settings.gazetteer_cache_dir, key)
    if state is not None:
        return Gazetteer.from_state(state)
    built = build()
    cache.write(settings.gazetteer_cache_dir, key, built.state())
    return built


def _small_towns(settings: Settings, below: int) -> Gazetteer:
    towns = geonames.geonames_cities(settings.small_town_population)
    return Gazetteer(list(geonames.load_cities(towns, below=below, aliases=False)))


def _main(settings: Settings, population: int, fallback: Callable[[], Gazetteer] | None) -> Gazetteer:
    cities = geonames.geonames_cities(population)
    regions_data = curated.read_yaml(settings.regions_file) or {}
    wikipedia = curated.read_yaml(settings.wikipedia_points_file) or {}
    country_entries = list(
        countries.load_countries(
            settings.countries_file,
            settings.country_points_file,
            regions_data,
            cities,
            wikipedia.get("countries") or {},
        )
    )
    continents = list(geonames.load_continents(regions_data))
    region_entries = list(
        regions.load_regions(regions_data, settings.admin1_file, wikipedia.get("regions") or {})
    )
    region_entries += list(regions.load_admin2(settings.admin2_file))
    region_entries += list(curated.load_features(settings.features_file))
    region_entries += list(regions.load_country_groups(regions_data, country_entries))
    entries = country_entries + continents + region_entries + list(geonames.load_cities(cities))
    sites = list(curated.load_sites(settings.sites_file))
    entries += sites + list(airports.load_airports(sites))
    demonyms = countries.load_demonyms(country_entries + continents + region_entries, regions_data)
    return Gazetteer(entries, demonyms=demonyms, fallback=fallback)
