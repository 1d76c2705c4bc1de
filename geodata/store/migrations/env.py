"""Alembic's entry point: run the migrations on the connection the store opened."""

from __future__ import annotations

from alembic import context

from geodata.store.schema import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through geodata.store.engine.migrate, which opens the connection")
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
