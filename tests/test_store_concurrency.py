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


def test_two_processes_importing_at_once_both_land(store_url: str, tmp_path: Path) -> None:
    with Store.open(store_url) as store:
        store.import_events(
            [make_event(n, prefix="base") for n in range(3)], who="ana", geocoder=tiny_geocoder()
        )
    go = tmp_path / "go"
    children = {
        name: start(
            store_url,
            *("import", name, "--count", "20", "--ready", tmp_path / f"ready-{name}", "--go", go),
            # Each holds its transaction open a moment after its first INSERT, so the two overlap.
            *("--pause-after", "INSERT INTO events", "--inside", tmp_path / f"in-{name}", "--linger", "0.3"),
        )
        for name in ("a", "b")
    }
    for name, proc in children.items():
        wait_for(tmp_path / f"ready-{name}", proc)
    go.touch()
    assert {name: finish(proc) for name, proc in children.items()} == {"a": "20", "b": "20"}
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
        *("--pause-after", "INSERT INTO events", "--inside", inside),
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
    catalogue = write_catalogue(tmp_path / "events.yaml", [make_event(n) for n in range(20)])
    go = tmp_path / "go"
    children = {
        name: start(
            store_url,
            *("seed", catalogue, "--ready", tmp_path / f"ready-{name}", "--go", go),
            # The first to seed holds its transaction open a moment: the other looks meanwhile.
            *("--pause-after", "INSERT INTO events", "--inside", tmp_path / f"in-{name}", "--linger", "0.5"),
        )
        for name in ("a", "b")
    }
    for name, proc in children.items():
        wait_for(tmp_path / f"ready-{name}", proc)
    go.touch()
    assert [finish(proc) for proc in children.values()] == ["20", "20"]
    with Store.open(store_url) as store:
        assert store.events() == [make_event(n) for n in range(20)]
        assert all([c.action for c in store.history(f"ev-{n:03d}")] == ["seed"] for n in range(20))
