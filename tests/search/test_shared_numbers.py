"""A number is reused every year and by every issuer: what a clerk types with it picks the document.

A quarter of the numbered documents of the Bình Dương and Sơn La sets share their number with another. A
number typed alone lists its documents newest first; words, a date or a year typed with it (as a citation
gives them: "Quyết định số 1203/QĐ-UBND ngày 18/5/2023") put the document they describe first, and a
document citing the number still comes after the number's own documents.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from corpus.document import Document
from corpus.query import parse_query
from corpus.search import Searcher, SearchRequest
from tests.search import module_searcher

SHARED = (
    Document(id="qd-2023", number="1203/QĐ-UBND", doc_type="quyet-dinh", topic="kinh-te",
             issuer="Ủy ban nhân dân tỉnh Hà Tĩnh", issued_date=date(2023, 5, 18),
             title="Quyết định phê duyệt danh mục dự án kêu gọi đầu tư giai đoạn 2023-2025"),
    Document(id="qd-2025", number="1203/QĐ-UBND", doc_type="quyet-dinh", topic="lao-dong",
             issuer="Ủy ban nhân dân tỉnh Hà Tĩnh", issued_date=date(2025, 6, 9),
             title="Quyết định công bố thủ tục hành chính lĩnh vực bảo hiểm xã hội"),
    Document(id="qd-2026", number="1203/QĐ-UBND", doc_type="quyet-dinh", topic="cai-cach-hanh-chinh",
             issuer="Ủy ban nhân dân tỉnh Sơn La", issued_date=date(2026, 5, 20),
             title="Về việc công bố danh mục thủ tục hành chính sửa đổi lĩnh vực tư pháp"),
    Document(id="kh-atvstp", number="45/KH-UBND", doc_type="ke-hoach", topic="y-te",
             issuer="Ủy ban nhân dân tỉnh Hà Tĩnh", issued_date=date(2024, 2, 27),
             title="Kế hoạch bảo đảm an toàn thực phẩm năm 2024"),
    Document(id="kh-pccc", number="45/KH-UBND", doc_type="ke-hoach", topic="an-ninh",
             issuer="Ủy ban nhân dân tỉnh Hà Tĩnh", issued_date=date(2025, 3, 10),
             title="Kế hoạch phòng cháy, chữa cháy và cứu nạn, cứu hộ năm 2025"),
    Document(id="qd-qppl-2023", number="12/2023/QĐ-UBND", doc_type="quyet-dinh", topic="tu-phap",
             issuer="Ủy ban nhân dân tỉnh Hà Tĩnh", issued_date=date(2023, 3, 2),
             title="Quyết định ban hành quy định phân cấp quản lý nhà nước về giá"),
    Document(id="qd-12-2023", number="12/QĐ-UBND", doc_type="quyet-dinh", topic="noi-vu",
             issuer="Ủy ban nhân dân tỉnh Hà Tĩnh", issued_date=date(2023, 1, 5),
             title="Quyết định kiện toàn hội đồng thi đua khen thưởng tỉnh"),
    Document(id="qd-12-2024", number="12/QĐ-UBND", doc_type="quyet-dinh", topic="noi-vu",
             issuer="Ủy ban nhân dân tỉnh Hà Tĩnh", issued_date=date(2024, 1, 8),
             title="Quyết định giao chỉ tiêu biên chế năm 2024"),
    Document(id="cv-cites", number="2419/UBND-KT", doc_type="cong-van", topic="kinh-te",
             issuer="Ủy ban nhân dân tỉnh Hà Tĩnh", issued_date=date(2025, 8, 1),
             title="Về việc triển khai Quyết định số 1203/QĐ-UBND ngày 09/6/2025 về bảo hiểm xã hội"),
)  # fmt: skip


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
    yield from module_searcher(tmp_path_factory, "shared-numbers", SHARED)


def ids(searcher: Searcher, query: str) -> list[str]:
    return [h.id for h in searcher.search(SearchRequest(query, limit=10)).hits]


def test_a_number_alone_lists_its_documents_newest_first(searcher: Searcher) -> None:
    assert ids(searcher, "1203/QĐ-UBND")[:3] == ["qd-2026", "qd-2025", "qd-2023"]
    assert ids(searcher, "45/KH-UBND")[:2] == ["kh-pccc", "kh-atvstp"]


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("1203/QĐ-UBND dự án kêu gọi đầu tư", "qd-2023"),
        ("1203/qd-ubnd du an dau tu", "qd-2023"),
        ("1203 qđ ubnd bảo hiểm xã hội", "qd-2025"),
        ("45/KH-UBND an toàn thực phẩm", "kh-atvstp"),
        ("kh-ubnd 45 phòng cháy", "kh-pccc"),
        ("1203/QĐ-UBND ngày 18/5/2023", "qd-2023"),
        ("Quyết định số 1203/QĐ-UBND ngày 09/6/2025 của UBND tỉnh", "qd-2025"),
        ("1203/QĐ-UBND năm 2023", "qd-2023"),
        ("45/KH-UBND năm 2024", "kh-atvstp"),
    ],
)
def test_words_a_date_or_a_year_typed_with_a_number_pick_its_document(
    searcher: Searcher, query: str, first: str
) -> None:
    found = ids(searcher, query)
    assert found[0] == first
    # the number's other documents still come before anything else
    number = next(d.number for d in SHARED if d.id == first)
    own = {d.id for d in SHARED if d.number == number}
    assert set(found[: len(own)]) == own


def test_a_citing_document_stays_after_the_numbers_own(searcher: Searcher) -> None:
    found = ids(searcher, "1203/QĐ-UBND bảo hiểm xã hội")
    assert found[0] == "qd-2025" and found.index("cv-cites") == 3


def test_a_date_typed_in_full_is_parsed_and_an_impossible_one_is_not() -> None:
    assert parse_query("1203/QĐ-UBND ngày 18/5/2023").days == (20230518,)
    assert parse_query("ngày 18 . 5 . 2023").days == (20230518,)
    assert parse_query("ngày 31/02/2024 kế hoạch").days == ()


def test_a_date_finds_documents_issued_that_day_that_do_not_print_it(searcher: Searcher) -> None:
    # No title holds "27/02/2024": the document issued that day is found through its date.
    assert ids(searcher, "kế hoạch ngày 27/02/2024") == ["kh-atvstp"]


@pytest.mark.parametrize(
    ("query", "first", "own"),
    [
        # a year typed apart from a number that never holds one: the year it was issued
        ("kh 45 2024", "kh-atvstp", {"kh-atvstp", "kh-pccc"}),
        ("QĐ 1203 2023", "qd-2023", {"qd-2023", "qd-2025", "qd-2026"}),
        ("qd ubnd 1203 2025", "qd-2025", {"qd-2023", "qd-2025", "qd-2026"}),
        # both readings exist: the number holding the year first, then the one issued that year
        ("QĐ 12 2023", "qd-qppl-2023", {"qd-qppl-2023", "qd-12-2023", "qd-12-2024"}),
        ("quyết định 12 năm 2023", "qd-qppl-2023", {"qd-qppl-2023", "qd-12-2023", "qd-12-2024"}),
        ("12/2023/QĐ-UBND", "qd-qppl-2023", {"qd-qppl-2023"}),
    ],
)
def test_a_year_typed_apart_from_a_loose_number_reads_both_ways(
    searcher: Searcher, query: str, first: str, own: set[str]
) -> None:
    found = ids(searcher, query)
    assert found[0] == first
    assert set(found[: len(own)]) == own
    if "qd-12-2023" in own:  # then the one issued that year, before the number's other years
        assert found[1:3] == ["qd-12-2023", "qd-12-2024"]


def test_a_year_that_matches_none_of_the_numbers_documents_still_lists_them(searcher: Searcher) -> None:
    # 45/KH-UBND was not issued in 2019, nor is there a 45/2019/KH: the number's documents, not nothing
    assert set(ids(searcher, "kh 45 2019")[:2]) == {"kh-atvstp", "kh-pccc"}


def test_a_year_after_a_slash_reads_both_ways_too(searcher: Searcher) -> None:
    # clerks write "45/2024" for the 45/KH-UBND of 2024 as well as for a number holding its year
    assert sorted((n.year or 0) for n in parse_query("qđ 12/2023").numbers) == [0, 2023]
    assert ids(searcher, "kh 45/2024")[:2] == ["kh-atvstp", "kh-pccc"]
    assert ids(searcher, "qđ 12/2023")[:3] == ["qd-qppl-2023", "qd-12-2023", "qd-12-2024"]


def test_a_year_after_a_full_number_is_its_year_not_another_number(searcher: Searcher) -> None:
    parsed = parse_query("1203/QĐ-UBND 2025")
    assert [n.seq for n in parsed.numbers] == ["1203"] and parsed.years == (2025,)
    assert ids(searcher, "1203/QĐ-UBND 2025")[0] == "qd-2025"


@pytest.mark.parametrize("query", ["1203 ngày 18/5/2023", "1203 NGÀY 18-5-2023", "1203 ngay 18.5.2023"])
def test_a_bare_figure_then_its_issue_day_is_a_number(searcher: Searcher, query: str) -> None:
    assert ids(searcher, query)[:3] == ["qd-2023", "qd-2026", "qd-2025"]


def test_a_count_of_days_is_not_a_number() -> None:
    assert parse_query("trong 30 ngày kể từ ngày 18/5/2023").numbers == ()
    assert parse_query("1203 ngày 18/5/2023").numbers[0].seq == "1203"


@pytest.mark.parametrize("query", ["ngày 18/5/2023 1203", "quyết định ngày 18/5/2023 1203", "qđ ngày 18/5/2023 1203"])
def test_a_figure_typed_after_the_issue_day_is_a_number(searcher: Searcher, query: str) -> None:
    found = ids(searcher, query)
    assert found[0] == "qd-2023" and set(found[:3]) == {"qd-2023", "qd-2025", "qd-2026"}


def test_a_figure_after_a_date_in_the_middle_of_words_stays_a_word() -> None:
    assert parse_query("ngày 18/5/2023 1203 người tham dự").numbers == ()


def test_a_full_number_with_a_year_it_does_not_hold_finds_the_number_issued_that_year(searcher: Searcher) -> None:
    # "45/2024/KH-UBND" written for the 45/KH-UBND of 2024; the one of 2025 is not it, nor is any other year
    assert ids(searcher, "45/2024/KH-UBND") == ["kh-atvstp"]
    assert ids(searcher, "45/2023/KH-UBND") == []
    # a number that does hold its year is still found as typed, first
    assert ids(searcher, "12/2023/QĐ-UBND")[0] == "qd-qppl-2023"


def test_a_number_with_a_mistyped_body_code_falls_back_to_its_sequence_and_type(searcher: Searcher) -> None:
    # "QĐ-UB" (the old code of the committee) or a typo: no such number, the 1203/QĐ documents instead, marked
    result = searcher.search(SearchRequest("1203/QĐ-UB", limit=10))
    assert {h.id for h in result.hits} == {"qd-2023", "qd-2025", "qd-2026"} and result.relaxed
    assert result.query is not None and result.query.loosened
    exact = searcher.search(SearchRequest("1203/QĐ-UBND", limit=10))
    assert not exact.relaxed  # a number that exists is never loosened
    # with words besides, nothing is loosened: the words may be what found nothing
    assert searcher.search(SearchRequest("1203/QĐ-UB tàu vũ trụ", limit=10)).total == 0


def test_an_old_spelling_finds_the_documents_in_the_new_one(searcher: Searcher) -> None:
    # "qui" is how older texts and some clerks write "quy" (quí/quý, lí/lý, kĩ/kỹ)
    assert ids(searcher, "qui định phân cấp") == ids(searcher, "quy định phân cấp") == ["qd-qppl-2023"]
