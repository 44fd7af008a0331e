"""Documents over HTTP: upload real files, duplicates, bad files, corrections, deletion, files, review."""

from __future__ import annotations

import io
import zipfile

import pytest

from corpus.document import LabelSource
from corpus.store import Store
from tests.service.conftest import NAMES, assert_problem, auth, make_client

DOCX = (
    "lcsct_0040__quyet_dinh_ubnd_uy_quyen.docx",
    "lcsct_0143__bao_cao_ubnd.docx",
    "lcsct_0151__cong_van_ubnd.docx",
    "lcsct_0153__ke_hoach_ubnd.docx",
    "lcsct_0242__cong_van_ubnd_tinh.docx",
    "lcsct_0244__giay_moi_ubnd.docx",
    "lcsct_0246__thong_bao_ket_luan_ubnd.docx",
)
# The drafts leave the number blank ("Số:   /KH-UBND"): the clerk gives it at filing, as in an office.
NUMBERS = {name: f"{i + 9101}/{symbol}" for i, (name, symbol) in enumerate(zip(DOCX, (
    "QĐ-UBND", "BC-UBND", "UBND-TNMT", "KH-UBND", "UBND-CN", "GM-UBND", "TB-VPUBND"), strict=True))}
TYPES = {"lcsct_0040": "quyet-dinh", "lcsct_0143": "bao-cao", "lcsct_0151": "cong-van", "lcsct_0153": "ke-hoach",
         "lcsct_0242": "cong-van", "lcsct_0244": "giay-moi", "lcsct_0246": "thong-bao"}  # fmt: skip


def upload(client, path, role="uploader", params=None, **fields):
    data = path.read_bytes()
    return client.post("/api/documents", files={"file": (path.name, data)}, data=fields, params=params or {},
                       headers=auth(role))  # fmt: skip


def test_every_docx_fixture_is_filed_and_found_at_once(client, fixtures_dir):
    for name in DOCX:
        response = upload(client, fixtures_dir / name, number=NUMBERS[name])
        assert response.status_code == 201, (name, response.text)
        body = response.json()
        doc = body["document"]
        assert response.headers["location"] == f"/api/documents/{doc['id']}"
        assert doc["number"] == NUMBERS[name]
        assert doc["doc_type"] == TYPES[name[:10]], name
        assert doc["issuer"].endswith("tỉnh Lào Cai")
        assert doc["file"]["filename"] == name
        assert doc["labels"]["number"]["source"] == "human"  # the clerk gave it
        assert doc["labels"]["number"]["author"] == NAMES["uploader"]
        assert set(body["tags"]) >= {"doc_type", "topic", "needs_review", "model_version"}
        assert body["tags"]["doc_type"]["reasons"]
        # Searchable when the response returns: by number typed loosely, and by words without diacritics.
        loose = NUMBERS[name].lower().replace("/", " ").replace("-", " ")
        hits = client.get("/api/search", params={"q": loose}, headers=auth("reader")).json()["hits"]
        assert hits[0]["id"] == doc["id"], (name, loose)
        words = " ".join(doc["title"].split()[:6])
        from nlp.normalize import fold

        hits = client.get("/api/search", params={"q": fold(words)}, headers=auth("reader")).json()["hits"]
        assert doc["id"] in [h["id"] for h in hits], (name, fold(words))
    total = client.get("/api/search", params={"q": "", "issuer": "UBND tỉnh Lào Cai"}, headers=auth("reader")).json()
    assert total["total"] == len(DOCX)


def test_header_read_from_the_upload(client, fixtures_dir):
    response = upload(client, fixtures_dir / "lcsct_0146__cong_van_ubnd_tinh_txt_layout.txt")
    doc = response.json()["document"]
    assert (doc["number"], doc["doc_type"], doc["issued_date"], doc["signer"]) == (
        "5973/UBND-KT", "cong-van", "2026-06-11", "Nguyễn Thành Sinh")


def test_original_file_comes_back_byte_for_byte(client, fixtures_dir):
    path = fixtures_dir / "lcsct_0244__giay_moi_ubnd.docx"
    doc_id = upload(client, path).json()["document"]["id"]
    response = client.get(f"/api/documents/{doc_id}/file", headers=auth("reader"))
    assert response.status_code == 200
    assert response.content == path.read_bytes()
    assert "filename*=UTF-8''lcsct_0244__giay_moi_ubnd.docx" in response.headers["content-disposition"]
    assert_problem(client.get("/api/documents/demo-001/file", headers=auth("reader")), 404, "file-not-found")


def test_same_number_and_issuer_is_409_until_forced(client, fixtures_dir):
    path = fixtures_dir / "lcsct_0146__cong_van_ubnd_tinh_txt_layout.txt"
    first = upload(client, path).json()["document"]
    body = assert_problem(upload(client, path), 409, "duplicate-document")
    assert body["existing"][0]["id"] == first["id"]
    assert body["existing"][0]["url"] == f"/documents/{first['id']}"
    assert "5973/UBND-KT" in body["detail"]
    forced = upload(client, path, params={"force": "true"})
    assert forced.status_code == 201
    assert forced.json()["document"]["id"] != first["id"]
    # Same number from another issuer is another document.
    other = upload(client, path, issuer="Ủy ban nhân dân tỉnh Yên Bái")
    assert other.status_code == 201


@pytest.mark.parametrize("name", ["lcsct_0019__cong_van_pdf_scan_no_text.pdf", "scan_no_text_layer_4p.pdf"])
def test_scanned_pdf_needs_ocr(client, fixtures_dir, name):
    body = assert_problem(upload(client, fixtures_dir / name), 422, "no-text-layer")
    assert "tài liệu không có lớp văn bản (cần ocr)" in body["detail"].lower()
    assert body["title"] == "Tài liệu không có lớp văn bản (cần OCR)"


def test_pdf_with_text_layer_is_accepted(client, fixtures_dir):
    response = upload(client, fixtures_dir / "quyet-dinh-so-169-qd-bldtbxh-44203.pdf")
    assert response.status_code == 201, response.text
    assert response.json()["document"]["number"] == "169/QĐ-BLĐTBXH"


def test_word_97_doc_is_filed_and_found(client, fixtures_dir):
    # The draft leaves the number blank ("Số:   /PCCC&CNCH-P6"): the clerk gives it, as for the .docx drafts.
    response = upload(client, fixtures_dir / "cong_van_cuc_pccc_draft.doc", number="4321/PCCC&CNCH-P6")
    assert response.status_code == 201, response.text
    doc = response.json()["document"]
    assert (doc["number"], doc["doc_type"], doc["signer"]) == ("4321/PCCC&CNCH-P6", "cong-van", "Nguyễn Thanh Điệp")
    assert doc["issuer"] == "Cục Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ"
    assert doc["file"]["filename"] == "cong_van_cuc_pccc_draft.doc"
    for typed in ("4321/PCCC&CNCH-P6", "4321/pccc&cnch-p6"):
        hits = client.get("/api/search", params={"q": typed}, headers=auth("reader")).json()["hits"]
        assert hits[0]["id"] == doc["id"], typed
    hits = client.get("/api/search", params={"q": "QCVN 03:2023/BCA phương tiện"}, headers=auth("reader")).json()["hits"]
    assert doc["id"] in [h["id"] for h in hits]


def test_content_is_sniffed_not_trusted(client, fixtures_dir):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600) + "Workbook".encode("utf-16-le")
    response = client.post("/api/documents", files={"file": ("bang.doc", ole)}, headers=auth("uploader"))
    assert "excel" in assert_problem(response, 415, "unsupported-file")["detail"].lower()
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
    response = client.post("/api/documents", files={"file": ("cong_van.pdf", png, "application/pdf")},
                           headers=auth("uploader"))  # fmt: skip
    assert "ocr" in assert_problem(response, 415, "unsupported-file")["detail"].lower()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    response = client.post("/api/documents", files={"file": ("bang.docx", buffer.getvalue())}, headers=auth("uploader"))
    assert "excel" in assert_problem(response, 415, "unsupported-file")["detail"].lower()
    truncated = (fixtures_dir / "lcsct_0040__quyet_dinh_ubnd_uy_quyen.docx").read_bytes()[:4000]
    response = client.post("/api/documents", files={"file": ("hong.docx", truncated)}, headers=auth("uploader"))
    assert_problem(response, 422, "corrupt-document")
    assert_problem(client.post("/api/documents", files={"file": ("rong.txt", b"  \n")}, headers=auth("uploader")),
                   422, "empty-document")


def test_upload_over_the_limit_is_413(data_dir):
    with make_client(data_dir, max_upload_bytes=50_000) as small:
        big = b"Ke hoach " * 20_000
        response = small.post("/api/documents", files={"file": ("lon.txt", big)}, headers=auth("uploader"))
        body = assert_problem(response, 413, "payload-too-large")
        assert "MB" in body["detail"]
        # A body that does not announce its size is cut off while it streams in.
        def chunks():
            for _ in range(40):
                yield b"x" * 10_000

        response = small.post("/api/documents", content=chunks(), headers={**auth("uploader"),
                              "content-type": "application/json"})  # fmt: skip
        assert_problem(response, 413, "payload-too-large")


def test_json_text_is_filed(client):
    text = ("ỦY BAN NHÂN DÂN\nTỈNH SÔNG MÂY\nSố: 77/TB-UBND\nSông Mây, ngày 02 tháng 4 năm 2026\nTHÔNG BÁO\n"
            "Lịch tiếp công dân tháng 4 năm 2026\nChủ tịch UBND tỉnh tiếp công dân vào ngày 15/4/2026.")
    response = client.post("/api/documents", json={"text": text, "topic": "tu-phap"}, headers=auth("uploader"))
    assert response.status_code == 201, response.text
    doc = response.json()["document"]
    assert (doc["number"], doc["doc_type"], doc["topic"]) == ("77/TB-UBND", "thong-bao", "tu-phap")
    assert doc["labels"]["topic"]["source"] == "human"
    assert doc["file"] is None
    assert_problem(client.post("/api/documents", json={"text": "  "}, headers=auth("uploader")), 422, "invalid-request")
    assert_problem(client.post("/api/documents", content=b"{not json", headers={**auth("uploader"),
                   "content-type": "application/json"}), 422, "invalid-request")  # fmt: skip
    assert_problem(client.post("/api/documents", content=b"a=b", headers={**auth("uploader"),
                   "content-type": "application/x-www-form-urlencoded"}), 415, "unsupported-file")  # fmt: skip


def test_correction_is_a_human_label_audited_and_reindexed(client, data_dir):
    before = client.get("/api/search", params={"q": "", "topic": "y-te"}, headers=auth("reader")).json()["total"]
    response = client.patch("/api/documents/demo-001", json={"topic": "Y tế", "title": "Về tiếp công dân và y tế"},
                            headers=auth("uploader"))  # fmt: skip
    assert response.status_code == 200, response.text
    doc = response.json()
    assert doc["topic"] == "y-te"  # the field's name was accepted and resolved to its code
    label = doc["labels"]["topic"]
    assert label["source"] == "human" and label["author"] == NAMES["uploader"] and label["at"]
    # Re-indexed: the topic filter and the new title find it at once.
    after = client.get("/api/search", params={"q": "", "topic": "y-te"}, headers=auth("reader")).json()["total"]
    assert after == before + 1
    hits = client.get("/api/search", params={"q": "ve tiep cong dan va y te"}, headers=auth("reader")).json()["hits"]
    assert hits[0]["id"] == "demo-001" and hits[0]["topic"] == "y-te"
    audit = client.get("/api/documents/demo-001/audit", headers=auth("reader")).json()["entries"]
    topic_entry = next(e for e in audit if e["action"] == "label" and e["details"]["field"] == "topic")
    assert topic_entry["actor"] == NAMES["uploader"]
    assert topic_entry["details"]["new"] == "y-te" and topic_entry["details"]["old"] == "tu-phap"
    with Store.open(data_dir) as store:
        assert store.labels("demo-001")[-1].source in (LabelSource.HUMAN,)


def test_bad_corrections(client):
    assert_problem(client.patch("/api/documents/khong-co", json={"topic": "y-te"}, headers=auth("uploader")),
                   404, "document-not-found")
    body = assert_problem(client.patch("/api/documents/demo-001", json={"topic": "thien-van"}, headers=auth("uploader")),
                          422, "invalid-request")
    assert body["errors"][0]["field"] == "topic"
    assert_problem(client.patch("/api/documents/demo-001", json={"mau_sac": "do"}, headers=auth("uploader")),
                   422, "invalid-request")
    assert_problem(client.patch("/api/documents/demo-001", json={"issued_date": "2024-02-30"}, headers=auth("uploader")),
                   422, "invalid-request")
    assert_problem(client.patch("/api/documents/demo-001", json={}, headers=auth("uploader")), 422, "invalid-request")
    assert_problem(client.patch("/api/documents/demo-001", json=["topic"], headers=auth("uploader")),
                   422, "invalid-request")


def test_delete_needs_admin_and_keeps_the_audit(client):
    assert_problem(client.delete("/api/documents/demo-002", headers=auth("uploader")), 403, "forbidden")
    assert client.delete("/api/documents/demo-002", headers=auth("admin")).status_code == 204
    assert_problem(client.get("/api/documents/demo-002", headers=auth("reader")), 404, "document-not-found")
    assert "demo-002" not in [h["id"] for h in client.get("/api/search", params={"q": "demo"},
                                                          headers=auth("reader")).json()["hits"]]  # fmt: skip
    audit = client.get("/api/documents/demo-002/audit", headers=auth("reader")).json()["entries"]
    assert audit[0]["action"] == "delete" and audit[0]["actor"] == NAMES["admin"]
    assert_problem(client.delete("/api/documents/demo-002", headers=auth("admin")), 404, "document-not-found")


def test_document_and_related(client):
    doc = client.get("/api/documents/demo-050", headers=auth("reader")).json()
    assert doc["number"] == "02/HD-SNV" and doc["labels"]["doc_type"]["source"] == "source"
    related = client.get("/api/documents/demo-001/related", headers=auth("reader")).json()
    assert set(related) >= {"cites", "cited_by", "similar"}
    assert any(d["number"] == "05/TB-UBND" for d in related["cited_by"])  # demo-085 cites 03/CT-UBND
    assert all(d["url"].startswith("/documents/") for d in related["similar"])
    assert_problem(client.get("/api/documents/khong-co/related", headers=auth("reader")), 404, "document-not-found")


def test_classify_tags_without_storing(client, fixtures_dir):
    path = fixtures_dir / "lcsct_0151__cong_van_ubnd.docx"
    count = client.get("/readyz").json()["checks"]["store"]["documents"]
    response = client.post("/api/classify", files={"file": (path.name, path.read_bytes())}, headers=auth("reader"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["header"]["doc_type"] == "cong-van" and body["header"]["issuer"] == "Ủy ban nhân dân tỉnh Lào Cai"
    assert body["tags"]["doc_type"]["label"] == "cong-van"
    assert body["format"] == "docx" and body["text"]
    assert client.get("/readyz").json()["checks"]["store"]["documents"] == count
    text = client.post("/api/classify", json={"text": "Số: 12/QĐ-UBND\nQUYẾT ĐỊNH\nVề việc thành lập Tổ công tác"},
                       headers=auth("reader")).json()  # fmt: skip
    assert text["tags"]["doc_type"]["label"] == "quyet-dinh"


def test_review_queue_oldest_first_and_cleared_by_a_clerk(data_dir, fixtures_dir):
    # Threshold 1.0: every tag a model proposes counts as uncertain, whichever model is active.
    with make_client(data_dir, review_threshold=1.0) as client:
        _review_queue(client, fixtures_dir)


def _review_queue(client, fixtures_dir):
    ids = [upload(client, fixtures_dir / name).json()["document"]["id"] for name in DOCX[:3]]
    queue = client.get("/api/review", headers=auth("reader")).json()
    queued = [item["id"] for item in queue["items"]]
    uncertain = [i for i in ids if i in queued]
    assert uncertain == ids, queue
    assert queued.index(uncertain[0]) < queued.index(uncertain[-1])  # oldest first
    item = queue["items"][queued.index(uncertain[0])]
    assert item["fields"] and item["classification"]["doc_type"]
    accepted = client.patch(f"/api/documents/{uncertain[0]}", json={"doc_type": item["doc_type"] or "cong-van",
                            "topic": "dat-dai"}, headers=auth("uploader"))  # fmt: skip
    assert accepted.status_code == 200
    assert accepted.json()["needs_review"] == []
    after = [i["id"] for i in client.get("/api/review", headers=auth("reader")).json()["items"]]
    assert uncertain[0] not in after
