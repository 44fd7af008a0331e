"""QA of what the uploader is told: a body over the limit sent from the upload page, a text sent as JSON
that is too long, a damaged .docx (named or built so), and the list of accepted formats."""

from __future__ import annotations

import logging
import re
import zipfile
from collections.abc import Iterator
from io import BytesIO

import pytest

from nlp.extract_errors import ACCEPTED_FORMATS, DAMAGED_DOCX_MESSAGE
from tests.service.conftest import KEYS, assert_problem, auth, make_client

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
LIMIT = 50_000
# Past the limit and the room kept for the multipart envelope (256 KiB): the middleware refuses it.
OVERSIZED = 400_000


def _token(html: str) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)


def _login(client, role: str) -> str:
    token = _token(client.get("/login").text)
    response = client.post(
        "/login", data={"key": KEYS[role], "csrf_token": token, "next": "/"}, follow_redirects=False
    )
    assert response.status_code == 303
    return _token(client.get("/").text)


def _multipart_chunks(filename: str, data: bytes, boundary: str = "ranh-gioi") -> Iterator[bytes]:
    """A multipart body sent in pieces, without a Content-Length (as a client streaming a file does)."""
    yield (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
           "Content-Type: text/plain\r\n\r\n").encode()  # fmt: skip
    for start in range(0, len(data), 16_384):
        yield data[start : start + 16_384]
    yield f"\r\n--{boundary}--\r\n".encode()


@pytest.fixture
def small(data_dir):
    with make_client(data_dir, max_upload_bytes=LIMIT) as client:
        yield client


def _is_upload_page(response) -> bool:
    return 'name="file"' in response.text and "tối đa" in response.text


def test_an_oversized_file_sent_from_the_upload_page_is_answered_on_the_page(small):
    token = _login(small, "uploader")
    big = "Kế hoạch phòng, chống thiên tai năm 2026. ".encode() * (OVERSIZED // 40)
    page = small.post(
        "/upload", data={"csrf_token": token}, files={"file": ("ke-hoach.txt", big)}, headers=BROWSER
    )
    assert page.status_code == 413
    assert page.headers["content-type"].startswith("text/html")
    assert "Tệp quá lớn" in page.text and "giới hạn là" in page.text
    assert _is_upload_page(page)  # the clerk can pick another file at once
    assert page.headers["connection"] == "close"


def test_an_oversized_file_streamed_from_the_page_is_answered_on_the_page_too(small, caplog):
    caplog.set_level(logging.INFO)
    token = _login(small, "uploader")
    headers = {**BROWSER, "content-type": "multipart/form-data; boundary=ranh-gioi", "x-csrf-token": token}
    page = small.post("/upload", content=_multipart_chunks("lon.txt", b"x" * OVERSIZED), headers=headers)
    assert page.status_code == 413 and page.headers["content-type"].startswith("text/html")
    assert "Tệp quá lớn" in page.text and _is_upload_page(page)
    # a refusal, not a crash: nothing logged at ERROR
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text


def test_a_browser_not_signed_in_as_uploader_gets_the_error_page(small):
    page = small.post("/upload", files={"file": ("lon.txt", b"x" * OVERSIZED)}, headers=BROWSER)
    assert page.status_code == 413 and page.headers["content-type"].startswith("text/html")
    assert "Lỗi 413" in page.text and "Tệp quá lớn" in page.text
    assert not _is_upload_page(page)
    _login(small, "reader")
    page = small.post("/upload", files={"file": ("lon.txt", b"x" * OVERSIZED)}, headers=BROWSER)
    assert page.status_code == 413 and "Lỗi 413" in page.text and not _is_upload_page(page)


def test_the_api_and_json_clients_keep_problem_json(small):
    response = small.post("/api/documents", files={"file": ("lon.txt", b"x" * OVERSIZED)},
                          headers={**auth("uploader"), **BROWSER})  # fmt: skip
    body = assert_problem(response, 413, "payload-too-large")
    assert body["detail"].startswith("Tệp quá lớn") and body["limit_bytes"] == LIMIT
    response = small.post("/upload", files={"file": ("lon.txt", b"x" * OVERSIZED)},
                          headers={"Accept": "application/problem+json"})  # fmt: skip
    assert_problem(response, 413, "payload-too-large")


def test_a_text_sent_as_json_is_too_long_not_a_file_with_images(small):
    text = "Điều 1. Thành lập Tổ công tác phòng, chống thiên tai của tỉnh. " * (OVERSIZED // 60)
    response = small.post("/api/documents", json={"text": text}, headers=auth("uploader"))
    body = assert_problem(response, 413, "payload-too-large")
    assert body["title"] == "Nội dung văn bản quá dài"
    assert body["detail"].startswith("Nội dung văn bản quá dài (") and "giới hạn là" in body["detail"]
    assert "ảnh" not in body["detail"] and "Tệp" not in body["detail"]

    def streamed() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(OVERSIZED // 10_000):
            yield "Điều 1. ".encode() * 1_000
        yield b'"}'

    response = small.post("/api/documents", content=streamed(),
                          headers={**auth("uploader"), "content-type": "application/json; charset=utf-8"})  # fmt: skip
    body = assert_problem(response, 413, "payload-too-large")
    assert body["detail"].startswith("Nội dung văn bản quá dài;") and "ảnh" not in body["detail"]


def _zip(parts: dict[str, str | bytes]) -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


JUNK_ZIP = _zip({"du-lieu.bin": b"\x00\x01 junk", "ghi chú.txt": "Danh sách cán bộ trực ban"})
# A Word package whose content types part has another root element: python-docx used to fail on it with
# "AttributeError: 'lxml.etree._Element' object has no attribute 'overrides'".
BROKEN_WORD = _zip({
    "[Content_Types].xml": '<?xml version="1.0"?><Loai>không phải danh mục kiểu nội dung</Loai>',
    "_rels/.rels": "<Relationships/>",
    "word/document.xml": '<?xml version="1.0"?><VanBan>Quyết định số 12/QĐ-UBND</VanBan>',
})  # fmt: skip


def test_a_zip_of_junk_named_docx_is_a_damaged_word_file(client):
    response = client.post(
        "/api/documents", files={"file": ("quyet-dinh.docx", JUNK_ZIP)}, headers=auth("uploader")
    )
    assert assert_problem(response, 422, "corrupt-document")["detail"] == DAMAGED_DOCX_MESSAGE
    response = client.post(
        "/api/documents", files={"file": ("ho-so.zip", JUNK_ZIP)}, headers=auth("uploader")
    )
    assert "giải nén" in assert_problem(response, 415, "unsupported-file")["detail"]


def test_a_broken_word_package_is_refused_quietly_on_the_page(client, caplog):
    caplog.set_level(logging.INFO)
    token = _login(client, "uploader")
    page = client.post(
        "/upload", data={"csrf_token": token}, files={"file": ("quyet-dinh.docx", BROKEN_WORD)}
    )
    assert page.status_code == 422 and DAMAGED_DOCX_MESSAGE in page.text.replace("&#34;", '"')
    assert _is_upload_page(page)
    # an expected damaged file, not a crash of the extractor: nothing at ERROR, no traceback
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info], caplog.text


def test_the_generic_refusal_lists_doc_among_the_accepted_formats(client):
    junk = bytes(range(256)) * 8
    response = client.post("/api/documents", files={"file": ("du-lieu.bin", junk)}, headers=auth("uploader"))
    detail = assert_problem(response, 415, "unsupported-file")["detail"]
    assert ACCEPTED_FORMATS in detail and ".doc," in detail


def test_a_broken_json_body_is_explained_in_vietnamese(client):
    """QA: errors[].message carried the parser's English ("Unterminated string starting at…")."""
    from tests.service.conftest import auth

    response = client.post("/api/documents", content='{"text": "Kế hoạch phòng chống'.encode(),
                           headers={**auth("uploader"), "Content-Type": "application/json"})  # fmt: skip
    assert response.status_code == 422
    message = response.json()["errors"][0]["message"]
    assert message == "sai cú pháp JSON ở dòng 1, cột 10"
    latin = client.post("/api/documents", content=b'{"text": "K\xe9 ho\xe1ch"}',
                        headers={**auth("uploader"), "Content-Type": "application/json"})  # fmt: skip
    assert latin.json()["errors"][0]["message"] == "không phải UTF-8 (byte thứ 12)"
