"""GET /api/search: the CLI's query language and JSON over HTTP."""

from __future__ import annotations

from corpus.search import Searcher, SearchRequest
from corpus.store import Store
from tests.service.conftest import assert_problem, auth


def test_search_without_diacritics_finds_highlighted_hits(client):
    response = client.get("/api/search", params={"q": "tiep cong dan"}, headers=auth("reader"))
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= {"total", "hits", "facets"}
    assert body["total"] >= 1
    first = body["hits"][0]
    assert set(first) >= {"id", "number", "title", "doc_type", "topic", "issuer", "issued_date", "score", "highlights"}
    marked = (first["highlights"]["title"] or "") + " ".join(first["highlights"]["text"])
    assert "<mark>" in marked and "tiếp" in marked.lower()
    assert set(body["facets"]) >= {"doc_type", "topic", "issuer"}


def test_same_json_as_the_library(client, data_dir):
    response = client.get("/api/search", params={"q": "khen thuong", "limit": 5}, headers=auth("reader"))
    with Store.open(data_dir) as store:
        expected = Searcher.open(data_dir, store).search(SearchRequest("khen thuong", limit=5)).to_dict()
    body = response.json()
    body.pop("took_ms"), expected.pop("took_ms")
    assert body == expected


def test_number_typed_loosely_comes_first(client):
    body = client.get("/api/search", params={"q": "03 ct ubnd"}, headers=auth("reader")).json()
    assert body["hits"][0]["number"] == "03/CT-UBND"


def test_filters_paging_and_sort_by_date(client):
    params = {"q": "kế hoạch", "type": "KH", "sort": "date", "limit": 3}
    first = client.get("/api/search", params=params, headers=auth("reader")).json()
    assert first["total"] > 3 and len(first["hits"]) == 3
    assert all(h["doc_type"] == "ke-hoach" for h in first["hits"])
    dates = [h["issued_date"] for h in first["hits"]]
    assert dates == sorted(dates, reverse=True)
    second = client.get("/api/search", params={**params, "offset": 3}, headers=auth("reader")).json()
    assert not {h["id"] for h in first["hits"]} & {h["id"] for h in second["hits"]}
    assert second["hits"][0]["issued_date"] <= dates[-1]


def test_date_range_and_topic_filter(client):
    body = client.get(
        "/api/search", params={"q": "", "topic": "y-te", "from": "2025-01-01", "to": "31/12/2025"},
        headers=auth("reader"),
    ).json()
    assert body["total"] >= 1
    assert all(h["topic"] == "y-te" and h["issued_date"].startswith("2025") for h in body["hits"])


def test_bad_requests_are_vietnamese_problems(client):
    body = assert_problem(client.get("/api/search", params={"q": "x", "sort": "ngau-nhien"}, headers=auth("reader")),
                          422, "invalid-query")
    assert body["errors"][0]["field"] == "sort"
    body = assert_problem(client.get("/api/search", params={"q": "x", "from": "31/02/2024"}, headers=auth("reader")),
                          422, "invalid-query")
    assert "ngày" in body["detail"].lower()
    body = assert_problem(client.get("/api/search", params={"q": "x", "limit": "nhieu"}, headers=auth("reader")),
                          422, "invalid-request")
    assert body["errors"][0] == {"field": "limit", "message": "phải là số nguyên"}
    # a query of 10,000 characters and an issuer of 301: refused by name, before any analysis
    body = assert_problem(client.get("/api/search", params={"q": "x" * 10_000}, headers=auth("reader")),
                          422, "invalid-request")
    assert body["errors"] == [{"field": "q", "message": "quá dài (tối đa 2000 ký tự)"}]
    body = assert_problem(client.get("/api/search", params={"q": "x", "issuer": "ủy " * 101}, headers=auth("reader")),
                          422, "invalid-request")
    assert body["errors"][0]["field"] == "issuer"
    assert client.get("/api/search", params={"q": "kế hoạch", "limit": " 3 "}, headers=auth("reader")).status_code == 200
    assert_problem(client.get("/api/search", params={"q": "x", "type": "khong-co"}, headers=auth("reader")),
                   422, "invalid-query")
    assert_problem(client.get("/api/search", params={"q": "  "}, headers=auth("reader")), 422, "invalid-query")
