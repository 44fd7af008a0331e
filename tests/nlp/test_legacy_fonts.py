"""Text typed with the TCVN3 (.VnTime) and VNI (VNI-Times) fonts is converted to Unicode; Unicode text is
left alone.

The legacy-font strings below are written for these tests the way such documents read when opened without
the fonts (the well-known ``Céng hoµ x· héi chñ nghÜa ViÖt Nam`` and ``Coäng hoøa xaõ hoäi chuû nghóa Vieät
Nam``).
"""

from __future__ import annotations

from io import BytesIO

import pytest

from nlp.extract import extract_bytes
from nlp.header import parse_header
from nlp.legacy_fonts import from_tcvn3, from_vni, repair_legacy_fonts

TCVN3_LETTER = (
    "Uû ban nh©n d©n\n"
    "tØnh S«ng M©y\n"
    "Sè: 27/KH-UBND\n"
    "S«ng M©y, ngµy 14 th¸ng 8 n¨m 2006\n"
    "KÕ ho¹ch\n"
    "Phßng, chèng dÞch cóm gia cÇm trªn ®Þa bµn tØnh n¨m 2006\n"
    "§Ó chñ ®éng phßng, chèng dÞch bÖnh, Uû ban nh©n d©n tØnh yªu cÇu c¸c së, ngµnh triÓn khai ngay "
    "c¸c biÖn ph¸p sau ®©y./."
)
UNICODE_LETTER = (
    "Uỷ ban nhân dân\n"
    "tỉnh Sông Mây\n"
    "Số: 27/KH-UBND\n"
    "Sông Mây, ngày 14 tháng 8 năm 2006\n"
    "Kế hoạch\n"
    "Phòng, chống dịch cúm gia cầm trên địa bàn tỉnh năm 2006\n"
    "Để chủ động phòng, chống dịch bệnh, Uỷ ban nhân dân tỉnh yêu cầu các sở, ngành triển khai ngay "
    "các biện pháp sau đây./."
)


def test_a_tcvn3_letter_reads_as_unicode() -> None:
    assert repair_legacy_fonts(TCVN3_LETTER) == (UNICODE_LETTER, "TCVN3")


def test_capitals_font_lines_are_capitals_and_numbers_do_not_decide_the_font() -> None:
    # .VnTimeH draws capitals at the lowercase codes; "Sè: 12/Q§-UBND" is a .VnTime line with a number
    text, family = repair_legacy_fonts(
        "UBND TØNH S¤NG M¢Y\nCéNG HOµ X· HéI CHñ NGHÜA VIÖT NAM\n§éc lËp - Tù do - H¹nh phóc\n"
        "Sè: 12/Q§-UBND\nQUYÕT §ÞNH\nVÒ viÖc thµnh lËp Ban chØ ®¹o phßng, chèng lôt b·o"
    )
    assert family == "TCVN3"
    assert text == (
        "UBND TỈNH SÔNG MÂY\nCỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 12/QĐ-UBND\nQUYẾT ĐỊNH\nVề việc thành lập Ban chỉ đạo phòng, chống lụt bão"
    )


def test_a_unicode_body_under_a_tcvn3_header_is_kept() -> None:
    mixed = "CéNG HOµ X· HéI CHñ NGHÜA VIÖT NAM\n§éc lËp - Tù do - H¹nh phóc\n" + UNICODE_LETTER
    text, family = repair_legacy_fonts(mixed)
    assert family == "TCVN3"
    assert text == "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n" + UNICODE_LETTER


@pytest.mark.parametrize(
    "unicode_text",
    [
        UNICODE_LETTER,
        "Giá 50 µg/ml, bảo quản ở 2 ÷ 8 °C; © 2024 Sở Y tế",
        "© 2015 - 2025 ADR Tool\n5.000 ÷ 8.000\n1.1.3.3 Sân gôn\nCá nhân tham gia",  # no Unicode-only letter
        "§ 3. Phạm vi điều chỉnh « trích » ½ diện tích",
        "Sân gôn Cá nhân Giá bán",
        "Có ý kiến: Cô Thùy, Cù lao Dung, thị xã Gò Công",  # ó, ò, ù, ô are VNI codes too
        # a quality-standard table: cells without a Unicode-only letter ("àg" is no syllable, "Chì" is one)
        "Chỉ tiêu\nĐơn vị\nAsen (As)\nµg/L\n10\nCadimi (Cd)\nµg/L\n3\nChì (Pb)\nµg/L\n10\nThủy ngân\nµg/L",
        "Điện dung\n10 µF\n22 µF\n47 µF\nĐiện năng 5 kW·h",
    ],
)
def test_unicode_text_with_latin1_symbols_is_left_alone(unicode_text: str) -> None:
    assert repair_legacy_fonts(unicode_text) == (unicode_text, None)


def test_conversion_is_per_character_and_keeps_the_layout() -> None:
    assert from_tcvn3("  ViÖt\tNam  \n") == "  Việt\tNam  \n"


def test_a_tcvn3_txt_file_is_decoded_and_the_clerk_is_told() -> None:
    extracted = extract_bytes(TCVN3_LETTER.encode("latin-1"), "cv.txt")
    assert extracted.encoding == "tcvn3"
    assert extracted.text.startswith("Ủy ban nhân dân\ntỉnh Sông Mây\nSố: 27/KH-UBND")  # normalised: Uỷ → Ủy
    assert any("TCVN3" in w for w in extracted.warnings)
    header = parse_header(extracted.text)
    assert header.number == "27/KH-UBND" and header.doc_type == "ke-hoach"


def test_a_docx_typed_with_vntime_fonts_is_converted() -> None:
    import docx

    document = docx.Document()
    for line in TCVN3_LETTER.split("\n"):
        run = document.add_paragraph().add_run(line)
        run.font.name = ".VnTime"
    buffer = BytesIO()
    document.save(buffer)
    extracted = extract_bytes(buffer.getvalue(), "kh.docx")
    assert "Phòng, chống dịch cúm gia cầm trên địa bàn tỉnh năm 2006" in extracted.text
    assert extracted.warnings == (
        "Văn bản gõ bằng phông chữ cũ TCVN3 (ABC, .VnTime): đã chuyển sang Unicode; hãy kiểm tra dấu tiếng Việt.",
    )


VNI_LETTER = (
    "UÛY BAN NHAÂN DAÂN\n"
    "TÆNH SOÂNG MAÂY\n"
    "Soá: 27/KH-UBND\n"
    "Soâng Maây, ngaøy 14 thaùng 8 naêm 2006\n"
    "KEÁ HOAÏCH\n"
    "Phoøng, choáng dòch cuùm gia caàm treân ñòa baøn tænh naêm 2006\n"
    "Ñeå chuû ñoäng phoøng, choáng dòch beänh, Uûy ban nhaân daân tænh yeâu caàu caùc sôû, ngaønh trieån khai "
    "ngay caùc bieän phaùp sau ñaây; ñoàng thôøi baùo caùo keát quaû tröôùc ngaøy 30/9/2006./."
)


def test_a_vni_letter_reads_as_unicode() -> None:
    text, family = repair_legacy_fonts(VNI_LETTER)
    assert family == "VNI"
    assert text == (
        "ỦY BAN NHÂN DÂN\nTỈNH SÔNG MÂY\nSố: 27/KH-UBND\nSông Mây, ngày 14 tháng 8 năm 2006\nKẾ HOẠCH\n"
        "Phòng, chống dịch cúm gia cầm trên địa bàn tỉnh năm 2006\n"
        "Để chủ động phòng, chống dịch bệnh, Ủy ban nhân dân tỉnh yêu cầu các sở, ngành triển khai ngay các "
        "biện pháp sau đây; đồng thời báo cáo kết quả trước ngày 30/9/2006./."
    )


def test_vni_marks_after_each_kind_of_vowel() -> None:
    # circumflex (â ê ô) and breve (ă) with each tone, horn letters ơ ư with a tone, i and y tones, đ
    assert from_vni("aá aà aå aã aä eá oä aé aè aú aü aë aê") == "ấ ầ ẩ ẫ ậ ế ộ ắ ằ ẳ ẵ ặ ă"
    assert from_vni("ôù öø ôû öõ ôï ì í æ ó ò yù yø î ñ Ñ") == "ớ ừ ở ữ ợ ì í ỉ ĩ ị ý ỳ ỵ đ Đ"
    assert from_vni("AÙ EÀ OÅ ÔÙ ÖÏ Æ Ò Î") == "Á Ề Ổ Ớ Ự Ỉ Ị Ỵ"


def test_a_vni_txt_file_is_decoded_and_the_clerk_is_told() -> None:
    extracted = extract_bytes(VNI_LETTER.encode("latin-1"), "kh.txt")
    assert extracted.encoding == "vni"
    assert extracted.text.startswith("ỦY BAN NHÂN DÂN\nTỈNH SÔNG MÂY\nSố: 27/KH-UBND")
    assert any("VNI" in w for w in extracted.warnings)
    assert parse_header(extracted.text).issued_date.isoformat() == "2006-08-14"


def test_a_capitals_line_whose_codes_look_like_digits_stays_in_capitals() -> None:
    # "¹" (ạ) is a superscript digit to str.isdigit(): the word is not a number
    assert from_tcvn3("KÕ HO¹CH") == "KẾ HOẠCH"
    assert from_tcvn3("Sè: 12/Q§-UBND") == "Số: 12/QĐ-UBND"


def test_the_tcvn3_u_with_horn_stored_by_word_as_an_optional_hyphen_is_kept() -> None:
    # TCVN3 puts "ư" at 0xAD, which Word takes for an optional hyphen: <w:softHyphen/> in a .docx
    import docx
    from docx.oxml import OxmlElement

    document = docx.Document()
    document.styles["Normal"].font.name = ".VnTime"  # the document's style: runs without a font of their own
    for pieces, font in (
        (["§Ó chñ ®éng, c¸c ®Þa ph", None, "¬ng tæ chøc thùc hiÖn ngay"], ".VnTime"),
        (["- Nh", None, " trªn;"], ".VnTime"),
        (["- L", None, "u: VT."], None),  # no font of its own: the Normal style's .VnTime
        (["Unicode: chuyên", None, "nghiệp"], "Times New Roman"),  # a real optional hyphen: dropped
    ):
        paragraph = document.add_paragraph()
        for piece in pieces:
            run = paragraph.add_run(piece or "")
            run.font.name = font
            if piece is None:
                run._r.append(OxmlElement("w:softHyphen"))
    buffer = BytesIO()
    document.save(buffer)
    lines = extract_bytes(buffer.getvalue(), "cv.docx").text.split("\n")
    assert lines == ["Để chủ động, các địa phương tổ chức thực hiện ngay", "- Như trên;", "- Lưu: VT.",
                     "Unicode: chuyênnghiệp"]  # fmt: skip


def test_docx_runs_are_converted_by_their_font() -> None:
    import docx

    document = docx.Document()
    heading = document.add_paragraph().add_run("ñy ban nh©n d©n tØnh s«ng m©y")  # .VnTimeH typed in lower case
    heading.font.name = ".VnTimeH"
    mixed = document.add_paragraph()
    mixed.add_run("Căn cứ ").font.name = "Times New Roman"
    mixed.add_run("QuyÕt ®Þnh sè 12/Q§-UBND cña Uû ban nh©n d©n tØnh").font.name = ".VnTime"
    mixed.add_run(" về việc giao chỉ tiêu kế hoạch năm 2024;").font.name = "Times New Roman"
    vni = document.add_paragraph().add_run("Soâng Maây, ngaøy 5 thaùng 1 naêm 2024")
    vni.font.name = "VNI-Times"
    leftover = document.add_paragraph().add_run("Kính gửi: các sở, ban, ngành")  # Unicode in a .Vn font
    leftover.font.name = ".VnTime"
    buffer = BytesIO()
    document.save(buffer)
    extracted = extract_bytes(buffer.getvalue(), "qd.docx")
    assert extracted.text.split("\n") == [
        "ỦY BAN NHÂN DÂN TỈNH SÔNG MÂY",
        "Căn cứ Quyết định số 12/QĐ-UBND của Ủy ban nhân dân tỉnh về việc giao chỉ tiêu kế hoạch năm 2024;",
        "Sông Mây, ngày 5 tháng 1 năm 2024",
        "Kính gửi: các sở, ban, ngành",
    ]
    assert extracted.warnings == (
        "Văn bản gõ bằng phông chữ cũ TCVN3 (ABC, .VnTime) và VNI (VNI-Times): đã chuyển sang Unicode; "
        "hãy kiểm tra dấu tiếng Việt.",
    )


def test_vni_text_is_not_taken_for_tcvn3() -> None:
    # both tables turn some of these words into syllables; VNI turns far more
    header = "UÛY BAN NHAÂN DAÂN\nTÆNH SOÂNG MAÂY\nSoá: 125/QÑ-UBND\nSoâng Maây, ngaøy 15 thaùng 3 naêm 2024\n"
    body = "QUYẾT ĐỊNH\nVề việc phê duyệt kế hoạch phòng, chống thiên tai năm 2024"
    assert repair_legacy_fonts(header + body) == (
        "ỦY BAN NHÂN DÂN\nTỈNH SÔNG MÂY\nSố: 125/QĐ-UBND\nSông Mây, ngày 15 tháng 3 năm 2024\n" + body, "VNI"
    )
    assert repair_legacy_fonts("Nôi nhaän:\n- Nhö treân;\n- Löu: VT.") == ("Nơi nhận:\n- Như trên;\n- Lưu: VT.", "VNI")
