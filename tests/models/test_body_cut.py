"""The body a model reads after the summary stops before the closing block ("Nơi nhận", the signature)."""

from __future__ import annotations

from models.data import BODY_CHARS, body_after_title

TITLE = "Tăng cường kiểm tra an toàn thực phẩm tại bếp ăn tập thể các trường học"
LETTER = (
    "UBND TỈNH QUẢNG TRỊ\nSỞ Y TẾ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
    "Số: 1873/SYT-NVY\nQuảng Trị, ngày 12 tháng 9 năm 2024\n"
    f"V/v {TITLE[0].lower() + TITLE[1:]}\n"
    "Kính gửi: Phòng Y tế các huyện, thị xã, thành phố.\n"
    "Đầu năm học mới, Sở Y tế đề nghị các đơn vị phối hợp ngành giáo dục kiểm tra nguồn gốc nguyên liệu, "
    "lưu mẫu thức ăn 24 giờ tại bếp ăn bán trú; Giám đốc Trung tâm Kiểm soát bệnh tật tỉnh chịu trách nhiệm "
    "lấy mẫu xét nghiệm khi có ngộ độc.\n"
)
CLOSING = (
    "Nơi nhận:\n- Như trên;\n- Sở Giáo dục và Đào tạo;\n- Các đơn vị trực thuộc;\n- Lưu: VT, NVY.\n"
    "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n\n(Đã ký)\n\nLê Thị Thanh Hương\n"
)


def test_a_short_letter_stops_before_its_recipients_and_signature() -> None:
    body = body_after_title(LETTER + CLOSING, TITLE)
    assert body.strip().startswith("Kính gửi")
    assert body.rstrip().endswith("khi có ngộ độc.")
    for boilerplate in ("Nơi nhận", "trực thuộc", "Lưu: VT", "GIÁM ĐỐC", "Lê Thị Thanh Hương"):
        assert boilerplate not in body


def test_a_position_named_in_a_sentence_stays() -> None:
    assert "Giám đốc Trung tâm Kiểm soát bệnh tật tỉnh chịu trách nhiệm" in body_after_title(LETTER, TITLE)


def test_a_long_body_is_still_cut_at_body_chars() -> None:
    paragraph = "Các đơn vị tổ chức kiểm tra đột xuất bếp ăn tập thể, xử lý nghiêm cơ sở vi phạm.\n"
    body = body_after_title(LETTER + paragraph * 40 + CLOSING, TITLE)
    assert len(body) == BODY_CHARS
    assert "Nơi nhận" not in body
