"""The exceptions the library raises: one root, and subclasses that also inherit a built-in."""

from __future__ import annotations

from dataclasses import dataclass


class GeodataError(Exception):
    """Root of every error this library raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a catalogue: where it is and what to do about it."""

    message: str
    event_id: str | None = None
    field: str | None = None
    line: int | None = None
    column: int | None = None
    path: str | None = None

    def format(self) -> str:
        """Render as one line: ``PATH:LINE: event 'ID', field 'F': message``."""
        where = self.path or "<catalogue>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        subject = []
        if self.event_id is not None:
            subject.append(f"event {self.event_id!r}")
        if self.field is not None:
            subject.append(f"field {self.field!r}")
        if subject:
            return f"{where}: {', '.join(subject)}: {self.message}"
        return f"{where}: {self.message}"


class CatalogError(GeodataError, ValueError):
    """A catalogue could not be read or is invalid; ``problems`` lists every finding."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        lines = [p.format() for p in self.problems]
        head = f"{len(lines)} problem(s) in the catalogue"
        super().__init__(head + ":\n" + "\n".join(lines))


class GazetteerError(GeodataError, OSError):
    """A gazetteer data file is missing or malformed."""


class GeocodingError(GeodataError, LookupError):
    """A place could not be geocoded where an answer was required."""


class FileError(GeodataError, OSError):
    """A file could not be read or written safely (too large, read-only, not a regular file)."""


class StoreError(GeodataError, RuntimeError):
    """The store could not be opened or did not take a change."""


class ConflictError(StoreError):
    """An edit was made from an older version of a record than the store holds now.

    ``current`` is what the store holds; ``proposed`` is the refused edit. Neither is lost.
    """

    def __init__(self, message: str, *, current: object, proposed: object) -> None:
        super().__init__(message)
        self.current = current
        self.proposed = proposed


class ExportError(GeodataError, ValueError):
    """The events could not be written in the requested format."""
