"""Model hot swap: every worker notices a changed active model and loads it without a restart.

The registry's active pointer is the one truth shared by all worker processes. A :class:`ModelWatcher`
asks the registry for the active version (cheap: one small file) at most every ``poll_s`` seconds, on the
request that needs the model; when it differs from the loaded one it loads the new model and swaps it in
under a lock, so requests see either the old model or the new one, never a half-loaded one. The worker
that activates a version calls :meth:`ModelWatcher.refresh` with ``force=True`` and switches at once; the
others follow within ``poll_s``.

Lazy loading (``lazy=True``; ``VANBAN_PRELOAD_MODEL=false``): a worker reads the pointer at start but
loads the model — scikit-learn and the two classifiers with their vocabularies, ~170 MB — only when a
request first needs it (an upload, ``/api/classify``, the models page), or in the background when
:meth:`prefetch` says one is coming (a clerk opened the upload page, a file is being extracted). A worker
that only searches never holds it; the first request that needs it waits ~4-5 s (importing scikit-learn
takes 3-4 s of that), which is why it is not the default. Once loaded, a model follows the pointer.

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


@dataclass(frozen=True)
class ModelState:
    """What ``/readyz`` reports: the pointer, the model in memory, a pending load, the last error."""

    active: str | None  # the version the registry's pointer names (as last read)
    loaded: LoadedModel | None
    pending: bool  # lazy: the active version has not been loaded in this worker yet (nor failed to)
    error: str | None

    @property
    def serving(self) -> str | None:
        """The version tags come from: the loaded one, or the active one a lazy worker will load."""
        return self.loaded.version if self.loaded else (self.active if self.pending else None)


class ModelWatcher:
    """The active model of one worker, kept in step with the registry's pointer."""

    def __init__(self, source: ModelSource, poll_s: float = 1.0, lazy: bool = False) -> None:
        self._source = source
        self.poll_s = poll_s
        self.lazy = lazy
        self._current: LoadedModel | None = None
        self._checked_at = float("-inf")
        self._pointer: str | None = None
        self._seen_pointer: str | None = None  # the last version a load was attempted for
        self._lock = threading.Lock()
        self._prefetching = False
        self.last_error: str | None = None

    def current(self) -> LoadedModel | None:
        """The loaded model after a (rate-limited) look at the pointer, loading the active one now if this
        worker has not yet; None when no model is active (or the active one cannot be loaded)."""
        if time.monotonic() - self._checked_at >= self.poll_s or self._pending():
            self.refresh(load=True)
        return self._current

    def state(self) -> ModelState:
        """The pointer and the model in memory after a (rate-limited) look, loading nothing new."""
        if time.monotonic() - self._checked_at >= self.poll_s:
            self.refresh(load=not self.lazy)
        return ModelState(self._pointer, self._current, self._pending(), self.last_error)

    @property
    def loaded(self) -> LoadedModel | None:
        """The loaded model without looking at the pointer (for status pages)."""
        return self._current

    @property
    def serving(self) -> str | None:
        """The version tags come from, without any I/O (page footers)."""
        return ModelState(self._pointer, self._current, self._pending(), self.last_error).serving

    def prefetch(self) -> None:
        """Lazy: load the active model in the background because a request will need it soon."""
        if not self.lazy or self._current is not None or self._prefetching or not self._pending():
            return
        self._prefetching = True

        def run() -> None:
            try:
                self.current()
            finally:
                self._prefetching = False

        threading.Thread(target=run, name="vanban-model-prefetch", daemon=True).start()

    def _pending(self) -> bool:
        pointer = self._pointer
        loaded = self._current.version if self._current else None
        return pointer is not None and pointer != loaded and pointer != self._seen_pointer

    def refresh(self, force: bool = False, load: bool = True) -> LoadedModel | None:
        """Look at the pointer now and load the model it names if that is not the loaded one. With
        ``load=False`` a worker holding no model only notes the pointer (lazy start)."""
        with self._lock:  # one loader at a time; the others wait and then see the fresh model
            self._checked_at = time.monotonic()
            try:
                pointer = self._source.active_version()
            except Exception as exc:  # an unreadable pointer must not take searches down with it
                log.error("cannot read the active model pointer: %s", exc)
                self.last_error = f"không đọc được con trỏ mô hình đang dùng: {exc}"
                return self._current
            self._pointer = pointer
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
            if not load and self._current is None and not force:
                return None  # lazy: loaded when first needed
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
