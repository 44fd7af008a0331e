"""Hostile-input QA of the names uploaded files are stored under (:func:`service.uploads._file_name`): a name
over 200 characters lost its extension, "." and ".." were kept as names, and a decomposed (NFD) name was
stored as sent."""

from __future__ import annotations

import unicodedata
from io import BytesIO
from urllib.parse import quote

import pytest
from starlette.datastructures import UploadFile

from service.uploads import _file_name
from tests.service.conftest import auth

LONG_TITLE = (
    "Kế hoạch triển khai thực hiện Chương trình mục tiêu quốc gia phát triển kinh tế - xã hội vùng đồng bào "
    "dân tộc thiểu số và miền núi giai đoạn 2021-2030, giai đoạn I từ năm 2021 đến năm 2025 trên địa bàn "
    "huyện Bắc Hà, tỉnh Lào Cai"
)


def _name(filename: str | None) -> str:
    return _file_name(UploadFile(BytesIO(b""), filename=filename))


def test_a_long_name_is_cut_before_its_extension():
    assert len(LONG_TITLE) > 200
    name = _name(LONG_TITLE + ".docx")
    assert len(name) <= 200 and name.endswith(".docx")
    assert name.startswith("Kế hoạch triển khai thực hiện Chương trình")
    assert not name.removesuffix(".docx").endswith((" ", "."))


def test_a_long_name_without_an_extension_is_cut_plainly():
    name = _name("V.v " + LONG_TITLE)
    assert name == ("V.v " + LONG_TITLE)[:200]


@pytest.mark.parametrize("given", ["", ".", "..", " .. ", "...", "C:\\Users\\vanthu\\..", "thu-muc/.", "   "])
def test_names_with_nothing_left_become_the_default(given):
    assert _name(given) == "tep-tai-len"


def test_a_decomposed_name_is_stored_composed():
    decomposed = unicodedata.normalize("NFD", "Kế hoạch số 139.docx")
    assert decomposed != "Kế hoạch số 139.docx"
    assert _name(decomposed) == "Kế hoạch số 139.docx"


def test_good_names_are_kept_as_given():
    for given in ("Kế hoạch số 139.docx", "qd-12-2024.pdf", "Công văn 318.DOCX", ".docx", "thong bao"):
        assert _name(given) == given
    assert _name("C:\\Users\\vanthu\\Desktop\\Quyết định 12.docx") == "Quyết định 12.docx"
    assert _name("/home/vanthu/Tờ trình.pdf") == "Tờ trình.pdf"
    assert _name(LONG_TITLE[:195] + ".docx") == LONG_TITLE[:195] + ".docx"  # 200 characters exactly


def test_the_stored_original_keeps_a_composed_name_and_its_extension(client):
    text = "ỦY BAN NHÂN DÂN\nHUYỆN BẮC HÀ\nSố: 139/KH-UBND\nKẾ HOẠCH\n" + LONG_TITLE + "\n"
    given = unicodedata.normalize("NFD", LONG_TITLE) + ".txt"
    response = client.post("/api/documents", files={"file": (given, text.encode())}, headers=auth("uploader"))
    assert response.status_code == 201, response.text
    document = response.json()["document"]
    stored = document["file"]["filename"]
    assert stored == unicodedata.normalize("NFC", stored) and stored.endswith(".txt") and len(stored) <= 200
    assert stored.startswith("Kế hoạch triển khai")
    download = client.get(f"/api/documents/{document['id']}/file", headers=auth("reader"))
    assert download.status_code == 200
    assert f"filename*=UTF-8''{quote(stored)}" in download.headers["content-disposition"]
