"""How the pages name fields and issuers (QA H-8g): a label of another taxonomy whole, a built-in field by a
short name no other entry shares, a proposal with the model version that made it, an issuer as the search
names it."""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest

from service.pages.common import topic_short
from tests.service.conftest import auth, make_client, seed_with_topic_model, writable_copy
from tests.service.test_pages import login

# A researcher's taxonomy with a field named with a dash, as the portal writes some ("Thi đua – Khen
# thưởng"), and a field named "Đất đai" that is not the built-in dat-dai.
OTHER_TITLES = {
    "Thi đua – Khen thưởng": [
        "Tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh cho tập thể có thành tích xuất sắc",
        "Xét tặng danh hiệu Chiến sĩ thi đua cấp tỉnh năm 2024",
        "Khen thưởng đột xuất cho cá nhân có hành động dũng cảm cứu người",
        "Tặng Cờ thi đua cho đơn vị dẫn đầu phong trào thi đua yêu nước",
        "Xét tặng Huân chương Lao động cho tập thể có thành tích",
        "Công nhận danh hiệu Tập thể lao động xuất sắc",
    ],
    "Đất đai": [
        "Đăng ký biến động quyền sử dụng đất",
        "Cấp giấy chứng nhận quyền sử dụng đất lần đầu",
        "Chuyển mục đích sử dụng đất nông nghiệp sang đất ở",
        "Gia hạn thời hạn sử dụng đất",
        "Tách thửa, hợp thửa đất",
        "Đính chính giấy chứng nhận quyền sử dụng đất",
    ],
    "Hộ tịch": [
        "Đăng ký khai sinh cho trẻ em",
        "Đăng ký kết hôn tại Ủy ban nhân dân cấp xã",
        "Đăng ký khai tử cho người chết",
        "Cấp bản sao trích lục hộ tịch",
        "Đăng ký nhận cha, mẹ, con",
        "Thay đổi, cải chính thông tin hộ tịch",
    ],
}
# A field of an earlier model of the portal's that the active taxonomy does not have.
STALE_FIELD = "Quản lý Đê điều và Phòng, chống thiên tai"


@pytest.fixture(scope="module")
def other_seed(demo_seed: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo data directory with a topic model of another taxonomy (OTHER_TITLES) active."""
    return seed_with_topic_model(demo_seed, tmp_path_factory.mktemp("other-taxonomy") / "data", OTHER_TITLES)


@pytest.fixture
def other_dir(other_seed: Path, tmp_path: Path) -> Path:
    return writable_copy(other_seed, tmp_path)


def _facet(page: str, title: str) -> list[str]:
    """The names a facet of the search page lists, as shown."""
    section = page[page.index(f"<h3>{title}</h3>") :].split("</section>")[0]
    return [html.unescape(name) for name in re.findall(r'class="facet-label">([^<]*)<', section)]


def _chips(page: str) -> list[str]:
    return [" ".join(html.unescape(chip).split()) for chip in re.findall(r'<a class="chip" [^>]*>([^<]*)<', page)]


def _with_proposal(data_dir: Path, doc_id: str, proposal: dict, version: str) -> None:
    """``doc_id`` waits for its type, with ``proposal`` as the field a model ``version`` proposed."""
    from corpus.store import Store

    with Store.open(data_dir) as store:
        doc = store.get(doc_id)
        unknown_type = {"label": None, "confidence": None, "source": "none", "needs_review": True,
                        "reasons": ["Tiêu đề văn bản không cho biết loại văn bản."], "top_k": []}  # fmt: skip
        store.upsert(doc.replace(extra={**doc.extra, "review_fields": ["doc_type"], "classification": {
            "doc_type": unknown_type, "topic": {"needs_review": True, "top_k": [], "source": "model", **proposal},
            "needs_review": True, "model_version": version}}), actor="kiem-thu", source="model")  # fmt: skip
        store.set_label(doc_id, "doc_type", None, source="model", actor="kiem-thu")


def _review_topic_box(page: str) -> str:
    start = page.index('for="r-topic"')
    return page[start : page.index('<div class="actions">', start)]


# -- field names ------------------------------------------------------------------------------------------


def test_short_names_keep_another_taxonomys_label_whole_and_stay_unambiguous() -> None:
    assert topic_short("Thi đua – Khen thưởng") == "Thi đua – Khen thưởng"
    assert topic_short("Cấp, quản lý căn cước") == "Cấp, quản lý căn cước"
    assert topic_short("an-ninh") == "Quốc phòng – An ninh"  # not "Quốc phòng", which reads as defence alone
    assert topic_short("y-te") == "Y tế" and topic_short("cai-cach-hanh-chinh") == "Cải cách hành chính"
    assert topic_short("dat-dai") == "Đất đai"
    assert topic_short("dat-dai", taken=("Đất đai", "Hộ tịch")) == "Đất đai – Tài nguyên – Môi trường"
    assert topic_short("dat-dai", taken=("đất  đai",)) == "Đất đai – Tài nguyên – Môi trường"  # case, spaces aside
    assert topic_short("y-te", taken=("Đất đai",)) == "Y tế"


def test_search_page_names_each_field_once_and_another_taxonomys_whole(other_dir: Path) -> None:
    with make_client(other_dir) as client:
        for doc_id, field in (("demo-035", "Thi đua – Khen thưởng"), ("demo-002", "Đất đai")):
            filed = client.patch(f"/api/documents/{doc_id}", json={"topic": field}, headers=auth("uploader"))
            # filed as the model writes it: its dash is the normalised text's hyphen
            assert filed.status_code == 200 and filed.json()["topic"] == field.replace("–", "-")
        login(client, "reader")
        browsing = client.get("/").text
        topics = _facet(browsing, "Lĩnh vực")
        assert len(topics) == len(set(topics)), topics
        assert "Đất đai" in topics and "Đất đai – Tài nguyên – Môi trường" in topics  # the portal's, the built-in
        assert "Thi đua - Khen thưởng" in topics and "Quốc phòng – An ninh" in topics
        assert "Thi đua" not in topics and "Quốc phòng" not in topics

        # the field as a clerk types it, with its dash (QA: the chip read "Lĩnh vực: Thi đua")
        page = client.get("/?" + urlencode({"topic": "Thi đua – Khen thưởng"})).text
        assert "Lĩnh vực: Thi đua – Khen thưởng" in _chips(page)
        assert '<span class="chip chip-topic" title="Thi đua - Khen thưởng">Thi đua - Khen thưởng</span>' in page

        page = client.get("/?topic=dat-dai").text
        assert "Lĩnh vực: Đất đai – Tài nguyên – Môi trường" in _chips(page)  # "Đất đai" is the model's field
        assert "Lĩnh vực: Quốc phòng – An ninh" in _chips(client.get("/?topic=an-ninh").text)


def test_without_another_taxonomy_a_built_in_field_keeps_its_short_name(data_dir: Path) -> None:
    with make_client(data_dir) as client:
        login(client, "reader")
        topics = _facet(client.get("/").text, "Lĩnh vực")
        assert "Đất đai" in topics and "Quốc phòng – An ninh" in topics and "Quốc phòng" not in topics
        assert "Lĩnh vực: Đất đai" in _chips(client.get("/?topic=dat-dai").text)


# -- proposals and their model version --------------------------------------------------------------------


def test_review_page_leaves_out_an_earlier_models_field_the_active_taxonomy_lacks(other_dir: Path) -> None:
    proposal = {"label": STALE_FIELD, "confidence": 0.06, "reasons": ["hoạt động phòng chống lụt bão"]}
    _with_proposal(other_dir, "demo-010", proposal, "20261129-161301-topic-cu")
    with make_client(other_dir) as client:
        login(client, "uploader")
        page = html.unescape(client.get("/review").text)
    assert 'action="/review/demo-010"' in page
    box = _review_topic_box(page)
    assert STALE_FIELD not in page and "Giá trị hiện có" not in page  # neither the document's value nor offered
    assert "Dữ liệu nguồn" in box and "hoạt động phòng chống lụt bão" not in page


def test_review_page_names_an_earlier_versions_proposal_as_such(other_dir: Path) -> None:
    _with_proposal(other_dir, "demo-010", {"label": "Hộ tịch", "confidence": 0.06, "reasons": []}, "v-cu-kiem-thu")
    with make_client(other_dir) as client:
        login(client, "uploader")
        page = html.unescape(client.get("/review").text)
        document = html.unescape(client.get("/documents/demo-010").text)
    said = re.sub(r"<[^>]+>", "", page)
    assert ("Mô hình đã đề xuất: Hộ tịch (6%) · đề xuất của phiên bản trước v-cu-kiem-thu, "
            "không phải phiên bản đang dùng") in " ".join(said.split())  # fmt: skip
    assert "Giá trị hiện có" not in page  # the proposal is not the document's value
    assert "đề xuất của phiên bản trước v-cu-kiem-thu" in document


def test_review_page_names_the_active_version_that_made_a_proposal(other_dir: Path) -> None:
    from models.registry import Registry

    active = Registry.open(other_dir).active_version()
    assert active
    _with_proposal(other_dir, "demo-010", {"label": "Hộ tịch", "confidence": 0.31, "reasons": []}, active)
    with make_client(other_dir) as client:
        login(client, "uploader")
        said = " ".join(re.sub(r"<[^>]+>", "", html.unescape(client.get("/review").text)).split())
    assert f"Mô hình đã đề xuất: Hộ tịch (31%) · phiên bản {active}" in said
    assert "phiên bản trước" not in said


# -- the issuer ---------------------------------------------------------------------------------------------


def test_document_page_names_the_issuer_as_the_search_does(data_dir: Path) -> None:
    with make_client(data_dir) as client:
        login(client, "uploader")
        issuers = _facet(client.get("/").text, "Cơ quan ban hành")
        assert "Sở Tư pháp tỉnh Sông Mây" in issuers  # demo-007: Sở Tư pháp under the province's council
        page = client.get("/documents/demo-007").text
        meta = html.unescape(page[page.index('<dl class="meta">') : page.index("</dl>")])
        assert re.search(r"<dt>Cơ quan ban hành</dt><dd><a [^>]*>Sở Tư pháp tỉnh Sông Mây</a></dd>", meta), meta
        assert "<dt>Cơ quan chủ quản</dt><dd>Ủy ban nhân dân tỉnh Sông Mây</dd>" in meta
        # the correction form edits the value as stored
        assert re.search(r'<input id="c-issuer" name="issuer" value="Sở Tư pháp"', html.unescape(page))
        link = html.unescape(re.search(r"<dt>Cơ quan ban hành</dt><dd><a href=\"([^\"]+)\"", page)[1])
        found = client.get(link).text
        assert "/documents/demo-007" in found and "Tìm thấy <strong>" in found
