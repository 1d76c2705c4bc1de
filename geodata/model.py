"""The event model: Event, Place, DateSpan and Source, validated with pydantic."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from geodata.taxonomy import EVENT_TYPES

DatePrecision = Literal["day", "week", "month", "year", "unknown"]
GeoPrecision = Literal["facility", "city", "region", "country"]
Confidence = Literal["high", "medium", "low"]
#: ACLED's actor types ("inter" codes 1 to 8, ACLED codebook 2024, "Actors"), as its exports word them.
ActorType = Literal[
    "State forces",
    "Rebel group",
    "Political militia",
    "Identity militia",
    "Rioters",
    "Protesters",
    "Civilians",
    "External/Other forces",
]
ACTOR_TYPES: tuple[str, ...] = get_args(ActorType)

DATE_PRECISIONS: tuple[str, ...] = ("day", "week", "month", "year", "unknown")
GEO_PRECISIONS: tuple[str, ...] = ("facility", "city", "region", "country")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,127}$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class DateSpan(_Strict):
    """When an event happened: a closed interval of days and how precise it is.

    A bare date in YAML (``date: 2020-03-30``) is the one-day span with precision ``day``.
    Without an ``end``, a ``week`` runs seven days from ``start``, a ``month`` to the end of
    its month and a ``year`` to 31 December.
    """

    start: dt.date
    end: dt.date
    precision: DatePrecision = "day"

    @model_validator(mode="before")
    @classmethod
    def _from_scalar(cls, data: Any) -> Any:
        if isinstance(data, str):
            try:
                data = dt.date.fromisoformat(data)
            except ValueError:
                raise ValueError(f"{data!r} is not a valid date; write YYYY-MM-DD") from None
        if isinstance(data, dt.date):
            day = data.date() if isinstance(data, dt.datetime) else data
            return {"start": day, "end": day, "precision": "day"}
        if isinstance(data, dict) and "start" in data and data.get("end") is None:
            data = dict(data)
            data["end"] = _default_end(data["start"], data.get("precision", "day"))
        return data

    @field_validator("start", "end", mode="before")
    @classmethod
    def _no_datetimes(cls, value: Any) -> Any:
        if isinstance(value, dt.datetime):
            return value.date()
        return value

    @model_validator(mode="after")
    def _ordered(self) -> DateSpan:
        if self.end < self.start:
            raise ValueError(f"end {self.end.isoformat()} is before start {self.start.isoformat()}")
        return self

    def overlaps(self, start: dt.date, end: dt.date) -> bool:
        """True when this span shares at least one day with ``[start, end]``."""
        return self.start <= end and start <= self.end

    def describe(self) -> str:
        """Human wording such as ``30 March 2020`` or ``week of 23 March 2020``."""
        return describe_span(self.start, self.end, self.precision)


def _default_end(start: Any, precision: Any) -> Any:
    try:
        day = start if isinstance(start, dt.date) else dt.date.fromisoformat(str(start))
    except ValueError:
        return start  # let the field validator report the bad start
    if precision == "week":
        return day + dt.timedelta(days=6)
    if precision == "month":
        return day.replace(day=calendar.monthrange(day.year, day.month)[1])
    if precision == "year":
        return day.replace(month=12, day=31)
    return day


def _fmt_day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def describe_span(start: dt.date, end: dt.date, precision: str) -> str:
    """Word a date interval with its precision for people to read."""
    if precision == "day" and start == end:
        return _fmt_day(start)
    if precision == "week":
        return f"week of {_fmt_day(start)}" + ("" if (end - start).days == 6 else f" to {_fmt_day(end)}")
    if precision == "month" and start.day == 1 and start.month == end.month and start.year == end.year:
        return f"{start:%B %Y}"
    if precision == "year" and start.year == end.year:
        return str(start.year)
    prefix = "between " if precision in ("unknown", "month", "year", "day") else ""
    return f"{prefix}{_fmt_day(start)} and {_fmt_day(end)}"


class Place(_Strict):
    """A place as the source names it, and how it is located."""

    name: str = Field(min_length=1, description="The name as written in the source.")
    canonical: str | None = Field(default=None, description="The standard name to geocode.")
    country: str | None = Field(default=None, description="ISO 3166-1 alpha-2 code, a hint.")
    region: str | None = Field(default=None, description="First-level region, a hint.")
    admin2: str | None = Field(default=None, description="Second-level region (district, county), a hint.")
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    geo_precision: GeoPrecision
    coordinate_source: str | None = Field(
        default=None, description="Where explicit lat/lon come from (URL or citation)."
    )
    location_id: str | None = Field(
        default=None,
        min_length=1,
        description="The gazetteer entry explicit lat/lon were taken from (e.g. 'geonames:95446').",
    )

    @field_validator("country")
    @classmethod
    def _iso2(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not re.fullmatch(r"[A-Za-z]{2}", value):
            raise ValueError(f"country must be an ISO 3166-1 alpha-2 code such as 'IQ', not {value!r}")
        return value.upper()

    @model_validator(mode="after")
    def _both_or_neither(self) -> Place:
        if (self.lat is None) != (self.lon is None):
            raise ValueError("give both lat and lon, or neither")
        if self.location_id is not None and self.lat is None:
            raise ValueError(
                f"location_id {self.location_id!r} names where lat/lon come from, but there are none; "
                "give lat and lon too, or remove location_id to locate the place by name"
            )
        return self

    @property
    def query(self) -> str:
        """The name to look up: the canonical name if any, else the name as written."""
        return self.canonical or self.name

    @property
    def has_coordinates(self) -> bool:
        return self.lat is not None and self.lon is not None


class Source(_Strict):
    """Where the event is reported, with the exact sentence(s) that support it."""

    publisher: str = Field(min_length=1)
    title: str = Field(min_length=1)
    url: str | None = None
    published: dt.date | None = None
    quote: str = Field(min_length=1, description="The exact supporting sentence(s).")


class Actor(_Strict):
    """A side of the event (ACLED's actor1 or actor2): a name, and the kind of actor it is."""

    name: str = Field(min_length=1)
    type: ActorType | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_name(cls, data: Any) -> Any:
        return {"name": data} if isinstance(data, str) else data


_TOLL = r"\s*([0-9]{1,8})\s*(?:-\s*([0-9]{1,8})\s*)?"


class Fatalities(_Strict):
    """Deaths the sources report: a number (``3``) or a range (``{low: 2, high: 5}``); an event
    without this field has an unknown toll, which is not zero."""

    low: int = Field(ge=0, le=10_000_000)
    high: int = Field(ge=0, le=10_000_000)

    @model_validator(mode="before")
    @classmethod
    def _from_number(cls, data: Any) -> Any:
        if isinstance(data, int) and not isinstance(data, bool):
            return {"low": data, "high": data}
        written = re.fullmatch(_TOLL, data) if isinstance(data, str) else None
        if written:
            return {"low": int(written[1]), "high": int(written[2] or written[1])}
        if isinstance(data, dict):
            return {**data, "high": data["low"]} if "low" in data and data.get("high") is None else data
        raise ValueError(
            f"fatalities must be a whole number (3), a range ({{low: 2, high: 5}} or '2-5'), or left out "
            f"when unknown, not {data!r}"
        )

    @field_validator("low", "high", mode="before")
    @classmethod
    def _no_truth_values(cls, value: Any) -> Any:
        if isinstance(value, bool):
            raise ValueError(f"{value!r} is no number of deaths; write a whole number")
        return value

    @model_validator(mode="after")
    def _ordered(self) -> Fatalities:
        if self.high < self.low:
            raise ValueError(f"high {self.high} is below low {self.low}; swap them")
        return self

    def describe(self) -> str:
        """``3`` or ``2-5``."""
        return str(self.low) if self.low == self.high else f"{self.low}-{self.high}"


class Evidence(_Strict):
    """The words in the source that a drafted field was read from, and how sure the reading is."""

    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    confidence: float = Field(ge=0, le=1)


class Provenance(_Strict):
    """Where in the source text a drafted event comes from (character offsets), field by field."""

    start: int = Field(ge=0, description="Offset of the supporting sentence in the article text.")
    end: int = Field(ge=0)
    fields: dict[str, Evidence] = Field(default_factory=dict)
    method: str = "geodata extract"


class Event(_Strict):
    """One dated, placed, typed and sourced event."""

    id: str
    type: str
    title: str = Field(min_length=1)
    summary: str = ""
    date: DateSpan
    place: Place
    said_at: Place | None = Field(
        default=None, description="For statements: where it was said (place is what it is about)."
    )
    actors: list[str] = Field(default_factory=list)
    actor1: Actor | None = Field(default=None, description="The side that acted (ACLED's actor1).")
    actor2: Actor | None = Field(default=None, description="The side acted upon or against, if any.")
    fatalities: Fatalities | None = Field(default=None, description="Reported deaths; none = unknown.")
    tags: list[str] = Field(default_factory=list)
    confidence: Confidence = "medium"
    inference: str | None = Field(
        default=None, description="How a detail the source leaves vague was inferred, and from what."
    )
    source: Source
    references: list[Source] = Field(
        default_factory=list, description="Further sources, e.g. those an inference rests on."
    )
    provenance: Provenance | None = Field(
        default=None, description="For drafted events: offsets and confidence of each field."
    )

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not ID_PATTERN.fullmatch(value):
            raise ValueError(
                f"id {value!r} must be a slug: lower-case letters, digits, '-', '_' or '.', "
                "starting with a letter or digit"
            )
        return value

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str) -> str:
        if value not in EVENT_TYPES:
            raise ValueError(f"unknown type {value!r}; use one of: {', '.join(EVENT_TYPES)}")
        return value

    @field_validator("actors", "tags")
    @classmethod
    def _no_blank_items(cls, value: list[str]) -> list[str]:
        if any(not item.strip() for item in value):
            raise ValueError("items must be non-empty strings")
        return value

    @model_validator(mode="after")
    def _sides(self) -> Event:
        if self.actor2 is not None and self.actor1 is None:
            raise ValueError("actor2 is given without actor1; name the side that acted as actor1")
        return self

    def named_actors(self) -> list[str]:
        """Every actor the event names: actor1, actor2, then the others, each once."""
        sides = [a.name for a in (self.actor1, self.actor2) if a is not None]
        return list(dict.fromkeys([*sides, *self.actors]))


EVENT_FIELDS: tuple[str, ...] = tuple(Event.model_fields)
