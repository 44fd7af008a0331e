"""The issuer is a filter, not text; numbers with and without leading zeros; snippets skip the header."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from corpus.document import Document
from corpus.highlight import content_start
from corpus.search import Searcher, SearchRequest
from tests.search import DOCS, build, built

HEADER = (
    "ỦY BAN NHÂN DÂN\nTỈNH BÌNH DƯƠNG\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "Độc lập - Tự do - Hạnh phúc\n---------------\nSố: 01/KH-UBND\nBình Dương, ngày 05 tháng 01 năm 2023\n\n"
    "KẾ HOẠCH\nTHỰC HIỆN CÔNG TÁC DÂN TỘC NĂM 2023\n"
)
BODY = (
    "Căn cứ Chỉ thị số 1/CT-UBND của Ủy ban nhân dân tỉnh; thực hiện chính sách dân tộc tại các xã vùng sâu."
)
EXTRA = (
    Document(id="kh-01", number="01/KH-UBND", doc_type="ke-hoach", topic="noi-vu",
             issuer="Ủy ban nhân dân tỉnh Bình Dương", issued_date=date(2023, 1, 5),
             title="Kế hoạch thực hiện công tác dân tộc năm 2023", text=HEADER + BODY),
    Document(id="kh-1-2024", number="1/KH-UBND", doc_type="ke-hoach", topic="noi-vu",
             issuer="Ủy ban nhân dân tỉnh Sơn La", issued_date=date(2024, 1, 3),
             title="Kế hoạch kiểm tra công vụ năm 2024"),
    # one number, two provinces, neither text naming its province: the issuer alone tells them apart
    Document(id="na-56", number="56/KH-UBND", doc_type="ke-hoach", topic="lao-dong",
             issuer="Ủy ban nhân dân tỉnh Nghệ An", issued_date=date(2025, 3, 1),
             title="Kế hoạch triển khai Tháng hành động vì trẻ em năm 2025"),
    Document(id="dt-56", number="56/KH-UBND", doc_type="ke-hoach", topic="nong-nghiep",
             issuer="Ủy ban nhân dân tỉnh Đồng Tháp", issued_date=date(2025, 4, 2),
             title="Kế hoạch phòng, chống thiên tai và tìm kiếm cứu nạn năm 2025"),
)  # fmt: skip


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Searcher:
    found = build(Path(tmp_path_factory.mktemp("issuer")), (*DOCS, *EXTRA))
    yield found
    found.store.close()


def ids(searcher: Searcher, query: str, **filters: str) -> list[str]:
    return [h.id for h in searcher.search(SearchRequest(query, limit=50, **filters)).hits]


def test_a_word_of_the_issuer_alone_does_not_match_the_issuer(searcher: Searcher) -> None:
    # "duong": đường bộ, dương tính, bồi dưỡng, the body of dt743 — not the 11 other documents of Bình Dương
    assert set(ids(searcher, "duong")) == {"duong-bo", "duong-bien", "duong-cb", "dt743", "kh-01"}
    assert ids(searcher, "sắc lệnh đo đạc ruộng đất") == []


def test_words_naming_an_issuer_together_match_it(searcher: Searcher) -> None:
    son_la = {d.id for d in (*DOCS, *EXTRA) if d.issuer and d.issuer.endswith("Sơn La")}
    assert set(ids(searcher, "sơn la")) == son_la
    assert ids(searcher, "ubnd sơn la kế hoạch bảo hiểm") == ["bhyt-full"]
    assert ids(searcher, "ủy ban nhân dân bình dương rượu bia") == ["ruou-bia", "ruou-bia-gt"]
    assert set(ids(searcher, "kế hoạch", issuer="Bình Dương")) == {
        "kh-2022",
        "kh-2021",
        "dt743",
        "kh-01",
        "duong-bo",
    }


def test_issuer_words_score_alike_for_every_document_of_that_issuer(searcher: Searcher) -> None:
    # no text says "sơn la": the issuer's pair scores each of its documents the same (Weights.issuer_pair)
    assert len({h.score for h in searcher.search(SearchRequest("sơn la")).hits}) == 1
    hits = searcher.search(SearchRequest("bình dương rượu bia")).hits
    assert [h.id for h in hits] == [h.id for h in searcher.search(SearchRequest("rượu bia")).hits]


@pytest.mark.parametrize(
    "query", ["01/KH-UBND", "1/KH-UBND", "001/kh-ubnd", "1 kh ubnd", "kh-ubnd 01", "số 01/KH"]
)
def test_leading_zeros_do_not_matter(searcher: Searcher, query: str) -> None:
    assert set(ids(searcher, query)[:2]) == {"kh-1-2024", "kh-01"}  # that number's documents first


@pytest.mark.parametrize(
    ("query", "first"),
    [("56/KH-UBND Nghệ An", "na-56"), ("56/KH-UBND nghe an", "na-56"), ("56 kh ubnd nghe an", "na-56"),
     ("56/KH-UBND Đồng Tháp", "dt-56"), ("56/KH-UBND", "dt-56")],
)
def test_a_province_typed_with_a_number_picks_its_document(searcher: Searcher, query: str, first: str) -> None:
    # QA: "56/KH-UBND Nghệ An" put Đồng Tháp's plan first (the newer; the words matched no text)
    found = ids(searcher, query)
    assert found[:2] == [first, ({"na-56", "dt-56"} - {first}).pop()]


def test_a_place_typed_alone_without_marks_lists_its_documents_first(tmp_path: Path) -> None:
    # QA: "dong thap" put Bình Dương decisions on "bất động sản … thu nhập thấp" (folded "dong", "thap" in
    # their text) above Đồng Tháp's own documents, which matched by the issuer alone.
    docs = (
        *DOCS,
        *EXTRA,
        *(Document(id=f"bds-{i}", doc_type="quyet-dinh", issuer="Ủy ban nhân dân tỉnh Bình Dương",
                   title=f"Phê duyệt dự án kinh doanh bất động sản nhà ở cho người thu nhập thấp số {i}",
                   text="Dự án kinh doanh bất động sản dành cho người có thu nhập thấp, "
                        "giá bán thấp hơn thị trường.") for i in range(3)),
    )  # fmt: skip
    with built(tmp_path, docs) as found:
        assert ids(found, "dong thap")[:1] == ["dt-56"] and ids(found, "nghe an")[:1] == ["na-56"]
        # the place beside other words keeps its old weight: the words decide
        assert "bds-0" in ids(found, "bat dong san thu nhap thap")[:3]


def test_subject_words_of_an_agencys_name_are_not_a_place(tmp_path: Path) -> None:
    # QA: after the place-alone weight, "môi trường" listed Sở Nông nghiệp và Môi trường's letters on mining
    # permits above the documents about the environment
    docs = (
        *DOCS,
        *(Document(id=f"snnmt-{i}", doc_type="cong-van", issuer="Sở Nông nghiệp và Môi trường tỉnh Nghệ An",
                   title=f"Về việc gia hạn giấy phép khai thác đá số {i}") for i in range(4)),
        Document(id="bvmt", doc_type="ke-hoach", issuer="Ủy ban nhân dân tỉnh Bình Dương",
                 title="Kế hoạch bảo vệ môi trường năm 2025 trên địa bàn tỉnh"),
    )  # fmt: skip
    with built(tmp_path, docs) as found:
        assert ids(found, "môi trường")[:1] == ["bvmt"] and ids(found, "moi truong")[:1] == ["bvmt"]


def test_two_words_typed_side_by_side_rank_the_text_naming_them_together(tmp_path: Path) -> None:
    # QA: "Lý Sơn" (an island district) ranked the three documents naming it 12th–14th, below titles holding
    # "quản lý" and "Sơn La" apart
    docs = (
        *DOCS,
        *(Document(id=f"ql-{i}", doc_type="quyet-dinh", issuer="Ủy ban nhân dân tỉnh Sơn La",
                   title=f"Ban hành Quy chế quản lý cụm công nghiệp số {i} trên địa bàn tỉnh Sơn La") for i in range(4)),
        Document(id="ly-son", doc_type="cong-van", issuer="Ủy ban nhân dân tỉnh Quảng Ngãi",
                 title="Triển khai thực hiện Nghị định về quản lý, phát triển cụm công nghiệp",
                 text="Kính gửi: Ủy ban nhân dân các xã, phường, đặc khu Lý Sơn. Ủy ban nhân dân tỉnh có ý kiến "
                      "về việc rà soát phương án phát triển cụm công nghiệp."),
    )  # fmt: skip
    with built(tmp_path, docs) as found:
        assert ids(found, "Lý Sơn")[:1] == ["ly-son"]


def test_a_citation_with_or_without_leading_zeros_is_found(searcher: Searcher) -> None:
    assert "dt743" in ids(searcher, "1/CT-UBND") and "kh-01" in ids(searcher, "01/CT-UBND")


def test_snippets_skip_the_header() -> None:
    start = content_start(HEADER + BODY)
    assert (HEADER + BODY)[start:].startswith("Căn cứ Chỉ thị")
    assert content_start(BODY) == 0 and content_start("KẾ HOẠCH\nSố: 1/KH") == 0  # no header / all header


def test_highlights_come_from_the_body_not_the_header(searcher: Searcher) -> None:
    (hit,) = [h for h in searcher.search(SearchRequest("dân tộc")).hits if h.id == "kh-01"]
    assert hit.highlights.text and all("Độc lập" not in t and "DƯƠNG" not in t for t in hit.highlights.text)
    assert "<mark>dân tộc</mark>" in hit.highlights.text[0]
