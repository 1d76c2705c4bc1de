"""Read and write files safely: reads capped by the bytes actually read, writes that never leave
a half-written file, never write through a planted link and never lose the previous version.

Every file the library writes goes through :func:`replacing` (or :func:`atomic_write` on top of
it). The new content is written into a private directory made with an unpredictable name
inside the target's own directory, flushed to disk with the target's permissions, and only then
renamed over the target; the directory entry is flushed after the rename. A symlinked target is
followed: the real file is replaced and the link kept. A read-only target is refused. The
previous version, when asked for, becomes ``NAME.bak`` by a hard link (no copy, so a full disk
cannot truncate it) renamed into place, so a symlink planted at ``NAME.bak`` is replaced, never
written through.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from geodata.errors import FileError


def read_capped(
    path: str | os.PathLike[str],
    *,
    limit: int,
    what: str = "file",
    advice: str = "split it, or use a format made for large data (GeoParquet)",
) -> bytes:
    """The bytes of ``path``, refused beyond ``limit`` bytes actually read (the refusal ends
    with ``advice``).

    The size a file claims (``stat``) is not trusted: ``/dev/zero`` claims none and never ends.
    Pipes and sockets are refused, as reading them could wait for ever.
    """
    label = os.fspath(path)
    try:
        if stat.S_ISFIFO(os.stat(label).st_mode) or stat.S_ISSOCK(os.stat(label).st_mode):
            raise FileError(f"{label}: not a regular file (a pipe or socket); save it to a file first")
        with open(label, "rb") as handle:
            data = handle.read(limit + 1)
    except FileError:
        raise
    except IsADirectoryError as err:
        raise FileError(f"{label}: is a directory, not a {what}") from err
    except OSError as err:
        raise FileError(f"{label}: cannot read the {what}: {err.strerror or err}") from err
    if len(data) > limit:
        raise FileError(f"{label}: the {what} is larger than the {_size(limit)} limit; {advice}")
    return data


def _size(count: int) -> str:
    return f"{count / 1e6:,.0f} MB" if count >= 1e6 else f"{count:,} bytes"


def real_target(path: str | os.PathLike[str]) -> tuple[Path, int | None]:
    """The file a write to ``path`` replaces (symlinks followed) and its permission bits, or
    ``None`` when it does not exist yet; refuse what cannot or should not be replaced."""
    given = Path(path)
    real = Path(os.path.realpath(given))
    try:
        info = os.stat(real)
    except FileNotFoundError:
        if not real.parent.is_dir():
            raise FileError(f"{given}: the directory {str(real.parent)!r} does not exist") from None
        return real, None
    except OSError as err:
        raise FileError(f"{given}: cannot write here: {err.strerror or err}") from err
    if not stat.S_ISREG(info.st_mode):
        raise FileError(f"{given}: not a regular file; give the path of a file to write")
    mode = stat.S_IMODE(info.st_mode)
    # Root may write anything, so the permission bits are read, not os.access alone.
    if not mode & 0o222 or not os.access(real, os.W_OK):
        raise FileError(
            f"{given}: the file is read-only (mode {mode:04o}); make it writable "
            f"(chmod u+w {str(given)!r}) or write elsewhere"
        )
    return real, mode


@contextlib.contextmanager
def replacing(path: str | os.PathLike[str], *, backup: bool = False) -> Iterator[Path]:
    """Yield a fresh path to write the new content of ``path`` to; on leaving, that content
    replaces ``path`` atomically (and the previous file becomes ``NAME.bak`` with ``backup``).

    If the block raises, nothing is replaced and the temporary file is removed.
    """
    real, mode = real_target(path)
    try:
        workdir = Path(tempfile.mkdtemp(prefix=f".{real.name}.", suffix=".tmp", dir=real.parent))
    except OSError as err:
        raise FileError(f"{path}: cannot write in {str(real.parent)!r}: {err.strerror or err}") from err
    staged = workdir / real.name
    try:
        yield staged
        if not staged.is_file():
            raise FileError(f"{path}: nothing was written")
        _settle(staged, _new_file_mode() if mode is None else mode)
        if backup and mode is not None:
            _backup(real)
        os.replace(staged, real)
        _fsync_directory(real.parent)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def atomic_write(
    path: str | os.PathLike[str],
    content: bytes | str | Callable[[BinaryIO], object],
    *,
    backup: bool = False,
) -> Path:
    """Write ``content`` (bytes, text as UTF-8, or a function writing to a binary handle) to
    ``path`` as :func:`replacing` does; return the path of the file written."""
    with replacing(path, backup=backup) as staged, open(staged, "xb") as handle:
        if isinstance(content, str):
            handle.write(content.encode("utf-8"))
        elif isinstance(content, bytes):
            handle.write(content)
        else:
            content(handle)
    return Path(os.path.realpath(path))


def _settle(staged: Path, mode: int) -> None:
    """Give the new file its final permissions and flush it to disk."""
    fd = os.open(staged, os.O_RDONLY)
    try:
        os.fchmod(fd, mode)
        os.fsync(fd)
    finally:
        os.close(fd)


def _backup(real: Path) -> None:
    """Keep the current file as ``NAME.bak``: a hard link under an unpredictable name, renamed
    over the old backup (a copy where the file system has no hard links)."""
    bak = real.with_name(real.name + ".bak")
    link = real.with_name(f".{real.name}.{secrets.token_hex(8)}.bak.tmp")
    try:
        os.link(real, link)
    except OSError:
        fd, name = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".bak.tmp", dir=real.parent)
        link = Path(name)
        try:
            with open(real, "rb") as source, os.fdopen(fd, "wb") as copy:
                shutil.copyfileobj(source, copy)
                copy.flush()
                os.fsync(copy.fileno())
            shutil.copymode(real, link)
        except BaseException:
            link.unlink(missing_ok=True)
            raise
    try:
        os.replace(link, bak)
    except BaseException:
        link.unlink(missing_ok=True)
        raise


def _fsync_directory(directory: Path) -> None:
    """Flush a directory entry (the rename) to disk, where the platform allows it."""
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot fsync a directory; the rename itself stands
    finally:
        os.close(fd)


def _new_file_mode() -> int:
    """The mode a new file gets under this process's umask (0o666 less the umask)."""
    umask = None
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                umask = int(line.split()[1], 8)
    if umask is None:  # no /proc: read it by setting it (briefly process-wide)
        umask = os.umask(0o022)
        os.umask(umask)
    return 0o666 & ~umask
