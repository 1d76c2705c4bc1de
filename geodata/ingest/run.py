"""The ingestion loop: files in, articles and their drafts queued in the store, a summary out.

Articles are taken a batch at a time: the store is asked once which of them it already has
(same URL or text: skipped, and never drafted), the new ones are drafted outside any
transaction, then each article is written with its drafts in one transaction per batch
(:func:`geodata.store.articles.queue_articles`). A rerun after a kill or a failure skips what
was written and drafts the rest. Nothing an article holds stops the run: a file, line or item
that cannot be read, drafted or stored is a problem in the summary, and the run goes on.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from geodata.errors import GeodataError, Problem
from geodata.ingest.drafting import Draft, article_drafting
from geodata.ingest.sources import Found, list_files, read_source
from geodata.store.articles import Propose, known_articles, queue_articles
from geodata.store.review import NewDraft
from geodata.store.store import Store

#: Articles per transaction. One commit per article took twice as long (1,000 dev-set articles
#: into SQLite: 30.2 s, against 15.2 s in batches of 50; ``python -m benchmarks ingest``);
#: larger batches only lengthen the time another writer waits for the lock.
BATCH = 50
#: Problems kept to report; beyond that they are only counted (a file of a million bad lines).
MAX_KEPT_PROBLEMS = 10_000


@dataclass
class Tally:
    """What became of one file's articles."""

    read: int = 0
    new: int = 0
    skipped: int = 0
    drafts: int = 0
    merges: int = 0
    problems: int = 0


@dataclass
class Summary:
    """What a run did: files and articles read, new, skipped; drafts and merges queued;
    problems (the first :data:`MAX_KEPT_PROBLEMS` kept, all counted); the same per file."""

    files: int = 0
    read: int = 0
    new: int = 0
    skipped: int = 0
    drafts: int = 0
    merges: int = 0
    problem_count: int = 0
    problems: list[Problem] = field(default_factory=list)
    by_file: dict[str, Tally] = field(default_factory=dict)

    def add(self, problem: Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_KEPT_PROBLEMS:
            self.problems.append(problem)
        if problem.path is not None:
            self.by_file.setdefault(problem.path, Tally()).problems += 1

    def count(self, path: str, **counts: int) -> None:
        """Add ``counts`` (``read=1``, ``drafts=7``...) to the totals and to file ``path``'s."""
        tally = self.by_file.setdefault(path, Tally())
        for name, n in counts.items():
            setattr(self, name, getattr(self, name) + n)
            setattr(tally, name, getattr(tally, name) + n)

    def describe(self) -> str:
        return (
            f"{self.files} file(s); {self.read} article(s) read: {self.new} new, {self.skipped} "
            f"skipped as already stored; {self.drafts} draft(s) queued, {self.merges} merge(s) "
            f"proposed; {self.problem_count} problem(s)"
        )


def ingest(
    store: Store,
    paths: Iterable[str | os.PathLike[str]],
    *,
    who: str,
    draft: Draft | None = None,
    propose: Propose | None = None,
    batch: int = BATCH,
    progress: bool = False,
) -> Summary:
    """Read the articles of ``paths`` (files, and folders recursively) into ``store``, each with
    its drafts for review.

    Parameters
    ----------
    who
        The name the drafts are queued under in the change log.
    draft
        Article in, drafts out (default: :func:`~geodata.ingest.drafting.article_drafting`
        over the default geoparser).
    propose
        Called in the writing transaction for each new article, to propose merges of its drafts
        (default: none proposed).
    progress
        Show a progress bar on standard error.
    """
    files, problems = list_files(paths)
    summary = Summary()
    for problem in problems:
        summary.add(problem)
    sources = [(str(path), read_source(path)) for path in files]  # each read when its turn comes
    return ingest_sources(
        store, sources, who=who, draft=draft, propose=propose, batch=batch, progress=progress, summary=summary
    )


def ingest_sources(
    store: Store,
    sources: Sequence[tuple[str, Iterable[Found | Problem]]],
    *,
    who: str,
    draft: Draft | None = None,
    propose: Propose | None = None,
    batch: int = BATCH,
    progress: bool = False,
    summary: Summary | None = None,
) -> Summary:
    """:func:`ingest` of files already opened: (name, what :func:`~geodata.ingest.sources.read_source`
    or :func:`~geodata.ingest.sources.read_data` gives) for each (uploads, say)."""
    from tqdm import tqdm

    if draft is None:
        from geodata.extract.pipeline import default_parser

        draft = article_drafting(default_parser())
    summary = summary or Summary()
    pending: list[Found] = []
    with tqdm(total=len(sources), unit="file", file=sys.stderr, disable=not progress) as bar:
        for name, items in sources:
            summary.files += 1
            summary.by_file.setdefault(name, Tally())
            for item in items:
                if isinstance(item, Problem):
                    summary.add(item)
                    continue
                summary.count(item.path, read=1)
                pending.append(item)
                if len(pending) >= batch:
                    _write(store, pending, summary, who=who, draft=draft, propose=propose)
                    pending = []
                    bar.set_postfix(articles=summary.read, new=summary.new, drafts=summary.drafts)
            bar.update()
        if pending:
            _write(store, pending, summary, who=who, draft=draft, propose=propose)
    return summary


def _write(
    store: Store,
    batch: Sequence[Found],
    summary: Summary,
    *,
    who: str,
    draft: Draft,
    propose: Propose | None,
) -> None:
    """Draft the articles of ``batch`` the store does not have, and queue them."""
    todo: list[tuple[Found, list[NewDraft]]] = []
    for found, known in zip(batch, known_articles(store, [f.article for f in batch]), strict=True):
        if known:
            summary.count(found.path, skipped=1)
            continue
        try:
            todo.append((found, list(draft(found.article))))
        except GeodataError as err:
            summary.add(found.problem(f"could not be drafted: {err}"))
        except Exception as err:  # drafting's own bug: this article is reported, the run goes on
            reason = f"{type(err).__name__}: {err}"
            summary.add(found.problem(f"could not be drafted ({reason}); this is a bug, please report it"))
    if todo:
        queue_found(store, todo, summary, who=who, propose=propose)


def queue_found(
    store: Store,
    todo: Sequence[tuple[Found, list[NewDraft]]],
    summary: Summary,
    *,
    who: str,
    propose: Propose | None,
) -> None:
    """Queue drafted articles in one transaction, counted in ``summary``; when the store refuses
    the batch, each alone, so that only the one it refuses is left out (a problem)."""
    try:
        results = queue_articles(store, [(f.article, d) for f, d in todo], who=who, propose=propose)
    except Exception as err:
        if len(todo) > 1:  # find the one the store refused: each alone, so the others go in
            for one in todo:
                queue_found(store, [one], summary, who=who, propose=propose)
            return
        reason = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        summary.add(todo[0][0].problem(f"could not be stored ({reason}); nothing of it was written"))
        return
    for (found, _), queued in zip(todo, results, strict=True):
        if queued is None:  # stored by another writer since the lookup
            summary.count(found.path, skipped=1)
        else:
            summary.count(found.path, new=1, drafts=len(queued.draft_ids), merges=queued.merges)
