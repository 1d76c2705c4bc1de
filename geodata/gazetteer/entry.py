"""The gazetteer's entry type: one named place with a point and its source, and a match for a query.

This module imports nothing else of the gazetteer, so every other part can import it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields
from typing import Any

KINDS = ("site", "city", "region", "country", "continent")
#: The geo precision each kind of entry gives a located place (a continent is the coarsest).
PRECISION_OF_KIND = {
    "site": "facility",
    "city": "city",
    "region": "region",
    "country": "country",
    "continent": "country",
}


@dataclass(frozen=True, slots=True)
class Entry:
    """One named place with a point, where the point comes from, and its other names."""

    id: str
    name: str
    lat: float
    lon: float
    kind: str
    country: str | None
    admin1: str | None = None
    population: int = 0
    source: str = ""
    aliases: tuple[str, ...] = ()
    feature: str | None = None
    #: A first-level region's GeoNames admin-1 code: the ``admin1`` of the towns inside it.
    code: str | None = None
    #: A country's ISO 3166 codes ("BA", "BIH"): names to look it up by, but in running text
    #: more often something else (a degree, an airline), so recognition does not read them.
    codes: tuple[str, ...] = ()
    #: A country's capital: a name the world's news means first ("Rome" in a text about New York).
    capital: bool = False

    @property
    def precision(self) -> str:
        return PRECISION_OF_KIND[self.kind]

    def __reduce__(self) -> tuple[type[Entry], tuple[Any, ...]]:
        # Pickled as its constructor's arguments: the cached gazetteers' quarter of a million
        # entries load in about half the time the dataclass's own field-by-field state takes.
        return (Entry, tuple(getattr(self, name) for name in _ENTRY_FIELDS))

    def all_names(self) -> Iterator[str]:
        yield self.name
        yield from self.aliases
        yield from self.codes

    def contains(self, other: Entry) -> bool:
        """Whether ``other`` lies in this country, or in this first-level region (by its code)."""
        if other.country is None or other.country != self.country or other is self:
            return False
        if self.kind == "country":
            return other.kind != "country"
        return (
            self.kind == "region"
            and other.kind in ("city", "site")
            and other.admin1 is not None
            and other.admin1 in (self.code, self.name)
        )


_ENTRY_FIELDS = tuple(f.name for f in fields(Entry))


@dataclass(frozen=True, slots=True)
class Match:
    """A candidate entry for a query, and why it was chosen."""

    entry: Entry
    level: int  # 3 exact name, 2 loose (articles and generic words aside), 1 skeleton
    score: float
