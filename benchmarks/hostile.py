"""Hostile YAML: time and peak memory to read (or refuse) alias bombs and other crafted files.

    python -m benchmarks hostile [--memory-limit-mb 4096] [--timeout 120] [--source DIR]

Each input is read in a fresh process (``read_catalogue`` for catalogues, ``parse_article`` for
an article), under an address-space limit so a blow-up cannot take the machine with it; the
parent takes wall time and peak resident memory from ``os.wait4``. ``--source DIR`` puts another
checkout of the library first on the child's path, to measure the code before a change.
Seconds and megabytes include starting Python and the imports (the first row).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from geodata.settings import PROJECT_DIR

_CHILD = """
import sys
from geodata.errors import GeodataError
kind, path = sys.argv[1], sys.argv[2]
try:
    if kind == "catalogue":
        from geodata.catalog import read_catalogue
        print(f"read {len(read_catalogue(path))} events")
    elif kind == "article":
        from geodata.extract.article import parse_article
        article = parse_article(open(path, encoding="utf-8").read(), name=path)
        print(f"read, title of {len(article.title):,} characters")
    else:
        import geodata.catalog, geodata.extract.article
        print("imports only")
except GeodataError as err:  # "PATH:LINE:COLUMN: YAML error: message", first problem
    problem = str(err).splitlines()[1 if kind == "catalogue" else 0]
    where, _, message = problem.removeprefix(path).partition(" ")
    print(f"refused ({where.strip(':')}): {message.removeprefix('YAML error: ')}")
"""


def alias_bomb(levels: int = 10, width: int = 10, *, key: str = "events") -> str:
    """``width ** levels`` values in a few hundred bytes: each level repeats the one before."""
    rows = [f"{key}:", f"- &a0 [{', '.join(['x'] * width)}]"]
    rows += [f"- &a{i} [{', '.join([f'*a{i - 1}'] * width)}]" for i in range(1, levels)]
    return "\n".join(rows) + "\n"


def front_matter_bomb(levels: int = 9, width: int = 10) -> str:
    """An article whose front-matter title is the top of an alias bomb."""
    rows = [f"a0: &a0 [{', '.join(['x'] * width)}]"]
    rows += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]" for i in range(1, levels)]
    return "---\n" + "\n".join(rows) + f"\ntitle: *a{levels - 1}\n---\nSome text.\n"


def shared_references(events: int, references: int) -> str:
    """A valid catalogue: ``events`` events merge one base event whose ``references`` list
    repeats one source ``references`` times, all through aliases."""
    head = f"""\
events:
- &base
  id: e0
  type: statement
  title: A statement
  date: 2020-04-01
  place: {{name: Iraq, country: IQ, geo_precision: country, lat: 33, lon: 44}}
  source: &s {{publisher: P, title: T, quote: Q}}
  references: [{", ".join(["*s"] * references)}]
"""
    return head + "".join(f"- {{<<: *base, id: e{i}}}\n" for i in range(1, events))


def _inputs() -> list[tuple[str, str, str]]:
    """(label, kind, text) for every row of the table."""
    return [
        ("interpreter and imports", "imports", ""),
        ("bundled events.yaml", "catalogue", (PROJECT_DIR / "events.yaml").read_text(encoding="utf-8")),
        ("alias bomb, 10 levels x 10", "catalogue", alias_bomb()),
        ("front matter title: *a8", "article", front_matter_bomb()),
        ("2,000 events share 1,000 refs", "catalogue", shared_references(2_000, 1_000)),
        ("4,000 events share 2,000 refs", "catalogue", shared_references(4_000, 2_000)),
        ("690 events share 200 refs", "catalogue", shared_references(690, 200)),
        ("5,000-digit integer", "catalogue", "events:\n- id: " + "7" * 5_000 + "\n"),
        ("NUL character", "catalogue", "events:\n- id: a\x00b\n"),
    ]


def _run(
    kind: str, path: Path, *, env: dict[str, str], limit_mb: int, timeout: float
) -> tuple[str, float, float]:
    """(outcome, seconds, peak resident MB) of one child process."""

    def limit() -> None:
        size = limit_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (size, size))

    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", _CHILD, kind, str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        preexec_fn=limit,
        text=True,
    )
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() - start > timeout:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.02)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    out, err = proc.communicate()
    if seconds > timeout:
        outcome = f"killed after {timeout:.0f} s"
    elif proc.returncode < 0:
        outcome = f"died: {signal.Signals(-proc.returncode).name}"
    elif proc.returncode:
        outcome = "crashed: " + (err.strip().splitlines() or ["?"])[-1][:110]
    else:
        outcome = out.strip()
    return outcome, seconds, usage.ru_maxrss / 1024


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks hostile")
    parser.add_argument("--memory-limit-mb", type=int, default=4096, help="address space per child")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds before a child is killed")
    parser.add_argument("--source", type=Path, help="a checkout of geodata to measure instead of this one")
    args = parser.parse_args(argv)
    env = dict(os.environ)
    if args.source is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(args.source.resolve()), env.get("PYTHONPATH", "")])
    print(
        f"# {platform.python_version()} on {platform.machine()}, library from "
        f"{args.source or PROJECT_DIR}; limit {args.memory_limit_mb} MB, {args.timeout:.0f} s"
    )
    print(f"| {'input':<30} | {'bytes':>7} | {'outcome':<72} | {'s':>6} | {'peak MB':>7} |")
    print(f"|{'-' * 32}|{'-' * 9}|{'-' * 74}|{'-' * 8}|{'-' * 9}|")
    with tempfile.TemporaryDirectory() as tmp:
        for label, kind, text in _inputs():
            path = Path(tmp) / "input.yaml"
            path.write_text(text, encoding="utf-8")
            outcome, seconds, peak = _run(
                kind, path, env=env, limit_mb=args.memory_limit_mb, timeout=args.timeout
            )
            size = len(text.encode())
            print(
                f"| {label:<30} | {size:>7,} | {outcome[:72]:<72} | {seconds:>6.2f} | {peak:>7.0f} |",
                flush=True,
            )
    return 0
