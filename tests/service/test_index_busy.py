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
