"""Entry point for ``python -m geodata`` (the same as the ``geodata`` command)."""

from geodata.cli import run

if __name__ == "__main__":  # Dask's worker processes import this module again: no run there
    run()
