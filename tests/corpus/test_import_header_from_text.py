"""Records that carry only a full text (an export of scanned archives, a folder of decrees) get their
header fields from the text, as an uploaded file does; the record's own values always win."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from corpus.import_rows import parse_record
from corpus.importer import import_paths
from corpus.index import SearchIndex
from corpus.search import Searcher, SearchRequest
from corpus.store import Store

DECISION = """ỦY BAN NHÂN DÂN
TỈNH SÔNG MÂY
Số: 27/2026/QĐ-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Sông Mây, ngày 14 tháng 4 năm 2026

QUYẾT ĐỊNH
Ban hành Quy định quản lý cụm công nghiệp trên địa bàn tỉnh Sông Mây

ỦY BAN NHÂN DÂN TỈNH SÔNG MÂY
Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 02 năm 2025;
Căn cứ Nghị định số 32/2024/NĐ-CP ngày 15 tháng 3 năm 2024 của Chính phủ về quản lý, phát triển cụm công nghiệp;
QUYẾT ĐỊNH:
Điều 1. Ban hành kèm theo Quyết định này Quy định quản lý cụm công nghiệp trên địa bàn tỉnh.
Điều 2. Quyết định này có hiệu lực kể từ ngày 25 tháng 4 năm 2026.
"""

NEWS = (
    "Sáng nay, hàng nghìn người dân đã đổ về quảng trường trung tâm để xem lễ hội pháo hoa. Theo ban tổ "
    "chức, số lượng khách năm nay tăng gấp đôi so với năm ngoái, giao thông quanh khu vực bị ùn tắc."
)


def test_a_text_only_record_gets_its_header_from_the_text() -> None:
    doc, problems = parse_record({"id": "lc-1", "text": DECISION})
    assert not problems and doc is not None
    assert doc.number == "27/2026/QĐ-UBND"
    assert doc.doc_type == "quyet-dinh"
    assert doc.issuer == "Ủy ban nhân dân tỉnh Sông Mây"
    assert doc.issued_date == date(2026, 4, 14)
    assert doc.title == "Ban hành Quy định quản lý cụm công nghiệp trên địa bàn tỉnh Sông Mây"
    assert set(doc.extra["header_from_text"]) >= {"number", "doc_type", "issuer", "issued_date", "title"}


def test_an_annex_without_motto_gets_its_type_and_heading() -> None:
    annex = ("Phụ lục II\nDANH MỤC CỤM CÔNG NGHIỆP ƯU TIÊN THU HÚT ĐẦU TƯ\n"
             "(Kèm theo Quyết định số 27/2026/QĐ-UBND ngày 14/4/2026 của UBND tỉnh Sông Mây)\n"
             "1. Cụm công nghiệp Bắc Sông Mây, diện tích 50 ha.\n")
    doc, _ = parse_record({"id": "lc-annex", "text": annex})
    assert doc is not None
    assert (doc.doc_type, doc.title) == ("phu-luc", "DANH MỤC CỤM CÔNG NGHIỆP ƯU TIÊN THU HÚT ĐẦU TƯ")
    assert doc.number is None  # the decision's number is the document it belongs to, not its own


def test_the_record_s_own_fields_win_over_the_text() -> None:
    doc, _ = parse_record({"id": "lc-2", "text": DECISION, "number": "28/2026/QĐ-UBND", "title": "Tự đặt"})
    assert doc is not None
    assert (doc.number, doc.title) == ("28/2026/QĐ-UBND", "Tự đặt")
    assert "number" not in doc.extra["header_from_text"] and "title" not in doc.extra["header_from_text"]


def test_a_text_without_a_header_is_left_alone() -> None:
    doc, _ = parse_record({"id": "news-1", "text": NEWS})
    assert doc is not None
    assert (doc.number, doc.title, doc.doc_type, doc.issuer) == (None, None, None, None)
    assert "header_from_text" not in doc.extra


def test_an_imported_full_text_is_found_by_its_number_type_and_issuer(tmp_path: Path) -> None:
    source = tmp_path / "fulltext.jsonl"

    source.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in ({"id": "lc-1", "text": DECISION},
                                                               {"id": "news-1", "text": NEWS})),
        encoding="utf-8",
    )  # fmt: skip
    with Store.open(tmp_path / "data") as store:
        index = SearchIndex.for_store(store, tmp_path / "data")
        index.attach(store)
        assert import_paths(store, [source], progress=False).inserted == 2
        searcher = Searcher(index, store)
        for query in ("27/2026/QĐ-UBND", "qd-ubnd 27/2026"):
            assert [h.id for h in searcher.search(SearchRequest(query)).hits][:1] == ["lc-1"], query
        listed = searcher.search(SearchRequest("*", doc_type="quyet-dinh", issuer="Ủy ban nhân dân tỉnh Sông Mây"))
        assert [h.id for h in listed.hits] == ["lc-1"]
