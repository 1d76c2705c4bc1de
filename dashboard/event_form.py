"""The fields a reviewer may change in an event (the article page's table, the Review page's
"edit then accept", an event's "edit" form), and how the changes are applied to it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from dashboard.problems import show_problems
from geodata.model import DATE_PRECISIONS, GEO_PRECISIONS, Event
from geodata.taxonomy import EVENT_TYPES

#: The editable fields, in the order they are shown.
FIELDS = (
    "type",
    "title",
    "date_start",
    "date_end",
    "date_precision",
    "place",
    "canonical",
    "country",
    "geo_precision",
    "actors",
    "confidence",
)
CONFIDENCES = ("high", "medium", "low")
_LABELS = {key: kind.label for key, kind in EVENT_TYPES.items()}
_FIRST_DAY, _LAST_DAY = dt.date(1900, 1, 1), dt.date(2100, 12, 31)


def form_values(event: Event) -> dict[str, Any]:
    """The event's editable fields, as the form and the table show them."""
    return {
        "type": event.type,
        "title": event.title,
        "date_start": event.date.start,
        "date_end": event.date.end,
        "date_precision": event.date.precision,
        "place": event.place.name,
        "canonical": event.place.canonical or "",
        "country": event.place.country or "",
        "geo_precision": event.place.geo_precision,
        "actors": ", ".join(event.actors),
        "confidence": event.confidence,
    }


def apply_values(original: Event, values: Mapping[str, Any]) -> Event:
    """``original`` with the edited fields of ``values``; the rest (source, provenance, ...) kept.

    Raises pydantic's ``ValidationError`` when the result is not a valid event.
    """
    data: dict[str, Any] = original.model_dump(mode="python", exclude_none=True)
    data.update(
        type=values["type"],
        title=str(values["title"]).strip(),
        confidence=values["confidence"],
        actors=[a.strip() for a in str(values["actors"] or "").split(",") if a.strip()],
    )
    data["date"] = {
        "start": _day(values["date_start"]),
        "end": _day(values["date_end"]),
        "precision": values["date_precision"],
    }
    place = dict(data["place"])
    place.update(
        name=str(values["place"]).strip(),
        canonical=str(values["canonical"] or "").strip() or None,
        country=str(values["country"] or "").strip() or None,
        geo_precision=values["geo_precision"],
    )
    data["place"] = {k: v for k, v in place.items() if v is not None}
    return Event.model_validate(data)


def _day(value: Any) -> Any:
    return value.date() if isinstance(value, (pd.Timestamp, dt.datetime)) else value


def validation_lines(err: ValidationError) -> list[str]:
    return [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in err.errors()]


def _fields(start: dict[str, Any], key: str) -> dict[str, Any]:
    """The form's widgets, filled with ``start``; returns what they hold."""
    values: dict[str, Any] = {}
    values["type"] = st.selectbox(
        "Type",
        list(EVENT_TYPES),
        index=list(EVENT_TYPES).index(start["type"]),
        format_func=_LABELS.__getitem__,
        key=f"{key}_type",
    )
    values["title"] = st.text_input("Title", start["title"], key=f"{key}_title")
    one, two, three = st.columns(3)
    values["date_start"] = one.date_input(
        "From", start["date_start"], _FIRST_DAY, _LAST_DAY, key=f"{key}_date_start"
    )
    values["date_end"] = two.date_input("To", start["date_end"], _FIRST_DAY, _LAST_DAY, key=f"{key}_date_end")
    values["date_precision"] = three.selectbox(
        "Date precision",
        DATE_PRECISIONS,
        index=DATE_PRECISIONS.index(start["date_precision"]),
        key=f"{key}_date_precision",
    )
    values["place"] = st.text_input("Place (as reported)", start["place"], key=f"{key}_place")
    one, two, three = st.columns(3)
    values["canonical"] = one.text_input("Canonical place", start["canonical"], key=f"{key}_canonical")
    values["country"] = two.text_input("Country (ISO 2)", start["country"], key=f"{key}_country")
    values["geo_precision"] = three.selectbox(
        "Geo precision",
        GEO_PRECISIONS,
        index=GEO_PRECISIONS.index(start["geo_precision"]),
        key=f"{key}_geo_precision",
    )
    values["actors"] = st.text_input("Actors (comma-separated)", start["actors"], key=f"{key}_actors")
    values["confidence"] = st.selectbox(
        "Confidence",
        CONFIDENCES,
        index=CONFIDENCES.index(start["confidence"]),
        key=f"{key}_confidence",
    )
    return values


def edit_form(
    event: Event, *, key: str, submit: str, cancel: str | None = None, disabled: bool = False
) -> tuple[str | None, Event | None]:
    """A form over ``event``'s editable fields. Returns ("submit", the edited event) when it is
    sent and valid, ("cancel", None) when cancelled, else (None, None) (its problems shown)."""
    with st.form(key, border=True):
        values = _fields(form_values(event), key)
        left, right = st.columns(2)
        sent = left.form_submit_button(submit, type="primary", disabled=disabled, width="stretch")
        dropped = right.form_submit_button(cancel, width="stretch") if cancel else False
    if dropped:
        return "cancel", None
    if not sent:
        return None, None
    try:
        return "submit", apply_values(event, values)
    except ValidationError as err:
        show_problems("Some edits are not valid:", validation_lines(err))
        return None, None
