"""The Streamlit script headless (AppTest): filters, URL state, the map's arguments, errors."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO
from streamlit.testing.v1 import AppTest

from dashboard.data import events_path
from dashboard.state import Filters, filters_from_params, params_from_filters, step_window
from geodata.frame import filter_events, load_frame
from geodata.geocoding import OfflineGeocoder
from geodata.settings import DEFAULTS

APP = str(REPO / "dashboard" / "app.py")


@pytest.fixture(scope="module")
def bundled(geocoder: OfflineGeocoder) -> Any:
    return load_frame(DEFAULTS.default_catalogue, geocoder=geocoder)


def run_app(params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def count_line(at: AppTest) -> str:
    return next(m.value for m in at.markdown if " of " in m.value and "events" in m.value)


def map_args(at: AppTest) -> dict[str, Any]:
    def walk(node: Any) -> Any:
        children = getattr(node, "children", None)
        for child in children.values() if isinstance(children, dict) else []:
            yield child
            yield from walk(child)

    for node in walk(at._tree[0]):
        proto = getattr(node, "proto", None)
        if type(proto).__name__ == "ComponentInstance" and "st_folium" in proto.component_name:
            return dict(json.loads(proto.json_args))
    raise AssertionError("no map component")


def shown_ids(at: AppTest) -> list[str]:
    fg = map_args(at)["feature_group"]
    payload = fg[
        fg.index("var events = ") + len("var events = ") : fg.index(";\n", fg.index("var events = "))
    ]
    return [e["id"] for e in json.loads(payload)]


def test_default_view_shows_every_event_with_local_assets_only(bundled: Any) -> None:
    at = run_app()
    assert count_line(at).startswith(f"**{len(bundled)} of {len(bundled)} events**")
    args = map_args(at)
    links = args["js_links"] + args["css_links"]
    assert links and all(link.startswith("../dashboard.assets.geodata_") for link in links), links
    assert "http://" not in args["header"] and "https://" not in args["header"]
    assert sorted(shown_ids(at)) == sorted(bundled["id"])


def test_type_filter_changes_map_and_count(bundled: Any) -> None:
    at = run_app()
    at.multiselect(key="f_types").set_value(["attack", "base_handover"]).run()
    expected = filter_events(bundled, types=["attack", "base_handover"])
    assert count_line(at).startswith(f"**{len(expected)} of {len(bundled)} events**")
    assert sorted(shown_ids(at)) == sorted(expected["id"])
    assert dict(at.query_params) == {"types": "attack,base_handover"}


def test_time_window_filter(bundled: Any) -> None:
    at = run_app()
    window = (dt.date(2020, 3, 24), dt.date(2020, 3, 29))
    at.slider(key="f_window").set_value(window).run()
    expected = filter_events(bundled, start=window[0], end=window[1])
    assert sorted(shown_ids(at)) == sorted(expected["id"])
    assert 0 < len(expected) < len(bundled)


def test_text_and_actor_filters(bundled: Any) -> None:
    at = run_app()
    at.text_input(key="f_text").set_value("patriot").run()
    assert sorted(shown_ids(at)) == sorted(filter_events(bundled, text="patriot")["id"])
    at.text_input(key="f_text").set_value("").run()
    at.multiselect(key="f_actors").set_value(["Donald Trump"]).run()
    assert shown_ids(at) == list(filter_events(bundled, actors=["Donald Trump"])["id"])


def test_url_restores_filters(bundled: Any) -> None:
    at = run_app({"types": "attack,statement", "start": "2020-03-12", "end": "2020-03-31", "q": "base"})
    expected = filter_events(
        bundled,
        types=["attack", "statement"],
        start=dt.date(2020, 3, 12),
        end=dt.date(2020, 3, 31),
        text="base",
    )
    assert sorted(shown_ids(at)) == sorted(expected["id"])
    assert at.multiselect(key="f_types").value == ["attack", "statement"]
    assert at.slider(key="f_window").value == (dt.date(2020, 3, 12), dt.date(2020, 3, 31))
    assert at.text_input(key="f_text").value == "base"


def test_playback_steps_the_window() -> None:
    at = run_app()
    assert [b.label for b in at.button][:3] == ["◀", "▶ Play", "▶▶"]
    at.button[0].click().run()  # step back from the whole span: a one-week window at the end
    first = at.slider(key="f_window").value
    assert (first[1] - first[0]).days == 6
    at.button[2].click().run()  # forward wraps to the start
    second = at.slider(key="f_window").value
    assert second != first and (second[1] - second[0]).days <= 6


def test_invalid_catalogue_shows_its_problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("- id: x\n  type: nope\n", encoding="utf-8")
    monkeypatch.setenv("GEODATA_EVENTS", str(bad))
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    assert not at.exception
    assert any("could not be loaded" in e.value for e in at.error)
    assert any("unknown type 'nope'" in c.value for c in at.code)


def test_events_path_precedence(tmp_path: Path) -> None:
    assert events_path(["--events", "a.yaml"], {"GEODATA_EVENTS": "b.yaml"}) == Path("a.yaml")
    assert events_path([], {"GEODATA_EVENTS": "b.yaml"}) == Path("b.yaml")
    assert events_path([], {}) == DEFAULTS.default_catalogue


def test_filters_round_trip_through_params() -> None:
    filters = Filters(
        types=("attack",),
        start=dt.date(2020, 3, 1),
        end=dt.date(2020, 3, 9),
        actors=("Iran",),
        text="rockets",
    )
    assert filters_from_params(params_from_filters(filters)) == filters
    assert params_from_filters(Filters()) == {}
    junk = filters_from_params({"types": "attack,bogus", "start": "2020-99-01", "end": "x"})
    assert (junk.types, junk.start, junk.end) == (("attack",), None, None)


def test_step_window_wraps() -> None:
    span = (dt.date(2020, 3, 1), dt.date(2020, 3, 31))
    assert step_window(dt.date(2020, 3, 1), dt.date(2020, 3, 7), span, 7) == (
        dt.date(2020, 3, 8),
        dt.date(2020, 3, 14),
    )
    assert step_window(dt.date(2020, 3, 29), dt.date(2020, 3, 31), span, 7)[0] == dt.date(2020, 3, 1)
