"""``geodata ingest --workers N | --scheduler ADDRESS``: the articles read and checked against
the store here, drafted on Dask workers a partition at a time, and each partition's drafts
written as GeoParquet under the run's folder, then loaded into the store by this one writer in
batches (merges proposed as they go in), so the store stays consistent.

A run's folder is named by the store and the partitions (their files' paths, sizes and times of
change): the same arguments find it again. A partition is done when its ``.done`` marker is
written, after its articles are in the store; one whose drafts are written but not loaded is
loaded from them; the others are drafted again. Loading skips articles the store has, so a
partition loaded twice adds nothing.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from geodata.errors import Problem
from geodata.ingest.run import BATCH, Summary, queue_found
from geodata.ingest.sources import KINDS, Found, list_files, read_source
from geodata.ingest.sources import _jsonl as jsonl_articles
from geodata.io.safefile import replacing
from geodata.parallel.cluster import run
from geodata.parallel.drafts import Drafted, draft_articles, read_drafts
from geodata.parallel.partitions import (
    PARTITION_SIZE,
    Partition,
    file_partitions,
    line_partitions,
    partition_lines,
)
from geodata.settings import DEFAULTS
from geodata.store.articles import Propose, known_articles
from geodata.store.review import NewDraft, text_hash
from geodata.store.store import Store


@dataclass
class _Read:
    """A partition as read here: its new articles (sent to a worker) and what else it held."""

    new: list[Found] = field(default_factory=list)
    skipped: list[Found] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def plan(files: Sequence[Path], *, size: int = PARTITION_SIZE) -> list[Partition]:
    """The partitions of ``files``, in their order: each JSON Lines file by runs of ``size``
    lines, the other files between them ``size`` at a time."""
    out: list[Partition] = []
    others: list[Path] = []
    for path in files:
        if KINDS.get(path.suffix.lower()) == "jsonl":
            out += file_partitions(others, size=size) + line_partitions(path, size=size)
            others = []
        else:
            others.append(path)
    return out + file_partitions(others, size=size)


def run_folder(store_url: str, partitions: Sequence[Partition], *, work_dir: Path | None = None) -> Path:
    """The folder of a run: named by the store and what the partitions cover."""
    digest = hashlib.sha256("\0".join([store_url, *(p.name for p in partitions)]).encode()).hexdigest()
    return (work_dir or DEFAULTS.runs_dir) / f"ingest-{digest[:20]}"


def ingest_partitioned(
    store: Store,
    paths: Iterable[str | os.PathLike[str]],
    *,
    who: str,
    client: object,
    propose: Propose | None = None,
    size: int = PARTITION_SIZE,
    work_dir: Path | None = None,
    progress: bool = False,
) -> tuple[Summary, Path]:
    """Ingest ``paths`` with their drafting on ``client``'s workers (``None``: in this process);
    the summary, and the run's folder."""
    from tqdm import tqdm

    files, problems = list_files(paths)
    partitions = plan(files, size=size)
    loader = _Loader(store, run_folder(store.url, partitions, work_dir=work_dir), who=who, propose=propose)
    loader.summary.files = len(files)
    for problem in problems:
        loader.summary.add(problem)
    todo = [p for p in partitions if not loader.done(p)]
    by_name = {p.name: p for p in partitions}
    with tqdm(total=len(partitions), unit="partition", file=sys.stderr, disable=not progress) as bar:
        bar.update(len(partitions) - len(todo))
        drafted = [p for p in todo if loader.drafts_file(p).exists()]
        for partition in drafted:  # drafted by a run that stopped before loading them
            loader.load(
                partition, _read(store, partition), Drafted(loader.drafts_file(partition).read_bytes())
            )
            bar.update()
        read: dict[str, _Read] = {}
        jobs = _jobs(store, (p for p in todo if p not in drafted), read)
        for name, result in run(client, draft_articles, jobs):
            with replacing(loader.drafts_file(by_name[name])) as staged:
                staged.write_bytes(result.parquet)
            loader.load(by_name[name], read.pop(name), result)
            bar.update()
    return loader.summary, loader.folder


def _jobs(
    store: Store, partitions: Iterable[Partition], read: dict[str, _Read]
) -> Iterator[tuple[str, list]]:
    """(name, new articles) of each partition, read when the cluster has room for it."""
    for partition in partitions:
        read[partition.name] = _read(store, partition)
        yield partition.name, [f.article for f in read[partition.name].new]


def _read(store: Store, partition: Partition) -> _Read:
    """A partition's articles, those the store has set apart; problems kept for the summary."""
    out = _Read()
    found: list[Found] = []
    for item in _items(partition):
        if isinstance(item, Problem):
            out.problems.append(item)
        else:
            found.append(item)
    for start in range(0, len(found), BATCH * 10):
        chunk = found[start : start + BATCH * 10]
        for item, known in zip(chunk, known_articles(store, [f.article for f in chunk]), strict=True):
            (out.skipped if known else out.new).append(item)
    return out


def _items(partition: Partition) -> Iterator[Found | Problem]:
    if partition.path:
        try:
            yield from jsonl_articles(partition_lines(partition), partition.path)
        except Exception as err:  # a file that vanished or cannot be read: the partition's problem
            message = f"could not be read ({type(err).__name__}: {err}); check the file"
            yield Problem(message, path=partition.path)
        return
    for name in partition.files:
        yield from read_source(Path(name))


class _Loader:
    """The one writer: partitions' drafts into the store, and the run's folder kept."""

    def __init__(self, store: Store, folder: Path, *, who: str, propose: Propose | None) -> None:
        self.store, self.folder, self.who, self.propose = store, folder, who, propose
        self.summary = Summary()
        folder.mkdir(parents=True, exist_ok=True)

    def done(self, partition: Partition) -> bool:
        return (self.folder / f"{partition.name}.done").exists()

    def drafts_file(self, partition: Partition) -> Path:
        return self.folder / f"{partition.name}.drafts.parquet"

    def load(self, partition: Partition, read: _Read, drafted: Drafted) -> None:
        """Count a partition's articles, queue its new ones with their drafts in batches, and
        mark it done."""
        summary = self.summary
        for problem in read.problems:
            summary.add(problem)
        for item in [*read.new, *read.skipped]:
            summary.count(item.path, read=1)
        for item in read.skipped:
            summary.count(item.path, skipped=1)
        todo = []
        for found, drafts in _drafts_of(read.new, drafted):
            if isinstance(drafts, str):
                summary.add(found.problem(drafts))
            else:
                todo.append((found, drafts))
        for start in range(0, len(todo), BATCH):
            queue_found(self.store, todo[start : start + BATCH], summary, who=self.who, propose=self.propose)
        (self.folder / f"{partition.name}.done").touch()


def _drafts_of(new: Sequence[Found], drafted: Drafted) -> list[tuple[Found, list[NewDraft] | str]]:
    """Each new article's drafts, or why it could not be drafted. An article the partition's
    drafts do not hold (new since it was drafted: the run restarted after the store changed) is
    drafted here."""
    failed = dict(drafted.failed)
    drafts = read_drafts(drafted.parquet)
    keys = [text_hash(f.article.text) for f in new]
    missing = [f.article for f, k in zip(new, keys, strict=True) if k not in drafts and k not in failed]
    if missing:
        again = draft_articles(missing)
        drafts.update(read_drafts(again.parquet))
        failed.update(again.failed)
    return [(f, failed[k] if k in failed else drafts[k]) for f, k in zip(new, keys, strict=True)]
