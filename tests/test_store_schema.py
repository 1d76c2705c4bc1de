"""The store's schema: made by the Alembic migrations as the models declare it, on both back
ends; on PostgreSQL, ``events`` is a PostGIS point layer a GIS opens as it is."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from pgcluster import INSTALL, Cluster, MissingPostgres, check_installed
from sqlalchemy import bindparam, text
from storekit import make_event, tiny_geocoder

from geodata.records import RECORD_FIELDS, event_record
from geodata.store import Store
from geodata.store.engine import _MIGRATIONS, HEAD_REVISION, make_engine, migrate, schema_revision
from geodata.store.rows import refill_admin_areas
from geodata.store.schema import Base


@pytest.fixture
def pg_store(pg_cluster: Cluster) -> Iterator[Store]:
    with pg_cluster.database() as url, Store.open(url) as store:
        yield store


@pytest.mark.filterwarnings("ignore:Did not recognize type 'geometry'")
def test_the_migrations_make_the_schema_the_models_declare(store_url: str) -> None:
    with Store.open(store_url) as store, Store.open(store_url) as again, store.engine.connect() as conn:
        assert conn.scalar(text("SELECT version_num FROM alembic_version")) == "0006" == HEAD_REVISION
        differences = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        # PostGIS's own table and the point column exist only in the database, on purpose.
        extra = {
            ("remove_table", "spatial_ref_sys"),
            ("remove_column", "geom"),
            ("remove_index", "ix_events_geom"),
        }
        assert [d for d in differences if _kind(d) not in extra] == []
        assert again.count() == 0
        if conn.dialect.name == "postgresql":  # autogenerate does not compare collations
            collated = conn.execute(
                text(
                    "SELECT table_name, column_name FROM information_schema.columns "
                    "WHERE table_name IN :tables AND collation_name = 'C'"
                ).bindparams(bindparam("tables", expanding=True)),
                {"tables": list(Base.metadata.tables)},
            )
            assert sorted(tuple(c) for c in collated) == [
                ("changes", "event_id"),
                ("drafts", "event_id"),
                ("drafts", "merge_target"),
                ("event_references", "event_id"),
                ("events", "id"),
            ]


def test_the_newest_revision_named_in_the_code_is_alembics_head() -> None:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_heads() == [HEAD_REVISION]


def test_a_store_behind_the_newest_revision_is_migrated_and_one_at_it_is_left(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(store_url)
    try:
        assert schema_revision(engine) is None  # no store yet
        migrate(engine, revision="0004")
        assert schema_revision(engine) == "0004"
        migrate(engine)
        assert schema_revision(engine) == HEAD_REVISION

        def upgrade(*_args: object) -> None:
            raise AssertionError("Alembic asked to upgrade a store at the head")

        monkeypatch.setattr(command, "upgrade", upgrade)
        migrate(engine)  # at the head: Alembic is not asked
        with pytest.raises(AssertionError, match="at the head"):
            migrate(engine, revision="0004")  # the check really stands in Alembic's way
    finally:
        engine.dispose()


def test_a_store_made_by_the_first_migration_is_brought_up_to_date(store_url: str) -> None:
    """Its ids get the "C" collation on PostgreSQL, and its generation starts from the newest
    change id (the cache key it had), so a map that cached it still sees it grow."""
    engine = make_engine(store_url)
    try:
        migrate(engine, revision="0001")
        with engine.begin() as conn:
            for n in (1, 2):
                conn.execute(
                    text(
                        "INSERT INTO changes (at, who, action, event_id) VALUES (:at, 'ana', 'import', :id)"
                    ),
                    {"at": dt.datetime(2026, 1, n, tzinfo=dt.UTC), "id": f"b{n}"},
                )
    finally:
        engine.dispose()
    geo = tiny_geocoder()
    with Store.open(store_url) as store:
        assert store.generation() == 2
        store.import_events([make_event(1, id="a_1"), make_event(2, id="a-1")], who="ana", geocoder=geo)
        assert store.generation() == 3
        assert [e.id for e in store.events()] == ["a-1", "a_1"]


def test_events_stored_before_the_acled_fields_get_their_admin_areas(store_url: str) -> None:
    """Migration 0005 adds ACLED's columns and fills admin1/admin2 of the events already there
    from their points (a point in Baghdad lies in its governorate)."""
    engine = make_engine(store_url)
    try:
        migrate(engine, revision="0004")
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO events (id, version, type, title, date_start, date_end, date_precision, "
                    "lat, lon, actors, tags, confidence, data, updated_at, updated_by) VALUES ('b', 1, "
                    "'attack', 'T', '2020-01-01', '2020-01-01', 'day', 33.3406, 44.4009, '[]', '[]', "
                    "'medium', '{}', :at, 'ana')"
                ),
                {"at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC)},
            )
        migrate(engine)
        with engine.connect() as conn:
            row = conn.execute(text("SELECT admin1, admin2, actor1, fatalities_low FROM events")).one()
    finally:
        engine.dispose()
    assert tuple(row) == ("Mayorality of Baghdad", None, None, None)  # GeoNames names it so


def test_events_stored_before_regions_came_from_all_towns_get_them_again(store_url: str) -> None:
    """Migration 0006 finds admin1/admin2 again from GeoNames' towns with their districts: an
    event at Kramatorsk gets its raion, one at a region's point none, and a place's own hints
    stay; ``refill_admin_areas`` pages through the events in id order."""
    engine = make_engine(store_url)
    insert = text(
        "INSERT INTO events (id, version, type, title, date_start, date_end, date_precision, lat, lon, "
        "geo_precision, place_region, place_admin2, admin1, admin2, actors, tags, confidence, data, "
        "updated_at, updated_by) VALUES (:id, 1, 'attack', 'T', '2020-01-01', '2020-01-01', 'day', "
        ":lat, :lon, :precision, :region, :admin2, 'old', NULL, '[]', '[]', 'medium', '{}', :at, 'ana')"
    )
    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    town = {"lat": 48.7389, "lon": 37.5848, "region": None, "admin2": None, "at": at}
    try:
        migrate(engine, revision="0005")
        with engine.begin() as conn:
            conn.execute(insert, {"id": "k", "precision": "city", **town})
            conn.execute(insert, {"id": "r", "precision": "region", **town})
            conn.execute(insert, {**town, "id": "h", "precision": "city", "region": "Own", "admin2": "Own D"})
        migrate(engine)
        read = text("SELECT id, admin1, admin2 FROM events ORDER BY id")
        with engine.connect() as conn:
            rows = [tuple(r) for r in conn.execute(read)]
        assert rows == [
            ("h", "Own", "Own D"),
            ("k", "Donetsk", "Kramatorskyi Raion"),  # GeoNames names them so
            ("r", "Donetsk", None),
        ]
        with engine.begin() as conn:
            conn.execute(text("UPDATE events SET admin1 = NULL, admin2 = NULL"))
            assert refill_admin_areas(conn, batch=2) == 3  # two pages, the second of one event
            assert [tuple(r) for r in conn.execute(read)] == rows
    finally:
        engine.dispose()


def _kind(difference: object) -> tuple[str, str]:
    first = difference[0] if isinstance(difference, list) else difference
    assert isinstance(first, tuple)
    name = getattr(first[-1], "name", "")
    return str(first[0]), str(name)


def test_events_are_a_postgis_point_layer_that_follows_edits(pg_store: Store) -> None:
    geo = tiny_geocoder()
    events = [make_event(n) for n in range(5)]
    pg_store.import_events(events, who="ana", geocoder=geo)
    with pg_store.engine.connect() as conn:
        layer = conn.execute(
            text(
                "SELECT f_geometry_column, coord_dimension, srid, type FROM geometry_columns "
                "WHERE f_table_schema = 'public' AND f_table_name = 'events'"
            )
        ).all()
        assert [tuple(r) for r in layer] == [("geom", 2, 4326, "POINT")]
        points = conn.execute(
            text("SELECT id, ST_X(geom), ST_Y(geom), ST_SRID(geom) FROM events ORDER BY id")
        )
        assert [tuple(p) for p in points] == [(e.id, e.place.lon, e.place.lat, 4326) for e in events]
        indexes = conn.scalars(text("SELECT indexdef FROM pg_indexes WHERE tablename = 'events'"))
        assert any("USING gist (geom)" in i for i in indexes)
        # What QGIS shows of the layer: the catalogue's fields, one column each, with their values.
        for event in events:
            row = conn.execute(text("SELECT * FROM events WHERE id = :id"), {"id": event.id}).mappings().one()
            record = event_record(event, geo.locate_place(event.place), None)
            fields = [f for f in RECORD_FIELDS if f != "references"]  # a table of their own
            assert {f: row[f] for f in fields} == {f: record[f] for f in fields}, event.id
    moved = make_event(2, place={"name": "Erbil", "geo_precision": "city"})
    pg_store.save(moved, expected_version=1, who="bob", geocoder=geo)
    with pg_store.engine.connect() as conn:
        point = conn.execute(text("SELECT ST_X(geom), ST_Y(geom) FROM events WHERE id = 'ev-002'")).one()
        assert tuple(point) == (44.00943, 36.19117)  # Erbil in the gazetteer
        # A GIS asks for what lies in its window: the moved event is found where it went.
        window = "ST_MakeEnvelope(43.9, 36.1, 44.1, 36.3, 4326)"
        assert list(conn.scalars(text(f"SELECT id FROM events WHERE geom && {window}"))) == ["ev-002"]


def test_the_migration_adds_postgis_to_a_database_without_it(pg_cluster: Cluster) -> None:
    with pg_cluster.database(template="template0") as url, Store.open(url) as store:
        store.import_events([make_event(1)], who="ana", geocoder=tiny_geocoder())
        with store.engine.connect() as conn:
            assert conn.scalar(text("SELECT ST_AsText(geom) FROM events")) == "POINT(44.001009 33.001003)"


def test_missing_postgresql_says_how_to_install_it(tmp_path: Path) -> None:
    with pytest.raises(MissingPostgres) as caught:
        check_installed(tmp_path / "bin", tmp_path / "extension")
    message = str(caught.value)
    assert INSTALL in message and "tests/run.sh" in message
    assert str(tmp_path / "bin" / "initdb") in message and "postgis.control" in message
