"""Benchmarks: scripts that print tables (``python -m geodata.bench NAME``), never timed tests."""
