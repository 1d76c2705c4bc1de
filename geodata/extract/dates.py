"""Dates in news prose, resolved against the publication date.

"on Thursday" is the last Thursday on or before publication ("Saturday last week" the Saturday
of the week before); "last week" the Monday-to-Sunday week before the publication's; "last
weekend" the Saturday and Sunday before it; "in the past month" the 30 days up to publication;
"30 March 2020", "March 30", "March 2020", "in January", "in late March" and "the last week of
March" are what they say (a year-less date is the latest one not after publication).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_NAMES = sorted({*(n.capitalize() for n in MONTHS), *(n.upper() for n in MONTHS)}, key=len, reverse=True)
# Month and day names are capitalised: matched case-sensitively, they are also found fast (the
# search skips every position that does not start with a capital letter).
_MONTH = r"(?P<month>(?-i:" + "|".join(_NAMES) + r"))\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DAYS = [n.capitalize() for n in WEEKDAYS] + [n.upper() for n in WEEKDAYS]
_WEEKDAY = r"(?P<weekday>(?-i:" + "|".join(_DAYS) + r"))"
_PART = r"(?:(?P<part>early|mid|late|the (?:beginning|middle|end) of)[- ]?)"

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "week_of_month",
        re.compile(
            rf"\bthe\s+(?P<nth>first|second|third|fourth|last)\s+week\s+of\s+{_MONTH}(?:\s+{_YEAR})?\b",
            re.IGNORECASE,
        ),
    ),
    ("day_month_year", re.compile(rf"\b{_DAY}\s+{_MONTH}\s*,?\s+{_YEAR}\b", re.IGNORECASE)),
    ("month_day_year", re.compile(rf"\b{_MONTH}\s+{_DAY}\s*,\s*{_YEAR}\b", re.IGNORECASE)),
    ("iso", re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b")),
    ("day_month", re.compile(rf"\b{_DAY}\s+{_MONTH}\b(?!\s*,?\s*(?:19|20)\d\d)", re.IGNORECASE)),
    ("month_day", re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?!\s*,\s*(?:19|20)\d\d)(?!\d)", re.IGNORECASE)),
    ("month_year", re.compile(rf"\b{_MONTH}\s+{_YEAR}\b", re.IGNORECASE)),
    ("month", re.compile(rf"\b{_MONTH}\b(?!\s*\d)", re.IGNORECASE)),
    ("weekday_last_week", re.compile(rf"\b{_WEEKDAY}\s+(?:of\s+)?last\s+week\b", re.IGNORECASE)),
    ("last_weekend", re.compile(r"\b(?:last|over the)\s+weekend\b", re.IGNORECASE)),
    ("overnight", re.compile(r"\bovernight\b", re.IGNORECASE)),
    ("weekday", re.compile(rf"\b{_WEEKDAY}\b")),
    ("yesterday", re.compile(r"\byesterday\b", re.IGNORECASE)),
    ("today", re.compile(r"\b(?:today|this morning|tonight|this evening)\b", re.IGNORECASE)),
    ("last_week", re.compile(r"\blast\s+week\b", re.IGNORECASE)),
    ("this_week", re.compile(r"\b(?:this|earlier this)\s+week\b", re.IGNORECASE)),
    (
        "past_days",
        re.compile(r"\bthe\s+(?:past|last)\s+(?:few\s+)?(?P<unit>week|month|year)s?\b", re.IGNORECASE),
    ),
    ("last_month", re.compile(r"\blast\s+month\b", re.IGNORECASE)),
    ("last_year", re.compile(r"\blast\s+year\b", re.IGNORECASE)),
    ("this_year", re.compile(r"\b(?:this|earlier this)\s+year\b", re.IGNORECASE)),
    ("this_month", re.compile(r"\b(?:this|earlier this)\s+month\b", re.IGNORECASE)),
]
#: Words before a match that belong to it ("in late March", "since mid-October", "on Friday",
#: "last Thursday"): read backwards from the match, so the patterns above start with a word the
#: search can skip to.
_IN = r"(?:\b(?:in|during|until|by|through|throughout|from|earlier in|later in)\s+)"
_PREFIXES = {
    "week_of_month": re.compile(rf"{_IN}$", re.IGNORECASE),
    "month_year": re.compile(rf"{_IN}?{_PART}$", re.IGNORECASE),
    "month": re.compile(rf"(?:\b(?P<since>since)\s+|{_IN})?{_PART}?$", re.IGNORECASE),
    "weekday_last_week": re.compile(r"\bon\s+$", re.IGNORECASE),
    "weekday": re.compile(r"\b(?:on|(?P<last>last))\s+$", re.IGNORECASE),
    "past_days": re.compile(rf"{_IN}$", re.IGNORECASE),
}


@dataclass(frozen=True)
class DateMention:
    """A date expression found in text and the interval it stands for."""

    start: int
    end: int
    text: str
    first: dt.date
    last: dt.date
    precision: str
    confidence: float


def _safe(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def days_before(day: dt.date, days: int) -> dt.date:
    """``day`` less ``days`` days, or the first day the calendar has if that is earlier."""
    return day - dt.timedelta(days=days) if (day - dt.date.min).days >= days else dt.date.min


def _latest_not_after(month: int, day: int, published: dt.date) -> dt.date | None:
    this_year = _safe(published.year, month, day)
    if this_year and this_year <= published:
        return this_year
    return _safe(published.year - 1, month, day)


def _month_span(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


_Resolved = tuple[dt.date, dt.date, str, float]
_NTH_WEEK = {"first": 0, "second": 7, "third": 14, "fourth": 21}


def resolve(kind: str, group: dict[str, str], published: dt.date) -> _Resolved | None:
    """The interval, precision and confidence of a date expression of ``kind`` (a pattern's name
    in :data:`PATTERNS`) whose parts are ``group``, published on ``published``."""
    return _resolve(kind, group, published)


def _resolve(kind: str, group: dict[str, str], published: dt.date) -> _Resolved | None:
    if group.get("month") and kind != "iso":
        return _calendar(kind, group, MONTHS[group["month"].lower().rstrip(".")], published)
    if kind == "iso":
        day = _safe(int(group["year"]), int(group["month"]), int(group["day"]))
        return (day, day, "day", 0.95) if day else None
    return _relative(kind, group, published)


def _calendar(kind: str, group: dict[str, str], month: int, published: dt.date) -> _Resolved | None:
    """Dates that name a month: "30 March 2020", "March 30", "March 2020", "in late March",
    "the last week of March" (a year-less one is the latest not after publication)."""
    if kind in ("day_month_year", "month_day_year"):
        day = _safe(int(group["year"]), month, int(group["day"]))
        return (day, day, "day", 0.95) if day else None
    if kind in ("day_month", "month_day"):
        day = _latest_not_after(month, int(group["day"]), published)
        return (day, day, "day", 0.8) if day else None
    year = int(group["year"]) if group.get("year") else None
    if year is None:
        year = published.year if dt.date(published.year, month, 1) <= published else published.year - 1
    first, last = _month_span(year, month)
    if kind == "week_of_month":
        nth = group["nth"].lower()
        start = last - dt.timedelta(days=6) if nth == "last" else first + dt.timedelta(days=_NTH_WEEK[nth])
        return start, start + dt.timedelta(days=6), "week", 0.85
    part = (group.get("part") or "").lower()
    if part:  # early: days 1-10, mid: 11-20, late: 21 to the end
        if part.startswith(("early", "the beginning")):
            last = first + dt.timedelta(days=9)
        elif part.startswith(("mid", "the middle")):
            first, last = first + dt.timedelta(days=10), first + dt.timedelta(days=19)
        else:
            first = first + dt.timedelta(days=20)
    if group.get("since"):  # "since mid-October": from then until publication
        last = published
    return first, last, "month", 0.9 if kind == "month_year" else 0.75


def _relative(kind: str, group: dict[str, str], published: dt.date) -> _Resolved | None:
    """Dates relative to publication: "on Thursday", "last week", "in the past month"."""
    monday = published - dt.timedelta(days=published.weekday())
    if kind in ("weekday", "weekday_last_week"):
        weekday = WEEKDAYS[group["weekday"].lower()]
        if kind == "weekday_last_week":
            day = monday - dt.timedelta(days=7 - weekday)
            return day, day, "day", 0.8
        back = (published.weekday() - weekday) % 7
        if group.get("last") and back == 0:
            back = 7
        day = published - dt.timedelta(days=back)
        return day, day, "day", 0.75
    if kind in ("yesterday", "today", "overnight"):
        day = published - dt.timedelta(days=0 if kind == "today" else 1)
        return day, published if kind == "overnight" else day, "day", 0.8
    if kind == "last_weekend":
        sunday = published - dt.timedelta(days=published.weekday() + 1)
        return sunday - dt.timedelta(days=1), sunday, "week", 0.75
    if kind == "last_week":
        start = monday - dt.timedelta(days=7)
        return start, start + dt.timedelta(days=6), "week", 0.8
    if kind == "this_week":
        return monday, published, "week", 0.7
    if kind == "past_days":
        unit = group["unit"].lower()
        days = {"week": 7, "month": 30, "year": 365}[unit] * (
            3 if " few " in f" {group['text'].lower()} " else 1
        )
        precision = "week" if days <= 7 else "month" if days <= 31 else "year"
        return published - dt.timedelta(days=days), published, precision, 0.6
    if kind in ("last_month", "this_month"):
        year, month_no = published.year, published.month
        if kind == "last_month":
            year, month_no = (year - 1, 12) if month_no == 1 else (year, month_no - 1)
        first, last = _month_span(year, month_no)
        return first, min(last, published), "month", 0.75
    if kind in ("last_year", "this_year"):
        year = published.year - (kind == "last_year")
        return dt.date(year, 1, 1), min(dt.date(year, 12, 31), published), "year", 0.7
    return None


def _with_prefix(kind: str, text: str, m: re.Match[str], floor: int) -> tuple[int, dict[str, str]]:
    """Where the date expression of match ``m`` starts, with the words before it that belong to
    it (not before ``floor``, the end of the date before), and all its parts by name."""
    group = {k: v for k, v in m.groupdict().items() if v is not None}
    start = m.start()
    prefix = _PREFIXES.get(kind)
    if prefix is not None:
        before = prefix.search(text, max(floor, start - 40), start)
        if before is not None and before.end() == start and before.start() < start:
            start = before.start()
            group.update({k: v for k, v in before.groupdict().items() if v is not None})
    group["text"] = text[start : m.end()]
    return start, group


def find_dates(text: str, published: dt.date) -> list[DateMention]:
    """Date expressions of ``text``, earliest first, none overlapping, none after publication.

    The patterns are tried in turn, each where no earlier one matched; the spans taken so far
    are kept in order, so each pattern costs one pass over the text and one over them.
    """
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in PATTERNS:
        fresh: list[tuple[int, int]] = []
        at = 0  # the first taken span that ends after the last match's start
        for m in pattern.finditer(text):
            while at < len(taken) and taken[at][1] <= m.start():
                at += 1
            if at < len(taken) and taken[at][0] < m.end():
                continue  # overlaps a span an earlier pattern took
            start, group = _with_prefix(kind, text, m, taken[at - 1][1] if at else 0)
            try:
                resolved = _resolve(kind, group, published)
            except (OverflowError, ValueError):  # arithmetic past year 1 or 9999: no such date
                resolved = None
            if resolved is None or resolved[0] > published:
                continue
            first, last, precision, confidence = resolved
            last = min(last, published)
            found.append(
                DateMention(start, m.end(), text[start : m.end()], first, last, precision, confidence)
            )
            fresh.append((start, m.end()))
        taken = sorted(taken + fresh)
    return sorted(found, key=lambda d: d.start)
