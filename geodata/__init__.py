"""geodata: conflict events from news reports, dated, placed, typed and sourced, offline."""

from geodata.errors import CatalogError, GazetteerError, GeocodingError, GeodataError, Problem
from geodata.model import DateSpan, Event, Place, Source
from geodata.taxonomy import EVENT_TYPES, EventType

__all__ = [
    "EVENT_TYPES",
    "CatalogError",
    "DateSpan",
    "Event",
    "EventType",
    "GazetteerError",
    "GeocodingError",
    "GeodataError",
    "Place",
    "Problem",
    "Source",
]
