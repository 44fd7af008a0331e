"""Index updates that met a busy index, done as soon as it is free.

The store is the system of record: a write is committed there first, then mirrored to the search index.
When another process holds the index's writer lock longer than the wait allows (a long ``vanban import``
batch, ``vanban index``), the write must neither fail after it was filed (QA: 503 "busy" answered for an
upload that was stored, and its retry met a 409) nor leave the document out of search until a restart.
Its ids are queued here instead, and one thread per process re-indexes them from the store as soon as the
lock is free: what the store holds then is what gets indexed (a document deleted meanwhile is deleted).

Pending ids live in memory; if the process dies first, the catch-up at the next start
(:meth:`corpus.index.SearchIndex.sync`) indexes them.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

from corpus.search_errors import IndexBusy, IndexUnavailable

log = logging.getLogger("vanban.service.index")

RETRY_S = 2.0


class DeferredIndexing:
    """Ids waiting for the index; :meth:`add` them, a daemon thread indexes them from ``store``."""

    def __init__(self, store: Any, index: Callable[[], Any], retry_s: float | None = None) -> None:
        self._store = store
        self._index = index  # the current index, asked each time (a rebuild may have swapped it)
        self._retry_s = RETRY_S if retry_s is None else retry_s
        self._pending: set[str] = set()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._wake = threading.Event()
        self._closed = False
        self._sync = False  # a whole catch-up with the store is wanted (the start found the index behind)

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._pending)

    def catch_up(self) -> None:
        """Bring the whole index up to date with the store (``SearchIndex.sync``) as soon as it is free: the
        service started while another process held the index, with stored documents it lacks."""
        with self._lock:
            self._sync = True
        self._start()

    def close(self) -> None:
        """Stop retrying (the service is shutting down; the store closes next). Ids still pending are
        indexed by the catch-up at the next start."""
        with self._lock:
            self._closed = True
            left = len(self._pending)
            thread = self._thread
        self._wake.set()
        if thread is not None:
            thread.join(timeout=2.0)  # a round in progress ends before the store closes (a busy wait may not)
        if left:
            log.warning("%d document(s) not indexed yet (index busy); the next start indexes them", left)

    def add(self, ids: Iterable[str]) -> None:
        with self._lock:
            self._pending.update(ids)
        self._start()

    def _start(self) -> None:
        with self._lock:
            if self._closed:
                return
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="vanban-index-later", daemon=True)
                self._thread.start()

    def flush(self) -> bool:
        """Index the pending ids now; True when none is left (False: the index is still busy)."""
        with self._lock:
            ids = sorted(self._pending)
            sync = self._sync
        if sync:
            try:
                report = self._index().sync(self._store)
            except IndexBusy:
                return False
            with self._lock:
                self._sync = False
            log.info("search index caught up with the store: %d indexed, %d removed", report.indexed,
                     report.deleted)  # fmt: skip
        if not ids:
            with self._lock:
                return not self._pending and not self._sync
        docs = [(doc_id, self._store.find(doc_id)) for doc_id in ids]
        index = self._index()
        try:
            index.upsert([doc for _, doc in docs if doc is not None])
            index.delete([doc_id for doc_id, doc in docs if doc is None])
        except IndexBusy:
            return False
        with self._lock:
            self._pending.difference_update(ids)
            left = bool(self._pending) or self._sync
        log.info("indexed %d document(s) held back by a busy index: %s", len(ids), ", ".join(ids[:10]))
        return not left

    def _run(self) -> None:
        delay = self._retry_s
        while True:
            self._wake.wait(delay)
            self._wake.clear()
            with self._lock:
                if self._closed:
                    self._thread = None
                    return
            try:
                if self.flush():
                    with self._lock:
                        if not self._pending and not self._sync:
                            self._thread = None
                            return
                delay = self._retry_s
            except Exception as exc:  # noqa: BLE001 - the thread must outlive any one failure (a full disk)
                delay = min(60.0, delay * 2)  # one line a minute at most while the failure lasts
                log.error("indexing held-back documents failed (%s); retrying in %.0f s", exc, delay)


def index_or_defer(deferred: DeferredIndexing | None, ids: list[str], write: Callable[[], object]) -> bool:
    """Run ``write`` (an index update of ``ids``); when the index cannot take it now — busy, or failing (a
    full disk: QA saw a stored upload answered 500 and never indexed) — queue ``ids`` on ``deferred`` and
    return False: the caller's write still succeeded, it is in the store. While ids already wait, the index
    is known busy and new ones queue at once (QA: eight uploads waited 3 s each, one after another)."""
    if deferred is not None and deferred.pending:
        deferred.add(ids)
        return False
    try:
        write()
    except IndexBusy:
        if deferred is None:
            raise
        deferred.add(ids)
        log.warning("index busy: %s stored, indexed as soon as the index is free", ", ".join(ids[:10]))
        return False
    except (IndexUnavailable, OSError, ValueError) as exc:
        if deferred is None:
            raise
        deferred.add(ids)
        log.error("indexing %s failed (%s); stored, indexing retried", ", ".join(ids[:10]), exc)
        return False
    return True
