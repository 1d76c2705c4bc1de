"""A mutation check: break the code one line at a time and see whether the tests notice.

    nice -n 10 python tools/mutate.py              # every mutant below (takes a while)
    python tools/mutate.py --list                   # the mutants, and whether each still applies
    python tools/mutate.py --only word-rstrip-dot   # one (or, repeated, a few) by name

Each mutant replaces one exact piece of text in one file of a copy of the repository (made
under a temporary directory, never in place), runs the tests named beside it there with
``python -m pytest -x -q -p no:cacheprovider TESTS``, then puts the text back. It prints a
table: the first failing test (the mutant was caught), SURVIVED (no test noticed), or STALE
(the original text is no longer in the file: update the table). Not part of the test suite.

The copy's own code is what runs: pytest is started from the copy's root, which comes first on
``sys.path``; ``PYTHONPATH`` is set to that root only, so that the processes the tests start
(``python -m geodata``, the dashboard's ``streamlit run``) import the copy too. The copy's
gazetteer copies go to a home directory of its own, removed at the end.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Mutant:
    name: str
    file: str
    original: str  # must occur exactly once in ``file``
    replacement: str
    tests: str  # test modules or node ids, separated by spaces
    description: str


#: The browser test that shows hostile catalogue text (slow: it starts the dashboard).
HOSTILE = "tests/test_browser.py::test_hostile_text_is_shown_as_text"

MUTANTS: tuple[Mutant, ...] = (
    # --- the gazetteer ------------------------------------------------------------------------
    Mutant(
        "cache-read-nothing",
        "geodata/gazetteer/cache.py",
        "return pickle.load(handle)",
        "return None",
        "tests/test_gazetteer_cache.py",
        "the on-disk copy is never read: every load builds",
    ),
    Mutant(
        "cache-key-no-imports",
        "geodata/gazetteer/cache.py",
        "todo.extend(_imported_modules(path) - seen)",
        "pass",
        "tests/test_gazetteer_cache.py",
        "the key ignores the geodata modules the gazetteer imports",
    ),
    Mutant(
        "score-region-hint",
        "geodata/gazetteer/index.py",
        "score += 5.0",
        "score += 0.0",
        "tests/test_geocoding.py tests/test_gazetteer.py",
        "a region hint no longer breaks ties",
    ),
    Mutant(
        "score-capital",
        "geodata/gazetteer/index.py",
        "score += CAPITAL_BONUS",
        "score += 0.0",
        "tests/test_gazetteer.py tests/test_geoparse.py",
        "a capital gains nothing over its namesakes",
    ),
    Mutant(
        "country-filter-ignored",
        "geodata/gazetteer/index.py",
        "and (country is None or e.country == country)",
        "",
        "tests/test_gazetteer.py tests/test_geocoding.py",
        "a country hint filters nothing",
    ),
    Mutant(
        "names-accents-kept",
        "geodata/gazetteer/names.py",
        'name = "".join(ch for ch in decomposed if not unicodedata.combining(ch))',
        "name = decomposed",
        "tests/test_names.py",
        "exact keys keep combining accents",
    ),
    Mutant(
        "names-q-not-k",
        "geodata/gazetteer/names.py",
        'ord("q"): "k"',
        'ord("q"): "q"',
        "tests/test_names.py",
        "skeletons no longer spell q as k",
    ),
    Mutant(
        "names-articles-kept",
        "geodata/gazetteer/names.py",
        "kept = [t for t in tokens if t not in ARTICLES and t not in GENERIC_WORDS]",
        "kept = [t for t in tokens if t not in GENERIC_WORDS]",
        "tests/test_names.py",
        "loose keys keep Arabic articles",
    ),
    # --- recognition ---------------------------------------------------------------------------
    Mutant(
        "word-rstrip-dot",
        "geodata/extract/recognise.py",
        'raw.rstrip(".-")',
        'raw.rstrip(".")',
        "tests/test_geoparse.py tests/test_cues.py",
        "a word keeps a trailing hyphen",
    ),
    Mutant(
        "joiners-no-upon",
        "geodata/extract/recognise.py",
        '"and", "upon", "on"',
        '"and", "on"',
        "tests/test_geoparse.py tests/test_cues.py",
        '"upon" joins no name ("Stratford upon Avon")',
    ),
    # --- filters -------------------------------------------------------------------------------
    Mutant(
        "filter-types-all",
        "geodata/frame.py",
        'return gdf["type"].isin(list(types))',
        "return pd.Series(True, index=gdf.index)",
        "tests/test_frame.py",
        "the type filter passes every row",
    ),
    Mutant(
        "filter-window-end-strict",
        "geodata/frame.py",
        'mask &= gdf["date_start"] <= pd.Timestamp(end)',
        'mask &= gdf["date_start"] < pd.Timestamp(end)',
        "tests/test_frame.py",
        "an event starting on the window's last day is left out",
    ),
    Mutant(
        "filter-window-start-of-event",
        "geodata/frame.py",
        'mask &= gdf["date_end"] >= pd.Timestamp(start)',
        'mask &= gdf["date_start"] >= pd.Timestamp(start)',
        "tests/test_frame.py",
        "the window compares the event's start, not its end (no overlap)",
    ),
    Mutant(
        "filter-actors-substring",
        "geodata/frame.py",
        'pattern = "|".join(re.escape(_SEP + a + _SEP) for a in wanted)',
        'pattern = "|".join(re.escape(a) for a in wanted)',
        "tests/test_frame.py",
        "an actor matches any actor whose name contains it",
    ),
    Mutant(
        "filter-text-case",
        "geodata/frame.py",
        'needle = (text or "").strip().casefold()',
        'needle = (text or "").strip()',
        "tests/test_frame.py",
        "the text filter is case-sensitive",
    ),
    Mutant(
        "filter-bbox-antimeridian",
        "geodata/frame.py",
        "else (lon >= west) | (lon <= east)",
        "else (lon >= west) & (lon <= east)",
        "tests/test_frame.py",
        "a box across 180° holds nothing",
    ),
    Mutant(
        "filter-bbox-north",
        "geodata/frame.py",
        "& (lat >= south) & (lat <= north)",
        "& (lat >= south)",
        "tests/test_frame.py",
        "a box has no northern edge",
    ),
    # --- exports -------------------------------------------------------------------------------
    Mutant(
        "geojson-lat-lon",
        "geodata/coords.py",
        "return [round(lon, digits), round(lat, digits)]",
        "return [round(lat, digits), round(lon, digits)]",
        "tests/test_coords.py tests/test_export.py",
        "GeoJSON positions in (lat, lon) order, against RFC 7946",
    ),
    Mutant(
        "geojson-crs",
        "geodata/io/export.py",
        'return {"type": "FeatureCollection", "features": features}',
        'return {"type": "FeatureCollection", "features": features, "crs": {"type": "name"}}',
        "tests/test_export.py",
        "a crs member, which RFC 7946 removed",
    ),
    Mutant(
        "csv-columns",
        "geodata/io/export.py",
        "columns = [c for c in RECORD_FIELDS if c in gdf.columns]\n    flat",
        'columns = [c for c in RECORD_FIELDS if c in gdf.columns and c != "source_url"]\n    flat',
        "tests/test_export.py",
        "the CSV loses a column",
    ),
    Mutant(
        "csv-download-all-events",
        "dashboard/app.py",
        "table_csv = csv_bytes(gdf[mask]) if eager else (lambda: csv_bytes(gdf[mask]))",
        "table_csv = csv_bytes(gdf) if eager else (lambda: csv_bytes(gdf))",
        "tests/test_app.py tests/test_browser.py::test_full_session_filters_popup_download_offline",
        "the CSV download holds every event, not the filtered ones",
    ),
    # --- escaping ------------------------------------------------------------------------------
    Mutant(
        "tooltip-no-esc",
        "dashboard/layers.py",
        '"<b>" + esc(e.title) + "</b>',
        '"<b>" + e.title + "</b>',
        f"tests/test_dashboard_escaping.py {HOSTILE}",
        "a tooltip shows the title as HTML",
    ),
    Mutant(
        "popup-inner-html",
        "dashboard/layers.py",
        "node.textContent = String(text);",
        "node.innerHTML = String(text);",
        HOSTILE,
        "popup text parsed as HTML",
    ),
    Mutant(
        "popup-javascript-url",
        "dashboard/layers.py",
        "if (/^https?:\\\\/\\\\//i.test(e.url)) {",
        "if (e.url) {",
        HOSTILE,
        "any URL becomes a link, javascript: too",
    ),
    Mutant(
        "script-json-lt",
        "dashboard/layers.py",
        '("<", "\\\\u003c"),',
        "",
        f"tests/test_dashboard_escaping.py tests/test_app.py {HOSTILE}",
        '"<" left raw in JSON inside a script ("</script>" ends it)',
    ),
    Mutant(
        "md-escape-brackets",
        "dashboard/details.py",
        r"""re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=&\"'])")""",
        r"""re.compile(r"([\\`*_{}()#+\-.!|<>~$:=&\"'])")""",
        f"tests/test_dashboard_escaping.py tests/test_app.py {HOSTILE}",
        "square brackets left raw in Markdown: [text](link) becomes a link",
    ),
    # --- the dashboard's state -----------------------------------------------------------------
    Mutant(
        "playback-no-wrap",
        "dashboard/state.py",
        "new_start = span[0]",
        "new_start = start",
        "tests/test_app.py",
        "playback does not wrap to the start after the end",
    ),
    # --- dates ---------------------------------------------------------------------------------
    Mutant(
        "week-default-end",
        "geodata/model.py",
        "return day + dt.timedelta(days=6)",
        "return day + dt.timedelta(days=7)",
        "tests/test_model.py tests/test_frame.py",
        "a week without an end runs eight days",
    ),
    Mutant(
        "month-default-end",
        "geodata/model.py",
        "return day.replace(day=calendar.monthrange(day.year, day.month)[1])",
        "return day.replace(day=30)",
        "tests/test_model.py",
        "a month without an end ends on the 30th",
    ),
    Mutant(
        "describe-week-to",
        "geodata/model.py",
        '("" if (end - start).days == 6 else f" to {_fmt_day(end)}")',
        '""',
        "tests/test_model.py tests/test_frame.py",
        "a week that is not seven days long is worded as one",
    ),
    Mutant(
        "describe-month-any-start",
        "geodata/model.py",
        'if precision == "month" and start.day == 1 and start.month == end.month',
        'if precision == "month" and start.month == end.month',
        "tests/test_model.py tests/test_frame.py",
        "a month span that starts mid-month is worded as the whole month",
    ),
    Mutant(
        "dates-last-week",
        "geodata/extract/dates.py",
        "start = monday - dt.timedelta(days=7)",
        "start = monday - dt.timedelta(days=6)",
        "tests/test_extract.py",
        '"last week" starts on a Tuesday',
    ),
    Mutant(
        "dates-last-weekday",
        "geodata/extract/dates.py",
        'if group.get("last") and back == 0:',
        "if False:",
        "tests/test_extract.py",
        '"last Thursday" on a Thursday is that day, not a week before',
    ),
    Mutant(
        "dates-last-month-january",
        "geodata/extract/dates.py",
        "(year - 1, 12) if month_no == 1",
        "(year, 12) if month_no == 1",
        "tests/test_extract.py",
        '"last month" in January is December of the same year',
    ),
    # --- validation ----------------------------------------------------------------------------
    Mutant(
        "duplicate-ids-allowed",
        "geodata/catalog.py",
        "if event_id in lines:",
        "if False:",
        "tests/test_catalog.py",
        "two events may share an id",
    ),
    Mutant(
        "event-after-source",
        "geodata/catalog.py",
        "if published is not None and event.date.start > published:",
        "if False:",
        "tests/test_catalog.py",
        "an event after its source was published passes",
    ),
    # --- safe writes ---------------------------------------------------------------------------
    Mutant(
        "write-mode-lost",
        "geodata/io/safefile.py",
        "_settle(staged, _new_file_mode() if mode is None else mode)",
        "_settle(staged, _new_file_mode())",
        "tests/test_safefile.py",
        "a replaced file loses its mode",
    ),
    Mutant(
        "write-read-only",
        "geodata/io/safefile.py",
        "if not mode & 0o222 or not os.access(real, os.W_OK):",
        "if False:",
        "tests/test_safefile.py",
        "a read-only file is overwritten",
    ),
    # --- hostile input (the hardening issue) --------------------------------------------------
    Mutant(
        "yaml-no-alias-budget",
        "geodata/io/yamlcompose.py",
        "if self.expanded > budget:",
        "if False:",
        "tests/test_yamlio.py tests/test_catalog.py",
        "aliases expand without limit (the alias bomb is read)",
    ),
    Mutant(
        "csv-no-formula-escape",
        "geodata/io/csvcells.py",
        """        return "'" + text
    return text


def unescape_cell""",
        """        return text
    return text


def unescape_cell""",
        "tests/test_csvcells.py tests/test_export.py",
        "a CSV cell that begins with = is written as a live formula",
    ),
    Mutant(
        "csv-unescape-kept",
        "geodata/io/csvcells.py",
        "        return text[1:]",
        "        return text",
        "tests/test_csvcells.py tests/test_export.py tests/test_readers.py",
        "reading geodata's CSV back keeps the quote it added (the round trip is lossy)",
    ),
    Mutant(
        "read-uncapped",
        "geodata/io/safefile.py",
        "    if len(data) > limit:",
        "    if False:",
        "tests/test_safefile.py tests/test_catalog.py",
        "a read past the size limit is accepted (validate /dev/zero is not refused)",
    ),
    Mutant(
        "geojson-stale-lat-lon",
        "geodata/io/features.py",
        "        trouble = _disagreement(props, position)",
        "        trouble = None",
        "tests/test_hostile_files.py",
        "a moved point with stale lat/lon properties is read without a word",
    ),
    Mutant(
        "script-json-u2028",
        "dashboard/layers.py",
        """        ("\\u2028", "\\\\u2028"),""",
        """        ("\\u2028", "\\u2028"),""",
        "tests/test_dashboard_escaping.py",
        "U+2028 left raw in the map's script (a line break inside a JavaScript string in old engines)",
    ),
    Mutant(
        "backup-copy-not-link",
        "geodata/io/safefile.py",
        "os.link(real, link)",
        "raise OSError('no links')",
        "tests/test_safefile.py",
        "the backup is a copy, not a hard link",
    ),
    # --- the store (issue 12) -----------------------------------------------------------------
    Mutant(
        "store-edit-version-unchecked",
        "geodata/store/store.py",
        "        if row.version != expected_version:\n"
        "            raise _conflict(row, event, expected_version)",
        "        pass",
        "tests/test_store.py",
        "an edit made from an old version overwrites the newer one",
    ),
    Mutant(
        "store-import-partial",
        "geodata/store/store.py",
        "        if problems:\n            raise CatalogError(problems)",
        "        pass",
        "tests/test_store.py tests/test_cli_store.py",
        "an import with problems writes the events it could",
    ),
    Mutant(
        "store-undo-unchecked",
        "geodata/store/store.py",
        "if current != entry.after:",
        "if False:",
        "tests/test_store.py",
        "an undo overwrites changes made after the one undone",
    ),
    Mutant(
        "store-generation-still",
        "geodata/store/changelog.py",
        "values(generation=StateRow.generation + 1)",
        "values(generation=StateRow.generation)",
        "tests/test_store.py tests/test_store_map.py",
        "the map's cache key does not move when the store changes",
    ),
    Mutant(
        "store-sqlite-deferred-writers",
        "geodata/store/engine.py",
        '"BEGIN IMMEDIATE" if writing else "BEGIN"',
        '"BEGIN"',
        "tests/test_store_concurrency.py",
        "SQLite writers take the lock late, so two at once can fail half-way",
    ),
    Mutant(
        "store-seed-unlocked",
        "geodata/store/engine.py",
        '        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({int(key)})")',
        "        pass",
        "tests/test_store_seed.py tests/test_store_concurrency.py",
        "two first starts on PostgreSQL both fill the store",
    ),
    Mutant(
        "store-merge-forgets-source",
        "geodata/store/review.py",
        "if _already_cited(current, source):",
        "if True:",
        "tests/test_store_review.py",
        "a merged draft's source is not added to the event",
    ),
    Mutant(
        "store-reject-without-reason",
        "geodata/store/review.py",
        "if not reason.strip():",
        "if False:",
        "tests/test_store_review.py",
        "a draft is rejected with no reason kept",
    ),
    # --- merging across reports (issue 13) ------------------------------------------------------
    Mutant(
        "merge-threshold-low",
        "geodata/settings.py",
        "merge_threshold: float = 0.6",
        "merge_threshold: float = 0.5",
        "tests/test_merge.py",
        "a report contradicted by its actors is proposed as the same event",
    ),
    Mutant(
        "merge-threshold-high",
        "geodata/settings.py",
        "merge_threshold: float = 0.6",
        "merge_threshold: float = 0.7",
        "tests/test_merge.py",
        "an undated report of an attack on the same base is no longer proposed",
    ),
    Mutant(
        "merge-threshold-ignored",
        "geodata/merge/match.py",
        'c.relation == "same" and c.score >= threshold',
        'c.relation == "same"',
        "tests/test_merge.py",
        "every candidate is proposed, however weak",
    ),
    Mutant(
        "merge-speech-any-speaker",
        "geodata/merge/score.py",
        "if (type_score < 1.0 or draft.type in SPEECH) and not _same_speaker(draft, other, actors):",
        "if False:",
        "tests/test_merge.py",
        "what two people said on one day is merged as one statement",
    ),
    Mutant(
        "merge-country-weak",
        "geodata/merge/score.py",
        "if coarse == 3 and not _strong(draft, other, apart, actors):",
        "if False:",
        "tests/test_merge.py",
        "two reports placed only at a country merge on any overlap",
    ),
    Mutant(
        "merge-country-is-a-speaker",
        "geodata/merge/score.py",
        "if any(not is_country(name.split()) for name in shared):",
        "if shared:",
        "tests/test_merge.py",
        "two officials of one government are merged as one speaker",
    ),
    Mutant(
        "merge-country-radius-only",
        "geodata/merge/score.py",
        "placed = distance <= allowed or _within_country(draft, other)",
        "placed = distance <= allowed",
        "tests/test_merge.py",
        "a city far from its country's point no longer matches a report placed at the country",
    ),
    Mutant(
        "actors-not-split",
        "geodata/actors.py",
        "return [part for part in _SEPARATORS.split(name) if part]",
        "return [name]",
        "tests/test_merge.py",
        "'US and British' stays one actor, shared with nobody",
    ),
    Mutant(
        "actors-no-adjectives",
        "geodata/actors.py",
        "return {**adjectives, **out}",
        "return out",
        "tests/test_merge.py",
        "'American' and 'the United States' are two actors",
    ),
    Mutant(
        "draft-dateline-actor",
        "geodata/extract/event.py",
        "if dateline is not None and m.start() < dateline[1]:",
        "if False:",
        "tests/test_drafts.py",
        "a wire dateline ('BASRA') is taken for an actor",
    ),
    Mutant(
        "merge-batch-forgets-queued",
        "geodata/store/articles.py",
        "if queued is not None:  # a proposer that keeps what it read",
        "if False:  # a proposer that keeps what it read",
        "tests/test_merge_ingest.py",
        "a batch's later reports of an event miss its earlier ones (read before they were queued)",
    ),
    Mutant(
        "merge-batch-stale-across-transactions",
        "geodata/merge/batch.py",
        "if self._read is None or self._read.session is not session:",
        "if self._read is None:",
        "tests/test_merge_ingest.py",
        "a proposer reused across transactions keeps keys of a rolled-back or reviewed state",
    ),
    Mutant(
        "merge-links-not-followed",
        "geodata/store/links.py",
        "others = sorted(linked_drafts(session, draft_id) - {draft_id})",
        "others: list[int] = []",
        "tests/test_merge_store.py",
        "accepting one report of an event leaves its duplicates to become events too",
    ),
    Mutant(
        "merge-accept-all-stale",
        "geodata/store/review.py",
        "current = draft(store, listed.id)",
        "current = listed",
        "tests/test_merge_store.py",
        "accept_all acts on the queue as listed, missing the merge targets set meanwhile",
    ),
    Mutant(
        "merge-deleted-target-shown",
        "geodata/store/queued.py",
        'standing = row.merge_target == target if kind == "event" else row.duplicate_of == target',
        "standing = True",
        "tests/test_merge_store.py",
        "a draft whose event was deleted still shows it as the proposed merge",
    ),
)


@dataclass
class Result:
    mutant: Mutant
    verdict: str  # the first failing test, SURVIVED, STALE, AMBIGUOUS, TIMEOUT or ERROR ...
    seconds: float


def status(mutant: Mutant, root: Path) -> str:
    """``ok`` when the mutant applies to ``root``, else why not (STALE, AMBIGUOUS, NO FILE)."""
    path = root / mutant.file
    if not path.is_file():
        return "NO FILE"
    count = path.read_text(encoding="utf-8").count(mutant.original)
    return "ok" if count == 1 else "STALE" if count == 0 else f"AMBIGUOUS ({count} places)"


def copy_repository(source: Path, target: Path) -> None:
    """The files git knows of or would add (tracked and untracked, not ignored), as they are now."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=source,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        origin = source / name
        if origin.is_file():  # a tracked file deleted in the work tree is not copied
            destination = target / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(origin, destination, follow_symlinks=False)


def environment(copy: Path, home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["PYTHONPATH"] = str(copy)  # for the processes the tests start; pytest has it first anyway
    # No bytecode: a mutant and its undoing can share a size and a second, which a cached .pyc
    # would not tell apart.
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["HOME"] = str(home)
    return env


def seed_gazetteer_cache(home: Path) -> None:
    """Hard links to the user's built gazetteers: the unbroken code's key finds them at once."""
    mine = Path.home() / ".cache" / "geodata" / "gazetteer"
    theirs = home / ".cache" / "geodata" / "gazetteer"
    theirs.mkdir(parents=True, exist_ok=True)
    for path in mine.glob("gazetteer-*.pickle") if mine.is_dir() else ():
        try:
            os.link(path, theirs / path.name)
        except OSError:
            return


def check_imports(copy: Path, env: dict[str, str]) -> None:
    """The copy's packages are the ones imported, from its root and from elsewhere."""
    code = "import geodata, dashboard; print(geodata.__file__); print(dashboard.__file__)"
    for cwd in (copy, copy / "dashboard"):
        out = subprocess.run(
            [sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True, check=True
        ).stdout
        for line in out.splitlines():
            if not Path(line).resolve().is_relative_to(copy.resolve()):
                raise SystemExit(f"the copy imports {line} from {cwd}, not its own code")


_FIRST_FAILURE = re.compile(r"^(?:FAILED|ERROR) (.+?)(?: - .*)?$", re.MULTILINE)


def run_tests(copy: Path, env: dict[str, str], tests: str, timeout: float) -> tuple[str, str]:
    """``(verdict, output)``: the first failing test, ``SURVIVED``, ``TIMEOUT`` or an error."""
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests.split()]
    try:
        proc = subprocess.run(
            command,
            cwd=copy,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return "TIMEOUT (counted as caught)", ""
    output = proc.stdout + proc.stderr
    if proc.returncode == 0:
        return "SURVIVED", output
    found = _FIRST_FAILURE.search(output)
    if proc.returncode in (1, 2) and found:
        return found.group(1), output
    if proc.returncode == 5:
        return "NO TESTS RAN (check the table's test ids)", output
    return f"ERROR (pytest exit {proc.returncode})", output


def apply(mutant: Mutant, copy: Path) -> str:
    path = copy / mutant.file
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(mutant.original, mutant.replacement, 1), encoding="utf-8")
    return text


def _short(verdict: str, limit: int = 100) -> str:
    return verdict if len(verdict) <= limit else verdict[: limit - 1] + "…"


def print_table(results: Sequence[Result]) -> None:
    width = max(len(r.mutant.name) for r in results)
    verdict_width = max(len("caught by"), *(len(_short(r.verdict)) for r in results))
    print(f"\n{'mutant':<{width}}  {'caught by':<{verdict_width}}  seconds")
    print(f"{'-' * width}  {'-' * verdict_width}  -------")
    for r in results:
        print(f"{r.mutant.name:<{width}}  {_short(r.verdict):<{verdict_width}}  {r.seconds:7.1f}")
    survived = [r for r in results if r.verdict == "SURVIVED"]
    stale = [r for r in results if r.verdict in ("STALE", "NO FILE") or r.verdict.startswith("AMBIGUOUS")]
    print(f"\n{len(results)} mutants: {len(survived)} survived, {len(stale)} stale or ambiguous")
    for r in survived:
        print(f"SURVIVED {r.mutant.name}: {r.mutant.description} ({r.mutant.file})")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--list", action="store_true", help="list the mutants and whether each applies")
    parser.add_argument("--only", action="append", metavar="NAME", help="run only this mutant (repeatable)")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per test run (default 1800)")
    parser.add_argument(
        "--no-baseline", action="store_true", help="skip running the chosen tests on the unbroken copy first"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="print pytest's output of each run")
    args = parser.parse_args(argv)

    chosen = list(MUTANTS)
    if args.only:
        unknown = set(args.only) - {m.name for m in MUTANTS}
        if unknown:
            parser.error(f"no mutant named {', '.join(sorted(unknown))}; see --list")
        chosen = [m for m in MUTANTS if m.name in args.only]
    if args.list:
        for m in chosen:
            print(f"{m.name:<28} {status(m, ROOT):<10} {m.file}: {m.description}  [{m.tests}]")
        return 0

    with tempfile.TemporaryDirectory(prefix="geodata-mutate-") as scratch:
        copy, home = Path(scratch) / "repo", Path(scratch) / "home"
        copy_repository(ROOT, copy)
        seed_gazetteer_cache(home)
        env = environment(copy, home)
        check_imports(copy, env)
        if not args.no_baseline:
            tests = " ".join(dict.fromkeys(t for m in chosen for t in m.tests.split()))
            print(f"baseline: {tests}", flush=True)
            verdict, output = run_tests(copy, env, tests, args.timeout)
            if verdict != "SURVIVED":
                print(output[-5000:])
                print(f"the unbroken copy fails ({verdict}): fix that before reading any mutant")
                return 2
        results = []
        for mutant in chosen:
            began = time.monotonic()
            state = status(mutant, copy)
            if state != "ok":
                results.append(Result(mutant, state, 0.0))
                print(f"{mutant.name}: {state}", flush=True)
                continue
            original = apply(mutant, copy)
            try:
                verdict, output = run_tests(copy, env, mutant.tests, args.timeout)
            finally:
                (copy / mutant.file).write_text(original, encoding="utf-8")
            results.append(Result(mutant, verdict, time.monotonic() - began))
            print(f"{mutant.name}: {verdict} ({time.monotonic() - began:.0f} s)", flush=True)
            if args.verbose:
                print(output)
    print_table(results)
    failed = [
        r
        for r in results
        if r.verdict == "SURVIVED" or r.verdict.startswith(("STALE", "AMBIG", "NO ", "ERROR"))
    ]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
