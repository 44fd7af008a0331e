"""Searching a small corpus: numbers, diacritics, abbreviations, phrases, filters, facets, highlights, errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from corpus.search import Searcher, SearchRequest
from corpus.search_errors import QueryError
from tests.search import DOCS, build


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Searcher:
    return build(tmp_path_factory.mktemp("search"))


def ids(searcher: Searcher, query: str = "", **filters: object) -> list[str]:
    return [h.id for h in searcher.search(SearchRequest(query, limit=20, **filters)).hits]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "typed", ["139/KH-UBND", "139/kh-ubnd", "139 kh ubnd", "kh-ubnd 139", "số 139/KH", "Kế hoạch số 139"]
)
def test_a_number_typed_any_way_returns_its_documents_first_newest_first(
    searcher: Searcher, typed: str
) -> None:
    assert ids(searcher, typed)[:2] == ["kh-2022", "kh-2021"]


def test_number_first_even_with_words_that_do_not_match(searcher: Searcher) -> None:
    assert ids(searcher, "3637/UBND-VX về bảo hiểm thất nghiệp")[0] == "cv-3637"
    assert ids(searcher, "quyết định 1906")[0] == "qd-1906"
    assert ids(searcher, "1/ct-ubnd")[0] == "ct-01"  # printed 01/CT-UBND


def test_a_cited_number_finds_the_citing_document_after_its_own(searcher: Searcher) -> None:
    assert ids(searcher, "1906/QĐ-UBND")[:2] == ["qd-1906", "dt743"]


def test_diacritics_rank_exact_matches_above_folded_collisions(searcher: Searcher) -> None:
    exact = ids(searcher, "đường")
    assert exact[:2] == ["duong-bo", "dt743"]
    # dương, dưỡng (and Bình Dương, the issuer of many): found, ranked below every "đường"
    assert {"duong-bien", "duong-cb"} <= set(exact[2:])
    assert set(ids(searcher, "duong")) == set(exact)


def test_queries_without_diacritics_find_the_same_documents(searcher: Searcher) -> None:
    for marked in ("phòng chống dịch trường học", "tăng cường chấp hành rượu bia", "bồi dưỡng cán bộ"):
        plain = "".join(c for c in __import__("nlp.normalize", fromlist=["fold"]).fold(marked))
        assert ids(searcher, plain)[0] == ids(searcher, marked)[0]


def test_abbreviations_match_expansions_both_ways(searcher: Searcher) -> None:
    assert ids(searcher, "bhyt") == ["cv-3637", "bhyt-full"]  # the form typed first
    assert ids(searcher, "bảo hiểm y tế") == ["bhyt-full", "cv-3637"]
    assert ids(searcher, "thành phố hồ chí minh") == ["tthc-hcm"]
    assert ids(searcher, "thủ tục hành chính liên thông") == ["tthc-hcm"]
    assert ids(searcher, "hđnd phiêng khoài") == ["nq-hdnd"]
    assert ids(searcher, "ubnd bình dương bhyt") == ["cv-3637"]  # the issuer counts as words too


def test_phrases_and_exclusions(searcher: Searcher) -> None:
    assert ids(searcher, '"hành lang an toàn"') == ["duong-bo"]
    assert ids(searcher, '"an toàn hành lang"') == []
    assert set(ids(searcher, "rượu bia")) == {"ruou-bia", "ruou-bia-gt"}
    assert ids(searcher, "rượu bia -giao") == ["ruou-bia"]
    assert ids(searcher, 'rượu bia -"giao thông"') == ["ruou-bia"]


def test_filters(searcher: Searcher) -> None:
    assert ids(searcher, "kế hoạch", doc_type="KH", topic="y tế") == ["kh-2022"]
    assert set(ids(searcher, doc_type="quyết định,chỉ thị", issuer="UBND Bình Dương")) == {
        "qd-1906", "ct-01", "duong-bo", "tthc-hcm"}  # fmt: skip
    assert ids(searcher, issuer="hội đồng nhân dân") == ["nq-hdnd"]
    assert ids(searcher, status="hết hiệu lực") == ["kh-2021"]
    assert ids(searcher, status="chua-co-hieu-luc") == ["nq-hdnd"]
    assert set(ids(searcher, "kế hoạch", date_from="2022-07-01", date_to="31/12/2022")) == {
        "dt743",
        "kh-2022",
    }
    assert ids(searcher, "139 kh ubnd", date_to="2021") == ["kh-2021"]
    assert ids(searcher, "đường", issuer="Ủy ban nhân dân tỉnh Lào Cai") == []  # nobody: nothing


def test_browse_by_filters_is_sorted_by_date(searcher: Searcher) -> None:
    assert ids(searcher, issuer="Sơn La") == ["nq-hdnd", "bhyt-full", "duong-bien", "duong-cb"]
    assert ids(searcher, issuer="Sơn La", sort="date_asc") == [
        "duong-cb",
        "duong-bien",
        "bhyt-full",
        "nq-hdnd",
    ]


def test_sort_by_date_and_paging(searcher: Searcher) -> None:
    result = searcher.search(SearchRequest("kế hoạch", sort="date", limit=3))
    dates = [h.issued_date for h in result.hits]
    assert dates == sorted(dates, reverse=True) and all(h.score is None for h in result.hits)
    everything = ids(searcher, "kế hoạch")
    pages = [
        h.id
        for off in (0, 2, 4)
        for h in searcher.search(SearchRequest("kế hoạch", limit=2, offset=off)).hits
    ]
    assert pages == everything[:6]
    assert searcher.search(SearchRequest("kế hoạch", offset=500)).hits == ()


def test_facets_count_every_match(searcher: Searcher) -> None:
    result = searcher.search(SearchRequest("kế hoạch"))
    assert result.total == len(ids(searcher, "kế hoạch"))
    assert result.facets["doc_type"]["ke-hoach"] == 4
    assert sum(result.facets["year"].values()) == result.total
    assert result.facets["issuer"]["Ủy ban nhân dân tỉnh Bình Dương"] >= 3


def test_hits_carry_metadata_and_highlights_of_the_original_text(searcher: Searcher) -> None:
    (hit,) = searcher.search(SearchRequest("nang cap duong DT 743 thuan an")).hits
    assert (hit.number, hit.doc_type, hit.issued_date) == ("215/KH-UBND", "ke-hoach", date(2022, 9, 15))
    assert (
        hit.highlights.title
        == "Kế hoạch <mark>nâng cấp</mark> tuyến <mark>đường ĐT 743</mark> đoạn qua thị xã <mark>Thuận An</mark>"
    )
    assert hit.highlights.text and all("<mark>" in f for f in hit.highlights.text)
    as_json = hit.to_dict()
    assert as_json["issued_date"] == "2022-09-15" and set(as_json["highlights"]) == {"title", "text"}


@pytest.mark.parametrize(
    ("request_", "field"),
    [
        (SearchRequest(""), "query"),
        (SearchRequest("   "), "query"),
        (SearchRequest("?!... ;;"), "query"),
        (SearchRequest("x" * 10_000), "query"),
        (SearchRequest("kế hoạch", date_from="2023-01-01", date_to="2022-01-01"), "date_from"),
        (SearchRequest("kế hoạch", date_from="31/02/2022"), "date_from"),
        (SearchRequest("kế hoạch", doc_type="công văn hỏa tốc"), "doc_type"),
        (SearchRequest("kế hoạch", topic="thời tiết"), "topic"),
        (SearchRequest("kế hoạch", status="tạm thời"), "status"),
        (SearchRequest("kế hoạch", limit=0), "limit"),
        (SearchRequest("kế hoạch", offset=-1), "offset"),
        (SearchRequest("kế hoạch", sort="ngẫu nhiên"), "sort"),
    ],
)
def test_bad_requests_are_clear_errors(searcher: Searcher, request_: SearchRequest, field: str) -> None:
    with pytest.raises(QueryError) as err:
        searcher.search(request_)
    assert err.value.field == field
    assert err.value.message and not err.value.message.isascii()  # Vietnamese, for the clerk


@pytest.mark.parametrize(
    "query", ['"phòng chống', 'phòng "chống" dịch"', "-", "--", '""', '-""', "((", "*", "a:b", "\\"]
)
def test_odd_queries_never_crash(searcher: Searcher, query: str) -> None:
    try:
        searcher.search(SearchRequest(query))
    except QueryError as exc:
        assert exc.message


def test_request_from_dict_accepts_cli_and_http_names() -> None:
    request = SearchRequest.from_dict({"q": "đường", "type": "QĐ", "from": "2020", "to": "2022"})
    assert (request.query, request.doc_type, request.date_from, request.date_to) == (
        "đường",
        "QĐ",
        "2020",
        "2022",
    )


def test_search_accepts_plain_text_and_counts_match_the_corpus(tmp_path: Path) -> None:
    searcher = build(tmp_path, DOCS[:3])
    assert searcher.search("kế hoạch").total == 2


def test_a_joint_body_number_is_found_typed_loosely(tmp_path: Path) -> None:
    from corpus.document import Document

    docs = (
        Document(id="pccc", number="4321/PCCC&CNCH-P6", title="Đề nghị góp ý dự thảo quy chuẩn phương tiện phòng cháy"),
        Document(id="other", number="4321/UBND-KT", title="Tăng cường quản lý khoáng sản"),
    )  # fmt: skip
    searcher = build(tmp_path, docs)
    for typed in (
        "4321/PCCC&CNCH-P6",
        "4321/pccc&cnch-p6",
        "4321 pccc cnch p6",
        "4321 pccc&cnch p6",
        "4321/PCCC",
    ):
        assert ids(searcher, typed)[0] == "pccc", typed


def test_a_symbol_typed_alone_finds_the_numbers_that_carry_it(tmp_path: Path) -> None:
    from corpus.document import Document
    from corpus.query import parse_query

    docs = (
        Document(id="vx-1", number="3637/UBND-VX", title="Về việc thực hiện chính sách bảo hiểm thất nghiệp"),
        Document(id="vx-2", number="412/UBND-VX", title="Về việc tổ chức Tết Nguyên đán cho người lao động"),
        Document(id="kt-1", number="415/UBND-KT", title="Về việc hướng dẫn thực hiện Công văn số 3637/UBND-VX"),
        Document(id="kh-1", number="139/KH-UBND", title="Kế hoạch phòng, chống dịch sốt xuất huyết năm 2022"),
    )  # fmt: skip
    searcher = build(tmp_path, docs)
    assert set(ids(searcher, "UBND-VX")[:2]) == {"vx-1", "vx-2"}  # its numbers first, then the citing title
    assert ids(searcher, "ubnd-vx")[2:] == ["kt-1"]
    assert ids(searcher, "kh-ubnd")[0] == "kh-1"
    assert ids(searcher, "UBND-VX bảo hiểm thất nghiệp")[0] == "vx-1"
    # words with a hyphen are not symbols
    assert parse_query("covid-19").symbols == () and parse_query("kinh tế-xã hội").symbols == ()
    assert parse_query("KT-XH").symbols == ()  # an abbreviation of words (kinh tế - xã hội), not a symbol


def test_one_code_typed_in_capitals_finds_the_numbers_that_carry_it(tmp_path: Path) -> None:
    from corpus.document import Document
    from corpus.query import parse_query

    docs = (
        Document(id="snnmt-1", number="5141/SNNMT-KS", title="Về việc quản lý, thống kê, kê khai tài nguyên nước"),
        Document(id="snnmt-2", number="6987/SNNMT-KS", title="Về việc thực hiện quy định về khai thác khoáng sản"),
        Document(id="cites", number="12/VP-TH",
                 title="Phiếu trình về Tờ trình số 471/TTr-SNNMT của SNNMT về công trình thủy lợi"),
        Document(id="kh-1", number="139/KH-UBND", title="Kế hoạch phòng, chống dịch sốt xuất huyết năm 2022"),
    )  # fmt: skip
    searcher = build(tmp_path, docs)
    # the body's own documents first, then the one that only names it
    assert set(ids(searcher, "SNNMT")[:2]) == {"snnmt-1", "snnmt-2"} and ids(searcher, "SNNMT")[2] == "cites"
    # a code the numbers do not use, or two letters, stays a word
    assert parse_query("TỈNH", lambda code: False).symbols == ()
    assert parse_query("KS", lambda code: True).symbols == ()


def test_department_names_match_their_ampersand_abbreviations_both_ways(tmp_path: Path) -> None:
    from corpus.document import Document

    docs = (
        Document(id="tnmt", title="Sở TN&MT tỉnh Sơn La báo cáo kết quả thu hồi đất năm 2025"),
        Document(id="ldtbxh", title="Sở LĐ-TB&XH hướng dẫn chi trả trợ cấp thất nghiệp"),
        Document(id="gddt", title="Sở Giáo dục và Đào tạo tổ chức kỳ thi tuyển sinh lớp 10"),
    )  # fmt: skip
    searcher = build(tmp_path, docs)
    assert ids(searcher, "sở tài nguyên và môi trường") == ["tnmt"]
    assert ids(searcher, "tnmt") == ["tnmt"] and ids(searcher, "tn&mt") == ["tnmt"]
    assert ids(searcher, "sở lao động - thương binh và xã hội") == ["ldtbxh"]
    assert ids(searcher, "gd&đt tuyển sinh") == ["gddt"]


def test_a_typed_full_name_finds_a_title_that_abbreviates_part_of_it(tmp_path: Path) -> None:
    from corpus.document import Document

    docs = (
        Document(id="mttq", title="Ủy ban MTTQ Việt Nam tỉnh Sơn La phát động ủng hộ đồng bào bị thiên tai"),
        Document(id="other", title="Ủy ban nhân dân tỉnh Sơn La phát động phong trào thi đua"),
    )  # fmt: skip
    searcher = build(tmp_path, docs)
    assert ids(searcher, "ủy ban mặt trận tổ quốc việt nam tỉnh sơn la") == ["mttq"]
    assert ids(searcher, "ủy ban mặt trận tổ quốc") == ["mttq"]
