"""``geodata geoparse IN -o OUT --workers N | --scheduler ADDRESS``: a JSON Lines corpus cut into
runs of lines, each geoparsed on a Dask worker, its records written as a part under the run's
folder, and the parts joined in order into OUT once all are done.

The worker is sent the partition's bytes (a cluster need not see this machine's files) and
returns its records; the parser is loaded once per worker process for each set of options. A
run restarted with the same arguments keeps the parts it has.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from geodata.errors import GeodataError
from geodata.extract.corpus import geoparse_one, jsonl_stream
from geodata.io.safefile import replacing
from geodata.parallel.cluster import run
from geodata.parallel.partitions import GEOPARSE_PARTITION_SIZE, Partition, line_partitions
from geodata.settings import DEFAULTS

if TYPE_CHECKING:
    from geodata.extract.geoparse import Geoparser


@dataclass(frozen=True)
class Options:
    """How to geoparse: resolve the given spans or find them; the gazetteer's smallest town;
    whether adjectives of place count."""

    gold_spans: bool = False
    min_population: int = DEFAULTS.min_city_population
    demonyms: bool = True


@dataclass(frozen=True)
class Job:
    """One partition's lines, sent to a worker."""

    name: str
    first_line: int
    data: bytes
    options: Options


@lru_cache(maxsize=2)
def _parser(min_population: int, demonyms: bool) -> Geoparser:
    """The worker's geoparser, loaded on its first partition (from the gazetteer's cache)."""
    from geodata.extract.geoparse import Geoparser
    from geodata.gazetteer import load_gazetteer

    return Geoparser(load_gazetteer(min_population=min_population), include_demonyms=demonyms)


def geoparse_job(job: Job) -> bytes:
    """The records of a partition's documents, as JSON Lines; a bad line is an error naming it."""
    parser = _parser(job.options.min_population, job.options.demonyms)
    out = io.StringIO()
    lines = jsonl_stream(io.BytesIO(job.data), name=job.name, first_line=job.first_line)
    for number, doc in lines:
        if isinstance(doc, str):
            raise GeodataError(f"{job.name}:{number}: {doc}")
        record = geoparse_one(parser, doc, gold_spans=job.options.gold_spans, where=f"{job.name}:{number}")
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return out.getvalue().encode("utf-8")


def run_folder(source: Path, partitions: list[Partition], options: Options, work_dir: Path | None) -> Path:
    parts = [str(source.resolve()), repr(options), *(p.name for p in partitions)]
    digest = hashlib.sha256("\0".join(parts).encode()).hexdigest()[:20]
    return (work_dir or DEFAULTS.runs_dir) / f"geoparse-{digest}"


def geoparse_partitioned(
    source: Path,
    target: Path,
    *,
    client: object,
    options: Options,
    size: int = GEOPARSE_PARTITION_SIZE,
    work_dir: Path | None = None,
    progress: bool = False,
) -> int:
    """Geoparse ``source`` into ``target`` on ``client``'s workers (``None``: in this process);
    the number of documents written. The run's folder is removed once ``target`` is written."""
    from tqdm import tqdm

    partitions = line_partitions(source, size=size)
    folder = run_folder(source, partitions, options, work_dir)
    folder.mkdir(parents=True, exist_ok=True)
    todo = [p for p in partitions if not _part(folder, p).exists()]
    with tqdm(total=len(partitions), unit="partition", file=sys.stderr, disable=not progress) as bar:
        bar.update(len(partitions) - len(todo))
        jobs = ((p.name, _job(p, options)) for p in todo)
        for name, records in run(client, geoparse_job, jobs):
            with replacing(folder / f"{name}.jsonl") as staged:
                staged.write_bytes(records)
            bar.update()
    count = 0
    with replacing(target) as staged, open(staged, "xb") as out:
        for partition in partitions:
            with open(_part(folder, partition), "rb") as part:
                for line in part:
                    out.write(line)
                    count += 1
    shutil.rmtree(folder, ignore_errors=True)
    return count


def _part(folder: Path, partition: Partition) -> Path:
    return folder / f"{partition.name}.jsonl"


def _job(partition: Partition, options: Options) -> Job:
    with open(partition.path, "rb") as handle:
        handle.seek(partition.start)
        data = handle.read(partition.end - partition.start)
    return Job(partition.path, partition.first_line, data, options)
