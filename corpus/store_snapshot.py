"""A consistent copy of the store's database, taken while the service may be writing to it.

A backup must hold everything the store holds — documents, every label ever given with its author and time,
the original uploads, the audit log — exactly as of one moment. Copying ``vanban.sqlite3`` with ``cp`` while
a worker writes can give a torn file (and misses what still sits in the ``-wal`` file); SQLite's online
backup API copies the pages inside one read transaction, so the copy is the database as of the moment the
copy began, whatever other processes commit meanwhile (WAL: they are not blocked either).

The copy is a single self-contained file (journal mode DELETE: no ``-wal``/``-shm`` beside it), checked
with ``PRAGMA integrity_check`` before it is handed out.

Example
-------
>>> import tempfile
>>> from corpus.store import Store
>>> from corpus.document import Document
>>> with tempfile.TemporaryDirectory() as tmp:
...     with Store.open(Path(tmp)) as store:
...         _ = store.upsert(Document(id="vb-1", title="Kế hoạch phòng, chống dịch bệnh năm 2026"), actor="doctest")
...     counts = snapshot_database(Path(tmp) / "vanban.sqlite3", Path(tmp) / "copy.sqlite3")
...     counts.documents, check_database(Path(tmp) / "copy.sqlite3").documents
(1, 1)
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import asdict, dataclass
from pathlib import Path

from corpus.errors import SchemaTooNew, StoreError, unusable_database
from corpus.migrations import BUSY_TIMEOUT_MS, LATEST_VERSION, schema_version


@dataclass(frozen=True)
class StoreCounts:
    """What a database holds: enough to tell a restored copy from a truncated one."""

    schema: int
    documents: int
    labels: int  # every label row, superseded ones included
    files: int  # original uploads
    audit: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


_TABLES = ("documents", "labels", "files", "audit")


def _counts(conn: sqlite3.Connection) -> StoreCounts:
    present = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    # A table the schema has not reached yet counts as empty (an old database is migrated on restore).
    numbers = {t: int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) if t in present else 0
               for t in _TABLES}  # fmt: skip
    return StoreCounts(schema_version(conn), numbers["documents"], numbers["labels"], numbers["files"],
                       numbers["audit"])  # fmt: skip


def _open_ours(path: Path, *, readonly: bool) -> sqlite3.Connection:
    """A connection to the database at ``path`` after checking its schema is one this code knows."""
    try:
        if readonly:  # opened by URI so that nothing, not even a journal, is written beside it
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        else:
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open {path}: {exc}", f"Không mở được cơ sở dữ liệu {path}: {exc}") from exc
    try:
        found = schema_version(conn)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise unusable_database(path, exc) from exc
    if found > LATEST_VERSION:
        conn.close()
        raise SchemaTooNew(found, LATEST_VERSION, str(path))
    if found == 0 or not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'documents'").fetchone():
        conn.close()  # another program's database under our file name, or an empty file
        raise StoreError(f"{path} is not a vanban store", f"Tệp {path} không phải kho văn bản của vanban.")
    return conn


def snapshot_database(source: Path, destination: Path) -> StoreCounts:
    """Copy the database at ``source`` to ``destination`` (a new file) as of one moment; its counts.

    Raises :class:`StoreError` when the source is missing or unreadable, :class:`SchemaTooNew` when it was
    written by a newer vanban (its layout is not ours to vouch for)."""
    if not source.is_file():
        raise StoreError(f"no database at {source}", f"Không có cơ sở dữ liệu tại {source}: không có gì để sao lưu.")
    if destination.exists():
        raise StoreError(f"{destination} exists", f"Tệp {destination} đã có; không ghi đè.")
    src = _open_ours(source, readonly=False)
    try:
        dst = sqlite3.connect(destination)
        try:
            src.backup(dst)  # all pages in one step: one read transaction, one moment
            dst.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            counts = _counts(dst)
        finally:
            dst.close()
    except sqlite3.Error as exc:
        destination.unlink(missing_ok=True)
        raise StoreError(
            f"cannot copy {source}: {exc}", f"Không sao chép được cơ sở dữ liệu {source}: {exc}"
        ) from exc
    except BaseException:
        destination.unlink(missing_ok=True)
        raise
    finally:
        src.close()
    with open(destination, "rb+") as handle:
        os.fsync(handle.fileno())
    return counts


def check_database(path: Path) -> StoreCounts:
    """The counts of the database file at ``path`` after ``PRAGMA integrity_check`` passed; it is opened
    read-only and left exactly as it is. Raises :class:`StoreError` for a file that is not a sound SQLite
    database, :class:`SchemaTooNew` for one written by a newer vanban."""
    conn = _open_ours(path, readonly=True)
    try:
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check(20)")]
        if problems != ["ok"]:
            raise StoreError(
                f"{path} fails its integrity check: {problems[:3]}",
                f"Cơ sở dữ liệu {path} bị hỏng (kiểm tra toàn vẹn: {'; '.join(problems[:3])}).",
            )
        return _counts(conn)
    except sqlite3.DatabaseError as exc:
        raise unusable_database(path, exc) from exc
    finally:
        conn.close()
