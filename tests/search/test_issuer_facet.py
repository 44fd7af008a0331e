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
    Document(id="lc-snn", number="215/SNN-TT", doc_type="cong-van", topic="nong-nghiep",
             issuer="Sở Nông nghiệp và Phát triển nông thôn", parent="ỦY BAN NHÂN DÂN TỈNH LÀO CAI",
             issued_date=date(2024, 7, 5), title="Về việc hướng dẫn kỹ thuật cải tạo nương chè Shan tuyết"),
    Document(id="lc-snn-abbr", number="230/SNN-TT", doc_type="cong-van", topic="nong-nghiep",
             issuer="Sở NN&PTNT", parent="UBND tỉnh Lào Cai",
             issued_date=date(2024, 8, 6), title="Về việc phòng trừ sâu hại trên cây chè Shan tuyết"),
    Document(id="hg-snn", number="88/SNN-TT", doc_type="cong-van", topic="nong-nghiep",
             issuer="Sở Nông nghiệp và Phát triển nông thôn", parent="UBND tỉnh Hà Giang",
             issued_date=date(2024, 8, 7), title="Về việc bảo tồn cây chè Shan tuyết cổ thụ"),
)  # fmt: skip
LC_SNN = "Sở Nông nghiệp và Phát triển nông thôn tỉnh Lào Cai"


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
    yield from module_searcher(tmp_path_factory, "issuer-facet", DOCS)


def test_three_spellings_of_one_body_are_one_facet_entry(searcher: Searcher) -> None:
    facet = searcher.search(SearchRequest("chè shan tuyết")).facets["issuer"]
    assert facet == {
        LAO_CAI: 3,
        "Văn phòng Ủy ban nhân dân tỉnh Lào Cai": 1,
        LC_SNN: 2,  # a department written out and as an acronym, under its province
        "Sở Nông nghiệp và Phát triển nông thôn tỉnh Hà Giang": 1,  # another province's stays apart
    }


@pytest.mark.parametrize("spelling", [LAO_CAI, "UBND tỉnh Lào Cai", "ỦY BAN NHÂN DÂN TỈNH LÀO CAI"])
def test_the_quoted_issuer_finds_every_spelling_and_nothing_else(searcher: Searcher, spelling: str) -> None:
    result = searcher.search(SearchRequest("chè shan tuyết", issuer=f'"{spelling}"'))
    assert {hit.id for hit in result.hits} == {"lc-import", "lc-header", "lc-upload"}
    assert {hit.issuer for hit in result.hits} == {LAO_CAI}  # the hits show the spelling the facet shows


@pytest.mark.parametrize("spelling", [f'"{LC_SNN}"', '"so nong nghiep va phat trien nong thon tinh lao cai"'])
def test_a_quoted_issuer_is_its_facet_name_with_or_without_marks(searcher: Searcher, spelling: str) -> None:
    result = searcher.search(SearchRequest("chè shan tuyết", issuer=spelling))
    assert {hit.id for hit in result.hits} == {"lc-snn", "lc-snn-abbr"}
    assert {hit.issuer for hit in result.hits} == {LC_SNN}


@pytest.mark.parametrize(
    ("issuer", "expected"),
    [
        ("Lào Cai", {"lc-import", "lc-header", "lc-upload", "lc-office", "lc-snn", "lc-snn-abbr"}),
        ("Sở NN&PTNT Lào Cai", {"lc-snn", "lc-snn-abbr"}),  # the acronym and the name are one body
        ("SNN&PTNT Lào Cai", {"lc-snn", "lc-snn-abbr"}),  # agency and fields in one acronym
        ("Sở Nông nghiệp và Phát triển nông thôn", {"lc-snn", "lc-snn-abbr", "hg-snn"}),
        ("so nong nghiep ha giang", {"hg-snn"}),
    ],
)
def test_an_issuer_filter_finds_a_departments_documents_by_its_province(
    searcher: Searcher, issuer: str, expected: set[str]
) -> None:
    result = searcher.search(SearchRequest("chè shan tuyết", issuer=issuer, limit=50))
    assert {hit.id for hit in result.hits} == expected
