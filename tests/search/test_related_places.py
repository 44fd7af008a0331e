"""Related documents, QA of 2026-11-29: a citation is linked only to a document it may mean (same day when
dated, same place when its issuer names one or, naming none, a place the citing document speaks of); "cited
by" reads the number whole; a long text finds its like among similar documents."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from corpus.document import Document
from corpus.related import find_related, references
from corpus.search import Searcher
from nlp.numbers import find_references
from tests.search import module_searcher

LAO_CAI = "Ủy ban nhân dân tỉnh Lào Cai"
SON_LA = "Ủy ban nhân dân tỉnh Sơn La"

_REPORT = (
    "Thực hiện Kế hoạch số 58/KH-UBND ngày 10/3/2025 của Ủy ban nhân dân tỉnh về quản lý nhà nước đối với "
    "hoạt động khoáng sản, Sở Nông nghiệp và Môi trường báo cáo như sau:\n"
    "I. KẾT QUẢ THỰC HIỆN\n"
    "1. Công tác cấp phép thăm dò, khai thác khoáng sản: trong năm đã cấp 12 giấy phép khai thác đất, đá, "
    "cát, sỏi làm vật liệu xây dựng thông thường; thu hồi 3 giấy phép hết hạn.\n"
    "2. Công tác thanh tra, kiểm tra: phát hiện và xử lý 27 vụ khai thác cát trái phép trên sông Hồng.\n"
    "II. NHIỆM VỤ NĂM 2026\n"
    "Tiếp tục đấu giá quyền khai thác khoáng sản; tăng cường bảo vệ khoáng sản chưa khai thác.\n"
) * 12  # a long report: its words weigh little next to one-line summaries

_GOODS = (
    "Danh mục hàng hóa nguy hiểm phải vận chuyển bằng phương tiện có giấy phép: chất nổ công nghiệp, khí dễ cháy, "
    "chất lỏng dễ cháy, chất ôxy hóa, chất độc hại; điều kiện đóng gói, ghi nhãn và bảo quản trong kho chứa.\n"
) * 60

DOCS = (
    # the province's own decision and another province's with the same number
    Document(id="lc-1522", number="1522/QĐ-UBND", doc_type="quyet-dinh", issuer=LAO_CAI,
             issued_date=date(2026, 5, 4), title="Phê duyệt phương án đấu giá quyền khai thác khoáng sản năm 2026"),
    Document(id="sl-1522", number="1522/QĐ-UBND", doc_type="quyet-dinh", issuer=SON_LA,
             issued_date=date(2026, 6, 23), title="Phê duyệt danh mục dự án kêu gọi đầu tư năm 2026"),
    Document(id="sl-1382", number="1382/QĐ-UBND", doc_type="quyet-dinh", issuer=SON_LA,
             issued_date=date(2026, 6, 11), title="Ban hành quy chế phối hợp quản lý cụm công nghiệp"),
    Document(id="sl-1471", number="1471/QĐ-UBND", doc_type="quyet-dinh", issuer=SON_LA,
             issued_date=date(2015, 6, 11), title="Phê duyệt quy hoạch vùng nguyên liệu chè"),
    Document(id="tp-07", number="07/CT-UBND", doc_type="chi-thi", issuer="Ủy ban nhân dân thành phố Hà Tĩnh",
             issued_date=date(2025, 2, 14), title="Tăng cường quản lý trật tự đô thị"),
    Document(id="lc-citing", number="240/KH-UBND", doc_type="ke-hoach", issuer=LAO_CAI,
             issued_date=date(2026, 7, 1), title="Tổ chức đấu giá quyền khai thác khoáng sản đợt 2 năm 2026",
             text=("Căn cứ Quyết định số 1522/QĐ-UBND ngày 04/5/2026 của Ủy ban nhân dân tỉnh Lào Cai;\n"
                   "Căn cứ Quyết định số 1382/QĐ-UBND ngày 23/4/2026 của Ủy ban nhân dân tỉnh Lào Cai;\n"
                   "Thực hiện Quyết định số 1471/QĐ-UBND về quy chế đấu giá;\n"
                   "Thực hiện Chỉ thị số 07/CT-UBND ngày 14/02/2025 của Ủy ban nhân dân tỉnh Hà Tĩnh;\n"
                   "Ủy ban nhân dân tỉnh ban hành Kế hoạch tổ chức đấu giá như sau.")),
    # a Sơn La decision citing another of its province without naming the issuer: linked
    Document(id="sl-citing", number="1600/QĐ-UBND", doc_type="quyet-dinh", issuer=SON_LA,
             issued_date=date(2026, 7, 2), title="Điều chỉnh danh mục dự án kêu gọi đầu tư năm 2026",
             text="Căn cứ Quyết định số 1522/QĐ-UBND của Ủy ban nhân dân tỉnh;\nQUYẾT ĐỊNH: Điều 1. Điều chỉnh."),
    # a district's plan cites its province's decision "của UBND tỉnh", the province never named: number and
    # day agree, so it is that decision (QA); the party committee of another province is not this one's
    Document(id="ht-1203", number="1203/QĐ-UBND", doc_type="quyet-dinh", issuer="Ủy ban nhân dân tỉnh Hà Tĩnh",
             issued_date=date(2023, 5, 18), title="Phê duyệt danh mục dự án kêu gọi đầu tư năm 2023"),
    Document(id="lc-tu-12", number="12-CT/TU", doc_type="chi-thi", issuer="Tỉnh ủy Lào Cai",
             issued_date=date(2024, 3, 1), title="Tăng cường sự lãnh đạo của Đảng đối với công tác phòng, chống tham nhũng"),
    Document(id="ky-anh", number="210/KH-UBND", doc_type="ke-hoach", issuer="Ủy ban nhân dân huyện Kỳ Anh",
             issued_date=date(2023, 7, 10), title="Triển khai danh mục dự án kêu gọi đầu tư trên địa bàn huyện",
             text=("Thực hiện Quyết định số 1203/QĐ-UBND ngày 18/5/2023 của UBND tỉnh phê duyệt danh mục dự án;\n"
                   "Thực hiện Chỉ thị số 12-CT/TU của Tỉnh ủy Bình Dương về phòng, chống tham nhũng;\n"
                   "Ủy ban nhân dân huyện ban hành Kế hoạch như sau.")),
    # the Government's yearly resolution, cited without its year by a plan of the same spring
    Document(id="nq-19-2018", number="19-2018/NQ-CP", doc_type="nghi-quyet", issuer="Chính phủ",
             issued_date=date(2018, 5, 15), title="Về tiếp tục thực hiện nhiệm vụ cải thiện môi trường kinh doanh"),
    Document(id="kh-cites-19", number="77/KH-UBND", doc_type="ke-hoach", issuer=LAO_CAI,
             issued_date=date(2018, 6, 8), title="Triển khai Nghị quyết của Chính phủ về môi trường kinh doanh",
             text="Thực hiện Nghị quyết số 19/NQ-CP ngày 15/5/2018 của Chính phủ về cải thiện môi trường kinh doanh;"),
    # a long list whose title shares one common word with many summaries, and two texts on its subject
    Document(id="hang-nguy-hiem", doc_type="thong-tu", issuer="Bộ Công Thương", title="DANH MỤC HÀNG NGUY HIỂM",
             text=_GOODS),
    Document(id="van-chuyen-no", doc_type="nghi-dinh", issuer="Chính phủ", title="VẬN CHUYỂN CHẤT NỔ BẰNG ĐƯỜNG BỘ",
             text=_GOODS.replace("Danh mục", "Quy định")),
    Document(id="kho-chua", doc_type="thong-tu", issuer="Bộ Công Thương", title="BẢO QUẢN KHÍ DỄ CHÁY TRONG KHO",
             text=_GOODS.replace("Danh mục", "Yêu cầu")),
    *(
        Document(id=f"danh-muc-{k}", doc_type="quyet-dinh", issuer=SON_LA,
                 title=f"Công bố danh mục thủ tục hành chính lĩnh vực {field}")
        for k, field in enumerate(("hộ tịch", "đất đai", "giáo dục", "y tế", "xây dựng", "nội vụ", "tư pháp"))
    ),
    # 2025/QĐ-UBND of 2019, and a later decision citing 71/2025/QĐ-UBND: not a citation of it
    Document(id="bd-2025", number="2025/QĐ-UBND", doc_type="quyet-dinh", issuer="Ủy ban nhân dân tỉnh Bình Dương",
             issued_date=date(2019, 7, 15), title="Công bố danh mục thủ tục hành chính lĩnh vực giáo dục"),
    Document(id="bd-later", number="12/2026/QĐ-UBND", doc_type="quyet-dinh", issuer="Ủy ban nhân dân tỉnh Bình Dương",
             issued_date=date(2026, 2, 1), title="Sửa đổi quy định về giá dịch vụ giáo dục",
             text="Căn cứ Quyết định số 71/2025/QĐ-UBND ngày 12/12/2025 của Ủy ban nhân dân tỉnh Bình Dương;"),
    # the same long report filed twice (imported, then uploaded as a file), among one-line summaries
    Document(id="bc-import", number="318/BC-SNNMT", doc_type="bao-cao", issuer="Sở Nông nghiệp và Môi trường",
             parent=LAO_CAI, issued_date=date(2025, 12, 10),
             title="Công tác quản lý nhà nước về địa chất, khoáng sản năm 2025 trên địa bàn tỉnh Lào Cai",
             text=_REPORT),
    Document(id="bc-upload", doc_type="bao-cao", issuer="Sở Nông nghiệp và Môi trường", parent=LAO_CAI,
             title="Công tác quản lý nhà nước về địa chất, khoáng sản năm 2025 trên địa bàn tỉnh Lào Cai",
             text=_REPORT + "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n"),
    *(
        Document(id=f"tom-tat-{k}", doc_type="quyet-dinh", issuer=SON_LA,
                 title=f"Phê duyệt kế hoạch đấu giá quyền khai thác khoáng sản mỏ cát, sỏi số {k}")
        for k in range(12)
    ),
    # other subjects, so that the report's words are rare enough to be asked for (a fifth of the corpus at most)
    *(
        Document(id=f"khac-{k}-{j}", doc_type="cong-van", issuer=SON_LA, title=f"{subject} đợt {j}")
        for k, subject in enumerate((
            "Tăng cường công tác phòng, chống dịch bệnh truyền nhiễm mùa hè",
            "Tổ chức kỳ thi tốt nghiệp trung học phổ thông",
            "Triển khai chương trình mục tiêu quốc gia xây dựng nông thôn mới",
            "Đẩy mạnh chuyển đổi số trong cơ quan nhà nước",
            "Bảo đảm trật tự an toàn giao thông dịp lễ",
            "Hỗ trợ người lao động mất việc làm",
        ))
        for j in range(12)
    ),
)  # fmt: skip


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
    yield from module_searcher(tmp_path_factory, "related-places", DOCS)


def _related(searcher: Searcher, doc_id: str, limit: int = 10):  # noqa: ANN202 - a Related
    return find_related(searcher.store, searcher.index, doc_id, limit)


def test_a_citation_is_linked_only_to_a_document_it_may_mean(searcher: Searcher) -> None:
    related = _related(searcher, "lc-citing")
    # 1522 of Lào Cai, same day: linked; Sơn La's 1522 (another province, another day) is not
    assert [d.id for d in related.cites] == ["lc-1522"]
    unresolved = {u.number: u for u in related.unresolved}
    # another province's 1382 of another day; a bare 1471 of Sơn La in a Lào Cai plan that never names Sơn
    # La; the city of Hà Tĩnh's 07/CT-UBND cited as the province's: all three left "not in the store"
    assert set(unresolved) == {"1382/QĐ-UBND", "1471/QĐ-UBND", "07/CT-UBND"}
    assert unresolved["07/CT-UBND"].issuer == "Ủy ban nhân dân tỉnh Hà Tĩnh"


def test_a_bare_citation_means_a_document_of_the_citing_documents_place(searcher: Searcher) -> None:
    assert [d.id for d in _related(searcher, "sl-citing").cites] == ["sl-1522"]
    assert {d.id for d in _related(searcher, "sl-1522").cited_by} == {"sl-citing"}
    assert {d.id for d in _related(searcher, "lc-1522").cited_by} == {"lc-citing"}


def test_cited_by_reads_the_number_whole(searcher: Searcher) -> None:
    # "71/2025/QĐ-UBND" holds "2025/QĐ-UBND" as a phrase of index terms, not as a citation
    assert _related(searcher, "bd-2025").cited_by == ()


def test_a_long_text_finds_its_twin_among_similar_documents(searcher: Searcher) -> None:
    similar = [d.id for d in _related(searcher, "bc-import").similar]
    assert similar[0] == "bc-upload"
    assert [d.id for d in _related(searcher, "bc-upload").similar][0] == "bc-import"


def test_an_issuer_on_a_wrapped_line_is_read_whole() -> None:
    text = ("Căn cứ Quyết định số 49/2015/QĐ-TTg ngày 14/10/2015 của Thủ tướng Chính\nphủ;\n"
            "Thực hiện Công văn số 4643/VPCP-CN của Văn\nphòng Chính phủ về việc rà soát;\n"
            "Căn cứ Nghị định số 100/2019/NĐ-CP của Chính phủ\nQUYẾT ĐỊNH:")  # fmt: skip
    assert [(r.number.number, r.issuer_text) for r in find_references(text)] == [
        ("49/2015/QĐ-TTg", "Thủ tướng Chính phủ"),
        ("4643/VPCP-CN", "Văn phòng Chính phủ"),
        ("100/2019/NĐ-CP", "Chính phủ"),  # a line in capitals starts anew
    ]
    # a wrapped line saying what the cited document does is not its issuer's name (QA)
    wrapped = "theo Nghị định số 75/2024/NĐ-CP ngày 30/6/2024 của Chính phủ\nđiều chỉnh lương hưu, trợ cấp"
    assert [r.issuer_text for r in find_references(wrapped)] == ["Chính phủ"]


def test_an_issuer_read_from_a_lower_cased_summary_is_named_as_the_body_names_itself(tmp_path) -> None:
    doc = Document(id="bd-x", title="triển khai quyết định số 49/2015/qđ-ttg ngày 14/10/2015 của thủ tướng chính phủ")
    assert [r.issuer_text for r in references(doc)] == ["THỦ TƯỚNG CHÍNH PHỦ"]  # read in capitals
    from tests.search import build

    searcher = build(tmp_path, (doc,))
    (unresolved,) = _related(searcher, "bd-x").unresolved
    assert unresolved.issuer == "Thủ tướng Chính phủ"
    searcher.store.close()


def test_a_same_day_citation_of_the_province_by_a_district_is_linked(searcher: Searcher) -> None:
    related = _related(searcher, "ky-anh")
    assert [d.id for d in related.cites] == ["ht-1203"]
    assert [(u.number, u.issuer) for u in related.unresolved] == [("12-CT/TU", "Tỉnh ủy Bình Dương")]


def test_a_yearly_resolution_cited_without_its_year_is_linked(searcher: Searcher) -> None:
    assert [d.id for d in _related(searcher, "kh-cites-19").cites] == ["nq-19-2018"]


def test_a_long_text_titled_by_one_common_word_finds_texts_on_its_subject(searcher: Searcher) -> None:
    # QA: "DANH MỤC HÀNG NGUY HIỂM" listed ten "danh mục" summaries and none of the texts on dangerous goods
    similar = [d.id for d in _related(searcher, "hang-nguy-hiem").similar]
    assert set(similar[:2]) == {"van-chuyen-no", "kho-chua"}, similar


def test_the_number_on_a_documents_own_header_line_is_not_a_citation() -> None:
    # QA: a document filed as 143/UBND-KT (its number corrected) "cited" the 141/UBND-KT of its own "Số:" line
    doc = Document(id="cv-143", number="143/UBND-KT", text=(
        "ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI\nSố: 141/UBND-KT\nV/v triển khai Quyết định số 12/QĐ-UBND ngày 01/02/2024\n"
        "Căn cứ Công văn số 99/UBND-KT của Sở Tài chính;"))  # fmt: skip
    assert [r.number.number for r in references(doc)] == ["12/QĐ-UBND", "99/UBND-KT"]
