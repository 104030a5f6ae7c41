"""A small versioned schema runner: ``schema_version`` records each applied step.

Each step is a function of a connection, applied once, in order, inside the same transaction
as its ``schema_version`` row, so a crash mid-migration leaves the previous version intact.
A new step is appended to ``MIGRATIONS``; applied steps are never edited (a database opened
by an older Sidekick than its schema is refused with a StoreError).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from sqlalchemy import Connection, Engine, inspect, select, text

from sidekick.errors import StoreError
from sidekick.store import schema

logger = logging.getLogger(__name__)

Step = Callable[[Connection], None]

#: Execution option marking a write transaction (SQLite begins it IMMEDIATE).
WRITE_OPTION = "sidekick_write"


def _v1_tables(conn: Connection) -> None:
    schema.metadata.create_all(conn)


def _v2_sqlite_guards(conn: Connection) -> None:
    """On SQLite, refuse UPDATE/DELETE of events and of signed note versions at the engine.

    ``verify_chain`` still detects edits made by someone who drops these triggers.
    """
    if conn.dialect.name != "sqlite":
        return
    for stmt in (
        "CREATE TRIGGER IF NOT EXISTS events_no_update BEFORE UPDATE ON events "
        "BEGIN SELECT RAISE(ABORT, 'events are append-only'); END",
        "CREATE TRIGGER IF NOT EXISTS events_no_delete BEFORE DELETE ON events "
        "BEGIN SELECT RAISE(ABORT, 'events are append-only'); END",
        "CREATE TRIGGER IF NOT EXISTS signed_no_update BEFORE UPDATE ON note_versions "
        "WHEN OLD.status = 'signed' "
        "BEGIN SELECT RAISE(ABORT, 'signed note versions are immutable'); END",
        "CREATE TRIGGER IF NOT EXISTS signed_no_delete BEFORE DELETE ON note_versions "
        "WHEN OLD.status = 'signed' "
        "BEGIN SELECT RAISE(ABORT, 'signed note versions are immutable'); END",
    ):
        conn.execute(text(stmt))


#: (version, step), in order. Append only.
MIGRATIONS: list[tuple[int, Step]] = [(1, _v1_tables), (2, _v2_sqlite_guards)]
LATEST = MIGRATIONS[-1][0]


def current_version(conn: Connection) -> int:
    if not inspect(conn).has_table("schema_version"):
        return 0
    found = conn.execute(select(schema.schema_version.c.version)).scalars().all()
    return max(found, default=0)


def migrate(engine: Engine, where: str) -> int:
    """Bring the database up to ``LATEST``; return the version it ended at."""
    with engine.begin() as conn:
        version = current_version(conn)
    if version > LATEST:
        raise StoreError(
            f"{where}: database schema version {version} is newer than this Sidekick "
            f"understands ({LATEST}); upgrade Sidekick"
        )
    for number, step in MIGRATIONS:
        if number <= version:
            continue
        with engine.connect() as conn:
            conn.execution_options(**{WRITE_OPTION: True})
            with conn.begin():
                if current_version(conn) >= number:  # another process got there first
                    continue
                step(conn)
                conn.execute(
                    schema.schema_version.insert().values(
                        version=number, applied_at=dt.datetime.now(dt.UTC).isoformat()
                    )
                )
        logger.info("database migrated to schema version %d", number)
        version = number
    return version
