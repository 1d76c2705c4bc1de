"""Processes writing to one store at once, and processes killed in the middle of a write, on
SQLite and on PostgreSQL (the issue's acceptance tests). The other processes run
``tests/store_child.py``; they start together when a file appears, and stop inside an open
transaction (after a given statement) when the test wants to kill them there."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import REPO
from storekit import make_event, new_draft, snapshot, tiny_geocoder, write_catalogue

from geodata.store import Store, review
from geodata.store.engine import sqlite_path

CHILD = Path(__file__).with_name("store_child.py")
#: Seconds to wait for a child to reach a point; far beyond what it takes (about a second).
PATIENCE = 120.0


def start(url: str, *args: str | Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(CHILD), url, *map(str, args)],
        cwd=REPO,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(path: Path, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + PATIENCE
    while not path.exists():
        if proc.poll() is not None:
            pytest.fail(f"the child ended ({proc.returncode}) before {path.name}: {proc.communicate()}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"the child never reached {path.name}")
        time.sleep(0.01)


def finish(proc: subprocess.Popen[str]) -> str:
    out, err = proc.communicate(timeout=PATIENCE)
    assert proc.returncode == 0, err
    return out.strip()


def kill(proc: subprocess.Popen[str]) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=PATIENCE)
    assert proc.returncode == -signal.SIGKILL


def impatient(url: str) -> str:
    """``url`` whose writes give up after 20 s waiting for a lock (SQLite's busy timeout is
    60 s): a lock a killed process left behind fails the test instead of hanging it."""
    return url + "?options=" + quote("-c lock_timeout=20s") if url.startswith("postgresql") else url


def start_together(url: str, tmp_path: Path, action: str, arg: str | Path, *, pause_after: str) -> Children:
    """Two children ("a", "b") doing ``action`` at once: both open the store, then start when
    the test says; each stops after its first ``pause_after`` statement, inside its transaction,
    until the test releases them."""
    children = Children(tmp_path)
    for name in ("a", "b"):
        children.procs[name] = start(
            url,
            *(action, name if action == "import" else arg, "--ready", tmp_path / f"ready-{name}"),
            *("--go", children.go, "--pause-after", pause_after),
            *("--inside", children.inside(name), "--release", children.release),
        )
    for name, proc in children.procs.items():
        wait_for(tmp_path / f"ready-{name}", proc)
    children.go.touch()
    return children


class Children:
    """Two children started together, and the files they signal with."""

    def __init__(self, tmp_path: Path) -> None:
        self.root = tmp_path
        self.go, self.release = tmp_path / "go", tmp_path / "release"
        self.procs: dict[str, subprocess.Popen[str]] = {}

    def inside(self, name: str) -> Path:
        return self.root / f"inside-{name}"

    def first_inside(self) -> str:
        """The child that got into its transaction first (waits for one)."""
        deadline = time.monotonic() + PATIENCE
        while time.monotonic() < deadline:
            for name, proc in self.procs.items():
                if self.inside(name).exists():
                    return name
                if proc.poll() is not None:
                    pytest.fail(f"child {name} ended ({proc.returncode}): {proc.communicate()}")
            time.sleep(0.01)
        pytest.fail("no child got into its transaction")

    def finish(self) -> dict[str, str]:
        self.release.touch()
        return {name: finish(proc) for name, proc in self.procs.items()}

    def __enter__(self) -> Children:
        return self

    def __exit__(self, *exc: object) -> None:
        for proc in self.procs.values():  # a failed test leaves no child waiting
            if proc.poll() is None:
                kill(proc)


def wait_for_a_lock_wait(url: str) -> None:
    """Wait until a session of this PostgreSQL database waits for a lock another holds."""
    import psycopg

    deadline = time.monotonic() + PATIENCE
    with psycopg.connect(url, autocommit=True) as conn:
        while time.monotonic() < deadline:
            found = conn.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            ).fetchone()
            if found and found[0]:
                return
            time.sleep(0.01)
    pytest.fail("no session came to wait for the lock")


def test_two_processes_importing_at_once_both_land(store_url: str, tmp_path: Path) -> None:
    """Both transactions are open at the same moment: on PostgreSQL both have inserted events
    before either commits; on SQLite the second waits for the first's lock (and does not fail)."""
    with Store.open(store_url) as store:
        store.import_events(
            [make_event(n, prefix="base") for n in range(3)], who="ana", geocoder=tiny_geocoder()
        )
    with start_together(store_url, tmp_path, "import", "", pause_after="INSERT INTO events") as children:
        first = children.first_inside()
        second = next(name for name in children.procs if name != first)
        if store_url.startswith("postgresql"):
            wait_for(children.inside(second), children.procs[second])
        else:  # the first holds SQLite's write lock: the other cannot be inside
            assert not children.inside(second).exists()
        assert children.finish() == {"a": "20", "b": "20"}
    with Store.open(store_url) as store:
        ids = [e.id for e in store.events()]
        assert len(ids) == 43
        assert ids == sorted(
            [f"{p}-{n:03d}" for p in ("a", "b") for n in range(20)] + ["base-000", "base-001", "base-002"]
        )
        assert [c.who for c in store.history("b-019")] == ["child b"]


def test_a_process_killed_inside_an_import_leaves_the_store_as_it_was(store_url: str, tmp_path: Path) -> None:
    geo = tiny_geocoder()
    with Store.open(store_url) as store:
        store.import_events([make_event(n, prefix="base") for n in range(3)], who="ana", geocoder=geo)
        before = snapshot(store)
    inside = tmp_path / "inside"
    # 50 events, 10 per INSERT: killed after the first batch went to the database.
    proc = start(
        store_url,
        *("import", "killed", "--count", "50", "--batch", "10"),
        *("--pause-after", "INSERT INTO events", "--inside", inside),  # and stays there
    )
    wait_for(inside, proc)
    kill(proc)
    path = sqlite_path(store_url)
    assert path is None or Path(f"{path}-wal").exists()  # SQLite recovers its log on the next open
    with Store.open(impatient(store_url)) as store:
        assert snapshot(store) == before
        events = [make_event(n, prefix="killed") for n in range(50)]
        assert store.import_events(events, who="ana", geocoder=geo) == 50  # no lock left behind
        assert store.count() == 53


@pytest.mark.parametrize(
    ("action", "stop_after"), [("accept", "INSERT INTO events"), ("merge", "UPDATE events")]
)
def test_a_process_killed_inside_a_review_action_leaves_the_store_as_it_was(
    store_url: str, tmp_path: Path, action: str, stop_after: str
) -> None:
    geo = tiny_geocoder()
    with Store.open(store_url) as store:
        store.import_events([make_event(0)], who="ana", geocoder=geo)
        (draft_id,) = review.add_drafts(store, [new_draft(1)], who="extractor")
        before = snapshot(store)
    inside = tmp_path / "inside"
    proc = start(
        store_url,
        action,
        str(draft_id),
        "--target",
        "ev-000",
        "--pause-after",
        stop_after,
        "--inside",
        inside,
    )
    wait_for(inside, proc)
    kill(proc)
    with Store.open(impatient(store_url)) as store:
        assert snapshot(store) == before
        assert review.draft(store, draft_id).status == "pending"
        if action == "accept":
            assert review.accept(store, draft_id, who="ana", geocoder=geo) == "draft-001"
        else:
            review.merge(store, draft_id, "ev-000", who="ana", geocoder=geo)
        assert review.draft(store, draft_id).reviewer == "ana"


def test_two_processes_opening_a_new_store_at_once_seed_it_once(store_url: str, tmp_path: Path) -> None:
    """The first to seed stops inside its transaction; on PostgreSQL it goes on only once the
    other waits for a lock (without one, the other finds the store empty meanwhile)."""
    catalogue = write_catalogue(tmp_path / "events.yaml", [make_event(n) for n in range(20)])
    with start_together(store_url, tmp_path, "seed", catalogue, pause_after="INSERT INTO events") as children:
        first = children.first_inside()
        if store_url.startswith("postgresql"):
            wait_for_a_lock_wait(store_url)
        assert children.finish() == {"a": "20", "b": "20"}
        assert not children.inside(next(n for n in children.procs if n != first)).exists()
    with Store.open(store_url) as store:
        assert store.events() == [make_event(n) for n in range(20)]
        assert all([c.action for c in store.history(f"ev-{n:03d}")] == ["seed"] for n in range(20))
