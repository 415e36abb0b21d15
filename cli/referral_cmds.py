"""`signpost referrals import | export | purge` and `signpost person erase`: a few lines each over
`referrals/`, acting as `referrals.SYSTEM_USER` (contract sections 5 and 6).

Nothing a person's record holds is printed: messages name record ids, counts and places in a file.
"""

from __future__ import annotations

import argparse

from directory.store import Store

from .output import answer, say
from .user_cmds import UsageError


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("referrals", help="referrals from GP practices (FHIR R4): import, export, retention purge")
    rsub = p.add_subparsers(dest="referrals_command", required=True, metavar="ACTION")
    a = rsub.add_parser("import", help="take in one referral: a FHIR R4 Bundle (all or nothing)")
    a.add_argument("path")
    a.set_defaults(func=cmd_referrals_import)
    a = rsub.add_parser("export", help="write referrals, statuses and outcomes as a FHIR R4 collection Bundle")
    a.add_argument("path")
    a.add_argument("--since", help="only referrals changed on or after this day (YYYY-MM-DD)")
    a.set_defaults(func=cmd_referrals_export)
    a = rsub.add_parser("purge", help="erase closed records older than the retention period (a dry run "
                                      "unless --yes)")
    a.add_argument("--older-than-days", type=int, default=None,
                   help="closed longer ago than this (default $SIGNPOST_RETENTION_DAYS, else 730)")
    a.add_argument("--dry-run", action="store_true", help="list what would go and change nothing (the default)")
    a.add_argument("--yes", action="store_true", help="really erase them")
    a.set_defaults(func=cmd_referrals_purge)

    p = sub.add_parser("person", help="a person's record")
    psub = p.add_subparsers(dest="person_command", required=True, metavar="ACTION")
    a = psub.add_parser("erase", help="erase everything held about one person")
    a.add_argument("nhs_number")
    a.set_defaults(func=cmd_person_erase)


def _referrals():
    """The referrals package, loaded only by its own commands (a match does not pay for FHIR and PDF)."""
    import referrals

    return referrals


def cmd_referrals_import(args: argparse.Namespace) -> int:
    referrals = _referrals()
    referrals.read_bundle(args.path)  # every check before the database is opened (or created)
    with Store(args.db) as store:
        result = referrals.import_bundle(store, args.path, referrals.SYSTEM_USER)
    say(f"imported {args.path}: referral {result.referral_id} for record {result.person_id}" if result.created
        else f"{args.path} was imported before (referral {result.referral_id}); nothing changed")
    return 0


def cmd_referrals_export(args: argparse.Namespace) -> int:
    referrals = _referrals()
    with Store(args.db, create=False) as store:
        count = referrals.write_bundle(store, args.path, referrals.SYSTEM_USER, since=args.since)
    say(f"exported {count} FHIR resources to {args.path}")
    return 0


def cmd_referrals_purge(args: argparse.Namespace) -> int:
    referrals = _referrals()
    if args.older_than_days is not None and args.older_than_days < 0:
        raise UsageError("referrals purge: --older-than-days must not be negative")
    with Store(args.db, create=False) as store:
        report = referrals.purge_expired(store, referrals.SYSTEM_USER, args.older_than_days,
                                         dry_run=args.dry_run or not args.yes)
    for expired in report.expired:
        answer(f"{expired.person_id}\t{expired.closed_at}")
    done = "erased" if report.purged else "would erase (a dry run: nothing changed; --yes to erase)"
    say(f"{done} {len(report.expired)} record(s) closed before {report.cutoff}")
    return 0


def cmd_person_erase(args: argparse.Namespace) -> int:
    referrals = _referrals()
    with Store(args.db, create=False) as store:
        referrals.erase_person(store, args.nhs_number, referrals.SYSTEM_USER)
    say("the person's record was erased")
    return 0
