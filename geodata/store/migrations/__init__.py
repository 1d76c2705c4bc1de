"""Alembic migrations of the store's schema (run by ``geodata.store.engine.migrate``)."""
