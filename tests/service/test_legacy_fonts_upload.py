"""A document typed with the pre-Unicode fonts is filed in Unicode and found like any other.

The texts are written for this test in TCVN3 (.VnTime) and VNI (VNI-Times) the way such files read without
their fonts; the upload must read the header, say it converted the text, and make it searchable with and
without diacritics at once.
"""

from __future__ import annotations

from io import BytesIO

import pytest

from tests.service.conftest import auth

TCVN3 = (
    "Uû ban nh©n d©n\ntØnh S«ng M©y\nSè: 41/KH-UBND\nS«ng M©y, ngµy 9 th¸ng 10 n¨m 2007\nKÕ HO¹CH\n"
    "Phßng, chèng dÞch cóm gia cÇm trªn ®Þa bµn tØnh n¨m 2007\n"
    "§Ó chñ ®éng phßng, chèng dÞch bÖnh, Uû ban nh©n d©n tØnh yªu cÇu c¸c së, ngµnh triÓn khai ngay "
    "c¸c biÖn ph¸p sau ®©y./."
)
VNI = (
    "UÛY BAN NHAÂN DAÂN\nTÆNH SOÂNG MAÂY\nSoá: 42/KH-UBND\nSoâng Maây, ngaøy 9 thaùng 10 naêm 2007\nKEÁ HOAÏCH\n"
    "Phoøng, choáng dòch cuùm gia caàm treân ñòa baøn tænh naêm 2007\n"
    "Ñeå chuû ñoäng phoøng, choáng dòch beänh, UÛy ban nhaân daân tænh yeâu caàu caùc sôû, ngaønh trieån khai "
    "ngay caùc bieän phaùp sau ñaây./."
)


def _docx(text: str, font: str) -> bytes:
    import docx

    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph().add_run(line).font.name = font
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "number", "family"),
    [
        ("kh-41.docx", _docx(TCVN3, ".VnTime"), "41/KH-UBND", "TCVN3"),
        ("kh-42.txt", VNI.encode("latin-1"), "42/KH-UBND", "VNI"),
    ],
)
def test_a_legacy_font_document_is_filed_in_unicode_and_found(client, name, data, number, family) -> None:
    response = client.post("/api/documents", files={"file": (name, data)}, headers=auth("uploader"))
    assert response.status_code == 201, response.text
    body = response.json()
    doc = body["document"]
    assert (doc["number"], doc["doc_type"], doc["issued_date"]) == (number, "ke-hoach", "2007-10-09")
    assert doc["title"] == "Phòng, chống dịch cúm gia cầm trên địa bàn tỉnh năm 2007"
    assert any(family in warning for warning in body["warnings"]), body["warnings"]
    for query in ("dịch cúm gia cầm", "dich cum gia cam"):
        hits = client.get("/api/search", params={"q": query}, headers=auth("reader")).json()["hits"]
        assert doc["id"] in [h["id"] for h in hits], query


def test_the_original_text_file_comes_back_with_the_charset_it_was_read_in(client) -> None:
    data = VNI.encode("latin-1")
    doc = client.post("/api/documents", files={"file": ("kh-42.txt", data)}, headers=auth("uploader")).json()
    original = client.get(doc["document"]["file"]["url"], headers=auth("reader"))
    assert original.content == data  # the bytes as uploaded, not the converted text
    assert original.headers["content-type"] == "text/plain; charset=iso-8859-1"
    utf8 = "Kế hoạch tiêm chủng mở rộng năm 2026 của tỉnh Sông Mây".encode()
    doc = client.post("/api/documents", files={"file": ("kh.txt", utf8)}, headers=auth("uploader")).json()
    assert client.get(doc["document"]["file"]["url"], headers=auth("reader")).headers["content-type"] == (
        "text/plain; charset=utf-8"
    )


@pytest.mark.parametrize(("text", "number", "family"), [(TCVN3, "41/KH-UBND", "TCVN3"), (VNI, "42/KH-UBND", "VNI")])
def test_pasted_legacy_font_text_is_repaired_too(client, text, number, family) -> None:
    # QA: the same bytes pasted as text were filed garbled, with no number and no warning
    response = client.post("/api/documents", json={"text": text}, headers=auth("uploader"))
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["document"]["number"], body["document"]["doc_type"]) == (number, "ke-hoach")
    assert any(family in warning for warning in body["warnings"]), body["warnings"]
    classified = client.post("/api/classify", json={"text": text}, headers=auth("reader")).json()
    assert classified["header"]["number"] == number
