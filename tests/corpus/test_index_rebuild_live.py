"""`vanban index --rebuild` while the service files documents (QA, 2026-11-30: 5 of 6 uploads made during a
rebuild were answered 201 and never searchable: they went to the directory the rebuild replaced)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from corpus.document import Document
from corpus.index import SearchIndex, index_path
from corpus.search import Searcher, SearchRequest
from corpus.store import Store

ISSUER = "Ủy ban nhân dân tỉnh Sông Mây"
DOCS = tuple(
    Document(id=f"tb-{k}", number=f"{k}/TB-UBND", doc_type="thong-bao", issuer=ISSUER, issued_date=date(2025, 3, k),
             title=f"Thông báo lịch tiếp công dân định kỳ tháng {k} năm 2025")
    for k in range(1, 7)
)  # fmt: skip
DURING = Document(id="kh-moi", number="77/KH-UBND", doc_type="ke-hoach", issuer=ISSUER, issued_date=date(2025, 4, 2),
                  title="Kế hoạch phòng, chống hạn hán, xâm nhập mặn mùa khô năm 2025")  # fmt: skip
AFTER = Document(id="qd-sau", number="88/QĐ-UBND", doc_type="quyet-dinh", issuer=ISSUER, issued_date=date(2025, 4, 9),
                 title="Quyết định phê duyệt danh mục dự án chống sạt lở bờ sông")  # fmt: skip


def _found(index: SearchIndex, store: Store, query: str) -> list[str]:
    return [hit.id for hit in Searcher(index, store).search(SearchRequest(query)).hits]


def test_documents_filed_during_and_after_a_rebuild_are_in_the_new_index(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        service_index = SearchIndex.open(index_path(tmp_path))  # the running service's own handle
        detach = service_index.attach(store)
        store.upsert_many(DOCS, actor="import")
        reading = store.iter_documents
        filed: list[str] = []

        def read_while_the_service_files(batch_size: int = 500) -> Iterator[Any]:
            for n, doc in enumerate(reading(batch_size=batch_size)):
                if n == 2 and not filed:  # the rebuild has read part of the store: an upload arrives
                    store.upsert(DURING, actor="uploader")
                    store.delete("tb-6", actor="admin")
                    filed.append(DURING.id)
                yield doc

        store.iter_documents = read_while_the_service_files  # type: ignore[method-assign]
        rebuilt = SearchIndex.rebuild(store, index_path(tmp_path))
        store.iter_documents = reading  # type: ignore[method-assign]
        assert _found(rebuilt, store, "77/KH-UBND") == ["kh-moi"]
        assert _found(rebuilt, store, "6/TB-UBND") == [] and rebuilt.num_docs == 6
        store.upsert(AFTER, actor="uploader")  # through the service's handle, opened before the swap
        detach()
        fresh = SearchIndex.open(index_path(tmp_path))
        assert _found(fresh, store, "88/QĐ-UBND") == ["qd-sau"] and not fresh.out_of_step(store)
