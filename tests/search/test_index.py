"""The index: manifest and versions, durable incremental writes, store listener, rebuild and sync."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from corpus.document import Document
from corpus.index import MANIFEST_NAME, SearchIndex, index_path
from corpus.search import Searcher, SearchRequest
from corpus.search_errors import IndexMissing, IndexOutdated
from corpus.store import Store
from tests.search import DOCS, build


def _ids(searcher: Searcher, query: str) -> list[str]:
    return [h.id for h in searcher.search(SearchRequest(query, limit=50)).hits]


def test_new_index_records_the_analyser_and_reopens(tmp_path: Path) -> None:
    index = SearchIndex.open(tmp_path / "index")
    manifest = json.loads((tmp_path / "index" / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert manifest["analyzer"].startswith("vanban-analyzer-") and manifest["schema_version"] >= 1
    assert SearchIndex.open(tmp_path / "index").manifest.build_id == index.manifest.build_id


def test_missing_index_is_not_created_when_asked_not_to(tmp_path: Path) -> None:
    with pytest.raises(IndexMissing) as err:
        SearchIndex.open(tmp_path / "index", create=False)
    assert "vanban index --rebuild" in err.value.message


@pytest.mark.parametrize("change", ["analyzer", "schema_version", "delete"])
def test_mismatched_or_unknown_build_refuses_and_says_rebuild(tmp_path: Path, change: str) -> None:
    path = tmp_path / "index"
    SearchIndex.open(path)
    manifest_file = path / MANIFEST_NAME
    if change == "delete":
        manifest_file.unlink()
    else:
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
        manifest[change] = "vanban-analyzer-0+old" if change == "analyzer" else 0
        manifest_file.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(IndexOutdated) as err:
        SearchIndex.open(path)
    assert "rebuild" in str(err.value) and "rebuild" in err.value.message


def test_writes_are_visible_when_the_call_returns(tmp_path: Path) -> None:
    index = SearchIndex.open(tmp_path / "index")
    searcher = Searcher(index)
    index.upsert([DOCS[0]])
    assert _ids(searcher, "phòng chống dịch trường học") == ["kh-2022"]
    index.upsert([DOCS[0].replace(title="Kế hoạch tiêm chủng vắc xin cho học sinh")])
    assert _ids(searcher, "phòng chống dịch trường học") == []
    assert _ids(searcher, "tiem chung vac xin") == ["kh-2022"]  # updated, not duplicated
    assert index.num_docs == 1
    index.delete(["kh-2022"])
    assert index.num_docs == 0 and _ids(searcher, "tiem chung") == []


def test_commits_are_durable_and_the_writer_lock_is_released(tmp_path: Path) -> None:
    first = SearchIndex.open(tmp_path / "index")
    first.upsert(DOCS[:3])
    second = SearchIndex.open(tmp_path / "index")  # as another process would
    second.upsert(DOCS[3:5])
    assert SearchIndex.open(tmp_path / "index").num_docs == 5


def test_index_follows_the_store(tmp_path: Path) -> None:
    searcher = build(tmp_path)
    store = searcher.store
    assert searcher.index.num_docs == len(DOCS)
    store.upsert(
        Document(
            id="moi", number="7/TB-UBND", title="Thông báo lịch tiếp công dân tháng 8", doc_type="thong-bao"
        ),
        actor="test",
    )
    assert _ids(searcher, "lịch tiếp công dân") == ["moi"]
    store.delete("moi", actor="test")
    # no document holds every word now: the search falls back to those holding half of them, and says so
    after = searcher.search(SearchRequest("lich tiep cong dan"))
    assert after.relaxed and "moi" not in [h.id for h in after.hits]


def test_rebuild_and_sync_from_the_store(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    store.upsert_many(DOCS, actor="test")  # stored without an index listening
    path = index_path(tmp_path)
    (tmp_path / "index.tmp-crashed").mkdir()  # what a crashed rebuild leaves behind
    index = SearchIndex.rebuild(store, path, workers=1)
    assert index.num_docs == len(DOCS) and not (tmp_path / "index.tmp-crashed").exists()
    assert _ids(Searcher(index, store), "3637/UBND-VX") == ["cv-3637"]
    # later changes made while nobody was listening: sync catches up incrementally
    store.upsert(DOCS[0].replace(title="Kế hoạch tiêm chủng mở rộng"), actor="test")
    store.delete("ct-01", actor="test")
    store.upsert(
        Document(id="moi", title="Thông báo lịch tiếp công dân", issued_date=date(2024, 1, 2)), actor="t"
    )
    report = SearchIndex.open(path).sync(store)
    assert (report.indexed, report.deleted, report.total) == (2, 1, len(DOCS))
    searcher = Searcher(SearchIndex.open(path), store)
    assert _ids(searcher, "tiêm chủng mở rộng") == ["kh-2022"]
    assert _ids(searcher, "01/CT-UBND") == ["dt743"]  # only the plan that cites it is left
    assert SearchIndex.open(path).sync(store).indexed == 0  # nothing left to do


def test_for_store_indexes_what_the_store_already_holds(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        store.upsert_many(DOCS[:4], actor="test")
        index = SearchIndex.for_store(store, tmp_path)
        assert index.num_docs == 4
        detach = index.attach(store)
        store.upsert(DOCS[4], actor="test")
        detach()
        store.upsert(DOCS[5], actor="test")  # detached: not indexed until the next sync
        assert index.num_docs == 5


def test_a_rebuild_by_another_process_is_picked_up_on_reload(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        store.upsert_many(DOCS[:3], actor="test")
        serving = SearchIndex.for_store(store, tmp_path)  # the service's index
        store.upsert_many(DOCS[3:6], actor="test")  # imported without it listening
        SearchIndex.rebuild(store, index_path(tmp_path), workers=1)  # `vanban index --rebuild` elsewhere
        assert serving.num_docs == 3
        serving.reload()
        assert serving.num_docs == 6 and _ids(Searcher(serving, store), "3637 ubnd vx") == ["cv-3637"]
