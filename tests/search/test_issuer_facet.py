"""The issuer facet counts a body once however its sources spell it, and its link finds every spelling."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from corpus.document import Document
from corpus.search import Searcher, SearchRequest
from tests.search import module_searcher

LAO_CAI = "Ủy ban nhân dân tỉnh Lào Cai"
DOCS = (
    Document(id="lc-import", number="45/KH-UBND", doc_type="ke-hoach", topic="nong-nghiep",
             issuer="UBND tỉnh Lào Cai", issued_date=date(2024, 3, 1),
             title="Kế hoạch phát triển cây chè Shan tuyết năm 2024"),
    Document(id="lc-header", number="112/UBND-NLN", doc_type="cong-van", topic="nong-nghiep",
             issuer="ỦY BAN NHÂN DÂN TỈNH LÀO CAI", issued_date=date(2024, 4, 2),
             title="Về việc chăm sóc vùng chè Shan tuyết sau đợt rét đậm"),
    Document(id="lc-upload", number="7/QĐ-UBND", doc_type="quyet-dinh", topic="nong-nghiep",
             issuer=LAO_CAI, issued_date=date(2024, 5, 3),
             title="Quyết định công nhận vùng chè Shan tuyết đạt tiêu chuẩn hữu cơ"),
    Document(id="lc-office", number="9/TB-VPUBND", doc_type="thong-bao", topic="nong-nghiep",
             issuer="Văn phòng UBND tỉnh Lào Cai", issued_date=date(2024, 6, 4),
             title="Thông báo kết luận về phát triển vùng chè Shan tuyết"),
)  # fmt: skip


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
    yield from module_searcher(tmp_path_factory, "issuer-facet", DOCS)


def test_three_spellings_of_one_body_are_one_facet_entry(searcher: Searcher) -> None:
    facet = searcher.search(SearchRequest("chè shan tuyết")).facets["issuer"]
    assert facet == {LAO_CAI: 3, "Văn phòng Ủy ban nhân dân tỉnh Lào Cai": 1}


@pytest.mark.parametrize("spelling", [LAO_CAI, "UBND tỉnh Lào Cai", "ỦY BAN NHÂN DÂN TỈNH LÀO CAI"])
def test_the_quoted_issuer_finds_every_spelling_and_nothing_else(searcher: Searcher, spelling: str) -> None:
    result = searcher.search(SearchRequest("chè shan tuyết", issuer=f'"{spelling}"'))
    assert {hit.id for hit in result.hits} == {"lc-import", "lc-header", "lc-upload"}
    assert {hit.issuer for hit in result.hits} == {LAO_CAI}  # the hits show the spelling the facet shows
