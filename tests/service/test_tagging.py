"""Documents imported without a type or field are tagged by the active model, as uploads are.

A folder of Word files or a spreadsheet without a ``topic`` column used to be filed with empty fields: the
field facet never counted those documents and nobody was asked to look at them.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from corpus.document import LabelSource
from corpus.search import Searcher, SearchRequest
from corpus.store import Store
from service.cli import main
from service.documents import TAG_FIELDS
from tests.service.conftest import writable_copy

RECORDS = [
    # nothing but a title: both fields proposed
    {"id": "nt-1", "title": "Kế hoạch tiêm chủng vắc xin phòng bệnh sởi cho trẻ em dưới 5 tuổi năm 2025"},
    # the number gives the type; the field is proposed
    {"id": "nt-2", "number": "215/QĐ-UBND",
     "title": "Quyết định phê duyệt kế hoạch sử dụng đất năm 2025 của huyện Bắc Hà"},
    # both given by the source: left alone
    {"id": "nt-3", "number": "88/UBND-VX", "doc_type": "cong-van", "topic": "giao-duc",
     "title": "V/v tổ chức kỳ thi tuyển sinh vào lớp 10 trung học phổ thông"},
]  # fmt: skip


@pytest.fixture(scope="module")
def trained_seed(demo_seed: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo data directory with a default model trained and active (never written by a test)."""
    from service.models_adapter import train_default

    path = tmp_path_factory.mktemp("import-tagging") / "data"
    shutil.copytree(demo_seed, path)
    with Store.open(path) as store:
        train_default(store, path, activate=True, cv=0)
    return path


@pytest.fixture
def tagged_dir(trained_seed: Path, tmp_path: Path) -> Path:
    """A copy of the trained demo data directory that a test may write."""
    return writable_copy(trained_seed, tmp_path)


def _import_record(data_dir: Path, tmp_path: Path, record: dict) -> None:
    """Import one record (quietly, tagging on), as a later file from the source would bring it."""
    path = tmp_path / f"{record['id']}-sau.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["--data-dir", str(data_dir), "import", str(path), "--quiet"]) == 0


def _import(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], *flags: str) -> dict:
    source = tmp_path / "moi.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS), encoding="utf-8")
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "import", str(source), "--quiet", "--json", *flags]) == 0
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def test_missing_fields_get_the_models_proposal_and_given_ones_stay(
    tagged_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tagged_dir
    report = _import(data_dir, tmp_path, capsys)
    tagging = report["tagging"]
    assert tagging["considered"] == 2 and tagging["model_version"]
    assert tagging["tagged"] == {"doc_type": 2, "topic": 2}  # nt-2 by its number
    with Store.open(data_dir) as store:
        first = store.get("nt-1")
        assert first.doc_type is not None and first.topic == "y-te"  # the demo model, trained on 90 texts
        sources = store.current_label_sources(["nt-1", "nt-2", "nt-3"])
        labels = {label.field: label for label in store.labels("nt-1")}
        assert labels["topic"].source == LabelSource.MODEL
        assert labels["topic"].model_version == tagging["model_version"]
        assert 0.0 < (labels["topic"].confidence or 0.0) <= 1.0
        assert store.get("nt-2").doc_type == "quyet-dinh"  # the type code of its number decides
        assert sources["nt-2"]["doc_type"] == LabelSource.HEADER
        assert sources["nt-2"]["topic"] == LabelSource.MODEL
        assert sources["nt-3"] == {"doc_type": LabelSource.SOURCE, "topic": LabelSource.SOURCE}
        assert "classification" not in store.get("nt-3").extra
        # what an upload records: the proposal with its reasons, and the doubted fields for a clerk
        classification = first.extra["classification"]
        assert classification["topic"]["label"] == "y-te" and classification["topic"]["reasons"]
        flagged = {d.id for d in store.documents_flagged("review_fields")}
        assert tagging["review"] == len(flagged & {"nt-1", "nt-2"})
        for doc_id in flagged & {"nt-1", "nt-2"}:
            assert set(store.get(doc_id).extra["review_fields"]) <= set(TAG_FIELDS)
        # searchable at once under the proposed field
        searcher = Searcher.open(data_dir, store=store)
        found = searcher.search(SearchRequest("tiêm chủng vắc xin sởi", topic="y-te"))
    assert "nt-1" in [hit.id for hit in found.hits]


def test_importing_again_tags_nothing_twice(tagged_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data_dir = tagged_dir
    _import(data_dir, tmp_path, capsys)
    with Store.open(data_dir) as store:
        before = {doc_id: store.get(doc_id) for doc_id in ("nt-1", "nt-2", "nt-3")}
    again = _import(data_dir, tmp_path, capsys)
    assert again["unchanged"] == 3 and again["tagging"]["considered"] == 0
    with Store.open(data_dir) as store:
        assert {doc_id: store.get(doc_id) for doc_id in before} == before


def test_a_value_the_source_gives_later_replaces_the_proposal(
    tagged_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tagged_dir
    _import(data_dir, tmp_path, capsys)
    _import_record(data_dir, tmp_path, {**RECORDS[0], "topic": "giao-duc"})
    with Store.open(data_dir) as store:
        assert store.get("nt-1").topic == "giao-duc"
        assert store.current_label_sources(["nt-1"])["nt-1"]["topic"] == LabelSource.SOURCE


def test_no_tag_leaves_the_fields_empty(tagged_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data_dir = tagged_dir
    report = _import(data_dir, tmp_path, capsys, "--no-tag")
    assert "tagging" not in report
    with Store.open(data_dir) as store:
        assert store.get("nt-1").topic is None and store.get("nt-1").doc_type is None


def test_without_a_model_the_import_says_so_and_files_everything(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "moi.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS), encoding="utf-8")
    assert main(["--data-dir", str(data_dir), "import", str(source)]) == 0
    out = capsys.readouterr().out
    assert "Chưa có mô hình phân loại đang hoạt động" in out and "vanban train" in out
    with Store.open(data_dir) as store:
        assert store.get("nt-1").topic is None


def test_tag_command_tags_what_was_filed_untagged(
    tagged_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tagged_dir
    _import(data_dir, tmp_path, capsys, "--no-tag")
    assert main(["--data-dir", str(data_dir), "tag", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["considered"] == 2 and report["tagged"]["topic"] == 2
    assert main(["--data-dir", str(data_dir), "tag"]) == 0  # nothing left to do
    assert "Không có văn bản nào cần gắn nhãn" in capsys.readouterr().out


def test_refresh_reproposes_an_older_models_labels_and_spares_a_clerks(
    tagged_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from models.registry import Registry

    data_dir = tagged_dir
    first = _import(data_dir, tmp_path, capsys)["tagging"]["model_version"]
    with Store.open(data_dir) as store:
        store.set_label("nt-2", "topic", "dat-dai", source=LabelSource.HUMAN, actor="chuyên viên")
    registry = Registry.open(data_dir)
    manifest, pipelines = registry.load_pipelines(first)
    kept = {k: v for k, v in manifest.items()
            if k not in ("format_version", "version", "created", "git_sha", "versions", "files")}  # fmt: skip
    second = registry.save(pipelines, {**kept, "description": "a newer version"})
    registry.activate(second, actor="test")
    assert main(["--data-dir", str(data_dir), "tag", "--json"]) == 0  # without --refresh: nothing is missing
    assert json.loads(capsys.readouterr().out)["considered"] == 0
    assert main(["--data-dir", str(data_dir), "tag", "--refresh", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["model_version"] == second and report["considered"] == 1  # nt-1 only
    with Store.open(data_dir) as store:
        labels = {label.field: label for label in store.labels("nt-1")}
        assert labels["topic"].model_version == second and labels["doc_type"].model_version == second
        assert store.get("nt-2").topic == "dat-dai"  # the clerk's
        assert store.labels("nt-2")[0].source == LabelSource.HEADER  # doc_type from its number: not a model's


def test_tag_command_without_a_model_or_a_store_says_so(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(data_dir), "tag"]) == 0  # every demo document is labelled: no model needed
    assert "Không có văn bản nào cần gắn nhãn" in capsys.readouterr().out
    _import(data_dir, tmp_path, capsys, "--no-tag")
    assert main(["--data-dir", str(data_dir), "tag"]) == 1
    assert "vanban train" in capsys.readouterr().out
    assert main(["--data-dir", str(tmp_path / "khong-co"), "tag"]) == 2
    assert "không có kho văn bản" in capsys.readouterr().err


LETTER = """ỦY BAN NHÂN DÂN TỈNH LÀO CAI
Số: {number}/UBND-VX
V/v {subject}
Lào Cai, ngày 12 tháng 3 năm 2025
Kính gửi: Sở Y tế; UBND các huyện, thị xã, thành phố.
{body}
"""


def test_a_folder_imported_again_keeps_its_proposals(
    tagged_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tagged_dir
    folder = tmp_path / "cong-van"
    folder.mkdir()
    (folder / "a.txt").write_text(LETTER.format(number=812, subject="tăng cường phòng chống dịch sởi",
                                                body="Đề nghị Sở Y tế tổ chức tiêm vắc xin sởi cho trẻ em."),
                                  encoding="utf-8")  # fmt: skip
    (folder / "b.txt").write_text(LETTER.format(number=907, subject="tổ chức kỳ thi học sinh giỏi",
                                                body="Sở Giáo dục và Đào tạo hướng dẫn các trường tổ chức kỳ thi."),
                                  encoding="utf-8")  # fmt: skip
    args = ["--data-dir", str(data_dir), "import", str(folder), "--quiet", "--json"]
    assert main(args) == 0
    first = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert first["tagging"]["tagged"]["topic"] == 2
    with Store.open(data_dir) as store:
        before = {doc.id: doc for doc in store.iter_documents() if doc.id.startswith("f-")}
    assert main(args) == 0
    again = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert again["unchanged"] == 2 and again["tagging"]["considered"] == 0
    with Store.open(data_dir) as store:
        assert {doc_id: store.get(doc_id) for doc_id in before} == before
        assert all(doc.topic for doc in before.values())


def test_a_value_the_source_gives_later_takes_the_field_out_of_review(
    tagged_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from service.documents import pending_review
    from tests.service.conftest import make_client

    data_dir = tagged_dir
    _import(data_dir, tmp_path, capsys)
    with Store.open(data_dir) as store:  # as if the model had doubted nt-1's field
        doc = store.get("nt-1")
        store.upsert(doc.replace(extra={**doc.extra, "review_fields": ["topic"]}), actor="t", source=LabelSource.MODEL)
    with make_client(data_dir) as client:
        assert "topic" in pending_review(client.app.state.services, store_doc(data_dir, "nt-1"))
    _import_record(data_dir, tmp_path, {**RECORDS[0], "topic": store_doc(data_dir, "nt-1").topic})
    with Store.open(data_dir) as store:
        assert store.current_label_sources(["nt-1"])["nt-1"]["topic"] == LabelSource.SOURCE
    with make_client(data_dir) as client:
        assert pending_review(client.app.state.services, store_doc(data_dir, "nt-1")) == []


def store_doc(data_dir: Path, doc_id: str):  # noqa: ANN201 - a Document
    with Store.open(data_dir) as store:
        return store.get(doc_id)


def test_the_review_page_tells_imported_documents_apart(
    tagged_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.service.conftest import make_client
    from tests.service.test_pages import login

    data_dir = tagged_dir
    untitled = tmp_path / "khong-trich-yeu.jsonl"
    untitled.write_text(json.dumps({"id": "lc-77", "text": "Về việc tăng cường công tác phòng cháy chữa cháy mùa khô "
                                    "trên địa bàn huyện Bát Xát"}, ensure_ascii=False) + "\n", encoding="utf-8")  # fmt: skip
    assert main(["--data-dir", str(data_dir), "import", str(untitled), "--quiet"]) == 0
    with Store.open(data_dir) as store:  # queued whatever the demo model thought of it
        doc = store.get("lc-77")
        store.upsert(doc.replace(extra={**doc.extra, "review_fields": ["topic"]}), actor="t", source=LabelSource.MODEL)
    with make_client(data_dir) as client:
        login(client, "reader")
        page = client.get("/review").text
    assert "lc-77" in page and "nhập " in page and "tăng cường công tác phòng cháy" in page
    assert "(không có trích yếu)" not in page


def test_an_older_file_imported_again_leaves_the_field_to_the_model_again(
    tagged_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tagged_dir
    _import(data_dir, tmp_path, capsys)  # nt-1 without a field: proposed
    _import_record(data_dir, tmp_path, {**RECORDS[0], "topic": "giao-duc"})
    report = _import(data_dir, tmp_path, capsys)  # the older file again: the source no longer says
    with Store.open(data_dir) as store:
        doc = store.get("nt-1")
        assert doc.topic is not None and store.current_label_sources(["nt-1"])["nt-1"]["topic"] == LabelSource.MODEL
    assert report["tagging"]["considered"] == 1


def test_a_label_the_source_gave_later_does_not_show_the_models_reasons(
    tagged_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import html

    from tests.service.conftest import make_client
    from tests.service.test_pages import login

    data_dir = tagged_dir
    _import(data_dir, tmp_path, capsys)
    reasons = store_doc(data_dir, "nt-1").extra["classification"]["topic"]["reasons"]
    _import_record(data_dir, tmp_path, {**RECORDS[0], "topic": "giao-duc"})
    with make_client(data_dir) as client:
        login(client, "reader")
        page = html.unescape(client.get("/documents/nt-1").text)
    # the field's box, from its name to the note of what the model had proposed
    topic_box = page[page.index("Lĩnh vực</span>") :].split("Mô hình đã đề xuất")[0]
    assert reasons and '<ul class="reasons">' not in topic_box
    assert "Mô hình đã đề xuất: Y tế" in page


def test_tagging_an_import_says_how_far_it_got(
    tagged_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """QA (2026-11-30): tagging 4,389 imported records took 13 minutes with nothing printed until the end."""
    source = tmp_path / "moi.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS), encoding="utf-8")
    capsys.readouterr()
    assert main(["--data-dir", str(tagged_dir), "import", str(source), "--json"]) == 0
    assert "gắn nhãn: 3/3 văn bản" in capsys.readouterr().err
