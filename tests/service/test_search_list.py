"""The search page's results as a list (GET /search.xlsx, /search.csv): every result in the page's order,
Vietnamese columns; the workbook types its cells (text never a formula, dates as dates), the CSV is UTF-8 with
a BOM and neutralises cells a spreadsheet would run as formulas."""

from __future__ import annotations

import csv
import html
import io
import re
import zipfile
from datetime import date, timedelta
from xml.etree import ElementTree

from service.pages.common import doc_type_name
from tests.service.conftest import auth
from tests.service.test_pages import login

_NS = {"x": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def _csv_rows(body: bytes) -> list[list[str]]:
    assert body.startswith("\ufeff".encode())  # Excel reads UTF-8 only with its mark
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def _sheet_rows(body: bytes) -> list[list[tuple[str | None, str]]]:
    """(cell type or style, value) of each cell of the workbook's one sheet, row by row."""
    with zipfile.ZipFile(io.BytesIO(body)) as package:
        assert "xl/styles.xml" in package.namelist()
        sheet = ElementTree.fromstring(package.read("xl/worksheets/sheet1.xml"))
    rows = []
    for row in sheet.iterfind(".//x:sheetData/x:row", _NS):
        cells = []
        for cell in row.iterfind("x:c", _NS):
            if cell.get("t") == "inlineStr":
                cells.append(("text", "".join(cell.itertext())))
            else:
                cells.append((cell.get("s"), cell.findtext("x:v", "", _NS)))
        rows.append(cells)
    return rows


def test_the_workbook_holds_every_result_in_the_page_order(client) -> None:
    login(client, "reader")
    page = client.get("/", params={"q": "kế hoạch", "sort": "date"})
    link = html.unescape(re.search(r'class="list-download" href="([^"]+)"', page.text).group(1))
    assert link.startswith("/search.xlsx?") and "sort=date" in link
    listed = client.get(link)
    assert listed.status_code == 200 and listed.headers["content-type"].endswith("spreadsheetml.sheet")
    assert "danh-muc-van-ban-" in listed.headers["content-disposition"]
    rows = _sheet_rows(listed.content)
    assert [value for _, value in rows[0][:4]] == ["STT", "Số ký hiệu", "Ngày ban hành", "Cơ quan ban hành"]
    api = client.get("/api/search", params={"q": "kế hoạch", "sort": "date", "limit": 1000},
                     headers=auth("reader")).json()  # fmt: skip
    assert len(rows) - 1 == api["total"] > 10
    first = api["hits"][0]
    number, day, kind = rows[1][1], rows[1][2], rows[1][4]
    assert number == ("text", first["number"]) and kind == ("text", doc_type_name(first["doc_type"]))
    assert day[0] == "2"  # the date style (dd/mm/yyyy), a serial day: a date in any locale
    assert (date(1899, 12, 30) + timedelta(days=int(day[1]))).isoformat() == first["issued_date"]
    ids = [next(v for i, (_, v) in enumerate(row) if i == 9) for row in rows[1:]]
    assert ids == [hit["id"] for hit in api["hits"]]


def test_the_csv_list_takes_the_page_filters_and_refuses_a_bad_one_clearly(client) -> None:
    login(client, "reader")
    listed = _csv_rows(client.get("/search.csv", params={"type": "ke-hoach"}).content)
    assert listed[0][:3] == ["STT", "Số ký hiệu", "Ngày ban hành"]
    assert len(listed) > 1 and {r[4] for r in listed[1:]} == {"Kế hoạch"}
    assert all(re.fullmatch(r"(\d{2}/\d{2}/\d{4})?", r[2]) for r in listed[1:])
    for suffix in ("csv", "xlsx"):
        bad = client.get(f"/search.{suffix}", params={"q": "dịch", "from": "31/02/2024"})
        assert bad.status_code == 422 and "31/02/2024" in bad.text


def test_a_title_that_looks_like_a_formula_stays_text(client) -> None:
    """QA: an uploader's title "=HYPERLINK(…)" reached every reader's Excel as a formula."""
    doc_id = client.get("/api/search", params={"q": "kế hoạch"}, headers=auth("reader")).json()["hits"][0]["id"]
    planted = {"title": '=HYPERLINK("http://evil.example/x","Xem văn bản")', "signer": "+84 912 345 678"}
    assert client.patch(f"/api/documents/{doc_id}", json=planted, headers=auth("uploader")).status_code == 200
    login(client, "reader")
    row = next(r for r in _csv_rows(client.get("/search.csv", params={"q": "HYPERLINK"}).content) if r[9] == doc_id)
    assert row[6] == "'" + planted["title"] and row[8] == "'+84 912 345 678"
    cells = _sheet_rows(client.get("/search.xlsx", params={"q": "HYPERLINK"}).content)[1]
    assert cells[6] == ("text", planted["title"])  # an inline string: never evaluated


def test_the_lists_need_a_reader(client) -> None:
    for suffix in ("csv", "xlsx"):
        response = client.get(f"/search.{suffix}", params={"q": "kế hoạch"}, follow_redirects=False)
        assert response.status_code in (303, 401)


def test_the_page_and_its_lists_take_every_type_given(client) -> None:
    """QA: /?type=qd&type=kh showed the kế hoạch only (the API took both)."""
    login(client, "reader")
    api = client.get("/api/search", params={"q": "*", "type": "qd,kh"}, headers=auth("reader")).json()["total"]
    page = client.get("/", params=[("type", "qd"), ("type", "kh")])
    assert f"<strong>{api}</strong>" in page.text or f"{api} văn bản" in page.text
    listed = _csv_rows(client.get("/search.csv", params=[("type", "qd"), ("type", "kh")]).content)
    assert len(listed) - 1 == api and {r[4] for r in listed[1:]} == {"Quyết định", "Kế hoạch"}
