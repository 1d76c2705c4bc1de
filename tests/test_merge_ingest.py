"""Ingestion proposes merges (``geodata.merge.proposer``): the same attack reported by two
outlets in one batch, or in two runs, is one event with two sources; ``geodata ingest`` does it."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from storekit import tiny_geocoder

from geodata import cli
from geodata.extract.geoparse import Geoparser
from geodata.ingest import ingest
from geodata.ingest.drafting import Draft, article_drafting
from geodata.merge import proposer
from geodata.store import Store, review

WIRE = "Rockets struck Camp Taji on Wednesday, killing two soldiers."
LOCAL = "Two soldiers were killed when rockets hit Camp Taji on Wednesday night, officials said."
OTHER = "A Patriot battery was deployed to Ain al-Asad Air Base last week."


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as opened:
        yield opened


@pytest.fixture
def draft() -> Draft:
    return article_drafting(Geoparser(tiny_geocoder().gazetteer))


def md(title: str, text: str, publisher: str) -> str:
    return f"---\ntitle: {title}\npublisher: {publisher}\npublished: 2020-03-12\n---\n{text}\n"


def reports(folder: Path, *texts: tuple[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n, (publisher, text) in enumerate(texts, start=1):
        (folder / f"{n}.md").write_text(md(f"Report {n}", text, publisher), "utf-8")
    return folder


def attacks(store: Store) -> list[review.QueuedDraft]:
    return sorted((d for d in review.drafts(store) if d.event.type == "attack"), key=lambda d: d.id)


def test_one_batch_links_the_second_report_of_an_attack_to_the_first(
    store: Store, draft: Draft, tmp_path: Path
) -> None:
    folder = reports(tmp_path / "in", ("Wire", WIRE), ("Local", LOCAL), ("Other", OTHER))
    summary = ingest(store, [folder], who="ana", draft=draft, propose=proposer(tiny_geocoder()))
    first, second = attacks(store)
    assert second.duplicate_of == first.id and first.duplicate_of is None
    assert second.match is not None and second.match["candidate"]["evidence"]["distance_km"] == 0.0
    assert summary.merges == 1
    _, merged = review.accept_all(store, who="ana", geocoder=tiny_geocoder())
    assert merged == 1
    (taji,) = [e for e in store.events() if e.type == "attack"]
    assert [taji.source.publisher, *(r.publisher for r in taji.references)] == ["Wire", "Local"]


def test_a_later_run_proposes_the_report_into_the_accepted_event(
    store: Store, draft: Draft, tmp_path: Path
) -> None:
    propose = proposer(tiny_geocoder())
    ingest(store, [reports(tmp_path / "one", ("Wire", WIRE))], who="ana", draft=draft, propose=propose)
    review.accept_all(store, who="ana", geocoder=tiny_geocoder())
    (event,) = store.events()
    summary = ingest(
        store, [reports(tmp_path / "two", ("Local", LOCAL))], who="ana", draft=draft, propose=propose
    )
    (again,) = attacks(store)
    assert (again.merge_target, summary.merges) == (event.id, 1)


def test_the_command_line_proposes_merges(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = reports(tmp_path / "in", ("Wire", WIRE), ("Local", LOCAL))
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("GEODATA_STORE", url)
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(["ingest", str(folder), "--reviewer", "bea"], out=out, err=err) == 0
    assert "1 merge(s) proposed" in out.getvalue()
    with Store.open(url) as store:
        first, second = attacks(store)
        assert second.duplicate_of == first.id


def test_the_command_line_can_leave_merging_out_for_a_bulk_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = reports(tmp_path / "in", ("Wire", WIRE), ("Local", LOCAL))
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("GEODATA_STORE", url)
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(["ingest", str(folder), "--reviewer", "bea", "--no-merge"], out=out, err=err) == 0
    assert "0 merge(s) proposed" in out.getvalue()
    with Store.open(url) as store:
        assert [(d.duplicate_of, d.match) for d in attacks(store)] == [(None, None), (None, None)]


def test_the_article_pages_propose_merges_with_pending_drafts_and_keep_the_evidence(
    store: Store, tmp_path: Path
) -> None:
    from dashboard.add_article import queue_drafts
    from dashboard.add_articles import queue_files
    from geodata.extract.article import parse_article
    from geodata.extract.pipeline import extract_article

    queue_files(store, [("1.md", md("Report 1", WIRE, "Wire").encode())], who="ana", geocoder=tiny_geocoder())
    raw = md("Report 2", LOCAL, "Local")
    article = parse_article(raw)
    events = [d.event for d in extract_article(raw)]
    queue_drafts(store, article, events, who="ana", geocoder=tiny_geocoder())
    first, second = attacks(store)
    assert second.duplicate_of == first.id  # a pending draft of another article: linked
    assert second.match is not None and second.match["candidate"]["kind"] == "draft"


def test_a_batch_reads_the_store_once_per_story_and_links_as_article_by_article(
    draft: Draft, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import geodata.merge.batch as batch

    texts = [
        ("Wire", WIRE),
        ("Local", LOCAL),
        ("Other", OTHER),
        ("Radio", "Katyusha rockets hit Camp Taji on Wednesday, the Iraqi military said."),
        ("Daily", "Another Patriot battery arrived at Ain al-Asad Air Base last week."),
    ]
    folder = reports(tmp_path / "in", *texts)
    reads: list[int] = []
    real = batch.read_boxes

    def counted(*args: Any, **kwargs: Any) -> Any:
        reads.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(batch, "read_boxes", counted)
    links, counts = {}, {}
    for size in (1, 50):  # one transaction per article (the store read for each), or one for all
        reads.clear()
        with Store.open(f"sqlite:///{tmp_path / f'store{size}.db'}") as one:
            ingest(one, [folder], who="ana", draft=draft, propose=proposer(tiny_geocoder()), batch=size)
            links[size] = [(d.event.title, d.duplicate_of) for d in review.drafts(one)]
        counts[size] = len(reads)
    assert links[1] == links[50]
    assert sum(linked is not None for _, linked in links[50]) == 3  # Taji twice, Ain al-Asad once
    # One read per story (Taji, Ain al-Asad), however the articles are cut into transactions:
    # nobody else wrote, so what the last transaction read and queued still holds.
    assert counts[1] == counts[50] == 2


def queue(store: Store, draft: Draft, propose: Any, publisher: str, text: str) -> list[review.QueuedDraft]:
    from geodata.extract.article import parse_article
    from geodata.store.articles import queue_articles

    article = parse_article(md(f"{publisher} report", text, publisher), name=f"{publisher}.md")
    (queued,) = queue_articles(store, [(article, draft(article))], who="ana", propose=propose)
    assert queued is not None
    return [d for d in attacks(store) if d.id in queued.draft_ids]


def test_what_a_rolled_back_transaction_queued_is_forgotten(
    store: Store, draft: Draft, monkeypatch: pytest.MonkeyPatch
) -> None:
    from geodata.store import changelog

    propose = proposer(tiny_geocoder())
    real = changelog.finish

    def fail(session: Any) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(changelog, "finish", fail)
    with pytest.raises(RuntimeError):
        queue(store, draft, propose, "Wire", WIRE)
    monkeypatch.setattr(changelog, "finish", real)
    assert attacks(store) == []
    (local,) = queue(store, draft, propose, "Local", LOCAL)
    assert local.duplicate_of is None  # not the rolled-back report's draft
    (wire,) = queue(store, draft, propose, "Wire", WIRE)
    assert wire.duplicate_of == local.id


def test_another_writers_drafts_are_seen_by_the_next_transaction(store: Store, draft: Draft) -> None:
    mine, theirs = proposer(tiny_geocoder()), proposer(tiny_geocoder())
    queue(store, draft, mine, "Other", OTHER)
    queue(store, draft, mine, "Wire", WIRE)
    review.accept_all(store, who="bea", geocoder=tiny_geocoder())  # the reviewer makes it an event
    (taji,) = [e for e in store.events() if e.type == "attack"]
    (local,) = queue(store, draft, theirs, "Local", LOCAL)
    assert local.merge_target == taji.id
    (radio,) = queue(store, draft, mine, "Radio", "Katyusha rockets hit Camp Taji on Wednesday.")
    assert radio.merge_target == taji.id and radio.duplicate_of is None  # not the accepted draft
