"""Findings of a hostile-input QA pass (round 11): what a clerk saves keeps what they did not touch."""

from __future__ import annotations

import re

from corpus.document import Document, LabelSource
from corpus.store import Store
from tests.service.conftest import auth, make_client
from tests.service.test_pages import login
from tests.service.test_taxonomy_labels import submitted


def test_saving_another_field_keeps_a_type_outside_the_list(data_dir):
    # An import files a type it does not know as written ("hướng dẫn liên tịch"); the page's type select did
    # not offer it, so saving only the signer sent "" and filed the clerk's empty type (QA).
    with Store.open(data_dir) as store:
        store.upsert(
            Document(id="hd-lt-01", number="01/HDLT-SYT-STC", doc_type="huong-dan-lien-tich",
                     issuer="Sở Y tế tỉnh Nghệ An", title="Hướng dẫn liên tịch về thanh toán chi phí khám bệnh"),
            actor="kiem-thu", source=LabelSource.SOURCE,
        )  # fmt: skip
    with make_client(data_dir) as client:
        token = login(client, "uploader")
        page = client.get("/documents/hd-lt-01").text
        assert submitted(page, "c-doc_type") == "huong-dan-lien-tich"
        assert "huong-dan-lien-tich (ngoài danh mục)" in page
        filed = client.get("/api/documents/hd-lt-01", headers=auth("reader")).json()
        form = {"csrf_token": token, "doc_type": submitted(page, "c-doc_type"), "topic": submitted(page, "c-topic"),
                "issued_date": "", **{f: filed[f] or "" for f in ("number", "issuer", "title", "status")},
                "signer": "Nguyễn Văn An"}  # fmt: skip
        saved = client.post("/documents/hd-lt-01/correct", data=form, follow_redirects=False)
        assert saved.status_code == 303, saved.text[:500]
        after = client.get("/api/documents/hd-lt-01", headers=auth("reader")).json()
        assert after["doc_type"] == "huong-dan-lien-tich" and after["signer"] == "Nguyễn Văn An"
        audit = client.get("/api/documents/hd-lt-01/audit", headers=auth("reader")).json()
        labels = [e["details"] for e in audit["entries"] if e["action"] == "label"]
        assert labels and not [d for d in labels if re.search("doc_type", str(d))]  # the signer's label only


def test_every_way_in_has_the_correction_forms_limits(data_dir, tmp_path):
    # QA: an upload or an import took a title of 50,000 characters that the correction form then refused,
    # so no field of that document could be corrected on its page any more.
    import json

    from corpus.importer import import_paths

    with make_client(data_dir) as client:
        token = login(client, "uploader")
        before = client.get("/api/search", params={"q": "*"}, headers=auth("reader")).json()["total"]
        text = "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN\nSố: 77/TB-UBND\nTHÔNG BÁO\nVề lịch tiếp công dân tháng 6 năm 2025\n"
        for body in ({"text": text, "title": "T" * 5001}, {"text": text, "signer": "Nguyễn " * 40}):
            refused = client.post("/api/documents", json=body, headers={"X-CSRF-Token": token})
            assert refused.status_code == 422, refused.text
            (error,) = refused.json()["errors"]
            assert error["field"] in ("title", "signer") and "tối đa" in error["message"]
        refused = client.post("/api/documents", data={"csrf_token": token, "number": "7" * 201},
                              files={"file": ("tb.txt", text.encode())}, headers={"X-CSRF-Token": token})  # fmt: skip
        assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "number"
        assert client.get("/api/search", params={"q": "*"}, headers=auth("reader")).json()["total"] == before
    rows = tmp_path / "rows.jsonl"
    rows.write_text(
        json.dumps({"id": "dai-1", "title": "Kế hoạch " * 700}, ensure_ascii=False) + "\n"
        + json.dumps({"id": "vua-1", "title": "Kế hoạch tiếp công dân", "issuer": "UBND tỉnh Nghệ An"}) + "\n",
        encoding="utf-8",
    )
    with Store.open(data_dir) as store:
        report = import_paths(store, [rows], progress=False).to_dict()
        assert report["inserted"] == 1 and store.find("vua-1") is not None and store.find("dai-1") is None
    (error,) = report["errors"]
    assert "title" in str(error) and "tối đa 5000" in str(error)


def test_a_header_date_out_of_range_or_impossible_is_not_filed_and_said(client):
    # QA: "ngày 1 tháng 1 năm 2099" read from a file's header was filed as is (a clerk typing it is refused)
    # and topped "Mới nhất"; "ngày 31 tháng 02" was dropped without a word.
    token = login(client, "uploader")
    header = "ỦY BAN NHÂN DÂN\nTỈNH NGHỆ AN\n-------\nSố: {n}/TB-UBND\nNghệ An, {d}\n\nTHÔNG BÁO\nVề lịch tiếp công dân\n"
    cases = [("ngày 1 tháng 1 năm 2099", "nằm ngoài khoảng cho phép"), ("ngày 5 tháng 3 năm 1900", "02/09/1945"),
             ("ngày 31 tháng 02 năm 2025", "(31/02/2025) không có thật"), ("ngày 5 tháng 3 năm 2025", None)]
    for n, (printed, said) in enumerate(cases, start=81):
        text = header.format(n=n, d=printed) + "Ủy ban nhân dân tỉnh thông báo lịch tiếp công dân định kỳ.\n"
        created = client.post("/api/documents", files={"file": (f"tb-{n}.txt", text.encode())},
                              headers={"X-CSRF-Token": token})  # fmt: skip
        assert created.status_code == 201, created.text
        answer = created.json()
        if said is None:
            assert answer["document"]["issued_date"] == "2025-03-05" and not answer["warnings"]
            continue
        assert answer["document"]["issued_date"] is None
        assert any(said in w and "nhập ngày đúng" in w for w in answer["warnings"]), answer["warnings"]


def test_small_messages_say_what_is_wrong(client, data_dir, tmp_path):
    from corpus.importer import import_paths

    token = login(client, "uploader")
    wrong_type = client.post("/api/documents", json={"text": 123}, headers={"X-CSRF-Token": token})
    assert wrong_type.status_code == 422
    assert wrong_type.json()["errors"] == [{"field": "text", "message": "“text” phải là chuỗi, nhận được số"}]
    maybe = client.post("/api/documents?force=maybe", json={"text": "Số: 5/TB-UBND\nTHÔNG BÁO\nVề lịch họp"},
                        headers={"X-CSRF-Token": token})  # fmt: skip
    assert maybe.status_code == 422 and maybe.json()["errors"][0]["field"] == "force"
    # the document page: a field's message ending in a full stop is not followed by a second one
    page = client.post("/documents/demo-001/correct", data={"csrf_token": token, "issued_date": "31/02/2025"})
    assert page.status_code == 422 and ".." not in page.text.split('role="alert"')[1].split("</div>")[0]
    # an import line that is not JSON is explained in Vietnamese, not in the parser's English
    rows = tmp_path / "rows.jsonl"
    rows.write_text('{id: "x-1", "title": "Kế hoạch"}\n', encoding="utf-8")
    with Store.open(tmp_path / "other") as store:
        (error,) = import_paths(store, [rows], progress=False).errors
    assert "tên trường phải đặt trong dấu nháy kép" in error.reason and "Expecting" not in error.reason


def test_a_decomposed_title_is_measured_as_stored():
    # QA: a 4,050-character title pasted decomposed (NFD) was refused as 5,549 characters
    import unicodedata

    from corpus.document import too_long

    title = ("Kế hoạch triển khai công tác phòng, chống thiên tai " * 80)[:4050]
    assert too_long("title", unicodedata.normalize("NFD", title)) is None
    assert "5001 ký tự" in (too_long("title", "Đ" * 5001) or "")
