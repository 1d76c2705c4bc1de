"""Build line-tagged Python values from YAML parser events, within a depth and an alias-expansion budget."""

from __future__ import annotations

import datetime as dt
import re
import reprlib
from typing import Any

import yaml

MAX_DEPTH = 64

#: Alias expansion budget. An alias attaches the same object again, so a few hundred bytes of
#: nested aliases can stand for 10**10 values, and validating or printing them visits every one.
#: The rule, in the spirit of libexpat's amplification limit: at every alias, the values the
#: document stands for once its aliases are expanded (each scalar, mapping and sequence counts
#: one) may not exceed ``max(EXPANSION_FLOOR, EXPANSION_FACTOR * values written so far)``.
#: A file without aliases never reaches it; sharing a source or merging a base mapping into each
#: event stays well under ten-fold; and a million values (a catalogue of some 30,000 written-out
#: events) validate in about a second and 100 MB, so any document under the floor is accepted.
EXPANSION_FLOOR = 1_000_000
EXPANSION_FACTOR = 10

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$")
_FLOAT = re.compile(
    r"^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?$|^[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+$"
)
_SPECIAL_FLOATS = (".inf", "+.inf", ".Inf", "-.inf", "-.Inf", ".nan", ".NaN")
_SCALAR_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("int", "float", "bool", "null", "timestamp")}
_DATE = re.compile(r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$")


class LineDict(dict[Any, Any]):
    """A mapping that knows the line of itself and of each of its keys (1-based)."""

    line: int | None = None
    lines: dict[Any, int]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = {}


class LineList(list[Any]):
    """A sequence that knows the line of each of its items (1-based)."""

    line: int | None = None
    lines: list[int]

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.lines = []


class _ShortRepr(reprlib.Repr):
    """``repr`` that looks at a few items of a few levels: shared (aliased) parts are never expanded."""

    def __init__(self) -> None:
        super().__init__()
        self.maxlevel, self.maxlist, self.maxdict, self.maxstring, self.maxother = 3, 4, 4, 60, 60

    def repr1(self, x: Any, level: int) -> str:
        # subclasses (LineDict, LineList) would otherwise fall back to the full builtin repr
        if isinstance(x, dict):
            return self.repr_dict(x, level)
        if isinstance(x, list):
            return self.repr_list(x, level)
        return super().repr1(x, level)

    def repr_int(self, x: int, level: int) -> str:
        try:
            return super().repr_int(x, level)
        except ValueError:  # more digits than Python converts
            return f"<an integer of about {int(x.bit_length() * 0.30103):,} digits>"


def short_repr(value: Any, limit: int = 80) -> str:
    """A ``repr`` of at most ``limit`` characters, built without walking the whole value."""
    text = _ShortRepr().repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class YamlProblem(Exception):
    """A fault in the YAML itself, at a parser mark."""

    def __init__(self, message: str, mark: Any) -> None:
        super().__init__(message)
        self.mark = mark


def _scalar(event: yaml.ScalarEvent) -> Any:
    """Resolve a scalar the YAML 1.2 core way: ``NO`` stays a string, dates become dates."""
    tag = event.tag
    if tag in (None, "!") and not event.implicit[0]:
        return event.value  # quoted
    if tag not in (None, "!"):
        if tag.endswith(":str"):
            return event.value
        if tag not in _SCALAR_TAGS:
            raise YamlProblem(f"unsupported YAML tag {short_repr(tag)}; remove it", event.start_mark)
    try:
        return resolve_plain(event.value)
    except ValueError:  # more digits than Python converts (sys.get_int_max_str_digits)
        digits = sum(ch.isdigit() for ch in event.value)
        raise YamlProblem(
            f"a number of {digits:,} digits is more than can be read; quote it if it is text",
            event.start_mark,
        ) from None


def resolve_plain(value: str) -> Any:
    if _NULL.match(value):
        return None
    if value in _BOOL:
        return _BOOL[value]
    if _INT.match(value):
        return int(value.replace("_", ""))
    if _FLOAT.match(value) and any(ch.isdigit() for ch in value.partition("e")[0].partition("E")[0]):
        return float(value.replace("_", ""))
    if value in _SPECIAL_FLOATS:
        return float(value.replace(".", "", 1).lower())
    if _DATE.match(value):
        try:
            return dt.date.fromisoformat("-".join(p.zfill(2) for p in value.split("-")))
        except ValueError:
            return value  # an impossible date stays text, so validation can name its field
    return value


_NO_KEY = object()
_OPEN = object()  # an anchored mapping or sequence that has not ended yet


class _Frame:
    """A mapping or sequence being built, and the number of values it stands for so far."""

    __slots__ = ("anchor", "container", "explicit", "key", "key_line", "mark", "size")

    def __init__(self, container: LineDict | LineList, mark: Any, anchor: str | None) -> None:
        self.container = container
        self.mark = mark
        self.anchor = anchor
        self.key: Any = _NO_KEY
        self.key_line = 0
        self.explicit: set[Any] = set()
        self.size = 1


class Composer:
    """Build Python objects from parser events without recursion, tracking lines and sizes."""

    def __init__(self) -> None:
        self.anchors: dict[str, Any] = {}  # name -> (value, expanded size), or _OPEN
        self.duplicates: list[tuple[str, int]] = []
        self.stack: list[_Frame] = []
        self.root: Any = None
        self.written = 0  # values (scalars, mappings, sequences, aliases) written in the text
        self.expanded = 0  # values the document stands for with every alias expanded
        self.documents = 0

    def feed(self, event: Any) -> None:
        if isinstance(event, yaml.ScalarEvent):
            self.written, self.expanded = self.written + 1, self.expanded + 1
            value = _scalar(event)
            if event.anchor:
                self.anchors[event.anchor] = (value, 1)
            self.attach(value, 1, event.start_mark)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self.start(event)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            frame = self.stack.pop()
            if frame.anchor:
                self.anchors[frame.anchor] = (frame.container, frame.size)
            self.attach(frame.container, frame.size, frame.mark)
        elif isinstance(event, yaml.AliasEvent):
            self.alias(event)
        elif isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise YamlProblem("more than one YAML document; keep one", event.start_mark)

    def start(self, event: Any) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise YamlProblem(f"nested deeper than {MAX_DEPTH} levels", event.start_mark)
        if event.tag not in (None, "!") and not event.tag.endswith((":map", ":seq")):
            raise YamlProblem(f"unsupported YAML tag {short_repr(event.tag)}; remove it", event.start_mark)
        self.written, self.expanded = self.written + 1, self.expanded + 1
        container = LineDict() if isinstance(event, yaml.MappingStartEvent) else LineList()
        container.line = event.start_mark.line + 1
        if event.anchor:
            self.anchors[event.anchor] = _OPEN
        self.stack.append(_Frame(container, event.start_mark, event.anchor))

    def alias(self, event: Any) -> None:
        name = event.anchor
        found = self.anchors.get(name)
        if found is None:
            raise YamlProblem(f"unknown alias {short_repr(name)}", event.start_mark)
        if found is _OPEN:
            raise YamlProblem(f"alias *{name} is inside the value it names (a cycle)", event.start_mark)
        value, size = found
        self.written, self.expanded = self.written + 1, self.expanded + size
        budget = max(EXPANSION_FLOOR, EXPANSION_FACTOR * self.written)
        if self.expanded > budget:
            raise YamlProblem(
                f"alias *{name} stands for {size:,} values, which takes the document past "
                f"{budget:,} values once aliases are expanded (the limit is {EXPANSION_FACTOR} times "
                f"the {self.written:,} values written, and at least {EXPANSION_FLOOR:,}); write the "
                "values out or repeat fewer of them",
                event.start_mark,
            )
        self.attach(value, size, event.start_mark)

    def attach(self, value: Any, size: int, mark: Any) -> None:
        if not self.stack:
            self.root = value
            return
        frame = self.stack[-1]
        frame.size += size
        container = frame.container
        if isinstance(container, LineList):
            container.append(value)
            container.lines.append(mark.line + 1)
        elif frame.key is _NO_KEY:
            try:
                hash(value)
            except TypeError:
                raise YamlProblem("a mapping key must be a plain value", mark) from None
            frame.key, frame.key_line = value, mark.line + 1
        else:
            self.attach_value(frame, value)

    def attach_value(self, frame: _Frame, value: Any) -> None:
        container, key, line, explicit = frame.container, frame.key, frame.key_line, frame.explicit
        assert isinstance(container, LineDict)
        if key == "<<" and isinstance(value, dict):
            for k, v in value.items():  # merged keys never override explicit ones
                if k not in explicit:
                    container[k] = v
                    container.lines.setdefault(k, line)
        else:
            if key in explicit:
                self.duplicates.append((short_repr(key), line))
            explicit.add(key)
            container[key] = value
            container.lines[key] = line
        frame.key = _NO_KEY
