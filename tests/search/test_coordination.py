"""A long query's every word in one document beats most of them in another's title (QA, Quảng Trị: a clerk
typing a subject and a place found the province's decision fourth, behind title-only records of another
province that say the subject but not the place)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from corpus.document import Document
from corpus.search import Searcher, SearchRequest
from tests.search import module_searcher

BODY = (
    "Căn cứ Luật Đất đai ngày 29 tháng 11 năm 2013;\n"
    "Điều 1. Ban hành kèm theo Quyết định này Quy định bảng giá đất điều chỉnh giai đoạn 2024-2025.\n"
    "Điều 2. Hệ số điều chỉnh giá đất (K) áp dụng tại các xã của huyện Hải Lăng là 1,1; tại thị xã Quảng "
    "Trị là 1,2; các huyện còn lại là 1,0.\n"
    "Điều 3. Sở Tài nguyên và Môi trường chủ trì, phối hợp với Sở Tài chính, Cục Thuế tỉnh hướng dẫn, kiểm tra "
    "việc thực hiện bảng giá đất; tổng hợp khó khăn, vướng mắc, báo cáo Ủy ban nhân dân tỉnh xem xét, quyết định.\n"
    "Điều 4. Ủy ban nhân dân các huyện, thị xã, thành phố có trách nhiệm niêm yết công khai bảng giá đất tại trụ "
    "sở; chỉ đạo Phòng Tài nguyên và Môi trường, Văn phòng đăng ký đất đai áp dụng đúng giá đất khi tính tiền sử "
    "dụng đất, tiền thuê đất, thuế sử dụng đất, phí và lệ phí trong quản lý, sử dụng đất đai.\n"
    "Điều 5. Quyết định này có hiệu lực kể từ ngày 22 tháng 4 năm 2024. Chánh Văn phòng Ủy ban nhân dân tỉnh, "
    "Giám đốc các sở, ban, ngành, Chủ tịch Ủy ban nhân dân các huyện, thị xã, thành phố và các tổ chức, cá nhân "
    "có liên quan chịu trách nhiệm thi hành Quyết định này."
)
DOCS = (
    Document(id="qt-bang-gia", number="15/2024/QĐ-UBND", doc_type="quyet-dinh", topic="dat-dai",
             issuer="Ủy ban nhân dân tỉnh Quảng Trị", issued_date=date(2024, 4, 12),
             title="Ban hành Quy định bảng giá đất điều chỉnh trên địa bàn tỉnh Quảng Trị giai đoạn 2024-2025",
             text=BODY),
    Document(id="bd-he-so-1", number="25/2021/QĐ-UBND", doc_type="quyet-dinh", topic="dat-dai",
             issuer="Ủy ban nhân dân tỉnh Bình Dương", issued_date=date(2021, 8, 3),
             title="áp dụng bảng giá các loại đất và hệ số điều chỉnh giá đất (k) trên địa bàn thị trấn tân bình"),
    Document(id="bd-he-so-2", number="3/2020/QĐ-UBND", doc_type="quyet-dinh", topic="dat-dai",
             issuer="Ủy ban nhân dân tỉnh Bình Dương", issued_date=date(2020, 2, 1),
             title="áp dụng và đính chính hệ số điều chỉnh giá đất (k) năm 2020 trên địa bàn 02 thành phố"),
    Document(id="bd-gia-dat", number="36/2019/QĐ-UBND", doc_type="quyet-dinh", topic="dat-dai",
             issuer="Ủy ban nhân dân tỉnh Bình Dương", issued_date=date(2019, 12, 20),
             title="ban hành quy định bảng giá các loại đất giai đoạn 2020 - 2024 trên địa bàn tỉnh bình dương"),
)  # fmt: skip
# Records of the kind that fill a province's store (title only), so that the subject's words are common and
# the place's rare, as they are among thousands of documents.
_SUBJECTS = ("bảng giá đất", "hệ số điều chỉnh giá đất", "điều chỉnh quy hoạch sử dụng đất", "giá đất cụ thể")
_PLACES = ("phường Phú Hòa", "xã An Điền", "huyện Bàu Bàng", "thị xã Bến Cát", "xã Tân Định", "phường Chánh Nghĩa")
FILLER = tuple(
    Document(id=f"bd-fill-{i:02d}", doc_type="quyet-dinh", topic="dat-dai", issuer="Ủy ban nhân dân tỉnh Bình Dương",
             title=f"phê duyệt {subject} năm {2015 + i % 6} tại {place}")
    for i, (subject, place) in enumerate((s, p) for s in _SUBJECTS for p in _PLACES)
)  # fmt: skip


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
    yield from module_searcher(tmp_path_factory, "coordination", DOCS + FILLER)


@pytest.mark.parametrize("query", ["hệ số điều chỉnh giá đất Hải Lăng", "he so dieu chinh gia dat hai lang"])
def test_every_word_in_the_body_beats_most_words_in_a_title(searcher: Searcher, query: str) -> None:
    hits = searcher.search(SearchRequest(query)).hits
    assert hits[0].id == "qt-bang-gia"
    assert {h.id for h in hits} >= {"bd-he-so-1", "bd-he-so-2"}  # the subject without the place still comes


def test_a_title_saying_every_word_still_comes_first(searcher: Searcher) -> None:
    hits = searcher.search(SearchRequest("hệ số điều chỉnh giá đất thị trấn tân bình")).hits
    assert hits[0].id == "bd-he-so-1"
