"""Why a database named by `--db` (or $SIGNPOST_DB) cannot be used, in one sentence naming it.

`Store` asks `unusable(url)` before it connects and `explain(err, url)` when opening fails, and
raises `DatabaseUnusableError` with the sentence; the CLI asks `explain` too for a database error
met later, so that a person never sees a driver's traceback, SQL or the data it carried.
Errors are told apart by class (SQLAlchemy's, sqlite3's, a missing driver's), the driver's words
only where SQLite gives one class to several causes.
"""

from __future__ import annotations

import sqlite3

import sqlalchemy as sa

# The databases Signpost stores its directory in (contract section 5): SQLite and PostgreSQL.
SUPPORTED_DIALECTS = ("sqlite", "postgresql")


class DatabaseUnusableError(Exception):
    """`--db` names something Signpost cannot use as its database; nothing was created or changed.
    `bad_input` is False when the database may be fine but cannot be reached (a server down)."""

    def __init__(self, message: str, bad_input: bool = True):
        super().__init__(message)
        self.bad_input = bad_input


def shown(url: str) -> str:
    """The database as a person should see it: a file's path, or the URL without its password."""
    if url.startswith("sqlite:///"):
        return url.removeprefix("sqlite:///")
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except (sa.exc.ArgumentError, ValueError):  # ValueError: a port that is not a number
        return url.split("://")[0] + "://" + url.split("@")[-1] if "@" in url else url


def unusable(url: str) -> DatabaseUnusableError | None:
    """A URL that is not SQLite or PostgreSQL, or not a URL at all (checked before connecting)."""
    try:
        parsed = sa.engine.make_url(url)
    except (sa.exc.ArgumentError, ValueError):
        return DatabaseUnusableError(f"--db {shown(url)}: not a database path or URL Signpost can read; give a "
                                     "file path (SQLite) or a postgresql:// URL")
    dialect = parsed.get_backend_name()
    if dialect not in SUPPORTED_DIALECTS:
        return DatabaseUnusableError(f"--db {shown(url)}: Signpost keeps its directory in SQLite (a file path) or "
                                     f"PostgreSQL (postgresql://...), not '{dialect}'")
    return None


def _sqlite_error(orig: sqlite3.Error, where: str) -> DatabaseUnusableError:
    words = str(orig).lower()
    if isinstance(orig, sqlite3.OperationalError):
        if "unable to open" in words or "readonly" in words or "read-only" in words:
            return DatabaseUnusableError(f"the database {where} cannot be opened for writing: check that its folder "
                                         "exists and that you may write in it (SQLite needs to create files beside "
                                         "the database)")
        if "locked" in words or "busy" in words:
            return DatabaseUnusableError(f"the database {where} is busy with another change; try again", False)
        if "disk i/o" in words or "full" in words:
            return DatabaseUnusableError(f"the database {where} cannot be written (disk error or disk full)", False)
    if isinstance(orig, sqlite3.DatabaseError):  # "file is not a database", "disk image is malformed"
        return DatabaseUnusableError(f"{where} is not a Signpost database: it is not an SQLite file, or it is "
                                     "damaged (cut short?); give the path of a Signpost database, or a new path")
    return DatabaseUnusableError(f"the database {where} cannot be used ({type(orig).__name__})", False)


def explain(err: BaseException, url: str) -> DatabaseUnusableError | None:
    """One sentence for a failure to open or use the database, or None when `err` is not one."""
    where = shown(url)
    if isinstance(err, DatabaseUnusableError):
        return err
    if isinstance(err, sa.exc.NoSuchModuleError | sa.exc.ArgumentError):
        return unusable(url) or DatabaseUnusableError(f"--db {where}: not a database URL Signpost can use")
    if isinstance(err, ModuleNotFoundError):
        return DatabaseUnusableError(f"--db {where}: the database driver '{err.name}' is not installed")
    if isinstance(err, PermissionError | FileNotFoundError | NotADirectoryError) and err.filename is not None:
        return DatabaseUnusableError(f"the database {where} cannot be created or opened: {err.strerror} "
                                     f"({err.filename})")
    if isinstance(err, sa.exc.DBAPIError):
        orig = err.orig
        if isinstance(orig, sqlite3.Error):
            return _sqlite_error(orig, where)
        if isinstance(err, sa.exc.OperationalError):  # PostgreSQL: no server, wrong password, no database
            first = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
            return DatabaseUnusableError(f"the database {where} cannot be reached: {first}", False)
        return DatabaseUnusableError(f"the database {where} refused the change ({type(orig).__name__}); "
                                     "nothing was saved", False)
    if isinstance(err, sqlite3.Error):
        return _sqlite_error(err, where)
    return None
