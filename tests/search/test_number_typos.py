"""Numbers typed with a separator missing or another one, and "công văn" + a figure (QA, 2026-11-29).

Before: `3584QĐ-UBND`, `3584/QĐUBND`, `3584.QĐ.UBND`, `2419UBND-KTN`, `qd1203` found nothing (0 of 40
numbers each), and `công văn 2419` looked for a `CV` code that a công văn's number does not print.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from corpus.document import Document
from corpus.query import parse_query
from corpus.search import Searcher, SearchRequest
from nlp.numbers import find_references
from tests.search import module_searcher

DOCS = (
    Document(id="qd-3584", number="3584/QĐ-UBND", doc_type="quyet-dinh", topic="dat-dai",
             issuer="Ủy ban nhân dân tỉnh Bình Dương", issued_date=date(2021, 12, 10),
             title="Quyết định phê duyệt giá đất cụ thể để tính tiền bồi thường dự án đường ĐT 746"),
    Document(id="cv-2419", number="2419/UBND-KTN", doc_type="cong-van", topic="nong-nghiep",
             issuer="Ủy ban nhân dân tỉnh Bình Dương", issued_date=date(2022, 6, 3),
             title="Về việc triển khai các biện pháp phòng, chống bệnh dịch tả lợn châu Phi"),
    Document(id="kh-2419", number="2419/KH-UBND", doc_type="ke-hoach", topic="y-te",
             issuer="Ủy ban nhân dân tỉnh Bình Dương", issued_date=date(2023, 5, 4),
             title="Kế hoạch tiêm vắc xin phòng COVID-19 năm 2023"),
    Document(id="cv-old", number="118/CV-UB", doc_type="cong-van", topic="tai-chinh",
             issuer="Ủy ban nhân dân tỉnh Sông Bé", issued_date=date(1996, 3, 2),
             title="Về việc thu thuế sử dụng đất nông nghiệp"),
    # the Government prints its yearly resolution's year after a dash (QA: buried 10th behind any "19/…")
    Document(id="nq-19-2018", number="19-2018/NQ-CP", doc_type="nghi-quyet", topic="kinh-te",
             issuer="Chính phủ", issued_date=date(2018, 5, 15),
             title="Về tiếp tục thực hiện những nhiệm vụ, giải pháp chủ yếu cải thiện môi trường kinh doanh"),
    Document(id="kh-2370", number="2370/KH-UBND", doc_type="ke-hoach", topic="kinh-te",
             issuer="Ủy ban nhân dân tỉnh Bình Dương", issued_date=date(2018, 6, 8),
             title="triển khai thực hiện nghị quyết số 19-2018/nq-cp ngày 15/5/2018 của chính phủ"),
    Document(id="tt-19", number="19/2024/TT-BCT", doc_type="thong-tu", topic="cong-thuong",
             issuer="Bộ Công Thương", issued_date=date(2024, 10, 10),
             title="Quy định về hoạt động kinh doanh xăng dầu năm 2024"),
    Document(id="nq-19-hdnd", number="19/NQ-HĐND", doc_type="nghi-quyet", topic="tai-chinh",
             issuer="Hội đồng nhân dân tỉnh Bình Dương", issued_date=date(2018, 7, 6),
             title="Về dự toán thu ngân sách nhà nước năm 2018"),
)  # fmt: skip


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
    yield from module_searcher(tmp_path_factory, "number-typos", DOCS)


def first(searcher: Searcher, query: str) -> str | None:
    hits = searcher.search(SearchRequest(query, limit=5)).hits
    return hits[0].id if hits else None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("3584QĐ-UBND", "qd-3584"),
        ("3584qđ-ubnd", "qd-3584"),
        ("3584/QĐUBND", "qd-3584"),
        ("3584.QĐ.UBND", "qd-3584"),
        ("qd3584", "qd-3584"),
        ("2419UBND-KTN", "cv-2419"),
        ("2419/UBNDKTN", "cv-2419"),
        ("2419.UBND.KTN", "cv-2419"),
        ("2419KH-UBND", "kh-2419"),
    ],
)
def test_a_number_typed_without_its_separators_is_found(
    searcher: Searcher, query: str, expected: str
) -> None:
    assert first(searcher, query) == expected


@pytest.mark.parametrize(
    "query", ["công văn 2419", "công văn số 2419", "cv 2419", "CV 2419", "cong van 2419"]
)
def test_cong_van_and_a_figure_finds_the_cong_van_of_that_figure(searcher: Searcher, query: str) -> None:
    assert first(searcher, query) == "cv-2419"  # not the kế hoạch of the same figure


def test_an_old_number_printing_cv_is_still_found(searcher: Searcher) -> None:
    assert first(searcher, "công văn 118") == "cv-old"
    assert first(searcher, "118/CV-UB") == "cv-old"


@pytest.mark.parametrize("query", ["covid19", "f0 2021", "vắc xin covid19 mũi 3", "5km đường"])
def test_letters_and_figures_that_are_not_a_number_stay_words(query: str) -> None:
    assert parse_query(query).numbers == ()


@pytest.mark.parametrize("query", ["3584／QĐ－UBND", "３５８４/QĐ-UBND", "3584／ＱĐ－ＵＢＮＤ"])
def test_full_width_forms_are_read_as_their_ascii(searcher: Searcher, query: str) -> None:
    found = searcher.search(SearchRequest(query, limit=5))
    assert found.hits[0].id == "qd-3584" and found.total == 1


@pytest.mark.parametrize("query", ["19-2018/NQ-CP", "19-2018/nq-cp", "19/2018/NQ-CP", "nghị quyết 19-2018/NQ-CP"])
def test_a_number_printing_its_year_after_a_dash_is_a_number(searcher: Searcher, query: str) -> None:
    hits = [hit.id for hit in searcher.search(SearchRequest(query, limit=5)).hits]
    assert set(hits[:2]) == {"nq-19-2018", "kh-2370"}, hits
    assert (parse_query("19-2018/nq-cp").numbers[0].text, parse_query("19-2018/nq-cp").numbers[0].year) == ("19-2018/NQ-CP", 2018)


def test_a_citation_printing_its_year_after_a_dash_is_read() -> None:
    (ref,) = find_references("Thực hiện Nghị quyết số 19-2018/NQ-CP ngày 15/5/2018 của Chính phủ về cải thiện")
    assert (ref.number.number, ref.number.year, ref.doc_type, ref.issuer_text) == (
        "19-2018/NQ-CP", 2018, "nghi-quyet", "Chính phủ"
    )
    # a school year is not a number
    assert find_references("Kế hoạch năm học 2019-2020/2021 của trường") == []
