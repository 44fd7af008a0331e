"""The train/evaluate/classify/models commands and the evaluation report, end to end through argparse."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from service.commands import classify, evaluate, models_cmd
from service.commands import train as train_cmd
from service.errors import CliError
from tests import run_commands
from tests.models.test_training import small_corpus, trained  # noqa: F401  (session fixtures)


def _run(data_dir: Path, *argv: str) -> int:
    return run_commands((train_cmd, evaluate, classify, models_cmd), data_dir, *argv)


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


def test_models_activate_rollback_round_trip_through_the_cli(trained, small_corpus, tmp_path, capsys) -> None:  # noqa: F811
    import shutil

    data_dir = tmp_path / "data"
    shutil.copytree(trained[0], data_dir)  # the session model stays untouched for the other tests
    first = trained[1]
    assert _run(data_dir, "train", "--corpus", str(small_corpus), "--task", "topic", "--cv", "0", "--json") == 0
    second = json.loads(capsys.readouterr().out)["version"]
    assert second != first

    def active() -> str:
        assert _run(data_dir, "models", "show") == 0
        return json.loads(capsys.readouterr().out)["version"]

    assert active() == first  # training without --activate leaves the active version alone
    assert _run(data_dir, "models", "activate", second) == 0
    capsys.readouterr()
    assert active() == second
    assert _run(data_dir, "models", "rollback") == 0
    capsys.readouterr()
    assert active() == first


def test_a_model_of_another_scikit_learn_is_refused_with_a_clear_message(trained, tmp_path) -> None:  # noqa: F811
    import shutil

    from models.registry import MANIFEST, MODEL_FILE

    data_dir = tmp_path / "data"
    shutil.copytree(trained[0], data_dir)
    old = data_dir / "models" / (trained[1] + "-old")
    shutil.copytree(data_dir / "models" / trained[1], old)
    manifest = json.loads((old / MANIFEST).read_text(encoding="utf-8"))
    manifest["versions"]["scikit-learn"] = "1.2.2"
    (old / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    (old / MODEL_FILE).write_bytes(b"never unpickled")
    with pytest.raises(CliError, match=r"scikit-learn 1\.2\.2.*vanban train"):
        _run(data_dir, "models", "activate", old.name)
    with pytest.raises(CliError, match=r"scikit-learn 1\.2\.2"):
        _run(data_dir, "classify", "--model", old.name, "về việc giao đất")


def test_classify_file_reports_what_extraction_had_to_say(trained, tmp_path, capsys) -> None:  # noqa: F811
    # a plan saved as .txt from a TCVN3 (.VnTime) document: converted, and the clerk is told
    path = tmp_path / "kh.txt"
    path.write_bytes("Uû ban nh©n d©n tØnh S«ng M©y\nSè: 27/KH-UBND\nKÕ HO¹CH\n"
                     "Phßng, chèng dÞch bÖnh sèt xuÊt huyÕt trªn ®Þa bµn tØnh n¨m 2006\n".encode("latin-1"))  # fmt: skip
    assert _run(trained[0], "classify", "--file", str(path), "--json") == 0
    result = json.loads(capsys.readouterr().out)
    assert result["header"]["number"] == "27/KH-UBND" and result["doc_type"]["label"] == "ke-hoach"
    assert any("TCVN3" in w for w in result["warnings"])
    assert _run(trained[0], "classify", "--file", str(path)) == 0
    assert "lưu ý: Tệp không lưu theo UTF-8: đã đọc theo bảng mã TCVN3" in capsys.readouterr().out
