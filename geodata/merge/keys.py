"""What the merger compares of an event or a draft (its key), and how actor names are normalised.

A key holds only what matching needs: the type, the date window and its precision, the point the
place resolved to with its precision and country, and the actors as normalised token tuples.
Keys are built from an :class:`~geodata.model.Event` and a point, or from a store row's columns,
so that matching never parses a whole event.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from rapidfuzz import fuzz

from geodata.model import Event
from geodata.settings import DEFAULTS

Kind = Literal["event", "draft"]
Point = tuple[float, float]
#: How coarse each geo precision is: two places two steps apart (a country and a city) are a
#: general report and a particular event, not two reports of one event.
LEVEL = {"facility": 0, "city": 1, "region": 2, "country": 3}
#: Words that say who someone is, not who: dropped from the start of a name before names are
#: compared ("Secretary of State Antony Blinken" is "antony blinken"; "Islamic State" stays).
_TITLES = frozenset(
    "the a an mr mrs ms dr capt captain col colonel lt lieutenant gen general maj major brig brigadier "
    "adm admiral sgt sergeant staff president vice prime minister ministry secretary spokesman "
    "spokeswoman spokesperson defence defense foreign of state chief commander sir lord king prince "
    "sheikh ayatollah iran-backed backed pro said says".split()
)
#: News agencies quoted for a fact are not actors of the event.
_AGENCIES = frozenset({("afp",), ("reuters",), ("ap",), ("associated", "press"), ("ani",)})
_ALIASES = {
    ("u", "s"): ("united", "states"),
    ("us",): ("united", "states"),
    ("usa",): ("united", "states"),
    ("america",): ("united", "states"),
    ("uk",): ("united", "kingdom"),
    ("britain",): ("united", "kingdom"),
    ("great", "britain"): ("united", "kingdom"),
    ("isis",): ("islamic", "state"),
    ("isil",): ("islamic", "state"),
    ("daesh",): ("islamic", "state"),
}
_WORD = re.compile(r"[a-z0-9]+")
_VOWELS = re.compile(r"(?<!^)[aeiouy]")


@lru_cache(maxsize=65_536)
def actor_tokens(name: str) -> tuple[str, ...]:
    """A name's words without accents, case, possessives and titles ("Capt. Bill Urban's" ->
    ("bill", "urban")); a few common aliases ("US", "ISIS") made one name."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    plain = re.sub(r"['’]s\b|['’]", "", plain)
    words = tuple(_WORD.findall(plain))
    while words and words[0] in _TITLES:
        words = words[1:]
    words = _ALIASES.get(words, words)
    return () if words in _AGENCIES else words


def _skeleton(word: str) -> str:
    """The word's consonants after its first letter: transliterations of one Arabic or Cyrillic
    name (Hezbollah and Hizballah, Kataib and Kataeb) share it."""
    return _VOWELS.sub("", word)


def same_word(a: str, b: str) -> bool:
    """Two words of names that are one word spelt two ways (Zelensky, Zelenskyy)."""
    if a == b:
        return True
    if min(len(a), len(b)) < 5:
        return False
    skeleton = _skeleton(a)
    return fuzz.ratio(a, b) >= 85 or (len(skeleton) >= 4 and skeleton == _skeleton(b))


def same_actor(a: Sequence[str], b: Sequence[str]) -> bool:
    """Whether two normalised names name one actor: the shorter one's words all in the longer
    one, its last word (a surname, a group's head noun) among them ("Urban" and "Bill Urban";
    "Kataib Hezbollah" and "Iran-backed Kataib Hezbollah"; not "Iran" and the latter)."""
    if not a or not b:
        return False
    short, long = sorted((a, b), key=len)
    return same_word(short[-1], long[-1]) and all(any(same_word(w, v) for v in long) for w in short)


def shared_actors(a: Iterable[tuple[str, ...]], b: Iterable[tuple[str, ...]]) -> list[str]:
    """The actors of ``a`` that ``b`` names too, as words joined by spaces."""
    others = list(b)
    return [" ".join(x) for x in a if any(same_actor(x, y) for y in others)]


@dataclass(frozen=True, slots=True)
class Key:
    """An event or a draft as the merger sees it."""

    kind: Kind
    #: The event's id, or the draft's id (``None`` for a draft not yet in the store).
    id: str | int | None
    type: str
    start: dt.date
    end: dt.date
    precision: str
    point: Point | None
    geo_precision: str
    country: str | None = None
    place: str = ""
    actors: tuple[tuple[str, ...], ...] = ()
    #: The article a draft was read from: drafts of one article are never merged together.
    article_id: int | None = None
    #: For a pending draft: the event it is already proposed to merge into, and the draft it
    #: was found to report again.
    merge_target: str | None = None
    duplicate_of: int | None = None
    #: What the key is already known to be one event with: ``event:ID`` (an event, or a draft
    #: proposed into it) or ``draft:ID`` (the first draft of a chain of ``duplicate_of``).
    group: str | None = None
    title: str = field(default="", compare=False)

    @property
    def days(self) -> int:
        """How many days the date window covers."""
        return (self.end - self.start).days + 1

    @property
    def level(self) -> int:
        return LEVEL.get(self.geo_precision, 0)

    @property
    def radius_km(self) -> float:
        return DEFAULTS.precision_radius_m.get(self.geo_precision, 1_000.0) / 1000

    @property
    def dated(self) -> bool:
        """False when the date is only a window the report was published in ("unknown")."""
        return self.precision != "unknown"


def normalised_actors(names: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    """Each name's tokens, the empty ones (titles only, agencies) left out, in order, once."""
    return tuple(dict.fromkeys(t for t in (actor_tokens(n) for n in names) if t))


def key_of_event(
    event: Event,
    point: Point | None,
    *,
    kind: Kind = "draft",
    id: str | int | None = None,
    article_id: int | None = None,
    merge_target: str | None = None,
    duplicate_of: int | None = None,
) -> Key:
    """The key of ``event`` placed at ``point`` (where its place resolved)."""
    return Key(
        kind=kind,
        id=event.id if kind == "event" and id is None else id,
        type=event.type,
        start=event.date.start,
        end=event.date.end,
        precision=event.date.precision,
        point=point,
        geo_precision=event.place.geo_precision,
        country=event.place.country,
        place=event.place.query,
        actors=normalised_actors(event.actors),
        article_id=article_id,
        merge_target=merge_target,
        duplicate_of=duplicate_of,
        title=event.title,
    )


def keys_of_frame(frame: Any) -> list[Key]:
    """The keys of the events of a map frame (``geodata.frame``, ``Store.frame``): one pass over
    its columns, no event parsed."""
    columns = [
        frame[c].tolist()
        for c in (
            "id", "type", "date_start", "date_end", "date_precision", "lat", "lon", "geo_precision",
            "place_country", "place_canonical", "place_name", "actors", "title",
        )
    ]  # fmt: skip
    out = []
    for row in zip(*columns, strict=True):
        event_id, kind, start, end, precision, lat, lon, geo, country, canonical, name, actors, title = row
        if _missing(start) or _missing(end) or _missing(lat) or _missing(lon):
            continue
        out.append(
            Key(
                kind="event",
                id=str(event_id),
                type=str(kind),
                start=start.date(),
                end=end.date(),
                precision=str(precision),
                point=(float(lat), float(lon)),
                geo_precision=str(geo) if not _missing(geo) else "facility",
                country=None if _missing(country) else str(country),
                place=str(canonical if not _missing(canonical) else name),
                actors=normalised_actors(actors if isinstance(actors, (list, tuple)) else ()),
                title=str(title),
            )
        )
    return out


def _missing(value: Any) -> bool:
    return value is None or value != value  # NaN and NaT are not equal to themselves
