"""Geoparsing and ingestion on a real Dask cluster (``dask scheduler`` and two ``dask worker``
processes, tests/daskcluster.py): the same output as one process, and a worker killed during a
run loses no article."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from daskcluster import Cluster, dask_cluster

from geodata import cli
from geodata.geocoding import default_geocoder
from geodata.merge import proposer
from geodata.parallel import ingest as parallel
from geodata.parallel.cluster import connect
from geodata.parallel.ingest import ingest_partitioned
from geodata.store import Store, review

PLACES = ("Erbil", "Baghdad", "Mosul", "Kirkuk", "Basra", "Camp Taji", "Ain al-Asad Air Base", "Sulaymaniyah")


def articles(count: int) -> list[dict[str, str]]:
    """Short wire reports, each of another place and day."""
    out = []
    for n in range(count):
        place = PLACES[n % len(PLACES)]
        day = 1 + n % 27
        text = f"Rockets struck {place} on March {day}, 2020, wounding {n + 2} people, officials said."
        out.append(
            {"title": f"Report {n}", "publisher": f"Desk {n}", "published": "2020-03-29", "text": text}
        )
    return out


def write_jsonl(path: Path, docs: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), "utf-8")
    return path


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    with dask_cluster(tmp_path / "dask") as running:
        yield running


def geoparse(*argv: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(["geoparse", *argv], out=out, err=err) == 0, err.getvalue()
    return out.getvalue()


def test_geoparse_on_a_cluster_writes_what_one_process_writes(cluster: Cluster, tmp_path: Path) -> None:
    corpus = write_jsonl(tmp_path / "corpus.jsonl", articles(13))
    geoparse(str(corpus), "-o", str(tmp_path / "one.jsonl"))
    said = geoparse(
        str(corpus), "-o", str(tmp_path / "many.jsonl"), "--scheduler", str(cluster.scheduler_file),
        "--partition-size", "3", "--work-dir", str(tmp_path / "runs"),
    )  # fmt: skip
    assert said.strip() == f"wrote 13 documents to {tmp_path / 'many.jsonl'}"
    one = (tmp_path / "one.jsonl").read_text("utf-8")
    assert (tmp_path / "many.jsonl").read_text("utf-8") == one
    assert [json.loads(line)["toponyms"][0]["name"] for line in one.splitlines()][:2] == ["Erbil", "Baghdad"]
    assert not list((tmp_path / "runs").iterdir())  # the parts are removed once joined


def test_a_worker_killed_during_ingestion_loses_no_article(
    cluster: Cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = write_jsonl(tmp_path / "in.jsonl", articles(12))
    real = parallel._Loader.load
    loads: list[str] = []

    def kill_after_the_first(self: Any, partition: Any, read: Any, drafted: Any) -> None:
        real(self, partition, read, drafted)
        loads.append(partition.name)
        if len(loads) == 1:  # 2 partitions in flight per worker: the killed one holds work
            cluster.kill_worker(0)

    monkeypatch.setattr(parallel._Loader, "load", kill_after_the_first)
    with (
        Store.open(f"sqlite:///{tmp_path / 'store.db'}") as store,
        connect(scheduler=str(cluster.scheduler_file)) as client,
    ):
        summary, _ = ingest_partitioned(
            store, [corpus], who="ana", client=client, propose=proposer(default_geocoder()), size=2,
            work_dir=tmp_path / "runs",
        )  # fmt: skip
        assert len(client.scheduler_info()["workers"]) == 1  # the killed worker is gone
        titles = sorted({d.event.source.title for d in review.drafts(store)}, key=lambda t: int(t.split()[1]))
    assert (summary.read, summary.new, summary.problem_count) == (12, 12, 0)
    assert titles == [f"Report {n}" for n in range(12)] and len(loads) == 6


def _trim_threshold() -> str | None:
    import os

    return os.environ.get("MALLOC_TRIM_THRESHOLD_")


def test_local_workers_keep_glibcs_own_trim_threshold() -> None:
    """Dask's nanny sets MALLOC_TRIM_THRESHOLD_ to 64 KiB; a LocalCluster of geodata's starts its
    workers without it (a fifth slower with it), and Dask's setting is left as it was."""
    import dask
    import distributed  # noqa: F401  (its settings are Dask's once it is imported)

    before = dask.config.get("distributed.nanny.pre-spawn-environ")
    with connect(workers=1) as client:
        assert list(client.run(_trim_threshold).values()) == [None]
    assert dask.config.get("distributed.nanny.pre-spawn-environ") == before
    assert before.get("MALLOC_TRIM_THRESHOLD_") is not None  # the test would pass anyway without it
