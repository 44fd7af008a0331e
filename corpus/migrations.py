"""Versioned schema of the SQLite store, and opening a connection to it.

The schema version lives in ``PRAGMA user_version`` (stored in the database header, so it needs no table
and changes atomically with the schema). :data:`MIGRATIONS` is an ordered, append-only list: a released
migration is never edited, a change is a new entry. :func:`migrate` applies the pending ones, each in its
own transaction together with the version bump, so a failure leaves the database at the previous version.

Example
-------
>>> import sqlite3
>>> conn = sqlite3.connect(":memory:", isolation_level=None)
>>> migrate(conn)
2
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from corpus.errors import SchemaTooNew, StoreError, unusable_database


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    statements: tuple[str, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "documents, files, labels with history, audit log",
        (
            # Dates and timestamps are ISO-8601 text (sortable, readable in the sqlite shell);
            # recipients and extra are JSON. number_key is nlp.numbers.number_key(number): folded,
            # upper-cased, so that "139/kh-ubnd" and "139/QD-UBND" find "139/KH-UBND" / "139/QĐ-UBND".
            """
            CREATE TABLE documents (
                id          TEXT PRIMARY KEY,
                number      TEXT,
                number_key  TEXT,
                symbol      TEXT,
                doc_type    TEXT,
                issuer      TEXT,
                parent      TEXT,
                place       TEXT,
                issued_date TEXT,
                title       TEXT,
                text        TEXT,
                topic       TEXT,
                status      TEXT,
                signer      TEXT,
                recipients  TEXT NOT NULL DEFAULT '[]',
                source_url  TEXT,
                extra       TEXT NOT NULL DEFAULT '{}',
                created_at  TEXT NOT NULL,
                updated_at  TEXT NOT NULL
            )
            """,
            "CREATE INDEX documents_number_key ON documents(number_key)",
            # One original file per document, served back by the service; removed with its document.
            """
            CREATE TABLE files (
                document_id  TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
                filename     TEXT NOT NULL,
                content_type TEXT NOT NULL,
                sha256       TEXT NOT NULL,
                size         INTEGER NOT NULL,
                data         BLOB NOT NULL,
                created_at   TEXT NOT NULL
            )
            """,
            # Every label ever given to a field; exactly one row per (document, field) is current.
            # Plain rowid (no AUTOINCREMENT): ids only order a document's history, and are reused only
            # after the newest rows were deleted with their document.
            """
            CREATE TABLE labels (
                id            INTEGER PRIMARY KEY,
                document_id   TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
                field         TEXT NOT NULL,
                value         TEXT,
                source        TEXT NOT NULL CHECK (source IN ('source', 'human', 'model', 'header')),
                model_version TEXT,
                confidence    REAL,
                author        TEXT,
                created_at    TEXT NOT NULL,
                current       INTEGER NOT NULL DEFAULT 1 CHECK (current IN (0, 1))
            )
            """,
            "CREATE UNIQUE INDEX labels_current ON labels(document_id, field) WHERE current = 1",
            "CREATE INDEX labels_history ON labels(document_id, id)",
            # No foreign key: the audit trail outlives the documents it speaks about.
            """
            CREATE TABLE audit (
                id          INTEGER PRIMARY KEY AUTOINCREMENT,
                at          TEXT NOT NULL,
                actor       TEXT NOT NULL,
                action      TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete', 'label')),
                document_id TEXT NOT NULL,
                details     TEXT NOT NULL
            )
            """,
            "CREATE INDEX audit_document ON audit(document_id, id)",
        ),
    ),
    Migration(
        2,
        "audit entries that are not about one document (model activations and rollbacks)",
        (
            # SQLite cannot alter a CHECK constraint: rebuild the table, keeping every entry and its id.
            """
            CREATE TABLE audit_v2 (
                id          INTEGER PRIMARY KEY AUTOINCREMENT,
                at          TEXT NOT NULL,
                actor       TEXT NOT NULL,
                action      TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete', 'label',
                                                            'model-activate', 'model-rollback')),
                document_id TEXT,
                details     TEXT NOT NULL
            )
            """,
            "INSERT INTO audit_v2 (id, at, actor, action, document_id, details) "
            "SELECT id, at, actor, action, document_id, details FROM audit",
            "DROP TABLE audit",
            "ALTER TABLE audit_v2 RENAME TO audit",
            "CREATE INDEX audit_document ON audit(document_id, id)",
        ),
    ),
    Migration(
        3,
        "original files found by content: the same file filed twice (uploaded again, a folder imported "
        "from another root) is pointed out",
        ("CREATE INDEX files_sha256 ON files(sha256)",),
    ),
)

LATEST_VERSION = MIGRATIONS[-1].version
DB_FILENAME = "vanban.sqlite3"
BUSY_TIMEOUT_MS = 10_000


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(
    conn: sqlite3.Connection, *, path: str = "", migrations: tuple[Migration, ...] = MIGRATIONS
) -> int:
    """Bring the database to the latest schema; returns the version reached.

    ``conn`` must be in autocommit mode (``isolation_level=None``) so that the transactions here are the
    only ones. Raises :class:`SchemaTooNew` for a database written by newer code, before touching it.
    """
    latest = migrations[-1].version if migrations else 0
    current = schema_version(conn)
    if current > latest:
        raise SchemaTooNew(current, latest, path)
    for migration in migrations:
        if migration.version <= current:
            continue
        try:
            conn.execute("BEGIN IMMEDIATE")
            # Re-read under the write lock: another process may have migrated meanwhile.
            if schema_version(conn) >= migration.version:
                conn.execute("COMMIT")
                continue
            for statement in migration.statements:
                conn.execute(statement)
            # PRAGMA does not take parameters; the version is an int from our own table.
            conn.execute(f"PRAGMA user_version = {int(migration.version)}")
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise StoreError(
                f"migration {migration.version} ({migration.description}) failed: {exc}",
                f"Không nâng cấp được cơ sở dữ liệu {path} lên lược đồ {migration.version}: {exc}",
            ) from exc
        current = migration.version
    return current


def connect(path: Path) -> sqlite3.Connection:
    """Open the store's database at ``path`` (creating it and its folder), configured and migrated.

    Autocommit mode (transactions are explicit), usable from any thread (the store serialises access),
    WAL so readers never wait for a writer, foreign keys on, a busy timeout for other processes.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(
            path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000
        )
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(f"cannot open {path}: {exc}", f"Không mở được cơ sở dữ liệu {path}: {exc}") from exc
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # Refuse a newer database before changing anything in it, even its journal mode.
        found = schema_version(conn)
        if found > LATEST_VERSION:
            raise SchemaTooNew(found, LATEST_VERSION, str(path))
        conn.execute("PRAGMA journal_mode = WAL")
        # NORMAL is durable across application crashes in WAL mode; an OS crash may lose the last
        # transactions but never corrupts the database.
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        migrate(conn, path=str(path))
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise unusable_database(path, exc) from exc
    except BaseException:
        conn.close()
        raise
    return conn
