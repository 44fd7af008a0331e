"""A backup (``vanban export`` → ``vanban import`` into an empty data directory) restores every label as it
was filed: its source, author, model version and confidence, and a clerk's deliberate "no field" (a human
label without a value), which tagging must then leave alone."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from corpus.document import Document, LabelProvenance, LabelSource, carried_label_provenance
from corpus.export import export_documents
from corpus.importer import import_paths
from corpus.store import Store

MODEL_VERSION = "20251104-091500-topic-3fa9c2d1"
DOCS = [
    # given by the source (a portal's own metadata)
    Document(id="cv-1021", number="1021/UBND-VX", symbol="UBND-VX", doc_type="cong-van", topic="giao-duc",
             title="V/v tổ chức kỳ thi tuyển sinh vào lớp 10 trung học phổ thông năm học 2025-2026"),
    # its type read from the header of an uploaded file, its field proposed by a model
    Document(id="kh-57", number="57/KH-UBND", symbol="KH-UBND",
             title="Kế hoạch tiêm chủng vắc xin phòng bệnh sởi cho trẻ em dưới 5 tuổi năm 2025"),
    # a clerk corrected the field
    Document(id="qd-215", number="215/QĐ-UBND", symbol="QĐ-UBND", doc_type="quyet-dinh", topic="xay-dung",
             title="Quyết định phê duyệt kế hoạch sử dụng đất năm 2025 của huyện Bắc Hà"),
    # a clerk decided the notice has no field at all
    Document(id="tb-88", number="88/TB-VP", symbol="TB-VP", doc_type="thong-bao", topic="van-hoa",
             title="Thông báo lịch nghỉ Tết Nguyên đán Ất Tỵ 2025 của cơ quan"),
]  # fmt: skip


def _labelled_store(path: Path) -> Store:
    store = Store.open(path)
    store.upsert_many(DOCS, actor="import")
    store.set_label("kh-57", "doc_type", "ke-hoach", source=LabelSource.HEADER, actor="chi.vanthu", confidence=0.95)
    store.set_label("kh-57", "topic", "y-te", source=LabelSource.MODEL, actor="tag", model_version=MODEL_VERSION,
                    confidence=0.68)  # fmt: skip
    store.set_label("qd-215", "topic", "dat-dai", source=LabelSource.HUMAN, actor="anh.chuyenvien")
    store.set_label("tb-88", "topic", None, source=LabelSource.HUMAN, actor="anh.chuyenvien")
    return store


def _provenance(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """The current label rows of every document, but for when they were written."""
    return {
        doc_id: [(lb.field, lb.value, lb.source, lb.model_version, lb.confidence, lb.author)
                 for lb in store.labels(doc_id)]
        for doc_id in store.ids()
    }  # fmt: skip


def _export(store: Store, fmt: str = "jsonl", **options: Any) -> str:
    out = io.StringIO(newline="")
    export_documents(store, out, fmt=fmt, **options)  # type: ignore[arg-type]
    return out.getvalue()


def _records(text: str) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in (json.loads(line) for line in text.splitlines())}


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_a_restored_backup_files_every_label_as_it_was_filed(tmp_path: Path, fmt: str) -> None:
    with _labelled_store(tmp_path / "data") as store:
        first = _export(store, fmt)
        filed = _provenance(store)
    assert ("topic", None, LabelSource.HUMAN, None, None, "anh.chuyenvien") in filed["tb-88"]
    backup = tmp_path / f"sao-luu.{fmt}"
    backup.write_text(first, encoding="utf-8", newline="")
    with Store.open(tmp_path / "moi") as restored:
        report = import_paths(restored, [backup], progress=False)
        assert report.errors == [] and report.inserted == len(DOCS)
        assert _provenance(restored) == filed
        assert restored.get("tb-88").topic is None
        assert "label_details" not in restored.get("kh-57").extra  # provenance, not metadata
        assert _export(restored, fmt) == first
        # the backup imported again into the store it restored changes nothing
        again = import_paths(restored, [backup], progress=False)
        assert (again.inserted, again.updated, again.unchanged) == (0, 0, len(DOCS))
        assert _provenance(restored) == filed


def test_the_record_says_each_labels_provenance_beside_label_sources(tmp_path: Path) -> None:
    with _labelled_store(tmp_path / "data") as store:
        records = _records(_export(store))
        confirmed = _records(_export(store, labels="confirmed"))
    plan, notice = records["kh-57"], records["tb-88"]
    assert plan["label_sources"] == {"doc_type": "header", "topic": "model"}  # as older vanban read it
    assert plan["label_details"] == {
        "doc_type": {"source": "header", "confidence": 0.95, "author": "chi.vanthu"},
        "topic": {"source": "model", "model_version": MODEL_VERSION, "confidence": 0.68, "author": "tag"},
    }
    # the clerk's "no field": a label label_sources (non-empty fields only) cannot say
    assert notice["topic"] is None and notice["label_sources"] == {"doc_type": "source"}
    assert notice["label_details"]["topic"] == {"source": "human", "author": "anh.chuyenvien"}
    # training data leaves a model's guess out, in both keys
    assert "topic" not in confirmed["kh-57"]["label_sources"]
    assert "topic" not in confirmed["kh-57"]["label_details"]
    assert confirmed["tb-88"]["label_details"]["topic"]["source"] == "human"


def test_tagging_leaves_a_field_a_clerk_emptied_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from models.registry import Registry
    from models.train import train_docs
    from service.cli import main

    with _labelled_store(tmp_path / "data") as store:
        backup = tmp_path / "sao-luu.jsonl"
        backup.write_text(_export(store), encoding="utf-8", newline="")
    target = tmp_path / "moi"
    target.mkdir()
    train_docs(_tiny_corpus(), Registry.open(target), tasks=("topic",), cv=0, activate=True, actor="kiem-thu")
    # a document the clerk never looked at, without a field: tagging is on and proposes one
    untouched = tmp_path / "moi-nhan.jsonl"
    untouched.write_text(json.dumps({"id": "tb-90", "title": "Thông báo lịch nghỉ Tết Nguyên đán 2025 của trường "
                                     "trung học phổ thông"}, ensure_ascii=False) + "\n", encoding="utf-8")  # fmt: skip
    capsys.readouterr()
    assert main(["--data-dir", str(target), "import", str(backup), str(untouched), "--quiet", "--json"]) == 0
    tagging = json.loads(capsys.readouterr().out.strip().splitlines()[-1])["tagging"]
    assert tagging["model_version"] and tagging["considered"] == 1
    with Store.open(target) as restored:
        assert restored.get("tb-90").topic is not None
        assert restored.get("tb-88").topic is None
        assert [(lb.source, lb.value) for lb in restored.labels("tb-88") if lb.field == "topic"] == [
            (LabelSource.HUMAN, None)]  # fmt: skip


# A few titles per built-in field: a topic model trained in a second, enough for tagging to propose one.
_TINY_TITLES = {
    "y-te": ["Kế hoạch tiêm chủng vắc xin phòng bệnh sởi cho trẻ em",
             "Tăng cường phòng, chống dịch sốt xuất huyết trên địa bàn tỉnh",
             "Kiểm tra an toàn thực phẩm tại các bếp ăn tập thể",
             "Khám sức khỏe định kỳ cho người lao động tại trạm y tế xã"],
    "giao-duc": ["Tổ chức kỳ thi tuyển sinh vào lớp 10 trung học phổ thông",
                 "Hướng dẫn nhiệm vụ năm học mới đối với các trường tiểu học",
                 "Lịch nghỉ Tết Nguyên đán của học sinh, sinh viên",
                 "Bồi dưỡng giáo viên dạy chương trình giáo dục phổ thông mới"],
    "van-hoa": ["Tổ chức lễ hội truyền thống mừng Xuân năm mới",
                "Kế hoạch tổ chức giải bóng đá thanh niên toàn tỉnh",
                "Bảo tồn di tích lịch sử văn hóa cấp quốc gia",
                "Phát triển du lịch cộng đồng gắn với làng nghề truyền thống"],
}  # fmt: skip


def _tiny_corpus() -> list[Any]:
    from models.data import LabelledDoc

    return [LabelledDoc(id=f"tap-{label}-{i}", title=title, text=title, topic=label)
            for label, titles in _TINY_TITLES.items() for i, title in enumerate(titles)]  # fmt: skip


def test_a_backup_into_a_tagged_store_keeps_the_clerks_no_field(tmp_path: Path) -> None:
    """The store the backup is restored into had the notice filed since and tagged: the clerk's decision in the
    backup outranks the model's guess, and importing it again changes nothing."""
    with _labelled_store(tmp_path / "data") as store:
        backup = tmp_path / "sao-luu.jsonl"
        backup.write_text(_export(store), encoding="utf-8", newline="")
    with Store.open(tmp_path / "khac") as other:
        other.upsert(DOCS[3].replace(topic=None), actor="import")
        other.set_label("tb-88", "topic", "giao-duc", source=LabelSource.MODEL, actor="tag",
                        model_version=MODEL_VERSION, confidence=0.41)  # fmt: skip
        assert import_paths(other, [backup], progress=False).errors == []
        assert other.get("tb-88").topic is None
        current = {lb.field: lb for lb in other.labels("tb-88")}["topic"]
        assert (current.source, current.value, current.author) == (LabelSource.HUMAN, None, "anh.chuyenvien")
        again = import_paths(other, [backup], progress=False)
        assert again.unchanged == len(DOCS) and again.updated == 0


def test_a_store_that_never_heard_of_the_clerks_no_field_gets_it_once(tmp_path: Path) -> None:
    record = {"id": "tb-88", "number": "88/TB-VP", "doc_type": "thong-bao", "title": DOCS[3].title,
              "label_sources": {"doc_type": "source"},
              "label_details": {"doc_type": {"source": "source", "author": "import"},
                                "topic": {"source": "human", "author": "anh.chuyenvien"}}}  # fmt: skip
    backup = tmp_path / "sao-luu.jsonl"
    backup.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    with Store.open(tmp_path / "data") as store:
        store.upsert(DOCS[3].replace(topic=None), actor="import")  # the same notice, filed without a field
        first = import_paths(store, [backup], progress=False)
        assert (first.updated, first.unchanged) == (1, 0)
        assert [(lb.field, lb.source) for lb in store.labels("tb-88")] == [
            ("doc_type", LabelSource.SOURCE), ("topic", LabelSource.HUMAN)]  # fmt: skip
        assert store.audit("tb-88", limit=1)[0].details["restored"] == ["topic"]
        again = import_paths(store, [backup], progress=False)
        assert (again.updated, again.unchanged) == (0, 1)


def test_a_backup_without_details_restores_as_before(tmp_path: Path) -> None:
    """An older vanban's backup: ``label_sources`` only; details it kept unread inside ``extra`` count where
    they agree with it, and ``label_sources`` wins where they went stale."""
    records = [
        {"id": "kh-57", "doc_type": "ke-hoach", "topic": "y-te", "title": DOCS[1].title,
         "label_sources": {"doc_type": "header", "topic": "model"}, "extra": {}},
        {"id": "qd-215", "doc_type": "quyet-dinh", "topic": "dat-dai", "title": DOCS[2].title,
         "label_sources": {"doc_type": "source", "topic": "human"},
         # the model's proposal restored by an older vanban, which a clerk corrected there since
         "extra": {"label_details": {"topic": {"source": "model", "model_version": MODEL_VERSION,
                                               "confidence": 0.68, "author": "tag"}}}},
        {"id": "cv-1021", "doc_type": "cong-van", "topic": "giao-duc", "title": DOCS[0].title,
         "label_sources": {"doc_type": "source", "topic": "model"},
         "extra": {"label_details": {"topic": {"source": "model", "model_version": MODEL_VERSION,
                                               "confidence": 0.74, "author": "tag"}}}},
    ]  # fmt: skip
    backup = tmp_path / "cu.jsonl"
    backup.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    with Store.open(tmp_path / "data") as store:
        assert import_paths(store, [backup], progress=False, actor="khoi-phuc").errors == []
        rows = _provenance(store)
        assert rows["kh-57"] == [("doc_type", "ke-hoach", LabelSource.HEADER, None, None, "khoi-phuc"),
                                 ("topic", "y-te", LabelSource.MODEL, None, None, "khoi-phuc")]  # fmt: skip
        assert rows["qd-215"][1] == ("topic", "dat-dai", LabelSource.HUMAN, None, None, "khoi-phuc")
        assert rows["cv-1021"][1] == ("topic", "giao-duc", LabelSource.MODEL, MODEL_VERSION, 0.74, "tag")
        assert all("label_details" not in store.get(r["id"]).extra for r in records)


def test_details_that_are_not_what_they_say_are_left_out() -> None:
    extra = {"label_sources": '{"topic": "model"}',
             "label_details": json.dumps({"topic": {"source": "model", "model_version": 3, "confidence": 68,
                                                    "author": "  "},
                                          "doc_type": {"source": "robot"},
                                          "signer": {"source": ["human"]},
                                          "title": {"source": "human", "confidence": True, "author": "chi.vanthu"}})}  # fmt: skip
    assert carried_label_provenance(extra) == {
        "topic": LabelProvenance(LabelSource.MODEL),
        "title": LabelProvenance(LabelSource.HUMAN, author="chi.vanthu"),
    }
