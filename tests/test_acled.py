"""The CSV with ACLED's column names: export, import, export is identical; bad rows are named."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

from geodata.catalog import parse_catalogue
from geodata.errors import CatalogError
from geodata.frame import events_frame
from geodata.geocoding import OfflineGeocoder
from geodata.io.acled import COLUMNS, acled_csv_bytes
from geodata.io.readers import parse_events_bytes, read_events_file

SIDES = """\
- id: sides
  type: attack
  title: Rockets on a base
  summary: "=2+3 rockets hit the base; two killed."
  date: {start: 2020-03-11, precision: week}
  place: {name: Camp Taji, country: IQ, geo_precision: facility}
  actors: ["coalition forces", "Kataib; Hezbollah", "Iraqi army"]
  actor1: {name: Kataib Hezbollah, type: Political militia}
  actor2: coalition forces
  fatalities: {low: 2, high: 5}
  tags: [rockets, "-night"]
  source: {publisher: "@Wire", title: T, quote: Two rockets hit the base.}
  references: [{publisher: Other Paper, title: T2, quote: Q2.}]
- id: unknown-toll
  type: statement
  title: A statement
  date: {start: 2020-04-01, precision: month}
  place: {name: Erbil, geo_precision: city, region: Kurdistan Region, admin2: Erbil District}
  source: {publisher: P, title: T, quote: Q.}
"""


def _rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))


def test_export_import_export_is_identical(geocoder: OfflineGeocoder) -> None:
    events = [
        *read_events_file(REPO / "events.yaml", geocoder=geocoder).events,
        *parse_catalogue(SIDES).events,
    ]
    first = acled_csv_bytes(events_frame(events, geocoder))
    back = parse_events_bytes(first, name="acled.csv", geocoder=geocoder).events
    assert len(back) == len(events)
    assert acled_csv_bytes(events_frame(back, geocoder)) == first
    rows = {r["event_id_cnty"]: r for r in _rows(first)}
    assert list(_rows(first)[0]) == list(COLUMNS)
    sides = rows["sides"]
    assert (sides["actor1"], sides["inter1"], sides["actor2"], sides["inter2"]) == (
        "Kataib Hezbollah",
        "Political militia",
        "coalition forces",
        "External/Other forces",  # the actor dictionary's type
    )
    assert sides["assoc_actor_1"] == "Kataib, Hezbollah; Iraqi army"  # "; " separates actors
    assert (sides["fatalities"], sides["time_precision"], sides["geo_precision"]) == ("2", "2", "1")
    assert sides["event_type"] == "Explosions/Remote violence" and sides["notes"].startswith("'=2+3")
    assert sides["source"] == "'@Wire; Other Paper" and sides["country"] == "Iraq"
    toll = rows["unknown-toll"]
    assert (toll["fatalities"], toll["admin1"], toll["admin2"], toll["time_precision"]) == (
        "",
        "Kurdistan Region",
        "Erbil District",
        "3",
    )
    assert rows["patriot-erbil"]["admin1"] and not rows["centcom-air-defence-statement"]["admin1"]


HEADER = ",".join(COLUMNS)
GOOD = [
    "IRQ1,30 March 2020,2020,1,Battles,Armed clash,Military Forces of Iraq (2014-),,1,Islamic State,,2,"
    "Iraq,Kirkuk,,Hawija,35.3289,43.7566,2,Shafaq News,Clashes were reported.,3,",
    "IRQ2,2020-03-31,2020,2,Protests,Peaceful protest,Protesters (Iraq),,Protesters,,,,Iraq,Baghdad,,"
    "Baghdad,33.3406,44.4009,1,Local Source; Other,Demonstrators gathered.,0,crowd size=no report",
]
BAD = {
    "IRQ3,31/13/2020,2020,1,Battles,Armed clash,A,,1,,,,Iraq,,,Hawija,35.3,43.7,1,S,N,0,": "event_date",
    "IRQ4,2020-03-31,2020,1,Picnics,Lunch,A,,1,,,,Iraq,,,Hawija,35.3,43.7,1,S,N,0,": "event_type",
    "IRQ5,2020-03-31,2020,1,Battles,Armed clash,A,,Aliens,,,,Iraq,,,Hawija,35.3,43.7,1,S,N,0,": "inter1",
    "IRQ6,2020-03-31,2020,1,Battles,Armed clash,A,,1,,,,Iraq,,,Hawija,35.3,43.7,1,S,N,-2,": "fatalities",
    "IRQ7,2020-03-31,2020,1,Battles,Armed clash,A,,1,,,,Iraq,,,Hawija,135.3,43.7,1,S,N,0,": "place.lat",
    "IRQ8,2020-03-31,2020,9,Battles,Armed clash,A,,1,,,,Iraq,,,Hawija,35.3,43.7,1,S,N,0,": "time_precision",
    "IRQ9,2020-03-31,2020,1,Battles,Armed clash,,,,B,,1,Iraq,,,Hawija,35.3,43.7,1,S,N,0,": "actor1",
}


def test_an_acled_file_imports_with_acleds_codes_and_words(geocoder: OfflineGeocoder) -> None:
    content = "\r\n".join([HEADER, *GOOD]).encode()
    clash, protest = parse_events_bytes(content, name="acled.csv", geocoder=geocoder).events
    assert (clash.id, clash.type, str(clash.date.start), clash.date.precision) == (
        "irq1",
        "attack",
        "2020-03-30",
        "day",
    )
    assert clash.actor1 is not None and clash.actor1.type == "State forces"
    assert clash.actor2 is not None and clash.actor2.type == "Rebel group"
    assert clash.fatalities is not None and clash.fatalities.low == 3
    assert (clash.place.region, clash.place.geo_precision, clash.place.lat) == ("Kirkuk", "region", 35.3289)
    assert clash.title == "Armed clash: Hawija" and clash.source.quote == "Clashes were reported."
    assert protest.type == "other" and protest.date.precision == "week"
    assert protest.actor1 is not None and protest.actor1.type == "Protesters"
    assert [r.publisher for r in protest.references] == ["Other"] and protest.tags == ["crowd size=no report"]


def test_each_bad_row_is_named_with_its_line_event_and_column(geocoder: OfflineGeocoder) -> None:
    content = "\r\n".join([HEADER, *GOOD, *BAD]).encode()
    with pytest.raises(CatalogError) as caught:
        parse_events_bytes(content, name="acled.csv", geocoder=geocoder)
    problems = caught.value.problems
    assert len(problems) == len(BAD)
    for line, (problem, field) in enumerate(zip(problems, BAD.values(), strict=True), start=4):
        assert (problem.path, problem.line, problem.field) == ("acled.csv", line, field)
        assert problem.event_id == f"irq{line - 1}"  # the id the event gets


def test_a_file_without_acleds_key_columns_is_refused_with_their_names() -> None:
    content = b"event_id_cnty,event_type\r\nX1,Battles\r\n"
    with pytest.raises(CatalogError, match="needs the columns event_date, location, latitude, longitude"):
        parse_events_bytes(content, name="acled.csv")


def test_the_cli_exports_acled_csv(tmp_path: Path) -> None:
    out = tmp_path / "acled.csv"
    done = subprocess.run(
        [sys.executable, "-m", "geodata", "export", "--format", "acled", "-o", str(out)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert len(_rows(out.read_bytes())) == 14
    checked = subprocess.run(
        [sys.executable, "-m", "geodata", "validate", str(out)], capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stderr


def _one_row(cells: dict[str, str], header: tuple[str, ...] = COLUMNS) -> bytes:
    row = {"event_id_cnty": "IRQ1", "event_date": "2020-03-30", "event_type": "Battles",
           "sub_event_type": "Armed clash", "actor1": "A", "inter1": "1", "country": "Iraq",
           "location": "Hawija", "latitude": "35.3", "longitude": "43.7", "source": "S", "notes": "N",
           **cells}  # fmt: skip
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerow([row.get(c.strip().lower(), "") for c in header])
    return out.getvalue().encode()


@pytest.mark.parametrize(
    ("cells", "field"),
    [
        ({"fatalities": "²"}, "fatalities"),  # a digit to str.isdigit, no number to int()
        ({"inter1": "¹"}, "inter1"),
        ({"actor1": "", "inter1": "2"}, "inter1"),
        ({"actor2": "", "inter2": "7"}, "inter2"),
    ],
)
def test_odd_cells_are_problems_not_crashes(cells: dict[str, str], field: str) -> None:
    with pytest.raises(CatalogError) as caught:
        parse_events_bytes(_one_row(cells), name="acled.csv")
    assert [(p.field, p.line, p.event_id) for p in caught.value.problems] == [(field, 2, "irq1")]


def test_acleds_own_ways_are_read() -> None:
    header = tuple(f" {c.title()} " for c in COLUMNS)  # "Event_Date", spaces around
    cells = {"inter2": "0", "fatalities": "4", "country": "Democratic Republic of Congo"}
    (event,) = parse_events_bytes(_one_row(cells, header), name="acled.csv").events
    assert event.actor2 is None and event.fatalities is not None and event.fatalities.low == 4
    assert event.place.country == "CD"
    (kosovo,) = parse_events_bytes(_one_row({"country": "Kosovo"}), name="acled.csv").events
    assert kosovo.place.country == "XK"


def test_cells_beyond_the_header_are_a_problem() -> None:
    content = _one_row({}).rstrip(b"\r\n") + b",extra,cells\r\n"
    with pytest.raises(CatalogError, match=r"2 more cell\(s\) than the header"):
        parse_events_bytes(content, name="acled.csv")


def test_a_tag_with_a_semicolon_survives_the_round_trip(tiny_geocoder: OfflineGeocoder) -> None:
    events = parse_catalogue(SIDES.replace('tags: [rockets, "-night"]', 'tags: ["a;b", c]')).events
    first = acled_csv_bytes(events_frame(events, tiny_geocoder))
    back = parse_events_bytes(first, name="acled.csv").events
    assert acled_csv_bytes(events_frame(back, tiny_geocoder)) == first
