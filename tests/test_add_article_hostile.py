"""The "Add an article" page against failures and hostile input: whatever the article, the
drafting or the store does, the page shows the problem as text, never a traceback, and queues
nothing."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from dash_helpers import TEXT, all_drafts, drafted, open_article_page, queue_button, seeded_store, sign_in
from streamlit.testing.v1 import AppTest

from dashboard import add_article
from geodata.errors import GeodataError
from geodata.geocoding import OfflineGeocoder
from geodata.model import Event
from geodata.store import Store
from geodata.taxonomy import EVENT_TYPES


@pytest.fixture
def store(tmp_path: Path, geocoder: OfflineGeocoder) -> Store:
    return seeded_store(tmp_path, geocoder)


@pytest.fixture
def catalogue(store: Store, tmp_path: Path) -> Path:
    return tmp_path / "events.yaml"


FAILURES = [
    AttributeError("'list' object has no attribute 'get'"),
    RecursionError("maximum recursion depth exceeded"),
    ValueError("Exceeds the limit (4300 digits) for integer string conversion"),
    OverflowError("date value out of range"),
    MemoryError(),
    GeodataError("article: published '<img src=x>' is not a date"),
]


def failing(error: BaseException) -> Callable[..., Any]:
    def fail(*args: object, **kwargs: object) -> Any:
        raise error

    return fail


def expected_line(name: str, error: BaseException, failed: str = "could not be read") -> str:
    message = str(error).splitlines()[0] if str(error) else ""
    return f"{name} {failed}: {type(error).__name__}" + (f": {message}" if message else "")


def errors(at: AppTest) -> list[str]:
    return [re.sub(r"\\(.)", r"\1", e.value) for e in at.error]


@pytest.mark.parametrize("error", FAILURES, ids=lambda e: type(e).__name__)
def test_reading_the_article_fails_without_a_traceback(
    error: BaseException, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(add_article, "parse_article", failing(error))
    at = open_article_page(store)
    at.text_area(key="article_text").set_value(TEXT).run()
    assert not at.exception, at.exception
    assert errors(at) == ["the pasted text could not be read."]
    assert [c.value for c in at.code] == [expected_line("the pasted text", error)]


@pytest.mark.parametrize("error", FAILURES, ids=lambda e: type(e).__name__)
def test_drafting_fails_without_a_traceback(
    error: BaseException, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(add_article, "extract_article", failing(error))
    at = drafted(open_article_page(store))
    assert errors(at) == ["No events were drafted from the pasted text."]
    assert [c.value for c in at.code] == [expected_line("the pasted text", error)]
    assert at.session_state["drafts"] == []
    at.text_area(key="article_text").set_value(TEXT + " Again.").run()  # the page still runs
    assert not at.exception, at.exception


@pytest.mark.parametrize(
    "error", [*FAILURES, OSError(28, "No space left on device")], ids=lambda e: type(e).__name__
)
def test_queueing_fails_without_a_traceback_and_queues_nothing(
    error: BaseException, store: Store, catalogue: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = catalogue.read_bytes()
    monkeypatch.setattr(add_article, "queue_drafts", failing(error))
    at = sign_in(drafted(open_article_page(store)), "Ann Analyst")
    drafts = at.session_state["drafts"]
    assert drafts
    queue_button(at).click().run()
    assert not at.exception, at.exception
    assert errors(at) == ["Nothing was queued."]
    assert [c.value for c in at.code] == [expected_line("the store", error, "was not written")]
    assert all_drafts(store) == []
    assert catalogue.read_bytes() == original
    assert at.session_state["drafts"] == drafts  # kept, to try again


HOSTILE_ARTICLES = {
    "long-integer.md": "---\npublished: " + "9" * 5000 + "\n---\n" + TEXT,
    "nul-bytes.md": "---\ntitle: a\x00b\n---\n" + TEXT,
    "brackets.md": "---\ntitle: " + "[" * 100_000 + "\n---\n" + TEXT,
    "not-a-date.md": '---\npublished: "<img src=x onerror=alert(1)> [x](javascript:alert(1))"\n---\n' + TEXT,
    "front-matter-list.md": "---\n- a\n- b\n---\n" + TEXT,
    "binary.txt": "\x00\x01\x02\ufffd" * 1000,
}


@pytest.mark.parametrize("name", HOSTILE_ARTICLES)
def test_hostile_article_files_never_crash_the_page(name: str, store: Store, catalogue: Path) -> None:
    original = catalogue.read_bytes()
    at = open_article_page(store)
    at.file_uploader[0].set_value((name, HOSTILE_ARTICLES[name].encode(), "text/markdown")).run()
    assert not at.exception, at.exception
    read_problems = [c.value for c in at.code]
    assert all(line.startswith(name) for line in read_problems), read_problems
    next(b for b in at.button if b.label == "Draft events").click().run()
    assert not at.exception, at.exception
    for box in at.code:
        assert box.value.startswith(name), box.value
    assert catalogue.read_bytes() == original
    assert all_drafts(store) == []


def test_edits_that_are_not_valid_are_listed_as_text(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    payload = "<img src=x onerror=alert(1)> **bold** [x](javascript:alert(1))"

    def invalid(originals: list[Event], table: object) -> list[Event]:
        return [Event.model_validate({**originals[0].model_dump(), "type": payload})]

    monkeypatch.setattr(add_article, "edited_events", invalid)
    at = sign_in(drafted(open_article_page(store)), "Ann Analyst")
    assert errors(at) == ["Some edits are not valid:"]
    assert [c.value for c in at.code] == [
        f"type: Value error, unknown type {payload!r}; use one of: {', '.join(EVENT_TYPES)}"
    ]
    assert not [b for b in at.button if b.label.startswith("Queue ")]  # nothing to queue
    assert all_drafts(store) == []
