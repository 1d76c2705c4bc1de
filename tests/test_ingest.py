"""``geodata ingest``: articles from files into the store's review queue, each once with its drafts;
bad files among good ones; the summary and exit code; a kill inside the write leaves nothing."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from storekit import make_event, snapshot, tiny_geocoder
from test_store_concurrency import impatient, kill, start, wait_for

from geodata import cli
from geodata.extract.article import Article
from geodata.extract.geoparse import Geoparser
from geodata.ingest import Summary, ingest
from geodata.ingest import run as run_module
from geodata.ingest.drafting import Draft, sentence_drafting
from geodata.store import Store, review
from geodata.store.review import NewDraft
from geodata.store.schema import ArticleRow, ChangeRow, DraftRow

TAJI = "Rockets struck Camp Taji on Wednesday, killing two soldiers."
PATRIOT = "A Patriot battery was deployed to Ain al-Asad Air Base last week. Another was shipped to Erbil."


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as opened:
        yield opened


@pytest.fixture
def draft() -> Draft:
    return sentence_drafting(Geoparser(tiny_geocoder().gazetteer))


def md(title: str, text: str, *, published: str = "2020-04-02", url: str | None = None) -> str:
    head = f"title: {title}\npublisher: The Wire\npublished: {published}\n" + (f"url: {url}\n" if url else "")
    return f"---\n{head}---\n{text}\n"


def jsonl(*docs: dict[str, str]) -> str:
    return "".join(json.dumps(d) + "\n" for d in docs)


def articles_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    (folder / "wire").mkdir(parents=True)
    (folder / "taji.md").write_text(md("Taji", TAJI, url="https://example.org/taji"), "utf-8")
    (folder / "wire" / "day.jsonl").write_text(
        jsonl(
            {"id": "1", "title": "Patriots", "published": "2020-04-02", "text": PATRIOT},
            {"id": "2", "title": "Quiet", "published": "2020-04-02", "text": "Nothing happened in Erbil."},
        ),
        "utf-8",
    )
    return folder


def counts(store: Store) -> tuple[int, int, int]:
    """Articles, drafts, change-log entries."""
    with store.reading() as session:
        return tuple(  # type: ignore[return-value]
            int(session.scalar(select(func.count()).select_from(table)) or 0)
            for table in (ArticleRow, DraftRow, ChangeRow)
        )


def test_articles_are_stored_with_their_drafts_and_a_second_run_skips_them(
    store: Store, draft: Draft, tmp_path: Path
) -> None:
    folder = articles_folder(tmp_path)
    first = ingest(store, [folder], who="ana", draft=draft)
    assert (first.files, first.read, first.new, first.skipped) == (2, 3, 3, 0)
    assert (first.drafts, first.merges, first.problem_count) == (3, 0, 0)
    assert counts(store) == (3, 3, 3)
    queued = review.drafts(store)
    assert {d.event.place.canonical for d in queued} == {"Camp Taji", "Ain al-Asad Air Base", "Erbil"}
    assert all(d.article_id is not None and d.evidence[0]["text"] for d in queued)
    assert {d.confidence for d in queued} == {0.5, 0.7, 0.8}
    assert _reviewers(store) == {"ana"}

    second = ingest(store, [folder], who="ana", draft=draft)
    assert (second.files, second.read, second.new, second.skipped, second.drafts) == (2, 3, 0, 3, 0)
    assert counts(store) == (3, 3, 3)


def test_skipped_articles_are_not_drafted(store: Store, draft: Draft, tmp_path: Path) -> None:
    folder = articles_folder(tmp_path)
    ingest(store, [folder], who="ana", draft=draft)
    drafted: list[str] = []

    def counting(article: Article) -> Sequence[NewDraft]:
        drafted.append(article.title)
        return draft(article)

    (folder / "new.md").write_text(md("New", "Rockets struck Erbil on Monday."), "utf-8")
    summary = ingest(store, [folder], who="ana", draft=counting)
    assert drafted == ["New"] and (summary.new, summary.skipped) == (1, 3)


def test_the_same_article_twice_in_one_run_is_stored_once(store: Store, draft: Draft, tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(md("A", TAJI), "utf-8")
    (tmp_path / "b.jsonl").write_text(jsonl({"published": "2020-04-02", "text": TAJI}), "utf-8")
    summary = ingest(store, [tmp_path], who="ana", draft=draft, batch=1)
    assert (summary.read, summary.new, summary.skipped, summary.drafts) == (2, 1, 1, 1)
    summary = ingest(store, [tmp_path / "b.jsonl", tmp_path / "a.md"], who="ana", draft=draft)
    assert (summary.read, summary.new, summary.skipped) == (2, 0, 2)  # one batch: both known


def test_a_bad_file_among_good_ones_is_listed_and_the_rest_go_in(
    store: Store, draft: Draft, tmp_path: Path
) -> None:
    folder = articles_folder(tmp_path)
    (folder / "junk.html").write_bytes(bytes(range(256)) * 20)
    (folder / "a-nodate.md").write_text("---\ntitle: x\n---\nRockets hit Erbil.", "utf-8")
    with (folder / "wire" / "day.jsonl").open("a", encoding="utf-8") as handle:
        handle.write("{not json\n")
        handle.write(
            json.dumps({"published": "2020-04-03", "text": "Rockets struck Erbil on Monday."}) + "\n"
        )
    summary = ingest(store, [folder], who="ana", draft=draft)
    assert (summary.files, summary.read, summary.new, summary.problem_count) == (4, 4, 4, 3)
    where = [(Path(p.path or "").name, p.line, p.field) for p in summary.problems]
    assert where == [("a-nodate.md", None, "published"), ("junk.html", None, None), ("day.jsonl", 3, None)]
    assert counts(store)[0] == 4


def test_an_article_drafting_fails_on_is_a_problem_and_not_stored(
    store: Store, draft: Draft, tmp_path: Path
) -> None:
    folder = articles_folder(tmp_path)

    def fragile(article: Article) -> Sequence[NewDraft]:
        if article.title == "Patriots":
            raise KeyError("oops")
        return draft(article)

    summary = ingest(store, [folder], who="ana", draft=fragile)
    (problem,) = summary.problems
    assert (Path(problem.path or "").name, problem.line) == ("day.jsonl", 1)
    assert "KeyError" in problem.message and "bug" in problem.message
    assert (summary.new, counts(store)[0]) == (2, 2)
    assert ingest(store, [folder], who="ana", draft=draft).new == 1  # the rerun drafts it


def test_an_article_the_store_refuses_leaves_the_rest_of_its_batch_in(
    store: Store, draft: Draft, tmp_path: Path
) -> None:
    folder = articles_folder(tmp_path)

    def propose(session: Session, article: Article, drafts: Sequence[NewDraft]) -> Sequence[NewDraft]:
        if article.title == "Quiet":
            raise RuntimeError("cannot compare")
        return drafts

    summary = ingest(store, [folder], who="ana", draft=draft, propose=propose)
    (problem,) = summary.problems
    assert (Path(problem.path or "").name, problem.line) == ("day.jsonl", 2)
    assert "could not be stored (cannot compare)" in problem.message
    assert (summary.new, summary.drafts, counts(store)[:2]) == (2, 3, (2, 3))


def test_proposed_merges_are_queued_and_counted(store: Store, draft: Draft, tmp_path: Path) -> None:
    store.import_events([make_event(1)], who="ana", geocoder=tiny_geocoder())

    def propose(session: Session, article: Article, drafts: Sequence[NewDraft]) -> list[NewDraft]:
        return [NewDraft(d.event, d.confidence, d.evidence, "ev-001") for d in drafts]

    summary = ingest(store, [articles_folder(tmp_path)], who="ana", draft=draft, propose=propose)
    assert summary.merges == 3
    assert {d.merge_target for d in review.drafts(store)} == {"ev-001"}


def test_problems_beyond_the_kept_number_are_counted(
    store: Store, draft: Draft, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(run_module, "MAX_KEPT_PROBLEMS", 3)
    (tmp_path / "bad.jsonl").write_text("x\n" * 10, "utf-8")
    summary = ingest(store, [tmp_path], who="ana", draft=draft)
    assert (summary.problem_count, len(summary.problems)) == (10, 3)
    assert "10 problem(s)" in summary.describe()


# --- the command line ---------------------------------------------------------------------


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_cli_ingests_prints_a_summary_and_exits_0_then_skips(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = articles_folder(tmp_path)
    monkeypatch.setenv("GEODATA_STORE", f"sqlite:///{tmp_path / 'store.db'}")
    code, out, err = run_cli("ingest", str(folder), "--reviewer", "bea")
    assert (code, err) == (0, "")
    assert "2 file(s); 3 article(s) read: 3 new, 0 skipped as already stored; " in out
    assert "draft(s) queued, 0 merge(s) proposed; 0 problem(s)" in out
    with Store.open(f"sqlite:///{tmp_path / 'store.db'}") as store:
        assert _reviewers(store) == {"bea"}
        drafts = counts(store)[1]
    code, out, _ = run_cli("ingest", str(folder))
    assert code == 0 and "0 new, 3 skipped as already stored; 0 draft(s) queued" in out
    assert drafts > 0


def test_cli_lists_problems_at_the_end_and_exits_2(tmp_path: Path) -> None:
    folder = articles_folder(tmp_path)
    (folder / "bad.jsonl").write_text('{"text": 1}\n', "utf-8")
    url = f"sqlite:///{tmp_path / 'store.db'}"
    code, out, err = run_cli("ingest", str(folder), str(tmp_path / "missing"), "--store", url)
    assert code == 2
    assert "3 new" in out and "2 problem(s)" in out
    assert f"{tmp_path / 'missing'}: no such file or folder; check the path" in err
    assert f"{folder / 'bad.jsonl'}:1: expected an object with a 'text' string" in err
    assert err.strip().endswith("2 problem(s) found")


def test_cli_without_a_store_says_how_to_name_one(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("GEODATA_STORE", raising=False)
    code, _, err = run_cli("ingest", str(tmp_path))
    assert code == 2 and "--store sqlite:///PATH" in err


# --- a kill inside the write --------------------------------------------------------------


def test_a_process_killed_inside_an_ingest_leaves_no_article_without_its_drafts(
    store_url: str, tmp_path: Path
) -> None:
    """Killed after the first article's drafts were sent, before the batch's commit: the store is
    as it was; the rerun stores every article with its drafts."""
    folder = articles_folder(tmp_path)
    with Store.open(store_url) as store:
        before = snapshot(store)
    inside = tmp_path / "inside"
    proc = start(
        store_url,
        *("ingest", folder, "--batch", "10"),
        *("--pause-after", "INSERT INTO drafts", "--inside", inside),
    )
    wait_for(inside, proc)
    kill(proc)
    with Store.open(impatient(store_url)) as store:
        assert snapshot(store) == before
        summary = ingest(
            store, [folder], who="ana", draft=sentence_drafting(Geoparser(tiny_geocoder().gazetteer))
        )
        assert (summary.new, summary.skipped, summary.drafts) == (3, 0, 3)
        assert counts(store)[:2] == (3, 3)


def _reviewers(store: Store) -> set[str]:
    with store.reading() as session:
        return set(session.scalars(select(ChangeRow.who)))


def test_summary_describes_itself() -> None:
    summary = Summary(files=2, read=5, new=3, skipped=2, drafts=7, merges=1, problem_count=1)
    assert summary.describe() == (
        "2 file(s); 5 article(s) read: 3 new, 2 skipped as already stored; 7 draft(s) queued, "
        "1 merge(s) proposed; 1 problem(s)"
    )


def test_a_progress_bar_is_drawn_on_standard_error_when_asked(
    store: Store, draft: Draft, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ingest(store, [articles_folder(tmp_path)], who="ana", draft=draft, progress=True)
    captured = capsys.readouterr()
    assert "2/2" in captured.err and captured.out == ""
    ingest(store, [tmp_path / "in"], who="ana", draft=draft)
    assert capsys.readouterr().err == ""


def test_a_nul_character_is_a_problem_on_every_store_and_the_rest_go_in(
    store: Store, draft: Draft, tmp_path: Path
) -> None:
    """PostgreSQL cannot store U+0000 in text, SQLite can: refused when read, on both alike."""
    (tmp_path / "w.jsonl").write_text(
        jsonl(
            {"published": "2020-04-02", "text": TAJI},
            {"published": "2020-04-02", "text": "Rockets struck Erbil.\u0000"},
            {"published": "2020-04-02", "title": "A\u0000", "text": "Rockets struck Erbil on Friday."},
            {"published": "2020-04-02", "text": PATRIOT},
        ),
        "utf-8",
    )
    summary = ingest(store, [tmp_path], who="ana", draft=draft)
    assert [(p.line, p.field) for p in summary.problems] == [(2, "text"), (3, "title")]
    assert "NUL character (U+0000) at character 21" in summary.problems[0].message
    assert (summary.new, counts(store)[0]) == (2, 2)


def test_the_summary_counts_each_file_and_uploads_are_read_like_files(
    store: Store, draft: Draft, tmp_path: Path
) -> None:
    from geodata.ingest import ingest_sources
    from geodata.ingest.run import Tally
    from geodata.ingest.sources import read_data

    folder = articles_folder(tmp_path)
    (folder / "bad.jsonl").write_text("{\n", "utf-8")
    summary = ingest(store, [folder], who="ana", draft=draft)
    assert summary.by_file == {
        str(folder / "bad.jsonl"): Tally(problems=1),
        str(folder / "taji.md"): Tally(read=1, new=1, drafts=1),
        str(folder / "wire" / "day.jsonl"): Tally(read=2, new=2, drafts=2),
    }
    uploads = [
        ("taji.md", (folder / "taji.md").read_bytes()),
        ("new.md", md("New", "Rockets struck Erbil on Monday.").encode()),
        ("junk.rss", b"\x00junk"),
    ]
    summary = ingest_sources(store, [(n, read_data(n, data)) for n, data in uploads], who="ana", draft=draft)
    assert (summary.files, summary.new, summary.skipped, summary.problem_count) == (3, 1, 1, 1)
    assert summary.by_file == {
        "taji.md": Tally(read=1, skipped=1),
        "new.md": Tally(read=1, new=1, drafts=1),
        "junk.rss": Tally(problems=1),
    }
