"""Plumbing under :class:`corpus.store.Store`: the connection, its lock, transactions, listeners.

Kept apart from the document API so that each file has one reason to change: this one changes with how
we talk to SQLite, ``store.py`` with what the store offers.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self

from corpus.document import LabelSource
from corpus.errors import InvalidDocument, StoreError
from corpus.migrations import schema_version
from corpus.store_rows import SELECT_DOCUMENTS
from corpus.store_types import Change, Listener

# SQLite's limit on bound parameters is 32766 since 3.32; stay far below it.
_CHUNK = 900


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _chunks(items: Sequence[str], size: int = _CHUNK) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def check_actor(actor: str) -> str:
    if not isinstance(actor, str) or not actor.strip():
        raise InvalidDocument("actor", "thiếu tên người/tiến trình thực hiện thay đổi")
    return actor.strip()


class StoreBase:
    """One SQLite connection shared by threads: every use holds ``self._lock`` (re-entrant)."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path
        self._lock = threading.RLock()
        self._listeners: list[Listener] = []

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        with self._lock:
            return schema_version(self._conn)

    # -- listeners -------------------------------------------------------------------------------

    def add_listener(self, callback: Listener) -> Callable[[], None]:
        """Call ``callback(change)`` after every committed change; returns a function that unsubscribes.

        Listeners run synchronously, in the writing thread, in commit order (under the store's lock, so
        two threads' changes never reach a listener out of order). An exception in a listener propagates
        to the writer; the change itself is already committed.
        """
        with self._lock:
            self._listeners.append(callback)

        def remove() -> None:
            with self._lock:
                if callback in self._listeners:
                    self._listeners.remove(callback)

        return remove

    def _notify(self, change: Change) -> None:
        for listener in list(self._listeners):
            listener(change)

    # -- plumbing --------------------------------------------------------------------------------

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction; callers hold ``self._lock``."""
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise self._wrap(exc) from exc
        try:
            yield self._conn
            self._conn.execute("COMMIT")
        except BaseException as exc:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise self._wrap(exc) from exc
            raise

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        try:
            return self._conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise self._wrap(exc) from exc

    def _wrap(self, exc: sqlite3.Error) -> StoreError:
        if "locked" in str(exc) or "busy" in str(exc):
            return StoreError(
                f"database busy: {exc}", "Cơ sở dữ liệu đang bận (một tiến trình khác đang ghi). Hãy thử lại."
            )
        if "disk is full" in str(exc) or "disk I/O error" in str(exc):
            # said to a clerk without SQLite's English or the server's paths (QA); the log keeps both
            return StoreError(
                f"{self.path}: {exc}",
                "Máy chủ hết chỗ trống trên ổ đĩa (hoặc ổ đĩa lỗi) nên không ghi được vào kho văn bản; chưa có gì "
                "được lưu thêm. Hãy báo quản trị hệ thống giải phóng dung lượng rồi thử lại.",
            )
        if "readonly" in str(exc) or "read-only" in str(exc):
            return StoreError(
                f"{self.path}: {exc}",
                "Kho văn bản đang ở chế độ chỉ đọc (thư mục dữ liệu không ghi được); hãy báo quản trị hệ thống.",
            )
        return StoreError(f"{self.path}: {exc}", f"Lỗi cơ sở dữ liệu {self.path}: {exc}")

    def _rows_by_id(self, ids: Sequence[str]) -> dict[str, tuple[Any, ...]]:
        found: dict[str, tuple[Any, ...]] = {}
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            for row in self._conn.execute(f"{SELECT_DOCUMENTS} WHERE id IN ({marks})", tuple(chunk)):
                found[row[0]] = tuple(row)
        return found

    def _current_label_sources(self, ids: Sequence[str]) -> dict[str, dict[str, LabelSource]]:
        """Source of each field's current label, per document."""
        found: dict[str, dict[str, LabelSource]] = {}
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT document_id, field, source FROM labels WHERE current = 1 AND document_id IN ({marks})"
            for doc_id, field, source in self._conn.execute(sql, tuple(chunk)):
                found.setdefault(doc_id, {})[field] = LabelSource(source)
        return found
