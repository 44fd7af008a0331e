"""Training corpora as CSV in the import format, and the label sources of ``vanban export`` files."""

from __future__ import annotations

import csv
import json
import logging
from pathlib import Path

import pytest

from corpus.demo import demo_corpus_path
from corpus.document import LabelSource
from corpus.importer import import_paths
from corpus.store import Store
from models.data import load_corpus, split_holdout
from models.errors import TrainingDataError
from service.cli import main

COLUMNS = ("id", "number", "doc_type", "topic", "title", "text")


def _demo_rows() -> list[dict]:
    lines = demo_corpus_path().read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _write_csv(path: Path, rows: list[dict], columns: tuple[str, ...] = COLUMNS, delimiter: str = ",") -> Path:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(columns)
        writer.writerows([[row.get(c) or "" for c in columns] for row in rows])
    return path


def test_a_csv_corpus_reads_like_its_jsonl(tmp_path: Path) -> None:
    rows = _demo_rows()
    from_jsonl = load_corpus(demo_corpus_path())
    # Excel in a Vietnamese locale writes ";" and a BOM; texts keep their line breaks inside quoted cells.
    from_csv = load_corpus(_write_csv(tmp_path / "song-may.csv", rows, delimiter=";"))
    assert from_csv.layout == "import" and from_csv.name == "song-may"
    assert len(from_csv.docs) == 90
    fields = ("id", "title", "text", "number", "doc_type", "topic")
    assert [tuple(getattr(d, f) for f in fields) for d in from_csv.docs] == [
        tuple(getattr(d, f) for f in fields) for d in from_jsonl.docs
    ]
    assert from_csv.docs[0].text is not None and "\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n" in from_csv.docs[0].text


@pytest.mark.parametrize(
    ("columns", "missing"),
    [
        (("id", "title", "so_hieu"), "thiếu cột doc_type hoặc topic"),
        (("id", "so_hieu", "topic"), "thiếu cột title hoặc text"),
        (("ma", "trich_yeu", "linh_vuc"), "thiếu cột id, title hoặc text, doc_type hoặc topic"),
    ],
)
def test_a_csv_without_the_needed_columns_names_them(tmp_path: Path, columns: tuple[str, ...], missing: str) -> None:
    path = tmp_path / "thieu-cot.csv"
    path.write_text(",".join(columns) + "\nqd-1,Về việc giao đất cho Ủy ban nhân dân huyện Phú Giáo,dat-dai\n",
                    encoding="utf-8")  # fmt: skip
    with pytest.raises(TrainingDataError) as caught:
        load_corpus(path)
    assert missing in caught.value.message
    assert "các cột của tệp: " + ", ".join(columns) in caught.value.message


def test_a_csv_that_is_not_utf8_is_refused_with_the_reason(tmp_path: Path) -> None:
    path = tmp_path / "windows.csv"
    path.write_bytes("id,title,topic\nqd-1,Về việc giao đất,dat-dai\n".encode("cp1258", errors="replace"))
    with pytest.raises(TrainingDataError, match="không phải UTF-8"):
        load_corpus(path)


def test_labels_only_a_model_proposed_are_left_out(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    rows = _demo_rows()[:6]
    rows[0]["label_sources"] = {"doc_type": "source", "topic": "model"}
    rows[1]["label_sources"] = {"doc_type": "model", "topic": "human"}
    rows[2]["label_sources"] = {"topic": "header"}
    jsonl = tmp_path / "xuat.jsonl"
    jsonl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="vanban.models.data"):
        corpus = load_corpus(jsonl)
    assert corpus.model_labels == {"topic": 1, "doc_type": 1}
    assert (corpus.docs[0].topic, corpus.docs[0].doc_type) == (None, rows[0]["doc_type"])
    assert (corpus.docs[1].topic, corpus.docs[1].doc_type) == (rows[1]["topic"], None)
    assert corpus.docs[2].topic == rows[2]["topic"]
    assert "bỏ qua 1 nhãn topic do mô hình đề xuất" in caplog.text
    # The same provenance in a CSV: a JSON cell, as `vanban export --format csv` writes it.
    for row in rows:
        row["label_sources"] = json.dumps(row.get("label_sources") or {}, ensure_ascii=False)
    from_csv = load_corpus(_write_csv(tmp_path / "xuat.csv", rows, (*COLUMNS, "label_sources")))
    assert from_csv.model_labels == {"topic": 1, "doc_type": 1}
    assert [d.topic for d in from_csv.docs] == [d.topic for d in corpus.docs]


def test_a_csv_corpus_can_be_split_for_holdout(tmp_path: Path) -> None:
    source = _write_csv(tmp_path / "song-may.csv", _demo_rows())
    train_part, held = split_holdout(source, 0.2, 7, tmp_path / "heldout")
    train_docs, held_docs = load_corpus(train_part).docs, load_corpus(held).docs
    assert len(train_docs) + len(held_docs) == 90 and 14 <= len(held_docs) <= 22
    assert {d.id for d in train_docs}.isdisjoint(d.id for d in held_docs)
    assert any(d.text and "\n" in d.text for d in held_docs)


def test_training_on_an_export_never_uses_the_models_guesses(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    data = tmp_path / "data"
    with Store.open(data) as store:
        import_paths(store, [demo_corpus_path()], progress=False)
        for doc_id in ("demo-010", "demo-011", "demo-012"):
            store.set_label(doc_id, "topic", "an-ninh", source=LabelSource.MODEL, actor="model")
    exported = tmp_path / "xuat.jsonl"
    assert main(["--data-dir", str(data), "export", "--labels", "all", "--out", str(exported)]) == 0
    assert main(["--data-dir", str(data), "train", "--corpus", str(exported), "--task", "topic", "--cv", "0",
                 "--json"]) == 0  # fmt: skip
    out = capsys.readouterr().out.strip().splitlines()[-1]
    manifest = json.loads((data / "models" / json.loads(out)["version"] / "manifest.json").read_text("utf-8"))
    assert manifest["tasks"]["topic"]["training_size"] == 87
    assert manifest["tasks"]["topic"]["label_counts"]["an-ninh"] == 6  # its own six, none of the guesses
