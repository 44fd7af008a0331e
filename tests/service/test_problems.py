"""Errors at the boundary: problem+json everywhere, nothing a client sends brings a worker down."""

from __future__ import annotations

import pytest

from corpus.errors import DocumentNotFound, InvalidDocument
from corpus.search_errors import IndexBusy, QueryError
from nlp.extract_errors import NoTextLayer
from service.extraction import Extractor
from service.problems import Problem, problem_for
from tests.service.conftest import assert_problem, auth, make_client


def test_domain_errors_map_to_statuses():
    assert problem_for(DocumentNotFound("x")).status == 404
    assert problem_for(InvalidDocument("issued_date", "ngày không tồn tại")).status == 422
    assert problem_for(QueryError("bad", "Truy vấn sai", "sort")).status == 422
    assert problem_for(IndexBusy("/tmp/i", 30)).status == 503
    problem = problem_for(NoTextLayer(pages=2))
    assert (problem.status, problem.code) == (422, "no-text-layer")
    assert problem_for(RuntimeError("boom")).status == 500


def test_unknown_routes_and_methods(client):
    assert_problem(client.get("/api/khong-co", headers=auth("reader")), 404, "not-found")
    assert_problem(client.put("/api/documents/demo-001", headers=auth("admin")), 405, "method-not-allowed")


def test_a_crash_in_a_handler_is_a_500_problem_and_the_worker_goes_on(data_dir):
    with make_client(data_dir) as client:
        def explode() -> None:
            raise RuntimeError("lỗi lập trình giả lập")

        client.app.add_api_route("/api/thu-loi", explode)
        body = assert_problem(client.get("/api/thu-loi"), 500, "internal-error")
        assert "lập trình" not in body["detail"]  # internals stay in the log
        assert client.get("/healthz").status_code == 200


def test_hostile_inputs_never_crash(client):
    h = auth("uploader")
    for params in ({"q": "\x00\x01"}, {"q": "a" * 5000}, {"q": '"""'}, {"q": "-"}, {"limit": "-5", "q": "x"},
                   {"q": "x", "offset": "99999999999"}, {"q": "x", "from": "2024-13-45"}):  # fmt: skip
        response = client.get("/api/search", params=params, headers=auth("reader"))
        assert response.status_code in (200, 422), (params, response.text)
    for payload in (b"\x00" * 100, "Số: ".encode() * 1000, bytes(range(256)) * 50):
        response = client.post("/api/documents", files={"file": ("x.txt", payload)}, headers=h)
        assert response.status_code in (201, 415, 422), response.text
    response = client.post("/api/documents", content=b"--x\r\nbroken", headers={**h,
                           "content-type": "multipart/form-data; boundary=x"})  # fmt: skip
    assert response.status_code == 422
    assert client.get("/api/documents/%2e%2e%2fetc", headers=auth("reader")).status_code == 404
    assert client.get("/healthz").status_code == 200


def test_extraction_is_killed_at_the_time_limit(fixtures_dir):
    extractor = Extractor(timeout_s=0.05, max_bytes=20 << 20, grace_s=0.0)
    with pytest.raises(Problem) as caught:
        extractor.extract((fixtures_dir / "chi-thi-so-21-ct-ttg-469580.pdf").read_bytes(), "chi-thi.pdf")
    assert caught.value.code == "extraction-timeout" and caught.value.status == 422
    assert "chi-thi.pdf" in caught.value.detail


def test_validation_messages_are_vietnamese(client):
    body = assert_problem(client.patch("/api/documents/demo-001", json={"issued_date": "hom qua"},
                                       headers=auth("uploader")), 422, "invalid-request")  # fmt: skip
    assert body["errors"][0]["field"] == "issued_date"
    assert "ngày" in body["errors"][0]["message"]
