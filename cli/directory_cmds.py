"""`signpost import`, `export` and `demo`: each a few lines over `directory/`."""

from __future__ import annotations

import argparse
from pathlib import Path

from directory.store import Store

from .output import say

DEMO_CSV = Path(__file__).resolve().parent.parent / "directory" / "data" / "demo_directory.csv"


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import", help="import a directory: contract CSV or Open Referral HSDS (all or nothing)")
    p.add_argument("path")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("export", help="write the whole directory out")
    p.add_argument("path")
    p.add_argument("--format", choices=("csv", "hsds"), default=None,
                   help="csv (default for .csv) or hsds (HSDS 3.0 JSON; default for .json)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("demo", help="load the bundled demo directory into an empty database and index it")
    p.add_argument("--model", default=None, help="embedding model: a name under models/ or a path")
    p.set_defaults(func=cmd_demo)


def cmd_import(args: argparse.Namespace) -> int:
    from directory import importer  # (each command imports its parsers itself: a match needs none)

    # Validates everything before the database is opened; a CSV is streamed (checked, then read
    # again while it is written), so memory does not grow with the file.
    resources = importer.open_listings(args.path)
    if not resources:  # a valid file with nothing to import (HSDS taxonomies, metadata...)
        for warning in resources.warnings:
            say(warning)
        say(f"nothing was imported from {args.path}; the database was not touched.")
        return 0
    if resources.warnings:
        say(f"{args.path}: {len(resources.warnings)} warning(s); imported all the same:")
        for warning in resources.warnings:
            say(f"  warning: {warning}")
    with Store(args.db) as store:
        _embed_on_write(store)
        summary = store.import_resources(resources)
    say(f"imported {args.path}: {summary}")
    return 0


def _embed_on_write(store: Store, model: str | None = None) -> None:
    """The import carries the vectors of the texts it adds or changes (matcher.shared_vectors.
    EmbedOnWrite): app processes on this directory read them rather than each embedding them. The
    model is loaded only if the import has a new text."""
    from matcher.shared_vectors import embed_on_write

    embed_on_write(store, model=model)


def export_format(path: str, chosen: str | None) -> str:
    """--format, else from the file's name: .json is HSDS, anything else the contract CSV."""
    return chosen or ("hsds" if str(path).lower().endswith(".json") else "csv")


def cmd_export(args: argparse.Namespace) -> int:
    from directory import csv_io, hsds

    fmt = export_format(args.path, args.format)
    with Store(args.db, create=False) as store:
        resources = store.resources()
    if fmt == "csv":
        csv_io.write_csv(resources, args.path)
    else:
        hsds.write_json(resources, args.path)
    say(f"exported {len(resources)} listings to {args.path} ({fmt})")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from directory import importer

    from .match_cmds import cmd_index

    with Store(args.db) as store:
        if store.count():
            say(f"the database already holds {store.count()} listings; demo data is loaded only into an empty one")
        else:
            _embed_on_write(store, getattr(args, "model", None))
            summary = store.import_resources(importer.load(DEMO_CSV), actor="demo")
            say(f"loaded the demo directory: {summary}")
    return cmd_index(args)
