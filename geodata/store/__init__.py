"""The working catalogue in a database (SQLite by default, PostgreSQL with PostGIS for teams):
events, articles, drafts under review and a change log, behind one interface.

- ``schema``: the tables (SQLAlchemy models); ``migrations``: Alembic, the only way they change;
- ``engine``: connections (SQLite in WAL mode, writers queue with ``BEGIN IMMEDIATE``);
- ``store``: :class:`Store`, events with versions, the change log and undo, the map's frame;
- ``review``: articles, drafts and the reviewers' actions on them; ``queued``: drafts as the
  queue takes them in and gives them out; ``links``: pending drafts that report one event;
- ``rows``: events and drafts as rows and back;
- ``seed``: the default store beside a catalogue, filled from it on first start.
"""

from geodata.store.seed import default_store_url, open_store
from geodata.store.store import Store

__all__ = ["Store", "default_store_url", "open_store"]
