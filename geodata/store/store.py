"""The working catalogue in a database: one transaction per action, versions on every record, a
change log of who did what, and the map's frame read straight from the event columns.

Every write happens in :meth:`Store.writing` (one transaction: all of it or nothing). An edit
names the version it was made from; if the store holds a newer one, it is refused with a
:class:`~geodata.errors.ConflictError` that carries both.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, delete, func, insert, select
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from geodata.errors import CatalogError, ConflictError, Problem, StoreError
from geodata.model import Event
from geodata.store import changelog, rows
from geodata.store.engine import make_engine, migrate
from geodata.store.mapframe import read_frame
from geodata.store.schema import ChangeRow, EventRow, ReferenceRow

if TYPE_CHECKING:
    import geopandas as gpd

    from geodata.geocoding import OfflineGeocoder

#: Rows sent to the database per statement when importing.
BATCH = 2_000


class Store:
    """A catalogue store at a SQLAlchemy address (``sqlite:///PATH`` or ``postgresql://...``)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._writer = engine.execution_options(geodata_write=True)

    @classmethod
    def open(cls, url: str) -> Store:
        """Connect, and create or update the schema (Alembic migrations)."""
        engine = make_engine(url)
        migrate(engine)
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    # --- transactions ---------------------------------------------------------------------

    @contextlib.contextmanager
    def writing(self) -> Iterator[Session]:
        """One writing transaction: committed when the block ends, rolled back if it raises."""
        try:
            with Session(self._writer, expire_on_commit=False) as session, session.begin():
                yield session
                changelog.finish(session)
        except (IntegrityError, OperationalError) as err:
            raise StoreError(f"the store did not take the change: {_reason(err)}") from err

    @contextlib.contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only view (one snapshot on PostgreSQL; on SQLite, WAL readers never block)."""
        with Session(self.engine) as session, session.begin():
            yield session

    # --- events ---------------------------------------------------------------------------

    def import_events(
        self,
        events: Sequence[Event],
        *,
        who: str,
        geocoder: OfflineGeocoder,
        path: str | None = None,
        action: str = "import",
    ) -> int:
        """Add ``events`` in one transaction; if any is already in the store or cannot be placed,
        nothing is written and :class:`CatalogError` lists every problem."""
        with self.writing() as session:
            return self.import_in(session, events, who=who, geocoder=geocoder, path=path, action=action)

    def import_in(
        self,
        session: Session,
        events: Sequence[Event],
        *,
        who: str,
        geocoder: OfflineGeocoder,
        path: str | None = None,
        action: str = "import",
    ) -> int:
        """:meth:`import_events` within an open transaction."""
        now = rows.utc_now()
        values, problems = [], []
        for event in events:
            where = geocoder.locate_place(event.place)
            said = geocoder.locate_place(event.said_at) if event.said_at is not None else None
            if where is None:
                problems.append(
                    Problem(
                        f"place {event.place.query!r} has no lat/lon and is not in the offline gazetteer; "
                        "add lat, lon and coordinate_source",
                        event_id=event.id,
                        field="place.name",
                        path=path,
                    )
                )
                continue
            values.append(rows.event_values(event, where, said, who=who, now=now, areas=False))
        problems += _id_problems(self._existing(session, [e.id for e in events]), events, path)
        if problems:
            raise CatalogError(problems)
        rows.fill_admin_areas(values)
        for chunk in _chunks(values):
            session.execute(insert(EventRow), [{**v, "version": 1} for v in chunk])
        references = [r for e in events for r in rows.reference_values(e)]
        for chunk in _chunks(references):
            session.execute(insert(ReferenceRow), chunk)
        changelog.log(
            session, [{"who": who, "action": action, "event_id": v["id"], "after": v["data"]} for v in values]
        )
        return len(values)

    @staticmethod
    def _existing(session: Session, ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(ids), 500):
            found.update(
                session.scalars(select(EventRow.id).where(EventRow.id.in_(ids[start : start + 500])))
            )
        return found

    def get(self, event_id: str) -> rows.Stored | None:
        """The event with this id and its version, or ``None``."""
        with self.reading() as session:
            row = session.get(EventRow, event_id)
            return rows.stored(row) if row is not None else None

    def events(self) -> list[Event]:
        """Every event, in id order, exactly as it was imported or last edited."""
        with self.reading() as session:
            return [
                rows.event_of(data) for data in session.scalars(select(EventRow.data).order_by(EventRow.id))
            ]

    def count(self) -> int:
        with self.reading() as session:
            return int(session.scalar(select(func.count()).select_from(EventRow)) or 0)

    def save(
        self,
        event: Event,
        *,
        expected_version: int,
        who: str,
        geocoder: OfflineGeocoder,
        action: str = "edit",
        draft_id: int | None = None,
    ) -> int:
        """Replace the event with ``event.id`` by ``event``, if the store still holds
        ``expected_version``; return the new version. Refused with :class:`ConflictError`
        (both versions in it) when someone else changed it in between."""
        with self.writing() as session:
            return self.save_in(
                session,
                event,
                expected_version=expected_version,
                who=who,
                geocoder=geocoder,
                action=action,
                draft_id=draft_id,
            )

    def save_in(
        self,
        session: Session,
        event: Event,
        *,
        expected_version: int,
        who: str,
        geocoder: OfflineGeocoder,
        action: str,
        draft_id: int | None = None,
    ) -> int:
        row = session.get(EventRow, event.id)
        if row is None:
            raise StoreError(f"event {event.id!r} is not in the store (deleted since?)")
        if row.version != expected_version:
            raise _conflict(row, event, expected_version)
        where = geocoder.locate_place(event.place)
        if where is None:
            raise CatalogError(
                [
                    Problem(
                        f"place {event.place.query!r} is not in the offline gazetteer; "
                        "add lat, lon and coordinate_source",
                        event_id=event.id,
                        field="place.name",
                    )
                ]
            )
        said = geocoder.locate_place(event.said_at) if event.said_at is not None else None
        before = row.data
        for name, value in rows.event_values(event, where, said, who=who, now=rows.utc_now()).items():
            setattr(row, name, value)
        self._flush_versioned(session, event.id, proposed=event)
        session.execute(delete(ReferenceRow).where(ReferenceRow.event_id == event.id))
        if event.references:
            session.execute(insert(ReferenceRow), rows.reference_values(event))
        changelog.log_one(
            session,
            who=who,
            action=action,
            event_id=event.id,
            draft_id=draft_id,
            before=before,
            after=row.data,
        )
        return row.version

    def delete(self, event_id: str, *, expected_version: int, who: str, note: str | None = None) -> None:
        """Remove an event (kept in the change log, so an undo brings it back)."""
        with self.writing() as session:
            row = session.get(EventRow, event_id)
            if row is None:
                raise StoreError(f"event {event_id!r} is not in the store")
            if row.version != expected_version:
                raise _conflict(row, None, expected_version)
            changelog.log_one(
                session, who=who, action="delete", event_id=event_id, before=row.data, note=note
            )
            session.delete(row)
            self._flush_versioned(session, event_id, proposed=None)

    def _flush_versioned(self, session: Session, event_id: str, *, proposed: Event | None) -> None:
        """Send the pending UPDATE or DELETE, which names the version read (``WHERE version =
        N``): on PostgreSQL, another transaction that committed a newer one since makes it match
        nothing (SQLite's writers queue, so it cannot happen there)."""
        try:
            session.flush()
        except StaleDataError as err:
            raise ConflictError(
                f"event {event_id!r} was changed by someone else at the same moment; "
                "compare both versions and save again",
                current=self.get(event_id),
                proposed=proposed,
            ) from err

    # --- the change log -------------------------------------------------------------------

    def history(self, event_id: str) -> list[rows.Change]:
        """Every change to one event, oldest first."""
        with self.reading() as session:
            found = session.scalars(
                select(ChangeRow).where(ChangeRow.event_id == event_id).order_by(ChangeRow.id)
            )
            return [rows.change(c) for c in found]

    def generation(self) -> int:
        """A number that grows with every change: the map's cache is refreshed when it moves."""
        with self.reading() as session:
            return changelog.generation(session)

    def undo(self, change_id: int, *, who: str, geocoder: OfflineGeocoder) -> None:
        """Put an event back as it was before change ``change_id``, if nothing changed it since."""
        with self.writing() as session:
            entry = session.get(ChangeRow, change_id)
            if entry is None or entry.event_id is None:
                raise StoreError(f"there is no change {change_id} to an event")
            row = session.get(EventRow, entry.event_id)
            current = row.data if row is not None else None
            if current != entry.after:
                raise ConflictError(
                    f"event {entry.event_id!r} changed after change {change_id}; "
                    "undo the later changes first",
                    current=rows.stored(row) if row is not None else None,
                    proposed=entry.before,
                )
            if entry.before is None:  # it was created: remove it
                assert row is not None
                session.delete(row)
            elif row is None:  # it was deleted: bring it back
                self.insert_in(session, rows.event_of(entry.before), who=who, geocoder=geocoder)
            else:
                self.save_in(
                    session,
                    rows.event_of(entry.before),
                    expected_version=row.version,
                    who=who,
                    geocoder=geocoder,
                    action="undo",
                )
                return
            changelog.log_one(
                session,
                who=who,
                action="undo",
                event_id=entry.event_id,
                before=current,
                after=entry.before,
                note=f"undo of change {change_id}",
            )

    def insert_in(self, session: Session, event: Event, *, who: str, geocoder: OfflineGeocoder) -> None:
        """Add one event within an open transaction (its id must be free)."""
        where = geocoder.locate_place(event.place)
        if where is None:
            raise StoreError(f"event {event.id!r} can no longer be placed: {event.place.query!r}")
        said = geocoder.locate_place(event.said_at) if event.said_at is not None else None
        values = rows.event_values(event, where, said, who=who, now=rows.utc_now())
        session.execute(insert(EventRow), [{**values, "version": 1}])
        if event.references:
            session.execute(insert(ReferenceRow), rows.reference_values(event))

    # --- the map --------------------------------------------------------------------------

    def frame(self) -> gpd.GeoDataFrame:
        """Every event as the map's GeoDataFrame, read column by column (no event is parsed)."""
        with self.reading() as session:
            return read_frame(session)


def _id_problems(taken: set[str], events: Sequence[Event], path: str | None) -> list[Problem]:
    """An id already in the store, or given to more than one event of the import, is a problem."""
    seen = Counter(e.id for e in events)
    reasons = {i: "an event with this id is already in the store" for i in taken}
    reasons.update({i: "more than one event in the import has this id" for i, n in seen.items() if n > 1})
    return [
        Problem(f"{reasons[i]}; give it another id", event_id=i, field="id", path=path)
        for i in sorted(reasons)
    ]


def _conflict(row: EventRow, proposed: Event | None, expected: int) -> ConflictError:
    return ConflictError(
        f"event {row.id!r} is at version {row.version}, not {expected}: {row.updated_by} changed it "
        f"at {row.updated_at:%Y-%m-%d %H:%M} UTC; compare both versions and save again",
        current=rows.stored(row),
        proposed=proposed,
    )


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), BATCH):
        yield values[start : start + BATCH]


def _reason(err: SQLAlchemyError) -> str:
    return str(getattr(err, "orig", err)).splitlines()[0]
