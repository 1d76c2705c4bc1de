"""Read the drafting dev set (benchmarks/devset/): its reports and gold events, checked field by field.

The format is described in benchmarks/devset/README.md. Every problem is collected and reported
at once, each naming the file, the line, the event and the field, like the catalogue's own checks.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from geodata.errors import GeodataError, Problem
from geodata.extract.article import parse_article
from geodata.io.yamlio import load_yaml
from geodata.model import GeoPrecision
from geodata.settings import DEFAULTS
from geodata.taxonomy import EVENT_TYPES

DEVSET_DIR = Path(__file__).resolve().parent / "devset"
GOLD_FILE = "gold.yaml"
REPORTS_DIR = "reports"
Salience = Literal["main", "secondary", "background"]
SALIENCES: tuple[str, ...] = ("main", "secondary", "background")
#: How a report's text was made: written by us from the cited facts, a US government text used as
#: is, or the founding article of the project.
WRITTEN = ("paraphrase", "public domain", "founding article")
_URL = re.compile(r"^https?://\S+$")


class DevSetError(GeodataError, ValueError):
    """The dev set is unreadable or inconsistent; ``problems`` lists every finding."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        lines = "\n".join(p.format() for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in the dev set:\n{lines}")


def normalise(text: str) -> str:
    """Whitespace runs (no-break spaces and line breaks too) as one space: quotes are compared so."""
    return " ".join(text.split())


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _check_urls(urls: list[str]) -> list[str]:
    bad = [u for u in urls if not _URL.match(u)]
    if bad:
        raise ValueError(f"{bad[0]!r} is not an http(s) URL; give the page the fact was checked against")
    return urls


class GoldPlace(_Strict):
    """A real place: a point, where the point comes from, and how far the event spreads around it."""

    name: str = Field(min_length=1)
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    coordinate_source: str = Field(pattern=r"^(gazetteer:.+|https?://\S+)$")
    precision: GeoPrecision | None = None

    @property
    def radius_km(self) -> float:
        """The spread of the event around the point (0 for a point event)."""
        return DEFAULTS.precision_radius_m[self.precision] / 1000 if self.precision else 0.0


class Mention(_Strict):
    """Where a report reports a gold event, and how central the event is to that report."""

    report: str = Field(min_length=1)
    salience: Salience
    #: The passage of the report that reports the event, or several when they are apart.
    quote: str | list[str] = Field(min_length=1)

    @property
    def passages(self) -> list[str]:
        return [self.quote] if isinstance(self.quote, str) else list(self.quote)


class DateInterval(_Strict):
    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> DateInterval:
        if self.end < self.start:
            raise ValueError(f"end {self.end.isoformat()} is before start {self.start.isoformat()}")
        return self


class GoldEvent(_Strict):
    """One real event, with the reports that mention it."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]{0,127}$")
    type: str
    title: str = Field(min_length=1)
    date: DateInterval
    place: GoldPlace
    other_places: list[GoldPlace] = Field(default_factory=list)
    said_at: GoldPlace | None = None
    sources: list[str] = Field(min_length=1)
    mentions: list[Mention] = Field(min_length=1)

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str) -> str:
        if value not in EVENT_TYPES:
            raise ValueError(f"{value!r} is not an event type; use one of {sorted(EVENT_TYPES)}")
        return value

    _sources = field_validator("sources")(_check_urls)

    @property
    def start(self) -> dt.date:
        return self.date.start

    @property
    def end(self) -> dt.date:
        return self.date.end

    def points(self) -> Iterator[GoldPlace]:
        """Every point a draft of this event may rightly be placed at."""
        yield self.place
        yield from self.other_places
        if self.said_at is not None:
            yield self.said_at


class FrontMatter(BaseModel):
    """The front matter a dev-set report must have (other keys, such as a note, are allowed)."""

    model_config = ConfigDict(extra="allow", frozen=True)

    title: str = Field(min_length=1)
    publisher: str = Field(min_length=1)
    published: dt.date
    written: Literal["paraphrase", "public domain", "founding article"]
    based_on: list[str] = Field(min_length=1)
    url: str | None = None

    _based_on = field_validator("based_on")(_check_urls)


@dataclass(frozen=True)
class Report:
    """One report of the dev set: its file's text (front matter included) and its article text."""

    name: str
    raw: str
    text: str
    meta: FrontMatter

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True)
class DevSet:
    """The reports by name (the file name without ``.md``) and the gold events."""

    reports: dict[str, Report]
    events: list[GoldEvent]

    def gold_for(self, report: str) -> list[tuple[GoldEvent, Mention]]:
        """The gold events a report mentions, each with its mention."""
        return [(e, m) for e in self.events for m in e.mentions if m.report == report]

    def shared_events(self) -> list[GoldEvent]:
        """The events mentioned by two reports or more: what merging across reports is scored on."""
        return [e for e in self.events if len({m.report for m in e.mentions}) >= 2]


def load_devset(directory: Path = DEVSET_DIR) -> DevSet:
    """Read and check the dev set; a :class:`DevSetError` lists every problem found."""
    problems: list[Problem] = []
    reports = _read_reports(directory / REPORTS_DIR, problems)
    events = _read_gold(directory / GOLD_FILE, reports, problems)
    if problems:
        raise DevSetError(problems)
    return DevSet(reports=reports, events=events)


def _read_reports(folder: Path, problems: list[Problem]) -> dict[str, Report]:
    reports: dict[str, Report] = {}
    paths = sorted(folder.glob("*.md"))
    if not paths:
        problems.append(Problem(f"no reports (*.md) in {str(folder)!r}; add them", path=str(folder)))
    for path in paths:
        raw = path.read_text(encoding="utf-8")
        try:
            text = parse_article(raw, name=str(path)).text
            front, _ = load_yaml(raw.split("\n---", 1)[0].removeprefix("---\n"), path=str(path))
            meta = FrontMatter.model_validate(front if isinstance(front, dict) else {})
        except GeodataError as err:
            problems.append(Problem(f"{err}; fix the front matter", path=str(path)))
            continue
        except ValidationError as err:
            problems += [_problem(e, path=str(path), event_id=None) for e in err.errors()]
            continue
        reports[path.stem] = Report(name=path.stem, raw=raw, text=text, meta=meta)
    return reports


def _read_gold(path: Path, reports: dict[str, Report], problems: list[Problem]) -> list[GoldEvent]:
    if not path.is_file():
        problems.append(Problem("the gold file is missing; write it (see README.md)", path=str(path)))
        return []
    data, found = load_yaml(path.read_text(encoding="utf-8"), path=str(path))
    problems += found
    items = data.get("events") if isinstance(data, dict) else None
    if not isinstance(items, list):
        problems.append(Problem("expected a mapping with a list under 'events'", path=str(path)))
        return []
    events: list[GoldEvent] = []
    for index, item in enumerate(items):
        event_id = str(item.get("id")) if isinstance(item, dict) else f"#{index + 1}"
        try:
            event = GoldEvent.model_validate(item)
        except ValidationError as err:
            problems += [_problem(e, path=str(path), event_id=event_id, item=item) for e in err.errors()]
            continue
        problems += _mention_problems(event, reports, path=str(path), item=item)
        events.append(event)
    for event_id, count in Counter(e.id for e in events).items():
        if count > 1:
            problems.append(
                Problem(f"{count} events have this id; ids must be unique", event_id, path=str(path))
            )
    return events


def _mention_problems(event: GoldEvent, reports: dict[str, Report], *, path: str, item: Any) -> list[Problem]:
    out = []
    line = getattr(item, "line", None)
    for number, mention in enumerate(event.mentions, 1):
        field = f"mentions[{number}]"
        report = reports.get(mention.report)
        if report is None:
            message = f"report {mention.report!r} is not in reports/; name a report file without '.md'"
            out.append(Problem(message, event.id, f"{field}.report", line, path=path))
        else:
            text = normalise(report.text)
            for passage in mention.passages:
                if not passage.strip() or normalise(passage) not in text:
                    message = f"quote {passage[:60]!r}... is not in {mention.report}; copy its words exactly"
                    out.append(Problem(message, event.id, f"{field}.quote", line, path=path))
    return out


def _problem(error: Any, *, path: str, event_id: str | None, item: Any = None) -> Problem:
    loc = ".".join(str(p) for p in error["loc"])
    line = getattr(item, "line", None)
    key_lines = getattr(item, "lines", None)
    if isinstance(key_lines, dict) and error["loc"] and error["loc"][0] in key_lines:
        line = key_lines[error["loc"][0]]
    value = error.get("input")
    return Problem(f"{error['msg']} (got {str(value)[:60]!r})", event_id, loc or None, line, path=path)
