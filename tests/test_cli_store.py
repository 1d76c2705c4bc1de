"""The store's command line: ``geodata import``, ``export --store``, ``review`` and ``history``
(on SQLite stores in a temporary directory)."""

from __future__ import annotations

import builtins
import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
import yaml
from conftest import ARTICLE, GOOD_EVENT, REPO
from pgcluster import Cluster

from geodata import cli, cli_drafts, cli_store
from geodata.catalog import read_catalogue
from geodata.extract.article import parse_article
from geodata.extract.pipeline import extract_article
from geodata.geocoding import default_geocoder
from geodata.io.readers import read_events_file
from geodata.model import Event
from geodata.store import Store, review
from geodata.store.review import NewDraft

SEED = REPO / "events.yaml"
#: An event of the seed with further sources (references), and one a draft is merged into.
WITH_REFERENCES = "centcom-air-defence-statement"
MERGE_TARGET = "patriot-ain-al-asad"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store.db'}"


@pytest.fixture
def seeded(url: str) -> str:
    """A store holding the bundled seed catalogue, imported by 'ann'."""
    code, out, err = run("import", str(SEED), "--store", url, "--reviewer", "ann")
    assert (code, err) == (0, ""), err
    assert "imported 14 events" in out
    return url


def by_id(events: list[Event]) -> list[Event]:
    return sorted(events, key=lambda e: e.id)


def store_state(url: str) -> tuple[int, int]:
    """(events, last change id): both unchanged means nothing was written."""
    with Store.open(url) as store:
        return store.count(), store.generation()


def one_error_line(err: str) -> str:
    """The single line a refused command prints: no traceback, no 'internal error'."""
    assert "Traceback" not in err and "internal error" not in err, err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    return lines[0]


# --- import then export: the acceptance round trip ----------------------------------------


def test_import_export_validate_gives_back_the_seed_field_by_field(seeded: str, tmp_path: Path) -> None:
    assert_round_trip(seeded, tmp_path)


def test_the_round_trip_through_postgresql(pg_cluster: Cluster, tmp_path: Path) -> None:
    with pg_cluster.database() as url:
        code, out, err = run("import", str(SEED), "--store", url, "--reviewer", "ann")
        assert (code, err) == (0, "") and "imported 14 events" in out, err
        assert_round_trip(url, tmp_path)


def assert_round_trip(seeded: str, tmp_path: Path) -> None:
    """``export --format yaml`` of a store seeded from ``events.yaml``: valid, and equal to it."""
    out_path = tmp_path / "exported.yaml"
    code, out, err = run("export", "--store", seeded, "--format", "yaml", "-o", str(out_path))
    assert (code, err) == (0, ""), err
    assert "wrote 14 events" in out
    code, out, err = run("validate", str(out_path))
    assert (code, err) == (0, "") and "14 events, all valid" in out
    # The store hands events back in id order; the seed is in the order its author wrote them.
    seed = by_id(read_catalogue(SEED).events)
    back = by_id(read_catalogue(out_path).events)
    assert [e.id for e in back] == [e.id for e in seed]
    for mine, theirs in zip(back, seed, strict=True):
        assert mine.model_dump() == theirs.model_dump(), mine.id
    assert back == seed


def test_a_store_exports_as_a_dataset_partitioned_by_month(seeded: str, tmp_path: Path) -> None:
    from geodata.io.dataset import read_dataset_frame

    target = tmp_path / "events"
    code, out, err = run("export", "--store", seeded, "--format", "parquet-dataset", "-o", str(target))
    assert (code, err) == (0, ""), err
    assert f"wrote 14 events to {target} (parquet-dataset)" in out
    assert sorted(p.name for p in target.iterdir()) == ["month=2020-03", "month=2020-04"]
    assert sorted(read_dataset_frame(target).index) == sorted(e.id for e in read_catalogue(SEED).events)


def test_each_export_format_holds_every_event_with_its_references(seeded: str, tmp_path: Path) -> None:
    seed = {e.id: e for e in read_catalogue(SEED).events}
    wanted = [r.url for r in seed[WITH_REFERENCES].references]
    assert wanted  # the seed event chosen has further sources to lose
    for suffix in ("geojson", "csv", "parquet", "gpkg"):
        target = tmp_path / f"out.{suffix}"
        code, out, err = run("export", "--store", seeded, "-o", str(target))
        assert (code, err) == (0, ""), err
        assert f"wrote 14 events to {target} ({suffix})" in out
        frame = gpd.read_file(target) if suffix != "parquet" else gpd.read_parquet(target)
        assert sorted(frame["id"]) == sorted(seed)
        row = frame.set_index("id").loc[WITH_REFERENCES]
        refs = row["references"]
        refs = json.loads(refs) if isinstance(refs, str) else list(refs)
        assert [r["url"] for r in refs] == wanted, suffix
        if suffix != "gpkg":  # what geodata exports, it reads back as the same events
            again = by_id(_read_any(target))
            assert [e.id for e in again] == sorted(seed)
            assert (
                next(e for e in again if e.id == WITH_REFERENCES).references
                == seed[WITH_REFERENCES].references
            )


def _read_any(path: Path) -> list[Event]:
    events, _ = cli_store.read_events(path)
    return events


def test_an_explicit_format_wins_over_a_yaml_suffix(seeded: str, tmp_path: Path) -> None:
    target = tmp_path / "looks-like.yaml"
    code, _, err = run("export", "--store", seeded, "--format", "geojson", "-o", str(target))
    assert (code, err) == (0, ""), err
    assert json.loads(target.read_text(encoding="utf-8"))["type"] == "FeatureCollection"


def test_an_empty_store_exports_an_empty_file(url: str, tmp_path: Path) -> None:
    Store.open(url).close()
    target = tmp_path / "none.geojson"
    code, out, err = run("export", "--store", url, "-o", str(target))
    assert (code, err) == (0, ""), err
    assert out.startswith("wrote 0 events")
    assert json.loads(target.read_text(encoding="utf-8")) == {"type": "FeatureCollection", "features": []}


# --- exports write new files; the analyst's YAML is never written in place ----------------


@pytest.fixture
def write_opens(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The real paths this process opens for writing (``open`` and ``os.open``)."""
    seen: list[str] = []
    real_open, real_os_open = builtins.open, os.open
    writing = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_TRUNC | os.O_CREAT

    def spy_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if isinstance(file, (str, os.PathLike)) and set(mode) & set("wax+"):
            seen.append(os.path.realpath(file))
        return real_open(file, mode, *args, **kwargs)

    def spy_os_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & writing:
            seen.append(os.path.realpath(path))
        return real_os_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy_open)
    monkeypatch.setattr(os, "open", spy_os_open)
    yield seen


def test_exporting_onto_the_imported_file_replaces_it_by_a_rename(
    tmp_path: Path, url: str, write_opens: list[str]
) -> None:
    mine = tmp_path / "events.yaml"
    shutil.copyfile(SEED, mine)
    original = mine.read_bytes()
    witness = tmp_path / "witness.yaml"
    os.link(mine, witness)  # the same inode: any write in place would show here
    inode = mine.stat().st_ino
    assert run("import", str(mine), "--store", url)[0] == 0
    write_opens.clear()  # the copy above wrote it; from here on, only the export runs
    code, out, err = run("export", "--store", url, "-o", str(mine))
    assert (code, err) == (0, ""), err
    assert f"the previous file is {mine}.bak" in out
    assert mine.stat().st_ino != inode  # a new file, renamed into place
    assert witness.read_bytes() == original  # the analyst's file, comments and all, untouched
    assert (tmp_path / "events.yaml.bak").read_bytes() == original
    assert str(mine.resolve()) not in write_opens
    assert any(Path(p).name == "events.yaml" for p in write_opens)  # the spy saw the new file
    assert by_id(read_catalogue(mine).events) == by_id(read_catalogue(SEED).events)


def test_every_export_format_writes_by_rename(seeded: str, tmp_path: Path) -> None:
    for suffix in ("geojson", "csv", "parquet", "gpkg", "yaml"):
        target = tmp_path / f"old.{suffix}"
        target.write_bytes(b"old content")
        witness = tmp_path / f"witness.{suffix}"
        os.link(target, witness)
        assert run("export", "--store", seeded, "-o", str(target))[0] == 0
        assert witness.read_bytes() == b"old content", suffix
        assert target.read_bytes() != b"old content"


# --- import: all files validated together, all or nothing ---------------------------------


def test_import_reads_each_format_geodata_exports(tmp_path: Path) -> None:
    seed_ids = sorted(e.id for e in read_catalogue(SEED).events)
    for suffix in ("geojson", "csv", "parquet"):
        exported = tmp_path / f"seed.{suffix}"
        assert run("export", str(SEED), "-o", str(exported))[0] == 0
        store = f"sqlite:///{tmp_path / suffix}.db"
        code, out, err = run("import", str(exported), "--store", store)
        assert (code, err) == (0, ""), err
        assert out.startswith("imported 14 events from 1 file(s)")
        with Store.open(store) as opened:
            assert sorted(e.id for e in opened.events()) == seed_ids


def test_a_problem_in_any_file_writes_nothing(seeded: str, tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(GOOD_EVENT.replace("patriot-erbil", "new-one"), encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD_EVENT.replace("patriot-erbil", "new-two").replace("2020-03-23", "2020-13-01"))
    before = store_state(seeded)
    code, out, err = run("import", str(good), str(bad), "--store", seeded)
    assert code == 2 and out == ""
    assert f"{bad}:4: event 'new-two', field 'date.start'" in err
    assert str(good) not in err
    assert store_state(seeded) == before


def test_the_same_id_in_two_files_names_both(url: str, tmp_path: Path) -> None:
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_text(GOOD_EVENT, encoding="utf-8")
    second.write_text(GOOD_EVENT.replace("Another was shipped", "One more was shipped"), encoding="utf-8")
    code, _, err = run("import", str(first), str(second), "--store", url)
    assert code == 2
    assert f"{second}:1: event 'patriot-erbil', field 'id': {first} has this id already" in err
    assert store_state(url) == (0, 0)


def test_importing_the_same_events_twice_is_refused(seeded: str, tmp_path: Path) -> None:
    extra = tmp_path / "extra.yaml"  # a new event, imported with the seed a second time
    extra.write_text(GOOD_EVENT.replace("patriot-erbil", "brand-new"), encoding="utf-8")
    before = store_state(seeded)
    code, _, err = run("import", str(SEED), str(extra), "--store", seeded)
    assert code == 2
    line = read_catalogue(SEED).lines["handover-k1"]
    assert (
        f"{SEED}:{line}: event 'handover-k1', field 'id': an event with this id is already in the store"
        in err
    )
    assert str(extra) not in err
    assert err.splitlines()[-1] == "14 problem(s) found"
    assert store_state(seeded) == before
    with Store.open(seeded) as store:
        assert store.get("brand-new") is None


def test_the_store_comes_from_the_environment(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, good_catalogue: Path
) -> None:
    monkeypatch.setenv(cli_store.ENV_STORE, url)
    code, out, err = run("import", str(good_catalogue))
    assert (code, err) == (0, ""), err
    assert store_state(url)[0] == 1
    monkeypatch.delenv(cli_store.ENV_STORE)
    code, out, err = run("import", str(good_catalogue))
    assert (code, out) == (2, "")
    assert "name the store: --store sqlite:///PATH" in one_error_line(err)


def test_a_drafts_file_is_not_taken_for_a_catalogue(url: str, tmp_path: Path) -> None:
    queue_article_drafts(url)
    drafts_file = tmp_path / "drafts.yaml"
    assert run("export", "--store", url, "--drafts", "-o", str(drafts_file))[0] == 0
    for argv in (("validate", str(drafts_file)), ("import", str(drafts_file), "--store", url)):
        code, _, err = run(*argv)
        assert code == 2
        assert f"{drafts_file}:1: pending drafts (`geodata export --drafts`), not a catalogue" in err
    assert store_state(url)[0] == 0


# --- bad store addresses ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "says"),
    [
        ("mysql://user@localhost/events", "not 'mysql'"),
        ("nonsense", "is not a store address"),
        ("sqlite://", "store in memory"),
        ("sqlite:///{tmp}", "is a directory; name the store's file"),
        ("sqlite:///{tmp}/missing/store.db", "does not exist; create it first"),
        ("sqlite:///{tmp}/plain.txt/store.db", "is not a directory"),
        ("sqlite:///{tmp}/plain.txt", "file is not a database"),
        # Not writable even by root (the tests may run as root, who writes through chmod).
        ("sqlite:////proc/geodata.db", "unable to open database file"),
        ("postgresql://nobody@127.0.0.1:9/none", "Connection refused"),
    ],
)
def test_a_bad_store_is_one_clear_line(tmp_path: Path, address: str, says: str) -> None:
    (tmp_path / "plain.txt").write_text("not a database\n" * 100, encoding="utf-8")
    code, _, err = run("import", str(SEED), "--store", address.format(tmp=tmp_path))
    assert code == 2
    assert says in one_error_line(err)
    assert (tmp_path / "plain.txt").read_text(encoding="utf-8") == "not a database\n" * 100


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes in a read-only directory")
def test_a_store_in_a_read_only_directory_is_refused(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    code, _, err = run("import", str(SEED), "--store", f"sqlite:///{locked}/store.db")
    assert code == 2
    assert f"cannot write in {str(locked)!r}" in one_error_line(err)


def test_reading_commands_do_not_make_a_store_at_a_mistyped_path(tmp_path: Path) -> None:
    typo = tmp_path / "sotre.db"
    for argv in (
        ("history", "x", "--store", f"sqlite:///{typo}"),
        ("export", "--store", f"sqlite:///{typo}", "-o", str(tmp_path / "out.geojson")),
        ("review", "--accept-all", "--store", f"sqlite:///{typo}"),
    ):
        code, _, err = run(*argv)
        assert code == 2
        assert f"there is no store at {str(typo)!r}" in one_error_line(err)
    assert not typo.exists()


# --- drafts: export and review ------------------------------------------------------------


def queue_article_drafts(url: str, *, merge_into: str | None = None) -> list[int]:
    """Queue the drafts of a real extract of the founding article, the first one proposed as a
    further source of ``merge_into``; return their ids."""
    raw = ARTICLE.read_text(encoding="utf-8")
    extracted = extract_article(raw, name=str(ARTICLE))
    queued = []
    for n, draft in enumerate(extracted):
        queued.append(
            NewDraft(
                event=draft.event,
                confidence=draft.confidence,
                evidence=draft.evidence,
                merge_target=merge_into if n == 0 else None,
            )
        )
    with Store.open(url) as store:
        article_id, _ = review.add_article(store, parse_article(raw, name=str(ARTICLE)))
        return review.add_drafts(store, queued, who="extractor", article_id=article_id)


def test_drafts_export_with_confidence_article_and_merge_target(seeded: str, tmp_path: Path) -> None:
    ids = queue_article_drafts(seeded, merge_into=MERGE_TARGET)
    target = tmp_path / "drafts.yaml"
    code, out, err = run("export", "--store", seeded, "--drafts", "-o", str(target))
    assert (code, err) == (0, ""), err
    assert f"wrote {len(ids)} pending drafts" in out
    text = target.read_text(encoding="utf-8")
    assert text.startswith(cli_drafts.DRAFTS_HEADER)
    doc = yaml.safe_load(text)
    assert list(doc) == [cli_drafts.DRAFTS_KEY, "drafts"]
    assert doc[cli_drafts.DRAFTS_KEY]["count"] == len(ids)
    drafts = doc["drafts"]
    assert sorted(d["draft"] for d in drafts) == sorted(ids)
    confidences = [d["confidence"] for d in drafts]
    assert confidences == sorted(confidences, reverse=True) and all(0 < c <= 1 for c in confidences)
    assert {d["article"]["title"] for d in drafts} == {"US says build-up of air defences in Iraq going ahead"}
    assert {d["article"]["publisher"] for d in drafts} == {"The National"}
    proposed = [d for d in drafts if d["merge_target"] is not None]
    assert [(d["draft"], d["merge_target"]["id"]) for d in proposed] == [(ids[0], MERGE_TARGET)]
    assert proposed[0]["merge_target"]["title"] == read_events_file(SEED).by_id()[MERGE_TARGET].title
    for d in drafts:
        Event.model_validate(d["event"])  # each drafted event is there whole
        assert d["evidence"][0]["text"] in ARTICLE.read_text(encoding="utf-8")


def test_drafts_must_be_written_as_yaml(seeded: str, tmp_path: Path) -> None:
    code, _, err = run("export", "--store", seeded, "--drafts", "-o", str(tmp_path / "drafts.geojson"))
    assert code == 2
    assert "--drafts writes YAML" in one_error_line(err)


def test_review_accepts_and_merges_and_logs_the_reviewer(seeded: str) -> None:
    ids = queue_article_drafts(seeded, merge_into=MERGE_TARGET)
    with Store.open(seeded) as store:
        queued = review.drafts(store)
        refs_before = len(store.get(MERGE_TARGET).event.references)  # type: ignore[union-attr]
    least = sorted(d.confidence for d in queued)[len(queued) // 2]
    sure = [d for d in queued if d.confidence >= least]
    unsure = [d for d in queued if d.confidence < least]
    assert unsure and ids[0] in {d.id for d in sure}, "pick a threshold that keeps the merge"
    code, out, err = run(
        "review", "--store", seeded, "--accept-all", "--min-confidence", str(least), "--reviewer", "Rana"
    )
    assert (code, err) == (0, ""), err
    assert f"accepted {len(sure) - 1} drafts as new events, merged 1 into existing events (by Rana)" in out
    with Store.open(seeded) as store:
        assert sorted(d.id for d in review.drafts(store)) == sorted(d.id for d in unsure)
        assert store.count() == 14 + len(sure) - 1
        merged = store.get(MERGE_TARGET)
        assert merged is not None and len(merged.event.references) == refs_before + 1
        assert (
            merged.event.references[-1].quote
            == queued[[d.id for d in queued].index(ids[0])].event.source.quote
        )
        done = review.drafts(store, status=("accepted", "merged"))
        assert {d.reviewer for d in done} == {"Rana"}
        log = [(c.who, c.action, c.draft_id) for d in done for c in store.history(d.event_id or "")]
    assert ("Rana", "merge", ids[0]) in log
    accepted = [d for d in done if d.status == "accepted"]
    assert {(c[0], c[1]) for c in log if c[2] in {d.id for d in accepted}} == {("Rana", "accept")}
    code, out, err = run("history", MERGE_TARGET, "--store", seeded)
    lines = out.splitlines()
    assert len(lines) == 2 and lines[0].endswith("ann  import: created")
    assert lines[1].endswith(f"Rana  merge (draft {ids[0]}): references")


@pytest.mark.parametrize("value", ["1.5", "-0.1", "nan"])
def test_review_refuses_a_confidence_outside_0_to_1(seeded: str, value: str) -> None:
    code, _, err = run("review", "--store", seeded, "--accept-all", "--min-confidence", value)
    assert code == 2
    assert f"--min-confidence {float(value)!r} is not between 0 and 1" in one_error_line(err)


# --- history ------------------------------------------------------------------------------


def test_history_is_one_line_per_change(seeded: str) -> None:
    with Store.open(seeded) as store:
        stored = store.get("handover-k1")
        assert stored is not None
        old = stored.event
        moved = old.model_copy(
            update={
                "title": "K1 handed over",
                "date": old.date.model_copy(update={"start": old.date.start.replace(day=1)}),
            }
        )
        store.save(moved, expected_version=stored.version, who="bob", geocoder=default_geocoder())
        store.delete(
            "handover-k1", expected_version=stored.version + 1, who="cy", note="duplicate of another"
        )
    code, out, err = run("history", "handover-k1", "--store", seeded)
    assert (code, err) == (0, ""), err
    lines = out.splitlines()
    assert len(lines) == 3
    assert lines[0].endswith("  ann  import: created")
    assert lines[1].endswith("  bob  edit: date.start, title")
    assert lines[2].endswith("  cy  delete: deleted — duplicate of another")
    when = lines[0].split("  ")[1]
    assert when.endswith(" UTC") and when[:2] == "20"


def test_history_of_an_unknown_event_is_a_clear_error(seeded: str) -> None:
    code, out, err = run("history", "no-such-event", "--store", seeded)
    assert code == 2 and out == ""
    assert "no event 'no-such-event' has ever been in this store" in one_error_line(err)


# --- a real process -----------------------------------------------------------------------


def geodata(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "geodata", *argv],
        cwd=REPO,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=300,
    )


def test_real_processes_exit_with_the_right_codes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    done = geodata("import", str(SEED), "--store", url, "--reviewer", "ann")
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    again = geodata("import", str(SEED), "--store", url)
    assert again.returncode == 2
    assert again.stderr.splitlines()[-1] == "14 problem(s) found"
    exported = tmp_path / "back.yaml"
    done = geodata("export", "--store", url, "-o", str(exported))
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    assert by_id(read_catalogue(exported).events) == by_id(read_catalogue(SEED).events)
    unknown = geodata("history", "nope", "--store", url)
    assert unknown.returncode == 2
    assert one_error_line(unknown.stderr).startswith("error: no event 'nope'")
    bad = geodata("history", "nope", "--store", "mysql://x@localhost/y")
    assert bad.returncode == 2
    one_error_line(bad.stderr)


def test_a_store_behind_a_closed_directory_is_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "closed" / "store.db"
    real_is_dir = Path.is_dir

    def closed(self: Path) -> bool:  # what a user who may not enter "closed" sees (root may)
        if str(self).startswith(str(store.parent)):
            raise PermissionError(13, "Permission denied", str(self))
        return real_is_dir(self)

    monkeypatch.setattr(Path, "is_dir", closed)
    code, _, err = run("history", "x", "--store", f"sqlite:///{store}")
    assert code == 2
    assert f"cannot reach the store {str(store)!r}: Permission denied" in one_error_line(err)


def test_what_is_not_a_catalogue_file_is_listed_with_the_rest(url: str, tmp_path: Path) -> None:
    other = tmp_path / "layer.gpkg"
    other.write_bytes(b"not read")
    code, _, err = run(
        "import", str(SEED), str(tmp_path), str(other), str(tmp_path / "gone.parquet"), "--store", url
    )
    assert code == 2
    assert err.splitlines() == [
        f"{tmp_path}: a directory; import a catalogue: .yaml, .geojson, .csv or .parquet",
        f"{other}: of unknown type '.gpkg'; import a catalogue: .yaml, .geojson, .csv or .parquet",
        f"{tmp_path / 'gone.parquet'}: no such file; name a GeoParquet file",
        "3 problem(s) found",
    ]
    assert not (tmp_path / "store.db").exists()


def test_a_geoparquet_event_without_a_publication_date_imports(url: str, tmp_path: Path) -> None:
    undated = tmp_path / "undated.yaml"  # source.published is optional; GeoParquet holds it as NaT
    undated.write_text(GOOD_EVENT.replace("    published: 2020-04-02\n", ""), encoding="utf-8")
    assert read_catalogue(undated).events[0].source.published is None
    parquet = tmp_path / "undated.parquet"
    assert run("export", str(undated), "-o", str(parquet))[0] == 0
    code, out, err = run("import", str(parquet), "--store", url)
    assert (code, err) == (0, ""), err
    assert out.startswith("imported 1 events")
    with Store.open(url) as store:
        stored = store.get("patriot-erbil")
    assert stored is not None and stored.event.source.published is None
