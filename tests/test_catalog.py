"""Reading and validating catalogues: every problem reported at once, with id, field and line."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import GOOD_EVENT, REPO
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.hostile_yaml import alias_bomb, shared_references
from geodata import cli
from geodata.catalog import _short, dump_catalogue, parse_catalogue, read_catalogue, write_catalogue
from geodata.errors import CatalogError, ExportError, FileError
from geodata.geocoding import OfflineGeocoder
from geodata.io.yamlio import LineList


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


# --- hostile input: amplification, bounded messages, every character kept --------------------


def test_alias_bomb_catalogue_is_refused_at_the_alias() -> None:
    with pytest.raises(CatalogError) as info:
        parse_catalogue(alias_bomb(levels=6), path="bomb.yaml")
    assert [(p.line, p.column) for p in info.value.problems] == [(7, 43)]
    assert "alias *a4 stands for 111,111 values" in info.value.problems[0].message


def test_events_sharing_a_long_references_list_are_refused_before_validation() -> None:
    text = shared_references(1_000, 200)  # 200,000 references through two aliases, 44 KB
    with pytest.raises(CatalogError) as info:
        parse_catalogue(text, path="shared.yaml")
    (problem,) = info.value.problems
    assert "alias *base stands for 1,431 values" in problem.message
    assert (problem.line, problem.column) == (705, 8)
    assert text.splitlines()[705 - 1].startswith("- {<<: *base, id: e696}")


def test_events_sharing_a_short_references_list_are_read() -> None:
    catalogue = parse_catalogue(shared_references(200, 60))
    assert len(catalogue) == 200 and {len(e.references) for e in catalogue.events} == {60}


@pytest.mark.parametrize(
    ("data", "where", "words"),
    [
        (b"events:\n- id: " + b"7" * 5_000 + b"\n", ":2:7:", "a number of 5,000 digits"),
        (b"events:\n- id: a\x00b\n", ":2:8:", "U+0000"),
        (b"events:\n- id: a\n  title: \x1b[31mred\n", ":3:10:", "U+001B"),
    ],
    ids=["5000-digit integer", "NUL", "escape"],
)
def test_unreadable_values_name_line_and_column(tmp_path: Path, data: bytes, where: str, words: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(data)
    code, _, err = run_cli("validate", str(path))
    assert code == 2
    assert err.startswith(f"{path}{where} YAML error:") and words in err, err


def test_short_repr_of_a_shared_structure_does_not_expand_it() -> None:
    looked = []

    class Leaf:
        def __repr__(self) -> str:
            looked.append(1)
            return "leaf"

    value: object = [Leaf()] * 10
    for _ in range(4):
        value = LineList([value] * 10)
    assert len(_short(value)) <= 80
    assert len(looked) <= 4**3


def test_a_long_id_and_place_name_are_shortened_in_messages(tiny_geocoder: OfflineGeocoder) -> None:
    long_id = replace("id: patriot-erbil", "id: " + "x" * 10_000)
    with pytest.raises(CatalogError) as info:
        parse_catalogue(long_id)
    assert max(len(p.format()) for p in info.value.problems) < 400
    unknown = replace("{name: Arbil, canonical: Erbil,", "{name: " + "Q" * 10_000 + ",")
    with pytest.raises(CatalogError) as info:
        parse_catalogue(unknown, geocoder=tiny_geocoder)
    assert [len(p.format()) < 400 for p in info.value.problems] == [True]


AWKWARD_TEXT = ["line\x85next", "a\u2028b\u2029c", "cr\rlf\r\nend", "two  \nspaces \n end", "tab\tin", "1e5"]


def test_awkward_text_is_written_and_read_back_unchanged(tmp_path: Path, good_catalogue: Path) -> None:
    (event,) = read_catalogue(good_catalogue).events
    events = [
        event.model_copy(update={"id": f"e{i}", "title": text, "summary": text, "actors": [text]})
        for i, text in enumerate(AWKWARD_TEXT)
    ]
    target = tmp_path / "out.yaml"
    write_catalogue(events, target)
    assert read_catalogue(target).events == events


def test_a_lone_surrogate_is_refused_when_writing(tmp_path: Path, good_catalogue: Path) -> None:
    (event,) = read_catalogue(good_catalogue).events  # a JSON "\ud800" escape can make one
    target = tmp_path / "out.yaml"
    with pytest.raises(ExportError, match=r"lone surrogate \(U\+D800\)"):
        write_catalogue([event.model_copy(update={"title": "bad \ud800"})], target)
    assert not target.exists()


_VISIBLE_ENDS = st.text(
    st.one_of(st.characters(codec="utf-8"), st.sampled_from("\x85\u2028\u2029\r\n\t \ufeff")),
    min_size=1,
    max_size=40,
).filter(lambda s: s == s.strip() and s.strip() != "")


@settings(max_examples=150, deadline=None)
@given(title=_VISIBLE_ENDS, quote=_VISIBLE_ENDS)
def test_any_title_and_quote_round_trip(title: str, quote: str) -> None:
    (event,) = parse_catalogue(GOOD_EVENT).events
    source = event.source.model_copy(update={"quote": quote})
    changed = event.model_copy(update={"title": title, "source": source})
    assert parse_catalogue(dump_catalogue([changed])).events == [changed]


_YAMLISH = st.lists(
    st.sampled_from(
        [
            *"-:[]{},?'\"#|>.e5_0~\n\t\x00\x85",
            "  ",
            "- ",
            ": ",
            "&a ",
            "*a",
            "&b ",
            "*b",
            "<<: ",
            "!!str ",
            "!!int ",
            "!x ",
            "id",
            "events",
            "type",
            "date",
            "2020-02-30",
            "1" * 4_400,
            "---\n",
        ]
    ),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(max_size=200), _YAMLISH, _YAMLISH.map(str.encode)))
def test_hostile_bytes_and_text_give_only_catalogue_errors(data: bytes | str) -> None:
    try:
        catalogue = parse_catalogue(data, path="fuzz.yaml")
    except CatalogError as err:
        assert err.problems and all(p.message for p in err.problems)
    else:
        assert isinstance(catalogue.events, list)


def test_validate_reads_no_more_than_the_limit(tmp_path: Path) -> None:
    code, _, err = run_cli("validate", "/dev/zero")
    assert code == 2
    assert "larger than the" in err and "/dev/zero" in err
