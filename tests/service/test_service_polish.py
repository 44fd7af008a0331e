"""Rough edges a clerk or an admin would hit: related links to odd ids, the warnings of a model activation on
the models page, overlong values typed in the pages' forms, and a corrected number another document has."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from corpus.document import Document
from service.documents import id_path
from tests.service.conftest import assert_problem, auth, make_client, seed_with_second_version
from tests.service.test_pages import login

# Imported ids are any string: a folder path, a number with its copy mark, a query-like suffix, a percent.
ODD_ID = "lưu trữ/QĐ 914#bản 2?x=1%"
CITED = Document(
    id=ODD_ID, number="914/QĐ-UBND", issuer="Ủy ban nhân dân huyện Mường Khương",
    title="Quyết định ban hành quy chế lưu trữ hồ sơ điện tử của huyện",
    text="QUYẾT ĐỊNH\nBan hành quy chế lưu trữ hồ sơ điện tử của huyện Mường Khương.",
)  # fmt: skip
CITING = Document(
    id="qa-trich-dan-914", number="915/TB-UBND", issuer="Ủy ban nhân dân huyện Mường Khương",
    title="Thông báo triển khai quy chế lưu trữ hồ sơ điện tử",
    text="THÔNG BÁO\nThực hiện Quyết định số 914/QĐ-UBND ngày 15/3/2024 của Ủy ban nhân dân huyện về quy chế "
         "lưu trữ hồ sơ điện tử, các phòng ban rà soát hồ sơ trước ngày 30/6/2024.",
)  # fmt: skip
LONG_DATE = "ngày 15 tháng 3 năm 2024 (bản sao)"


# demo-001's trích yếu as its page fills the form (an emptied title is refused)
DEMO_001_TITLE = "Về nâng cao hiệu quả công tác tiếp công dân, giải quyết khiếu nại, tố cáo trên địa bàn tỉnh Sông Mây"

def _file(client: Any, *documents: Document) -> None:
    """Documents filed as a JSONL import files them, then indexed."""
    services = client.app.state.services
    for doc in documents:
        services.store.upsert(doc, actor="qa")
    services.index.upsert([services.store.get(d.id) for d in documents])


def _correction(csrf: str, **values: str) -> dict[str, str]:
    """The correction form of demo-001 as the page fills it, with ``values`` typed over."""
    form = {"csrf_token": csrf, "doc_type": "chi-thi", "topic": "", "number": "03/CT-UBND",
            "issuer": "Ủy ban nhân dân tỉnh Sông Mây", "issued_date": "20/02/2023", "title": DEMO_001_TITLE, "signer": "",
            "status": ""}  # fmt: skip
    return {**form, **values}


def _is_page(response: Any) -> bool:
    return response.headers["content-type"].startswith("text/html") and 'lang="vi"' in response.text


# -- 1. related documents: urls that open the document, whatever its id --------------------------------------


def test_a_related_url_opens_the_document_whatever_its_id(client):
    _file(client, CITED, CITING)
    related = client.get(f"/api/documents/{CITING.id}/related", headers=auth("reader"))
    assert related.status_code == 200, related.text
    (cited,) = [d for d in related.json()["cites"] if d["id"] == ODD_ID]
    assert cited["api_url"] == f"/api/documents/{id_path(ODD_ID)}" and "#" not in cited["api_url"]
    opened = client.get(cited["api_url"], headers=auth("reader"))
    assert opened.status_code == 200, opened.text
    assert opened.json()["id"] == ODD_ID and opened.json()["number"] == "914/QĐ-UBND"

    login(client, "reader")
    page = client.get(cited["url"])
    assert page.status_code == 200 and "Quyết định ban hành quy chế lưu trữ hồ sơ điện tử" in page.text

    # The other way round: the citing document, listed under the odd id's related documents.
    back = client.get(f"{cited['api_url']}/related", headers=auth("reader")).json()
    (citing,) = [d for d in back["cited_by"] if d["id"] == CITING.id]
    assert client.get(citing["api_url"], headers=auth("reader")).json()["number"] == "915/TB-UBND"


# -- 2. the models page shows the warnings of an activation --------------------------------------------------


@pytest.fixture(scope="session")
def topic_only_seed(demo_seed: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """The demo data directory with a full version (active) and one trained with ``--task topic`` only."""
    return seed_with_second_version(demo_seed, tmp_path_factory, "topic-only-seed", "chỉ có lĩnh vực",
                                    tasks=("topic",))  # fmt: skip


def test_the_models_page_shows_the_warnings_of_an_activation(topic_only_seed, tmp_path):
    seed, full, topic_only = topic_only_seed
    shutil.copytree(seed, tmp_path / "data")
    with make_client(tmp_path / "data") as client:
        csrf = login(client, "admin")
        switched = client.post(f"/models/{topic_only}/activate", data={"csrf_token": csrf}, follow_redirects=False)
        assert switched.status_code == 303, switched.text[:500]
        location = switched.headers["location"]
        # The redirect carries fixed codes only, never the warning's text.
        assert parse_qs(urlsplit(location).query) == {"ok": ["activated"], "warn": ["no-doc_type"]}
        page = client.get(location)
        assert "Đã chuyển mô hình" in page.text
        assert "vanban tag --refresh" in page.text  # what to run for the old version's proposals
        assert "Cảnh báo: phiên bản này không có mô hình loại văn bản" in page.text
        assert "chỉ dựa vào số ký hiệu" in page.text and "mô hình lĩnh vực" not in page.text

        # Only known codes are shown: anything else in the URL is ignored, nothing of it reaches the page.
        forged = client.get("/models", params={"warn": "<script>alert(1)</script>,no-topic,no-topic"})
        assert "<script>alert" not in forged.text and "&lt;script&gt;" not in forged.text
        assert forged.text.count("không có mô hình lĩnh vực") == 1

        back = client.post(f"/models/{full}/activate", data={"csrf_token": csrf}, follow_redirects=False)
        assert back.headers["location"] == "/models?ok=activated"  # a full version: nothing to warn about
        assert "Cảnh báo" not in client.get(back.headers["location"]).text


# -- 3. overlong values on the pages' forms: the page, in Vietnamese, with what was typed --------------------


def test_an_overlong_date_on_the_correction_form_keeps_the_page_and_what_was_typed(client):
    csrf = login(client, "uploader")
    for typed in (LONG_DATE, "15/03/2024 — bản sao lưu trữ 2"):  # 34 and 30 characters
        response = client.post("/documents/demo-001/correct", data=_correction(csrf, issued_date=typed,
                                                                                 signer="Nguyễn Văn Ký"))  # fmt: skip
        assert response.status_code == 422 and _is_page(response), response.text[:300]
        assert "Sửa / xác nhận nhãn" in response.text and 'id="e-issued_date"' in response.text
        assert f'value="{typed}"' in response.text and 'value="Nguyễn Văn Ký"' in response.text
        assert "Ngày ban hành" in response.text and "không đúng định dạng" in response.text
    words = "ngày mười lăm tháng ba năm hai nghìn không trăm hai mươi tư"
    response = client.post("/documents/demo-001/correct", data=_correction(csrf, issued_date=words))
    assert response.status_code == 422 and "quá dài" in response.text and f'value="{words}"' in response.text
    title = "Về việc nâng cao hiệu quả công tác tiếp công dân " * 110  # over 5000 characters
    response = client.post("/documents/demo-001/correct", data=_correction(csrf, title=title))
    assert response.status_code == 422 and "Trích yếu: quá dài (tối đa 5000 ký tự)" in response.text
    doc = client.get("/api/documents/demo-001", headers=auth("reader")).json()
    assert doc["signer"] != "Nguyễn Văn Ký" and doc["issued_date"] == "2023-02-20"  # nothing was saved

    saved = client.post("/documents/demo-001/correct", data=_correction(csrf, issued_date="ngày 15 tháng 3 năm 2024"),
                        follow_redirects=False)  # fmt: skip
    assert saved.status_code == 303
    assert client.get("/api/documents/demo-001", headers=auth("reader")).json()["issued_date"] == "2024-03-15"


def test_an_overlong_date_on_the_search_page_is_explained_on_the_page(client):
    login(client, "reader")
    page = client.get("/", params={"q": "tiếp công dân", "from": LONG_DATE})
    assert page.status_code == 422 and _is_page(page)
    assert 'value="tiếp công dân"' in page.text and f'value="{LONG_DATE}"' in page.text
    assert "không hợp lệ" in page.text
    page = client.get("/", params={"q": "tiếp công dân", "to": "3" * 41})
    assert page.status_code == 422 and "Đến ngày quá dài (tối đa 40 ký tự)" in page.text
    assert 'value="tiếp công dân"' in page.text
    page = client.get("/", params={"q": "tiếp công dân", "from": "ngày 1 tháng 1 năm 2020"})
    assert page.status_code == 200 and "<mark>" in page.text


def test_an_overlong_field_on_the_upload_form_keeps_the_preview(client):
    csrf = login(client, "uploader")
    text = "THÔNG BÁO\nVề lịch tiếp công dân tháng năm của phường Hòa Bình\nNội dung thông báo."
    preview = client.post("/upload", data={"csrf_token": csrf}, files={"file": ("thong_bao.txt", text.encode())})
    token = re.search(r'name="token" value="([0-9a-f]{32})"', preview.text).group(1)
    signer = "Nguyễn Thị Hoa " * 20
    page = client.post("/upload/save", data={"csrf_token": csrf, "token": token, "signer": signer,
                                             "doc_type": "thong-bao", "topic": "noi-vu"})  # fmt: skip
    assert page.status_code == 422 and _is_page(page) and 'id="e-signer"' in page.text
    assert "Người ký: quá dài (tối đa 200 ký tự)" in page.text and f'value="{token}"' in page.text


def test_pages_never_answer_a_clerk_with_json(client):
    csrf = login(client, "uploader")
    for response in (
        client.get("/", params={"q": "tiếp công dân", "page": "hai"}),
        client.post("/review/demo-001", data={"csrf_token": csrf, "doc_type": "chi-thi", "at": "-1"}),
        client.post("/upload/save", data={"csrf_token": csrf, "number": "12/TB-UBND"}),  # no upload token
    ):
        assert response.status_code == 422 and _is_page(response), response.text[:300]
        assert "Yêu cầu không hợp lệ" in response.text
    assert "Trang: phải là số nguyên" in client.get("/", params={"page": "hai"}).text
    wrong = client.post("/login", data={"key": "k" * 600, "csrf_token": csrf, "next": "/" + "a" * 3000})
    assert wrong.status_code == 401 and _is_page(wrong) and "Khóa không đúng" in wrong.text
    # The API still answers problem+json, and asking a page for JSON only gets JSON.
    assert_problem(client.patch("/api/documents/demo-001", json={"number": "1" * 201}, headers=auth("uploader")),
                   422, "invalid-request")  # fmt: skip
    body = assert_problem(client.get("/", params={"page": "hai"}, headers={"accept": "application/json"}), 422,
                          "invalid-request")  # fmt: skip
    assert body["errors"][0]["field"] == "page"


# -- 4. a corrected number another document already has --------------------------------------------------------

OTHER = Document(
    id="lưu trữ/KH 907#huyện", number="907/KH-UBND", issuer="Ủy ban nhân dân huyện Bắc Hà",
    title="Kế hoạch phòng chống thiên tai năm 2024 của huyện Bắc Hà",
    text="KẾ HOẠCH\nPhòng chống thiên tai và tìm kiếm cứu nạn năm 2024.",
)  # fmt: skip


def test_a_number_corrected_through_the_api_to_one_already_filed_is_kept_with_a_warning(client):
    _file(client, OTHER)
    response = client.patch("/api/documents/demo-001", json={"number": "số 907 /KH - UBND"}, headers=auth("uploader"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["number"] == "907/KH-UBND"  # filed: two issuers may share a number
    (warning,) = body["warnings"]
    assert "Đã có văn bản số 907/KH-UBND của Ủy ban nhân dân huyện Bắc Hà trong kho" in warning
    assert f"(mã {OTHER.id})" in warning
    assert [d["id"] for d in body["duplicates"]] == [OTHER.id]
    assert body["duplicates"][0]["api_url"] == f"/api/documents/{id_path(OTHER.id)}"
    unrelated = client.patch("/api/documents/demo-001", json={"topic": "noi-vu"}, headers=auth("uploader")).json()
    assert unrelated["warnings"] == [] and unrelated["duplicates"] == []


def test_the_correction_form_names_the_documents_with_the_same_number(client):
    _file(client, OTHER)
    csrf = login(client, "uploader")
    saved = client.post("/documents/demo-001/correct", data=_correction(csrf, number="907/KH-UBND"),
                        follow_redirects=False)  # fmt: skip
    assert saved.status_code == 303
    assert saved.headers["location"] == "/documents/demo-001?ok=corrected&warn=same-number"
    page = client.get(saved.headers["location"])
    assert "Đã lưu chỉnh sửa" in page.text and "Kho còn có văn bản khác cùng số ký hiệu 907/KH-UBND" in page.text
    assert f'href="/documents/{id_path(OTHER.id)}"' in page.text and "Ủy ban nhân dân huyện Bắc Hà" in page.text
    assert client.get(f"/documents/{id_path(OTHER.id)}").status_code == 200
    # Another correction, not of the number: no notice.
    again = client.post("/documents/demo-001/correct", data=_correction(csrf, number="907/KH-UBND", signer="Lê Văn Tư"),
                        follow_redirects=False)  # fmt: skip
    assert again.headers["location"] == "/documents/demo-001?ok=corrected"
