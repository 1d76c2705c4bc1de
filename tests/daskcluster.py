"""A real Dask cluster for the tests: ``dask scheduler`` and ``dask worker`` processes started
from the command line (as an institution's cluster would run them), on loopback, found through a
scheduler file; stopped when the test is done."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

#: How long the scheduler and the workers may take to come up on a loaded 2-core machine.
START_SECONDS = 120


@dataclass
class Cluster:
    """The scheduler file clients connect with, and the worker processes (to kill one)."""

    scheduler_file: Path
    scheduler: subprocess.Popen[bytes]
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def kill_worker(self, index: int = 0) -> None:
        """SIGKILL a worker and its nanny, as the OOM killer or a lost machine would."""
        process = self.workers[index]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


def _dask(*args: str, log: Path) -> subprocess.Popen[bytes]:
    with open(log, "ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "dask", *args],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: a kill takes its children too
        )


@contextlib.contextmanager
def dask_cluster(folder: Path, *, workers: int = 2) -> Iterator[Cluster]:
    """A scheduler and ``workers`` single-threaded worker processes, ready for work."""
    from distributed import Client

    folder.mkdir(parents=True, exist_ok=True)
    file, log = folder / "scheduler.json", folder / "cluster.log"
    common = ("--no-dashboard", "--host", "127.0.0.1")
    cluster = Cluster(
        file, _dask("scheduler", "--scheduler-file", str(file), "--port", "0", *common, log=log)
    )
    try:
        deadline = time.monotonic() + START_SECONDS
        while not file.exists():
            if cluster.scheduler.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the dask scheduler did not start: {log.read_text()[-2000:]}")
            time.sleep(0.1)
        for _ in range(workers):
            worker = ("worker", "--scheduler-file", str(file), "--nthreads", "1", "--nworkers", "1")
            cluster.workers.append(_dask(*worker, "--memory-limit", "2GB", *common, log=log))
        with Client(scheduler_file=str(file), timeout="60s") as client:
            client.wait_for_workers(workers, timeout=START_SECONDS)
        yield cluster
    finally:
        for process in [*cluster.workers, cluster.scheduler]:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in [*cluster.workers, cluster.scheduler]:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
