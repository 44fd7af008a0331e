"""The resources one worker serves with: store, search index, models, extractor, access rules.

Opened by :func:`open_services` in the application's lifespan (never at import time) and closed when it
ends. An index that cannot be opened (built by another analyser version, damaged) does not stop the
worker: documents stay readable, ``/readyz`` says what is wrong and search answers with the fix.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corpus.index import SearchIndex, index_path
from corpus.migrations import DB_FILENAME
from corpus.search import Searcher
from corpus.search_errors import IndexMissing, SearchError
from corpus.store import Store
from service.auth import Access
from service.extraction import Extractor
from service.index_later import DeferredIndexing
from service.model_watch import ModelWatcher
from service.problems import Problem, problem_for
from service.settings import Settings

log = logging.getLogger("vanban.service")


class _NoRegistry:
    """The registry when the models package cannot be used (reported by /readyz, not a crash)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def active_version(self) -> str | None:
        return None

    def load(self, version: str) -> Any:
        raise RuntimeError(self.reason)

    def versions(self) -> list[Any]:
        return []

    def activate(self, version: str, actor: str, stored_topics: dict[str, int] | None = None) -> None:
        raise Problem("model-not-found", f"Không dùng được kho mô hình: {self.reason}")

    def rollback(self, actor: str) -> str:
        raise Problem("model-not-found", f"Không dùng được kho mô hình: {self.reason}")


@dataclass
class Services:
    settings: Settings
    store: Store
    access: Access
    extractor: Extractor
    models: ModelWatcher
    registry: Any
    searcher: Searcher | None = None
    index_error: SearchError | None = None
    registry_error: str | None = None
    extras: dict[str, Any] = field(default_factory=dict)
    # index updates that met a busy index, done when it is free (service.index_later)
    deferred_index: DeferredIndexing | None = None

    @property
    def index(self) -> SearchIndex:
        if self.searcher is None:
            raise self.index_error or Problem("search-unavailable")
        return self.searcher.index

    def search(self) -> Searcher:
        """The searcher, fresh: another worker's commits become visible before this search runs (a topic filter
        reads the active model's fields through ``searcher.own_topics``, set by :func:`open_services`)."""
        if self.searcher is None:
            raise self.index_error or Problem("search-unavailable")
        self.searcher.index.reload()
        return self.searcher

    def close(self) -> None:
        if self.deferred_index is not None:
            self.deferred_index.close()
        self.store.close()


def open_registry(data_dir: Path) -> tuple[Any, str | None]:
    try:
        from service.models_adapter import ModelRegistry

        return ModelRegistry(data_dir), None
    except Exception as exc:  # a missing or broken models package must not stop search and upload
        reason = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
        log.error("model registry unavailable: %s", reason)
        return _NoRegistry(reason), reason


# A clerk's write waits this long for an import's hold on the index, then is indexed later (service.index_later)
INDEX_LOCK_WAIT_S = 3.0


def open_services(settings: Settings) -> Services:
    data_dir = Path(settings.data_dir)
    if not (data_dir / DB_FILENAME).is_file():
        # loud: a mistyped VANBAN_DATA_DIR or another working directory starts a second, empty archive (QA)
        log.warning("no archive at %s: starting a new, empty one (check VANBAN_DATA_DIR / --data-dir if "
                    "documents were expected)", data_dir.resolve())  # fmt: skip
    data_dir.mkdir(parents=True, exist_ok=True)
    store = Store.open(data_dir)
    searcher: Searcher | None = None
    index_error: SearchError | None = None
    try:
        searcher = Searcher.open(data_dir, store)
    except IndexMissing as exc:
        index_error = exc
        log.error("no search index at %s although the store has documents: run `vanban index --rebuild`",
                  index_path(data_dir))  # fmt: skip
    except SearchError as exc:
        index_error = exc
        log.error("search index unusable: %s", exc)
    registry, registry_error = open_registry(data_dir)
    watcher = ModelWatcher(registry, poll_s=settings.model_poll_s, lazy=not settings.preload_model)
    watcher.refresh(load=settings.preload_model)
    extractor = Extractor(settings.extraction_timeout_s, settings.max_upload_bytes, settings.extraction_workers)
    services = Services(settings, store, Access(settings), extractor, watcher, registry, searcher, index_error,
                        registry_error)  # fmt: skip
    if searcher is not None:
        from service.taxonomy import taxonomy_of

        services.deferred_index = DeferredIndexing(store, lambda: services.index)
        searcher.index.lock_wait_s = INDEX_LOCK_WAIT_S
        if searcher.index.out_of_step(store):  # started while an import held the index
            services.deferred_index.catch_up()

        searcher.own_topics = lambda: taxonomy_of(services).model_labels  # read on a field filter only
    if index_error is not None:
        log.warning("search disabled: %s", problem_for(index_error).detail)
    return services
