"""Ingestion by partitions (``geodata.parallel.ingest``), in this process: the same store as the
plain loop, a restarted run skipping what is done, and problems named by file and line. The
same function on a real Dask cluster: tests/test_cluster.py."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from geodata.geocoding import default_geocoder
from geodata.ingest import ingest
from geodata.merge import proposer
from geodata.parallel import ingest as parallel
from geodata.parallel.drafts import draft_articles as real_draft
from geodata.parallel.ingest import ingest_partitioned
from geodata.store import Store, review

REPORTS = [
    ("Wire", "Rockets struck Camp Taji on Wednesday, killing two soldiers."),
    ("Local", "Two soldiers were killed when rockets hit Camp Taji on Wednesday night, officials said."),
    ("Desk", "A Patriot battery was deployed to Ain al-Asad Air Base last week."),
    ("Radio", "Katyusha rockets hit Camp Taji on Wednesday, the Iraqi military said."),
    ("Daily", "Coalition troops handed Qayyarah Airfield West to Iraqi forces on Thursday."),
    ("Gulf", "The coalition withdrew from al-Qaim base on the Syrian border on Tuesday."),
    ("Post", "Another Patriot battery arrived at Ain al-Asad Air Base last week."),
]


def corpus(folder: Path) -> Path:
    """The reports as JSON Lines (with a bad line 4), and one as a Markdown file."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [
        json.dumps({"title": f"Report {n}", "publisher": who, "published": "2020-03-12", "text": text})
        for n, (who, text) in enumerate(REPORTS[:-1], start=1)
    ]
    lines.insert(3, "{not json")
    (folder / "wire.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    who, text = REPORTS[-1]
    (folder / "post.md").write_text(
        f"---\ntitle: Post\npublisher: {who}\npublished: 2020-03-12\n---\n{text}\n"
    )
    return folder


@pytest.fixture
def stores(tmp_path: Path) -> Iterator[tuple[Store, Store]]:
    with Store.open(f"sqlite:///{tmp_path / 'a.db'}") as a, Store.open(f"sqlite:///{tmp_path / 'b.db'}") as b:
        yield a, b


def links(store: Store) -> list[tuple[str, str, bool]]:
    return sorted(
        (d.event.source.publisher, d.event.title, d.duplicate_of is not None) for d in review.drafts(store)
    )


def test_partitions_queue_what_the_plain_loop_queues(stores: tuple[Store, Store], tmp_path: Path) -> None:
    plain, partitioned = stores
    folder = corpus(tmp_path / "in")
    expected = ingest(plain, [folder], who="ana", propose=proposer(default_geocoder()))
    summary, run = ingest_partitioned(
        partitioned, [folder], who="ana", client=None, propose=proposer(default_geocoder()), size=2,
        work_dir=tmp_path / "runs",
    )  # fmt: skip
    assert (summary.new, summary.drafts, summary.merges) == (expected.new, expected.drafts, expected.merges)
    assert summary.new == 7 and summary.merges >= 2
    assert links(partitioned) == links(plain)
    [problem] = summary.problems
    assert (problem.path, problem.line) == (str(folder / "wire.jsonl"), 4)
    assert (
        len(list(run.glob("*.done"))) == len(list(run.glob("*.drafts.parquet"))) == 5
    )  # 4 of 7 lines, 1 of a file


def test_a_restarted_run_skips_the_partitions_done_and_loads_the_drafted_ones(
    stores: tuple[Store, Store], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, _ = stores
    folder = corpus(tmp_path / "in")
    loaded: list[str] = []
    real = parallel._Loader.load

    def dies_on_the_second(self: Any, partition: Any, read: Any, drafted: Any) -> None:
        if loaded:  # killed once the second partition's drafts are written, before it is loaded
            raise KeyboardInterrupt
        loaded.append(partition.name)
        real(self, partition, read, drafted)

    monkeypatch.setattr(parallel._Loader, "load", dies_on_the_second)
    options: dict[str, Any] = {"who": "ana", "client": None, "size": 2, "work_dir": tmp_path / "runs"}
    options["propose"] = proposer(default_geocoder())
    with pytest.raises(KeyboardInterrupt):
        ingest_partitioned(store, [folder], **options)
    first = len(review.drafts(store))
    assert first > 0
    monkeypatch.setattr(parallel._Loader, "load", real)
    drafted: list[int] = []

    def counted(articles: Any) -> Any:
        drafted.append(len(articles))
        return real_draft(articles)

    monkeypatch.setattr(parallel, "draft_articles", counted)
    summary, _ = ingest_partitioned(store, [folder], **options)
    # post.md (the first partition) is not read again; lines 1-2, drafted before the stop, are
    # loaded from their file: 4 of the 6 other articles are drafted
    assert (summary.new, summary.skipped, sum(drafted)) == (6, 0, 4)
    again, _ = ingest_partitioned(store, [folder], **options)
    assert (again.read, again.new) == (0, 0)  # every partition done
    assert len({d.event.source.title for d in review.drafts(store)}) == 7
