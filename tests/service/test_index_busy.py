"""A write that meets a busy index is filed and indexed as soon as the index is free (QA, 2026-11-30: while
`vanban import` held the index, uploads were answered 503 although stored, their retry met a 409, and they
stayed out of search until a restart; deletions and corrections likewise)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import corpus.index
import service.index_later
import service.services
from corpus.index import SearchIndex, index_path
from tests.service.conftest import auth, make_client

LETTER = (
    "ỦY BAN NHÂN DÂN\nTỈNH SÔNG MÂY\nSố: 4411/UBND-KT\nSông Mây, ngày 3 tháng 4 năm 2026\n"
    "V/v kiểm tra an toàn đập, hồ chứa thủy lợi trước mùa mưa lũ\n\nKính gửi: Sở Nông nghiệp và Môi trường\n\n"
    "Ủy ban nhân dân tỉnh đề nghị Sở chủ trì kiểm tra an toàn các đập, hồ chứa thủy lợi trên địa bàn.\n"
)


def _total(client, query: str) -> int:
    return client.get("/api/search", params={"q": query}, headers=auth("reader")).json()["total"]


def _eventually(check, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


def test_writes_during_a_busy_index_are_filed_then_indexed(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(corpus.index, "_LOCK_WAIT_S", 0.3)
    monkeypatch.setattr(service.services, "INDEX_LOCK_WAIT_S", 0.3)
    monkeypatch.setattr(service.index_later, "RETRY_S", 0.1)
    other = SearchIndex.open(index_path(data_dir))  # another process's writer (an import) holds the lock
    with make_client(data_dir) as client:
        demo = client.get("/api/search", params={"q": "kế hoạch"}, headers=auth("reader")).json()["hits"][0]["id"]
        with other._writing():
            filed = client.post("/api/documents", json={"text": LETTER}, headers=auth("uploader"))
            assert filed.status_code == 201, filed.text
            doc_id = filed.json()["document"]["id"]
            assert client.delete(f"/api/documents/{demo}", headers=auth("admin")).status_code in (200, 204)
            assert _total(client, "4411/UBND-KT") == 0  # not yet: the index is held
            assert client.app.state.services.deferred_index.pending == 2
            index_check = client.get("/readyz").json()["checks"]["index"]
            assert index_check["pending"] == 2 and index_check["in_step"] is False and index_check["ok"]
            again = client.post("/api/documents", json={"text": LETTER}, headers=auth("uploader"))
            assert again.status_code == 409  # filed once: the first answer said so truthfully
        assert _eventually(lambda: _total(client, "4411/UBND-KT") == 1)
        hits = client.get("/api/search", params={"q": "4411/UBND-KT"}, headers=auth("reader")).json()["hits"]
        assert hits[0]["id"] == doc_id
        assert _eventually(lambda: client.app.state.services.deferred_index.pending == 0)
        ids = {h["id"] for h in client.get("/api/search", params={"q": "kế hoạch", "limit": 100},
                                           headers=auth("reader")).json()["hits"]}  # fmt: skip
        assert demo not in ids
        index_check = client.get("/readyz").json()["checks"]["index"]
        assert index_check["pending"] == 0 and index_check["in_step"] is True


def test_a_failing_index_write_is_retried_and_later_writes_queue_at_once(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA (2026-11-30): an index write that failed for another reason than a busy lock (a full disk) answered
    500 for a stored upload, never indexed; writes during a busy period waited 3 s each, one after another."""
    monkeypatch.setattr(service.index_later, "RETRY_S", 0.1)
    with make_client(data_dir) as client:
        services = client.app.state.services
        real_upsert = type(services.index).upsert
        failing = {"on": True}

        def upsert(self, docs, workers=None):  # the disk is full for the first attempts
            if failing["on"]:
                raise ValueError("No space left on device")
            return real_upsert(self, docs, workers)

        monkeypatch.setattr(type(services.index), "upsert", upsert)
        filed = client.post("/api/documents", json={"text": LETTER}, headers=auth("uploader"))
        assert filed.status_code == 201, filed.text
        assert services.deferred_index.pending == 1
        started = time.monotonic()
        second = client.post("/api/documents", json={"text": LETTER.replace("4411", "4412")}, headers=auth("uploader"))
        assert second.status_code == 201 and time.monotonic() - started < 2.0  # queued at once
        assert services.deferred_index.pending == 2
        failing["on"] = False
        assert _eventually(lambda: _total(client, "4411/UBND-KT") == 1 and _total(client, "4412/UBND-KT") == 1)


def test_the_service_starts_while_an_import_holds_the_index_and_catches_up_after(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA (2026-11-30): a restart with stored documents the index lacked waited 30 s for the import's lock and
    exited; now it serves, says the index is behind, and catches up when the lock is free."""
    from corpus.document import Document
    from corpus.store import Store
    from service.bootstrap import prepare_index

    monkeypatch.setattr(corpus.index, "_LOCK_WAIT_S", 0.3)
    monkeypatch.setattr(service.services, "INDEX_LOCK_WAIT_S", 0.3)
    monkeypatch.setattr(service.index_later, "RETRY_S", 0.1)
    with Store.open(data_dir) as store:  # stored while the service was down, never indexed
        store.upsert(Document(id="cho-1", number="4413/UBND-KT", title="Về việc kiểm tra an toàn đập Phước Hòa"),
                     actor="import")  # fmt: skip
    held = SearchIndex.open(index_path(data_dir))._writing()
    held.__enter__()  # an import's writer
    try:
        with Store.open(data_dir) as store:
            assert prepare_index(store, data_dir, lambda message: None) == (0, False)  # no exit: serve on
        with make_client(data_dir) as client:
            assert client.get("/readyz").json()["checks"]["index"]["in_step"] is False
            assert _total(client, "4413/UBND-KT") == 0
            held.__exit__(None, None, None)  # the import ends; the same service catches up by itself
            held = None
            assert _eventually(lambda: _total(client, "4413/UBND-KT") == 1)
            assert client.get("/readyz").json()["checks"]["index"]["in_step"] is True
    finally:
        if held is not None:
            held.__exit__(None, None, None)
