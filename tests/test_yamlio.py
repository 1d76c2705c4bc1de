"""YAML reading: YAML 1.2 booleans, line numbers, duplicates, anchors, hostile input."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from geodata.io.yamlio import LineDict, decode_text, dump_yaml, load_yaml


def test_values_and_lines() -> None:
    data, problems = load_yaml("- id: a\n  n: 3\n  f: 1.5\n  d: 2020-03-30\n  no: NO\n  x: ~\n", path=None)
    assert problems == []
    item = data[0]
    assert isinstance(item, LineDict)
    assert item == {"id": "a", "n": 3, "f": 1.5, "d": dt.date(2020, 3, 30), "no": "NO", "x": None}
    assert item.lines == {"id": 1, "n": 2, "f": 3, "d": 4, "no": 5, "x": 6}


def test_yes_no_on_off_stay_text() -> None:
    data, _ = load_yaml("[yes, no, on, off, true, false]", path=None)
    assert data == ["yes", "no", "on", "off", True, False]


def test_impossible_date_stays_text() -> None:
    data, _ = load_yaml("d: 2020-02-30", path=None)
    assert data == {"d": "2020-02-30"}


def test_duplicate_keys_are_problems() -> None:
    _, problems = load_yaml("a: 1\nb: 2\na: 3\n", path="x.yaml")
    assert [(p.line, "duplicate key 'a'" in p.message) for p in problems] == [(3, True)]


def test_syntax_error_has_line_and_column() -> None:
    data, problems = load_yaml("a: [1, 2\nb: 3\n", path="x.yaml")
    assert data is None
    assert problems[0].line == 2 and problems[0].column is not None
    assert problems[0].format().startswith("x.yaml:2:")


def test_deep_nesting_is_refused_without_crashing() -> None:
    data, problems = load_yaml("[" * 200_000 + "]" * 200_000, path=None)
    assert data is None and "nested deeper" in problems[0].message


def test_not_utf8_names_the_line() -> None:
    text, problems = decode_text(b"ok\nstill ok\n\xff bad\n", path="x.yaml")
    assert text is None and problems[0].line == 3


def test_bom_is_accepted() -> None:
    text, problems = decode_text("\ufeffa: 1".encode(), path=None)
    assert (text, problems) == ("a: 1", [])


def test_dump_round_trips() -> None:
    data = [{"id": "a", "date": dt.date(2020, 3, 30), "text": "two\nlines", "country": "NO"}]
    loaded, problems = load_yaml(dump_yaml(data), path=None)
    assert problems == [] and loaded == data


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_data_or_problems_never_an_exception(text: str) -> None:
    data, problems = load_yaml(text, path=None)
    assert data is None or not problems or all(p.message for p in problems)
