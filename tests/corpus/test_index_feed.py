"""Imports index in the background: every change applied in commit order, everything stored is indexed when
the import returns, and a failure reaches the writer instead of vanishing on a thread."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

import corpus.importer
import corpus.index_fields
from corpus.document import Document
from corpus.importer import import_paths
from corpus.index import SearchIndex, index_path
from corpus.index_feed import BackgroundFeed
from corpus.store import Store

DEMO = Path(__file__).resolve().parents[2] / "corpus" / "demo" / "documents.jsonl"


def test_changes_are_applied_in_order_on_another_thread_and_close_waits_for_them() -> None:
    applied: list[tuple[int, str]] = []
    feed = BackgroundFeed(lambda change: applied.append((change, threading.current_thread().name)))
    for change in range(50):
        feed.put(change)
    feed.close()
    assert [change for change, _ in applied] == list(range(50))
    assert {name for _, name in applied} == {"vanban-index-feed"}
    with pytest.raises(RuntimeError, match="closed"):
        feed.put(50)


def test_a_failure_reaches_the_writer_and_later_changes_wait_for_a_retry() -> None:
    applied: list[int] = []

    def apply(change: int) -> None:
        if change == 3:
            raise ValueError("không ghi được chỉ mục")
        applied.append(change)

    feed = BackgroundFeed(apply)
    with pytest.raises(ValueError, match="chỉ mục"):
        for change in range(10):
            feed.put(change)
    with pytest.raises(ValueError, match="chỉ mục"):
        feed.close()
    assert applied == [0, 1, 2]  # nothing after the failure: the index stays a prefix of the store's changes


def test_a_background_import_has_indexed_everything_when_it_returns(
    tmp_path: Path, demo_documents: list[Document], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Batches of ten documents, so that the store runs ahead of the index for most of the import.
    monkeypatch.setattr(corpus.importer, "BATCH_SIZE", 10)
    first_id = json.loads(DEMO.read_text(encoding="utf-8").splitlines()[0])["id"]
    with Store.open(tmp_path / "data") as store:
        index = SearchIndex.for_store(store, tmp_path / "data")
        detach = index.attach(store, background=True)
        try:
            report = import_paths(store, [DEMO], progress=False)
        finally:
            detach()
        assert report.inserted == len(demo_documents) and not report.errors
        assert set(index.indexed_versions()) == set(store.ids())
        stored = {d.id: d for d in store.iter_documents(batch_size=100)}
    reopened = SearchIndex.open(index_path(tmp_path / "data"))
    assert reopened.num_docs == len(stored)  # committed, seen by a new reader
    assert first_id in stored


def test_an_indexing_failure_during_a_background_import_is_raised_by_detach(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("boom")

    monkeypatch.setattr(corpus.index_fields, "analyze_documents", broken)
    monkeypatch.setattr("corpus.index.analyze_documents", broken)
    with Store.open(tmp_path / "data") as store:
        index = SearchIndex.for_store(store, tmp_path / "data")
        detach = index.attach(store, background=True)
        with pytest.raises(RuntimeError, match="boom"):
            try:
                import_paths(store, [DEMO], progress=False)
            finally:
                detach()
        assert store.count() > 0  # the store, the system of record, kept what it committed
        assert index.num_docs == 0
