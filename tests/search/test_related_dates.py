"""Related documents and dates: a document cannot cite one issued after it, and "similar" does not repeat
what is already listed as cited or citing."""

from __future__ import annotations

from datetime import date

import pytest

from corpus.document import Document
from corpus.related import find_related
from corpus.search import Searcher
from tests.search import DOCS, build

# Numbers restart every year: the Prime Minister's directive 21/CT-TTg exists in 2014 and again in 2026.
CT_2014 = Document(
    id="ct21-2014", number="21/CT-TTg", doc_type="chi-thi", issuer="Thủ tướng Chính phủ",
    issued_date=date(2014, 7, 25),
    title="Về việc đẩy mạnh thực hành tiết kiệm, chống lãng phí trong sử dụng kinh phí ngân sách nhà nước",
)  # fmt: skip
CT_2026 = Document(
    id="ct21-2026", number="21/CT-TTg", doc_type="chi-thi", issuer="Thủ tướng Chính phủ",
    issued_date=date(2026, 6, 2),
    title="Về tăng cường công tác phòng cháy, chữa cháy tại khu dân cư và nhà ở kết hợp kinh doanh",
)  # fmt: skip


def citing_doc(doc_id: str, number: str, issued: date | None, title: str) -> Document:
    """A plan that cites the directive without its date, as clerks often write it."""
    return Document(
        id=doc_id, number=number, doc_type="ke-hoach", issuer="Ủy ban nhân dân tỉnh Sơn La",
        issued_date=issued, title=title,
        text=f"Thực hiện Chỉ thị số 21/CT-TTg của Thủ tướng Chính phủ, Ủy ban nhân dân tỉnh ban hành {title.lower()}.",
    )  # fmt: skip


KH_2015 = citing_doc(
    "kh-2015", "64/KH-UBND", date(2015, 3, 9), "Kế hoạch thực hành tiết kiệm, chống lãng phí năm 2015"
)
KH_2025 = citing_doc(
    "kh-2025", "118/KH-UBND", date(2025, 4, 14), "Kế hoạch thực hành tiết kiệm, chống lãng phí năm 2025"
)
KH_2026 = citing_doc(
    "kh-2026", "205/KH-UBND", date(2026, 6, 2), "Kế hoạch phòng cháy, chữa cháy tại khu dân cư năm 2026"
)
KH_2027 = citing_doc(
    "kh-2027", "31/KH-UBND", date(2027, 1, 20), "Kế hoạch phòng cháy, chữa cháy tại khu dân cư năm 2027"
)
KH_UNDATED = citing_doc("kh-undated", "77/KH-UBND", None, "Kế hoạch phòng cháy, chữa cháy trong mùa khô")


def related_ids(searcher: Searcher, doc_id: str) -> dict[str, list[str]]:
    rel = find_related(searcher.store, searcher.index, doc_id, limit=20)
    return {
        "cites": [d.id for d in rel.cites],
        "unresolved": [r.number for r in rel.unresolved],
        "cited_by": sorted(d.id for d in rel.cited_by),
        "similar": [d.id for d in rel.similar],
    }


@pytest.fixture(scope="module")
def only_2026(tmp_path_factory: pytest.TempPathFactory) -> Searcher:
    """The store holds only the 2026 directive: older citations of 21/CT-TTg are of a document it lacks."""
    return build(
        tmp_path_factory.mktemp("only-2026"), DOCS + (CT_2026, KH_2015, KH_2025, KH_2026, KH_2027, KH_UNDATED)
    )


@pytest.fixture(scope="module")
def both_years(tmp_path_factory: pytest.TempPathFactory) -> Searcher:
    return build(
        tmp_path_factory.mktemp("both-years"), DOCS + (CT_2014, CT_2026, KH_2015, KH_2025, KH_2026, KH_2027)
    )


def test_a_citation_is_not_resolved_to_a_document_issued_later(only_2026: Searcher) -> None:
    for earlier in ("kh-2015", "kh-2025"):
        related = related_ids(only_2026, earlier)
        assert related["cites"] == [], earlier
        assert related["unresolved"] == ["21/CT-TTg"], earlier  # listed like a number the store lacks


def test_a_citation_on_the_same_day_or_later_is_resolved(only_2026: Searcher) -> None:
    assert related_ids(only_2026, "kh-2026")["cites"] == ["ct21-2026"]  # same day: a plan implementing it
    assert related_ids(only_2026, "kh-2027")["cites"] == ["ct21-2026"]


def test_an_undated_document_keeps_its_citation(only_2026: Searcher) -> None:
    # Without the citing document's date nothing can be ruled out.
    assert related_ids(only_2026, "kh-undated")["cites"] == ["ct21-2026"]


def test_cited_by_leaves_out_documents_issued_before(only_2026: Searcher) -> None:
    assert related_ids(only_2026, "ct21-2026")["cited_by"] == ["kh-2026", "kh-2027", "kh-undated"]


def test_a_dateless_citation_picks_the_document_issued_before(both_years: Searcher) -> None:
    assert related_ids(both_years, "kh-2025")["cites"] == ["ct21-2014"]
    assert related_ids(both_years, "kh-2015")["cites"] == ["ct21-2014"]
    assert related_ids(both_years, "kh-2027")["cites"] == ["ct21-2014", "ct21-2026"]  # undecidable: both kept


def test_cited_by_of_each_year_lists_only_possible_citers(both_years: Searcher) -> None:
    assert related_ids(both_years, "ct21-2026")["cited_by"] == ["kh-2026", "kh-2027"]
    assert related_ids(both_years, "ct21-2014")["cited_by"] == ["kh-2015", "kh-2025", "kh-2026", "kh-2027"]


def test_cites_and_cited_by_agree(both_years: Searcher) -> None:
    for citer in ("kh-2015", "kh-2025", "kh-2026", "kh-2027"):
        for cited in related_ids(both_years, citer)["cites"]:
            assert citer in related_ids(both_years, cited)["cited_by"], (citer, cited)


def test_similar_does_not_repeat_cited_or_citing_documents(only_2026: Searcher) -> None:
    # kh-2026 cites ct21-2026 and shares its words ("phòng cháy, chữa cháy tại khu dân cư"): the most
    # similar document of all, listed once, under cites.
    related = related_ids(only_2026, "kh-2026")
    assert related["cites"] == ["ct21-2026"]
    assert "ct21-2026" not in related["similar"] and "kh-2027" in related["similar"]
    back = related_ids(only_2026, "ct21-2026")
    assert back["cited_by"] and not set(back["similar"]) & set(back["cited_by"])


def test_what_similar_leaves_out_does_not_shorten_it(only_2026: Searcher) -> None:
    rel = find_related(only_2026.store, only_2026.index, "kh-2026", limit=2)
    assert {d.id for d in rel.similar} == {"kh-2027", "kh-undated"}  # the next two fire-safety plans


# A citation with its date names that year's document: the store's 3894/QĐ-UBND of 2020 is not the one a 2021
# decision cites "ngày 31/8/2007" (QA: 13 of 56 dated citations in Bình Dương's summaries linked the wrong year).
QD_2020 = Document(
    id="qd3894-2020", number="3894/QĐ-UBND", doc_type="quyet-dinh", issued_date=date(2020, 12, 22),
    title="Quyết định phân bổ kế hoạch vốn đầu tư công năm 2021",
)  # fmt: skip
QD_CITING_2007 = Document(
    id="qd-2021", number="2619/QĐ-UBND", doc_type="quyet-dinh", issued_date=date(2021, 11, 17),
    title="điều chỉnh diện tích thuê đất tại quyết định số 3894/qđ-ubnd ngày 31/8/2007 của ủy ban nhân dân tỉnh "
          "và cho phép công ty tnhh phú an chuyển sang hình thức thuê đất trả tiền một lần",
)  # fmt: skip


@pytest.fixture(scope="module")
def other_year(tmp_path_factory: pytest.TempPathFactory) -> Searcher:
    return build(tmp_path_factory.mktemp("other-year"), DOCS + (QD_2020, QD_CITING_2007))


def test_a_dated_citation_of_another_year_stays_unresolved(other_year: Searcher) -> None:
    related = related_ids(other_year, "qd-2021")
    assert related["cites"] == [] and related["unresolved"] == ["3894/QĐ-UBND"]
    assert related_ids(other_year, "qd3894-2020")["cited_by"] == []
    rel = find_related(other_year.store, other_year.index, "qd-2021", limit=5)
    assert rel.unresolved[0].issued_date == date(2007, 8, 31)  # read though the issuer's name runs on
