"""Store changes applied to the index on a thread of their own, in order, one batch behind the store.

An import stores a batch and then indexes it. Indexing a batch is mostly analysis, which runs in forked
worker processes as well as in this one (:mod:`nlp.forkpool`); reading, parsing and storing the next batch
has the interpreter to itself and the other core idles meanwhile. Fed through :class:`BackgroundFeed`, the
store hands each committed change over and goes on with the next batch while this feed's thread indexes the
previous one, so both run at once.

At most one change waits in the queue: a store that runs ahead blocks on the hand-over, so memory stays
bounded by two batches. Changes are applied in commit order by a single thread. The first failure is kept and
raised to the writer at its next hand-over and again by :meth:`BackgroundFeed.close`, which also waits until
every change handed over is applied — so when an import returns, everything it stored is indexed (or it
raised).

Example
-------
>>> feed = BackgroundFeed(index.apply)           # doctest: +SKIP
>>> detach = store.add_listener(feed.put)         # doctest: +SKIP
>>> ...; detach(); feed.close()                   # doctest: +SKIP
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Any

_DONE = object()


class BackgroundFeed:
    """Applies what :meth:`put` receives with ``apply``, on one thread, in order."""

    def __init__(self, apply: Callable[[Any], None]) -> None:
        self._apply = apply
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=1)
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="vanban-index-feed", daemon=True)
        self._thread.start()
        self._closed = False

    def _run(self) -> None:
        while True:
            change = self._queue.get()
            try:
                if change is _DONE:
                    return
                if self._failure is None:  # after a failure, later changes are not applied (out of order)
                    self._apply(change)
            except BaseException as exc:  # noqa: BLE001 - handed to the writer, see _raise_failure
                self._failure = exc
            finally:
                self._queue.task_done()

    def _raise_failure(self) -> None:
        if self._failure is not None:
            raise self._failure

    def put(self, change: Any) -> None:
        """Hand ``change`` over (a store listener); raises an earlier change's failure instead."""
        if self._closed:
            raise RuntimeError("the index feed is closed")
        self._raise_failure()
        self._queue.put(change)

    def close(self) -> None:
        """Wait until every change handed over is applied, stop the thread, raise the first failure."""
        if not self._closed:
            self._closed = True
            self._queue.put(_DONE)
            self._thread.join()
        self._raise_failure()
