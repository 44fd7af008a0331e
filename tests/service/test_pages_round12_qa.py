"""The clerk pages after QA's review of 2026-11-30: signing in comes back to the page as it was, a form's
address opened as a page leads somewhere useful, the system's accounts and review reasons read as Vietnamese,
counts carry thousands separators, and a document stored twice says so on its page."""

from __future__ import annotations

import re
from datetime import date
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from corpus.document import Document
from corpus.importer import import_paths
from corpus.index import SearchIndex, index_path
from corpus.store import Store
from models.classify import below
from service.pages.common import vn_int
from tests.service.conftest import make_client
from tests.service.test_pages import login


def test_the_sign_in_link_keeps_the_query_of_the_page(data_dir: Path) -> None:
    with make_client(data_dir, local_mode=True) as client:
        page = client.get("/", params={"q": "phòng chống thiên tai", "type": "ke-hoach"}).text
        link = unescape(re.search(r'href="(/login\?next=[^"]+)"', page).group(1))
        form = client.get(link).text
        back = urlsplit(unescape(re.search(r'name="next" value="([^"]+)"', form).group(1)))
        assert back.path == "/" and parse_qs(back.query) == {"q": ["phòng chống thiên tai"], "type": ["ke-hoach"]}


def test_form_addresses_opened_as_pages_lead_to_their_pages(client) -> None:
    login(client, "admin")
    doc_id = client.get("/api/search", params={"q": "kế hoạch"}).json()["hits"][0]["id"]
    for path, target in ((f"/documents/{doc_id}/correct", f"/documents/{doc_id}"),
                         (f"/documents/{doc_id}/delete", f"/documents/{doc_id}"), (f"/review/{doc_id}", "/review"),
                         ("/models/rollback", "/models"), ("/models/v1/activate", "/models"), ("/logout", "/")):  # fmt: skip
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == target, path
    assert client.get("/documents/khong-co/correct").status_code == 404


def test_review_reasons_speak_per_cent_with_a_decimal_comma() -> None:
    assert below(0.55, 0.70) == "55% — dưới ngưỡng 70%"
    assert below(0.6976, 0.70) == "69,8% — dưới ngưỡng 70%"  # as many decimals as it takes to differ
    assert below(0.5449, 0.545) == "54% — dưới ngưỡng 54,5%" and below(0.69999, 0.7) == "69,999% — dưới ngưỡng 70%"
    assert vn_int(3624) == "3.624" and vn_int(None) == "—"


def test_the_system_accounts_are_named_in_vietnamese(data_dir: Path, tmp_path: Path) -> None:
    records = tmp_path / "mot-van-ban.jsonl"
    records.write_text('{"id": "nhap-1", "number": "12/TB-UBND", "doc_type": "thong-bao", "title": "Thông báo lịch '
                       'tiếp công dân tháng 12 năm 2026"}\n', encoding="utf-8")  # fmt: skip
    with Store.open(data_dir) as store:
        index = SearchIndex.open(index_path(data_dir))
        index.attach(store)
        import_paths(store, [records], progress=False)
    with make_client(data_dir) as client:
        login(client, "reader")
        page = client.get("/documents/nhap-1").text
        log = page.split("Nhật ký thay đổi")[1]
        assert "nhập từ tệp (dòng lệnh)" in log and "<strong>import</strong>" not in log


def test_a_document_stored_twice_says_so_on_its_page(data_dir: Path) -> None:
    twins = [Document(id=f"qd-77{suffix}", number="77/QĐ-UBND", doc_type="quyet-dinh", issuer=issuer,
                      issued_date=date(2026, 3, 2), title="Phê duyệt danh mục dự án đầu tư công năm 2026")
             for suffix, issuer in (("", "Ủy ban nhân dân tỉnh Sông Mây"), ("-ban-2", "UBND tỉnh Sông Mây"))]  # fmt: skip
    other_year = Document(id="qd-77-2025", number="77/QĐ-UBND", doc_type="quyet-dinh", issued_date=date(2025, 1, 9),
                          issuer="Ủy ban nhân dân tỉnh Sông Mây", title="Giao chỉ tiêu kế hoạch năm 2025")  # fmt: skip
    with Store.open(data_dir) as store:
        index = SearchIndex.open(index_path(data_dir))
        index.attach(store)
        store.upsert_many((*twins, other_year), actor="test")
    with make_client(data_dir) as client:
        login(client, "reader")
        page = client.get("/documents/qd-77").text
        assert "Văn bản này có vẻ được lưu 2 lần" in page and 'href="/documents/qd-77-ban-2"' in page
        assert "qd-77-2025" not in page.split('id="cung-so"')[1].split("</div>")[0]  # another year's 77
        assert 'id="cung-so"' not in client.get("/documents/qd-77-2025").text


def test_a_number_that_finds_nothing_offers_the_same_sequence_under_other_codes(client) -> None:
    """QA (2026-11-30): "3190/QĐ-UBND" found nothing, with generic tips, while 3190/KH-UBND was filed."""
    login(client, "reader")
    page = client.get("/", params={"q": "08/CT-UBND"}).text
    assert "Không tìm thấy văn bản nào." in page
    assert "Kho có văn bản cùng số thứ tự nhưng khác ký hiệu" in page and 'href="/documents/demo-005"' in page
    words = client.get("/", params={"q": "xyzxyz qwqw"}).text
    assert "Không tìm thấy văn bản nào." in words and "cùng số thứ tự" not in words


def test_a_models_near_certainty_is_not_shown_as_certain() -> None:
    from service.pages.common import percent

    assert percent(0.99999) == "99%" and percent(1.0) == "100%" and percent(0.554) == "55%" and percent(None) == "—"


def test_the_number_typed_is_not_offered_as_another_one_when_filters_hid_it(client) -> None:
    login(client, "reader")
    page = client.get("/", params={"q": "08/KH-UBND", "type": "quyet-dinh"}).text
    assert "Không tìm thấy văn bản nào." in page and "cùng số thứ tự" not in page
