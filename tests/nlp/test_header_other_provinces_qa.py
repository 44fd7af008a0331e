"""QA, 2026-11-29, documents of provinces the project had not seen (Nghệ An, Cà Mau, Thái Nguyên):

* the signer was dropped when the surname is also a heading word (Lưu of "Lưu: VT", Danh of "Danh sách",
  Chương of "Chương II") — Danh is the Khmer surname common in Cà Mau;
* the trích yếu ran into the body when the body's first sentence, printed right under it as Word does,
  introduces a list ("… trân trọng kính mời:", "… chỉ thị:").
"""

from __future__ import annotations

import pytest

from nlp.header import parse_header

_TOP = ("ỦY BAN NHÂN DÂN\nXÃ TÂN TIẾN\nSố: 45/GM-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\nTân Tiến, ngày 02 tháng 4 năm 2024\n")  # fmt: skip


def _letter(type_line: str, summary: str, body: str, signer: str) -> str:
    return (f"{_TOP}{type_line}\n{summary}\n{body}\nNơi nhận:\n- Như trên;\n- Lưu: VT.\n"
            f"TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n{signer}\n")  # fmt: skip


@pytest.mark.parametrize("signer", ["Lưu Đức Hải", "Danh Sô Phi", "Chương Văn Minh", "Lưu Thị Hồng Nhung"])
def test_a_surname_that_is_also_a_heading_word_is_read_as_the_signer(signer: str) -> None:
    text = _letter("THÔNG BÁO", "Kết luận của Chủ tịch UBND xã tại cuộc họp giao ban tháng 3",
                   "Ngày 28/3/2024, Chủ tịch UBND xã chủ trì cuộc họp giao ban.", signer)  # fmt: skip
    assert parse_header(text).signer == signer


@pytest.mark.parametrize("heading", ["Danh sách kèm theo", "DANH SÁCH KÈM THEO", "Chương II", "Lưu VT"])
def test_heading_lines_are_still_no_signer(heading: str) -> None:
    text = _letter("THÔNG BÁO", "Kết luận của Chủ tịch UBND xã tại cuộc họp giao ban tháng 3",
                   "Ngày 28/3/2024, Chủ tịch UBND xã chủ trì cuộc họp giao ban.", heading)  # fmt: skip
    assert parse_header(text).signer is None


@pytest.mark.parametrize(
    ("type_line", "summary", "body"),
    [
        ("GIẤY MỜI", "Dự họp công khai phương án bồi thường, hỗ trợ dự án tuyến kè chống sạt lở bờ sông Bảy Háp",
         "Ủy ban nhân dân xã Tân Tiến trân trọng kính mời:\nCác hộ gia đình có đất bị thu hồi.\n"),
        ("CHỈ THỊ", "Về tăng cường công tác bảo đảm an ninh, trật tự, phòng chống pháo nổ dịp Tết Nguyên đán 2025",
         "Dịp cuối năm, tình hình an ninh, trật tự trên địa bàn xã tiềm ẩn nhiều yếu tố phức tạp; tình trạng "
         "mua bán pháo nổ có chiều hướng gia tăng. Chủ tịch UBND xã chỉ thị:\n1. Công an xã tăng cường tuần tra.\n"),
        ("GIẤY MỜI", "Dự họp triển khai tổ chức Lễ hội Làng Sen năm 2025",
         "Sở Văn hóa và Thể thao trân trọng kính mời:\n- Đại diện lãnh đạo Sở Du lịch, Sở Y tế;\n"),
    ],
)  # fmt: skip
def test_the_summary_ends_where_a_sentence_introduces_the_body(type_line: str, summary: str, body: str) -> None:
    assert parse_header(_letter(type_line, summary, body, "Danh Út")).title == summary


def test_a_summary_wrapped_over_lines_is_still_joined() -> None:
    text = _letter("KẾ HOẠCH", "Tổ chức các hoạt động kỷ niệm 70 năm\nNgày Chiến thắng Điện Biên Phủ",
                   "Thực hiện Kế hoạch số 12/KH-UBND của UBND huyện, UBND xã ban hành kế hoạch như sau:", "Danh Út")
    assert parse_header(text).title == "Tổ chức các hoạt động kỷ niệm 70 năm Ngày Chiến thắng Điện Biên Phủ"
