"""A corpus cut into partitions: runs of lines found by counting newlines, each read back with
its own line numbers, named by what it covers."""

from __future__ import annotations

import itertools
import json
import os
from pathlib import Path

import pytest

from geodata.parallel import partitions
from geodata.parallel.partitions import file_partitions, line_partitions, partition_lines


def corpus(path: Path, count: int, *, last_newline: bool = True) -> Path:
    lines = [json.dumps({"id": f"d{n}", "text": f"Document {n}."}) for n in range(1, count + 1)]
    path.write_text("\n".join(lines) + ("\n" if last_newline else ""), "utf-8")
    return path


@pytest.mark.parametrize("last_newline", [True, False])
def test_runs_of_lines_cover_the_file_once_with_their_line_numbers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, last_newline: bool
) -> None:
    monkeypatch.setattr(partitions, "_BLOCK", 7)  # newlines found across many small blocks
    path = corpus(tmp_path / "c.jsonl", 23, last_newline=last_newline)
    parts = line_partitions(path, size=5)
    assert [p.first_line for p in parts] == [1, 6, 11, 16, 21]
    assert parts[0].start == 0 and parts[-1].end == path.stat().st_size
    assert all(a.end == b.start for a, b in itertools.pairwise(parts))
    read = [(number, doc["id"]) for p in parts for number, doc in partition_lines(p)]  # type: ignore[index]
    assert read == [(n, f"d{n}") for n in range(1, 24)]


def test_a_bad_line_is_named_by_its_number_in_the_file(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text('{"text": "a"}\n{"text": "b"}\nnot json\n{"text": "d"}\n', "utf-8")
    second = line_partitions(path, size=2)[1]
    assert [(n, isinstance(doc, str)) for n, doc in partition_lines(second)] == [(3, True), (4, False)]


def test_a_partition_is_named_by_what_it_covers(tmp_path: Path) -> None:
    path = corpus(tmp_path / "c.jsonl", 4)
    first = line_partitions(path, size=2)
    assert [p.name for p in first] == [p.name for p in line_partitions(path, size=2)]  # the same run
    assert first[0].name != first[1].name
    os.utime(path, ns=(1, 1))  # the file changed: its partitions are new ones
    assert first[0].name != line_partitions(path, size=2)[0].name
    files = file_partitions([tmp_path / f"{n}.md" for n in range(5)], size=2)
    assert [len(p.files) for p in files] == [2, 2, 1]


def test_an_empty_file_has_no_partition_and_a_size_below_one_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "e.jsonl"
    empty.write_bytes(b"")
    assert line_partitions(empty) == []
    with pytest.raises(ValueError, match="at least one line"):
        line_partitions(empty, size=0)
