"""Benchmarks: scripts that print tables (``python -m benchmarks NAME``), never timed tests."""
