"""Text extraction from files built in tmp_path: encodings, Word documents, PDFs and the refusals."""

from __future__ import annotations

import unicodedata
import zipfile
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest

from nlp.extract import (
    CorruptDocument,
    EmptyDocument,
    EncryptedDocument,
    ExtractionError,
    FileTooLarge,
    NoTextLayer,
    UnsupportedFile,
    extract_bytes,
    extract_file,
    sniff_format,
)
from nlp.extract_text import vietnamese_score
from nlp.header import parse_header

LETTER = (
    "ỦY BAN NHÂN DÂN\n"
    "TỈNH SÔNG MÂY\n"
    "Số: 318/UBND-VX\n"
    "V/v hưởng ứng Tuần lễ quốc gia phòng, chống thiên tai năm 2026\n"
    "Kính gửi: Các sở, ban, ngành; Ủy ban nhân dân các xã, phường.\n"
    "Để chủ động ứng phó với mưa lũ, sạt lở đất, Ủy ban nhân dân tỉnh đề nghị các đơn vị "
    "tổ chức tuyên truyền rộng rãi tới người dân, nhất là ở vùng sâu, vùng xa./.\n"
)

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def to_cp1258(text: str) -> bytes:
    """Encode as Windows does: precomposed base letters where cp1258 has them, tones as combining marks."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        tones = "".join(c for c in parts if c in _TONES)
        out += (base + tones).encode("cp1258")
    return bytes(out)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("encoded", "encoding"),
    [
        (LETTER.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + LETTER.encode("utf-8"), "utf-8-sig"),
        (LETTER.encode("utf-16"), "utf-16-le"),  # with BOM (little-endian on this platform)
        (LETTER.encode("utf-16-le"), "utf-16-le"),  # no BOM: found by the NUL pattern
        (LETTER.encode("utf-16-be"), "utf-16-be"),
        (to_cp1258(LETTER), "cp1258"),
    ],
)
def test_text_encodings(tmp_path: Path, encoded: bytes, encoding: str) -> None:
    result = extract_file(write(tmp_path, "cong-van.txt", encoded))
    assert result.format == "txt"
    assert result.encoding == encoding
    assert result.text.splitlines()[0] == "ỦY BAN NHÂN DÂN"
    assert "Tuần lễ quốc gia phòng, chống thiên tai" in result.text
    assert unicodedata.is_normalized("NFC", result.text)
    if encoding == "cp1258":  # a guessed legacy code page: the clerk is asked to check the marks
        assert result.warnings == (
            "Tệp không lưu theo UTF-8: đã đọc theo bảng mã Windows-1258 (cp1258); "
            "hãy kiểm tra dấu tiếng Việt và lưu lại tệp theo UTF-8.",
        )
    else:
        assert result.warnings == ()
    header = parse_header(result.text)
    assert header.issuer == "Ủy ban nhân dân tỉnh Sông Mây"
    assert header.number == "318/UBND-VX"


def test_cp1258_is_not_mistaken_for_western_encoding() -> None:
    data = to_cp1258(LETTER)
    # the same bytes read as Windows-1252 look like mojibake; the detector must prefer cp1258
    assert vietnamese_score(data.decode("cp1252")) < 0.6
    assert extract_bytes(data).encoding == "cp1258"


def test_extension_is_ignored(tmp_path: Path) -> None:
    # a .pdf that is really text, and a .txt that is really a .docx
    assert extract_file(write(tmp_path, "that-ra-la-txt.pdf", LETTER.encode("utf-8"))).format == "txt"
    docx_bytes = _letter_docx()
    assert extract_file(write(tmp_path, "that-ra-la-docx.txt", docx_bytes)).format == "docx"


def test_empty_files(tmp_path: Path) -> None:
    for data in (b"", b"   \r\n\t  \n", b"\x00\x00\x00"):
        with pytest.raises(EmptyDocument) as info:
            extract_file(write(tmp_path, "rong.txt", data))
        assert "rỗng" in info.value.message


def test_unknown_binary_is_refused(tmp_path: Path) -> None:
    data = bytes(range(256)) * 40
    with pytest.raises(UnsupportedFile) as info:
        extract_file(write(tmp_path, "du-lieu.bin", data))
    assert ".docx" in info.value.message and ".pdf" in info.value.message


def test_images_and_other_office_files_are_refused() -> None:
    with pytest.raises(UnsupportedFile) as info:
        extract_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "anh-chup.png")
    assert "OCR" in info.value.message
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(UnsupportedFile) as info:
        extract_bytes(buffer.getvalue(), "bang-tinh.xlsx")
    assert "Excel" in info.value.message
    with pytest.raises(UnsupportedFile) as info:
        extract_bytes(b"{\\rtf1\\ansi Cong van}", "cong-van.rtf")
    assert ".docx" in info.value.message


def test_file_too_large(tmp_path: Path) -> None:
    path = write(tmp_path, "lon.txt", LETTER.encode("utf-8") * 50)
    with pytest.raises(FileTooLarge) as info:
        extract_file(path, max_bytes=1000)
    assert "quá lớn" in info.value.message
    with pytest.raises(FileTooLarge):
        extract_bytes(LETTER.encode("utf-8") * 50, max_bytes=1000)
    assert extract_file(path).format == "txt"  # the default limit (20 MB) lets it through


def _letter_docx() -> bytes:
    import docx

    document = docx.Document()
    header = document.add_table(rows=2, cols=2)
    header.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nTỈNH SÔNG MÂY"
    header.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    header.cell(1, 0).text = "Số: 25/KH-UBND"
    header.cell(1, 1).text = "Sông Mây, ngày 10 tháng 4 năm 2026"
    document.add_paragraph("")
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("Tổ chức Ngày Sách và Văn hóa đọc Việt Nam")
    document.add_paragraph("năm 2026 trên địa bàn tỉnh")
    document.add_paragraph("I. MỤC ĐÍCH, YÊU CẦU")
    document.add_paragraph("Khơi dậy phong trào đọc sách trong cán bộ, công chức và Nhân dân.")
    signature = document.add_table(rows=1, cols=2)
    signature.cell(0, 0).text = "Nơi nhận:\n- Bộ Văn hóa, Thể thao và Du lịch;\n- Lưu: VT, KGVX."
    signature.cell(0, 1).text = "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\n\nĐinh Thị Thu Hà"
    document.add_paragraph("Phụ lục")
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_with_header_table(tmp_path: Path) -> None:
    result = extract_file(write(tmp_path, "ke-hoach.docx", _letter_docx()))
    assert result.format == "docx"
    assert result.encoding is None and result.pages is None
    lines = result.text.splitlines()
    # body order, table cells row by row, each paragraph of a cell on its own line
    assert lines[:6] == [
        "ỦY BAN NHÂN DÂN",
        "TỈNH SÔNG MÂY",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 25/KH-UBND",
        "Sông Mây, ngày 10 tháng 4 năm 2026",
    ]
    assert lines.index("KẾ HOẠCH") < lines.index("Nơi nhận:") < lines.index("Đinh Thị Thu Hà")
    assert lines[-1] == "Phụ lục"
    header = parse_header(result.text)
    assert header.number == "25/KH-UBND"
    assert header.doc_type == "ke-hoach"
    assert header.issuer == "Ủy ban nhân dân tỉnh Sông Mây"
    assert header.issued_date == date(2026, 4, 10)
    assert header.title == "Tổ chức Ngày Sách và Văn hóa đọc Việt Nam năm 2026 trên địa bàn tỉnh"
    assert header.signer == "Đinh Thị Thu Hà"
    assert header.recipients == ("Bộ Văn hóa, Thể thao và Du lịch", "Lưu: VT, KGVX")


def test_docx_merged_cells_and_column_gaps() -> None:
    import docx

    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 1))
    merged.text = "SỞ TÀI CHÍNH"
    table.cell(0, 2).text = "Ghi chú"
    table.cell(1, 0).text = "Số thứ tự"
    document.add_paragraph("TM. ỦY BAN NHÂN DÂN\t\t\tKT. CHỦ TỊCH")
    buffer = BytesIO()
    document.save(buffer)
    lines = extract_bytes(buffer.getvalue()).text.splitlines()
    # a merged cell is read once; a wide tab gap splits two columns typed on one line
    assert lines == ["SỞ TÀI CHÍNH", "Ghi chú", "Số thứ tự", "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"]


def test_broken_docx(tmp_path: Path) -> None:
    data = _letter_docx()
    with pytest.raises(CorruptDocument) as info:
        extract_file(write(tmp_path, "hong.docx", data[: len(data) // 2]))
    assert "bị hỏng" in info.value.message
    # a zip that says it is a Word document but lost its main part
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/styles.xml", "<styles/>")
    with pytest.raises(CorruptDocument):
        extract_bytes(buffer.getvalue(), "thieu-phan.docx")


def test_empty_docx() -> None:
    import docx

    buffer = BytesIO()
    docx.Document().save(buffer)
    with pytest.raises(EmptyDocument):
        extract_bytes(buffer.getvalue(), "trang.docx")


def _pdf(pages: int = 2, user_password: str | None = None) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    if user_password is not None:
        writer.encrypt(user_password=user_password, owner_password="chu-so-huu", algorithm="RC4-128")
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_pdf_without_text_layer() -> None:
    with pytest.raises(NoTextLayer) as info:
        extract_bytes(_pdf(3), "scan.pdf")
    assert "tài liệu không có lớp văn bản (cần ocr)" in info.value.message.lower()
    assert info.value.pages == 3


def test_encrypted_pdf() -> None:
    with pytest.raises(EncryptedDocument) as info:
        extract_bytes(_pdf(1, user_password="mat-khau"), "mat-khau.pdf")
    assert "mật khẩu" in info.value.message
    # an owner password only (copy/print limits) opens with an empty user password: no error about it
    with pytest.raises(NoTextLayer):
        extract_bytes(_pdf(1, user_password=""), "chi-han-che-in.pdf")


def test_damaged_pdf(fixtures_dir: Path) -> None:
    real = (fixtures_dir / "thong_tu_btc_textlayer.pdf").read_bytes()
    for data in (real[: len(real) // 2], b"%PDF-1.4\n" + bytes(range(256)) * 20):
        with pytest.raises(CorruptDocument) as info:
            extract_bytes(data, "hong.pdf")
        assert "PDF" in info.value.message


def test_encrypted_office_file_and_word_97_sniffing() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200
    with pytest.raises(EncryptedDocument):
        sniff_format(ole + "EncryptedPackage".encode("utf-16-le"))
    with pytest.raises(EncryptedDocument):
        extract_bytes(ole + "EncryptedPackage".encode("utf-16-le"), "mat-khau.docx")
    assert sniff_format(ole + "WordDocument".encode("utf-16-le")) == "doc"
    # a .doc is read now (tests/nlp/test_extract_doc.py); one that only looks like it is a damaged file
    with pytest.raises(CorruptDocument) as info:
        extract_bytes(ole + "WordDocument".encode("utf-16-le"), "hong.doc")
    assert "Word (.doc)" in info.value.message
    for stream in ("Workbook", "PowerPoint Document"):  # Excel .xls, PowerPoint .ppt: still refused
        with pytest.raises(UnsupportedFile) as refused:
            extract_bytes(ole + stream.encode("utf-16-le"), "cu.xls")
        assert "Excel/PowerPoint" in refused.value.message


def test_pdf_page_limit(fixtures_dir: Path) -> None:
    result = extract_file(fixtures_dir / "quyet-dinh-so-169-qd-bldtbxh-44203.pdf", max_pages=2)
    assert result.pages == 24
    assert any("2 trang đầu" in w for w in result.warnings)
    assert parse_header(result.text).number == "169/QĐ-BLĐTBXH"


def test_every_error_has_a_vietnamese_message() -> None:
    errors: list[ExtractionError] = [
        EmptyDocument(),
        UnsupportedFile("x"),
        NoTextLayer(2),
        EncryptedDocument(),
        CorruptDocument("x"),
        FileTooLarge(30_000_000, 20_000_000),
    ]
    for error in errors:
        assert error.message and not error.message.isascii()
        assert str(error).isascii()  # the English detail for logs


def test_docx_text_boxes_revisions_and_fields() -> None:
    import docx
    from docx.oxml import parse_xml

    ns = (
        'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
        'xmlns:v="urn:schemas-microsoft-com:vml"'
    )
    box = "<w:txbxContent><w:p><w:r><w:t>SỞ TƯ PHÁP</w:t></w:r></w:p></w:txbxContent>"
    # Word stores a text box twice: DrawingML (Choice) and VML (Fallback); it must be read once
    text_box = (
        f"<w:r {ns}><mc:AlternateContent><mc:Choice Requires='wps'><w:drawing><wps:wsp><wps:txbx>{box}"
        f"</wps:txbx></wps:wsp></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>{box}"
        "</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )
    revisions = (
        f"<w:p {ns}><w:r><w:t xml:space='preserve'>Số: </w:t></w:r>"
        "<w:del><w:r><w:delText>11</w:delText></w:r></w:del><w:ins><w:r><w:t>12</w:t></w:r></w:ins>"
        "<w:r><w:fldChar w:fldCharType='begin'/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r>"
        "<w:r><w:fldChar w:fldCharType='end'/></w:r><w:r><w:t>/STP-VP</w:t></w:r></w:p>"
    )
    document = docx.Document()
    document.add_paragraph("UBND TỈNH SÔNG MÂY")._p.append(parse_xml(text_box))
    document.element.body.insert(1, parse_xml(revisions))
    buffer = BytesIO()
    document.save(buffer)
    assert extract_bytes(buffer.getvalue()).text.splitlines() == [
        "UBND TỈNH SÔNG MÂY",
        "SỞ TƯ PHÁP",
        "Số: 12/STP-VP",
    ]


def test_mojibake_warning_names_the_encoding_as_a_clerk_knows_it() -> None:
    # UTF-8 once read as Windows-1252 and saved again as UTF-8: valid UTF-8, but "Cá»˜NG HÃ’A"
    garbled = LETTER.encode("utf-8").decode("cp1252", errors="replace").encode("utf-8")
    result = extract_bytes(garbled, "cong-van-loi-font.txt")
    assert result.encoding == "utf-8"
    (warning,) = result.warnings
    assert "đã đọc theo bảng mã UTF-8" in warning and "kiểm tra dấu tiếng Việt" in warning


def test_a_technical_table_in_utf8_gets_no_encoding_warning() -> None:
    # micro signs and degrees are symbols, not letters read in the wrong code page
    table = "Bảng thông số kỹ thuật\n" + "\n".join(f"Tụ C{i}: {i * 10} µF, 25 °C" for i in range(1, 30))
    extracted = extract_bytes(table.encode("utf-8"), "bang.txt")
    assert extracted.encoding == "utf-8" and extracted.warnings == ()
    assert vietnamese_score("Cá»™ng hÃ²a xÃ£ há»™i") < 0.5  # mojibake still votes
