"""An index left behind its store (an import killed between storing a batch and indexing it) is brought up to
date when it is opened for the store again, as by the next `vanban import` (QA, 2026-11-29: a re-run left 3,000
stored documents unsearchable, and a topic set while tagging stayed out of the index)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from corpus.document import Document, LabelSource
from corpus.index import SearchIndex
from corpus.search import Searcher, SearchRequest
from corpus.store import Store

DOCS = tuple(
    Document(id=f"kh-{k}", number=f"{k}/KH-UBND", doc_type="ke-hoach", issuer="Ủy ban nhân dân tỉnh Sông Mây",
             issued_date=date(2025, 1, k), title=f"Kế hoạch kiểm tra an toàn thực phẩm đợt {k} năm 2025")
    for k in range(1, 9)
)  # fmt: skip


def _topic_count(index: SearchIndex, store: Store, topic: str) -> int:
    return Searcher(index, store).search(SearchRequest("", topic=topic)).total


def test_an_index_behind_its_store_is_caught_up_when_opened_for_it(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        index = SearchIndex.for_store(store, tmp_path)
        detach = index.attach(store)
        store.upsert_many(DOCS[:3], actor="import")
        detach()
        store.upsert_many(DOCS[3:], actor="import")  # stored, never indexed: the import was killed
        store.set_label("kh-2", "topic", "y-te", source=LabelSource.MODEL, actor="model")  # tagged, not indexed
        assert index.num_docs == 3 and index.out_of_step(store)

        again = SearchIndex.for_store(store, tmp_path)  # the next import opens it
        assert again.num_docs == 8 and not again.out_of_step(store)
        assert _topic_count(again, store, "y-te") == 1


def test_an_index_in_step_is_not_read_through(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        index = SearchIndex.for_store(store, tmp_path)
        index.attach(store)
        store.upsert_many(DOCS, actor="import")
        assert not index.out_of_step(store)
        store.set_label("kh-5", "topic", "y-te", source=LabelSource.HUMAN, actor="chi.vanthu")  # attached: indexed
        assert not index.out_of_step(store)
