"""Defects found by QA: ids with "/", the upload form's date errors, clerks' numbers, the same file twice,
and the warnings of a model activation."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

from corpus.document import Document
from service.api.models import activate_version
from tests.service.conftest import assert_problem, auth
from tests.service.test_pages import login

SLASH_ID = "q 14/with slash"
SLASH_PATH = "q%2014%2Fwith%20slash"
NOTICE = "THÔNG BÁO\nVề lịch tiếp công dân tháng tư của khu phố thử nghiệm Hòa Bình\nNội dung thông báo."


def _file_slash_document(client: Any) -> None:
    """A document filed as a JSONL import files it: any string is a valid id."""
    services = client.app.state.services
    doc = Document(id=SLASH_ID, number="14/TB-QA", title="Thông báo kiểm thử đường dẫn lạ lùng",
                   text="Thông báo kiểm thử đường dẫn lạ lùng.", issuer="Ủy ban nhân dân xã Thử")  # fmt: skip
    services.store.upsert(doc, actor="qa")
    services.index.upsert([services.store.get(SLASH_ID)])


def _preview_token(client: Any, csrf: str, text: str) -> str:
    preview = client.post("/upload", data={"csrf_token": csrf}, files={"file": ("thong_bao.txt", text.encode())})
    assert preview.status_code == 200, preview.text[:500]
    return re.search(r'name="token" value="([0-9a-f]{32})"', preview.text).group(1)


def _form(csrf: str, token: str, **values: str) -> dict[str, str]:
    form = {"csrf_token": csrf, "token": token, "number": "", "issuer": "", "issued_date": "", "title": "",
            "signer": "", "doc_type": "thong-bao", "topic": "noi-vu", "confirm_tags": "1"}  # fmt: skip
    return {**form, **values}


def test_an_id_with_a_slash_is_reachable_everywhere(client):
    _file_slash_document(client)
    url = f"/api/documents/{SLASH_PATH}"
    body = client.get(url, headers=auth("reader"))
    assert body.status_code == 200, body.text
    assert body.json()["id"] == SLASH_ID
    assert client.get(f"{url}/related", headers=auth("reader")).status_code == 200
    assert client.get(f"{url}/audit", headers=auth("reader")).json()["document_id"] == SLASH_ID
    assert_problem(client.get(f"{url}/file", headers=auth("reader")), 404, "file-not-found")
    patched = client.patch(url, json={"topic": "noi-vu"}, headers=auth("uploader"))
    assert patched.status_code == 200 and patched.json()["topic"] == "noi-vu"

    login(client, "uploader")
    found = client.get("/", params={"q": "đường dẫn lạ lùng"})
    assert f'href="/documents/{SLASH_PATH}?q=' in found.text  # the hit's page marks the words searched for
    page = client.get(f"/documents/{SLASH_PATH}")
    assert page.status_code == 200 and "Thông báo kiểm thử đường dẫn lạ lùng" in page.text
    assert f'action="/documents/{SLASH_PATH}/correct"' in page.text

    assert client.delete(url, headers=auth("admin")).status_code == 204
    assert_problem(client.get(url, headers=auth("reader")), 404, "document-not-found")


def test_an_impossible_date_keeps_the_preview_with_the_error_at_the_field(client):
    csrf = login(client, "uploader")
    token = _preview_token(client, csrf, NOTICE)
    page = client.post("/upload/save", data=_form(csrf, token, issued_date="31/02/2024"))
    assert page.status_code == 422
    assert "Kiểm tra và lưu văn bản" in page.text and f'value="{token}"' in page.text  # the form and its token
    assert 'value="31/02/2024"' in page.text and 'id="e-issued_date"' in page.text
    assert "Ngày ban hành" in page.text and "không tồn tại" in page.text
    saved = client.post("/upload/save", data=_form(csrf, token, issued_date="05/03/2024"), follow_redirects=False)
    assert saved.status_code == 303  # the token survived the error


def test_a_date_in_words_is_accepted_and_a_long_one_explained_in_vietnamese(client):
    csrf = login(client, "uploader")
    token = _preview_token(client, csrf, NOTICE)
    saved = client.post("/upload/save", data=_form(csrf, token, issued_date="ngày 5 tháng 3 năm 2024"),
                        follow_redirects=False)  # fmt: skip
    assert saved.status_code == 303, saved.text[:800]
    doc_id = saved.headers["location"].split("?")[0].removeprefix("/documents/")
    assert client.get(f"/api/documents/{doc_id}", headers=auth("reader")).json()["issued_date"] == "2024-03-05"

    token = _preview_token(client, csrf, NOTICE + " Bản hai.")
    page = client.post("/upload/save", data=_form(csrf, token, issued_date="ngày mồng năm tháng ba năm hai nghìn"))
    assert page.status_code == 422 and 'id="e-issued_date"' in page.text
    assert "Ngày ban hành" in page.text and "issued_date:" not in page.text


def test_a_number_corrected_through_the_api_is_canonical(client):
    response = client.patch("/api/documents/demo-001", json={"number": "số 12 /QĐ - UBND"}, headers=auth("uploader"))
    assert response.status_code == 200, response.text
    doc = response.json()
    assert doc["number"] == "12/QĐ-UBND" and doc["symbol"] == "QĐ-UBND"
    assert doc["extra"]["number_raw"] == "số 12 /QĐ - UBND"
    # The duplicate check now finds it.
    again = client.post("/api/documents", json={"text": "Quyết định về việc thử", "number": "12/QĐ-UBND",
                                                "issuer": doc["issuer"]}, headers=auth("uploader"))  # fmt: skip
    body = assert_problem(again, 409, "duplicate-document")
    assert body["existing"][0]["id"] == "demo-001"
    # A clean number leaves no stale raw form behind.
    clean = client.patch("/api/documents/demo-001", json={"number": "13/QĐ-UBND"}, headers=auth("uploader")).json()
    assert clean["number"] == "13/QĐ-UBND" and "number_raw" not in clean["extra"]


def test_a_number_typed_on_the_upload_form_is_canonical(client):
    csrf = login(client, "uploader")
    token = _preview_token(client, csrf, NOTICE)
    saved = client.post("/upload/save", data=_form(csrf, token, number="số 77 /TB - UBND"), follow_redirects=False)
    assert saved.status_code == 303, saved.text[:800]
    doc_id = saved.headers["location"].split("?")[0].removeprefix("/documents/")
    doc = client.get(f"/api/documents/{doc_id}", headers=auth("reader")).json()
    assert doc["number"] == "77/TB-UBND" and doc["symbol"] == "TB-UBND"
    assert doc["extra"]["number_raw"] == "số 77 /TB - UBND"
    assert doc["labels"]["number"]["value"] == "77/TB-UBND"


def test_the_same_file_twice_is_409_until_forced(client):
    def upload(params: dict[str, str] | None = None) -> Any:
        return client.post("/api/documents", files={"file": ("thong_bao.txt", NOTICE.encode())}, params=params or {},
                           headers=auth("uploader"))  # fmt: skip

    first = upload()
    assert first.status_code == 201, first.text
    assert first.json()["document"]["number"] is None
    body = assert_problem(upload(), 409, "duplicate-document")
    first_id = first.json()["document"]["id"]
    assert body["existing"][0]["id"] == first_id and first_id in body["detail"]
    assert "Tệp này đã được tải lên" in body["detail"]
    assert upload({"force": "true"}).status_code == 201

    csrf = login(client, "uploader")  # the upload page shows the conflict and offers to save anyway
    token = _preview_token(client, csrf, NOTICE)
    page = client.post("/upload/save", data=_form(csrf, token))
    assert page.status_code == 409 and "Tệp này đã được tải lên trước đây" in page.text


def test_activation_reports_the_registry_warnings():
    warning = "Cảnh báo: phiên bản này không có mô hình phân loại loại văn bản."
    events: list[str] = []
    services = SimpleNamespace(
        models=SimpleNamespace(loaded=None, last_error=None,
                               refresh=lambda force: SimpleNamespace(version="v2")),  # fmt: skip
        registry=SimpleNamespace(activate=lambda version, actor, stored_topics: [warning]),
        store=SimpleNamespace(record_event=lambda action, details, actor: events.append(action),
                              topic_counts=lambda: {"y-te": 2}),  # fmt: skip
    )
    result = activate_version(services, "v2", "an.quantri")  # type: ignore[arg-type]
    assert result["warnings"] == [warning] and result["active"] == "v2"
    assert events == ["model-activate"]
