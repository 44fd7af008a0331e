"""``vanban train --store``: retrain on the office's own documents, never on a model's proposals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus.document import LabelSource
from corpus.store import Store
from models.registry import Registry
from service.cli import main


def _train_store(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> dict:
    assert main(["--data-dir", str(data_dir), "train", "--store", "--cv", "0", "--json"]) == 0
    version = json.loads(capsys.readouterr().out)["version"]
    return Registry.open(data_dir).get(version).manifest


def test_train_on_the_store_leaves_out_a_models_proposal(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _train_store(data_dir, capsys)
    with Store.open(data_dir) as store:
        first = store.ids()[0]
        topic = store.get(first).topic
        other = next(code for code in ("y-te", "giao-duc") if code != topic)
        store.set_label(first, "topic", other, source=LabelSource.MODEL, actor="model", confidence=0.4)
        total = store.count()
    after = _train_store(data_dir, capsys)
    assert after["corpus"]["store"]["documents"] == total and after["corpus"]["files"] == []
    # the model's guess is not a label: one topic example fewer, the document's type still counts
    assert after["tasks"]["topic"]["training_size"] == before["tasks"]["topic"]["training_size"] - 1
    assert after["tasks"]["doc_type"]["training_size"] == before["tasks"]["doc_type"]["training_size"]
    assert after["corpus"]["hash"] != before["corpus"]["hash"]  # other labels, other training data
    assert after["description"] == "corpus: store"


def test_store_and_files_together_and_a_missing_store(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from corpus.demo import demo_corpus_path

    assert main(["--data-dir", str(data_dir), "train", "--store", "--corpus", str(demo_corpus_path()),
                 "--cv", "0", "--json"]) == 0  # fmt: skip
    captured = capsys.readouterr()
    version = json.loads(captured.out)["version"]
    corpus = Registry.open(data_dir).get(version).manifest["corpus"]
    # the demo file is the store's own documents: each is trained on once, not twice (QA: doubled examples
    # inflated the cross-validated figures)
    assert corpus["store"]["documents"] == 90 and corpus["documents"] == 90 and len(corpus["files"]) == 1
    assert "90 documents given twice" in captured.err
    assert main(["--data-dir", str(tmp_path / "trong"), "train", "--store"]) == 1
    assert "không có kho văn bản" in capsys.readouterr().err
