"""Model hot swap: every worker notices a changed active model and loads it without a restart.

The registry's active pointer is the one truth shared by all worker processes. A :class:`ModelWatcher`
asks the registry for the active version (cheap: one small file) at most every ``poll_s`` seconds, on the
request that needs the model; when it differs from the loaded one it loads the new model and swaps it in
under a lock, so requests see either the old model or the new one, never a half-loaded one. The worker
that activates a version calls :meth:`ModelWatcher.refresh` with ``force=True`` and switches at once; the
others follow within ``poll_s``.

A model that fails to load (a damaged or incompatible directory) leaves the previous model serving; the
error is kept for ``/readyz`` and logged, and loading is retried only when the pointer changes again.

Example
-------
>>> watcher = ModelWatcher(source, poll_s=1.0)   # doctest: +SKIP
>>> watcher.current().version                    # doctest: +SKIP
'20260128-101500-ab12'
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any, Protocol

log = logging.getLogger("vanban.service.models")


class ModelSource(Protocol):
    """What the watcher needs from the model registry (see :mod:`service.models_adapter`)."""

    def active_version(self) -> str | None: ...

    def load(self, version: str) -> Any: ...


@dataclass(frozen=True)
class LoadedModel:
    """A classifier in memory with the version it was loaded from."""

    version: str
    classifier: Any
    loaded_at: float


class ModelWatcher:
    """The active model of one worker, kept in step with the registry's pointer."""

    def __init__(self, source: ModelSource, poll_s: float = 1.0) -> None:
        self._source = source
        self.poll_s = poll_s
        self._current: LoadedModel | None = None
        self._checked_at = float("-inf")
        self._seen_pointer: str | None = None
        self._lock = threading.Lock()
        self.last_error: str | None = None

    def current(self) -> LoadedModel | None:
        """The loaded model after a (rate-limited) look at the pointer; None when no model is active."""
        if time.monotonic() - self._checked_at >= self.poll_s:
            self.refresh()
        return self._current

    @property
    def loaded(self) -> LoadedModel | None:
        """The loaded model without looking at the pointer (for status pages)."""
        return self._current

    def refresh(self, force: bool = False) -> LoadedModel | None:
        """Look at the pointer now and load the model it names if that is not the loaded one."""
        with self._lock:  # one loader at a time; the others wait and then see the fresh model
            self._checked_at = time.monotonic()
            try:
                pointer = self._source.active_version()
            except Exception as exc:  # an unreadable pointer must not take searches down with it
                log.error("cannot read the active model pointer: %s", exc)
                self.last_error = f"không đọc được con trỏ mô hình đang dùng: {exc}"
                return self._current
            if pointer is None:
                if self._current is not None:
                    log.info("no active model any more; unloading %s", self._current.version)
                self._current = None
                self._seen_pointer = None
                self.last_error = None
                return None
            loaded = self._current.version if self._current else None
            if pointer == loaded or (pointer == self._seen_pointer and not force):
                return self._current  # same model, or a version that already failed to load
            self._seen_pointer = pointer
            started = time.perf_counter()
            try:
                classifier = self._source.load(pointer)
            except Exception as exc:  # keep serving the previous model; tell /readyz why
                log.error("cannot load model %s (still serving %s): %s", pointer, loaded, exc)
                self.last_error = f"không nạp được mô hình {pointer}: {getattr(exc, 'message', exc)}"
                return self._current
            self._current = LoadedModel(pointer, classifier, time.time())
            self.last_error = None
            log.info("model %s loaded in %.2f s (was %s)", pointer, time.perf_counter() - started, loaded)
            return self._current
