"""National documents searched by type name and number as clerks type them (QA, 2026-11-30): "thong tu 06/2024"
without marks read "tu" as the party code TU and listed a letter citing the circular before it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from corpus.document import Document
from corpus.query import parse_query
from corpus.search import Searcher, SearchRequest
from tests.search import module_searcher

DOCS = (
    Document(id="tt-btc", number="06/2024/TT-BTC", doc_type="thong-tu", issuer="Bộ Tài chính",
             issued_date=date(2024, 1, 31), title="Sửa đổi, bổ sung một số điều của Thông tư số 78/2014/TT-BTC "
             "hướng dẫn thi hành Nghị định về thuế thu nhập doanh nghiệp"),
    Document(id="tt-byt", number="06/2024/TT-BYT", doc_type="thong-tu", issuer="Bộ Y tế",
             issued_date=date(2024, 5, 16), title="Quy định về xét nghiệm y tế"),
    Document(id="cv-citer", number="4321/UBND-KT", doc_type="cong-van", issuer="Ủy ban nhân dân tỉnh Sông Mây",
             issued_date=date(2024, 3, 2), title="Triển khai thực hiện Thông tư số 06/2024/TT-BTC của Bộ Tài chính",
             text="Thực hiện Thông tư số 06/2024/TT-BTC ngày 31/01/2024 của Bộ Tài chính, Ủy ban nhân dân tỉnh "
             "đề nghị các sở, ngành tu sửa quy trình thu thuế thu nhập doanh nghiệp."),
    Document(id="kh-tu", number="140-KH/TU", doc_type="ke-hoach", issuer="Tỉnh ủy Sông Mây",
             issued_date=date(2024, 7, 7), title="Kế hoạch triển khai Chỉ thị số 42-CT/TW về phòng ngừa thiên tai"),
    Document(id="luat-dd", number="31/2024/QH15", doc_type="luat", issuer="Quốc hội", issued_date=date(2024, 1, 18),
             title="Luật Đất đai"),
    Document(id="qd-31", number="31/QĐ-UBND", doc_type="quyet-dinh", issuer="Ủy ban nhân dân tỉnh Sông Mây",
             issued_date=date(2024, 1, 20), title="Quyết định giao đất cho Ủy ban nhân dân huyện Bến Đò"),
    Document(id="pl-09", number="09/2014/UBTVQH13", doc_type="phap-lenh", issuer="Ủy ban thường vụ Quốc hội",
             issued_date=date(2014, 12, 17), title="Pháp lệnh sửa đổi, bổ sung một số điều của Pháp lệnh chi phí tố tụng"),
    Document(id="nd-15", number="15/2023/NĐ-CP", doc_type="nghi-dinh", issuer="Chính phủ",
             issued_date=date(2023, 4, 28), title="Sửa đổi Nghị định về quản lý phí bảo trì đường bộ"),
    Document(id="qd-1657", number="1657/QĐ-UBND", doc_type="quyet-dinh", issuer="Ủy ban nhân dân tỉnh Sông Mây",
             issued_date=date(2024, 6, 3), title="Phê duyệt kế hoạch sử dụng đất năm 2024 của huyện Bến Đò"),
)  # fmt: skip


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
    yield from module_searcher(tmp_path_factory, "national-numbers", DOCS)


@pytest.mark.parametrize("query", ["thong tu 06/2024", "THONG TU 06/2024", "thông tư 06/2024", "thong tu 06",
                                   "TT06/2024", "tt6/2024"])
def test_a_circular_typed_without_marks_is_a_circular_number(searcher: Searcher, query: str) -> None:
    parsed = parse_query(query)
    assert parsed.numbers and all(n.codes[0] == "TT" for n in parsed.numbers), parsed.numbers
    first_two = {hit.id for hit in searcher.search(SearchRequest(query)).hits[:2]}
    assert first_two == {"tt-btc", "tt-byt"}


def test_the_ministry_picks_its_circular_and_tu_after_a_number_is_still_a_code(searcher: Searcher) -> None:
    assert searcher.search(SearchRequest("thong tu 06 btc")).hits[0].id == "tt-btc"
    assert searcher.search(SearchRequest("140 kh tu")).hits[0].id == "kh-tu"


@pytest.mark.parametrize(
    ("query", "first"),
    [("luật 31/2024", "luat-dd"), ("luat 31/2024", "luat-dd"), ("pháp lệnh 09/2014", "pl-09"),
     ("NĐ15/2023/CP", "nd-15"), ("QĐ1657/UBND", "qd-1657"), ("TT06/2024/BTC", "tt-btc")],
)  # fmt: skip
def test_laws_ordinances_and_glued_codes_with_their_body(searcher: Searcher, query: str, first: str) -> None:
    """QA (2026-11-30): a law's number carries no type code, so "luật 31/2024" required a code L no law has
    and the law came after a decision numbered 31; "QĐ1657/UBND" fell back to a word search."""
    assert searcher.search(SearchRequest(query)).hits[0].id == first
