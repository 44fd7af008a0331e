"""PDFs with a text layer on some pages only, short one-page PDFs, and pypdf's noise on damaged files.

The PDFs are written here, page by page, with pypdf's low-level objects: a Helvetica font whose encoding
maps the Vietnamese letters outside Latin-1 to ``/uniXXXX`` glyph names, so that the text layer reads
back with its diacritics. A page given as ``None`` has no text at all, as a scanned page.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from nlp.extract import NoTextLayer, extract_bytes, extract_file
from nlp.extract_errors import CorruptDocument
from tests.nlp.pdf_samples import pdf_from_lines

_FIRST_PAGE = [
    "ỦY BAN NHÂN DÂN TỈNH BÌNH DƯƠNG",
    "Số: 139/KH-UBND",
    "KẾ HOẠCH",
    "Triển khai công tác chuyển đổi số năm 2024",
    "Căn cứ Nghị quyết số 52/NQ-TW ngày 27 tháng 9 năm 2019 của Bộ Chính trị về một số chủ trương,",
    "chính sách chủ động tham gia cuộc Cách mạng công nghiệp lần thứ tư; Ủy ban nhân dân tỉnh ban hành",
    "Kế hoạch triển khai công tác chuyển đổi số năm 2024 trên địa bàn tỉnh như sau.",
]
_SECOND_PAGE = [
    "I. MỤC ĐÍCH, YÊU CẦU",
    "Nâng cao nhận thức của cán bộ, công chức, viên chức và người dân về vai trò của chuyển đổi số;",
    "đẩy mạnh cung cấp dịch vụ công trực tuyến toàn trình, giảm thời gian giải quyết thủ tục hành chính.",
]
_SHORT_NOTICE = [
    "THÔNG BÁO",
    "Lịch họp giao ban tuần chuyển sang 14 giờ chiều thứ Năm tại phòng họp số 2.",
]


def _text_pdf(pages: list[list[str] | None]) -> bytes:
    return pdf_from_lines([[[line] for line in page] if page is not None else None for page in pages])


def test_the_test_pdfs_read_back_with_their_diacritics() -> None:
    result = extract_bytes(_text_pdf([_FIRST_PAGE, _SECOND_PAGE]), "ke-hoach.pdf")
    assert "Triển khai công tác chuyển đổi số năm 2024" in result.text
    assert "dịch vụ công trực tuyến toàn trình" in result.text
    assert result.warnings == ()


def test_typed_first_page_with_scanned_annexes_is_read_with_a_warning() -> None:
    data = _text_pdf([_FIRST_PAGE, None, None, None, None, None])
    result = extract_bytes(data, "ke-hoach-kem-phu-luc-scan.pdf")
    assert result.pages == 6
    assert "Số: 139/KH-UBND" in result.text
    assert any("5/6 trang" in w and "cần OCR" in w for w in result.warnings), result.warnings


def test_one_scanned_page_in_two_is_reported() -> None:
    result = extract_bytes(_text_pdf([_FIRST_PAGE, None]), "hai-trang.pdf")
    assert any("1/2 trang" in w for w in result.warnings), result.warnings


def test_short_one_page_notice_is_accepted() -> None:
    result = extract_bytes(_text_pdf([_SHORT_NOTICE]), "thong-bao.pdf")
    assert result.pages == 1
    assert "Lịch họp giao ban tuần" in result.text
    assert result.warnings == ()


def test_pdf_with_no_text_on_any_page_still_needs_ocr() -> None:
    with pytest.raises(NoTextLayer) as info:
        extract_bytes(_text_pdf([None, None, None, None, None, None]), "scan.pdf")
    assert info.value.pages == 6


def test_one_page_scan_with_a_stamped_header_still_needs_ocr() -> None:
    with pytest.raises(NoTextLayer):
        extract_bytes(_text_pdf([["CÔNG BÁO/Số 577 + 578/Ngày 07-3-2023 69"]]), "cong-bao-scan.pdf")


def test_a_few_stray_words_on_every_page_are_no_text_layer() -> None:
    stray = ["CÔNG BÁO/Số 577 + 578/Ngày 07-3-2023", "Ký bởi: Cổng Thông tin điện tử Chính phủ"]
    with pytest.raises(NoTextLayer):
        extract_bytes(_text_pdf([stray, stray, stray]), "cong-bao-scan.pdf")


@pytest.mark.parametrize(
    "name",
    [
        "lcsct_0019__cong_van_pdf_scan_no_text.pdf",
        "scan_no_text_layer_4p.pdf",
        "thong-bao-so-02-2023-tb-lpqt-39022.pdf",
    ],
)
def test_real_scanned_fixtures_still_need_ocr(fixtures_dir: Path, name: str) -> None:
    with pytest.raises(NoTextLayer):
        extract_file(fixtures_dir / name)


def test_damaged_pdf_logs_nothing_from_pypdf(caplog: pytest.LogCaptureFixture) -> None:
    # pypdf logs "EOF marker not found" (English, on stderr when logging is not configured) before our
    # Vietnamese message; the clerk must see only ours.
    caplog.set_level(logging.WARNING)
    with pytest.raises(CorruptDocument) as info:
        extract_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "cong-van-hong.pdf")
    assert "Không đọc được tệp PDF" in info.value.message
    assert [r.getMessage() for r in caplog.records if r.name.startswith("pypdf")] == []
