"""Regression tests of the QA pass on `vanban train|evaluate|classify|models`, through argparse.

They use the small demo-corpus models of ``tests/models/test_qa_fixes.py`` (trained once per session).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from models.registry import MANIFEST
from service.errors import CliError
from tests.models.test_cli_and_evaluate import _run
from tests.models.test_qa_fixes import DEMO, demo_docs, demo_models  # noqa: F401  (session fixtures)


@pytest.fixture
def data_dir(demo_models: tuple[Path, str, str], tmp_path: Path) -> Path:  # noqa: F811
    target = tmp_path / "data"
    shutil.copytree(demo_models[0], target)
    return target


def _write(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding=encoding)
    return path


# -- 1. activating a version without a task ----------------------------------------------------------------


def test_activating_a_topic_only_version_warns_and_classify_marks_review(
    demo_models: tuple[Path, str, str], data_dir: Path, capsys: pytest.CaptureFixture[str]  # noqa: F811
) -> None:
    assert _run(data_dir, "models", "activate", demo_models[2]) == 0
    captured = capsys.readouterr()
    assert "không có mô hình loại văn bản" in captured.err and "số ký hiệu" in captured.err
    assert _run(data_dir, "classify", "--json", "Về việc giao đất cho Ủy ban nhân dân huyện") == 0
    result = json.loads(capsys.readouterr().out)
    assert result["doc_type"]["label"] is None and result["doc_type"]["source"] == "none"
    assert result["needs_review"] is True
    assert any("không có mô hình loại văn bản" in r for r in result["review_reasons"])
    assert _run(data_dir, "models", "activate", demo_models[1], "--json") == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["warnings"] == [] and captured.err == ""


# -- 2. evaluation documents that were training documents --------------------------------------------------


def test_evaluate_reports_overlap_with_the_training_data(data_dir: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    subset = _write(tmp_path / "some.jsonl", DEMO.read_text(encoding="utf-8").splitlines()[:12])
    assert _run(data_dir, "evaluate", "--corpus", str(subset), "--json") == 0
    captured = capsys.readouterr()
    result = json.loads(captured.out)
    assert result["topic"]["overlap"] == {"n": 12, "of": 12}
    assert "WARNING: 12 of 12" in captured.err and "training data" in captured.err


def test_evaluate_scores_a_repeated_document_once_and_says_so(data_dir: Path, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """QA (2026-11-30): the same file given twice scored n=150 for 75 documents, silently."""
    lines = DEMO.read_text(encoding="utf-8").splitlines()[:12]
    subset = _write(tmp_path / "some.jsonl", lines + lines[:3])
    assert _run(data_dir, "evaluate", "--corpus", str(subset), str(subset), "--json") == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["topic"]["n"] == 12
    assert "WARNING: 18 records repeat an id read before and are scored once" in captured.err


# -- 4. classify --batch -----------------------------------------------------------------------------------


def test_batch_reports_each_bad_line_and_classifies_the_rest(data_dir: Path, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    batch = tmp_path / "in.jsonl"
    good = json.dumps({"id": "a", "title": "Về việc giao đất cho Ủy ban nhân dân huyện"}, ensure_ascii=False)
    batch.write_bytes(("\ufeff" + good + "\n{broken\n[1, 2]\n\n" + good.replace('"a"', '"b"') + "\n").encode())
    assert _run(data_dir, "classify", "--batch", str(batch)) == 1
    captured = capsys.readouterr()
    lines = [json.loads(line) for line in captured.out.splitlines()]
    assert [line.get("id") for line in lines] == ["a", None, None, "b"]
    assert lines[1]["line"] == 2 and "JSON" in lines[1]["error"]
    assert lines[2]["line"] == 3 and "đối tượng" in lines[2]["error"]
    assert "dòng 2" in captured.err and "dòng 3" in captured.err


def test_batch_of_good_lines_with_a_bom_exits_zero(data_dir: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    batch = _write(tmp_path / "bom.jsonl", [json.dumps({"id": "a", "title": "Về việc giao đất"})], "utf-8-sig")
    assert _run(data_dir, "classify", "--batch", str(batch)) == 0
    assert json.loads(capsys.readouterr().out)["id"] == "a"


@pytest.mark.parametrize(("encoding", "message"), [("utf-16", "UTF-16"), ("latin-1", "không phải UTF-8")])
def test_batch_in_another_encoding_is_a_clear_error(data_dir: Path, tmp_path: Path, encoding: str,
                                                    message: str) -> None:
    batch = _write(tmp_path / "other.jsonl", [json.dumps({"title": "Thông báo"}, ensure_ascii=False)], encoding)
    with pytest.raises(CliError, match=message):
        _run(data_dir, "classify", "--batch", str(batch))


def test_batch_reads_csv_as_the_import_format_does(data_dir: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """QA (2026-11-30): the README calls --batch's input the import format, JSONL or CSV; a CSV was read as
    JSON lines, every line refused, and the run ended in a traceback."""
    batch = tmp_path / "titles.csv"
    batch.write_text("id;number;title\nhg-01;;Về việc giao đất cho Ủy ban nhân dân huyện\n"
                     "hg-02;45/KH-UBND;Triển khai tiêm chủng mở rộng năm 2027\n", encoding="utf-8-sig")  # fmt: skip
    assert _run(data_dir, "classify", "--batch", str(batch), "--json") == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["id"] for line in lines] == ["hg-01", "hg-02"]
    assert lines[1]["doc_type"]["label"] == "ke-hoach" and lines[1]["doc_type"]["source"] == "number"
    no_ids = _write(tmp_path / "no-ids.csv", ["title", "Về việc giao đất cho Ủy ban nhân dân huyện"])
    assert _run(data_dir, "classify", "--batch", str(no_ids), "--json") == 0
    assert json.loads(capsys.readouterr().out)["line"] == 2


def test_a_batch_of_only_bad_lines_says_so_without_a_traceback(data_dir: Path, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    batch = _write(tmp_path / "bad.jsonl", ["{broken", "[1, 2]", json.dumps({"id": {"a": 1}, "title": "Về việc"}),
                                            json.dumps({"id": 7, "title": ["a", "b"]}), json.dumps({"id": 8, "title": 12345})])  # fmt: skip
    assert _run(data_dir, "classify", "--batch", str(batch), "--json") == 1
    captured = capsys.readouterr()
    lines = [json.loads(line) for line in captured.out.splitlines()]
    assert [line["line"] for line in lines] == [1, 2, 3, 4, 5] and all("error" in line for line in lines)
    assert "trường id phải là chuỗi" in lines[2]["error"] and "trường title phải là chuỗi" in lines[3]["error"]
    assert "5 dòng lỗi, 0 bản ghi" in captured.err
    good_int_id = _write(tmp_path / "int-id.jsonl", [json.dumps({"id": 123, "title": "Về việc giao đất"})])
    assert _run(data_dir, "classify", "--batch", str(good_int_id), "--json") == 0
    assert json.loads(capsys.readouterr().out)["id"] == "123"


def test_empty_batch_says_nothing_was_read(data_dir: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    batch = _write(tmp_path / "empty.jsonl", ["", "  "])
    assert _run(data_dir, "classify", "--batch", str(batch)) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "không đọc được bản ghi nào" in captured.err


# -- 5. an unreadable manifest -----------------------------------------------------------------------------


def test_a_corrupt_manifest_is_listed_and_named(demo_models: tuple[Path, str, str], data_dir: Path,  # noqa: F811
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    manifest = data_dir / "models" / demo_models[1] / MANIFEST  # the active version
    manifest.write_text(manifest.read_text(encoding="utf-8")[:300], encoding="utf-8")
    assert _run(data_dir, "models", "list") == 0
    listing = capsys.readouterr().out
    assert demo_models[1] in listing and "KHÔNG DÙNG ĐƯỢC" in listing and "manifest hỏng" in listing
    assert _run(data_dir, "models", "list", "--json") == 0
    entries = {e["version"]: e for e in json.loads(capsys.readouterr().out)}
    assert entries[demo_models[1]]["usable"] is False and entries[demo_models[2]]["usable"] is True
    for argv in (("models", "show"), ("models", "activate", demo_models[1]), ("classify", "về việc giao đất")):
        with pytest.raises(CliError, match="không đọc được manifest"):
            _run(data_dir, *argv)


def test_listing_an_empty_data_dir_is_in_vietnamese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(tmp_path, "models", "list") == 0
    assert "chưa có phiên bản mô hình nào" in capsys.readouterr().out


# -- 6-9. arguments ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("cv", ["1", "-2"])
def test_train_refuses_one_fold_and_negative_folds(tmp_path: Path, cv: str) -> None:
    with pytest.raises(CliError, match="--cv"):
        _run(tmp_path, "train", "--corpus", str(DEMO), "--cv", cv)
    assert not (tmp_path / "models").exists()


def test_evaluate_report_onto_a_file_fails_before_any_work(data_dir: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    existing = tmp_path / "report.txt"
    existing.write_text("keep me", encoding="utf-8")
    with pytest.raises(CliError, match="--report"):
        _run(data_dir, "evaluate", "--corpus", str(DEMO), "--report", str(existing))
    assert "classifying" not in capsys.readouterr().err
    assert existing.read_text(encoding="utf-8") == "keep me"


def test_corpus_path_messages_name_evaluation_and_directories(data_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(CliError, match="dữ liệu đánh giá"):
        _run(data_dir, "evaluate", "--corpus", str(tmp_path / "nope.jsonl"))
    with pytest.raises(CliError, match="là một thư mục"):
        _run(tmp_path / "d", "train", "--corpus", str(tmp_path))


@pytest.mark.parametrize("k", ["0", "-1"])
def test_top_k_must_be_positive(data_dir: Path, k: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        _run(data_dir, "classify", "--top-k", k, "về việc giao đất")
    assert "từ 1 trở lên" in capsys.readouterr().err


def test_two_files_of_one_name_without_ids_are_not_repeats(data_dir: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """Review (2026-11-30): records without an id are numbered by their file's name ("docs-0"), so two
    docs.jsonl in two folders had their records dropped as repeats of each other."""
    lines = [json.loads(line) for line in DEMO.read_text(encoding="utf-8").splitlines()[:4]]
    for folder, part in (("a", lines[:2]), ("b", lines[2:])):
        (tmp_path / folder).mkdir()
        _write(tmp_path / folder / "docs.jsonl", [json.dumps({k: v for k, v in r.items() if k != "id"},
                                                             ensure_ascii=False) for r in part])  # fmt: skip
    assert _run(data_dir, "evaluate", "--corpus", str(tmp_path / "a" / "docs.jsonl"), str(tmp_path / "b" / "docs.jsonl"),
                "--json") == 0  # fmt: skip
    captured = capsys.readouterr()
    assert json.loads(captured.out)["topic"]["n"] == 4 and "repeat an id" not in captured.err


def test_a_csv_without_any_column_to_classify_is_refused(data_dir: Path, tmp_path: Path) -> None:
    batch = tmp_path / "c3.csv"
    batch.write_text("ma,trich_yeu\nx1,Về việc giao đất\n", encoding="utf-8")
    with pytest.raises(CliError, match="không có cột title, text hay number"):
        _run(data_dir, "classify", "--batch", str(batch), "--json")


def test_serve_refuses_a_wrong_setting_in_words_and_reads_a_decimal_comma(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from service.commands.serve import _check_settings
    from service.settings import Settings

    monkeypatch.setenv("VANBAN_REVIEW_THRESHOLD", "90")
    with pytest.raises(CliError, match="VANBAN_REVIEW_THRESHOLD") as caught:
        _check_settings(tmp_path)
    assert caught.value.exit_code == 2 and "cấu hình không hợp lệ" in str(caught.value)
    monkeypatch.setenv("VANBAN_REVIEW_THRESHOLD", "0,8")
    _check_settings(tmp_path)
    assert Settings(data_dir=tmp_path).review_threshold == 0.8
