"""The train/evaluate/classify/models commands and the evaluation report, end to end through argparse."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from service.commands import classify, evaluate, models_cmd
from service.commands import train as train_cmd
from service.errors import CliError
from tests.models.test_training import small_corpus, trained  # noqa: F401  (session fixtures)


def _run(data_dir: Path, *argv: str) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir")
    sub = parser.add_subparsers(dest="command", required=True)
    for module in (train_cmd, evaluate, classify, models_cmd):
        module.register(sub)
    args = parser.parse_args(["--data-dir", str(data_dir), *argv])
    return args.handler(args)


def test_classify_batch_prints_one_json_per_record(trained, tmp_path, capsys) -> None:  # noqa: F811
    batch = tmp_path / "in.jsonl"
    records = [
        {"id": "a", "title": "về việc thu hồi đất tại xã An Điền", "number": "2317/QĐ-UBND"},
        {"id": "b", "title": "tăng cường công tác phòng, chống dịch bệnh sốt xuất huyết"},
        {"id": "c"},
    ]
    batch.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    assert _run(trained[0], "classify", "--batch", str(batch), "--json") == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["id"] for line in lines] == ["a", "b", "c"]
    first = lines[0]
    assert first["doc_type"]["source"] == "number" and first["doc_type"]["label"] == "quyet-dinh"
    assert first["topic"]["label"] == "dat-dai" and first["topic"]["source"] == "model"
    assert {"label", "confidence", "top_k", "reasons"} <= set(first["topic"])
    assert first["header"]["number"] == "2317/QĐ-UBND"
    assert lines[1]["doc_type"]["source"] == "model"
    assert lines[2]["needs_review"] is True


def test_evaluate_json_shape_and_report(trained, small_corpus, tmp_path, capsys) -> None:  # noqa: F811
    report = tmp_path / "report"
    assert _run(trained[0], "evaluate", "--corpus", str(small_corpus), "--json", "--report", str(report)) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"topic", "doc_type"}
    for task in ("topic", "doc_type"):
        assert {"n", "accuracy", "macro_f1", "per_class"} <= set(result[task])
    assert result["doc_type"]["number_coded"]["accuracy"] == 1.0
    assert 0 < result["doc_type"]["title_only"]["macro_f1"] <= 1
    for name in ("report.md", "report.html", "metrics.json", "confusion-topic.png", "reliability-topic.png"):
        assert (report / name).stat().st_size > 0
    assert (report / "confusion-topic.png").read_bytes()[:4] == b"\x89PNG"


def test_models_commands(trained, capsys) -> None:  # noqa: F811
    assert _run(trained[0], "models", "list", "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert any(v["active"] for v in listed)
    assert _run(trained[0], "models", "show") == 0
    assert json.loads(capsys.readouterr().out)["active"] is True
    with pytest.raises(CliError, match="Không có phiên bản"):
        _run(trained[0], "models", "activate", "no-such-version")


def test_classify_without_a_model_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(CliError, match="Chưa có mô hình"):
        _run(tmp_path, "classify", "về việc giao đất")
