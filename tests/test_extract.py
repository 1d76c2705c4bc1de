"""Drafting events from articles: the founding article, dates, hostile and odd input."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import ARTICLE, located
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geodata import cli
from geodata.catalog import read_catalogue
from geodata.coords import haversine_km
from geodata.errors import GeodataError
from geodata.extract import article as article_module
from geodata.extract import drafts as drafts_module
from geodata.extract.article import MAX_CHARS, parse_article
from geodata.extract.dates import days_before, find_dates
from geodata.extract.drafts import MAX_SENTENCE_CHARS, DraftedEvent, draft_article, sentences
from geodata.extract.geoparse import Geoparser
from geodata.extract.pipeline import default_parser, extract_article
from geodata.extract.windows import WINDOW_CHARS
from geodata.geocoding import OfflineGeocoder
from geodata.model import Event
from geodata.settings import DEFAULTS

D = dt.date


@pytest.fixture(scope="module")
def drafts(geocoder: OfflineGeocoder) -> list[DraftedEvent]:
    return extract_article(ARTICLE.read_text(encoding="utf-8"), name="article.md")


@pytest.fixture(scope="module")
def catalogue(geocoder: OfflineGeocoder) -> dict[str, Event]:
    return read_catalogue(DEFAULTS.default_catalogue).by_id()


# (draft type, catalogue event it should match, the place the *article* names for it)
EXPECTED = [
    ("air_defence_deployment", "patriot-ain-al-asad", "Ain al-Asad Air Base"),
    ("air_defence_deployment", "patriot-erbil", "Erbil"),
    ("base_handover", "handover-mosul-palace", "Mosul"),
    ("base_handover", "handover-qayyarah-west", "Iraq"),  # "withdrawing from four in Iraq"
    ("attack", "attack-camp-taji-2020-03-11", "Iraq"),  # "attacks on Iraqi bases"
    ("warning", "trump-warns-iran-sneak-attack", "Iraq"),
    ("statement", "centcom-air-defence-statement", "Iraq"),
]


@pytest.mark.parametrize(("kind", "event_id", "place"), EXPECTED, ids=[e[1] for e in EXPECTED])
def test_founding_article_drafts(
    drafts: list[DraftedEvent],
    catalogue: dict[str, Event],
    geocoder: OfflineGeocoder,
    kind: str,
    event_id: str,
    place: str,
) -> None:
    real = catalogue[event_id]
    truth = located(geocoder.geocode(place))

    def fits(d: DraftedEvent) -> bool:
        e = d.event
        here = geocoder.locate_place(e.place)
        return (
            e.type == kind
            and here is not None
            and haversine_km(here.latitude, here.longitude, truth.latitude, truth.longitude) <= 25
            and e.date.start <= real.date.start
            and real.date.end <= e.date.end
        )

    assert any(fits(d) for d in drafts), [
        (d.event.type, d.event.place.name, d.event.date) for d in drafts if d.event.type == kind
    ]


def test_dated_drafts_are_exact(drafts: list[DraftedEvent]) -> None:
    by = {(d.event.type, d.event.place.canonical, d.event.date.start, d.event.date.end) for d in drafts}
    assert ("base_handover", "Mosul", D(2020, 3, 30), D(2020, 3, 30)) in by
    assert ("warning", "Iraq", D(2020, 4, 1), D(2020, 4, 1)) in by
    assert ("statement", "Iraq", D(2020, 4, 2), D(2020, 4, 2)) in by
    assert ("air_defence_deployment", "Ain al-Asad Air Base", D(2020, 3, 23), D(2020, 3, 29)) in by


def test_every_field_points_at_its_words(drafts: list[DraftedEvent]) -> None:
    text = parse_article(ARTICLE.read_text(encoding="utf-8")).text
    _assert_drafts_point_at_their_words(text, drafts)
    for draft in drafts:
        prov = draft.event.provenance
        assert prov is not None
        for name, evidence in prov.fields.items():
            assert text[evidence.start : evidence.end] == evidence.text, name
            assert 0 <= evidence.confidence <= 1


def test_drafts_pass_validation_and_the_cli_writes_them(tmp_path: Path) -> None:
    out = tmp_path / "drafts.yaml"
    err = io.StringIO()
    code = cli.main(["extract", str(ARTICLE), "-o", str(out)], out=io.StringIO(), err=err)
    assert code == 0, err.getvalue()
    assert cli.main(["validate", str(out)], out=io.StringIO(), err=err) == 0, err.getvalue()
    assert len(read_catalogue(out)) >= 7


@pytest.mark.parametrize(
    ("text", "first", "last", "precision"),
    [
        ("It happened on Thursday.", D(2020, 4, 2), D(2020, 4, 2), "day"),
        ("He said on Wednesday that", D(2020, 4, 1), D(2020, 4, 1), "day"),
        ("delivered last week", D(2020, 3, 23), D(2020, 3, 29), "week"),
        ("in the past month", D(2020, 3, 3), D(2020, 4, 2), "month"),
        ("on 30 March 2020", D(2020, 3, 30), D(2020, 3, 30), "day"),
        ("on March 30", D(2020, 3, 30), D(2020, 3, 30), "day"),
        ("on 5 December", D(2019, 12, 5), D(2019, 12, 5), "day"),  # the latest not after publication
        ("in March 2020", D(2020, 3, 1), D(2020, 3, 31), "month"),
        ("last month", D(2020, 3, 1), D(2020, 3, 31), "month"),
        ("yesterday", D(2020, 4, 1), D(2020, 4, 1), "day"),
        ("last Thursday", D(2020, 3, 26), D(2020, 3, 26), "day"),  # said on a Thursday: a week ago
        ("last Friday", D(2020, 3, 27), D(2020, 3, 27), "day"),
    ],
)
def test_relative_dates(text: str, first: dt.date, last: dt.date, precision: str) -> None:
    found = find_dates(text, D(2020, 4, 2))  # a Thursday
    assert [(m.first, m.last, m.precision) for m in found] == [(first, last, precision)]
    assert text[found[0].start : found[0].end] == found[0].text


def test_last_month_in_january_is_december_of_the_year_before() -> None:
    (found,) = find_dates("last month", D(2021, 1, 15))
    assert (found.first, found.last, found.precision) == (D(2020, 12, 1), D(2020, 12, 31), "month")


def test_no_dates_in_plain_words() -> None:
    assert find_dates("Troops march 30 km; they may 4 times.", D(2020, 4, 2)) == []


def test_sentences_keep_abbreviations() -> None:
    text = 'Capt. Urban spoke. U.S. troops left Mosul. Mr Trump wrote: "Iran will pay." Then more.'
    parts = [text[s:e] for s, e in sentences(text)]
    assert parts[0] == "Capt. Urban spoke." and "U.S. troops left Mosul." in parts


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("", "no text"),
        ("   \n\n ", "no text"),
        ("---\npublished: 2020-13-01\n---\nHi", "not a date"),
    ],
)
def test_unusable_articles_get_clear_messages(raw: str, words: str) -> None:
    with pytest.raises(GeodataError, match=words):
        extract_article(raw, published=D(2020, 1, 1) if "published" not in raw else None)


def _shifted(draft: DraftedEvent, offset: int) -> tuple[object, ...]:
    """What a draft says and where its words are, with offsets less ``offset``."""
    event, prov = draft.event, draft.event.provenance
    assert prov is not None
    fields = {k: (e.text, e.start - offset, e.end - offset) for k, e in prov.fields.items()}
    return (event.type, event.place, event.date, event.actors, prov.start - offset, prov.end - offset, fields)


def test_a_report_inside_a_long_foreign_text_drafts_as_it_does_alone(geocoder: OfflineGeocoder) -> None:
    article = parse_article(ARTICLE.read_text(encoding="utf-8"))
    alone = extract_article(article.text, published=article.published)
    assert len(alone) >= 7
    # German: a language drafting does not read (French, Arabic, Russian and Ukrainian it does)
    foreign = "Die Truppen haben den Stützpunkt bei Mossul am 30. März 2020 verlassen. " * 5_000
    # Placed across the end of the first window of a long text: read as it is alone.
    before = foreign[:48_500] + "\n\n"
    big = before + article.text + "\n\n" + foreign
    assert len(big) > 5 * WINDOW_CHARS
    drafts = extract_article(big, published=article.published)
    assert [_shifted(d, len(before)) for d in drafts] == [_shifted(d, 0) for d in alone]
    assert extract_article("Nothing happened anywhere, said nobody.", published=D(2020, 4, 2)) == []


def test_an_article_above_the_limit_is_refused_with_the_limit() -> None:
    with pytest.raises(GeodataError, match="5,000,001 characters is more than the 5,000,000"):
        extract_article("x" * (MAX_CHARS + 1), published=D(2020, 4, 2))


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs a file that never ends")
def test_the_cli_reads_no_more_of_a_file_than_an_article_can_hold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(article_module, "MAX_CHARS", 1_000)  # so 4,000 bytes (UTF-8) are read
    err = io.StringIO()
    assert cli.main(["extract", "/dev/zero", "--published", "2020-04-02"], out=io.StringIO(), err=err) == 2
    assert err.getvalue().startswith("error: /dev/zero: the article is larger than the 4,000 bytes limit")


def test_a_sentence_beyond_the_longest_drafted_is_skipped_and_breaks_a_run(geocoder: OfflineGeocoder) -> None:
    run_on = "A Patriot battery was delivered to Erbil" + ", and more" * 200 + ". "
    assert len(run_on) > MAX_SENTENCE_CHARS
    assert extract_article(run_on + "Another was shipped to Erbil last week.", published=D(2020, 4, 2)) == []
    # Not for its words: the same sentences, the first short, are drafted.
    short = "A Patriot battery was delivered to Erbil. Another was shipped to Erbil last week."
    assert [d.event.type for d in extract_article(short, published=D(2020, 4, 2))] == [
        "air_defence_deployment",
        "air_defence_deployment",
    ]


_UNDATED_AND_RELATIVE = (
    "Troops withdrew from Mosul. Rockets hit Erbil yesterday, in the past week and last month."
)


@pytest.mark.parametrize("published", ["0001-01-01", "9999-12-31", "1899-12-31", "2100-01-01"])
def test_a_publication_date_outside_the_years_read_is_refused(
    geocoder: OfflineGeocoder, tmp_path: Path, published: str
) -> None:
    path = tmp_path / "a.md"
    path.write_text(f"---\npublished: {published}\n---\n{_UNDATED_AND_RELATIVE}\n", encoding="utf-8")
    for args in (["extract", str(path)], ["extract", str(path), "--published", published]):
        err = io.StringIO()
        assert cli.main(args, out=io.StringIO(), err=err) == 2
        assert f"published {published!r} is outside 1900-2099" in err.getvalue()
        assert err.getvalue().startswith("error: ")
    article = replace(parse_article(_UNDATED_AND_RELATIVE), published=dt.date.fromisoformat(published))
    with pytest.raises(GeodataError, match="outside"):
        draft_article(article, default_parser())


@pytest.mark.parametrize("published", [D(1900, 1, 1), D(2099, 12, 31)])
def test_the_first_and_last_days_read_draft(geocoder: OfflineGeocoder, published: dt.date) -> None:
    drafts = extract_article(_UNDATED_AND_RELATIVE, published=published)
    assert [d.event.type for d in drafts] == ["base_handover", "attack"]
    assert all(d.event.date.start <= d.event.date.end <= published for d in drafts)


@pytest.mark.parametrize("published", [dt.date.min, dt.date.max])
def test_dates_at_the_ends_of_the_calendar_do_not_overflow(published: dt.date) -> None:
    text = "on Monday, yesterday, last week, this week, in the past year, last month, on 5 December"
    found = find_dates(text, published)
    assert all(m.first <= m.last <= published for m in found)
    assert days_before(published, 30) == (dt.date.min if published == dt.date.min else D(9999, 12, 1))
    assert days_before(D(2020, 4, 2), 30) == D(2020, 3, 3)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.text(max_size=2000))
def test_any_text_drafts_or_explains(geocoder: OfflineGeocoder, text: str) -> None:
    try:
        drafts = extract_article(text, published=D(2020, 4, 2))
    except GeodataError as err:
        assert str(err)
        return
    _assert_drafts_point_at_their_words(parse_article(text).text, drafts)


def _assert_drafts_point_at_their_words(text: str, drafts: list[DraftedEvent]) -> None:
    for draft in drafts:
        prov = draft.event.provenance
        assert prov is not None and draft.evidence
        for sentence in draft.evidence:
            assert text[sentence["start"] : sentence["end"]] == sentence["text"]
        first = " ".join(draft.evidence[0]["text"].split())
        assert draft.event.source.quote.startswith(first)
        for evidence in prov.fields.values():
            assert prov.start <= evidence.start < evidence.end <= prov.end
            assert text[evidence.start : evidence.end] == evidence.text
        assert 0 <= draft.confidence <= 1 and draft.salience in ("main", "secondary", "background")


_WORDS = st.sampled_from(
    [
        "Erbil",
        "Iraq",
        "Washington",
        "Camp Taji",
        "Patriot",
        "delivered",
        "killed",
        "warned",
        "said",
        "Another was shipped to",
        "on Monday",
        "30 March 2020",
        "last month",
        "---",
        "published: ",
        "2020-04-02",
        "0001-01-01",
        "title: ",
        "[",
        "{",
        ":",
        "&a",
        "*a",
        "'",
        '"',
        " ",
        ". ",
        ",",
        "\n",
        "\r\n",
        "\u2028",
        "\x85",
        "\x00",
        "\ufeff",
    ]
)
_HOSTILE = (
    st.text(max_size=500)
    | st.binary(max_size=500).map(lambda b: b.decode("latin-1"))
    | st.lists(_WORDS | st.text(max_size=4), max_size=60).map("".join)
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_HOSTILE, st.sampled_from([None, D(2020, 4, 2)]))
def test_the_article_reader_raises_nothing_but_geodata_errors(
    tiny_geocoder: OfflineGeocoder, raw: str, published: dt.date | None
) -> None:
    try:
        article = parse_article(raw, published=published)
        drafts = extract_article(raw, published=published, parser=Geoparser(tiny_geocoder.gazetteer))
    except GeodataError as err:
        assert str(err)
        return
    assert article.published is not None  # without a date, drafting refuses
    _assert_drafts_point_at_their_words(article.text, drafts)


def _alias_bomb(key: str) -> str:
    """Front matter whose ``key`` is a list that holds itself by aliases 2**40 times over."""
    lines = ["a: &a [x]"]
    for i in range(40):
        inner = "a" if i == 0 else f"b{i - 1}"
        lines.append(f"b{i}: &b{i} [*{inner}, *{inner}]")
    return "---\n" + "\n".join(lines) + f"\n{key}: *b39\n---\nRockets hit Erbil."


@pytest.mark.parametrize("key", ["title", "publisher", "url", "published"])
@pytest.mark.parametrize(("value", "shown"), [("[a, b]", "a list"), ("{a: 1}", "a mapping")])
def test_front_matter_that_is_not_text_is_refused_not_printed(key: str, value: str, shown: str) -> None:
    with pytest.raises(GeodataError, match=f"{key}.* {shown}, not"):
        parse_article(f"---\n{key}: {value}\n---\nRockets hit Erbil.")
    # Nor printed when it is a list that holds itself by aliases 2**40 times over.
    with pytest.raises(GeodataError):
        parse_article(_alias_bomb(key))


@pytest.mark.parametrize("published", ["2020-04-02 10:00:00", "2020-04-02T23:59:59Z", "'2020-04-02'"])
def test_a_publication_time_of_day_is_its_date(published: str) -> None:
    dated = parse_article(f"---\npublished: {published}\n---\nRockets hit Erbil.")
    assert dated.published == D(2020, 4, 2) and type(dated.published) is dt.date


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.binary(max_size=3000))
def test_binary_junk_through_the_cli(
    tmp_path_factory: pytest.TempPathFactory, geocoder: OfflineGeocoder, data: bytes
) -> None:
    path = tmp_path_factory.mktemp("junk") / "junk.txt"
    path.write_bytes(data)
    err = io.StringIO()
    code = cli.main(["extract", str(path), "--published", "2020-04-02"], out=io.StringIO(), err=err)
    assert code in (0, 2)
    assert "Traceback" not in err.getvalue()
    if code == 2:
        assert err.getvalue().startswith("error:")


def _ids_by_definition(bases: list[str]) -> list[str]:
    """Each id the base, else the first of base-2, base-3 ... not taken."""
    used: list[str] = []
    for base in bases:
        event_id, n = base, 2
        while event_id in used:
            event_id, n = f"{base}-{n}", n + 1
        used.append(event_id)
    return used


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["a", "a-2", "a-3", "a-2-2", "b", "b-2"]), max_size=30))
def test_event_ids_are_numbered_as_by_their_definition(bases: list[str]) -> None:
    ids = drafts_module._Ids()
    assert [ids.take(base) for base in bases] == _ids_by_definition(bases)


def test_many_events_of_one_place_type_and_date_get_numbered_ids(geocoder: OfflineGeocoder) -> None:
    text = "Rockets hit Erbil on Monday. " + "Another salvo hit Erbil on Monday. " * 299
    ids = [d.event.id for d in extract_article(text, published=D(2020, 4, 2))]
    assert ids == ["attack-erbil-2020-03-30"] + [f"attack-erbil-2020-03-30-{n}" for n in range(2, 301)]


@pytest.mark.parametrize(
    ("text", "first", "last", "precision"),
    [
        ("on Saturday last week", D(2020, 3, 28), D(2020, 3, 28), "day"),
        ("in the last week of March", D(2020, 3, 25), D(2020, 3, 31), "week"),
        ("in January", D(2020, 1, 1), D(2020, 1, 31), "month"),
        ("in December", D(2019, 12, 1), D(2019, 12, 31), "month"),  # the latest not after publication
        ("in late March", D(2020, 3, 21), D(2020, 3, 31), "month"),
        ("since mid-October", D(2019, 10, 11), D(2020, 4, 2), "month"),  # from then until publication
        ("last weekend", D(2020, 3, 28), D(2020, 3, 29), "week"),
        ("overnight", D(2020, 4, 1), D(2020, 4, 2), "day"),
        ("last year", D(2019, 1, 1), D(2019, 12, 31), "year"),
        ("earlier this month", D(2020, 4, 1), D(2020, 4, 2), "month"),
        ("in the past few weeks", D(2020, 3, 12), D(2020, 4, 2), "month"),
    ],
)
def test_more_relative_dates(text: str, first: dt.date, last: dt.date, precision: str) -> None:
    found = find_dates(text, D(2020, 4, 2))  # a Thursday
    assert [(m.first, m.last, m.precision) for m in found] == [(first, last, precision)]
