"""QA, 2026-11-29: what a query's words match and what leaves them out.

* the national motto of every full text made "hòa", "tự do", "hạnh phúc" match all of them;
* a word left out typed without marks ("-khanh") left Khánh in;
* a filter or a word left out that emptied the answer brought back "relaxed" documents lacking the words;
* a validity status sent decomposed (NFD) was refused;
* the number's own full text (whose header prints it) ranked above a newer record of the same number.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from datetime import date

import pytest

from corpus.document import Document
from corpus.search import Searcher, SearchRequest
from tests.search import module_searcher

HEADER = (
    "ỦY BAN NHÂN DÂN                    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "TỈNH KHÁNH HÒA                      Độc lập - Tự do - Hạnh phúc\n"
    "Số: 312/QĐ-UBND                    Khánh Hòa, ngày 4 tháng 3 năm 2021\n\n"
)
DOCS = (
    Document(id="kh-yen-sao", number="312/QĐ-UBND", doc_type="quyet-dinh", topic="kinh-te",
             issuer="Ủy ban nhân dân tỉnh Khánh Hòa", issued_date=date(2021, 3, 4), status="Còn hiệu lực",
             title="Quyết định phê duyệt đề án phát triển nghề khai thác yến sào tỉnh Khánh Hòa",
             text=HEADER + "QUYẾT ĐỊNH\nPhê duyệt đề án phát triển nghề khai thác yến sào.\n"
                           "Điều 1. Giải quyết việc làm cho lao động ven biển, nâng cao giá trị sản phẩm yến sào."),
    Document(id="pq-yen-sao", number="77/KH-UBND", doc_type="ke-hoach", topic="kinh-te",
             issuer="Ủy ban nhân dân tỉnh Phú Yên", issued_date=date(2022, 5, 10), status="Hết hiệu lực",
             title="kế hoạch bảo vệ nguồn lợi yến sào tại các đảo ven bờ"),
    Document(id="hoa-giai", number="15/KH-UBND", doc_type="ke-hoach", topic="tu-phap",
             issuer="Ủy ban nhân dân huyện Cam Lâm", issued_date=date(2023, 2, 1),
             title="kế hoạch triển khai công tác hòa giải ở cơ sở năm 2023"),
    Document(id="cl-mot-cua", number="88/QĐ-UBND", doc_type="quyet-dinh", topic="cai-cach-hanh-chinh",
             issuer="Ủy ban nhân dân huyện Cam Lâm", issued_date=date(2024, 9, 9),
             title="Quyết định ban hành quy chế bộ phận một cửa huyện Cam Lâm",
             text="ỦY BAN NHÂN DÂN          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nHUYỆN CAM LÂM          Độc lập - Tự do "
                  "- Hạnh phúc\nSố: 88/QĐ-UBND\n\nQUYẾT ĐỊNH\nBan hành quy chế bộ phận một cửa.\nĐiều 1. Bộ phận một "
                  "cửa tiếp nhận hồ sơ, giải quyết thủ tục hành chính cho tổ chức, cá nhân."),
    Document(id="yt-cach-ly", number="901/UBND-VX", doc_type="cong-van", topic="y-te",
             issuer="Ủy ban nhân dân tỉnh Khánh Hòa", issued_date=date(2021, 8, 2),
             title="về việc tổ chức khu cách ly tập trung phòng, chống dịch COVID-19"),
    Document(id="gd-on-thi", number="66/KH-SGDĐT", doc_type="ke-hoach", topic="giao-duc",
             issuer="Sở Giáo dục và Đào tạo tỉnh Khánh Hòa", issued_date=date(2022, 4, 12),
             title="kế hoạch tập trung ôn thi tốt nghiệp trung học phổ thông"),
    Document(id="kh-chat-thai", number="140/KH-SYT", doc_type="ke-hoach", topic="y-te",
             issuer="Sở Y tế tỉnh Khánh Hòa", issued_date=date(2021, 9, 1),
             title="KẾ HOẠCH QUẢN LÝ CHẤT THẢI Y TẾ NĂM 2021",
             text="Các khu cách ly thu gom chất thải lây nhiễm hằng ngày, bàn giao cho đơn vị xử lý."),
    Document(id="tb-trieu-cuong", number="52/TB-BCH", doc_type="thong-bao", topic="an-ninh",
             issuer="Ban Chỉ huy phòng, chống thiên tai tỉnh Khánh Hòa", issued_date=date(2024, 10, 20),
             title="thông báo về triều cường và nước dâng",
             text="Mực nước tại trạm Hòn Tre đạt 188,75 cm lúc 17 giờ. Dự báo đỉnh triều cường cao 1,8 m "
                  "vào chiều ngày 21."),
    Document(id="qd-dinh-chinh", number="1931/QĐ-UBND", doc_type="quyet-dinh", topic="noi-vu",
             issuer="Ủy ban nhân dân tỉnh Khánh Hòa", issued_date=date(2025, 11, 3),
             title="Quyết định đính chính một số nội dung của Phụ lục số 01 kèm theo Quyết định số 701/QĐ-UBND"),
    Document(id="nq-cp-phu-luc", number="66/NQ-CP", doc_type="nghi-quyet", topic="noi-vu",
             issuer="Chính phủ", issued_date=date(2025, 3, 26),
             title="Nghị quyết của Chính phủ về cắt giảm thủ tục hành chính, phụ lục kèm theo"),
    Document(id="tt-mau-don", number="14/2024/TT-BCT", doc_type="thong-tu", topic="kinh-te",
             issuer="Bộ Công Thương", issued_date=date(2024, 7, 1),
             title="Thông tư quy định mẫu đơn đề nghị cấp giấy phép kinh doanh xăng dầu",
             text="Điều 1. Phạm vi điều chỉnh: mẫu đơn đề nghị cấp giấy phép kinh doanh xăng dầu. " * 60
                  + "\nPhụ lục\nMẫu số 01\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
                  "ĐƠN ĐỀ NGHỊ CẤP GIẤY PHÉP\nKính gửi: Sở Công Thương."),
    Document(id="na-du-lich", number="210/KH-UBND", doc_type="ke-hoach", topic="van-hoa",
             issuer="Ủy ban nhân dân tỉnh Nghệ An", issued_date=date(2024, 4, 2),
             title="kế hoạch phát triển du lịch cộng đồng giai đoạn 2024-2025",
             text="ỦY BAN NHÂN DÂN\nTỈNH NGHỆ AN\nSố: 210/KH-UBND\nKẾ HOẠCH\nPhát triển du lịch cộng đồng giai đoạn "
                  "2024-2025\nPhát triển du lịch cộng đồng tại các huyện miền Tây gắn với bảo tồn văn hóa dân tộc Thái."),
    Document(id="kh-cong-nghe", number="77/KH-STTTT", doc_type="ke-hoach", topic="thong-tin",
             issuer="Sở Thông tin và Truyền thông tỉnh Khánh Hòa", issued_date=date(2025, 1, 9),
             title="kế hoạch ứng dụng công nghệ số bảo đảm an toàn, an ninh thông tin"),
    Document(id="qd-312-moi", number="312/QĐ-UBND", doc_type="quyet-dinh", topic="noi-vu",
             issuer="Ủy ban nhân dân tỉnh Khánh Hòa", issued_date=date(2025, 2, 20),
             title="quyết định kiện toàn ban chỉ đạo cải cách hành chính tỉnh"),
)  # fmt: skip


# Titles of the kind that fill a store, so that "an" and "nghệ" are as common as they are among thousands.
FILLER = tuple(
    Document(id=f"fill-{i:02d}", doc_type="ke-hoach", issuer="Ủy ban nhân dân tỉnh Phú Yên",
             title=(f"kế hoạch bảo đảm an toàn giao thông năm {2015 + i}" if i % 2
                    else f"kế hoạch ứng dụng công nghệ thông tin năm {2015 + i}"))
    for i in range(12)
)  # fmt: skip


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
    yield from module_searcher(tmp_path_factory, "qa-words", DOCS + FILLER)


def _ids(searcher: Searcher, query: str, **options: object) -> list[str]:
    request = SearchRequest(query, facets=False, highlights=False, **options)  # type: ignore[arg-type]
    return [hit.id for hit in searcher.search(request).hits]


def test_the_motto_does_not_make_every_full_text_match(searcher: Searcher) -> None:
    found = _ids(searcher, "hòa giải")
    assert found[0] == "hoa-giai" and "cl-mot-cua" not in found  # its only "hòa" is the motto's
    assert _ids(searcher, "tự do hạnh phúc") == []  # nor the motto of a form annexed far down a circular
    assert _ids(searcher, "giải quyết thủ tục") == ["cl-mot-cua"]  # the body itself is still searched


def test_a_word_left_out_without_marks_leaves_out_every_form(searcher: Searcher) -> None:
    assert _ids(searcher, "yến sào -khanh") == ["pq-yen-sao"]
    assert _ids(searcher, "yến sào -Khánh") == ["pq-yen-sao"]
    assert _ids(searcher, 'yến sào -"khanh hoa"') == ["pq-yen-sao"]


def test_an_answer_emptied_by_filters_or_left_out_words_stays_empty(searcher: Searcher) -> None:
    assert _ids(searcher, "cách ly tập trung", topic="giao-duc") == []  # not gd-on-thi, holding "tập trung"
    assert _ids(searcher, "cách ly tập trung") == ["yt-cach-ly"]
    assert _ids(searcher, "yến sào -Khánh -đảo") == []
    # Words no document holds together still get the documents holding most of them.
    relaxed = searcher.search(SearchRequest("yến sào Nha Trang", facets=False, highlights=False))
    assert relaxed.query is not None and relaxed.query.relaxed
    assert {hit.id for hit in relaxed.hits} == {"pq-yen-sao", "kh-yen-sao"}


def test_a_status_sent_decomposed_is_read(searcher: Searcher) -> None:
    assert _ids(searcher, "yến sào", status=unicodedata.normalize("NFD", "hết hiệu lực")) == ["pq-yen-sao"]


def test_the_documents_of_a_number_come_newest_first_whether_their_text_prints_it(searcher: Searcher) -> None:
    assert _ids(searcher, "312/QĐ-UBND") == ["qd-312-moi", "kh-yen-sao"]
    assert _ids(searcher, "qd 312")[:2] == ["qd-312-moi", "kh-yen-sao"]


def test_a_folded_collision_is_not_marked_where_the_document_holds_the_word_typed(searcher: Searcher) -> None:
    result = searcher.search(SearchRequest("cách ly", facets=False))
    hit = next(h for h in result.hits if h.id == "kh-chat-thai")
    assert hit.highlights.title is None  # "QUẢN LÝ" is not "cách ly"'s "ly": the body holds "ly" itself
    assert any("<mark>cách ly</mark>" in fragment for fragment in hit.highlights.text)


def test_a_figure_with_a_decimal_mark_is_marked_whole_and_not_inside_another(searcher: Searcher) -> None:
    """QA: "1,75 m triều cường" marked the 75 of "188,75"."""
    hit = searcher.search(SearchRequest("1,75 m triều cường", facets=False)).hits[0]
    fragment = " ".join(hit.highlights.text)
    assert hit.id == "tb-trieu-cuong" and "<mark>triều cường</mark>" in fragment and " 188,75 cm " in fragment
    hit = searcher.search(SearchRequest("1,8 m triều cường", facets=False)).hits[0]
    assert "<mark>1,8 m</mark>" in " ".join(hit.highlights.text)


def test_words_typed_with_marks_are_an_abbreviation_only_as_spelled(searcher: Searcher) -> None:
    """QA: "đính chính phụ lục" read "chính phụ" as Chính phủ (CP): the decision correcting an annex was lost
    and the Government's resolutions came first."""
    assert _ids(searcher, "đính chính phụ lục")[0] == "qd-dinh-chinh"
    assert _ids(searcher, "nghị quyết chính phủ phụ lục")[0] == "nq-cp-phu-luc"  # as spelled, still CP


def test_codes_in_capitals_do_not_make_a_query_typed_without_marks(searcher: Searcher) -> None:
    """QA: "UBND-VX cách ly" marked the LÝ of QUẢN LÝ, as a query without marks would."""
    hit = next(h for h in searcher.search(SearchRequest("UBND-VX cách ly", facets=False)).hits if h.id == "kh-chat-thai")
    assert hit.highlights.title is None and any("<mark>cách ly</mark>" in f for f in hit.highlights.text)


def test_a_bare_figure_beside_words_finds_the_documents_numbered_so(searcher: Searcher) -> None:
    """QA: "1818 sơn la" lost the decision numbered 1818 (its text never prints the figure)."""
    found = _ids(searcher, "312 khánh hòa")
    assert "qd-312-moi" in found[:2] and "kh-yen-sao" in found[:2]


def test_a_province_typed_ranks_its_documents_above_titles_whose_words_fold_alike(searcher: Searcher) -> None:
    """QA: "nghệ an" ranked "công nghệ … an toàn" titles above Nghệ An's documents (the issuer scored 0)."""
    assert _ids(searcher, "nghệ an")[0] == "na-du-lich"
