"""QA of dates, validity wording, role names and the login redirect as clerks meet them (pages, API, CLI).

Dates are read by one reader (nlp.typed_dates) wherever a clerk types one: the correction form, the upload
form, PATCH /api/documents, the search page and /api/search; in any Unicode form (NFD as macOS sends it).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta
from typing import Any

import pytest

from corpus.errors import InvalidDocument
from corpus.search_errors import QueryError
from corpus.search_filters import parse_day, status_class
from corpus.store_rows import RowPreparer
from nlp.typed_dates import TypedDateError, check_issued_date, parse_typed_date, parse_typed_day
from service.cli import main
from service.commands.index_cmd import vn_seconds
from tests.service.conftest import assert_problem, auth
from tests.service.test_pages import login

NFD_DATE = unicodedata.normalize("NFD", "ngày 5 tháng 3 năm 2024")


def _correction_form(client: Any, token: str, doc_id: str = "demo-001", **changes: str) -> dict[str, str]:
    """The correction form as the page fills it for the document, with ``changes`` typed over it."""
    doc = client.get(f"/api/documents/{doc_id}", headers=auth("reader")).json()
    issued = date.fromisoformat(doc["issued_date"]).strftime("%d/%m/%Y") if doc["issued_date"] else ""
    form = {"csrf_token": token, "doc_type": doc["doc_type"] or "", "topic": doc["topic"] or "",
            "number": doc["number"] or "", "issuer": doc["issuer"] or "", "issued_date": issued,
            "title": doc["title"] or "", "signer": doc["signer"] or "", "status": doc["status"] or ""}  # fmt: skip
    return {**form, **changes}


def _issued(client: Any, doc_id: str = "demo-001") -> str | None:
    return client.get(f"/api/documents/{doc_id}", headers=auth("reader")).json()["issued_date"]


# -- 1. a date typed with decomposed marks (NFD) ---------------------------------------------------------


def test_a_date_in_words_typed_in_nfd_is_read_by_every_reader() -> None:
    assert unicodedata.normalize("NFC", NFD_DATE) != NFD_DATE
    assert parse_typed_date(NFD_DATE) == date(2024, 3, 5)
    assert parse_day(NFD_DATE, "date_from") == date(2024, 3, 5)
    assert RowPreparer.field_value("issued_date", NFD_DATE) == date(2024, 3, 5)


def test_the_search_page_reads_an_nfd_from_date(client):
    login(client, "reader")
    page = client.get("/", params={"q": "kế hoạch", "from": NFD_DATE})
    assert page.status_code == 200 and "không hợp lệ" not in page.text
    assert "Ngày: 05/03/2024 – …" in page.text


# -- 2. one reader of a clerk's date for the API and the pages ---------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["2022-07-13", "13/7/2022", "13-07-2022", "13.7.2022", "ngày 13 tháng 7 năm 2022", "Ngày 13 tháng 07 năm 2022"],
)
def test_every_form_of_a_date_is_one_day(typed: str) -> None:
    assert parse_typed_date(typed) == date(2022, 7, 13)
    assert parse_typed_day(typed, end=True) == date(2022, 7, 13)


def test_partial_dates_are_for_ranges_only() -> None:
    assert parse_typed_day("7/2022") == date(2022, 7, 1) and parse_typed_day("7/2022", end=True) == date(2022, 7, 31)
    assert parse_typed_day("2022", end=True) == date(2022, 12, 31)
    for partial in ("7/2022", "2022"):
        with pytest.raises(TypedDateError):
            parse_typed_date(partial)
    with pytest.raises(TypedDateError) as caught:
        parse_typed_date("31/02/2024")
    assert "không tồn tại" in caught.value.message and "tháng 2 năm 2024 không có ngày 31" in caught.value.message


def test_patch_reads_a_date_as_the_page_does_and_answers_iso(client):
    for typed in ("05/03/2022", "ngày 5 tháng 3 năm 2022", "5.3.2022"):
        response = client.patch("/api/documents/demo-001", json={"issued_date": typed}, headers=auth("uploader"))
        assert response.status_code == 200, response.text
        assert response.json()["issued_date"] == "2022-03-05"
    body = assert_problem(client.patch("/api/documents/demo-001", json={"issued_date": "hôm qua"},
                                       headers=auth("uploader")), 422, "invalid-request")  # fmt: skip
    assert body["errors"][0]["field"] == "issued_date" and "ngày 20 tháng 7 năm 2022" in body["errors"][0]["message"]


def test_api_search_reads_a_date_in_words(client):
    response = client.get("/api/search", params={"q": "kế hoạch", "from": "ngày 13 tháng 7 năm 2022"},
                          headers=auth("reader"))  # fmt: skip
    assert response.status_code == 200, response.text
    by_slash = client.get("/api/search", params={"q": "kế hoạch", "from": "13/7/2022"}, headers=auth("reader"))
    assert response.json()["total"] == by_slash.json()["total"]


@pytest.mark.parametrize(
    ("typed", "stored"), [(NFD_DATE, "2024-03-05"), ("13-07-2022", "2022-07-13"), ("13.7.2022", "2022-07-13")]
)
def test_the_correction_form_reads_what_search_reads(client, typed: str, stored: str):
    token = login(client, "uploader")
    response = client.post("/documents/demo-001/correct", data=_correction_form(client, token, issued_date=typed),
                           follow_redirects=False)  # fmt: skip
    assert response.status_code == 303, response.text[:2000]
    assert _issued(client) == stored


def test_the_date_chip_shows_dates_as_dd_mm_yyyy(client):
    login(client, "reader")
    page = client.get("/", params={"q": "kế hoạch", "from": "13-07-2022", "to": "ngày 13 tháng 7 năm 2022"})
    assert page.status_code == 200
    assert "Ngày: 13/07/2022 – 13/07/2022" in page.text and "13-07-2022 –" not in page.text


# -- 3. plausible issue dates, the wording of validity, the parameter an error names ----------------------


@pytest.mark.parametrize("typed", ["1500-01-01", "2099-01-01", "01/09/1945"])
def test_an_implausible_issue_date_is_refused_with_the_range(client, typed: str):
    before = _issued(client)
    body = assert_problem(client.patch("/api/documents/demo-001", json={"issued_date": typed},
                                       headers=auth("uploader")), 422, "invalid-request")  # fmt: skip
    message = body["errors"][0]["message"]
    assert body["errors"][0]["field"] == "issued_date"
    assert "nằm ngoài khoảng cho phép" in message and "02/09/1945" in message
    assert _issued(client) == before


def test_the_issue_date_range_is_also_the_forms(client):
    token = login(client, "uploader")
    page = client.post("/documents/demo-001/correct", data=_correction_form(client, token, issued_date="01/01/1500"))
    assert page.status_code == 422 and "nằm ngoài khoảng cho phép" in page.text and "02/09/1945" in page.text
    with pytest.raises(InvalidDocument):
        RowPreparer.field_value("issued_date", date(2099, 1, 1))


def test_the_issue_date_bounds() -> None:
    today = date(2026, 11, 29)
    assert check_issued_date(date(1945, 9, 2), today) == date(1945, 9, 2)
    assert check_issued_date(today + timedelta(days=300), today)
    with pytest.raises(TypedDateError) as caught:
        check_issued_date(date(2028, 1, 1), today)
    assert "30/11/2027" in caught.value.message


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("con hieu luc", "Còn hiệu lực"), ("het-hieu-luc", "Hết hiệu lực"), ("CÒN HIỆU LỰC MỘT PHẦN", "Còn hiệu lực một phần"),
     # the clerk's own words, typed with marks, are kept: still partly in force, and filtered so
     ("Hết hiệu lực một phần", "Hết hiệu lực một phần"),
     # words that say more than their class stay as typed (QA: "het hieu luc 1 phan" filed as "Hết hiệu lực")
     ("het hieu luc 1 phan", "het hieu luc 1 phan"), ("ngung hieu luc mot phan", "ngung hieu luc mot phan")],
)  # fmt: skip
def test_a_validity_is_stored_in_its_vietnamese_wording(client, typed: str, stored: str):
    response = client.patch("/api/documents/demo-001", json={"status": typed}, headers=auth("uploader"))
    assert response.status_code == 200, response.text
    assert response.json()["status"] == stored
    assert status_class(stored) == status_class(typed)
    assert status_class("Hết hiệu lực một phần") == status_class("het hieu luc 1 phan") == "hieu-luc-mot-phan"
    assert status_class("Ngưng hiệu lực một phần") == "ngung-hieu-luc"


def test_the_correction_form_stores_the_validity_wording(client):
    token = login(client, "uploader")
    response = client.post("/documents/demo-001/correct", data=_correction_form(client, token, status="chua co hieu luc"),
                           follow_redirects=False)  # fmt: skip
    assert response.status_code == 303
    assert client.get("/api/documents/demo-001", headers=auth("reader")).json()["status"] == "Chưa có hiệu lực"


@pytest.mark.parametrize(
    ("params", "field"),
    [({"type": "thư tình"}, "type"), ({"from": "99/99/2024"}, "from"), ({"to": "tháng mười"}, "to"),
     ({"from": "2023", "to": "2021"}, "from"), ({"sort": "ngẫu nhiên"}, "sort")],
)  # fmt: skip
def test_api_search_errors_name_the_parameter_sent(client, params: dict[str, str], field: str):
    body = assert_problem(client.get("/api/search", params={"q": "kế hoạch", **params}, headers=auth("reader")),
                          422, "invalid-query")  # fmt: skip
    assert body["errors"][0]["field"] == field


def test_the_search_itself_still_names_its_fields() -> None:
    with pytest.raises(QueryError) as caught:
        parse_day("32/13/2024", "date_from")
    assert caught.value.field == "date_from" and 'Ngày "32/13/2024" không hợp lệ' in caught.value.message


# -- 4. Vietnamese for clerks: the role badge, durations ---------------------------------------------------


@pytest.mark.parametrize(("role", "badge"), [("reader", "Đọc"), ("uploader", "Tải lên"), ("admin", "Quản trị")])
def test_the_header_names_the_role_in_vietnamese(client, role: str, badge: str):
    login(client, role)
    page = client.get("/")
    shown = re.search(r'<span class="role role-\w+"[^>]*>([^<]*)</span>', page.text)
    assert shown is not None and shown.group(1) == badge


def test_durations_are_printed_with_a_decimal_comma(data_dir, capsys) -> None:
    assert vn_seconds(7.36) == "7,36 giây" and vn_seconds(0.5) == "0,50 giây"
    assert main(["--data-dir", str(data_dir), "index", "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert re.search(r"\(\d+,\d\d giây\)", printed), printed


# -- 5. a correction posted signed out comes back to its document ----------------------------------------


def test_a_correction_posted_signed_out_returns_to_the_document_after_login(client):
    response = client.post("/documents/demo-001/correct", data={"csrf_token": "x", "topic": "y-te"},
                           headers={"accept": "text/html"}, follow_redirects=False)  # fmt: skip
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fdocuments%2Fdemo-001"


@pytest.mark.parametrize(("name", "value"), [("from", "0000"), ("to", "7/0000"), ("from", "1/1/0000")])
def test_a_year_zero_is_a_clear_error_not_a_crash(client, name: str, value: str):
    response = client.get("/api/search", params={"q": "đất", name: value}, headers=auth("reader"))
    assert response.status_code == 422, response.text
    assert "không có năm 0" in response.json()["detail"]
    login(client, "reader")
    page = client.get("/", params={"q": "đất", name: value})
    assert page.status_code == 422 and "không có năm 0" in page.text


def test_the_far_future_and_a_date_pasted_from_a_header_are_read(client):
    assert client.get("/api/search", params={"q": "đất", "to": "9999"}, headers=auth("reader")).status_code == 200
    assert parse_typed_date("Hà Nội, ngày 5 tháng 3 năm 2024") == parse_typed_date("ngày 5/3/2024") == date(2024, 3, 5)
