"""A type's code typed in capitals alone stands for the type too (QA, 2026-11-29: "KH chuyển đổi số" made "KH"
a required literal word and put "kế hoạch chuyển đổi số năm 2022" 15th of 16, behind texts matching "số")."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from corpus.document import Document
from corpus.query import parse_query
from corpus.search import Searcher, SearchRequest
from tests.search import module_searcher

BD = "Ủy ban nhân dân tỉnh Bình Dương"
DOCS = (
    Document(id="kh-cds", number="1906/KH-UBND", doc_type="ke-hoach", issuer=BD, issued_date=date(2022, 4, 26),
             title="kế hoạch chuyển đổi số năm 2022"),
    Document(id="cv-so", number="2010/UBND-KT", doc_type="cong-van", issuer=BD, issued_date=date(2022, 4, 20),
             title="về việc chuyển số liệu thống kê KH đầu tư công quý I"),
    Document(id="qd-so", number="811/QĐ-UBND", doc_type="quyet-dinh", issuer=BD, issued_date=date(2022, 4, 2),
             title="phê duyệt danh mục số hóa hồ sơ, kết quả giải quyết thủ tục hành chính"),
    Document(id="tb-lich", number="08/TB-UBND", doc_type="thong-bao", issuer=BD, issued_date=date(2022, 2, 1),
             title="về lịch tiếp công dân định kỳ của lãnh đạo tỉnh tháng 02/2022"),
    Document(id="kh-lich", number="99/KH-UBND", doc_type="ke-hoach", issuer=BD, issued_date=date(2022, 2, 3),
             title="kế hoạch tiếp công dân năm 2022"),
)  # fmt: skip


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
    yield from module_searcher(tmp_path_factory, "type-codes", DOCS)


@pytest.mark.parametrize(
    ("query", "first"), [("KH chuyển đổi số", "kh-cds"), ("TB tiếp công dân", "tb-lich"), ("KH tiếp công dân", "kh-lich")]
)
def test_a_type_code_in_capitals_finds_documents_of_that_type(searcher: Searcher, query: str, first: str) -> None:
    hits = [hit.id for hit in searcher.search(SearchRequest(query)).hits]
    assert hits and hits[0] == first, hits


def test_a_code_in_lower_case_stays_a_word() -> None:
    # "kh" typed in lower case is not read as the type (two letters: any syllable-like token)
    (clause,) = [c for c in parse_query("kh tiếp").clauses if c.text == "kh"]
    assert [alt.folded for alt in clause.alternatives] == [("kh",)]
    (typed,) = [c for c in parse_query("KH tiếp").clauses if c.text == "KH"]
    assert ("ke", "hoach") in [alt.folded for alt in typed.alternatives]
