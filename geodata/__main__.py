"""Entry point for ``python -m geodata`` (the same as the ``geodata`` command)."""

from geodata.cli import run

run()
