"""A researcher's own taxonomy trains as written (a portal's "Đất đai" and "Môi trường" are two fields, not
both dat-dai), what was read otherwise or left out is said, and `vanban import` accepts the model's fields."""

from __future__ import annotations

import contextlib
import io
import json
import logging
from pathlib import Path

import pytest

from corpus.store import Store
from models.data import load_corpus
from models.registry import Registry
from service.commands import evaluate, import_, train
from tests import run_commands

# A few procedure names per field of a portal-like taxonomy: three of its seven fields share a name with a
# built-in field ("Đất đai", "Môi trường", "Giao thông vận tải"), the others are its own.
PORTAL: dict[str, list[str]] = {
    "Đất đai": ["Đăng ký biến động quyền sử dụng đất", "Cấp giấy chứng nhận quyền sử dụng đất lần đầu",
                "Gia hạn sử dụng đất nông nghiệp", "Chuyển mục đích sử dụng đất"],
    "Môi trường": ["Thẩm định báo cáo đánh giá tác động môi trường", "Cấp giấy phép môi trường",
                   "Đăng ký môi trường của cơ sở sản xuất", "Xác nhận hoàn thành công trình bảo vệ môi trường"],
    "Giao thông vận tải": ["Cấp giấy phép lái xe", "Đổi giấy phép lái xe quân sự",
                           "Cấp phù hiệu xe kinh doanh vận tải", "Đăng ký khai thác tuyến vận tải khách cố định"],
    "Hải quan": ["Thủ tục hải quan đối với hàng hóa xuất khẩu", "Khai bổ sung hồ sơ hải quan",
                 "Kiểm tra hải quan hàng hóa nhập khẩu", "Hoàn thuế hàng hóa nhập khẩu tại cơ quan hải quan"],
    "Hộ tịch": ["Đăng ký khai sinh", "Đăng ký kết hôn", "Đăng ký khai tử", "Trích lục hộ tịch bản sao"],
    "Cấp, quản lý căn cước": ["Cấp thẻ căn cước", "Cấp đổi thẻ căn cước", "Cấp lại thẻ căn cước bị mất",
                              "Xác nhận số chứng minh nhân dân khi đã cấp thẻ căn cước"],
    "Thuế": ["Đăng ký thuế lần đầu", "Khai thuế giá trị gia tăng", "Quyết toán thuế thu nhập cá nhân",
             "Hoàn thuế giá trị gia tăng"],
    "Hoạt động ngoại hối": ["Đăng ký khoản vay nước ngoài của doanh nghiệp"],  # one document: not learnable
}  # fmt: skip


def _write(path: Path, fields: dict[str, list[str]]) -> Path:
    lines = [json.dumps({"id": f"tt-{i}-{j}", "title": title, "topic": topic}, ensure_ascii=False)
             for i, (topic, titles) in enumerate(fields.items()) for j, title in enumerate(titles)]  # fmt: skip
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(data_dir: Path, *argv: str) -> int:
    return run_commands((train, evaluate, import_), data_dir, *argv)


@pytest.fixture(scope="module")
def portal_model(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str, str]:
    """(data dir with the portal model active, its corpus, train --json output, train's stderr)."""
    root = tmp_path_factory.mktemp("portal")
    corpus = _write(root / "thu-tuc.jsonl", PORTAL)
    # Captured by hand: a module-scoped fixture cannot use capsys; the corpus notes are logged warnings.
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        handler = logging.StreamHandler(err)
        logging.getLogger("vanban.models.data").addHandler(handler)
        try:
            assert run(root / "data", "train", "--corpus", str(corpus), "--task", "topic", "--cv", "0",
                       "--activate", "--json") == 0  # fmt: skip
        finally:
            logging.getLogger("vanban.models.data").removeHandler(handler)
    return root / "data", corpus, out.getvalue(), err.getvalue()


def test_another_taxonomy_is_trained_as_written(portal_model: tuple[Path, Path, str, str]) -> None:
    data_dir, _, out, err = portal_model
    labels = set(Registry.open(data_dir).active_labels("topic"))
    assert labels == set(PORTAL) - {"Hoạt động ngoại hối"}  # "Đất đai" and "Môi trường" are not one dat-dai
    result = json.loads(out.splitlines()[-1])
    assert result["topic_labels_as_written"] == ["thu-tuc"] and result["topic_rewrites"] == {}
    assert "giữ nguyên như đã viết" in err and "“Giao thông vận tải”" in err


def test_a_label_with_one_document_is_left_out_and_said(portal_model: tuple[Path, Path, str, str]) -> None:
    _, _, out, err = portal_model
    assert "bỏ qua 1 lĩnh vực chỉ có 1 văn bản" in err and "“Hoạt động ngoại hối”" in err
    assert json.loads(out.splitlines()[-1])["dropped_labels"] == {"topic": {"Hoạt động ngoại hối": 1}}


def test_names_of_the_built_in_taxonomy_are_read_as_codes_and_said(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    corpus = _write(tmp_path / "so-y-te.jsonl", {
        "Y tế": ["Kế hoạch tiêm chủng mở rộng năm 2025"], "giao-duc": ["Kế hoạch tuyển sinh lớp 10"],
        "Tài nguyên và Môi trường": ["Quyết định thu hồi đất"], "dat-dai": ["Quyết định giao đất"],
        "Hải quan": ["Thủ tục hải quan"],
    })  # fmt: skip
    with caplog.at_level(logging.WARNING, logger="vanban.models.data"):
        loaded = load_corpus(corpus)
    assert not loaded.topics_as_written
    assert dict(loaded.topic_rewrites) == {"Y tế": "y-te", "Tài nguyên và Môi trường": "dat-dai"}
    assert [d.topic for d in loaded.docs] == ["y-te", "giao-duc", "dat-dai", "dat-dai", "Hải quan"]
    assert "“Y tế” → y-te" in caplog.text


def test_evaluation_reads_the_models_own_labels_as_written_and_warns_of_overlap(
    portal_model: tuple[Path, Path, str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir, _, _, _ = portal_model
    # Alone, these two labels would read as built-in names (dat-dai twice); they are the model's own fields.
    held = _write(tmp_path / "kiem-tra.jsonl", {"Đất đai": ["Đăng ký biến động quyền sử dụng đất"],
                                                "Môi trường": ["Cấp giấy phép môi trường cho dự án"]})  # fmt: skip
    assert run(data_dir, "evaluate", "--corpus", str(held), "--json") == 0
    topic = json.loads(capsys.readouterr().out)["topic"]
    assert topic["unknown_labels"]["n"] == 0
    assert topic["overlap"] == {"n": 1, "of": 2}  # the first title is a training document
    assert any("1 of 2 evaluated documents were in the training data" in w for w in topic["warnings"])


def test_import_accepts_the_active_models_fields(portal_model: tuple[Path, Path, str, str], tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    data_dir, _, _, _ = portal_model
    rows = tmp_path / "nhap.jsonl"
    rows.write_text(
        json.dumps({"id": "n-1", "title": "Cấp lại thẻ căn cước", "topic": "Cấp, quản lý căn cước"}, ensure_ascii=False)
        + "\n" + json.dumps({"id": "n-2", "title": "Gia hạn sử dụng đất", "topic": "Đất đai"}, ensure_ascii=False)
        + "\n", encoding="utf-8")  # fmt: skip
    assert run(data_dir, "import", str(rows), "--json", "--no-tag", "--quiet") == 0
    report = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert report["inserted"] == 2 and report["errors"] == []
    with Store.open(data_dir) as store:
        assert store.get("n-2").topic == "Đất đai"


def test_activating_another_taxonomy_over_a_store_of_the_14_fields_warns(
    portal_model: tuple[Path, Path, str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    from models.registry import taxonomy_warning
    from service.commands import models_cmd

    data_dir = tmp_path / "data"
    shutil.copytree(portal_model[0] / "models", data_dir / "models")  # the model, not the module's store
    records = tmp_path / "bd.jsonl"
    records.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in (
        {"id": "bd-1", "title": "về việc tăng cường phòng chống dịch sốt xuất huyết", "topic": "y-te"},
        {"id": "bd-2", "title": "kế hoạch tuyển sinh lớp 10 năm học 2024-2025", "topic": "giao-duc"},
        {"id": "bd-3", "title": "về việc đăng ký khai sinh lưu động tại xã", "topic": "Hộ tịch"},
    )), encoding="utf-8")  # fmt: skip
    assert run(data_dir, "import", str(records), "--no-tag") == 0
    version = Registry.open(data_dir).active_version()
    capsys.readouterr()
    assert run_commands((models_cmd,), data_dir, "models", "activate", str(version), "--json") == 0
    out, err = capsys.readouterr()
    warning = next(w for w in json.loads(out)["warnings"] if w.startswith("Cảnh báo: danh mục lĩnh vực"))
    assert "2 trong 3 văn bản" in warning and "“y-te”" in warning and warning in err
    # a store whose fields the model mostly knows: no warning
    assert taxonomy_warning(set(PORTAL), {"Hộ tịch": 5, "y-te": 1}) is None
    assert taxonomy_warning((), {"y-te": 1}) is None and taxonomy_warning(set(PORTAL), {}) is None


def test_labels_kept_as_written_are_spelled_as_the_store_files_them() -> None:
    from models.data import TopicReading

    reading = TopicReading.of(["Thi đua – Khen thưởng", "Xuất nhập khẩu hàng hoá", "Hải quan", "Hộ tịch"])
    assert reading.as_written
    # the store files "–" as "-" and the new tone placement: model and documents must hold one string
    assert reading.read("Thi đua – Khen thưởng") == "Thi đua - Khen thưởng"
    assert reading.read("Xuất nhập khẩu hàng hoá") == "Xuất nhập khẩu hàng hóa"
