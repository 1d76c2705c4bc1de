"""The merger's rules: which two reports are one event, which are a general report and an event
it covers, and which are two events; the candidates an index finds and the one proposed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from geodata.actors import actor_tokens, country_code, is_country, normalised_actors, same_actor
from geodata.frame import events_frame
from geodata.geocoding import OfflineGeocoder
from geodata.merge import Candidate, KeyIndex, best, candidates, compare, key_of_event, keys_of_frame
from geodata.merge.keys import Key
from geodata.merge.score import matchable
from geodata.model import Event
from geodata.settings import DEFAULTS

TAJI = (33.52944, 44.2775)
IRAQ = (33.0, 44.0)
IRAQ_PLACE = {"name": "Iraq", "country": "IQ", "geo_precision": "country"}


def event(n: int = 1, **changes: Any) -> Event:
    """A report of the rocket attack on Camp Taji of 11 March 2020, as outlet ``n`` gives it."""
    data: dict[str, Any] = {
        "id": f"taji-{n}",
        "type": "attack",
        "title": "Rockets hit Camp Taji",
        "date": {"start": dt.date(2020, 3, 11), "precision": "day"},
        "place": {"name": "Camp Taji", "country": "IQ", "geo_precision": "facility"},
        "actors": ["Kataib Hezbollah"],
        "source": {"publisher": f"Outlet {n}", "title": f"Report {n}", "quote": "Rockets hit Camp Taji."},
    }
    data.update(changes)
    return Event.model_validate(data)


def key(n: int = 1, point: tuple[float, float] = TAJI, *, kind: str = "draft", **changes: Any) -> Key:
    return key_of_event(event(n, **changes), point, kind=kind, id=n)  # type: ignore[arg-type]


def north(km: float) -> tuple[float, float]:
    """A point ``km`` kilometres north of Camp Taji."""
    return TAJI[0] + km / 111.2, TAJI[1]


def test_the_same_event_from_two_outlets_merges_with_its_evidence() -> None:
    verdict = compare(key(1), key(2, north(0.4), actors=["Iran-backed Kataib Hezbollah"]))
    assert verdict is not None and verdict.relation == "same"
    assert verdict.score > 0.95
    evidence = verdict.evidence
    assert evidence.agreed == ("type", "date", "place", "actors")
    assert evidence.shared_actors == ("kataib hezbollah",)
    assert evidence.days_apart == 0 and evidence.distance_km == pytest.approx(0.4, abs=0.05)
    assert evidence.dates == ("11 March 2020", "11 March 2020")
    assert evidence.as_json()["agreed"] == ["type", "date", "place", "actors"]


def test_same_kind_same_place_but_another_week_is_another_event() -> None:
    assert compare(key(1), key(2, date={"start": dt.date(2020, 3, 18), "precision": "day"})) is None
    weekly = key(2, date={"start": dt.date(2020, 3, 16), "precision": "week"})
    assert compare(key(1), weekly) is None


def test_the_same_day_300_km_apart_is_another_event() -> None:
    for precision in ("facility", "city", "region"):
        place = {"name": "Somewhere", "country": "IQ", "geo_precision": precision}
        assert compare(key(1, place=place), key(2, north(300), place=place)) is None


def test_a_statement_and_an_attack_are_never_one_event() -> None:
    said = key(2, type="statement", actors=["Kataib Hezbollah"])
    assert compare(key(1), said) is None
    assert compare(said, key(1)) is None


def test_statements_are_one_event_only_with_the_same_speaker() -> None:
    def said(n: int, *names: str, kind: str = "statement") -> Key:
        return key(n, IRAQ, type=kind, actors=list(names), place={"name": "Iraq", "geo_precision": "country"})

    same = compare(said(1, "Capt Bill Urban"), said(2, "Captain Urban"))
    assert same is not None and same.relation == "same" and same.evidence.shared_actors == ("bill urban",)
    assert compare(said(1, "Joe Biden"), said(2, "Rishi Sunak")) is None
    assert compare(said(1), said(2)) is None  # nobody named: what two people said is two events
    warned = compare(said(1, "President Donald Trump", kind="warning"), said(2, "Mr Trump"))
    assert warned is not None and warned.relation == "same"
    # Two officials of one government share only their country: two speakers.
    assert compare(said(1, "Mark Esper", "United States"), said(2, "Boris Johnson", "the US")) is None
    government = compare(said(1, "United States", "Houthis"), said(2, "the US"))
    assert government is not None and government.relation == "same"  # a country's own statement
    apposed = compare(
        said(1, "Capt Bill Urban, spokesman for the US Central Command"), said(2, "Captain Bill Urban")
    )
    assert apposed is not None and apposed.evidence.shared_actors == ("bill urban",)


def test_a_place_inside_a_country_matches_the_country_beyond_its_radius() -> None:
    yemen = {"name": "Yemen", "country": "YE", "geo_precision": "country"}
    saada = {"name": "Saada", "country": "YE", "geo_precision": "city"}
    day = {"start": dt.date(2024, 1, 12), "precision": "day"}
    wide = key(1, (15.5, 47.5), place=yemen, date=day, actors=["American and British"])
    inside = compare(wide, key(2, (16.94, 43.76), place=saada, date=day, actors=["US and British"]))
    assert inside is not None and inside.relation == "same"  # Saada is 420 km from Yemen's point
    assert inside.evidence.shared_actors == ("united states", "united kingdom")
    oman = {"name": "Salalah", "country": "OM", "geo_precision": "city"}
    assert compare(wide, key(3, (17.02, 54.09), place=oman, date=day, actors=["US and British"])) is None


def test_a_day_apart_is_one_event_only_for_short_windows() -> None:
    night = compare(key(1), key(2, date={"start": dt.date(2020, 3, 12), "precision": "day"}))
    assert night is not None and night.evidence.days_apart == 1
    exact = compare(key(1), key(2))
    assert exact is not None and night.score < exact.score
    week = key(2, date={"start": dt.date(2020, 3, 12), "end": dt.date(2020, 3, 18), "precision": "week"})
    assert compare(key(1), week) is None


def test_a_country_level_place_needs_strong_agreement() -> None:
    country = {"name": "Iraq", "country": "IQ", "geo_precision": "country"}
    same_day = compare(key(1, IRAQ, place=country, actors=[]), key(2, place=country, actors=[]))
    assert same_day is not None and same_day.relation == "same"
    week = {"start": dt.date(2020, 3, 9), "end": dt.date(2020, 3, 13), "precision": "week"}
    other_week = {"start": dt.date(2020, 3, 12), "end": dt.date(2020, 3, 16), "precision": "week"}
    nobody = compare(
        key(1, IRAQ, place=country, date=week, actors=[]),
        key(2, IRAQ, place=country, date=other_week, actors=[]),
    )
    assert nobody is None  # overlapping windows in one country, no actor in common: not enough
    shared = compare(key(1, IRAQ, place=country, date=week), key(2, IRAQ, place=country, date=other_week))
    assert shared is not None and shared.relation == "same"
    nearly = {"start": dt.date(2020, 3, 10), "end": dt.date(2020, 3, 14), "precision": "week"}
    general = compare(
        key(1, IRAQ, place=country, date=week, actors=[]), key(2, IRAQ, place=country, date=nearly, actors=[])
    )
    assert general is not None and general.relation == "same"  # two reports of one period
    unknown = {"start": dt.date(2020, 3, 1), "end": dt.date(2020, 3, 31), "precision": "unknown"}
    assert compare(key(1, IRAQ, place=country, date=unknown), key(2, IRAQ, place=country)) is None
    syria = {"name": "Syria", "country": "SY", "geo_precision": "country"}
    assert compare(key(1, IRAQ, place=country), key(2, (34.8, 39.0), place=syria)) is None


def test_an_unknown_date_is_weak_evidence() -> None:
    unknown = {"start": dt.date(2020, 2, 15), "end": dt.date(2020, 3, 15), "precision": "unknown"}
    weak = compare(key(1, date=unknown, actors=[]), key(2))
    dated = compare(key(1, actors=[]), key(2))
    assert weak is not None and dated is not None
    assert weak.score < dated.score - 0.2
    assert any("weak evidence" in note for note in weak.evidence.notes)


def test_a_general_report_is_related_to_the_events_it_covers_not_merged() -> None:
    """ "after withdrawing from four bases in the past month": a month, a country."""
    general = key(
        1,
        IRAQ,
        type="base_handover",
        date={"start": dt.date(2020, 3, 3), "end": dt.date(2020, 4, 2), "precision": "month"},
        place={"name": "Iraq", "country": "IQ", "geo_precision": "country"},
        actors=[],
    )
    mosul = key(
        2,
        (36.34, 43.12),
        type="base_handover",
        place={"name": "Mosul", "country": "IQ", "geo_precision": "city"},
    )  # 380 km from the point of Iraq, in Iraq
    verdict = compare(general, mosul)
    assert verdict is not None and verdict.relation == "related"
    assert "related, not merged" in verdict.evidence.notes[0]
    later = key(3, (36.34, 43.12), type="base_handover", date={"start": dt.date(2020, 4, 20)})
    abroad = key(
        4,
        (36.2, 37.16),
        type="base_handover",
        place={"name": "Aleppo", "country": "SY", "geo_precision": "city"},
    )
    assert compare(general, later) is None
    assert compare(general, abroad) is None
    found = candidates(general, [mosul, later, abroad])
    assert [(c.id, c.relation) for c in found] == [(2, "related")]
    assert best(found) is None
    zakho = key(
        5,
        (37.14, 42.68),
        type="base_handover",
        place={"name": "Zakho", "country": "IQ", "geo_precision": "city"},
    )
    index = KeyIndex([mosul, later, abroad, zakho])  # Zakho: 470 km from the point of Iraq, four cells off
    assert [(c.id, c.relation) for c in candidates(general, index)] == [(2, "related"), (5, "related")]


def test_actor_names_are_compared_without_titles_spellings_or_agencies() -> None:
    assert actor_tokens("Capt. Bill Urban's") == ("bill", "urban")
    assert actor_tokens("Secretary of State Antony Blinken") == ("antony", "blinken")
    assert actor_tokens("Islamic State") == actor_tokens("ISIS") == ("islamic", "state")
    assert actor_tokens("AFP") == ()
    assert same_actor(actor_tokens("Zelensky"), actor_tokens("Volodymyr Zelenskyy"))
    assert same_actor(actor_tokens("Kataib Hezbollah"), actor_tokens("Kata'ib Hizballah"))
    assert not same_actor(actor_tokens("Iran"), actor_tokens("Iran-backed Kataib Hezbollah"))
    assert not same_actor(actor_tokens("Donald Trump"), actor_tokens("Harry Truman"))
    # A country by its name, a longer name or its adjective; one name listing several actors.
    assert (
        actor_tokens("American")
        == actor_tokens("USA")
        == actor_tokens("the United States")
        == ("united", "states")
    )
    assert actor_tokens("French") == ("france",) and country_code("Britain") == "GB"
    assert normalised_actors(["US and British", "Capt Bill Urban, spokesman"]) == (
        ("united", "states"),
        ("united", "kingdom"),
        ("bill", "urban"),
    )
    assert normalised_actors(["Bosnia and Herzegovina"]) == (("bosnia", "and", "herzegovina"),)
    assert is_country(("iraq",)) and not is_country(("kataib", "hezbollah"))


def _candidate(score: float, id: str, **changes: Any) -> Candidate:
    verdict = compare(key(1), key(2))
    assert verdict is not None
    return Candidate("event", id, "same", score, verdict.evidence, **changes)


def test_the_best_candidate_is_proposed_from_the_threshold_unless_another_is_as_good() -> None:
    threshold = DEFAULTS.merge_threshold
    assert best([_candidate(threshold, "a")]) is not None
    assert best([_candidate(threshold - 0.01, "a")]) is None
    assert best([_candidate(0.9, "a"), _candidate(0.88, "b")]) is None  # either could be it
    assert best([_candidate(0.9, "a"), _candidate(0.7, "b")]) == _candidate(0.9, "a")
    one = [
        _candidate(0.9, "a"),  # found by candidates(), an event stands for itself
        Candidate("draft", 7, "same", 0.89, _candidate(0, "x").evidence, group="event:a"),
    ]
    assert best(one) == one[0]  # the draft is already proposed into event a


def test_pending_drafts_that_report_one_event_are_no_rivals() -> None:
    """Two pending reports of the Taji attack, queued apart (two ingestions at once), are one
    event: a third report is proposed to the better; reports of two attacks stay rivals."""
    new = key(9)
    pending = [key(2, north(0.5)), key(3, north(0.3), actors=["Kataib Hezbollah", "US"])]
    found = candidates(new, pending)
    assert len(found) == 2 and abs(found[0].score - found[1].score) < DEFAULTS.merge_margin
    assert best(found) is not None and best(found).id == found[0].id  # type: ignore[union-attr]
    days = [{"start": dt.date(2020, 3, d), "precision": "day"} for d in (11, 13)]
    other = [key(2, north(0.5), date=days[0]), key(3, north(0.3), date=days[1])]  # two attacks
    either = {"start": dt.date(2020, 3, 11), "end": dt.date(2020, 3, 13), "precision": "week"}
    apart = candidates(key(9, date=either), other)  # "this week": either attack
    assert len(apart) == 2 and best(apart) is None


def test_of_candidates_scoring_alike_the_nearest_window_comes_first_and_has_no_rivals() -> None:
    """Three pending statements of one minister dated a day apart each: a report with the middle
    window overlaps all three alike, but two of them are not one event with each other. The one
    with the very same window is the candidate, and the others are one event with it."""
    said: dict[str, Any] = {
        "type": "statement",
        "actors": ["Defence Minister Ali Hassan"],
        "place": IRAQ_PLACE,
    }
    windows = [(16, 17), (18, 19), (17, 18)]
    pending = [
        key(
            n,
            IRAQ,
            date={"start": dt.date(2020, 3, a), "end": dt.date(2020, 3, b), "precision": "day"},
            **said,
        )
        for n, (a, b) in enumerate(windows, start=2)
    ]
    new = key(
        9, IRAQ, date={"start": dt.date(2020, 3, 17), "end": dt.date(2020, 3, 18), "precision": "day"}, **said
    )
    found = candidates(new, pending)
    assert len({c.score for c in found}) == 1  # alike: the windows overlap, the rest is the same
    assert found[0].id == 4 and best(found) == found[0]
    assert best(found[1:]) is None  # without it, the two outer ones are rivals


def test_keys_that_can_match_nothing_are_left_out_of_the_pools() -> None:
    """A report placed only at a country and dated only by its publication is no evidence of
    any event: compared with anything it relates to nothing, so the index does not keep it."""
    unknown = {"start": dt.date(2020, 2, 15), "end": dt.date(2020, 3, 15), "precision": "unknown"}
    vague = key(2, IRAQ, place=IRAQ_PLACE, date=unknown, kind="event")
    others = [
        key(3, IRAQ, place=IRAQ_PLACE, date=unknown),
        key(4, IRAQ, place=IRAQ_PLACE),
        key(
            5,
            IRAQ,
            place=IRAQ_PLACE,
            date={"start": dt.date(2020, 3, 1), "end": dt.date(2020, 3, 31), "precision": "month"},
        ),
        key(6),
        key(7, date=unknown),
    ]
    assert not matchable(vague) and all(matchable(k) for k in others[1:])
    assert all(compare(vague, k) is None and compare(k, vague) is None for k in others)
    assert len(KeyIndex([vague, *others[1:]])) == len(others) - 1
    assert candidates(vague, others) == []
    found = {c.id for c in candidates(key(8, date=unknown), others) if c.relation == "same"}
    assert found == {6, 7}  # at a base, the date of publication is weak evidence, but some


def test_the_threshold_separates_a_weak_match_from_a_contradicted_one() -> None:
    """An undated report of an attack on the same base is proposed when it names nobody, and
    not when both name actors and none is shared (the scores straddle the threshold)."""
    unknown = {"start": dt.date(2020, 2, 15), "end": dt.date(2020, 3, 15), "precision": "unknown"}
    anonymous = candidates(key(1, date=unknown, actors=[]), [key(2, kind="event", id="taji")])
    contradicted = candidates(
        key(1, date=unknown, actors=["Islamic State"]), [key(2, kind="event", id="taji")]
    )
    assert best(anonymous) is not None and best(anonymous).id == 2  # type: ignore[union-attr]
    assert contradicted and best(contradicted) is None


def test_the_index_offers_only_keys_of_the_kind_week_and_neighbourhood() -> None:
    pool = [
        key(2, kind="event"),
        key(3, kind="event", type="statement", actors=["Kataib Hezbollah"]),
        key(4, kind="event", date={"start": dt.date(2020, 5, 1)}),
        key(5, north(400), kind="event"),
        key(
            6,
            kind="event",
            date={"start": dt.date(2019, 1, 1), "end": dt.date(2020, 12, 31), "precision": "year"},
        ),
        key(7, kind="event", date={"start": dt.date(2020, 3, 12)}),
    ]
    index = KeyIndex(pool)
    assert len(index) == 5  # a window of two years is no evidence of one event
    assert sorted(int(k.id) for k in index.near(key(1))) == [2, 7]  # type: ignore[arg-type]
    assert [c.id for c in candidates(key(1), index)] == [2, 7]


def test_the_index_reaches_across_the_antimeridian() -> None:
    west, east = (-16.5, 179.9), (-16.5, -179.95)
    place = {"name": "Fiji", "geo_precision": "city"}
    index = KeyIndex([key(2, east, kind="event", place=place)])
    assert [k.id for k in index.near(key(1, west, place=place))] == [2]


def test_keys_are_read_from_a_map_frame(tiny_geocoder: OfflineGeocoder) -> None:
    frame = events_frame([event(1), event(2, type="statement")], tiny_geocoder)
    keys = keys_of_frame(frame)
    assert [(k.id, k.type, k.start, k.geo_precision) for k in keys] == [
        ("taji-1", "attack", dt.date(2020, 3, 11), "facility"),
        ("taji-2", "statement", dt.date(2020, 3, 11), "facility"),
    ]
    assert keys[0].actors == (("kataib", "hezbollah"),)
