"""YAML that remembers where each value came from, and reports its own faults as Problems."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

import yaml

from geodata.errors import ExportError, Problem
from geodata.io.yamlcompose import (
    EXPANSION_FACTOR,
    EXPANSION_FLOOR,
    MAX_DEPTH,
    Composer,
    LineDict,
    LineList,
    YamlProblem,
    resolve_plain,
    short_repr,
)

__all__ = [
    "EXPANSION_FACTOR",
    "EXPANSION_FLOOR",
    "MAX_DEPTH",
    "LineDict",
    "LineList",
    "decode_text",
    "dump_yaml",
    "load_yaml",
    "short_repr",
]

_Parser: type = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # what the YAML reader counts as a new line


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
    """Parse YAML text into Python objects with line-tagged mappings, or report why not.

    Aliases are expanded within the budget described at :data:`EXPANSION_FLOOR`.
    """
    try:
        parser = _Parser(text)
    except UnicodeEncodeError:  # a lone surrogate (from a JSON escape, say) has no UTF-8 form
        return None, [_unreadable_character(text, path)]
    composer = Composer()
    try:
        while parser.check_event():
            composer.feed(parser.get_event())
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        what = " ".join(str(p) for p in (err.context, err.problem) if p)
        return None, [_at(mark, f"YAML syntax error: {what}; fix the syntax here", path)]
    except yaml.reader.ReaderError:
        return None, [_unreadable_character(text, path)]
    except YamlProblem as err:
        return None, [_at(err.mark, f"YAML error: {err}", path)]
    except yaml.YAMLError as err:
        return None, [Problem(f"YAML error: {str(err)[:200]}", path=path)]
    finally:
        parser.dispose()
    problems = [
        Problem(f"duplicate key {key}; each field may appear once per mapping", line=line, path=path)
        for key, line in composer.duplicates
    ]
    return composer.root, problems


def _unreadable_character(text: str, path: str | None) -> Problem:
    """The first character YAML does not allow, with its line and column (as the parser counts)."""
    found = yaml.reader.Reader.NON_PRINTABLE.search(text)
    if found is None:
        return Problem("YAML error: the text could not be read", path=path)
    char = found.group()
    lines = _BREAK.split(text[: found.start()])
    line, column = len(lines), len(lines[-1]) + 1
    kind = {"Cc": "a control character", "Cs": "a lone surrogate"}.get(unicodedata.category(char))
    name = unicodedata.name(char, kind or "not a character")
    return Problem(
        f"YAML error: the character {char!r} (U+{ord(char):04X}, {name}) is not allowed in YAML "
        "text; remove it",
        line=line,
        column=column,
        path=path,
    )


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


# Characters YAML readers treat as line breaks or strip: only a double-quoted scalar, which
# writes them as escapes, keeps them.
_NEEDS_ESCAPES = re.compile("[\r\x85\u2028\u2029\ufeff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    """Choose a style that reads back as exactly ``value`` with :func:`load_yaml`.

    The emitter itself falls back to double quotes where a literal block or plain text cannot
    hold the characters (trailing spaces before a break, tabs, control characters).
    """
    if surrogate := _SURROGATE.search(value):
        raise ExportError(
            f"cannot write {short_repr(value)}: it holds a lone surrogate "
            f"(U+{ord(surrogate.group()):04X}), which UTF-8 text cannot store; remove it"
        )
    if _NEEDS_ESCAPES.search(value):
        style: str | None = '"'
    elif "\n" in value:
        style = "|"
    elif not _stays_text(value):
        style = "'"  # plain, it would read back as a number, a date, a boolean or null
    else:
        style = None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _stays_text(value: str) -> bool:
    try:
        return resolve_plain(value) is value
    except ValueError:  # too many digits to read as a number: still not text when plain
        return False


def _represent_date(dumper: yaml.SafeDumper, value: dt.date) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(dt.date, _represent_date)
_Dumper.add_representer(LineDict, yaml.representer.SafeRepresenter.represent_dict)
_Dumper.add_representer(LineList, yaml.representer.SafeRepresenter.represent_list)


def dump_yaml(data: Any) -> str:
    """Serialise plain data as readable block YAML, keys in insertion order; every string reads back.

    Raises :class:`~geodata.errors.ExportError` for a string with a lone surrogate, which no
    UTF-8 file can hold.
    """
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
