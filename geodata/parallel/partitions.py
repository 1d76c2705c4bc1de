"""A corpus cut into partitions for distributed work: JSON Lines files by runs of lines (found
by one pass that counts newlines), other files a few at a time. A partition's name is a digest
of what it covers, so a run restarted with the same arguments finds its finished partitions.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from geodata.errors import GeodataError
from geodata.extract.corpus import jsonl_stream

#: Articles (lines of JSON Lines, or files) per partition by default: a few seconds of work for
#: one worker, and few enough partitions that scheduling them costs nothing.
PARTITION_SIZE = 500
#: Documents per partition when geoparsing, which takes a tenth of drafting's time a document:
#: at 500, what this process does for each partition (read, send, write its part) kept a second
#: worker from giving more than 1.61x (python -m benchmarks distributed --work geoparse).
GEOPARSE_PARTITION_SIZE = 2_000
#: Bytes read at a time when counting lines.
_BLOCK = 1 << 20


@dataclass(frozen=True)
class Partition:
    """Lines ``first_line`` onwards of one JSON Lines file, bytes ``start`` to ``end``; or whole
    files (``files``)."""

    path: str = ""
    start: int = 0
    end: int = 0
    first_line: int = 1
    files: tuple[str, ...] = ()
    #: The files' sizes and times of change when the partitions were planned.
    stamp: str = ""

    @property
    def name(self) -> str:
        """A digest of what the partition covers (the files' paths, sizes and times of change)."""
        parts = [self.path, str(self.start), str(self.end), str(self.first_line), *self.files, self.stamp]
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:24]

    def describe(self) -> str:
        if self.path:
            return f"{self.path} from line {self.first_line:,}"
        return f"{len(self.files)} file(s) from {self.files[0]}" if self.files else "nothing"


def _identity(path: str) -> str:
    try:
        stat = os.stat(path)
    except OSError:
        return "missing"
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def line_partitions(path: Path, *, size: int = PARTITION_SIZE) -> list[Partition]:
    """The partitions of a JSON Lines file: every ``size`` lines (one pass, a block at a time)."""
    if size < 1:
        raise ValueError(f"a partition holds at least one line, not {size!r}")
    out: list[Partition] = []
    start, first, line, offset = 0, 1, 1, 0
    stamp = _identity(str(path))
    try:
        with path.open("rb") as handle:
            while block := handle.read(_BLOCK):
                at = 0
                while (newline := block.find(b"\n", at)) >= 0:
                    at = newline + 1
                    line += 1
                    if line - first == size:
                        out.append(Partition(str(path), start, offset + at, first, stamp=stamp))
                        start, first = offset + at, line
                offset += len(block)
    except OSError as err:
        raise GeodataError(f"cannot read {str(path)!r}: {err.strerror or err}") from err
    if offset > start:
        out.append(Partition(str(path), start, offset, first, stamp=stamp))
    return out


def file_partitions(files: Sequence[Path], *, size: int = PARTITION_SIZE) -> list[Partition]:
    """Files (not JSON Lines) ``size`` at a time, in the order given."""
    names = [str(f) for f in files]
    groups = [tuple(names[i : i + size]) for i in range(0, len(names), size)]
    return [Partition(files=group, stamp=" ".join(_identity(n) for n in group)) for group in groups]


class Slice:
    """Bytes ``start`` to ``end`` of an open file, read as a binary stream (``readline`` only)."""

    def __init__(self, handle: BinaryIO, start: int, end: int) -> None:
        self._handle, self._left = handle, end - start
        handle.seek(start)

    def readline(self, limit: int = -1) -> bytes:
        if self._left <= 0:
            return b""
        size = self._left if limit < 0 else min(limit, self._left)
        line = self._handle.readline(size)
        self._left -= len(line)
        return line


def partition_lines(partition: Partition) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """(line number, document or what is wrong with the line) of a JSON Lines partition."""
    try:
        handle = open(partition.path, "rb")  # noqa: SIM115 (closed by the with below)
    except OSError as err:
        raise GeodataError(f"cannot read {partition.path!r}: {err.strerror or err}") from err
    with handle:
        lines = Slice(handle, partition.start, partition.end)
        yield from jsonl_stream(lines, name=partition.path, first_line=partition.first_line)  # type: ignore[arg-type]
