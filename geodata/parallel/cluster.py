"""Where partitions are worked on: in this process, on a LocalCluster of worker processes, or on
a running Dask scheduler (``tcp://HOST:PORT``, or a scheduler file); and the loop that keeps a
bounded number of partitions in flight and hands back each result as it comes.

The same function runs in all three; a partition whose worker dies is given to another by the
scheduler (``distributed.scheduler.allowed-failures``), so it is done again, never lost.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from geodata.errors import GeodataError

T = TypeVar("T")
R = TypeVar("R")
#: Partitions in flight per worker: one worked on, one waiting, so no worker idles while the
#: client reads the next partition or writes a result.
IN_FLIGHT_PER_WORKER = 2


class ClusterError(GeodataError, RuntimeError):
    """The scheduler cannot be reached, or a partition failed on every worker it was given."""


@contextlib.contextmanager
def connect(*, workers: int | None = None, scheduler: str | None = None) -> Iterator[Any]:
    """A Dask client: of the scheduler at ``scheduler`` (an address, or a scheduler file's
    path), or of a LocalCluster of ``workers`` processes of one thread each; ``None`` (work in
    this process) when neither is given."""
    if scheduler is None and not workers:
        yield None
        return
    if workers is not None and workers < 1:
        raise ValueError(f"--workers must be at least 1, not {workers!r}")
    import dask
    from distributed import Client, LocalCluster

    if scheduler is not None:
        where = {"scheduler_file": scheduler} if scheduler.endswith(".json") else {"address": scheduler}
        try:
            client = Client(**where, timeout="20s")
        except (OSError, TimeoutError) as err:
            raise ClusterError(f"cannot reach the Dask scheduler {scheduler!r}: {err}") from err
        with client:
            yield client
        return
    # Processes, not threads: drafting holds the GIL. No dashboard: nothing listens but the
    # scheduler and its workers, on this machine.
    with (
        dask.config.set({SPAWN_ENVIRON: worker_environ()}),
        LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


#: The environment Dask's nanny gives each worker process it starts.
SPAWN_ENVIRON = "distributed.nanny.pre-spawn-environ"


def worker_environ() -> dict[str, Any]:
    """Dask's environment for worker processes without ``MALLOC_TRIM_THRESHOLD_``: Dask sets it
    to 64 KiB so that memory goes back to the system soon, but geoparsing and drafting allocate
    and free small objects all the time, and with it a worker geoparses about a fifth fewer
    documents a second (``python -m benchmarks distributed``); glibc's own threshold adapts."""
    import dask

    environ = dict(dask.config.get(SPAWN_ENVIRON, default={}) or {})
    environ.pop("MALLOC_TRIM_THRESHOLD_", None)
    return environ


def workers_of(client: Any) -> int:
    """How many workers the client's scheduler has (at least one)."""
    return max(1, len(client.scheduler_info().get("workers", {}))) if client is not None else 1


def run(client: Any, work: Callable[[T], R], items: Iterable[tuple[str, T]]) -> Iterator[tuple[str, R]]:
    """(name, ``work(item)``) for each (name, item), in the order they finish; at most
    :data:`IN_FLIGHT_PER_WORKER` per worker submitted at a time, so the items are read lazily
    and the results held are bounded. Without a client, in this process, in order."""
    if client is None:
        for name, item in items:
            yield name, work(item)
        return
    from distributed import as_completed

    pending = iter(items)
    limit = IN_FLIGHT_PER_WORKER * workers_of(client)
    names: dict[str, str] = {}
    flow = as_completed()
    for name, item in _take(pending, limit):
        future = client.submit(work, item, pure=False)
        names[future.key] = name
        flow.add(future)
    for future in flow:
        name = names.pop(future.key)
        try:
            result = future.result()
        except GeodataError:
            raise
        except Exception as err:
            raise ClusterError(f"partition {name} failed: {type(err).__name__}: {err}") from err
        finally:
            future.release()
        for next_name, item in _take(pending, 1):
            following = client.submit(work, item, pure=False)
            names[following.key] = next_name
            flow.add(following)
        yield name, result


def _take(items: Iterator[tuple[str, T]], count: int) -> list[tuple[str, T]]:
    out = []
    for _ in range(count):
        try:
            out.append(next(items))
        except StopIteration:
            break
    return out
