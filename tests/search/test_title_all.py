"""A title holding every word of a short query ranks above long bodies holding them here and there.

QA (2026-11-29): "PCCC nạn cứu doanh" put two long texts about fire safety (the word "doanh" only in their
bodies) above the công văn whose summary says every word; "can chuan tieu tiep" put two untitled full texts
above the decision titled with all four words.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from corpus.document import Document
from corpus.search import Searcher, SearchRequest
from tests.search import module_searcher

_PLAN_BODY = " ".join(
    [
        "Kế hoạch triển khai công tác phòng cháy, chữa cháy và cứu nạn, cứu hộ năm 2025 trên địa bàn tỉnh.",
        "Các sở, ngành, địa phương và doanh nghiệp tổ chức tuyên truyền phòng cháy, chữa cháy, cứu nạn, cứu hộ;",
        "kiểm tra điều kiện an toàn tại cơ sở sản xuất, kinh doanh; doanh nghiệp trong khu công nghiệp",
        "xây dựng phương án chữa cháy và cứu nạn, cứu hộ, tổ chức thực tập phương án.",
    ]
    * 6
)
DOCS = (
    Document(id="plan", number="45/KH-UBND", doc_type="ke-hoach", topic="an-ninh",
             issuer="Ủy ban nhân dân tỉnh Hòa An", issued_date=date(2025, 3, 10),
             title="Kế hoạch triển khai công tác phòng cháy, chữa cháy và cứu nạn, cứu hộ năm 2025",
             text=_PLAN_BODY),
    Document(id="letter", number="2843/UBND-NC", doc_type="cong-van", topic="an-ninh",
             issuer="Ủy ban nhân dân tỉnh Bình Dương", issued_date=date(2016, 8, 10),
             title="v/v tăng cường công tác phòng cháy, chữa cháy và cứu nạn cứu hộ đối với khu dân cư "
                   "và các doanh nghiệp"),
    Document(id="untitled", doc_type="bao-cao", topic="an-ninh", issuer="Sở Công Thương tỉnh Hòa An",
             text=_PLAN_BODY.replace("Kế hoạch", "Báo cáo kết quả")),
    Document(id="standards", number="818/QĐ-UBND", doc_type="quyet-dinh", topic="cai-cach-hanh-chinh",
             issuer="Ủy ban nhân dân tỉnh Bình Dương", issued_date=date(2019, 4, 8),
             title="ban hành tiêu chuẩn cán bộ, công chức làm việc tại bộ phận tiếp nhận và trả kết quả"),
    Document(id="report", doc_type="bao-cao", topic="cai-cach-hanh-chinh", issuer="Sở Nội vụ tỉnh Hòa An",
             text=" ".join(["Cán bộ bộ phận một cửa đạt chuẩn; tiếp nhận hồ sơ đúng hạn, tiêu chí đánh giá"
                            " cán bộ theo chuẩn mực, tiếp tục nâng cao chất lượng phục vụ."] * 8)),
)  # fmt: skip


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
    yield from module_searcher(tmp_path_factory, "title-all", DOCS)


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("PCCC nạn cứu doanh", "letter"),
        ("pccc cuu nan doanh nghiep", "letter"),
        ("can chuan tieu tiep", "standards"),
        ("cán bộ tiêu chuẩn tiếp nhận", "standards"),
    ],
)
def test_the_title_with_every_word_comes_first(searcher: Searcher, query: str, first: str) -> None:
    hits = searcher.search(SearchRequest(query, limit=5)).hits
    assert hits[0].id == first, [(h.id, h.score) for h in hits]


def test_long_bodies_still_match_and_follow(searcher: Searcher) -> None:
    found = [h.id for h in searcher.search(SearchRequest("PCCC cứu nạn doanh nghiệp", limit=5)).hits]
    assert found[0] == "letter" and {"plan", "untitled"} <= set(found)
