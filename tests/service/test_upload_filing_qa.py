"""Filing uploads (QA, uploader path): two uploads of one document arriving together file it once; review flags; fields.

The duplicate check and the insert run under the data directory's filing lock; the race is forced by
holding back the first upload between its check and its insert, as a slow worker would.
"""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path
from typing import Any

import pytest

from service import documents
from service.documents import read_upload, save_upload
from service.filing_lock import filing_lock
from service.problems import Problem
from tests.service.conftest import auth, make_client

LETTER = (
    "ỦY BAN NHÂN DÂN\nTỈNH SÔNG MÂY\nSố: 600/UBND-VX\nSông Mây, ngày 12 tháng 3 năm 2026\n"
    "V/v tăng cường phòng, chống dịch sốt xuất huyết\n\nKính gửi: Sở Y tế\n\n"
    "Ủy ban nhân dân tỉnh đề nghị Sở Y tế chủ trì tổ chức phun hóa chất diệt muỗi tại các ổ dịch.\n"
)


def _file_twice_at_once(services: Any, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    reading = read_upload(services, text=LETTER)
    checked = threading.Barrier(2, timeout=1)
    real = documents.find_duplicates

    def slow_check(*args: Any) -> Any:
        found = real(*args)
        # Without the lock both checks pass before either insert; with it the second check waits for the
        # first filing, so nobody comes to meet the first here and the barrier breaks.
        with contextlib.suppress(threading.BrokenBarrierError):
            checked.wait()
        return found

    monkeypatch.setattr(documents, "find_duplicates", slow_check)
    outcomes: list[object] = []

    def upload() -> None:
        try:
            outcomes.append(save_upload(services, reading, {}, actor="chi.vanthu"))
        except Problem as problem:
            outcomes.append(problem)

    threads = [threading.Thread(target=upload) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_two_uploads_of_one_letter_file_it_once(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with make_client(data_dir) as client:
        services = client.app.state.services
        outcomes = _file_twice_at_once(services, monkeypatch)
        filed = [o for o in outcomes if not isinstance(o, Problem)]
        refused = [o for o in outcomes if isinstance(o, Problem)]
        assert len(filed) == 1 and len(refused) == 1
        assert refused[0].status == 409
        assert len(services.store.find_by_number("600/UBND-VX")) == 1


def test_the_lock_excludes_a_second_holder(tmp_path: Path) -> None:
    order: list[str] = []

    def second() -> None:
        with filing_lock(tmp_path):
            order.append("second")

    with filing_lock(tmp_path):
        other = threading.Thread(target=second)
        other.start()
        other.join(timeout=0.3)  # it waits for the lock
        order.append("first")
    other.join(timeout=5)
    assert order == ["first", "second"]


def test_each_fields_review_flag_agrees_with_the_service_threshold() -> None:
    # QA: an upload with a topic at 0.47 was listed for review, but its topic said needs_review false
    from nlp.header import parse_header
    from service import models_adapter

    class Fake:
        def classify(self, text: str, **_: object) -> dict:
            return {
                "doc_type": {"label": "cong-van", "confidence": 0.95, "source": "number", "needs_review": False},
                "topic": {"label": "y-te", "confidence": 0.47, "source": "model", "needs_review": False},
                "review_reasons": [],
            }

    tags = models_adapter.classify(Fake(), "v1", LETTER, parse_header(LETTER), threshold=0.6)
    assert tags.topic.needs_review is True and tags.doc_type.needs_review is False
    assert tags.needs_review is True and tags.to_dict()["topic"]["needs_review"] is True


def test_an_unknown_field_is_named_with_the_fields_there_are(data_dir: Path) -> None:
    from tests.service.conftest import assert_problem, auth

    with make_client(data_dir) as client:
        response = client.post("/api/documents", json={"text": LETTER, "chu_de": "y-te"}, headers=auth("uploader"))
        body = assert_problem(response, 422, "invalid-request")
        assert "Không có trường chu_de" in body["detail"] and "topic" in body["detail"]
        assert client.get("/api/search", params={"q": "600/UBND-VX"}, headers=auth("reader")).json()["total"] == 0


def test_an_issuer_written_short_is_the_same_issuer_for_the_duplicate_check(data_dir: Path) -> None:
    from corpus.search_filters import issuer_identity as issuer_key
    from service.documents import find_duplicates

    assert issuer_key("UBND tỉnh Sông Mây") == issuer_key("Ủy ban nhân dân tỉnh Sông Mây")
    assert issuer_key("HĐND tỉnh Sông Mây") != issuer_key("UBND tỉnh Sông Mây")
    with make_client(data_dir) as client:
        services = client.app.state.services
        stored = next(d for d in services.store.iter_documents() if d.number and d.issuer and "Ủy ban" in d.issuer)
        short = stored.issuer.replace("Ủy ban nhân dân", "UBND")
        assert short != stored.issuer
        assert stored.id in [d.id for d in find_duplicates(services, stored.number, short)]


def test_two_provinces_departments_of_one_number_are_not_duplicates(data_dir: Path) -> None:
    # QA: Lào Cai's "Sở Tài chính" letter 2045/STC-QLNS was refused (409) as a duplicate of Quảng Ngãi's
    letter = (
        "ỦY BAN NHÂN DÂN\nTỈNH {province}\nSỞ TÀI CHÍNH\n-------\nSố: 2045/STC-QLNS\n"
        "V/v hướng dẫn lập dự toán ngân sách năm 2026\n\nKính gửi: Các sở, ban, ngành.\n\n"
        "Sở Tài chính hướng dẫn các đơn vị lập dự toán ngân sách nhà nước năm 2026.\n"
    )
    with make_client(data_dir) as client:
        for province, status in (("QUẢNG NGÃI", 201), ("LÀO CAI", 201), ("LÀO CAI", 409)):
            response = client.post("/api/documents", json={"text": letter.format(province=province)},
                                   headers=auth("uploader"))  # fmt: skip
            assert response.status_code == status, (province, response.text)
        # the same province's letter again (last) is still a duplicate; the stored two name their provinces
        found = client.get("/api/search", params={"q": "2045/STC-QLNS"}, headers=auth("reader")).json()
        assert found["total"] == 2


def test_one_number_of_one_body_in_two_years_is_two_documents(data_dir: Path) -> None:
    """QA (2026-11-30): the 21/CT-TTg of 19/06/2024 was refused (409) as a duplicate of the 21/CT-TTg of
    20/05/2026; numbers without a year restart every year. The same year is still a duplicate, said with
    the stored document's date."""
    directive = (
        "THỦ TƯỚNG CHÍNH PHỦ\n-------\nSố: 21/CT-TTg\nHà Nội, ngày {day}\n\nCHỈ THỊ\n{subject}\n\n"
        "Thủ tướng Chính phủ yêu cầu các bộ, ngành, địa phương triển khai quyết liệt các giải pháp.\n\n"
        "THỦ TƯỚNG\nPhạm Minh Chính\n"
    )
    cases = (("20 tháng 5 năm 2026", "Về tăng cường phòng, chống thiên tai năm 2026", 201),
             ("19 tháng 6 năm 2024", "Về đẩy mạnh giải ngân vốn đầu tư công năm 2024", 201),
             ("02 tháng 6 năm 2026", "Về tăng cường phòng, chống thiên tai năm 2026", 409))  # fmt: skip
    with make_client(data_dir) as client:
        for day, subject, status in cases:
            response = client.post("/api/documents", json={"text": directive.format(day=day, subject=subject)},
                                   headers=auth("uploader"))  # fmt: skip
            assert response.status_code == status, (day, response.text)
        assert "Đã có văn bản số 21/CT-TTg ngày 20/05/2026 của Thủ tướng Chính phủ" in response.json()["detail"]


def test_an_upload_the_disk_cannot_hold_is_refused_before_anything_is_written(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA (2026-11-30): on a full disk the document's row was written and its file was not, the clean-up failed
    too, and SQLite's English error with the server's path was shown; the retry met a 409."""
    import shutil
    from collections import namedtuple

    usage = namedtuple("usage", "total used free")
    with make_client(data_dir) as client:
        before = client.get("/readyz").json()["checks"]["store"]["documents"]
        monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(10**9, 10**9 - 5 * 2**20, 5 * 2**20))
        refused = client.post("/api/documents", json={"text": LETTER}, headers=auth("uploader"))
        assert refused.status_code == 507 and refused.json()["code"] == "disk-full"
        assert "còn 5 MB trống" in refused.json()["detail"] and "vanban.sqlite3" not in refused.json()["detail"]
        assert client.get("/readyz").json()["checks"]["store"]["documents"] == before  # nothing half-filed
        monkeypatch.undo()
        assert client.post("/api/documents", json={"text": LETTER}, headers=auth("uploader")).status_code == 201
