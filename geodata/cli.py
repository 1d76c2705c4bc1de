"""Command line: ``python -m geodata validate|export ...``; problems become exit code 2, not tracebacks."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from geodata import cli_drafts, cli_ingest, cli_store
from geodata.errors import CatalogError, GeodataError
from geodata.settings import DEFAULTS

EXIT_OK, EXIT_BUG, EXIT_PROBLEM = 0, 1, 2
#: A file of a million bad lines should not print a million lines.
MAX_PRINTED_PROBLEMS = 500


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="geodata",
        description=(
            "Dated, placed, typed and sourced conflict events: validate and export catalogues offline."
        ),
    )
    sub = parser.add_subparsers(dest="command", required=True)

    validate = sub.add_parser("validate", help="check a catalogue and report every problem")
    validate.add_argument(
        "path",
        nargs="?",
        default=str(DEFAULTS.default_catalogue),
        help="catalogue: YAML, GeoJSON, CSV, GeoParquet or a GeoParquet dataset directory (default: the "
        "bundled events.yaml)",
    )

    export = sub.add_parser("export", help="write a catalogue as GeoJSON, CSV, GeoPackage or GeoParquet")
    export.add_argument(
        "path",
        nargs="?",
        help="catalogue: YAML, GeoJSON, CSV, GeoParquet or a GeoParquet dataset directory (default: the "
        "bundled events.yaml)",
    )
    export.add_argument("-o", "--output", required=True, help="output file (a directory for parquet-dataset)")
    export.add_argument(
        "--format",
        choices=("geojson", "csv", "acled", "gpkg", "parquet", "parquet-dataset", "yaml"),
        help="output format (default: from the output suffix; yaml only from a store; acled: CSV with "
        "ACLED's column names; parquet-dataset: a directory of GeoParquet files partitioned by month)",
    )
    export.add_argument(
        "--store",
        nargs="?",
        const="",
        metavar="URL",
        help=f"export the accepted events of this store instead of a file (bare: ${cli_store.ENV_STORE})",
    )
    export.add_argument(
        "--drafts",
        action="store_true",
        help="the store's pending drafts instead, as YAML that is not a catalogue (confidence, article, "
        "proposed merge target and evidence of each)",
    )
    extract = sub.add_parser("extract", help="draft catalogue events from an article's text")
    extract.add_argument("article", help="plain text, or Markdown with YAML front matter")
    extract.add_argument("--published", help="publication date YYYY-MM-DD (else the front matter's)")
    extract.add_argument("--source-url", help="the article's address")
    extract.add_argument("-o", "--output", help="write the drafts here (YAML); default: print them")

    geoparse = sub.add_parser("geoparse", help="find and resolve place names in a JSON-lines corpus")
    geoparse.add_argument("input", help='JSON lines: {"id", "text", "toponyms": [...]} per line')
    geoparse.add_argument("-o", "--output", required=True, help='JSON lines out: {"id", "toponyms"}')
    geoparse.add_argument(
        "--gold-spans", action="store_true", help="resolve the input's toponym spans instead of finding spans"
    )
    geoparse.add_argument(
        "--min-population",
        type=int,
        default=DEFAULTS.min_city_population,
        help="smallest GeoNames city to load (500, 1000, 5000 or 15000)",
    )
    geoparse.add_argument(
        "--no-demonyms", action="store_true", help='do not report adjectives of place ("Syrian") as toponyms'
    )
    from geodata.parallel.partitions import GEOPARSE_PARTITION_SIZE  # as add_cluster_arguments does

    cli_ingest.add_cluster_arguments(geoparse, size=GEOPARSE_PARTITION_SIZE, unit="documents")
    cli_store.add_parsers(sub)
    cli_ingest.add_parser(sub)
    return parser


def _extract(args: argparse.Namespace, out: TextIO) -> int:
    import datetime as dt

    from geodata.catalog import dump_catalogue, write_catalogue
    from geodata.extract.article import MAX_CHARS
    from geodata.extract.pipeline import extract_article
    from geodata.io.safefile import read_capped

    try:  # UTF-8 takes at most four bytes a character
        raw = read_capped(args.article, limit=4 * MAX_CHARS, what="article").decode("utf-8")
    except UnicodeDecodeError as err:
        raise GeodataError(f"{args.article}: not UTF-8 text ({err.reason} at byte {err.start})") from err
    try:
        published = dt.date.fromisoformat(args.published) if args.published else None
    except ValueError:
        raise GeodataError(f"--published {args.published!r} is not a date (YYYY-MM-DD)") from None
    drafts = extract_article(raw, published=published, url=args.source_url, name=args.article)
    events = [d.event for d in drafts]
    if args.output:
        write_catalogue(events, Path(args.output))
        print(f"wrote {len(events)} draft events to {args.output}", file=out)
    else:
        out.write(dump_catalogue(events) if events else "[]\n")
    return EXIT_OK


def _geoparse(args: argparse.Namespace, out: TextIO) -> int:
    import json

    from geodata.extract.corpus import geoparse_file
    from geodata.extract.geoparse import Geoparser
    from geodata.gazetteer import load_gazetteer
    from geodata.io.safefile import replacing

    if args.workers is not None or args.scheduler is not None:
        return _geoparse_distributed(args, out)
    parser = Geoparser(
        load_gazetteer(min_population=args.min_population), include_demonyms=not args.no_demonyms
    )
    count = 0
    target = Path(args.output)
    with replacing(target) as staged, open(staged, "x", encoding="utf-8", newline="\n") as handle:
        for record in geoparse_file(parser, Path(args.input), gold_spans=args.gold_spans):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    print(f"wrote {count} documents to {target}", file=out)
    return EXIT_OK


def _geoparse_distributed(args: argparse.Namespace, out: TextIO) -> int:
    import sys

    from geodata.parallel.cluster import connect
    from geodata.parallel.geoparse import Options, geoparse_partitioned

    options = Options(args.gold_spans, args.min_population, not args.no_demonyms)
    with connect(workers=args.workers, scheduler=args.scheduler) as client:
        count = geoparse_partitioned(
            Path(args.input),
            Path(args.output),
            client=client,
            options=options,
            size=args.partition_size,
            work_dir=args.work_dir,
            progress=sys.stderr.isatty(),
        )
    print(f"wrote {count} documents to {args.output}", file=out)
    return EXIT_OK


def _kind(path: str) -> str:
    """How to read a catalogue path: ``dataset`` (a directory), ``parquet``, ``events`` (GeoJSON,
    CSV) or ``yaml`` (any other)."""
    from geodata.io.readers import CSV_SUFFIXES, GEOJSON_SUFFIXES, PARQUET_SUFFIXES

    if Path(path).is_dir():
        return "dataset"
    suffix = Path(path).suffix.lower()
    if suffix in PARQUET_SUFFIXES:
        return "parquet"
    return "events" if suffix in GEOJSON_SUFFIXES + CSV_SUFFIXES else "yaml"


def _read_frame(path: str) -> Any:
    """The located events of a catalogue file of any supported format, as a GeoDataFrame."""
    from geodata.frame import events_frame, load_frame
    from geodata.geocoding import default_geocoder
    from geodata.io.readers import read_events_file, read_parquet_frame

    kind = _kind(path)
    if kind == "dataset":
        from geodata.io.dataset import read_dataset_frame

        return read_dataset_frame(path)
    if kind == "parquet":
        return read_parquet_frame(path)  # carries its coordinates: no gazetteer needed
    if kind == "events":
        return events_frame(read_events_file(path, geocoder=default_geocoder()).events, default_geocoder())
    return load_frame(path, geocoder=default_geocoder())


def _validate(args: argparse.Namespace, out: TextIO) -> int:
    from geodata.catalog import read_catalogue
    from geodata.geocoding import default_geocoder
    from geodata.io.readers import read_events_file

    kind = _kind(args.path)
    cli_drafts.refuse_drafts_file(Path(args.path))
    if kind in ("parquet", "dataset"):
        count = len(_read_frame(args.path))
    elif kind == "events":
        count = len(read_events_file(args.path, geocoder=default_geocoder()))
    else:
        count = len(read_catalogue(args.path, geocoder=default_geocoder()))
    print(f"{args.path}: {count} events, all valid", file=out)
    return EXIT_OK


def _export(args: argparse.Namespace, out: TextIO) -> int:
    from geodata.io.export import export_events, format_for

    if args.store is not None or args.drafts:
        if args.path is not None:
            raise GeodataError(f"export either the catalogue {args.path!r} or a store (--store), not both")
        return cli_store.export_store(args, out)
    if args.format == "yaml":
        raise GeodataError("--format yaml exports a store (--store URL); a catalogue file already is one")
    args.path = args.path or str(DEFAULTS.default_catalogue)

    fmt = format_for(args.output, args.format)  # fail on a bad suffix before the slow part
    gdf = _read_frame(args.path)
    target = export_events(gdf, Path(args.output), fmt=fmt)
    print(f"wrote {len(gdf)} events to {target} ({fmt})", file=out)
    return EXIT_OK


COMMANDS = {"validate": _validate, "export": _export, "geoparse": _geoparse, "extract": _extract}


def _commands() -> dict[str, Any]:
    return {**COMMANDS, **cli_store.COMMANDS, **cli_ingest.COMMANDS}


def run() -> None:
    """The ``geodata`` console script."""
    sys.exit(main())


def main(argv: Sequence[str] | None = None, *, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    """Run the command line; return the exit code (0 ok, 2 problems found, 1 a bug)."""
    args = _parser().parse_args(argv)
    try:
        return int(_commands()[args.command](args, out))
    except CatalogError as error:
        for problem in error.problems[:MAX_PRINTED_PROBLEMS]:
            print(problem.format(), file=err)
        hidden = len(error.problems) - MAX_PRINTED_PROBLEMS
        if hidden > 0:
            print(f"... and {hidden} more problem(s) like these", file=err)
        print(f"{len(error.problems)} problem(s) found", file=err)
        return EXIT_PROBLEM
    except GeodataError as error:
        print(f"error: {error}", file=err)
        return EXIT_PROBLEM
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        print(f"internal error ({type(error).__name__}: {error}); this is a bug, please report it", file=err)
        return EXIT_BUG
