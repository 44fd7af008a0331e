"""Header reading on Vietnamese texts written for these tests (the layouts seen in real extractions)."""

from __future__ import annotations

from datetime import date

import pytest

from nlp.header import Header, parse_header
from nlp.header_issuer import agency_name, group_bodies, issuer_and_parent
from nlp.header_layout import prepare_lines, split_columns
from nlp.header_signature import clean_name

CONG_VAN_INTERLEAVED = """UBND TỈNH SÔNG MÂY CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
SỞ GIÁO DỤC VÀ ĐÀO TẠO Độc lập - Tự do - Hạnh phúc
Số: 1234 /SGDĐT-KHTC Bến Đò, ngày 05 tháng 9 năm 2025
V/v tăng cường công tác phòng, chống
đuối nước cho học sinh trong dịp hè
Kính gửi: Phòng Giáo dục và Đào tạo các huyện, thành phố.
Thực hiện Chỉ thị số 09/CT-UBND ngày 02/5/2025 của Ủy ban nhân dân tỉnh, Sở Giáo dục và Đào tạo đề nghị
các đơn vị triển khai ngay các nội dung sau:
1. Tổ chức tuyên truyền cho học sinh về kỹ năng phòng, chống đuối nước./.
Nơi nhận:
- Như trên;
- UBND tỉnh (để b/c);
- Lưu: VT, KHTC.
KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC
(Đã ký)
Trần Thị Mai Hương
"""

DRAFT_PLAN = """ỦY BAN NHÂN DÂN
TỈNH SÔNG MÂY
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số:        /KH-UBND
Bến Đò, ngày      tháng      năm 2026
KẾ HOẠCH
Triển khai công tác chuyển đổi số
trên địa bàn tỉnh năm 2026
I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
- Nâng cao hiệu quả quản lý nhà nước.
Nơi nhận:
- Bộ Khoa học và Công nghệ (b/c);
- Lưu: VT, KGVX.
TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Lò Văn Hùng
"""

DECISION_WITH_APPENDIX = """ỦY BAN NHÂN DÂN
TỈNH SÔNG MÂY
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 16/2026/QĐ-UBND
Bến Đò, ngày 03 tháng 02 năm 2026
QUYẾT ĐỊNH
Ban hành Quy chế quản lý cụm công nghiệp
trên địa bàn tỉnh Sông Mây
ỦY BAN NHÂN DÂN TỈNH SÔNG MÂY
Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;
QUYẾT ĐỊNH:
Điều 1. Ban hành kèm theo Quyết định này Quy chế quản lý cụm công nghiệp.
Điều 2. Quyết định có hiệu lực kể từ ngày ký./.
Nơi nhận:
- Như Điều 2;
- Lưu: VT, KT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Hoàng Quốc Khánh
QUY CHẾ
Quản lý cụm công nghiệp trên địa bàn tỉnh Sông Mây
(Kèm theo Quyết định số 16/2026/QĐ-UBND ngày 03/02/2026 của Ủy ban nhân dân tỉnh)
Mẫu số 01
TÊN CƠ QUAN
Số: …/QĐ-…
Nơi nhận:
- Như trên;
- Lưu: VT.
GIÁM ĐỐC
(Chữ ký, dấu)
Nguyễn Văn A
"""


def test_interleaved_columns_two_body_issuer_and_cong_van_title() -> None:
    h = parse_header(CONG_VAN_INTERLEAVED)
    assert h.number == "1234/SGDĐT-KHTC"
    assert h.symbol == "SGDĐT-KHTC"
    assert h.doc_type == "cong-van"
    assert h.issuer == "Sở Giáo dục và Đào tạo"
    assert h.parent == "Ủy ban nhân dân tỉnh Sông Mây"
    assert h.place == "Bến Đò"
    assert h.issued_date == date(2025, 9, 5)
    assert h.title == "tăng cường công tác phòng, chống đuối nước cho học sinh trong dịp hè"
    assert h.signer == "Trần Thị Mai Hương"
    assert h.recipients == ("Như trên", "UBND tỉnh (để b/c)", "Lưu: VT, KHTC")


def test_draft_with_blank_number_and_blank_day_month() -> None:
    h = parse_header(DRAFT_PLAN)
    assert h.number is None
    assert h.symbol == "KH-UBND"
    assert h.doc_type == "ke-hoach"
    assert h.issuer == "Ủy ban nhân dân tỉnh Sông Mây"
    assert h.parent is None
    assert h.place == "Bến Đò"
    assert h.issued_date is None
    assert h.title == "Triển khai công tác chuyển đổi số trên địa bàn tỉnh năm 2026"
    assert h.signer == "Lò Văn Hùng"


def test_signature_block_followed_by_rules_and_forms() -> None:
    h = parse_header(DECISION_WITH_APPENDIX)
    assert h.number == "16/2026/QĐ-UBND"
    assert h.doc_type == "quyet-dinh"
    assert h.issued_date == date(2026, 2, 3)
    # the summary stops at the enacting body's name in capitals
    assert h.title == "Ban hành Quy chế quản lý cụm công nghiệp trên địa bàn tỉnh Sông Mây"
    # the real block, not the form's placeholder "Nguyễn Văn A" further down
    assert h.signer == "Hoàng Quốc Khánh"
    assert h.recipients == ("Như Điều 2", "Lưu: VT, KT")


def test_txt_layout_with_wide_gaps_and_tabs() -> None:
    text = (
        "   ỦY BAN NHÂN DÂN                          CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "     HUYỆN BẢO THẮNG\t\t\t\tĐộc lập - Tự do - Hạnh phúc\n"
        "\n"
        "     Số: 87 /UBND-TNMT                         Bảo Thắng, ngày 14 tháng 3 năm 2024\n"
        "V/v rà soát hiện trạng sử dụng đất\n"
        "      các cơ sở tôn giáo\n"
        "\n"
        "                 Kính gửi: Ủy ban nhân dân các xã, thị trấn.\n"
        "     Để có cơ sở lập kế hoạch sử dụng đất năm 2025, UBND huyện đề nghị:\n"
        "Nơi nhận:                                        TM. ỦY BAN NHÂN DÂN\n"
        "- Như trên;                                      KT. CHỦ TỊCH\n"
        "- Lưu: VT.                                       PHÓ CHỦ TỊCH\n"
        "\n"
        "                                                 Vàng Seo Dìn\n"
    )
    h = parse_header(text)
    assert h.number == "87/UBND-TNMT"
    assert h.issuer == "Ủy ban nhân dân huyện Bảo Thắng"
    assert h.place == "Bảo Thắng"
    assert h.issued_date == date(2024, 3, 14)
    assert h.title == "rà soát hiện trạng sử dụng đất các cơ sở tôn giáo"
    assert h.signer == "Vàng Seo Dìn"
    assert h.recipients == ("Như trên", "Lưu: VT")


def test_motto_between_issuer_lines_and_number_glued_to_date() -> None:
    text = (
        "BỘ CÔNG AN\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "CỤC CẢNH SÁT PCCC VÀ CNCH\n"
        "Độc lập - Tự do - Hạnh phúc\n"
        "Số: 215/C07-P2 Hà Nội, ngày 28 tháng 02 năm 2025\n"
        "V/v hướng dẫn kiểm tra an toàn phòng cháy đối với nhà ở kết hợp kinh doanh\n"
        "Kính gửi: Công an các tỉnh, thành phố trực thuộc trung ương.\n"
        "Nội dung hướng dẫn như sau./.\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT, P2.\n"
        "KT. CỤC TRƯỞNG\nPHÓ CỤC TRƯỞNG\n\nThiếu tướng Nguyễn Văn Bình\n"
    )
    h = parse_header(text)
    assert h.issuer == "Cục Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ"
    assert h.parent == "Bộ Công an"
    assert h.number == "215/C07-P2"
    assert h.doc_type == "cong-van"
    assert h.issued_date == date(2025, 2, 28)
    assert h.signer == "Nguyễn Văn Bình"  # the rank is not part of the name


def test_law_number_prefix_and_upper_case_title() -> None:
    text = (
        "QUỐC HỘI\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n---------------\n"
        "Luật số: 91/2025/QH15\nHà Nội, ngày 25 tháng 6 năm 2025\n\nLUẬT\nPHỔ BIẾN, GIÁO DỤC PHÁP LUẬT\n"
        "Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;\n"
        "Luật này được Quốc hội thông qua ngày 25 tháng 6 năm 2025.\nCHỦ TỊCH QUỐC HỘI\n\n\nTrần Thanh Mẫn\n"
    )
    h = parse_header(text)
    assert (h.number, h.symbol, h.doc_type, h.issuer) == ("91/2025/QH15", "QH15", "luat", "Quốc hội")
    assert h.title == "LUẬT PHỔ BIẾN, GIÁO DỤC PHÁP LUẬT"  # a law is named with its type
    assert h.signer == "Trần Thanh Mẫn"


def test_resolution_without_date_line_takes_the_day_it_was_passed() -> None:
    text = (
        "ỦY BAN THƯỜNG VỤ QUỐC HỘI\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Nghị quyết số: 35/2023/UBTVQH15\nNGHỊ QUYẾT\nVề việc sắp xếp đơn vị hành chính cấp huyện, cấp xã\n"
        "ỦY BAN THƯỜNG VỤ QUỐC HỘI\nCăn cứ Hiến pháp;\nQUYẾT NGHỊ:\nĐiều 1. Phạm vi điều chỉnh.\n"
        "Nghị quyết này được Ủy ban Thường vụ Quốc hội thông qua ngày 12 tháng 7 năm 2023./.\n"
        "TM. ỦY BAN THƯỜNG VỤ QUỐC HỘI\nCHỦ TỊCH\n\nVương Đình Huệ\n"
    )
    h = parse_header(text)
    assert h.issuer == "Ủy ban Thường vụ Quốc hội"
    assert h.doc_type == "nghi-quyet"
    assert h.issued_date == date(2023, 7, 12)
    assert h.place is None
    assert h.title == "Về việc sắp xếp đơn vị hành chính cấp huyện, cấp xã"


def test_gazette_running_headers_and_typo_in_number() -> None:
    text = (
        "CÔNG BÁO/Số 101 + 102/Ngày 20-02-2025 15\n"
        "BỘ TÀI CHÍNH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 08/2025//TT-BTC\nHà Nội, ngày 24 tháng 01 năm 2025\nTHÔNG TƯ\n"
        "Hướng dẫn quản lý, sử dụng kinh phí\nCăn cứ Luật Ngân sách nhà nước;\n"
    )
    h = parse_header(text)
    assert h.number == "08/2025/TT-BTC"
    assert h.doc_type == "thong-tu"
    assert h.issuer == "Bộ Tài chính"
    assert h.title == "Hướng dẫn quản lý, sử dụng kinh phí"


def test_text_without_header_gives_empty_fields() -> None:
    h = parse_header(
        "Điều 15. Hồ sơ đề nghị cấp giấy phép\n1. Đơn đề nghị cấp giấy phép.\n2. Bản sao giấy tờ."
    )
    assert (h.number, h.issuer, h.issued_date, h.title, h.signer) == (None, None, None, None, None)
    assert parse_header("") == Header()
    assert parse_header("   \n\t ") == Header()


def test_to_dict_is_json_ready() -> None:
    data = parse_header(DRAFT_PLAN).to_dict()
    assert data["issued_date"] is None
    assert data["recipients"] == ["Bộ Khoa học và Công nghệ (b/c)", "Lưu: VT, KGVX"]
    full = parse_header(CONG_VAN_INTERLEAVED).to_dict()
    assert full["issued_date"] == "2025-09-05"
    assert set(full) == {
        "number",
        "symbol",
        "doc_type",
        "issuer",
        "parent",
        "place",
        "issued_date",
        "title",
        "signer",
        "recipients",
    }


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("UBND TỈNH LÀO CAI", "Ủy ban nhân dân tỉnh Lào Cai"),
        ("HĐND THÀNH PHỐ HẢI PHÒNG", "Hội đồng nhân dân thành phố Hải Phòng"),
        ("SỞ CÔNG THƯƠNG", "Sở Công Thương"),
        ("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "Sở Văn hóa, Thể thao và Du lịch"),
        ("BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", "Bộ Lao động - Thương binh và Xã hội"),
        ("BỘ TÀI CHÍNH", "Bộ Tài chính"),
        ("THỦ TƯỚNG CHÍNH PHỦ", "Thủ tướng Chính phủ"),
        ("CỤC HÓA CHẤT", "Cục Hóa chất"),
        ("ỦY BAN THƯỜNG VỤ QUỐC HỘI", "Ủy ban Thường vụ Quốc hội"),
        ("TỈNH ỦY LÀO CAI", "Tỉnh ủy Lào Cai"),
        ("CÔNG AN TỈNH LÀO CAI", "Công an tỉnh Lào Cai"),
        ("UỶ BAN NHÂN DÂN XÃ PHÚ THỊNH", "Ủy ban nhân dân xã Phú Thịnh"),
    ],
)
def test_agency_capitalisation(printed: str, expected: str) -> None:
    assert agency_name(printed) == expected


def test_issuer_blocks() -> None:
    assert issuer_and_parent(["ỦY BAN NHÂN DÂN", "TỈNH LÀO CAI"]) == ("Ủy ban nhân dân tỉnh Lào Cai", None)
    assert issuer_and_parent(["UBND TỈNH LÀO CAI", "VĂN PHÒNG"]) == (
        "Văn phòng Ủy ban nhân dân tỉnh Lào Cai",
        "Ủy ban nhân dân tỉnh Lào Cai",
    )
    assert issuer_and_parent(["UBND TỈNH LÀO CAI", "THANH TRA"])[0] == "Thanh tra tỉnh Lào Cai"
    assert issuer_and_parent(["BỘ TÀI CHÍNH", "THANH TRA"])[0] == "Thanh tra Bộ Tài chính"
    # the gazette's caption repeats the body printed in the block: one body, not two
    assert group_bodies(
        ["BỘ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN", "BỘ NÔNG NGHIỆP", "VÀ PHÁT TRIỂN NÔNG THÔN"]
    ) == ["BỘ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN"]


def test_layout_helpers() -> None:
    assert split_columns("Số:          /SCT-CN        Lào Cai, ngày      tháng 6 năm 2026") == [
        "Số: /SCT-CN",
        "Lào Cai, ngày tháng 6 năm 2026",
    ]
    kinds = [(ln.kind, ln.text) for ln in prepare_lines("BỘ XÂY DỰNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")]
    assert kinds == [("text", "BỘ XÂY DỰNG"), ("motto", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")]
    # the motto's words inside a summary are not the motto
    kinds = [ln.kind for ln in prepare_lines("giữa Chính phủ nước Cộng hòa xã hội chủ nghĩa Việt Nam và Lào")]
    assert kinds == ["text"]


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Nguyễn Thành Sinh", "Nguyễn Thành Sinh"),
        ("Đại tá Nguyễn Thanh Điệp", "Nguyễn Thanh Điệp"),
        ("TS. Lê Văn Thanh", "Lê Văn Thanh"),
        ("Sùng A Hồ", "Sùng A Hồ"),
        ("Nguyễn Văn A", None),
        ("Họ và tên", None),
        ("Nơi nhận", None),
        ("PHÓ CHỦ TỊCH", None),
    ],
)
def test_signer_names(line: str, name: str | None) -> None:
    assert clean_name(line) == name


def test_nfd_and_old_tone_placement_input() -> None:
    import unicodedata

    text = unicodedata.normalize("NFD", DRAFT_PLAN.replace("ỦY BAN", "UỶ BAN"))
    h = parse_header(text)
    assert h.issuer == "Ủy ban nhân dân tỉnh Sông Mây"
    assert h.doc_type == "ke-hoach"
    assert h.signer == "Lò Văn Hùng"


def test_marks_around_the_header_and_a_summary_opening_like_a_body() -> None:
    text = (
        "DỰ THẢO\n"
        "HĐND TỈNH SÔNG MÂY\nTHƯỜNG TRỰC\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 45/TB-HĐND\nKHẨN\nBến Đò, ngày 02 tháng 3 năm 2026\n"
        "THÔNG BÁO\nThực hiện Nghị quyết số 12/NQ-HĐND về chương trình giám sát năm 2026\n"
        "Thực hiện Nghị quyết số 12/NQ-HĐND, Thường trực Hội đồng nhân dân tỉnh thông báo như sau:\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n"
        "TM. THƯỜNG TRỰC HĐND\nPHÓ CHỦ TỊCH (Đã ký)\nGiàng Thị Dung\n"
    )
    h = parse_header(text)
    assert h.issuer == "Thường trực Hội đồng nhân dân tỉnh Sông Mây"
    assert h.parent == "Hội đồng nhân dân tỉnh Sông Mây"
    assert h.number == "45/TB-HĐND"
    assert h.issued_date == date(2026, 3, 2)
    # the first summary line may start like a body; the second such line is the body
    assert h.title == "Thực hiện Nghị quyết số 12/NQ-HĐND về chương trình giám sát năm 2026"
    assert h.signer == "Giàng Thị Dung"


def test_decision_summary_written_with_v_v() -> None:
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH SÔNG MÂY\nSố: /QĐ-UBND\nBến Đò, ngày tháng năm 2026\n"
        "QUYẾT ĐỊNH\nV/v phê duyệt danh mục dự án kêu gọi đầu tư\nỦY BAN NHÂN DÂN TỈNH SÔNG MÂY\nCăn cứ Luật Đầu tư;\n"
    )
    h = parse_header(text)
    assert (h.doc_type, h.title) == ("quyet-dinh", "phê duyệt danh mục dự án kêu gọi đầu tư")


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK", "Ủy ban nhân dân tỉnh Đắk Lắk"),
        ("UBND HUYỆN KRÔNG PẮC", "Ủy ban nhân dân huyện Krông Pắc"),
        ("UBND HUYỆN ĐẮK MIL", "Ủy ban nhân dân huyện Đắk Mil"),
        ("UBND HUYỆN ĐẮK GLONG", "Ủy ban nhân dân huyện Đắk Glong"),
        ("SỞ KH&ĐT TỈNH ĐẮK NÔNG", "Sở KH&ĐT tỉnh Đắk Nông"),
    ],
)
def test_central_highlands_place_names_are_not_acronyms(printed: str, expected: str) -> None:
    assert agency_name(printed) == expected


def test_a_short_summary_line_ends_where_the_body_starts_without_a_blank_line() -> None:
    """PDFs and plain texts often print the body right under the summary; a short line that does not
    dangle a connector is a whole summary, while a wrapped one goes on ("… tại / Xã An Phú")."""
    head = "ỦY BAN NHÂN DÂN\nTỈNH SÔNG MÂY\nSố: 12/TB-UBND\nSông Mây, ngày 5 tháng 3 năm 2026\n"
    notice = parse_header(head + "THÔNG BÁO\nVề việc nghỉ lễ\nNội dung thông báo về lịch nghỉ lễ như sau.")
    assert notice.title == "Về việc nghỉ lễ"
    wrapped = parse_header(
        head + "QUYẾT ĐỊNH\nVề việc phê duyệt quy hoạch chi tiết khu dân cư tại\nXã An Phú, huyện Thuận An\n"
        "Căn cứ Luật Quy hoạch đô thị;"
    )
    assert wrapped.title == "Về việc phê duyệt quy hoạch chi tiết khu dân cư tại Xã An Phú, huyện Thuận An"
    # a short capitalised line that is no sentence continues the summary
    anniversary = parse_header(
        head.replace("TB", "KH") + "KẾ HOẠCH\nTổ chức các hoạt động kỷ niệm 70 năm\nNgày Chiến thắng Điện Biên Phủ\n"
        "I. MỤC ĐÍCH, YÊU CẦU"
    )
    assert anniversary.title == "Tổ chức các hoạt động kỷ niệm 70 năm Ngày Chiến thắng Điện Biên Phủ"


JOINT_GUIDANCE = """BỘ CÔNG AN - BỘ Y TẾ -
BỘ TÀI CHÍNH - VIỆN KIỂM SÁT
NHÂN DÂN TỐI CAO
Số: 07 /HDLN-BCA-BYT-
ВТC-VKSNDTC
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Hà Nội, ngày 14 tháng 3 năm 2025
HƯỚNG DẪN LIÊN NGÀNH
Về việc phối hợp xử lý vi phạm trong kinh doanh
thuốc lá điện tử
- Căn cứ Luật Phòng, chống tác hại của thuốc lá ngày 18 tháng 6 năm 2012;
- Căn cứ Nghị quyết số 173/2024/QH15 ngày 30/11/2024 của Quốc hội;
"""


def test_joint_guidance_number_wrapped_after_a_hyphen_with_cyrillic_letters() -> None:
    header = parse_header(JOINT_GUIDANCE)
    assert header.number is not None
    assert header.number == "07/HDLN-BCA-BYT-BTC-VKSNDTC"
    assert header.doc_type == "huong-dan"
    assert header.issued_date == date(2025, 3, 14)
    # the bulleted legal basis starts the body: it is not part of the summary
    assert header.title == "Về việc phối hợp xử lý vi phạm trong kinh doanh thuốc lá điện tử"
    assert header.issuer == "Bộ Công an - Bộ Y tế - Bộ Tài chính - Viện kiểm sát nhân dân tối cao"


def test_a_number_line_ending_in_a_hyphen_is_not_joined_to_a_line_of_words() -> None:
    text = "UBND TỈNH SÔNG MÂY\nSố: 12/UBND-\nV/v triển khai kế hoạch năm 2025\nKính gửi: Các sở, ngành."
    header = parse_header(text)
    assert header.number == "12/UBND"
    assert header.title == "triển khai kế hoạch năm 2025"


@pytest.mark.parametrize(
    "between", ["\n", "\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"]  # a blank line; the motto, in PDF reading order
)
def test_a_wrapped_number_is_joined_across_a_blank_line_or_the_motto(between: str) -> None:
    text = (f"BỘ CÔNG AN - BỘ Y TẾ\nSố: 24/HDLN-BCA-BYT-{between}BCT-BTC\nĐộc lập - Tự do - Hạnh phúc\n"
            "Hà Nội, ngày 25 tháng 6 năm 2026\nHƯỚNG DẪN LIÊN NGÀNH\nVề việc phối hợp xử lý vi phạm")  # fmt: skip
    assert parse_header(text).number == "24/HDLN-BCA-BYT-BCT-BTC"


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("BAN TUYÊN GIÁO TỈNH ỦY", "Ban Tuyên giáo Tỉnh ủy"),
        ("BAN THƯỜNG VỤ TỈNH ỦY SƠN LA", "Ban Thường vụ Tỉnh ủy Sơn La"),
        ("TỈNH ỦY LÀO CAI", "Tỉnh ủy Lào Cai"),
        ("HUYỆN ỦY BẢO THẮNG", "Huyện ủy Bảo Thắng"),
        # a steering board is named by its task, not by a list of fields
        ("BAN CHỈ ĐẠO PHÒNG, CHỐNG THIÊN TAI VÀ TÌM KIẾM CỨU NẠN TỈNH",
         "Ban Chỉ đạo phòng, chống thiên tai và tìm kiếm cứu nạn tỉnh"),
        ("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "Sở Văn hóa, Thể thao và Du lịch"),
    ],
)
def test_party_committees_are_proper_names(printed: str, expected: str) -> None:
    assert agency_name(printed) == expected


SUBMISSION_SLIP = """UBND TỈNH SÔNG MÂY
VĂN PHÒNG
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

PHIẾU TRÌNH GIẢI QUYẾT CÔNG VIỆC

Kính gửi: Đồng chí Chủ tịch Ủy ban nhân dân tỉnh.
I. NỘI DUNG TRÌNH
1. Cơ quan trình: Sở Giáo dục và Đào tạo.
2. Vấn đề trình: Về việc phê duyệt kế hoạch tuyển sinh lớp 10 năm học 2026 - 2027.
3. Hồ sơ kèm theo: Tờ trình số 88/TTr-SGDĐT ngày 02/3/2026.
"""

MINUTES = """CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

BIÊN BẢN LÀM VIỆC

Căn cứ Kế hoạch số 12/KH-SCT ngày 05/3/2026 của Sở Công Thương về kiểm tra cụm công nghiệp;
Hôm nay, ngày 20/3/2026, tại Sở Công Thương tỉnh Sông Mây, chúng tôi gồm:
"""


def test_submission_slip_and_minutes_read_their_subject() -> None:
    slip = parse_header(SUBMISSION_SLIP)
    assert slip.doc_type == "phieu-trinh"
    assert slip.title == "Về việc phê duyệt kế hoạch tuyển sinh lớp 10 năm học 2026 - 2027"
    assert slip.issuer == "Văn phòng Ủy ban nhân dân tỉnh Sông Mây"
    minutes = parse_header(MINUTES)
    # the summary printed on the type line itself, when nothing stands under it
    assert (minutes.doc_type, minutes.title) == ("bien-ban", "BIÊN BẢN LÀM VIỆC")


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Phụ lục II\nDANH MỤC CÁC CỤM CÔNG NGHIỆP ƯU TIÊN THU HÚT ĐẦU TƯ\n"
         "(Kèm theo Quyết định số 45/QĐ-UBND ngày 10/01/2026 của UBND tỉnh Sông Mây)\n\nSTT\nTên cụm\n",
         "DANH MỤC CÁC CỤM CÔNG NGHIỆP ƯU TIÊN THU HÚT ĐẦU TƯ"),
        ("PHỤ LỤC 03. MẪU BÁO CÁO TÌNH HÌNH SỬ DỤNG HÓA CHẤT(Ban hành kèm theo Thông tư số 12/2026/TT-BCT "
         "ngày 02 tháng 3 năm 2026 của Bộ trưởng Bộ Công Thương)\n1. Tên tổ chức:\n",
         "MẪU BÁO CÁO TÌNH HÌNH SỬ DỤNG HÓA CHẤT"),
    ],
)
def test_an_annex_is_read_with_its_heading(text: str, title: str) -> None:
    header = parse_header(text)
    assert (header.doc_type, header.title) == ("phu-luc", title)
    assert header.number is None  # the number in "(Kèm theo …)" is the parent's, not the annex's


def test_a_law_is_named_by_its_type_and_subject() -> None:
    text = ("QUỐC HỘI\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
            "Luật số: 99/2026/QH15\nHà Nội, ngày 10 tháng 6 năm 2026\n\nLUẬT\nPHÒNG, CHỐNG THIÊN TAI\n"
            "Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;\n"
            "Quốc hội ban hành Luật Phòng, chống thiên tai.\n")
    header = parse_header(text)
    assert (header.doc_type, header.title) == ("luat", "LUẬT PHÒNG, CHỐNG THIÊN TAI")
    # a decree's summary is not its type's name
    decree = text.replace("QUỐC HỘI", "CHÍNH PHỦ").replace("Luật số: 99/2026/QH15", "Số: 77/2026/NĐ-CP").replace(
        "LUẬT\nPHÒNG, CHỐNG THIÊN TAI", "NGHỊ ĐỊNH\nQuy định chi tiết một số điều của Luật Phòng, chống thiên tai")
    assert parse_header(decree).title == "Quy định chi tiết một số điều của Luật Phòng, chống thiên tai"
