"""The pages: search, document, upload → save, review, models, login, docs, error pages."""

from __future__ import annotations

import re

from tests.service.conftest import KEYS, NAMES, auth, make_client

# demo-001's trích yếu as its page fills the form (an emptied title is refused)
DEMO_001_TITLE = "Về nâng cao hiệu quả công tác tiếp công dân, giải quyết khiếu nại, tố cáo trên địa bàn tỉnh Sông Mây"


def _token(html: str) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)


def login(client, role: str) -> str:
    token = _token(client.get("/login").text)
    response = client.post("/login", data={"key": KEYS[role], "csrf_token": token, "next": "/"}, follow_redirects=False)
    assert response.status_code == 303
    return _token(client.get("/").text)


def test_pages_need_a_login_when_keys_are_configured(client):
    response = client.get("/?q=ke+hoach", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login?next=")
    page = client.get("/login")
    assert page.status_code == 200 and "Đăng nhập" in page.text and 'lang="vi"' in page.text
    assert "content-security-policy" in page.headers


def test_search_page_highlights_filters_and_pages(client):
    login(client, "reader")
    page = client.get("/", params={"q": "tiep cong dan"})
    assert page.status_code == 200
    assert "<mark>tiếp công dân</mark>" in page.text
    assert re.search(r"Tìm thấy <strong>\d+</strong> văn bản", page.text)
    assert 'href="/?q=tiep+cong+dan&amp;type=' in page.text  # facet links keep the query
    filtered = client.get("/", params={"q": "tiep cong dan", "type": "chi-thi"})
    assert "Loại: Chỉ thị" in filtered.text
    by_date = client.get("/", params={"q": "ke hoach", "sort": "date", "page": 2})
    assert by_date.status_code == 200 and 'aria-current="page">2<' in by_date.text
    bad = client.get("/", params={"q": "ke hoach", "from": "99/99/2024"})
    assert bad.status_code == 422 and "không hợp lệ" in bad.text
    browse = client.get("/")
    assert "Văn bản mới nhất" in browse.text and "90 văn bản trong kho" in browse.text
    assert "chứa đủ mọi từ" not in page.text
    relaxed = client.get("/", params={"q": "lịch tiếp công dân hiệp hội"})  # no document says it all
    assert "Không có văn bản nào chứa đủ mọi từ đã nhập" in relaxed.text and "<mark>" in relaxed.text


def test_document_page_shows_tags_provenance_and_related(client):
    login(client, "reader")
    page = client.get("/documents/demo-001")
    assert page.status_code == 200
    for text in ("03/CT-UBND", "Nhãn và nguồn gốc", "Dữ liệu nguồn", "Văn bản dẫn chiếu đến văn bản này",
                 "/documents/demo-085", "Nhật ký thay đổi"):  # fmt: skip
        assert text in page.text, text
    assert "Sửa / xác nhận nhãn" not in page.text  # a reader cannot edit
    missing = client.get("/documents/khong-co")
    assert missing.status_code == 404 and "Không tìm thấy văn bản" in missing.text


def test_correction_form_records_the_clerk(client):
    token = login(client, "uploader")
    response = client.post("/documents/demo-001/correct", data={
        "csrf_token": token, "doc_type": "chi-thi", "topic": "noi-vu", "number": "03/CT-UBND",
        "issuer": "Ủy ban nhân dân tỉnh Sông Mây", "issued_date": "20/02/2023", "title": DEMO_001_TITLE, "signer": "", "status": "",
    }, follow_redirects=False)  # fmt: skip
    assert response.status_code == 303 and response.headers["location"] == "/documents/demo-001?ok=corrected"
    page = client.get("/documents/demo-001?ok=corrected")
    assert "Đã lưu chỉnh sửa" in page.text and NAMES["uploader"] in page.text
    assert "Nội vụ – Tổ chức bộ máy" in page.text
    # the change log names a field's value as the page does, not by its code
    log = page.text[page.text.index("Nhật ký thay đổi") :]
    assert "→ <em>Nội vụ – Tổ chức bộ máy" in log and "→ <em>noi-vu</em>" not in log
    forged = client.post("/documents/demo-001/correct", data={"csrf_token": "sai", "topic": "y-te"})
    assert forged.status_code == 403 and "Biểu mẫu" in forged.text


def test_upload_page_reads_proposes_and_saves(client, fixtures_dir):
    token = login(client, "uploader")
    path = fixtures_dir / "lcsct_0153__ke_hoach_ubnd.docx"
    preview = client.post("/upload", data={"csrf_token": token}, files={"file": (path.name, path.read_bytes())})
    assert preview.status_code == 200, preview.text[:500]
    assert "Kiểm tra và lưu văn bản" in preview.text
    assert "Kế hoạch" in preview.text and "Ủy ban nhân dân tỉnh Lào Cai" in preview.text
    assert "…/KH-UBND" in preview.text  # the draft's blank number, to be given by the clerk
    pending = re.search(r'name="token" value="([0-9a-f]{32})"', preview.text).group(1)
    form = {"csrf_token": token, "token": pending, "number": "912/KH-UBND", "issuer": "Ủy ban nhân dân tỉnh Lào Cai",
            "issued_date": "", "title": re.search(r'id="f-title"[^>]*>([^<]*)<', preview.text).group(1),
            "signer": "Nguyễn Thành Sinh", "doc_type": "ke-hoach", "topic": "dat-dai", "confirm_tags": "1"}  # fmt: skip
    saved = client.post("/upload/save", data=form, follow_redirects=False)
    assert saved.status_code == 303, saved.text[:500]
    doc_url = saved.headers["location"].split("?")[0]
    page = client.get(doc_url)
    assert "912/KH-UBND" in page.text and "Cán bộ sửa/xác nhận" in page.text
    found = client.get("/", params={"q": "912 kh ubnd"})
    assert doc_url in found.text
    # The same number again: the page says so, links the document, and offers to save anyway.
    again = client.post("/upload", data={"csrf_token": token}, files={"file": (path.name, path.read_bytes())})
    pending = re.search(r'name="token" value="([0-9a-f]{32})"', again.text).group(1)
    conflict = client.post("/upload/save", data={**form, "token": pending})
    assert conflict.status_code == 409 and "Văn bản đã có trong kho" in conflict.text and doc_url in conflict.text
    forced = client.post("/upload/save", data={**form, "token": pending, "force": "1"}, follow_redirects=False)
    assert forced.status_code == 303


def test_upload_page_explains_refused_files(client, fixtures_dir):
    token = login(client, "uploader")
    path = fixtures_dir / "scan_no_text_layer_4p.pdf"
    page = client.post("/upload", data={"csrf_token": token}, files={"file": (path.name, path.read_bytes())})
    assert page.status_code == 422 and "Tài liệu không có lớp văn bản (cần OCR)" in page.text
    assert page.text.count("Tài liệu không có lớp văn bản (cần OCR)") == 1 and "4 trang PDF chỉ chứa ảnh quét" in page.text
    page = client.post("/upload", data={"csrf_token": token}, files={"file": ("anh.docx", b"\xff\xd8\xff\xe0" + b"0" * 99)})
    assert page.status_code == 415 and "ảnh" in page.text.lower()


def test_upload_and_models_pages_by_role(data_dir):
    with make_client(data_dir) as client:
        login(client, "reader")
        assert client.get("/upload").status_code == 403
        assert client.get("/models").status_code == 403
        review = client.get("/review")
        assert review.status_code == 200 and "Văn bản cần duyệt" in review.text
    with make_client(data_dir) as client:
        login(client, "admin")
        page = client.get("/models")
        assert page.status_code == 200 and "Mô hình phân loại" in page.text


def test_review_page_accepts_one_after_another(data_dir):
    with make_client(data_dir, review_threshold=1.0) as client:
        token = login(client, "uploader")
        for number in ("41/TB-UBND", "42/TB-UBND"):
            text = f"Số: {number}\nTHÔNG BÁO\nVề việc tổ chức hội nghị\nCác cơ quan tham dự đầy đủ."
            client.post("/api/documents", json={"text": text}, headers={"X-CSRF-Token": token})
        page = client.get("/review")
        assert "41/TB-UBND" in page.text and "2</span>" in page.text
        last = client.get("/review", params={"at": 1}).text  # the last one: a way back to those skipped
        assert "Bỏ qua" not in last and "Về văn bản đầu hàng đợi" in last
        doc_id = re.search(r'action="/review/([^"]+)"', page.text).group(1)
        done = client.post(f"/review/{doc_id}", data={"csrf_token": token, "doc_type": "thong-bao",
                                                      "topic": "noi-vu"}, follow_redirects=True)  # fmt: skip
        assert "Đã xác nhận nhãn" in done.text and "42/TB-UBND" in done.text
        assert f'action="/review/{doc_id}"' not in done.text
        # the field left at "chưa xác định": the type is saved, the document stays for its field
        other = re.search(r'action="/review/([^"]+)"', done.text).group(1)
        partial = client.post(f"/review/{other}", data={"csrf_token": token, "doc_type": "thong-bao", "topic": ""},
                              follow_redirects=True)  # fmt: skip
        assert "vẫn chờ duyệt" in partial.text and f'action="/review/{other}"' in partial.text
        detail = client.get(f"/api/documents/{other}").json()
        assert detail["labels"]["doc_type"]["source"] == "human" and detail["needs_review"] == ["topic"]


def test_local_mode_pages(data_dir):
    with make_client(data_dir, local_mode=True) as client:
        page = client.get("/", params={"q": "chuyen doi so"})
        assert page.status_code == 200 and "Chế độ cục bộ" in page.text and "<mark>" in page.text
        assert client.get("/upload", follow_redirects=False).status_code == 303  # writing needs a login


def test_api_docs_and_problem_pages(client):
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/api/documents/{doc_id}" in docs.text and "cdn" not in docs.text.lower()
    assert client.get("/openapi.json").json()["paths"]["/api/search"]
    page = client.get("/problems/no-text-layer")
    assert page.status_code == 200 and "cần OCR" in page.text
    assert client.get("/static/app.css").status_code == 200


def test_the_type_list_is_in_vietnamese_alphabetical_order(client):
    login(client, "uploader")
    page = client.get("/documents/demo-001").text
    select = page[page.index('<select name="doc_type"') :]  # the correction form's list
    position = select.index
    assert position(">Báo cáo<") < position(">Biên bản<") < position(">Chỉ thị<")
    assert position(">Công điện<") < position(">Công văn<") < position(">Đề án<") < position(">Giấy mời<")


def test_a_validity_no_class_reads_is_refused_with_the_words_to_use(client):
    token = login(client, "uploader")
    doc = client.get("/api/documents/demo-001", headers=auth("reader")).json()
    form = {"csrf_token": token, "doc_type": doc["doc_type"], "topic": doc["topic"], "number": doc["number"] or "",
            "issuer": doc["issuer"] or "", "title": doc["title"] or "", "signer": doc["signer"] or ""}  # fmt: skip
    page = client.post("/documents/demo-001/correct", data={**form, "status": "đang chờ"})
    assert page.status_code == 422 and "Hiệu lực" in page.text and "Còn hiệu lực một phần" in page.text
    assert 'list="status-words"' in page.text and 'value="đang chờ"' in page.text  # what was typed is kept
    ok = client.post("/documents/demo-001/correct", data={**form, "status": "Hết hiệu lực"}, follow_redirects=False)
    assert ok.status_code == 303
    assert client.get("/api/documents/demo-001", headers=auth("reader")).json()["title"] == doc["title"]
