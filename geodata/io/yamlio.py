"""YAML that remembers where each value came from, and reports its own faults as Problems."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml

from geodata.errors import Problem

_Parser: type = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
MAX_DEPTH = 64

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$")
_FLOAT = re.compile(
    r"^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?$|^[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+$"
)
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


class _YamlProblem(Exception):
    def __init__(self, message: str, mark: Any) -> None:
        super().__init__(message)
        self.mark = mark


def _line(mark: Any) -> int | None:
    return mark.line + 1 if mark is not None else None


def _scalar(event: yaml.ScalarEvent) -> Any:
    """Resolve a scalar the YAML 1.2 core way: ``NO`` stays a string, dates become dates."""
    value = event.value
    tag = event.tag
    if tag in (None, "!") and not event.implicit[0]:
        return value  # quoted
    if tag not in (None, "!"):
        if tag.endswith(":str"):
            return value
        if tag not in _SCALAR_TAGS:
            raise _YamlProblem(f"unsupported YAML tag {tag!r}; remove it", event.start_mark)
    if _NULL.match(value):
        return None
    if value in _BOOL:
        return _BOOL[value]
    if _INT.match(value):
        return int(value.replace("_", ""))
    if _FLOAT.match(value) and any(ch.isdigit() for ch in value):
        return float(value.replace("_", ""))
    if value in (".inf", "+.inf", ".Inf", "-.inf", "-.Inf", ".nan", ".NaN"):
        return float(value.replace(".", "", 1).lower())
    if _DATE.match(value):
        try:
            return dt.date.fromisoformat("-".join(p.zfill(2) for p in value.split("-")))
        except ValueError:
            return value  # an impossible date stays text, so validation can name its field
    return value


def _compose(events: Any) -> tuple[Any, list[tuple[str, int]]]:
    """Build Python objects from parser events without recursion, tracking lines."""
    anchors: dict[str, Any] = {}
    duplicates: list[tuple[str, int]] = []
    stack: list[list[Any]] = []  # [container, pending key, key line, start mark, explicit keys]
    root: Any = None
    seen_document = False

    def attach(value: Any, mark: Any) -> None:
        nonlocal root
        if not stack:
            root = value
            return
        frame = stack[-1]
        container = frame[0]
        if isinstance(container, LineList):
            container.append(value)
            container.lines.append(mark.line + 1)
        elif frame[1] is _NO_KEY:
            try:
                hash(value)
            except TypeError:
                raise _YamlProblem("a mapping key must be a plain value", mark) from None
            frame[1], frame[2] = value, mark.line + 1
        else:
            key, line, explicit = frame[1], frame[2], frame[4]
            if key == "<<" and isinstance(value, dict):
                for k, v in value.items():  # merged keys never override explicit ones
                    if k not in explicit:
                        container[k] = v
                        container.lines.setdefault(k, line)
            else:
                if key in explicit:
                    duplicates.append((str(key), line))
                explicit.add(key)
                container[key] = value
                container.lines[key] = line
            frame[1] = _NO_KEY

    for event in events:
        if isinstance(event, yaml.ScalarEvent):
            value = _scalar(event)
            if event.anchor:
                anchors[event.anchor] = value
            attach(value, event.start_mark)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            if len(stack) >= MAX_DEPTH:
                raise _YamlProblem(f"nested deeper than {MAX_DEPTH} levels", event.start_mark)
            container: LineDict | LineList = (
                LineDict() if isinstance(event, yaml.MappingStartEvent) else LineList()
            )
            container.line = _line(event.start_mark)
            if event.tag not in (None, "!") and not event.tag.endswith((":map", ":seq")):
                raise _YamlProblem(f"unsupported YAML tag {event.tag!r}; remove it", event.start_mark)
            if event.anchor:
                anchors[event.anchor] = container
            stack.append([container, _NO_KEY, None, event.start_mark, set()])
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            frame = stack.pop()
            attach(frame[0], frame[3])
        elif isinstance(event, yaml.AliasEvent):
            if event.anchor not in anchors:
                raise _YamlProblem(f"unknown alias {event.anchor!r}", event.start_mark)
            attach(anchors[event.anchor], event.start_mark)
        elif isinstance(event, yaml.DocumentStartEvent):
            if seen_document:
                raise _YamlProblem("more than one YAML document; keep one", event.start_mark)
            seen_document = True
    return root, duplicates


_NO_KEY = object()


def decode_text(data: bytes, *, path: str | None) -> tuple[str | None, list[Problem]]:
    """Decode UTF-8 (with or without BOM); a bad byte becomes a Problem with its line."""
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        msg = (
            f"the file is not UTF-8 text (byte {data[err.start : err.start + 1]!r} at offset "
            f"{err.start}); save it as UTF-8"
        )
        return None, [Problem(msg, line=line, path=path)]


def load_yaml(text: str, *, path: str | None) -> tuple[Any, list[Problem]]:
    """Parse YAML text into Python objects with line-tagged mappings, or report why not."""
    parser = _Parser(text)
    try:
        data, duplicates = _compose(_events(parser))
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        what = " ".join(str(p) for p in (err.context, err.problem) if p)
        return None, [_at(mark, f"YAML syntax error: {what}; fix the syntax here", path)]
    except _YamlProblem as err:
        return None, [_at(err.mark, f"YAML error: {err}", path)]
    except yaml.YAMLError as err:
        return None, [Problem(f"YAML error: {err}", path=path)]
    finally:
        parser.dispose()
    problems = [
        Problem(f"duplicate key {key!r}; each field may appear once per mapping", line=line, path=path)
        for key, line in duplicates
    ]
    return data, problems


def _events(parser: Any) -> Any:
    while parser.check_event():
        yield parser.get_event()


def _at(mark: Any, message: str, path: str | None) -> Problem:
    return Problem(
        message,
        line=mark.line + 1 if mark is not None else None,
        column=mark.column + 1 if mark is not None else None,
        path=path,
    )


class _Dumper(yaml.SafeDumper):
    """Block-style YAML with multi-line strings as literal blocks, and no anchors or aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_date(dumper: yaml.SafeDumper, value: dt.date) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(dt.date, _represent_date)
_Dumper.add_representer(LineDict, yaml.representer.SafeRepresenter.represent_dict)
_Dumper.add_representer(LineList, yaml.representer.SafeRepresenter.represent_list)


def dump_yaml(data: Any) -> str:
    """Serialise plain data as readable block YAML, keys in insertion order."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
