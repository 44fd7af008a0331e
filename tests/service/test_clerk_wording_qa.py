"""QA of the clerk's pages (2026-11-29): a field waiting for review looked confident and did not say why, the
correction form blanked a title, a type was named by its longer code's name, and some words on the pages
were the API's or English."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import unquote

import pytest

from corpus.store_types import AuditEntry
from nlp.abbreviations import DOC_TYPE_LABELS
from nlp.normalize import fold
from service import documents
from service.models_adapter import Tags, _tags
from service.pages.common import cleared_fields, percent_decimal, review_reasons, templates
from tests.service.conftest import auth
from tests.service.test_pages import login

NOT_ENOUGH = "cần xem xét: không đủ thông tin để đoán loại văn bản (văn bản hầu như không có từ ngữ nào mô hình đã học)"
PASTED = (
    "Ủy ban nhân dân huyện Sông Mây\nSố: 89/TB-UBND\nTHÔNG BÁO\nVề lịch tiếp công dân tháng 12 năm 2026\n"
    + ("Ủy ban nhân dân huyện thông báo lịch tiếp công dân định kỳ của lãnh đạo huyện.\n" * 4)
)


def _doubtful_tags(*_: Any) -> Tags:
    """What a model unsure of the type says: 83 % for "Công văn", with the note why it waits."""
    return _tags({
        "doc_type": {"label": "cong-van", "confidence": 0.83, "source": "model", "needs_review": True,
                     "top_k": [["cong-van", 0.83], ["quyet-dinh", 0.1], ["thong-bao", 0.004]]},
        "topic": {"label": "noi-vu", "confidence": 0.98, "source": "model", "needs_review": False,
                  "top_k": [["noi-vu", 0.98], ["nong-nghiep", 0.003], ["tu-phap", 0.002]]},
        "review_reasons": [NOT_ENOUGH],
    }, "v-test", 0.6, None)  # fmt: skip


@pytest.fixture
def doubtful(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(documents, "propose_tags", _doubtful_tags)


def _tagbox(page: str, field: str) -> str:
    """The preview's box of ``field``: from its mark to the next field's, or to the confirmation box."""
    return (
        page.split(f'data-field="{field}"')[1].split('data-field="topic"')[0].split('name="confirm_tags"')[0]
    )


def _upload(client: Any, token: str, text: str = PASTED) -> Any:
    return client.post("/upload", data={"csrf_token": token, "text": text}, files={"file": ("", b"")})


def _save_form(page: str, token: str, **changes: str) -> dict[str, str]:
    """The preview's save form as the page fills it, with ``changes`` over it."""
    form = {"csrf_token": token, "token": re.search(r'name="token" value="([0-9a-f]+)"', page).group(1)}
    for name in ("number", "issuer", "issued_date", "signer"):
        form[name] = html.unescape(re.search(rf'name="{name}" value="([^"]*)"', page).group(1))
    form["title"] = html.unescape(re.search(r'name="title" rows="3"[^>]*>([^<]*)</textarea>', page).group(1))
    for name in ("doc_type", "topic"):
        chosen = re.search(rf'<select name="{name}".*?<option value="([^"]*)" selected', page, re.S)
        form[name] = chosen.group(1) if chosen else ""
    return {**form, **changes}


def _saved_id(response: Any) -> str:
    assert response.status_code == 303, response.text
    return unquote(response.headers["location"].split("/documents/")[1].split("?")[0])


# -- 1. a field waiting for review looks neutral and says why ---------------------------------------------


def test_a_waiting_confidence_is_shown_plain_and_a_trusted_one_in_colour() -> None:
    macros = templates().env.get_template("partials/macros.html").module
    waiting, trusted = str(macros.confidence(0.83, True)), str(macros.confidence(0.98))
    assert (
        "conf-high" not in waiting and "<meter" not in waiting and "83%" in waiting and "chờ duyệt" in waiting
    )
    assert "conf-high" in trusted


def test_the_reasons_are_the_notes_of_the_fields_still_waiting_in_sentence_case() -> None:
    classification = {
        "notes": [NOT_ENOUGH, "cần xem xét: không đủ thông tin để đoán lĩnh vực (văn bản hầu như không có từ ngữ)",
                  "cần xem xét: không có trích yếu hay nội dung để phân loại"],
        "doc_type": {"label": "cong-van", "confidence": 0.83, "source": "model"},
        "topic": {"label": "noi-vu", "confidence": 0.4, "source": "model"},
    }  # fmt: skip
    assert review_reasons(classification, ["topic"]) == [
        "Không đủ thông tin để đoán lĩnh vực (văn bản hầu như không có từ ngữ)",
        "Không có trích yếu hay nội dung để phân loại",
    ]
    assert review_reasons(classification, []) == []
    # No note about a waiting field: what its proposal lacks is said instead.
    assert review_reasons(
        {"topic": {"label": "noi-vu", "confidence": 0.4, "source": "model"}}, ["topic"]
    ) == ["Mô hình chưa chắc chắn về lĩnh vực (độ tin cậy 40%)."]
    assert review_reasons({"topic": {"label": None, "source": "none", "reasons": ["Chưa có mô hình."]}},
                          ["topic"]) == ["Chưa có đề xuất lĩnh vực: Chưa có mô hình."]  # fmt: skip


def test_the_upload_preview_review_page_and_document_say_why_a_confident_looking_type_waits(client, doubtful):
    token = login(client, "uploader")
    preview = _upload(client, token)
    assert preview.status_code == 200, preview.text
    doc_type_box, topic_box = _tagbox(preview.text, "doc_type"), _tagbox(preview.text, "topic")
    assert "83%" in doc_type_box and "conf-high" not in doc_type_box and "conf-review" in doc_type_box
    assert "conf-high" in topic_box  # 98 %, not waiting
    assert "Cần xem xét: không đủ thông tin" in preview.text and ">cần xem xét" not in preview.text
    # Alternatives under 1 % say nothing.
    assert "Quyết định (10%)" in doc_type_box and "Thông báo" not in doc_type_box.split("Khả năng khác")[1]
    assert "Khả năng khác" not in topic_box

    doc_id = _saved_id(
        client.post("/upload/save", data=_save_form(preview.text, token), follow_redirects=False)
    )
    page = client.get(f"/documents/{doc_id}").text
    assert "Vì sao cần duyệt" in page and "Không đủ thông tin để đoán loại văn bản" in page
    assert "conf-review" in page
    review = client.get("/review").text
    assert doc_id in review  # the newest upload: last in the queue, oldest first
    at = [m for m in re.findall(r'href="/review\?at=(\d+)"><span class="num">89/TB-UBND', review)][0]
    current = client.get(f"/review?at={at}").text.split('class="card review-queue"')[0]
    assert "Vì sao cần duyệt" in current and "Không đủ thông tin để đoán loại văn bản" in current
    assert "conf-high" not in current.split('for="r-doc_type"')[1].split("</div>")[0]


def test_a_batch_row_that_will_wait_says_so_and_why(client, doubtful):
    token = login(client, "uploader")
    files = [("file", (f"tb-{k}.txt", PASTED.replace("89/", f"{k}/").encode())) for k in (1, 2)]
    page = client.post("/upload", data={"csrf_token": token}, files=files)
    assert page.status_code == 200, page.text
    assert "Sẽ vào danh sách cần duyệt: Không đủ thông tin để đoán loại văn bản" in page.text
    assert "conf-review" in page.text


# -- 2. the correction form refuses a blank title; clearing a number is said --------------------------------


def _correction_form(client: Any, token: str, doc_id: str = "demo-001", **changes: str) -> dict[str, str]:
    doc = client.get(f"/api/documents/{doc_id}", headers=auth("reader")).json()
    issued = doc["issued_date"] and datetime.fromisoformat(doc["issued_date"]).strftime("%d/%m/%Y")
    form = {"csrf_token": token, "doc_type": doc["doc_type"] or "", "topic": doc["topic"] or "",
            "number": doc["number"] or "", "issuer": doc["issuer"] or "", "issued_date": issued or "",
            "title": doc["title"] or "", "signer": doc["signer"] or "", "status": doc["status"] or ""}  # fmt: skip
    return {**form, **changes}


def test_blanking_a_title_is_refused_on_the_form_and_keeps_what_was_typed(client):
    token = login(client, "uploader")
    title = client.get("/api/documents/demo-001", headers=auth("reader")).json()["title"]
    assert title
    page = client.post("/documents/demo-001/correct",
                       data=_correction_form(client, token, title="  ", signer="Nguyễn Văn Mới"))  # fmt: skip
    assert page.status_code == 422
    assert "Trích yếu không được để trống" in page.text and "Trích yếu: Trích yếu" not in page.text
    assert 'value="Nguyễn Văn Mới"' in page.text
    after = client.get("/api/documents/demo-001", headers=auth("reader")).json()
    assert after["title"] == title and after["signer"] != "Nguyễn Văn Mới"


def test_clearing_a_number_is_allowed_and_said_and_the_log_shows_old_and_new(client):
    token = login(client, "uploader")
    number = client.get("/api/documents/demo-001", headers=auth("reader")).json()["number"]
    assert number
    response = client.post("/documents/demo-001/correct", data=_correction_form(client, token, number="89/TB-UBND"),
                           follow_redirects=False)  # fmt: skip
    assert response.status_code == 303
    page = client.get("/documents/demo-001").text
    assert re.search(
        rf"Số ký hiệu <span class=\"audit-old\">{re.escape(number)}</span> → <em>89/TB-UBND</em>", page
    )
    response = client.post("/documents/demo-001/correct", data=_correction_form(client, token, number=""),
                           follow_redirects=False)  # fmt: skip
    assert response.status_code == 303 and "ok=corrected" in response.headers["location"]
    page = client.get(response.headers["location"]).text
    assert "Đã xóa: Số ký hiệu (trước là “89/TB-UBND”)" in page
    assert "Đã xóa:" not in client.get("/documents/demo-001").text  # said once, after saving


def test_cleared_fields_are_those_of_the_latest_correction_only() -> None:
    now = datetime(2026, 11, 29, 22, 0, tzinfo=UTC)

    def entry(
        seconds_ago: int, field: str, old: str | None, new: str | None, actor: str = "chi"
    ) -> AuditEntry:
        return AuditEntry(1, now - timedelta(seconds=seconds_ago), actor, "label", "d",
                          {"field": field, "old": old, "new": new})  # fmt: skip

    audit = [entry(0, "number", "1/TB", None), entry(1, "issued_date", "2026-01-02", None),
             entry(2, "signer", "A", "B"), entry(60, "title", "Cũ", None)]  # fmt: skip
    assert cleared_fields(audit) == [("number", "1/TB"), ("issued_date", "2026-01-02")]
    assert cleared_fields([entry(0, "number", "1/TB", None, actor="binh"), *audit]) == [("number", "1/TB")]
    assert cleared_fields([]) == []


# -- 3. every type is named by its own name -----------------------------------------------------------------


def test_every_type_label_is_the_plain_name_of_its_slug() -> None:
    assert DOC_TYPE_LABELS["quy-che"] == "Quy chế" and DOC_TYPE_LABELS["huong-dan"] == "Hướng dẫn"
    for slug, label in DOC_TYPE_LABELS.items():
        assert "-".join(fold(label).lower().split()) == slug, (slug, label)


# -- 4. the pages' own words ----------------------------------------------------------------------------------


def test_a_pasted_text_is_named_so_not_by_a_format_code(client):
    token = login(client, "uploader")
    page = _upload(client, token).text
    assert re.search(r'<p class="muted">Văn bản dán · \d+ ký tự</p>', page)
    assert "TEXT ·" not in page


def test_an_empty_paste_is_answered_without_the_apis_field_names(client):
    token = login(client, "uploader")
    page = client.post("/upload", data={"csrf_token": token, "text": ""}, files={"file": ("", b"")})
    assert page.status_code == 422
    assert "Hãy chọn một tệp hoặc dán nội dung văn bản" in page.text
    assert "trường “file”" not in page.text and "“text”" not in page.text


@pytest.mark.parametrize("path", ["/upload/save", "/upload/batch/save"])
def test_the_save_forms_address_opened_as_a_page_leads_back_to_the_upload_page(client, path: str):
    login(client, "uploader")
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/upload"


# -- 5. wording -----------------------------------------------------------------------------------------------


def test_a_decimal_percentage_has_a_decimal_comma() -> None:
    assert (
        percent_decimal(0.93) == "93,0%"
        and percent_decimal(0.8136) == "81,4%"
        and percent_decimal(None) == "—"
    )


# -- 6. the save form sent twice ------------------------------------------------------------------------------


def test_the_save_form_sent_again_leads_to_the_saved_document(client, doubtful):
    token = login(client, "uploader")
    preview = _upload(client, token).text
    form = _save_form(preview, token, confirm_tags="1")
    doc_id = _saved_id(client.post("/upload/save", data=form, follow_redirects=False))
    again = client.post("/upload/save", data=form, follow_redirects=False)
    assert (
        again.status_code == 303
        and _saved_id(again) == doc_id
        and "ok=already-saved" in again.headers["location"]
    )
    page = client.get(again.headers["location"]).text
    assert "đã được lưu từ lần bấm Lưu trước" in page
    numbered = client.get("/api/search", params={"q": "89/TB-UBND"}, headers=auth("reader")).json()
    assert sum(1 for hit in numbered["hits"] if hit["number"] == "89/TB-UBND") == 1  # filed once
