"""Where a full text's closing block ("Nơi nhận", the signature) starts, so that callers can cut it off."""

from __future__ import annotations

from nlp.header_signature import closing_block_start

HEADER = (
    "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG TRỊ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
    "Số: 1520/QĐ-UBND\nQuảng Trị, ngày 08 tháng 7 năm 2024\nQUYẾT ĐỊNH\n"
    "Về việc thành lập Tổ công tác kiểm tra an toàn thực phẩm dịp Tết Trung thu\n"
)
ENACTING = "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ\n"
BODY = (
    "Căn cứ Luật An toàn thực phẩm ngày 17 tháng 6 năm 2010;\n"
    "Xét đề nghị của Giám đốc Sở Y tế.\n"
    "QUYẾT ĐỊNH:\n"
    "Điều 1. Thành lập Tổ công tác liên ngành kiểm tra an toàn thực phẩm đối với cơ sở sản xuất bánh trung "
    "thu trên địa bàn tỉnh.\n"
    "Điều 2. Giám đốc Sở Y tế chịu trách nhiệm chỉ đạo Tổ công tác, báo cáo kết quả trước ngày 20/9/2024.\n"
    "Điều 3. Chánh Văn phòng UBND tỉnh, Giám đốc các sở: Y tế, Công Thương và Thủ trưởng các đơn vị liên quan "
    "chịu trách nhiệm thi hành Quyết định này.\n"
)
RECIPIENTS = "Nơi nhận:\n- Như Điều 3;\n- TT Tỉnh ủy, TT HĐND tỉnh;\n- Các PCT UBND tỉnh;\n- Lưu: VT, VX.\n"
SIGNATURE = "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n(Đã ký)\nHoàng Nam\n"


def _cut(text: str) -> str:
    return text[: closing_block_start(text)]


def test_the_recipients_heading_before_the_signature_starts_the_block() -> None:
    text = HEADER + ENACTING + BODY + RECIPIENTS + SIGNATURE
    assert _cut(text) == HEADER + ENACTING + BODY


def test_the_signature_before_the_recipients_starts_the_block() -> None:
    text = HEADER + BODY + SIGNATURE + RECIPIENTS
    assert _cut(text) == HEADER + BODY


def test_a_signature_without_recipients() -> None:
    letter = BODY + "GIÁM ĐỐC\n\n\nTrần Thị Thu Hà\n"
    assert _cut(letter) == BODY


def test_two_columns_joined_on_one_line() -> None:
    text = (
        BODY
        + "Nơi nhận:                                   KT. CHỦ TỊCH\n- Như Điều 3;         PHÓ CHỦ TỊCH\n"
    )
    text += "- Lưu: VT.\n                                        Hoàng Nam\n"
    assert _cut(text) == BODY


def test_a_recipients_list_whose_signature_was_an_image() -> None:
    assert _cut(BODY + RECIPIENTS) == BODY


def test_sentences_naming_a_position_are_never_cut() -> None:
    # "Giám đốc Sở Y tế chịu trách nhiệm…" and the enacting line in capitals are part of the body.
    text = HEADER + ENACTING + BODY
    assert closing_block_start(text) == len(text)


def test_a_position_line_without_a_signer_is_not_a_block() -> None:
    text = BODY + "CHỦ TỊCH\nCăn cứ kết quả kiểm tra, Tổ công tác đề xuất xử lý các cơ sở vi phạm.\n"
    assert closing_block_start(text) == len(text)


def test_nơi_nhận_in_a_sentence_is_not_a_heading() -> None:
    procedure = (
        "Thành phần hồ sơ gồm đơn đề nghị và bản sao giấy chứng nhận.\n"
        "Nơi nhận hồ sơ: Bộ phận Một cửa Sở Tư pháp, số 12 Hùng Vương, Đông Hà.\n"
        "- Thời hạn giải quyết: 05 ngày làm việc;\n"
        "- Lệ phí: không.\n"
        "Kết quả: Giấy xác nhận.\n"
    )
    assert closing_block_start(procedure) == len(procedure)


def test_start_skips_what_comes_before() -> None:
    text = SIGNATURE + BODY + RECIPIENTS
    assert closing_block_start(text, len(SIGNATURE)) == len(SIGNATURE) + len(BODY)
    assert closing_block_start("") == 0
