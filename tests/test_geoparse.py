"""Geoparsing: recognition, resolution with context, the scorer and the CLI."""

from __future__ import annotations

import io
import itertools
import json
import math
import re
from pathlib import Path

import pytest
from conftest import entry_for
from hypothesis import given, settings
from hypothesis import strategies as st

from geodata import cli
from geodata import gazetteer as gazetteer_package
from geodata.errors import GeodataError
from geodata.extract import corpus as corpus_module
from geodata.extract import cues, recognise
from geodata.extract.corpus import read_jsonl
from geodata.extract.geoparse import Geoparser, Toponym
from geodata.extract.ranking import HAND
from geodata.extract.scoring import MAX_ERROR_KM, auc_of_errors, score
from geodata.extract.windows import windows
from geodata.gazetteer import Entry, Gazetteer
from geodata.gazetteer import index as gazetteer_index


@pytest.fixture(scope="module")
def parser(gazetteer: Gazetteer) -> Geoparser:
    return Geoparser(gazetteer)


def _placed(toponym: Toponym) -> Entry:
    """A toponym's reading, which must exist (a test of what it is, not whether)."""
    assert toponym.entry is not None, toponym
    return toponym.entry


def names_found(parser: Geoparser, text: str) -> list[str]:
    return [text[s:e] for s, e in parser.find(text)]


def test_recognition_keeps_acronyms_and_drops_possessives(parser: Geoparser) -> None:
    text = "U.S. troops left Mosul’s palace; London's mayor and the U.K. government spoke."
    assert names_found(parser, text) == ["U.S.", "Mosul", "London", "U.K."]


def test_recognition_skips_people_titles_and_lowercase_words(parser: Geoparser) -> None:
    text = (
        "David Cameron met President Obama in Paris. The University said police in Orange "
        "arrested a man; orange juice prices rose."
    )
    found = names_found(parser, text)
    assert "Paris" in found
    assert not {"David", "Obama", "University", "Orange"} & set(found)


def test_facility_suffix_is_part_of_the_name(parser: Geoparser) -> None:
    text = "A battery arrived at Ain Al Assad base and at al-Asad airbase."
    assert names_found(parser, text)[0] == "Ain Al Assad base"


def test_context_picks_the_right_namesake(parser: Geoparser) -> None:
    us = "Flooding hit Paris, Texas, and nearby Dallas and Tyler overnight."
    fr = "Protests filled Paris while Lyon and Marseille stayed calm."
    paris_us = parser.parse(us)[0].entry
    paris_fr = parser.parse(fr)[0].entry
    assert paris_us is not None and paris_us.country == "US"
    assert paris_fr is not None and paris_fr.country == "FR"


def test_a_country_named_like_a_state_yields_to_its_text(parser: Geoparser) -> None:
    us = "Georgia officials said the Atlanta clinic and the Savannah port reopened."
    eu = "Georgia and Armenia signed a deal in Tbilisi; Russia and Azerbaijan objected."
    assert _placed(parser.parse(us)[0]).country == "US"
    assert _placed(parser.parse(eu)[0]).country == "GE"


def _resolve_one(parser: Geoparser, name: str) -> Entry | None:
    return parser.resolve(name, [(0, len(name))])[0].entry


def test_near_spellings_and_added_generic_words_are_not_matches(parser: Geoparser) -> None:
    # Skeleton matches would give Samsun for Samos and Ile-Ife for Fife; a loose match would
    # give Atlantic City for "Atlantic". Better no answer than one a continent away.
    assert _resolve_one(parser, "Mosuul") is None
    samos = _resolve_one(parser, "Samos")  # a small Greek town, found among the small towns
    assert samos is not None and samos.country == "GR"
    atlantic = parser.resolve("Atlantic", [(0, 8)])[0].entry
    assert atlantic is not None and (atlantic.name, atlantic.feature) == ("Atlantic Ocean", "ocean")
    # Dropping the query's own generic word is fine: Sokoto State is Sokoto.
    sokoto = _resolve_one(parser, "Sokoto State")
    assert sokoto is not None and sokoto.country == "NG"


def test_counties_are_places(parser: Geoparser) -> None:
    us = {t.name: _placed(t) for t in parser.parse("Fires spread from Orange County toward Riverside.")}
    assert us["Orange County"].kind == "region" and 33 < us["Orange County"].lat < 34.5
    text = "In England, Kent and Suffolk flooded after storms hit Essex."
    gb = {t.name: _placed(t) for t in parser.parse(text)}
    assert gb["Kent"].country == "GB" and gb["Suffolk"].country == "GB"


def test_demonyms_are_recognised_unless_turned_off(parser: Geoparser, gazetteer: Gazetteer) -> None:
    text = "Iraqi forces moved."
    assert parser.find(text) == [(0, 5)]
    assert Geoparser(gazetteer, include_demonyms=False).find(text) == []
    resolved = parser.resolve(text, [(0, 5)])[0].entry
    assert resolved is not None and resolved.id == "country:IQ"


def test_scorer_end_to_end_and_resolution() -> None:
    gold = [
        {
            "id": "d",
            "text": "x",
            "toponyms": [
                {"start": 0, "end": 5, "name": "Erbil", "lat": 36.19, "lon": 44.01},
                {"start": 10, "end": 15, "name": "Mosul", "lat": 36.34, "lon": 43.12},
            ],
        }
    ]
    predicted = {
        "d": [
            {"start": 0, "end": 5, "lat": 36.19, "lon": 44.01},  # exact
            {"start": 20, "end": 24, "lat": 0.0, "lon": 0.0},
        ]
    }  # a wrong span
    e2e = score(gold, predicted, spans_given=False)
    assert (e2e.precision, e2e.recall, e2e.f1) == (0.5, 0.5, 0.5)
    assert e2e.accuracy_161 == 1.0 and e2e.found == 1
    res = score(gold, predicted, spans_given=True)
    assert res.accuracy_161 == 0.5 and res.mean_km == pytest.approx(MAX_ERROR_KM / 2)


def test_auc_bounds() -> None:
    assert auc_of_errors([0.0, 0.0, 0.0]) == 0.0
    worst = math.log1p(MAX_ERROR_KM) / math.log(MAX_ERROR_KM)
    assert auc_of_errors([MAX_ERROR_KM] * 3) == pytest.approx(worst)
    assert 0 < auc_of_errors([1.0, 100.0, 1000.0]) < 1


def test_geoparse_cli(tmp_path: Path) -> None:
    corpus = tmp_path / "in.jsonl"
    text = "Rockets hit Baghdad and Erbil on Monday."
    corpus.write_text(
        json.dumps(
            {
                "id": "a",
                "text": text,
                "toponyms": [{"start": 12, "end": 19, "name": "Baghdad", "lat": 33.34, "lon": 44.40}],
            }
        )
        + "\n",
        encoding="utf-8",
    )
    for flags, names in (([], ["Baghdad", "Erbil"]), (["--gold-spans"], ["Baghdad"])):
        out = tmp_path / "out.jsonl"
        err = io.StringIO()
        assert cli.main(["geoparse", str(corpus), "-o", str(out), *flags], out=io.StringIO(), err=err) == 0
        record = json.loads(out.read_text(encoding="utf-8"))
        assert record["id"] == "a" and [t["name"] for t in record["toponyms"]] == names
        assert abs(record["toponyms"][0]["lat"] - 33.34) < 0.5


def test_geoparse_cli_bad_input(tmp_path: Path) -> None:
    corpus = tmp_path / "in.jsonl"
    corpus.write_text("{not json}\n", encoding="utf-8")
    err = io.StringIO()
    args = ["geoparse", str(corpus), "-o", str(tmp_path / "o.jsonl")]
    assert cli.main(args, out=io.StringIO(), err=err) == 2
    assert "in.jsonl:1" in err.getvalue() and "Traceback" not in err.getvalue()


# A reading of ``recognise._tokens`` from its definition, with its own word pattern and word
# lists written here (not imported from the module under test), so that a change to the
# module's lists or to its punctuation rule makes the two differ.
_REF_WORD = re.compile(r"[^\W\d_](?:[\w.\-]|['’](?![sS]\b)[^\W\d_])*")  # "U.S.", "K-1", "Qa'im"
_REF_JOINERS = frozenset(
    {"of", "de", "del", "da", "do", "du", "la", "le", "al", "el", "and", "upon", "on", "the"}
)
_REF_ARTICLE = re.compile(r"(?:al|el|ad|an|ar|as|ash|at|az|ad-din)-[A-Z]")  # "al-Asad"
_REF_ACRONYM = re.compile(r"(?:[A-Z]\.){2,}")


def _reference_tokens(text: str) -> list[tuple[int, int, str, bool] | None]:
    """Classify every word; one ``None`` per stretch of lower-case words that are no joiners
    (a joiner right after such a word is part of the stretch: no run reaches it)."""
    tokens: list[tuple[int, int, str, bool] | None] = []
    for match in _REF_WORD.finditer(text):
        raw, start = match.group(), match.start()
        if raw[0].isupper() or (raw[0] in "ae" and _REF_ARTICLE.match(raw)):
            word = raw if _REF_ACRONYM.fullmatch(raw) else raw.rstrip(".-")  # "Mosul." "Kent-"
            tokens.append((start, start + len(word), word, True))
        elif raw in _REF_JOINERS and (not tokens or tokens[-1] is not None):
            tokens.append((start, match.end(), raw, False))
        elif not tokens or tokens[-1] is not None:
            tokens.append(None)
    return tokens


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Stratford upon Avon", [(0, 9, "Stratford", True), (10, 14, "upon", False), (15, 19, "Avon", True)]),
        ("Bank of England", [(0, 4, "Bank", True), (5, 7, "of", False), (8, 15, "England", True)]),
        # Trailing dots and hyphens are not part of a word, an acronym's last dot is.
        (
            "Kent- and Mosul. U.S.",
            [(0, 4, "Kent", True), (6, 9, "and", False), (10, 15, "Mosul", True), (17, 21, "U.S.", True)],
        ),
        ("Mosul’s K-1 base", [(0, 5, "Mosul", True), None, (8, 11, "K-1", True), None]),
        ("Ain al-Asad", [(0, 3, "Ain", True), (4, 11, "al-Asad", True)]),
        ("the city of London", [(0, 3, "the", False), None, (12, 18, "London", True)]),
    ],
)
def test_tokens_keep_capitalised_words_and_joiners(
    text: str, expected: list[tuple[int, int, str, bool] | None]
) -> None:
    assert recognise._tokens(text) == expected
    assert _reference_tokens(text) == expected


@settings(max_examples=400, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("aAbBoOfFlLeEnNtThHsS -'’.,1_éÉσΣǅ\n")), max_size=60)
    | st.lists(
        st.sampled_from(
            [
                "of",
                "the",
                "al-Asad",
                "al-asad",
                "Upon",
                "upon",
                "del",
                "de",
                "Anne's",
                "x",
                "U.S.",
                "3M",
                "iPhone",
                "Bank",
                "-",
                " ",
                ", ",
                "éclair",
                "3",
            ]
        ),
        max_size=12,
    ).map(" ".join)
)
def test_fast_tokens_equal_word_by_word_tokens(text: str) -> None:
    assert recognise._tokens(text) == _reference_tokens(text)


def test_darfur_the_red_sea_and_adjectives_of_place(parser: Geoparser) -> None:
    darfur = _resolve_one(parser, "Darfur")  # the five Darfur states of Sudan, together
    assert darfur is not None and darfur.country == "SD" and darfur.kind == "region"
    sea = _resolve_one(parser, "Red Sea")
    assert sea is not None and sea.feature == "sea"  # not Sudan's Red Sea state
    english = _resolve_one(parser, "English")
    assert english is not None and english.country == "GB"  # not English, Indiana


@pytest.mark.parametrize(
    ("text", "dropped", "kept"),
    [
        (
            "HOUSTON - Chris Paul hit a layup late on. Paul scored 27 points in Houston.",
            {"Paul"},
            {"Houston"},
        ),
        ("“No one told me,” said Noma. Noma works as a domestic worker in Khayelitsha.", {"Noma"}, set()),
        # Paul is also a parish of Cape Verde: too small a region to keep its name beside a surname.
        ("Paul Metcalfe stars in the lead role in Clacton.", {"Paul"}, set()),
        (
            "A lawyer for Chen could not be found. Meanwhile, said Allen, the wines from Goleta are fine. "
            "Allen lives there.",
            {"Allen"},
            {"Goleta"},
        ),
        # A place that speaks through a resident, or names a zoo, stays a place elsewhere.
        ("Mark Kitsmore, 54, of Tyler said he was not worried. Tyler has 100,000 people.", set(), {"Tyler"}),
        ("Swans died in a pond at the Dresden Zoo. Officials closed an area of Dresden.", set(), {"Dresden"}),
    ],
)
def test_a_town_name_used_for_a_person_is_no_place_anywhere_in_the_text(
    parser: Geoparser, text: str, dropped: set[str], kept: set[str]
) -> None:
    found = names_found(parser, text)
    assert not dropped & set(found)
    assert kept <= set(found)
    # Without the person cue, the same name is a place: the test above tests the cue.
    for name in dropped:
        assert name in names_found(parser, f"They drove to {name} and on to Houston.")


@pytest.mark.parametrize(
    ("name", "kind", "country", "place"),
    [
        ("Bank of Japan", ("country",), "JP", "Japan"),
        ("Liverpool FC", ("city", "region"), "GB", "Liverpool"),  # the city, or its borough
        ("Colorado State University", ("region",), "US", "Colorado"),
        ("Kendale Lakes Elementary School", ("city",), "US", "Kendale Lakes"),
    ],
)
def test_a_name_the_gazetteer_lacks_is_placed_where_the_place_inside_it_is(
    parser: Geoparser, name: str, kind: tuple[str, ...], country: str, place: str
) -> None:
    assert parser.gazetteer.lookup(name) is None or entry_for(parser.gazetteer, name).name != name
    entry = _resolve_one(parser, name)
    assert entry is not None
    assert entry.kind in kind and (entry.country, entry.name) == (country, place)


def test_a_capital_is_not_outvoted_by_a_namesake_in_the_texts_country(
    gazetteer: Gazetteer, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "The U.S. team beat Italy, and fans in the United States celebrated before the final in Rome."

    def rome() -> str | None:
        found = [t.entry for t in Geoparser(gazetteer, ranker=HAND).parse(text) if t.name == "Rome"]
        return found[0].country if found and found[0] else None

    assert rome() == "IT"
    assert [t.entry.country for t in Geoparser(gazetteer).parse(text) if t.name == "Rome" and t.entry] == [
        "IT"
    ]
    monkeypatch.setattr(gazetteer_index, "CAPITAL_BONUS", 0.0)
    assert rome() == "US"  # Rome, Georgia: the capital's mark is what decides


def test_a_sentence_that_names_a_country_reads_its_places_there(
    parser: Geoparser, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (
        "The outbreak sickened fifty people in sixteen states in the United States: Arizona, "
        "California, Colorado, Georgia, Illinois, Missouri, New Jersey, New Mexico, New York, Ohio, "
        "Oklahoma, Oregon, Tennessee, Utah, Washington and Wisconsin. The United States blocked "
        "imports from Honduras. Illnesses in Canada occurred in British Columbia, Alberta, "
        "Manitoba, Ontario and New Brunswick."
    )

    def ontario() -> str | None:
        found = [t.entry for t in Geoparser(parser.gazetteer, ranker=HAND).parse(text) if t.name == "Ontario"]
        return found[0].id if found and found[0] else None

    assert ontario() == "admin1:CA:Ontario"
    assert "admin1:CA:Ontario" in {t.entry.id for t in parser.parse(text) if t.name == "Ontario" and t.entry}
    monkeypatch.setattr(cues, "SENTENCE_COUNTRY", 0.0)
    assert ontario() != "admin1:CA:Ontario"  # Ontario, California: the cue is what decides


def test_a_long_list_of_states_keeps_each_item_a_state(parser: Geoparser) -> None:
    text = (
        "Cases were reported in Alabama, Arizona, Arkansas, California, Colorado, Georgia, Idaho, "
        "Illinois, Indiana, Kansas, Kentucky, Louisiana, Michigan, Missouri, Mississippi, Montana, "
        "Nebraska, Nevada, New Mexico, North Carolina, Ohio, Oregon, South Carolina, Tennessee, "
        "Texas, Utah, Virginia, Washington, West Virginia and Wyoming."
    )
    found = {t.name: t.entry for t in parser.parse(text)}
    assert len(found) == 30
    assert {(e.kind, e.country) for e in found.values() if e is not None} == {("region", "US")}


def test_a_name_before_virus_or_fever_names_a_disease(parser: Geoparser) -> None:
    text = "Cases of West Nile virus, Marburg virus and Rift Valley fever were reported in Kenya."
    assert names_found(parser, text) == ["Kenya"]
    assert names_found(parser, "Boats sailed down the Nile to Cairo.") == ["Nile", "Cairo"]


def test_a_landform_word_inside_a_name_is_no_place_of_its_own(parser: Geoparser) -> None:
    delta = _resolve_one(parser, "Danube Delta")
    assert delta is not None and delta.name == "Danube"  # not Delta, British Columbia
    # The word alone is still the town.
    assert entry_for(parser.gazetteer, "Delta").kind == "city"


def test_no_place_inside_a_name_means_no_answer(parser: Geoparser) -> None:
    assert _resolve_one(parser, "Zyxqv Plorth Committee") is None
    # A word recognition would not take alone is no place inside a name either.
    assert _resolve_one(parser, "The University Police") is None


def test_an_adjective_of_place_before_a_title_is_still_a_place(gazetteer: Gazetteer) -> None:
    text = "Russian President Putin met Iraqi Foreign Minister Hussein in Baghdad."
    with_adjectives = [text[s:e] for s, e in Geoparser(gazetteer).find(text)]
    assert with_adjectives == ["Russian", "Iraqi", "Baghdad"]
    assert [text[s:e] for s, e in Geoparser(gazetteer, include_demonyms=False).find(text)] == ["Baghdad"]


def test_iso_codes_are_looked_up_but_not_read_in_running_text(parser: Geoparser) -> None:
    text = "She has a BA and flew BA to the US, the UK and the UAE; GW and PM said so."
    assert names_found(parser, text) == ["US", "UK", "UAE"]
    bosnia = entry_for(parser.gazetteer, "BIH")
    assert bosnia is not None and bosnia.country == "BA"
    assert _resolve_one(parser, "BA") is not None  # a span given as a place is still resolved
    assert names_found(parser, "Bosnia and Herzegovina (BIH) and the DRC") == [
        "Bosnia and Herzegovina",
        "DRC",
    ]


def test_a_towns_other_name_of_three_letters_is_not_read(parser: Geoparser) -> None:
    # "Li", "Al" and "Ben" are other names of Lixian, Halle and Bern in GeoNames.
    assert names_found(parser, "Li met Ben and Al for lunch; then they drove to Bo.") == ["Bo"]
    assert {e.name for e in parser.gazetteer.exact_matches("Li")} >= {"Lixian"}


def test_a_modest_regions_name_lets_small_towns_compete(parser: Geoparser) -> None:
    # Nelson, British Columbia (10,000 people) is only among the small towns; Nelson, New
    # Zealand is a city and a region of 50,000: in a text about British Columbia, the former.
    canada = parser.parse("A new FrontCounter BC office opened in Nelson, the ministry said.")
    assert [(t.name, _placed(t).country) for t in canada] == [("BC", "CA"), ("Nelson", "CA")]
    new_zealand = parser.parse("Nelson residents welcomed the new ferry from Wellington.")
    assert [(t.name, _placed(t).country) for t in new_zealand] == [("Nelson", "NZ"), ("Wellington", "NZ")]


def test_a_big_citys_other_name_does_not_shut_out_the_small_towns_that_bear_it(parser: Geoparser) -> None:
    # GeoNames lists "Riverdale" among Glendale's names; Riverdale, New Jersey is a small town.
    text = "The ticket was sold in Riverdale, New Jersey, not far from New York."
    riverdale = parser.parse(text)[0].entry
    assert riverdale is not None and (riverdale.country, riverdale.admin1) == ("US", "NJ")
    # The old names of big cities still mean the big cities.
    found = parser.parse("He flew from Peking to Canton, then to Bombay.")
    assert [t.entry.name for t in found if t.entry] == ["Beijing", "Guangzhou", "Mumbai"]


def test_a_name_also_written_in_lower_case_is_no_place_however_far_apart(parser: Geoparser) -> None:
    filler = "Nothing else happened that day. " * 1_000
    assert names_found(parser, "They drove to Split on Monday. " + filler) == ["Split"]
    assert names_found(parser, "They drove to Split on Monday. " + filler + "The split was bitter.") == []


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("ab .\n")), max_size=300),
    st.integers(min_value=2, max_value=40),
    st.lists(st.tuples(st.integers(0, 300), st.integers(1, 12)), max_size=8),
)
def test_windows_cover_the_text_in_bounded_pieces_never_inside_a_kept_span(
    text: str, size: int, kept: list[tuple[int, int]]
) -> None:
    keep = sorted((s, s + n) for s, n in kept if s + n <= len(text))
    cuts = windows(text, size, keep=keep)
    assert cuts[0][0] == 0 and cuts[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(cuts))
    inner = [end for _, end in cuts[:-1]]
    assert not any(s < cut < e for cut in inner for s, e in keep)
    if not keep:
        assert all(0 < end - start <= size for start, end in cuts[:-1]) and cuts[-1][1] - cuts[-1][0] <= size
        # Each window but the last is at least half full: the count stays linear in the text.
        assert all(end - start >= size // 2 for start, end in cuts[:-1])


def test_windows_end_at_a_paragraph_break_first() -> None:
    text = "aaaa. aaaa\n\nbbbb. bbbb\ncccc. cccc dddd"
    assert windows(text, 16) == [(0, 12), (12, 23), (23, 38)]  # after "\n\n", then after "\n"
    assert windows("x" * 40, 16) == [(0, 16), (16, 32), (32, 40)]
    assert windows(text, len(text)) == [(0, len(text))]


_PARAGRAPH_A = (
    "Rockets struck Camp Taji near Baghdad on Wednesday. Officials in Washington and London "
    "said the attack on the base in Iraq would not go unanswered."
)
_PARAGRAPH_B = (
    "In Georgia, protests filled Tbilisi while Armenia and Azerbaijan traded fire. "
    "Paris, Texas, and nearby Dallas and Tyler stayed calm."
)


def test_a_long_text_is_read_window_by_window_each_as_if_alone(gazetteer: Gazetteer) -> None:
    window = max(len(_PARAGRAPH_A), len(_PARAGRAPH_B)) + 10
    small = Geoparser(gazetteer, window=window)
    text = _PARAGRAPH_A + "\n\n" + _PARAGRAPH_B
    assert len(text) > window
    start_b = len(_PARAGRAPH_A) + 2
    alone = [(t.start, t.end, t.name, t.entry) for t in small.parse(_PARAGRAPH_A)] + [
        (t.start + start_b, t.end + start_b, t.name, t.entry) for t in small.parse(_PARAGRAPH_B)
    ]
    assert [(t.start, t.end, t.name, t.entry) for t in small.parse(text)] == alone
    assert {t.name for t in small.parse(text)} >= {"Camp Taji", "Baghdad", "Georgia", "Paris", "Texas"}
    # With gold spans (given in any order), the same readings.
    spans = [(t.start, t.end) for t in small.parse(text)][::-1]
    resolved = small.resolve(text, spans)
    assert [(t.start, t.end) for t in resolved] == spans
    assert [(t.start, t.end, t.name, t.entry) for t in resolved][::-1] == alone
    # In one window, each paragraph is read in the context of the other: the same names, but
    # not all the same readings (for the hand weights, Washington beside London alone is the
    # English town).
    whole = Geoparser(gazetteer, window=len(text), ranker=HAND).parse(text)
    split = Geoparser(gazetteer, window=window, ranker=HAND)
    assert [(t.start, t.end) for t in whole] == [(s, e) for s, e, _, _ in alone]
    assert [t.entry for t in whole] != [t.entry for t in split.parse(text)]


@pytest.fixture
def loaded(monkeypatch: pytest.MonkeyPatch, gazetteer: Gazetteer) -> None:
    """``geodata geoparse`` with the gazetteer the session already loaded (not once per call)."""
    monkeypatch.setattr(gazetteer_package, "load_gazetteer", lambda **_: gazetteer)


def _write_corpus(tmp_path: Path, *lines: str | bytes) -> Path:
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"".join((line if isinstance(line, bytes) else line.encode()) + b"\n" for line in lines))
    return path


_GOOD = json.dumps({"id": "ok", "text": "Rockets hit Baghdad.", "toponyms": [{"start": 12, "end": 19}]})


_OK = {"start": 12, "end": 19}


@pytest.mark.parametrize(
    ("toponyms", "words"),
    [
        ([_OK, {"end": 5}], "toponym 1: no 'start'"),
        ([_OK, {"start": 0}], "toponym 1: no 'end'"),
        ([_OK, {"start": "0", "end": 5}], "toponym 1: 'start' is '0', not a whole number"),
        ([_OK, {"start": 0.0, "end": 5}], "toponym 1: 'start' is 0.0, not a whole number"),
        ([_OK, {"start": None, "end": 5}], "toponym 1: 'start' is None, not a whole number"),
        ([_OK, {"start": True, "end": 5}], "toponym 1: 'start' is True, not a whole number"),
        ([_OK, {"start": 0, "end": "x" * 1000}], "toponym 1: 'end' is 'xxxxxxxxxxxx...xxxxxxxxxxxxx'"),
        ([_OK, {"start": -1, "end": 5}], "toponym 1: the span [-1, 5) is not a stretch"),
        ([_OK, {"start": 5, "end": 5}], "toponym 1: the span [5, 5)"),
        ([_OK, {"start": 0, "end": 999}], "toponym 1: the span [0, 999) is not a stretch of the text's 20"),
        ([_OK, "Baghdad"], "toponym 1: 'Baghdad' is not an object"),
        (_OK, "'toponyms' is {'end': 19, 'start': 12}, not a list"),
        (None, "'toponyms' is None, not a list"),
    ],
)
def test_geoparse_cli_bad_gold_spans_name_the_file_line_and_toponym(
    loaded: None, tmp_path: Path, toponyms: object, words: str
) -> None:
    doc = {"id": "bad", "text": "Rockets hit Baghdad.", "toponyms": toponyms}
    corpus = _write_corpus(tmp_path, _GOOD, json.dumps(doc))
    out, err = tmp_path / "out.jsonl", io.StringIO()
    assert (
        cli.main(["geoparse", str(corpus), "-o", str(out), "--gold-spans"], out=io.StringIO(), err=err) == 2
    )
    assert err.getvalue().startswith(f"error: {corpus}:2: ")
    assert words in err.getvalue()
    assert "Traceback" not in err.getvalue() and not out.exists()
    # End to end, the spans are not read: the same file is fine.
    assert cli.main(["geoparse", str(corpus), "-o", str(out)], out=io.StringIO(), err=err) == 0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=40), min_size=1, max_size=5))
def test_jsonl_lines_end_at_newlines_only(texts: list[str]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "c.jsonl"
        lines = [json.dumps({"id": str(i), "text": t}, ensure_ascii=False) for i, t in enumerate(texts)]
        path.write_bytes(("\r\n".join(lines) + "\n").encode("utf-8"))
        assert [d["text"] for d in read_jsonl(path)] == texts


def test_geoparse_cli_reads_texts_with_unicode_line_separators(loaded: None, tmp_path: Path) -> None:
    text = "Rockets hit Baghdad.\u2028Then Erbil.\x85Then Mosul.\u2029And Basra."
    corpus = _write_corpus(
        tmp_path, "\ufeff" + json.dumps({"id": "a", "text": text}, ensure_ascii=False), "", "  "
    )
    out, err = tmp_path / "out.jsonl", io.StringIO()
    assert cli.main(["geoparse", str(corpus), "-o", str(out)], out=io.StringIO(), err=err) == 0, (
        err.getvalue()
    )
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").split("\n") if line]
    assert len(records) == 1
    found = [(t["name"], text[t["start"] : t["end"]]) for t in records[0]["toponyms"]]
    assert found == [(n, n) for n in ("Baghdad", "Erbil", "Mosul", "Basra")]


def test_jsonl_is_read_a_line_at_a_time(
    loaded: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = _write_corpus(tmp_path, _GOOD, b"\xff not UTF-8", "x" * 3_000)
    docs = read_jsonl(corpus)
    assert next(docs)["id"] == "ok"  # the bad lines after it are not read yet
    with pytest.raises(GeodataError, match=r"in\.jsonl:2: not UTF-8"):
        next(docs)
    monkeypatch.setattr(corpus_module, "MAX_LINE_BYTES", 1_000)
    err = io.StringIO()
    args = ["geoparse", str(_write_corpus(tmp_path, _GOOD, "x" * 3_000)), "-o", str(tmp_path / "o.jsonl")]
    assert cli.main(args, out=io.StringIO(), err=err) == 2
    assert "in.jsonl:2: the line is longer than 1,000 bytes" in err.getvalue()


def test_a_document_above_the_limit_is_refused_with_its_line(
    loaded: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(corpus_module, "MAX_CHARS", 100)
    corpus = _write_corpus(tmp_path, _GOOD, json.dumps({"text": "Erbil. " * 20}))
    err = io.StringIO()
    assert (
        cli.main(["geoparse", str(corpus), "-o", str(tmp_path / "o.jsonl")], out=io.StringIO(), err=err) == 2
    )
    assert "in.jsonl:2: a text of 140 characters is more than the 100 a document may have" in err.getvalue()
