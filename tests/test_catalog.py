"""Reading and validating catalogues: every problem reported at once, with id, field and line."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import GOOD_EVENT, REPO

from geodata import cli
from geodata.catalog import dump_catalogue, parse_catalogue, read_catalogue, write_catalogue
from geodata.errors import CatalogError, FileError


def run_cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(args), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def replace(old: str, new: str) -> str:
    assert old in GOOD_EVENT, old
    return GOOD_EVENT.replace(old, new)


# (name, catalogue text, expected event id, expected field, expected line, words in the message)
MALFORMED = [
    (
        "unknown type",
        replace("air_defence_deployment", "air_defense"),
        "patriot-erbil",
        "type",
        2,
        "unknown type",
    ),
    (
        "missing title",
        replace("  title: Patriot battery shipped to Erbil\n", ""),
        "patriot-erbil",
        "title",
        1,
        "missing",
    ),
    ("unknown field", GOOD_EVENT + "  colour: red\n", "patriot-erbil", "colour", 13, "unknown field"),
    (
        "impossible date",
        replace("{start: 2020-03-23, precision: week}", "2020-02-30"),
        "patriot-erbil",
        "date",
        4,
        "not a valid date",
    ),
    (
        "end before start",
        replace("{start: 2020-03-23, precision: week}", "{start: 2020-03-23, end: 2020-03-01}"),
        "patriot-erbil",
        "date",
        4,
        "before start",
    ),
    (
        "bad precision",
        replace("precision: week", "precision: fortnight"),
        "patriot-erbil",
        "date.precision",
        4,
        "day",
    ),
    (
        "latitude out of range",
        replace("geo_precision: city}", "geo_precision: city, lat: 95, lon: 44}"),
        "patriot-erbil",
        "place.lat",
        5,
        "less than or equal to 90",
    ),
    (
        "longitude out of range",
        replace("geo_precision: city}", "geo_precision: city, lat: 36, lon: 190}"),
        "patriot-erbil",
        "place.lon",
        5,
        "less than or equal to 180",
    ),
    (
        "lat without lon",
        replace("geo_precision: city}", "geo_precision: city, lat: 36}"),
        "patriot-erbil",
        "place",
        5,
        "both lat and lon",
    ),
    (
        "bad geo precision",
        replace("geo_precision: city", "geo_precision: town"),
        "patriot-erbil",
        "place.geo_precision",
        5,
        "facility",
    ),
    (
        "bad country code",
        replace("country: IQ", "country: Iraq"),
        "patriot-erbil",
        "place.country",
        5,
        "alpha-2",
    ),
    (
        "unresolvable place",
        replace("{name: Arbil, canonical: Erbil,", "{name: Xqzzyville, canonical: Xqzzyville,"),
        "patriot-erbil",
        "place.name",
        1,
        "not in the offline gazetteer",
    ),
    (
        "missing quote",
        replace("    quote: Another was shipped to Erbil.\n", ""),
        "patriot-erbil",
        "source.quote",
        7,
        "missing",
    ),
    (
        "empty quote",
        replace("quote: Another was shipped to Erbil.", "quote: ''"),
        "patriot-erbil",
        "source.quote",
        12,
        "at least 1 character",
    ),
    ("bad id", replace("id: patriot-erbil", "id: Patriot Erbil!"), "Patriot Erbil!", "id", 1, "slug"),
    ("duplicate id", GOOD_EVENT + GOOD_EVENT, "patriot-erbil", "id", 13, "duplicate id"),
    (
        "actors not a list",
        replace("actors: [United States]", "actors: United States"),
        "patriot-erbil",
        "actors",
        6,
        "valid list",
    ),
    (
        "event after its source",
        replace("published: 2020-04-02", "published: 2019-04-02"),
        "patriot-erbil",
        "date",
        4,
        "after its source was published",
    ),
    (
        "duplicate key",
        replace("  actors: [United States]\n", "  actors: [United States]\n  actors: [Iran]\n"),
        None,
        None,
        7,
        "duplicate key",
    ),
]


@pytest.mark.parametrize(
    ("name", "text", "event_id", "field", "line", "words"), MALFORMED, ids=[m[0] for m in MALFORMED]
)
def test_malformed_catalogue_exits_2_naming_event_field_and_line(
    tmp_path: Path,
    name: str,
    text: str,
    event_id: str | None,
    field: str | None,
    line: int,
    words: str,
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, err = run_cli("validate", str(path))
    assert code == 2, (name, out, err)
    assert "internal error" not in err, err
    problem_lines = [row for row in err.splitlines() if words in row]
    assert problem_lines, err
    first = problem_lines[0]
    assert first.startswith(f"{path}:{line}:"), first
    if event_id is not None:
        assert f"event {event_id!r}" in first
    if field is not None:
        assert f"field {field!r}" in first


BROKEN_FILES = [
    ("empty", b"", "empty"),
    ("only a comment", b"# nothing here\n", "empty"),
    ("yaml syntax", b"- id: a\n  title: [unclosed\n", "YAML syntax error"),
    ("tab indentation", b"- id: a\n\ttitle: x\n", "YAML syntax error"),
    ("not utf-8", b"- id: caf\xe9\n", "not UTF-8"),
    ("binary junk", bytes(range(256)) * 4, "not UTF-8"),
    ("list of strings", b"- one\n- two\n", "expected a mapping"),
    ("a scalar", b"just a sentence\n", "expected a list of events"),
    ("a number", b"42\n", "expected a list of events"),
    ("deep nesting", b"[" * 100_000, "nested deeper"),
    ("python tag", b"- !!python/object/apply:os.system ['echo hi']\n", "unsupported YAML tag"),
    ("two documents", b"- id: a\n---\n- id: b\n", "more than one YAML document"),
    ("events not a list", b"events: {id: a}\n", "expected a list"),
]


@pytest.mark.parametrize(("name", "data", "words"), BROKEN_FILES, ids=[b[0] for b in BROKEN_FILES])
def test_broken_file_exits_2_without_traceback(tmp_path: Path, name: str, data: bytes, words: str) -> None:
    path = tmp_path / "broken.yaml"
    path.write_bytes(data)
    code, _, err = run_cli("validate", str(path))
    assert code == 2
    assert words in err
    assert "internal error" not in err, err


def test_yaml_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("- id: a\n  title: x\n  date: [2020-01-01\n  place: y\n", encoding="utf-8")
    code, _, err = run_cli("validate", str(path))
    assert code == 2
    assert f"{path}:4:" in err  # the parser notices the unclosed bracket on line 4


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = replace("air_defence_deployment", "nope").replace(
        "country: IQ", "country: Iraq"
    ) + GOOD_EVENT.replace("patriot-erbil", "second").replace("2020-03-23", "2020-13-01")
    with pytest.raises(CatalogError) as info:
        parse_catalogue(text, path="cat.yaml")
    fields = {(p.event_id, p.field) for p in info.value.problems}
    assert {("patriot-erbil", "type"), ("patriot-erbil", "place.country"), ("second", "date.start")} <= fields


def test_large_file_does_not_traceback(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    junk = ("- just a line of text that is not an event mapping at all\n" * 900_000).encode()
    path.write_bytes(junk)  # about 50 MB
    assert path.stat().st_size > 50_000_000
    proc = subprocess.run(
        [sys.executable, "-m", "geodata", "validate", str(path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 2
    assert "internal error" not in proc.stderr, proc.stderr
    assert "expected a mapping" in proc.stderr


def test_real_process_prints_one_line_per_problem(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(replace("air_defence_deployment", "air_defense"), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "geodata", "validate", str(path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=300,
    )
    assert proc.returncode == 2
    assert proc.stderr.splitlines()[0].startswith(f"{path}:2: event 'patriot-erbil', field 'type':")
    assert "internal error" not in proc.stderr, proc.stderr


def test_missing_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    code, _, err = run_cli("validate", str(tmp_path / "nope.yaml"))
    assert code == 2
    assert "cannot read the catalogue: No such file" in err


def test_good_catalogue_validates(good_catalogue: Path) -> None:
    code, out, err = run_cli("validate", str(good_catalogue))
    assert (code, err) == (0, "")
    assert "1 events, all valid" in out


def test_week_without_end_spans_seven_days(good_catalogue: Path) -> None:
    event = read_catalogue(good_catalogue).events[0]
    assert (event.date.start.isoformat(), event.date.end.isoformat()) == ("2020-03-23", "2020-03-29")


def test_norway_is_not_false() -> None:
    text = replace("country: IQ", "country: NO").replace("name: Arbil, canonical: Erbil", "name: Oslo")
    event = parse_catalogue(text).events[0]
    assert event.place.country == "NO"


def test_write_then_read_is_lossless_and_keeps_a_backup(tmp_path: Path, good_catalogue: Path) -> None:
    events = read_catalogue(good_catalogue).events
    target = tmp_path / "out.yaml"
    target.write_text("previous", encoding="utf-8")
    write_catalogue(events, target)
    assert read_catalogue(target).events == events
    assert (tmp_path / "out.yaml.bak").read_text(encoding="utf-8") == "previous"
    assert not list(tmp_path.glob(".out.yaml.*.tmp"))


def test_write_refuses_what_it_could_not_read_back(tmp_path: Path, good_catalogue: Path) -> None:
    events = read_catalogue(good_catalogue).events
    twice = events + events  # duplicate ids
    target = tmp_path / "out.yaml"
    with pytest.raises(CatalogError):
        write_catalogue(twice, target)
    assert not target.exists()


def test_merge_keys_and_anchors_share_a_source() -> None:
    text = """\
events:
  - id: a
    type: statement
    title: A
    date: 2020-04-01
    place: {name: Iraq, geo_precision: country}
    source: &src {publisher: P, title: T, quote: first}
  - id: b
    type: statement
    title: B
    date: 2020-04-01
    place: {name: Iraq, geo_precision: country}
    source:
      <<: *src
      quote: second
"""
    first, second = parse_catalogue(text).events
    assert (first.source.publisher, first.source.quote) == ("P", "first")
    assert (second.source.publisher, second.source.quote) == ("P", "second")


def test_dump_writes_single_days_as_plain_dates(good_catalogue: Path) -> None:
    text = dump_catalogue(read_catalogue(good_catalogue).events)
    assert "start: 2020-03-23" in text and "precision: week" in text


def test_saving_follows_a_symlinked_catalogue_keeps_its_mode_and_refuses_read_only(
    tmp_path: Path, good_catalogue: Path
) -> None:
    events = read_catalogue(good_catalogue).events
    real = tmp_path / "team" / "events.yaml"
    real.parent.mkdir()
    real.write_text(good_catalogue.read_text())
    real.chmod(0o664)
    link = tmp_path / "mine.yaml"
    link.symlink_to(real)
    write_catalogue([*events, events[0].model_copy(update={"id": "second"})], link)
    assert link.is_symlink()  # not replaced by a regular file while the real one diverges
    assert [e.id for e in read_catalogue(real).events] == ["patriot-erbil", "second"]
    assert (real.stat().st_mode & 0o777) == 0o664
    real.chmod(0o444)
    with pytest.raises(FileError, match="read-only"):
        write_catalogue(events, link)
    assert len(read_catalogue(real).events) == 2


def test_validate_reads_no_more_than_the_limit(tmp_path: Path) -> None:
    code, _, err = run_cli("validate", "/dev/zero")
    assert code == 2
    assert "larger than the" in err and "/dev/zero" in err
