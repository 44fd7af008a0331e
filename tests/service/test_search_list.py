"""The search page's results as a list for Excel (GET /search.csv): every result in the page's order,
Vietnamese columns, UTF-8 with a BOM; the page links to it with its own parameters."""

from __future__ import annotations

import csv
import html
import io
import re

from service.pages.common import doc_type_name
from tests.service.conftest import auth
from tests.service.test_pages import login


def _rows(body: bytes) -> list[list[str]]:
    assert body.startswith("\ufeff".encode())  # Excel reads UTF-8 only with its mark
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_list_holds_every_result_in_the_page_order(client) -> None:
    login(client, "reader")
    page = client.get("/", params={"q": "kế hoạch", "sort": "date"})
    link = html.unescape(re.search(r'class="list-download" href="([^"]+)"', page.text).group(1))
    assert link.startswith("/search.csv?") and "sort=date" in link
    listed = client.get(link)
    assert listed.status_code == 200 and listed.headers["content-type"].startswith("text/csv")
    assert "danh-muc-van-ban-" in listed.headers["content-disposition"]
    rows = _rows(listed.content)
    assert rows[0][:4] == ["STT", "Số ký hiệu", "Ngày ban hành", "Cơ quan ban hành"]
    api = client.get("/api/search", params={"q": "kế hoạch", "sort": "date", "limit": 1000},
                     headers=auth("reader")).json()  # fmt: skip
    assert [r[9] for r in rows[1:]] == [hit["id"] for hit in api["hits"]] and len(rows) - 1 == api["total"] > 10
    first = api["hits"][0]
    assert rows[1][1] == first["number"] and rows[1][10].endswith(f"/documents/{first['id']}")
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4}", rows[1][2])  # dates as a clerk writes them
    assert rows[1][4] == doc_type_name(first["doc_type"]) and rows[1][4][0].isupper()  # names, not slugs


def test_the_list_takes_the_page_filters_and_refuses_a_bad_one_clearly(client) -> None:
    login(client, "reader")
    listed = _rows(client.get("/search.csv", params={"type": "ke-hoach"}).content)
    assert len(listed) > 1 and {r[4] for r in listed[1:]} == {"Kế hoạch"}
    bad = client.get("/search.csv", params={"q": "dịch", "from": "31/02/2024"})
    assert bad.status_code == 422 and "31/02/2024" in bad.text


def test_the_list_needs_a_reader(client) -> None:
    assert client.get("/search.csv", params={"q": "kế hoạch"}, follow_redirects=False).status_code in (303, 401)
