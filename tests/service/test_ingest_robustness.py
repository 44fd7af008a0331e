"""Ingestion of awkward input: lone surrogates, control characters, bytes that are not UTF-8, several files
in one upload, damaged PDFs, sizes over the limit, legacy-encoded text files.

Each test is a defect a QA pass found: a crash (UnicodeEncodeError) half-way through an import or as a
500, English text in front of a clerk, or a size limit said in two different units.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from nlp.normalize import has_surrogates
from service.cli import main
from service.uploads import too_large_message
from tests.service.conftest import assert_problem, auth

_NOT_UTF8 = "không phải mã hóa UTF-8"
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_LETTER = (
    "ỦY BAN NHÂN DÂN\nTỈNH BÌNH DƯƠNG\nSố: 139/KH-UBND\nKẾ HOẠCH\n"
    "Triển khai công tác chuyển đổi số năm 2024 trên địa bàn tỉnh\n"
)


def _surrogateescaped(data: bytes) -> str:
    """What Python makes of bytes that are not UTF-8 in argv or (C locale) standard input."""
    return data.decode("utf-8", "surrogateescape")


def _cp1258(text: str) -> bytes:
    """Windows-1258 as Windows writes it: base letters precomposed, tone marks as combining characters."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(m for m in parts if m not in _TONES))
        out.append(base + "".join(m for m in parts if m in _TONES))
    return "".join(out).encode("cp1258")


# --- lone surrogates and control characters -----------------------------------------------------------


def test_jsonl_import_with_a_lone_surrogate_and_a_nul_keeps_every_row(tmp_path: Path, capsys) -> None:
    from corpus.store import Store

    lines = [
        '{"id":"qd-1","number":"1/QĐ-UBND\\u0000","title":"Quyết định phê duyệt kế hoạch","text":"Căn cứ Luật"}',
        '{"id":"bad","title":"Kế hoạch x \\ud800 y","text":"Văn bản \\ud800 lỗi mã"}',
        '{"id":"loi-linh-vuc","title":"Công văn","text":"Về việc","topic":"y\\udce9-te"}',
        '{"id":"tb-3","title":"Thông báo lịch họp","text":"Thông báo lịch họp giao ban"}',
    ]
    rows = tmp_path / "van-ban.jsonl"
    rows.write_text("\n".join(lines) + "\n", encoding="utf-8")
    data_dir = tmp_path / "data"
    assert main(["--data-dir", str(data_dir), "import", str(rows), "--json"]) == 0
    out = capsys.readouterr()
    report = json.loads(out.out.splitlines()[-1])
    assert (report["read"], report["inserted"]) == (4, 3)
    assert [e["field"] for e in report["errors"]] == ["topic"]
    # the error quotes the bad value: printable, surrogate replaced
    assert not has_surrogates(out.out) and not has_surrogates(out.err)
    with Store.open(data_dir) as store:
        assert store.get("bad").title == "Kế hoạch x \ufffd y"
        assert store.get("tb-3").title == "Thông báo lịch họp"  # the row after the bad one is not lost
        assert [d.id for d in store.find_by_number("1/QĐ-UBND")] == ["qd-1"]
        assert store.get("qd-1").number == "1/QĐ-UBND"


def test_api_json_text_with_a_lone_surrogate_is_filed_not_a_500(client) -> None:
    body = (
        '{"text": "ỦY BAN NHÂN DÂN\\nSố: 7/QĐ-UBND\\u0000\\nQUYẾT ĐỊNH\\nVề việc phê duyệt \\ud800 dự án",'
        ' "title": "Quyết định \\udce9 phê duyệt"}'
    )
    headers = {**auth("uploader"), "content-type": "application/json"}
    response = client.post("/api/documents", content=body.encode(), headers=headers)
    assert response.status_code == 201, response.text
    document = response.json()["document"]
    assert "\ufffd" in document["text"] and "\x00" not in document["text"]
    assert document["number"] == "7/QĐ-UBND"
    assert document["title"] == "Quyết định \ufffd phê duyệt"
    classified = client.post("/api/classify", content=body.encode(), headers=headers)
    assert classified.status_code == 200, classified.text
    assert classified.json()["header"]["number"] == "7/QĐ-UBND"


@pytest.mark.parametrize(
    ("member", "code"),
    [
        ('"issued_date": "05/3/2024\\ud800"', "invalid-document"),  # the message quotes the bad date
        ('"doc_type": "Quy\\udce9t \\u0111\\u1ecbnh"', "invalid-request"),
        ('"ghi_ch\\udcfa": "x"', "invalid-request"),  # an unknown field, named in the message
    ],
)
def test_api_json_field_with_a_lone_surrogate_is_a_422_not_a_500(client, member: str, code: str) -> None:
    body = '{"text": "ỦY BAN NHÂN DÂN\\nSố: 8/KH-UBND\\nKẾ HOẠCH\\nTriển khai công tác", ' + member + "}"
    headers = {**auth("uploader"), "content-type": "application/json"}
    problem = assert_problem(client.post("/api/documents", content=body.encode(), headers=headers), 422, code)
    assert "\ufffd" in problem["detail"]


# --- command line input that is not UTF-8 -------------------------------------------------------------


def test_analyze_refuses_an_argument_that_is_not_utf8(capsys) -> None:
    assert main(["analyze", _surrogateescaped(b"ph\xf2ng T\xfd ph\xe1p")]) == 2
    err = capsys.readouterr().err
    assert _NOT_UTF8 in err and "UTF-8" in err and len(err.strip().splitlines()) == 1


class _Stdin(io.TextIOWrapper):
    def isatty(self) -> bool:
        return False


def test_analyze_refuses_standard_input_that_is_not_utf8(monkeypatch, capsys) -> None:
    # cp1258 bytes piped in: strict UTF-8 decoding (a vi_VN.UTF-8 locale) would raise, surrogateescape
    # (the C locale) would hand over surrogates; either way one Vietnamese line and exit code 2
    monkeypatch.setattr(sys, "stdin", _Stdin(io.BytesIO(_cp1258("Kế hoạch triển khai")), encoding="utf-8"))
    assert main(["analyze", "-"]) == 2
    assert _NOT_UTF8 in capsys.readouterr().err


def test_analyze_reads_utf8_standard_input(monkeypatch, capsys) -> None:
    data = "\ufeffKế hoạch triển khai".encode()
    monkeypatch.setattr(sys, "stdin", _Stdin(io.BytesIO(data), encoding="utf-8"))
    assert main(["analyze", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["normalized"] == "Kế hoạch triển khai"


def test_import_refuses_a_path_whose_name_is_not_utf8(tmp_path: Path, capsys) -> None:
    name = _surrogateescaped(b"k\xe9 ho\xe1ch.jsonl")
    assert main(["--data-dir", str(tmp_path / "data"), "import", str(tmp_path / name)]) == 2
    err = capsys.readouterr().err
    assert "không phải UTF-8" in err and not has_surrogates(err)
    assert not (tmp_path / "data").exists()  # refused before the store is created


# --- messages for the clerk ---------------------------------------------------------------------------


def test_two_files_in_one_upload_are_refused_in_vietnamese(client) -> None:
    files = [
        ("file", ("ke-hoach.txt", _LETTER.encode())),
        ("file", ("thong-bao.txt", "THÔNG BÁO\nLịch họp giao ban".encode())),
    ]
    body = assert_problem(
        client.post("/api/documents", files=files, headers=auth("uploader")), 422, "invalid-request"
    )
    assert body["detail"].startswith("Chỉ gửi một tệp mỗi lần")
    assert "Too many" not in body["detail"] and "400" not in body["detail"]


def test_broken_multipart_body_says_nothing_in_english(client) -> None:
    headers = {**auth("uploader"), "content-type": "multipart/form-data"}  # no boundary
    body = assert_problem(
        client.post("/api/documents", content=b"--x\r\n", headers=headers), 422, "invalid-request"
    )
    assert "multipart" in body["detail"] and "boundary" not in body["detail"].lower()


def test_damaged_pdf_prints_one_vietnamese_line(tmp_path: Path) -> None:
    pdf = tmp_path / "cong-van-hong.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    done = subprocess.run(
        [sys.executable, "-m", "service.cli", "extract", str(pdf)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "vanban extract: cong-van-hong.pdf: Không đọc được tệp PDF: tệp bị hỏng hoặc tải lên chưa hết. "
        "Hãy mở tệp bằng phần mềm gốc, lưu lại rồi tải lên lại."
    ]


def test_extract_size_limit_is_said_in_the_unit_of_its_option(tmp_path: Path, capsys) -> None:
    big = tmp_path / "bao-cao-kem-anh.txt"
    big.write_bytes(_LETTER.encode() * (3 * 1024 * 1024 // len(_LETTER.encode())))  # ~3 MiB
    assert main(["extract", "--max-mb", "2", str(big)]) == 1
    err = capsys.readouterr().err
    assert "giới hạn là 2 MB" in err and "(3,0 MB)" in err, err
    with pytest.raises(SystemExit):
        main(["extract", "--help"])
    assert "many MB (default 20)" in " ".join(capsys.readouterr().out.split())
    assert "giới hạn là 20 MB" in too_large_message(66_000_000, 20 * 1024 * 1024)


def test_just_over_the_limit_does_not_read_as_equal() -> None:
    message = too_large_message(21_000_000, 20 * 1024 * 1024)
    assert "(20,1 MB); giới hạn là 20 MB" in message


# --- legacy-encoded text files -----------------------------------------------------------------------


def test_folder_import_shows_each_files_encoding_warning(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "van-ban-cu"
    folder.mkdir()
    (folder / "ke-hoach-1258.txt").write_bytes(_cp1258(_LETTER))
    mojibake = _LETTER.replace("139", "140").encode().decode("cp1252", errors="replace").encode()
    (folder / "ke-hoach-loi-font.txt").write_bytes(mojibake)
    (folder / "ke-hoach-utf8.txt").write_text(_LETTER.replace("139", "141"), encoding="utf-8")
    assert main(["--data-dir", str(tmp_path / "data"), "import", str(folder), "--json"]) == 0
    out = capsys.readouterr()
    assert "ke-hoach-1258.txt" in out.err and "Windows-1258 (cp1258)" in out.err
    assert "ke-hoach-loi-font.txt" in out.err and "kiểm tra dấu tiếng Việt" in out.err
    warnings = json.loads(out.out.splitlines()[-1])["warnings"]
    assert sorted(Path(w["path"]).name for w in warnings) == ["ke-hoach-1258.txt", "ke-hoach-loi-font.txt"]
