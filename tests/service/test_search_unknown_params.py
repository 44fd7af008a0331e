"""``GET /api/search`` refuses query parameters it does not read: a misspelt filter must not silently widen a
search."""

from __future__ import annotations

from service.api.search import PARAMETERS
from tests.service.conftest import assert_problem, auth


def test_a_misspelt_filter_is_a_422_naming_it_and_the_accepted_parameters(client) -> None:
    params = {"q": "kế hoạch", "tpye": "ke-hoach"}
    body = assert_problem(
        client.get("/api/search", params=params, headers=auth("reader")), 422, "invalid-query"
    )
    assert '"tpye"' in body["detail"] and 'có phải "type"?' in body["detail"]
    assert "q, type, topic, issuer, status, from, to, sort, limit, offset" in body["detail"]
    assert body["errors"] == [{"field": "tpye", "message": body["detail"]}]


def test_same_shape_as_a_bad_filter_value(client) -> None:
    bad_key = client.get("/api/search", params={"q": "x", "tpye": "ke-hoach"}, headers=auth("reader"))
    bad_value = client.get("/api/search", params={"q": "x", "type": "khong-co"}, headers=auth("reader"))
    assert bad_key.status_code == bad_value.status_code == 422
    assert bad_key.headers["content-type"] == bad_value.headers["content-type"]
    assert set(bad_key.json()) == set(bad_value.json())


def test_the_library_long_names_are_not_api_names(client) -> None:
    # doc_type / date_from are SearchRequest's names; the API's are type / from. Before, doc_type=… was
    # ignored and the search ran unfiltered.
    params = {"q": "", "doc_type": "ke-hoach", "date_from": "2022"}
    body = assert_problem(
        client.get("/api/search", params=params, headers=auth("reader")), 422, "invalid-query"
    )
    assert '"doc_type" (có phải "type"?)' in body["detail"] and '"date_from"' in body["detail"]


def test_every_accepted_parameter_still_works(client) -> None:
    params = {"q": "kế hoạch", "type": "KH", "topic": "y tế", "issuer": "UBND", "status": "còn hiệu lực",
              "from": "2020", "to": "31/12/2026", "sort": "date", "limit": 5, "offset": 0}  # fmt: skip
    assert set(params) == set(PARAMETERS)
    response = client.get("/api/search", params=params, headers=auth("reader"))
    assert response.status_code == 200, response.text
    assert all(h["doc_type"] == "ke-hoach" and h["topic"] == "y-te" for h in response.json()["hits"])


def test_the_accepted_list_is_what_the_route_declares(client) -> None:
    parameters = client.get("/openapi.json").json()["paths"]["/api/search"]["get"]["parameters"]
    assert {p["name"] for p in parameters if p["in"] == "query"} == set(PARAMETERS)


def test_authentication_comes_first(client) -> None:
    assert client.get("/api/search", params={"q": "x", "tpye": "ke-hoach"}).status_code == 401


def test_a_list_filter_given_twice_takes_both_values_and_a_single_one_is_refused(client) -> None:
    """QA: type=qd&type=kh used only kh, silently."""
    both = client.get("/api/search", params=[("q", "*"), ("type", "qd"), ("type", "kh"), ("limit", "100")],
                      headers=auth("reader")).json()  # fmt: skip
    joined = client.get("/api/search", params={"q": "*", "type": "qd,kh", "limit": "100"}, headers=auth("reader")).json()
    assert both["total"] == joined["total"] and {h["doc_type"] for h in both["hits"]} == {"quyet-dinh", "ke-hoach"}
    twice = client.get("/api/search", params=[("q", "kế hoạch"), ("q", "quyết định")], headers=auth("reader"))
    assert twice.status_code == 422 and "chỉ nhận một giá trị" in twice.json()["detail"]
