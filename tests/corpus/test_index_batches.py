"""Indexing a batch feeds tantivy document by document: every document lands, and a batch that fails
half-way is rolled back whole without costing the batches before or after it."""

from __future__ import annotations

from pathlib import Path

import pytest

import corpus.index_fields
from corpus.document import Document
from corpus.importer import import_paths
from corpus.index import SearchIndex, index_path
from corpus.store import Store

DEMO = Path(__file__).resolve().parents[2] / "corpus" / "demo" / "documents.jsonl"


def _indexed_ids(index: SearchIndex) -> set[str]:
    return set(index.indexed_versions())


def test_an_import_indexes_every_stored_document(tmp_path: Path, demo_documents: list[Document]) -> None:
    with Store.open(tmp_path) as store:
        index = SearchIndex.for_store(store, tmp_path)
        detach = index.attach(store)
        report = import_paths(store, [DEMO], progress=False)
        detach()
        assert report.inserted == len(demo_documents) and not report.errors
        assert _indexed_ids(index) == set(store.ids())
        fresh = SearchIndex.rebuild(store, index_path(tmp_path / "rebuilt"), workers=1)
        assert _indexed_ids(fresh) == set(store.ids())


def test_a_failing_batch_is_rolled_back_whole_and_the_others_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, demo_documents: list[Document]
) -> None:
    docs = demo_documents
    first, failing, last = docs[:30], docs[30:60], docs[60:]
    index = SearchIndex.open(index_path(tmp_path))
    assert index.upsert(first, workers=1) == len(first)

    real = corpus.index_fields.tantivy_document  # made per document, just before it goes to the writer
    bad = failing[len(failing) // 2].id

    def broken(doc: Document, *args: object) -> object:
        if doc.id == bad:
            raise RuntimeError("boom")
        return real(doc, *args)

    monkeypatch.setattr(corpus.index_fields, "tantivy_document", broken)
    with pytest.raises(RuntimeError, match="boom"):
        index.upsert(failing, workers=1)  # half of it was already handed to the writer
    monkeypatch.setattr(corpus.index_fields, "tantivy_document", real)
    assert _indexed_ids(index) == {d.id for d in first}  # nothing of the failed batch was committed

    # The writer and its lock were released: the next batches (and a retry of the failed one) go in.
    assert index.upsert(last, workers=1) == len(last)
    assert index.upsert(failing, workers=1) == len(failing)
    assert _indexed_ids(index) == {d.id for d in docs}
    assert SearchIndex.open(index_path(tmp_path)).num_docs == len(docs)  # durable: seen on reopening
