"""``vanban export``: the import format on stdout or atomically into a file, filters, errors in Vietnamese."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus.document import LabelSource
from corpus.migrations import DB_FILENAME
from corpus.store import Store
from service.cli import main


def _export(data_dir: Path, *argv: str) -> int:
    return main(["--data-dir", str(data_dir), "export", *argv])


def test_stdout_gets_the_records_and_stderr_the_summary(data_dir: Path, capsys: pytest.CaptureFixture) -> None:
    assert _export(data_dir) == 0
    out, err = capsys.readouterr()
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == 90 and records[0]["id"] == "demo-001"
    assert records[0]["issuer"] == "Ủy ban nhân dân tỉnh Sông Mây"
    assert records[0]["label_sources"] == {"doc_type": "source", "topic": "source"}
    assert err.strip() == "Đã xuất 90 văn bản (jsonl) ra đầu ra chuẩn (stdout)."


@pytest.mark.parametrize("name", ["sao-luu.csv", "sao-luu.jsonl"])
def test_export_import_export_through_the_cli_is_identical(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture, name: str
) -> None:
    with Store.open(data_dir) as store:
        store.set_label("demo-007", "topic", "kinh-te", source=LabelSource.MODEL, actor="model")
    first, second = tmp_path / "a" / name, tmp_path / "b" / name
    first.parent.mkdir()
    second.parent.mkdir()
    assert _export(data_dir, "--out", str(first)) == 0
    assert f"Đã xuất 90 văn bản ({name.split('.')[1]}) ra {first}." in capsys.readouterr().err
    assert main(["--data-dir", str(tmp_path / "moved"), "import", "--quiet", str(first)]) == 0
    assert _export(tmp_path / "moved", "--out", str(second)) == 0
    assert second.read_bytes() == first.read_bytes()
    assert "kinh-te" in first.read_text(encoding="utf-8")
    assert [p.name for p in first.parent.iterdir()] == [name]  # no temporary file left behind


def test_confirmed_labels_and_filters(data_dir: Path, capsys: pytest.CaptureFixture) -> None:
    with Store.open(data_dir) as store:
        store.set_label("demo-027", "topic", "dat-dai", source=LabelSource.MODEL, actor="model")
    argv = ("--labels", "confirmed", "--type", "quyết định", "--from", "01/08/2024", "--to", "31/08/2024")
    assert _export(data_dir, *argv) == 0
    out, err = capsys.readouterr()
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in records] == ["demo-027"]
    assert records[0]["topic"] is None and "topic" not in records[0]["label_sources"]
    assert "Đã để trống 1 nhãn chỉ do mô hình đề xuất" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--type", "sắc lệnh"), 'Loại văn bản "sắc lệnh" không có'),
        (("--topic", "thời tiết"), 'Lĩnh vực "thời tiết" không có'),
        (("--from", "32/1/2024"), 'Ngày "32/1/2024" không hợp lệ'),
        (("--from", "2025", "--to", "2024"), "Khoảng ngày không hợp lệ"),
        (("--format", "xlsx"), "không có 'xlsx'"),
    ],
)
def test_bad_values_are_refused_in_vietnamese(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture, argv: tuple[str, ...], message: str
) -> None:
    out = tmp_path / "khong-ghi.jsonl"
    try:
        code = _export(data_dir, "--out", str(out), *argv)
    except SystemExit as exc:  # argparse's own refusals
        code = int(exc.code or 0)
    assert code == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_a_missing_store_or_folder_is_an_error_not_an_empty_export(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    assert _export(tmp_path / "nham-thu-muc") == 2
    assert "không có kho văn bản" in capsys.readouterr().err
    assert not (tmp_path / "nham-thu-muc" / DB_FILENAME).exists()
    assert _export(data_dir, "--out", str(tmp_path / "chua-co" / "sao-luu.jsonl")) == 2
    assert "không có thư mục" in capsys.readouterr().err
