"""Connect to a store (SQLite by default, PostgreSQL for teams) and bring its schema up to date.

SQLite runs in WAL mode with a busy timeout, foreign keys on, and every writing transaction
opened with ``BEGIN IMMEDIATE``: two processes writing at once queue for the lock instead of
failing half-way. The schema is made and changed only by Alembic migrations, run on open
inside one transaction (on PostgreSQL under an advisory lock, so two first starts do not race).
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from geodata.errors import StoreError

#: Seconds a writer waits for another's lock before giving up (SQLite).
BUSY_TIMEOUT_S = 60.0
_MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: The newest migration (a test checks it is Alembic's head): a store already there is opened
#: without loading Alembic, a third of a second of the dashboard's first start.
HEAD_REVISION = "0006"
#: Any numbers, the same in every process: keys of the locks taken on PostgreSQL.
_MIGRATION_LOCK = 0x6765_6F64  # "geod"
SEED_LOCK = 0x6765_6F65


def normalise_url(url: str) -> str:
    """``url`` with the driver geodata uses: ``postgresql://`` becomes ``postgresql+psycopg://``."""
    try:
        parsed = make_url(url)
    except ArgumentError as err:
        raise StoreError(
            f"{url!r} is not a store address; use sqlite:///PATH or postgresql://USER@HOST/DB"
        ) from err
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    elif parsed.drivername not in ("sqlite", "sqlite+pysqlite", "postgresql+psycopg"):
        raise StoreError(f"{url!r}: geodata stores events in SQLite or PostgreSQL, not {parsed.drivername!r}")
    return parsed.render_as_string(hide_password=False)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for the store at ``url`` (not yet migrated)."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S}, **kwargs)
        _sqlite_manners(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _sqlite_manners(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy, not the driver, says when to begin
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        _wal(cursor)
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")  # durable at each checkpoint; safe in WAL mode
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        # A reader never blocks a writer in WAL mode; a writer takes the lock when it begins,
        # so it cannot fail later when upgrading a read lock another writer holds.
        writing = connection.get_execution_options().get("geodata_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


def _wal(cursor: sqlite3.Cursor) -> None:
    """Put the database in WAL mode (it stays so). That needs the file to itself, and SQLite
    answers "locked" at once, not after the busy timeout, while another connection writes in the
    old mode (two first starts): try again until the timeout."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as err:
            if err.sqlite_errorcode != sqlite3.SQLITE_BUSY or time.monotonic() > deadline:
                raise
        _busy_pause()


def _busy_pause() -> None:
    time.sleep(0.01)


def one_at_a_time(connection: Connection, key: int) -> None:
    """Hold lock ``key`` until the transaction ends. On PostgreSQL two transactions can both find
    what neither has written yet; on SQLite a writing transaction already holds the only lock."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({int(key)})")


def schema_revision(engine: Engine) -> str | None:
    """The migration the store at ``engine`` is at (``None``: none, or no store yet)."""
    try:
        with engine.connect() as connection:
            found = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    except SQLAlchemyError:
        return None
    return found[0] if len(found) == 1 else None


def migrate(engine: Engine, *, revision: str = "head") -> None:
    """Bring the schema to the newest migration (or to ``revision``), in one transaction."""
    if revision == "head" and schema_revision(engine) == HEAD_REVISION:
        return
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    try:
        with engine.execution_options(geodata_write=True).begin() as connection:
            one_at_a_time(connection, _MIGRATION_LOCK)
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    except SQLAlchemyError as err:
        raise StoreError(f"cannot prepare the store {engine.url!r}: {err}") from err


def sqlite_path(url: str) -> Path | None:
    """The database file of a SQLite address (``None`` for other stores or in memory)."""
    parsed = make_url(normalise_url(url))
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return None
    return Path(os.path.expanduser(parsed.database))
