"""Safe reads and writes: capped reads, atomic replacement, kept modes, links, backups."""

from __future__ import annotations

import errno
import os
import stat
import time
from pathlib import Path
from typing import BinaryIO

import pytest

from geodata.errors import FileError
from geodata.io.safefile import atomic_write, read_capped, replacing


def listing(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def test_read_capped_counts_bytes_read_not_the_size_claimed() -> None:
    started = time.perf_counter()
    with pytest.raises(FileError, match="larger than the 1,000 bytes limit"):
        read_capped("/dev/zero", limit=1000)  # stat says 0 bytes; it never ends
    assert time.perf_counter() - started < 5


def test_read_capped_reads_up_to_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"x" * 1000)
    assert read_capped(path, limit=1000) == b"x" * 1000
    with pytest.raises(FileError, match=r"f: the file is larger"):
        read_capped(path, limit=999)


def test_read_capped_refuses_pipes_and_directories(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(FileError, match="pipe"):
        read_capped(fifo, limit=10)  # would wait for a writer for ever
    with pytest.raises(FileError, match="directory"):
        read_capped(tmp_path, limit=10)
    with pytest.raises(FileError, match="cannot read"):
        read_capped(tmp_path / "missing", limit=10)


def test_new_file_gets_the_umask_mode(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        written = atomic_write(tmp_path / "new.txt", "hello")
    finally:
        os.umask(old)
    assert written.read_text() == "hello"
    assert stat.S_IMODE(written.stat().st_mode) == 0o640
    assert listing(tmp_path) == ["new.txt"]


def test_replacing_keeps_the_mode(tmp_path: Path) -> None:
    target = tmp_path / "cat.yaml"
    target.write_text("old")
    target.chmod(0o644)
    atomic_write(target, b"new")
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    target.chmod(0o660)
    atomic_write(target, b"newer")
    assert stat.S_IMODE(target.stat().st_mode) == 0o660


def test_read_only_target_is_refused_and_kept(tmp_path: Path) -> None:
    target = tmp_path / "cat.yaml"
    target.write_text("precious")
    target.chmod(0o444)
    with pytest.raises(FileError, match=r"read-only \(mode 0444\)"):
        atomic_write(target, "overwritten")
    assert target.read_text() == "precious"
    assert listing(tmp_path) == ["cat.yaml"]


def test_symlinked_target_is_followed_and_the_link_kept(tmp_path: Path) -> None:
    real = tmp_path / "shared" / "catalogue.yaml"
    real.parent.mkdir()
    real.write_text("v1")
    link = tmp_path / "events.yaml"
    link.symlink_to(real)
    atomic_write(link, "v2", backup=True)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text() == "v2"
    assert (real.parent / "catalogue.yaml.bak").read_text() == "v1"
    assert not (tmp_path / "events.yaml.bak").exists()


def test_backup_is_a_link_to_the_previous_file_and_replaces_a_planted_symlink(tmp_path: Path) -> None:
    target = tmp_path / "cat.yaml"
    target.write_text("v1")
    inode = target.stat().st_ino
    victim = tmp_path / "victim.txt"
    victim.write_text("not yours")
    bak = tmp_path / "cat.yaml.bak"
    bak.symlink_to(victim)
    atomic_write(target, "v2", backup=True)
    assert victim.read_text() == "not yours"  # never written through
    assert not bak.is_symlink() and bak.read_text() == "v1"
    assert bak.stat().st_ino == inode  # a hard link: no copy that a full disk could truncate
    assert target.read_text() == "v2"


def test_a_failing_write_leaves_target_and_backup_whole(tmp_path: Path) -> None:
    target = tmp_path / "cat.yaml"
    target.write_text("v1")
    atomic_write(target, "v2", backup=True)
    before = listing(tmp_path)

    def disk_full(handle: BinaryIO) -> None:
        handle.write(b"partial")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        atomic_write(target, disk_full, backup=True)
    assert target.read_text() == "v2"
    assert (tmp_path / "cat.yaml.bak").read_text() == "v1"
    assert listing(tmp_path) == before  # no temporary file left behind


def test_the_temporary_file_is_not_at_a_predictable_name(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    victim = tmp_path / "victim.txt"
    victim.write_text("not yours")
    for name in (".out.jsonl.tmp", "out.jsonl.tmp", ".out.jsonl.swp"):
        (tmp_path / name).symlink_to(victim)
    with replacing(target) as staged:
        assert staged.parent != tmp_path and staged.parent.parent == tmp_path
        assert stat.S_IMODE(staged.parent.stat().st_mode) == 0o700
        staged.write_text("result")
    assert target.read_text() == "result" and victim.read_text() == "not yours"


def test_nothing_written_is_an_error_not_an_empty_file(tmp_path: Path) -> None:
    target = tmp_path / "out.gpkg"
    with pytest.raises(FileError, match="nothing was written"), replacing(target):
        pass
    assert listing(tmp_path) == []


def test_writing_over_a_directory_or_into_a_missing_one_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileError, match="not a regular file"):
        atomic_write(tmp_path, "x")
    with pytest.raises(FileError, match="does not exist"):
        atomic_write(tmp_path / "nope" / "x.txt", "x")
