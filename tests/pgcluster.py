"""A throwaway PostgreSQL cluster for the store tests, and the ``store_url`` fixture that runs the
same test on SQLite and on PostgreSQL.

The cluster lives in a temporary directory: ``initdb`` with trust authentication, then ``pg_ctl``
starts it listening on 127.0.0.1 (a free port) with its socket in that directory. ``initdb``
refuses to run as root, so as root it runs as the ``postgres`` user the Debian package creates
(or ``nobody``). Each test gets a database of its own, copied from a template that already has
PostGIS and an ICU collation like a real server's. The cluster is stopped and its directory
removed at the end of the session, also when tests fail.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from dashboard.serve import free_port

VERSION = "15"
BINDIR = Path(f"/usr/lib/postgresql/{VERSION}/bin")
EXTENSIONS = Path(f"/usr/share/postgresql/{VERSION}/extension")
INSTALL = "run `bash tests/run.sh` as root once (it installs postgresql and postgresql-15-postgis-3)"
TEMPLATE = "geodata_template"
#: The server's settings: local only, and no syncing to disk (the cluster is thrown away; a
#: killed client, which is what the tests kill, is unaffected).
SERVER_OPTIONS = (
    "-c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
)


class MissingPostgres(RuntimeError):
    """The PostgreSQL server or PostGIS is not installed."""


def check_installed(bindir: Path = BINDIR, extensions: Path = EXTENSIONS) -> None:
    """Raise :class:`MissingPostgres` saying what to install if the server or PostGIS is missing."""
    missing = [
        str(bindir / tool) for tool in ("initdb", "pg_ctl", "postgres") if not (bindir / tool).exists()
    ]
    if not (extensions / "postgis.control").exists():
        missing.append(str(extensions / "postgis.control"))
    if missing:
        raise MissingPostgres(
            f"the PostgreSQL {VERSION} store tests need {', '.join(missing)}, which are missing; {INSTALL}"
        )


def _unprivileged() -> tuple[list[str], str | None]:
    """The prefix that runs a command as an unprivileged user, and that user (root only)."""
    if os.geteuid() != 0:
        return [], None
    for user in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(user)
            return ["runuser", "-u", user, "--"], user
    raise MissingPostgres(f"no unprivileged user to run PostgreSQL as (initdb refuses root); {INSTALL}")


@dataclass
class Cluster:
    """A running throwaway cluster: its directory, port and the superuser ``postgres``."""

    root: Path
    port: int
    prefix: list[str]
    _names: Iterator[int] = field(default_factory=itertools.count)

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def log(self) -> Path:
        return self.root / "server.log"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    @classmethod
    def start(cls, *, bindir: Path = BINDIR) -> Cluster:
        """initdb in a new temporary directory, then start the server on a free port."""
        check_installed(bindir)
        prefix, user = _unprivileged()
        root = Path(tempfile.mkdtemp(prefix="geodata-pg-"))
        cluster = cls(root, 0, prefix)
        try:
            if user is not None:
                entry = pwd.getpwnam(user)
                os.chown(root, entry.pw_uid, entry.pw_gid)
            cluster._run(
                bindir / "initdb",
                *("-D", str(cluster.data), "-U", "postgres", "--auth=trust"),
                *("--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"),
            )
            cluster._listen(bindir)
            cluster._make_template()
        except BaseException:
            cluster.stop(bindir=bindir)
            raise
        return cluster

    def _listen(self, bindir: Path) -> None:
        # A free port can be taken by someone else before the server binds it: try another.
        for attempt in range(3):
            self.port = free_port()
            options = f"{SERVER_OPTIONS} -p {self.port} -k {self.root}"
            try:
                self._run(
                    bindir / "pg_ctl",
                    *("-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "-o", options),
                    "start",
                )
                return
            except MissingPostgres:
                if attempt == 2:
                    raise

    def _run(self, program: Path, *args: str) -> None:
        with tempfile.TemporaryFile() as out:  # a file, not a pipe: the server inherits it
            proc = subprocess.run(
                [*self.prefix, str(program), *args], stdin=subprocess.DEVNULL, stdout=out, stderr=out
            )
            if proc.returncode != 0:
                out.seek(0)
                log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
                raise MissingPostgres(
                    f"{program.name} {' '.join(args)} failed ({proc.returncode}):\n"
                    f"{out.read().decode(errors='replace')}\n{log}"
                )

    def _make_template(self) -> None:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as admin:
            admin.execute(
                f"CREATE DATABASE {TEMPLATE} TEMPLATE template0 ENCODING 'UTF8' "
                "LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'"
            )
        with psycopg.connect(self.url(TEMPLATE), autocommit=True) as template:
            template.execute("CREATE EXTENSION postgis")

    @contextlib.contextmanager
    def database(self, *, template: str = TEMPLATE) -> Iterator[str]:
        """A new empty database (with PostGIS, from the template) for one test; its URL."""
        import psycopg

        name = f"test_{next(self._names)}"
        with psycopg.connect(self.url(), autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
        try:
            yield self.url(name)
        finally:
            with psycopg.connect(self.url(), autocommit=True) as admin:
                admin.execute(f"DROP DATABASE {name} WITH (FORCE)")

    def stop(self, *, bindir: Path = BINDIR) -> None:
        """Stop the server (if it runs) and remove its directory."""
        try:
            if (self.data / "postmaster.pid").exists():
                self._run(bindir / "pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """The session's PostgreSQL cluster; a test that needs it FAILS (never skips) if it is missing."""
    try:
        cluster = Cluster.start()
    except MissingPostgres as err:
        pytest.fail(str(err), pytrace=False)
    try:
        yield cluster
    finally:
        cluster.stop()


BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The address of a new, empty store: a SQLite file, or a PostgreSQL database of its own."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    cluster: Cluster = request.getfixturevalue("pg_cluster")
    with cluster.database() as url:
        yield url
