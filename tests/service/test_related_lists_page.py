"""The document page's related lists say when there are more than it shows, and show them all on request (QA,
2026-11-29: 8 of 13 citing documents and the first 10 unresolved citations, with no word of the others)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from corpus.document import Document
from corpus.index import SearchIndex, index_path
from corpus.store import Store
from tests.service.conftest import make_client
from tests.service.test_pages import login

ISSUER = "Ủy ban nhân dân tỉnh Sông Mây"
CITED = Document(id="qd-0500", number="500/QĐ-UBND", doc_type="quyet-dinh", issuer=ISSUER,
                 issued_date=date(2025, 3, 3), title="Ban hành Quy chế quản lý cụm công nghiệp trên địa bàn tỉnh")
CITERS = tuple(
    Document(id=f"cv-{k}", number=f"{100 + k}/UBND-KT", doc_type="cong-van", issuer=ISSUER,
             issued_date=date(2025, 4, k + 1), title=f"Triển khai Quyết định số 500/QĐ-UBND tại cụm công nghiệp số {k}",
             text=f"Thực hiện Quyết định số 500/QĐ-UBND ngày 03/3/2025 của Ủy ban nhân dân tỉnh Sông Mây, đợt {k}.")
    for k in range(11)
)
# A plan citing twelve decrees the office has not filed.
CITING_MANY = Document(
    id="kh-0900", number="900/KH-UBND", doc_type="ke-hoach", issuer=ISSUER, issued_date=date(2025, 6, 1),
    title="Rà soát các quyết định về đất đai", text="\n".join(
        f"Căn cứ Quyết định số {k}/2024/QĐ-UBND ngày 10/01/2024 của Ủy ban nhân dân tỉnh Sông Mây;" for k in range(1, 13)
    ),
)  # fmt: skip


def _file(data_dir: Path) -> None:
    with Store.open(data_dir) as store:
        index = SearchIndex.open(index_path(data_dir))
        index.attach(store)
        store.upsert_many((CITED, *CITERS, CITING_MANY), actor="test")


def _cited_list(page: str) -> str:
    return page.split('id="lien-quan"')[1].split("<h3>Văn bản này dẫn chiếu")[1].split("</ul>")[0]


def _links(page: str, heading: str) -> list[str]:
    section = page.split(f"<h3>{heading}")[1].split("</ul>")[0]
    return re.findall(r'href="/documents/([^"?]+)', section)


def test_more_citing_documents_than_shown_are_offered_and_shown_on_request(data_dir: Path) -> None:
    _file(data_dir)
    with make_client(data_dir) as client:
        login(client, "reader")
        page = client.get("/documents/qd-0500").text
        assert len(_links(page, "Văn bản dẫn chiếu đến văn bản này")) == 8
        assert "Xem thêm văn bản dẫn chiếu đến văn bản này" in page
        every = client.get("/documents/qd-0500?related=all").text
        assert sorted(_links(every, "Văn bản dẫn chiếu đến văn bản này")) == sorted(d.id for d in CITERS)
        assert "Xem thêm văn bản dẫn chiếu" not in every


def test_unresolved_citations_beyond_ten_are_counted_and_shown_on_request(data_dir: Path) -> None:
    _file(data_dir)
    with make_client(data_dir) as client:
        login(client, "reader")
        page = client.get("/documents/kh-0900?q=quyết định").text
        assert "<h3>Văn bản này dẫn chiếu (12)</h3>" in page
        assert _cited_list(page).count("/2024/QĐ-UBND") == 10
        # the link keeps the words searched for, so that the page stays marked
        assert 'href="?q=quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh&amp;related=all#lien-quan"' in page
        assert "Xem cả 2 văn bản được dẫn chiếu khác (chưa có trong kho)" in page
        every = client.get("/documents/kh-0900?related=all").text
        assert _cited_list(every).count("/2024/QĐ-UBND") == 12 and "Xem cả" not in every



def test_a_cited_document_stored_twice_is_one_line_with_a_link_to_its_copy(data_dir: Path) -> None:
    copy = Document(id="qd-0500-ban-2", number="500/QĐ-UBND", doc_type="quyet-dinh", issuer="UBND tỉnh Sông Mây",
                    issued_date=date(2025, 3, 3), title="Ban hành Quy chế quản lý cụm công nghiệp")  # fmt: skip
    _file(data_dir)
    with Store.open(data_dir) as store:
        index = SearchIndex.open(index_path(data_dir))
        index.attach(store)
        store.upsert_many((copy,), actor="test")
    with make_client(data_dir) as client:
        login(client, "reader")
        page = client.get("/documents/cv-1").text
        assert "<h3>Văn bản này dẫn chiếu (1)</h3>" in page
        assert "Văn bản này có vẻ được lưu 2 lần; bản khác:" in page and 'href="/documents/qd-0500-ban-2"' in page
        assert client.get("/api/documents/cv-1/related").json()["cites"][0]["copies"] == ["qd-0500-ban-2"]
