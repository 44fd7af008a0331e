"""What an import does to labels others gave: a restored backup keeps its provenance, an import again keeps
the proposals it says nothing about, and a value the source gives settles a proposal."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from corpus.document import Document, LabelSource
from corpus.importer import import_paths
from corpus.store import Store
from corpus.store_types import UpsertResult

PLAN = Document(id="kh-7", number="57/KH-UBND", symbol="KH-UBND", doc_type="ke-hoach",
                title="Kế hoạch phòng, chống dịch bệnh truyền nhiễm năm 2025")  # fmt: skip


def _sources(store: Store, doc_id: str) -> dict[str, LabelSource]:
    return store.current_label_sources([doc_id]).get(doc_id, {})


def test_a_restored_backup_files_each_label_with_its_provenance(tmp_path: Path) -> None:
    restored = PLAN.replace(topic="y-te", extra={"label_sources": {"doc_type": "human", "topic": "model"}})
    with Store.open(tmp_path) as store:
        store.upsert(restored, actor="import")
        assert _sources(store, "kh-7") == {"doc_type": LabelSource.HUMAN, "topic": LabelSource.MODEL}
        # the same file again changes nothing, and a clerk's label stays protected from later imports
        assert store.upsert(restored, actor="import") == UpsertResult.UNCHANGED
        store.upsert(PLAN.replace(doc_type="cong-van"), actor="import")
        assert store.get("kh-7").doc_type == "ke-hoach" and store.get("kh-7").topic == "y-te"


def test_an_import_again_keeps_the_proposals_it_says_nothing_about(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        store.upsert(PLAN, actor="import")
        store.set_label("kh-7", "topic", "y-te", source=LabelSource.MODEL, actor="model", confidence=0.55)
        tagged = store.get("kh-7")
        store.upsert(tagged.replace(extra={"classification": {"topic": {"label": "y-te"}}, "review_fields": ["topic"]}),
                     actor="import", source=LabelSource.MODEL)  # fmt: skip
        assert store.upsert(PLAN, actor="import") == UpsertResult.UNCHANGED  # a record without a topic
        again = store.get("kh-7")
        assert again.topic == "y-te" and again.extra["review_fields"] == ["topic"]
        assert _sources(store, "kh-7")["topic"] == LabelSource.MODEL
        # a file read again (its header gives no field) keeps it too
        assert store.upsert(PLAN, actor="import", source=LabelSource.HEADER) == UpsertResult.UNCHANGED
        assert store.get("kh-7").topic == "y-te"


def test_a_value_the_source_gives_settles_the_proposal(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        store.upsert(PLAN, actor="import")
        store.set_label("kh-7", "topic", "y-te", source=LabelSource.MODEL, actor="model", confidence=0.55)
        # the same value: not a change of the document, but the label is now the source's
        assert store.upsert(PLAN.replace(topic="y-te"), actor="import") == UpsertResult.UPDATED
        assert _sources(store, "kh-7")["topic"] == LabelSource.SOURCE
        assert store.upsert(PLAN.replace(topic="y-te"), actor="import") == UpsertResult.UNCHANGED
        # another value replaces the proposal
        store.set_label("kh-7", "topic", "an-ninh", source=LabelSource.MODEL, actor="model", confidence=0.4)
        store.upsert(PLAN.replace(topic="y-te"), actor="import")
        assert store.get("kh-7").topic == "y-te" and _sources(store, "kh-7")["topic"] == LabelSource.SOURCE


def test_a_csv_cell_longer_than_the_csv_modules_default_limit_imports(tmp_path: Path) -> None:
    body = "Điều 1. Ban hành kèm theo Quyết định này Quy chế phối hợp. " * 4000  # ~240,000 characters
    path = tmp_path / "dai.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "title", "text"])
        writer.writerow(["qd-dai", "Quyết định ban hành quy chế phối hợp", body])
    with Store.open(tmp_path / "data") as store:
        report = import_paths(store, [path], progress=False)
        assert report.inserted == 1 and not report.errors, json.dumps(report.to_dict(), ensure_ascii=False)
        assert store.get("qd-dai").text == body.strip()


def test_a_backup_imported_into_its_own_store_changes_nothing(tmp_path: Path) -> None:
    from corpus.export import export_to_file

    with Store.open(tmp_path / "data") as store:
        store.upsert(PLAN, actor="import")
        store.set_label("kh-7", "topic", "y-te", source=LabelSource.MODEL, actor="model", confidence=0.55)
        store.set_label("kh-7", "title", "Kế hoạch phòng, chống dịch bệnh năm 2025", source=LabelSource.HUMAN,
                        actor="chuyên viên")  # fmt: skip
        backup = tmp_path / "sao-luu.jsonl"
        export_to_file(store, backup)
        report = import_paths(store, [backup], progress=False)
        assert (report.updated, report.unchanged) == (0, 1)
        assert "label_sources" not in store.get("kh-7").extra  # provenance, not metadata
    with Store.open(tmp_path / "moi") as restored:
        import_paths(restored, [backup], progress=False)
        assert _sources(restored, "kh-7") == {
            "doc_type": LabelSource.SOURCE, "topic": LabelSource.MODEL, "title": LabelSource.HUMAN}  # fmt: skip
        assert "label_sources" not in restored.get("kh-7").extra
