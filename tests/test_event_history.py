"""An event's history, undo and edit on the map page (AppTest): the change log as a table, the
reviewer's name on every change, and an edit made from an older version refused with both
versions shown, never overwritten."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO
from dash_helpers import md_text, seeded_store, sign_in
from streamlit.testing.v1 import AppTest

from dashboard import data, history
from geodata.geocoding import OfflineGeocoder
from geodata.store import Store, default_store_url

APP = str(REPO / "dashboard" / "app.py")
EVENT = "attack-camp-taji-2020-03-11"
TITLE = "Rocket attack on Camp Taji kills three coalition service members"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, geocoder: OfflineGeocoder) -> Path:
    folder = tmp_path_factory.mktemp("template")
    seeded_store(folder, geocoder).close()
    return folder


@pytest.fixture
def store(template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    """This test's copy of the bundled catalogue and its store, which the app opens too."""
    for made in template.iterdir():
        shutil.copy(made, tmp_path / made.name)
    monkeypatch.delenv(data.ENV_STORE, raising=False)
    monkeypatch.setenv(data.ENV_EVENTS, str(tmp_path / "events.yaml"))
    return Store.open(default_store_url(tmp_path / "events.yaml"))


def open_event(event_id: str = EVENT, name: str | None = "Ann") -> AppTest:
    """The map page in a new browser session, the event's details open."""
    at = AppTest.from_file(APP, default_timeout=180)
    at.session_state["selected"] = event_id
    at.run()
    assert not at.exception, at.exception
    return sign_in(at, name) if name else at


def button(at: AppTest, label: str) -> Any:
    found = [b for b in at.button if md_text(b.label).startswith(label)]
    assert len(found) == 1, [b.label for b in at.button]
    return found[0]


def edit_title(at: AppTest, version: int, title: str) -> AppTest:
    """Edit the event's title (opening the form unless it is open) and save."""
    if not [b for b in at.button if b.label == "Save"]:
        button(at, "Edit").click().run()
    at.text_input(key=f"edit_{EVENT}_{version}_title").set_value(title)
    button(at, "Save").click().run()
    assert not at.exception, at.exception
    return at


def history_rows(at: AppTest) -> list[tuple[str, str, str]]:
    table = next(d.value for d in at.dataframe if "Changed fields" in d.value.columns)
    return list(zip(table["Who"], table["Action"], table["Changed fields"], strict=True))


def test_an_edit_is_saved_logged_and_shown(store: Store) -> None:
    original = store.get(EVENT)
    assert original is not None and original.version == 1
    at = edit_title(open_event(), 1, "Edited: rockets at Taji")
    assert [md_text(s.value) for s in at.success] == ["Saved as version 2."]
    saved = store.get(EVENT)
    assert saved is not None and (saved.version, saved.updated_by) == (2, "Ann")
    assert saved.event.title == "Edited: rockets at Taji"
    assert saved.event.source == original.event.source  # what was not edited is kept
    # The map shows the change at once: the details heading and the table.
    assert [m.value for m in at.markdown if m.value.startswith("####")] == ["#### Edited\\: rockets at Taji"]
    assert history_rows(at) == [("Ann", "edit", "title"), ("geodata (seed)", "seed", "created")]


def test_the_name_is_asked_before_an_edit(store: Store) -> None:
    at = open_event(name=None)
    assert button(at, "Edit").disabled
    assert not [b for b in at.button if md_text(b.label).startswith("Undo")]  # nothing but the seed yet
    at = sign_in(at, "Ann")
    assert not button(at, "Edit").disabled


def test_a_conflicting_save_is_refused_and_both_versions_shown(store: Store) -> None:
    ann, bob = open_event(name="Ann"), open_event(name="Bob")
    button(ann, "Edit").click().run()
    button(bob, "Edit").click().run()  # both start from version 1
    edit_title(ann, 1, "Ann's title")
    bob.text_input(key=f"edit_{EVENT}_1_title").set_value("Bob's title")
    button(bob, "Save").click().run()
    assert not bob.exception, bob.exception
    [refused] = [md_text(e.value) for e in bob.error]
    assert refused.startswith("Not saved: Ann saved version 2 of this event at ")
    assert refused.endswith(
        "while you were editing version 1. Nothing was overwritten: compare both versions."
    )
    mine = next(d.value for d in bob.dataframe if d.value.columns.tolist() == ["Field", "Value", "Differs"])
    theirs = [d.value for d in bob.dataframe if d.value.columns.tolist() == ["Field", "Value", "Differs"]][1]
    assert dict(zip(mine["Field"], mine["Value"], strict=True))["Title"] == "Bob's title"
    assert dict(zip(theirs["Field"], theirs["Value"], strict=True))["Title"] == "Ann's title"
    assert dict(zip(mine["Field"], mine["Differs"], strict=True)) == {
        f: ("≠" if f == "Title" else "") for f in mine["Field"]
    }
    stored = store.get(EVENT)
    assert stored is not None and (stored.version, stored.event.title) == (2, "Ann's title")

    # Bob chooses to edit again from Ann's version, his title in the form.
    button(bob, "Edit again from version 2").click().run()
    assert bob.text_input(key=f"edit_{EVENT}_2_title").value == "Bob's title"
    button(bob, "Save").click().run()
    stored = store.get(EVENT)
    assert stored is not None and (stored.version, stored.event.title) == (3, "Bob's title")
    assert [who for who, *_ in history_rows(bob)] == ["Bob", "Ann", "geodata (seed)"]


def test_a_discarded_conflict_keeps_the_stored_version(store: Store) -> None:
    ann, bob = open_event(name="Ann"), open_event(name="Bob")
    button(bob, "Edit").click().run()
    edit_title(ann, 1, "Ann's title")
    bob.text_input(key=f"edit_{EVENT}_1_title").set_value("Bob's title")
    button(bob, "Save").click().run()
    button(bob, "Discard my edit").click().run()
    assert not bob.error and not [d for d in bob.dataframe if "Differs" in d.value.columns]
    stored = store.get(EVENT)
    assert stored is not None and stored.event.title == "Ann's title"


def test_undo_puts_back_the_last_change(store: Store) -> None:
    at = edit_title(open_event(), 1, "A mistake")
    assert md_text(button(at, "Undo").label) == "Undo edit by Ann"
    button(at, "Undo").click().run()
    [done] = [md_text(s.value) for s in at.success]
    assert done.startswith("Undone: edit by Ann at ")
    stored = store.get(EVENT)
    assert stored is not None and stored.event.title == TITLE
    assert history_rows(at)[:2] == [("Ann", "undo", "title"), ("Ann", "edit", "title")]


def test_undo_of_a_change_that_is_no_longer_the_last_is_refused(
    store: Store, geocoder: OfflineGeocoder
) -> None:
    at = edit_title(open_event(), 1, "Ann's title")
    assert md_text(button(at, "Undo").label) == "Undo edit by Ann"
    current = store.get(EVENT)
    assert current is not None
    bob = current.event.model_copy(update={"title": "Bob's title"})
    store.save(bob, expected_version=current.version, who="Bob", geocoder=geocoder)  # meanwhile
    button(at, "Undo").click().run()  # the undo shown was of Ann's change: not Bob's
    assert not at.exception, at.exception
    [refused] = [md_text(e.value) for e in at.error]
    assert refused.startswith("Not undone: ") and "changed after change" in refused
    stored = store.get(EVENT)
    assert stored is not None and stored.event.title == "Bob's title"


def test_an_edit_the_gazetteer_cannot_place_is_not_saved(store: Store) -> None:
    at = open_event()
    button(at, "Edit").click().run()
    at.text_input(key=f"edit_{EVENT}_1_place").set_value("Xqzzyville")
    at.text_input(key=f"edit_{EVENT}_1_canonical").set_value("Xqzzyville")
    button(at, "Save").click().run()
    assert not at.exception, at.exception
    assert [md_text(e.value) for e in at.error] == ["Not saved."]
    assert "Xqzzyville" in at.code[0].value
    stored = store.get(EVENT)
    assert stored is not None and stored.version == 1


def test_hostile_names_and_fields_in_the_history_are_text(store: Store, geocoder: OfflineGeocoder) -> None:
    payload = "<img src=x onerror=alert(1)> [x](javascript:alert(1)) **b** `c` $x$"
    current = store.get(EVENT)
    assert current is not None
    store.save(
        current.event.model_copy(update={"title": f"{TITLE} {payload}"}),
        expected_version=1,
        who=payload,
        geocoder=geocoder,
    )
    at = open_event(name=payload)
    assert history_rows(at)[0] == (payload, "edit", "title")  # a table: its cells are plain text
    label = button(at, "Undo").label
    assert md_text(label) == f"Undo edit by {payload}"
    assert "\\<img" in label and "\\[x\\]" in label


def test_changed_fields() -> None:
    before = {"title": "a", "place": {"name": "x", "country": "IQ"}, "actors": ["A"]}
    after = {"title": "b", "place": {"name": "y", "country": "IQ"}, "actors": ["A", "B"], "tags": ["t"]}
    assert history.changed_fields(before, after) == "actors, place.name, tags, title"
    assert history.changed_fields(None, after) == "created"
    assert history.changed_fields(before, None) == "deleted"
    assert history.changed_fields(before, before) == "nothing"


def test_an_edit_stays_open_when_a_change_moves_the_event_out_of_the_filters(
    store: Store, geocoder: OfflineGeocoder
) -> None:
    bob = open_event(name="Bob")
    bob.multiselect(key="f_types").set_value(["attack"]).run()
    button(bob, "Edit").click().run()
    # Ann, in another browser, makes it another type: it leaves Bob's filters.
    stored = store.get(EVENT)
    assert stored is not None
    store.save(
        stored.event.model_copy(update={"type": "other"}), expected_version=1, who="Ann", geocoder=geocoder
    )
    bob.text_input(key=f"edit_{EVENT}_1_title").set_value("Bob's title")
    button(bob, "Save").click().run()
    assert not bob.exception, bob.exception
    [refused] = [md_text(e.value) for e in bob.error]
    assert refused.startswith("Not saved: Ann saved version 2 of this event at ")
    saved = store.get(EVENT)
    assert saved is not None and (saved.version, saved.event.type) == (2, "other")
