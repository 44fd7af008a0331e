"""Hostile-input QA of reading uploaded files: NUL bytes and stray bytes in a .txt, a zip bomb and an XML
entity declaration in a .docx. Every file is built here, on the text of a real notice."""

from __future__ import annotations

import zipfile
from io import BytesIO

import pytest

from nlp import extract_docx
from nlp.extract import CorruptDocument, FileTooLarge, UnsupportedFile, extract_bytes
from nlp.extract_errors import SuspiciousDocument
from nlp.extract_text import decode_text
from tests.nlp.test_extract import to_cp1258

NOTICE = (
    "ỦY BAN NHÂN DÂN\n"
    "HUYỆN BẮC HÀ\n"
    "Số: 12/TB-UBND\n"
    "THÔNG BÁO\n"
    "Kết luận của Chủ tịch Ủy ban nhân dân huyện tại buổi làm việc với xã Tả Van Chư\n"
    "Ngày 05 tháng 7 năm 2024, đồng chí Chủ tịch Ủy ban nhân dân huyện đã chủ trì buổi làm việc "
    "với Đảng ủy, Ủy ban nhân dân xã Tả Van Chư về tình hình thực hiện nhiệm vụ phát triển kinh tế - xã hội "
    "6 tháng đầu năm, nhiệm vụ trọng tâm 6 tháng cuối năm 2024.\n"
    "Giao Ủy ban nhân dân xã chủ động rà soát các hộ có nguy cơ tái nghèo, báo cáo trước ngày 30/7/2024.\n"
)
REPLACED = "ký tự không đọc được"


def _warnings_about_replacement(warnings: tuple[str, ...]) -> list[str]:
    return [w for w in warnings if REPLACED in w]


# 1. NUL bytes in a .txt


def test_a_txt_with_a_few_nul_bytes_is_read_without_them_and_with_a_warning():
    data = NOTICE.replace("Số: 12/TB-UBND\n", "Số: 12/TB-UBND\x00\x00 ").encode()
    result = extract_bytes(data, "thong-bao-12.txt")
    assert result.encoding == "utf-8"
    assert "Số: 12/TB-UBND THÔNG BÁO" in result.text and "\x00" not in result.text
    assert "Tả Van Chư" in result.text
    [warning] = result.warnings
    assert "2 ký tự rỗng (NUL)" in warning and "dòng 3" in warning and "tệp gốc" in warning


def test_nul_padding_after_a_cp1258_text_keeps_its_code_page():
    legacy = to_cp1258("Về việc tổ chức họp giao ban") + b"\x00" * 64
    text, encoding, warnings = decode_text(legacy)
    assert (text, encoding) == ("Về việc tổ chức họp giao ban", "cp1258")
    assert any("64 ký tự rỗng (NUL)" in w for w in warnings)
    assert any("Windows-1258" in w for w in warnings)


def test_utf16_keeps_its_nul_bytes_as_text_and_gets_no_nul_warning():
    result = extract_bytes(NOTICE.encode("utf-16-le"), "thong-bao.txt")
    assert result.encoding == "utf-16-le" and "Tả Van Chư" in result.text
    assert not [w for w in result.warnings if "NUL" in w]


def test_binary_data_named_txt_is_said_to_hold_binary_data_not_an_unsupported_format():
    data = b"\x00\x01\x02\x03\x04\x05\x06 " + NOTICE.encode() + bytes(range(32)) * 20
    with pytest.raises(CorruptDocument) as caught:
        extract_bytes(data, "thong-bao.txt")
    message = caught.value.message
    assert "Tệp .txt này chứa dữ liệu nhị phân" in message
    assert "không được hỗ trợ" not in message
    # under any other name the generic refusal is unchanged
    with pytest.raises(UnsupportedFile) as generic:
        extract_bytes(data, "du-lieu.bin")
    assert "không được hỗ trợ" in generic.value.message


# 2. Stray invalid bytes in a UTF-8 .txt


@pytest.mark.parametrize(
    ("stray", "count"),
    [
        (b"\xff", 1),  # one byte no encoding has
        (b"\x93", 2),  # cp1252 quotes pasted into UTF-8 text: \x93 … \x94
    ],
)
def test_stray_bytes_in_utf8_are_counted_and_located(stray, count):
    quoted = "Giao Ủy ban nhân dân xã chủ động rà soát".encode()
    if count == 2:
        quoted = b"\x93" + quoted + b"\x94"
    else:
        quoted = quoted.replace(" xã".encode(), b" " + stray + " xã".encode())
    data = NOTICE.encode().replace("Giao Ủy ban nhân dân xã chủ động rà soát".encode(), quoted)
    result = extract_bytes(data, "thong-bao-12.txt")
    assert result.encoding == "utf-8"
    assert result.text.count("\ufffd") == count
    [warning] = _warnings_about_replacement(result.warnings)
    assert f"Có {count} ký tự không đọc được" in warning and "UTF-8" in warning
    assert "dòng 7" in warning and "Giao Ủy ban nhân dân" in warning and "tệp gốc" in warning


def test_a_short_utf8_note_with_one_stray_byte_is_read_not_refused_as_binary():
    data = "Số: 12/TB-UBND\nTHÔNG BÁO\nVề việc tổ chức ".encode() + b"\xff" + " họp giao ban".encode()
    result = extract_bytes(data, "thong-bao.txt")
    assert result.encoding == "utf-8"
    assert result.text.splitlines()[-1] == "Về việc tổ chức \ufffd họp giao ban"
    [warning] = _warnings_about_replacement(result.warnings)
    assert "Có 1 ký tự" in warning and "dòng 3" in warning


def test_a_replacement_character_written_in_the_file_is_text_not_a_warning():
    result = extract_bytes(NOTICE.replace("xã Tả", "xã \ufffd Tả").encode(), "thong-bao.txt")
    assert "\ufffd" in result.text and not _warnings_about_replacement(result.warnings)


def test_a_utf16_file_cut_in_the_middle_of_a_character_is_counted_too():
    data = b"\xff\xfe" + NOTICE.encode("utf-16-le") + b"\x41"
    result = extract_bytes(data, "thong-bao.txt")
    assert result.encoding == "utf-16-le"
    [warning] = _warnings_about_replacement(result.warnings)
    assert "Có 1 ký tự" in warning and "UTF-16" in warning


def test_clean_files_get_no_new_warning():
    for data in (NOTICE.encode(), NOTICE.encode("utf-16"), b"\xef\xbb\xbf" + NOTICE.encode()):
        assert extract_bytes(data, "thong-bao.txt").warnings == ()


# 4. A zip bomb named .docx


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="word/document.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
    "</Relationships>"
)


def _paragraphs(*texts: str) -> str:
    return "".join(f"<w:p><w:r><w:t>{t}</w:t></w:r></w:p>" for t in texts)


def _document(body: str, prolog: str = "") -> str:
    declaration = '<?xml version="1.0" encoding="UTF-8"?>'
    return f"{declaration}{prolog}<w:document {_W}><w:body>{body}</w:body></w:document>"


def _package(document: str, extra: dict[str, bytes] | None = None) -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/document.xml", document)
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _bomb(unpacked_mb: int) -> bytes:
    """A .docx whose document.xml repeats one paragraph up to ``unpacked_mb`` MB (<1 MB packed)."""
    paragraph = _paragraphs("Ủy ban nhân dân huyện Bắc Hà") * 1000
    repeats = unpacked_mb * 1024 * 1024 // len(paragraph.encode())
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(f'<?xml version="1.0" encoding="UTF-8"?><w:document {_W}><w:body>'.encode())
            chunk = paragraph.encode()
            for _ in range(repeats):
                part.write(chunk)
            part.write(b"</w:body></w:document>")
    return buffer.getvalue()


def test_a_zip_bomb_docx_is_refused_as_suspicious_without_contradicting_the_upload_limit():
    data = _bomb(239)
    assert len(data) < 1024 * 1024
    with pytest.raises(SuspiciousDocument) as caught:
        extract_bytes(data, "ke-hoach.docx")
    assert isinstance(caught.value, CorruptDocument) and not isinstance(caught.value, FileTooLarge)
    message = caught.value.message
    assert "Tệp quá lớn" not in message
    assert "giải nén" in message and "239 MB" in message and "200 MB" in message and "bất thường" in message


def test_a_bomb_hidden_in_another_part_is_refused_too(monkeypatch):
    monkeypatch.setattr(extract_docx, "MAX_UNPACKED_BYTES", 1024 * 1024)
    data = _package(_document(_paragraphs("Kế hoạch phòng, chống thiên tai")),
                    {"word/media/image1.png": b"\x00" * (2 * 1024 * 1024)})  # fmt: skip
    with pytest.raises(SuspiciousDocument) as caught:
        extract_bytes(data, "ke-hoach.docx")
    assert "giải nén" in caught.value.message


def test_a_real_document_is_far_below_the_unpacked_limit():
    data = _package(_document(_paragraphs("KẾ HOẠCH", "Phòng, chống thiên tai năm 2024") * 2000))
    assert extract_bytes(data, "ke-hoach.docx").text.startswith("KẾ HOẠCH\nPhòng, chống thiên tai năm 2024")


# 5. An XML entity declared in a .docx


@pytest.mark.parametrize(
    "prolog",
    [
        '<!DOCTYPE w:document [<!ENTITY coquan "Ủy ban nhân dân huyện">]>',
        '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>',
        '<!DOCTYPE w:document SYSTEM "http://127.0.0.1:9/vanban.dtd">',
    ],
)
def test_a_docx_declaring_a_dtd_is_refused_rather_than_read_short(prolog):
    entity = "&coquan;" if "coquan" in prolog else "&xxe;" if "xxe" in prolog else ""
    body = _paragraphs("THÔNG BÁO", f"Kết luận của Chủ tịch {entity} tại buổi làm việc với xã Tả Van Chư")
    with pytest.raises(SuspiciousDocument) as caught:
        extract_bytes(_package(_document(body, prolog)), "thong-bao.docx")
    message = caught.value.message
    assert "DTD" in message and "Word không bao giờ" in message and "bị từ chối" in message
    assert "/etc/hostname" not in message and "127.0.0.1" not in message


def test_a_docx_without_a_dtd_reads_as_before():
    body = _paragraphs("THÔNG BÁO", "Kết luận của Chủ tịch &amp; Phó Chủ tịch tại xã Tả Van Chư")
    text = extract_bytes(_package(_document(body)), "thong-bao.docx").text
    assert text.splitlines()[1] == "Kết luận của Chủ tịch & Phó Chủ tịch tại xã Tả Van Chư"
