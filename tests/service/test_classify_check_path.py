"""Regression tests of the QA pass on the classifier's check path (2026-11-29, second day).

A title that opens with its type's name decides the type; every output line has an object per task; a
record without an id is told by its line; a manifest without the scikit-learn version is refused by name.
They use the small demo-corpus models of ``tests/models/test_qa_fixes.py`` (trained once per session).
"""

# ruff: noqa: F811  (pytest fixtures imported by name are "redefined" as the tests' arguments)
from __future__ import annotations

import json
from pathlib import Path

import pytest

from models.errors import IncompatibleModel
from models.registry import MANIFEST, Registry
from tests.models.test_cli_and_evaluate import _run
from tests.models.test_qa_fixes import demo_docs, demo_models  # noqa: F401  (session fixtures)
from tests.service.test_models_cli_qa import data_dir  # noqa: F401  (a copy of the demo models)


def _batch(data_dir: Path, tmp_path: Path, records: list[dict], capsys: pytest.CaptureFixture[str]) -> list[dict]:
    path = tmp_path / "batch.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    _run(data_dir, "classify", "--batch", str(path), "--json")
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


@pytest.mark.parametrize(
    ("title", "label", "opening"),
    [
        ("Nghị quyết về chính sách hỗ trợ học phí cho trẻ em học mầm non", "nghi-quyet", "Nghị quyết"),
        ("Chỉ thị về việc đẩy mạnh công tác phòng, chống tham nhũng, tiêu cực", "chi-thi", "Chỉ thị"),
        ("chỉ thị về tăng cường bảo đảm trật tự an toàn giao thông", "chi-thi", "chỉ thị"),
        ("Thông báo về việc nghỉ Tết Nguyên đán Bính Ngọ", "thong-bao", "Thông báo"),
        ("QUYẾT ĐỊNH BAN HÀNH QUY CHẾ LÀM VIỆC CỦA ỦY BAN NHÂN DÂN TỈNH", "quyet-dinh", "QUYẾT ĐỊNH"),
        ("Kế hoạch về phát triển du lịch cộng đồng giai đoạn 2026-2030", "ke-hoach", "Kế hoạch"),
        ("chi thi ve viec tang cuong cong tac phong chong thien tai", "chi-thi", "chi thi"),  # no diacritics
        ("quyet dinh ban hanh quy che lam viec", "quyet-dinh", "quyet dinh"),
    ],
)
def test_a_title_opening_with_its_type_and_subject_decides_the_type(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], title: str, label: str, opening: str
) -> None:
    (line,) = _batch(data_dir, tmp_path, [{"id": "x", "title": title}], capsys)
    doc_type = line["doc_type"]
    assert (doc_type["label"], doc_type["source"], doc_type["confidence"]) == (label, "header", 0.95)
    assert doc_type["reasons"] == [f"trích yếu mở đầu bằng tên loại văn bản “{opening} …”"]
    assert "model" in doc_type  # what the model alone would say stays visible


@pytest.mark.parametrize(
    ("title", "label", "opening"),
    [
        ("Luật Đất đai", "luat", "Luật"),
        ("Thông tư hướng dẫn công tác thi đua, khen thưởng", "thong-tu", "Thông tư"),
        ("Thông tư liên tịch hướng dẫn phối hợp bảo đảm an ninh trật tự", "thong-tu-lien-tich", "Thông tư liên tịch"),
        ("Pháp lệnh ưu đãi người có công với cách mạng", "phap-lenh", "Pháp lệnh"),
        ("nghi dinh quy dinh chi tiet luat dau tu", "nghi-dinh", "nghi dinh"),
    ],
)
def test_legislation_is_titled_by_its_type_name_alone(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], title: str, label: str, opening: str
) -> None:
    """QA (2026-11-30): "Luật Đất đai" was a kế hoạch, "Thông tư liên tịch hướng dẫn …" a công văn at 0.97:
    legislation names its type and then itself, with no "về" between."""
    (line,) = _batch(data_dir, tmp_path, [{"id": "x", "title": title}], capsys)
    doc_type = line["doc_type"]
    assert (doc_type["label"], doc_type["source"]) == (label, "header")
    assert doc_type["reasons"] == [f"trích yếu mở đầu bằng tên loại văn bản “{opening} …”"]


def test_a_legislature_number_is_a_law_or_resolution_for_review_unless_the_title_says(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """QA: 28/2004/QH11 "ĐIỆN LỰC" (the Electricity Law) was a công văn at 0.94, unflagged."""
    records = [{"id": "dien-luc", "number": "28/2004/QH11", "title": "ĐIỆN LỰC"},
               {"id": "nq", "number": "103/2023/QH15", "title": "Nghị quyết về kế hoạch phát triển kinh tế - xã hội"},
               {"id": "pl", "number": "10/2022/UBTVQH15", "title": "Về việc sửa đổi mức trợ cấp"},
               {"id": "title-only", "title": "Thông tư số 06/2024/TT-BTC được triển khai ở các tỉnh"},
               {"id": "ttlt-so", "title": "Thông tư liên tịch số 06/2024/TTLT-BYT-BTC hướng dẫn thanh toán"},
               {"id": "luat-su", "title": "Luật sư và hành nghề luật sư tại địa phương"},
               {"id": "nd-thu", "title": "Nghị định thư về hợp tác kinh tế"},
               {"id": "luat-gia", "title": "Luật gia Việt Nam với công tác phổ biến pháp luật"}]  # fmt: skip
    lines = {line["id"]: line for line in _batch(data_dir, tmp_path, records, capsys)}
    law = lines["dien-luc"]
    assert (law["doc_type"]["label"], law["doc_type"]["source"], law["doc_type"]["needs_review"]) == ("luat", "number", True)
    assert law["doc_type"]["reasons"] == ["số ký hiệu của Quốc hội (QH11): luật hoặc nghị quyết"]
    assert any("luật hay nghị quyết" in r for r in law["review_reasons"])
    assert lines["nq"]["doc_type"]["label"] == "nghi-quyet" and not lines["nq"]["doc_type"]["needs_review"]
    assert lines["pl"]["doc_type"]["label"] == "phap-lenh" and lines["pl"]["doc_type"]["needs_review"]
    assert lines["title-only"]["doc_type"]["source"] == "model"  # "Thông tư số …" is a citation, not a name
    for other in ("ttlt-so", "luat-su", "nd-thu", "luat-gia"):  # a citation, a lawyer, a protocol: no name of legislation
        assert lines[other]["doc_type"]["source"] == "model", other


@pytest.mark.parametrize(
    "title",
    [
        "Kế hoạch phòng, chống thiên tai năm 2026",  # 12 quyết định in Bình Dương issue a plan so titled
        "Kết luận của Chủ tịch UBND tỉnh tại buổi làm việc với huyện",  # thông báo kết luận
        "Quy định về quản lý chất thải rắn sinh hoạt",  # the regulation a quyết định issues
        "Về việc tăng cường công tác phòng cháy, chữa cháy",
    ],
)
def test_other_openings_are_left_to_the_model(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], title: str
) -> None:
    (line,) = _batch(data_dir, tmp_path, [{"id": "x", "title": title}], capsys)
    assert line["doc_type"]["source"] == "model"


def test_the_number_still_comes_before_the_title(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records = [{"id": "x", "number": "15/QĐ-UBND", "title": "Chỉ thị về việc tăng cường kỷ luật hành chính"}]
    (line,) = _batch(data_dir, tmp_path, records, capsys)
    assert (line["doc_type"]["label"], line["doc_type"]["source"]) == ("quyet-dinh", "number")


def test_every_line_has_an_object_per_task_and_an_id_or_a_line(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records = [{"id": "empty"}, {"id": "blank", "title": ""}, {"title": "Về việc giao đất cho huyện Hòa An"}]
    lines = _batch(data_dir, tmp_path, records, capsys)
    for line in lines:
        for task in ("doc_type", "topic"):
            assert set(line[task]) >= {"label", "confidence", "source", "reasons", "top_k", "needs_review"}
    for line in lines[:2]:
        assert line["topic"] == {"label": None, "confidence": None, "source": "none", "reasons": [],
                                 "top_k": [], "needs_review": True}  # fmt: skip
        assert line["needs_review"] is True
    assert lines[2]["id"] is None and lines[2]["line"] == 3 and lines[2]["topic"]["label"]
    assert "line" not in lines[0]


def test_a_manifest_without_the_scikit_learn_version_is_refused_by_name(data_dir: Path) -> None:
    registry = Registry.open(data_dir)
    version = registry.active_version()
    assert version is not None
    path = registry.root / version / MANIFEST
    manifest = json.loads(path.read_text(encoding="utf-8"))
    del manifest["versions"]["scikit-learn"]
    path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(IncompatibleModel, match="không ghi phiên bản scikit-learn") as caught:
        registry.load(version)
    assert "None" not in str(caught.value)


def test_models_list_says_what_macro_f1_averages_over() -> None:
    from service.commands.models_cmd import _score

    metrics = {"macro_f1": 0.6449, "accuracy": 0.9124, "per_class": {f"t{i}": {} for i in range(9)}}
    assert _score(metrics) == "macro-F1 0.645 over 9 labels, accuracy 0.912"
    assert _score(None) == "-"


@pytest.mark.parametrize(
    ("number", "shown", "symbol"),
    [
        ("Số: 1502/QĐ-UBND", "1502/QĐ-UBND", "QĐ-UBND"),
        ("số 12/QĐ-UBND", "12/QĐ-UBND", "QĐ-UBND"),
        (" 99/qđ-ubnd ", "99/QĐ-UBND", "QĐ-UBND"),
        ("45/QÐ-UBND", "45/QĐ-UBND", "QĐ-UBND"),  # Icelandic Ð
        ("không số", "không số", None),
    ],
)
def test_the_records_number_is_read_as_a_header_number(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], number: str, shown: str, symbol: str | None
) -> None:
    (line,) = _batch(data_dir, tmp_path, [{"id": "x", "number": number, "title": "Về việc giao đất"}], capsys)
    assert (line["header"]["number"], line["header"]["symbol"]) == (shown, symbol)


def test_the_records_number_wins_over_the_texts_with_its_symbol(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = ("ỦY BAN NHÂN DÂN\nTỈNH HÒA AN\nSố: 99/KH-UBND\nHòa An, ngày 3 tháng 3 năm 2026\n\nKẾ HOẠCH\n"
            "Phòng, chống dịch bệnh gia súc, gia cầm năm 2026\n\nĐể chủ động phòng, chống dịch bệnh …")  # fmt: skip
    (line,) = _batch(data_dir, tmp_path, [{"id": "x", "number": "12/QĐ-UBND", "text": text}], capsys)
    assert (line["header"]["number"], line["header"]["symbol"]) == ("12/QĐ-UBND", "QĐ-UBND")
    assert (line["doc_type"]["label"], line["doc_type"]["source"]) == ("quyet-dinh", "number")


def test_a_model_file_cut_short_under_a_matching_checksum_is_refused_at_activation(data_dir: Path) -> None:
    """QA (2026-11-30): a model.joblib cut to 100 KB, its manifest's checksum rewritten to match, was listed
    usable and activated; classification then ended in an UnpicklingError traceback."""
    import hashlib
    import shutil

    from models.registry import MODEL_FILE

    registry = Registry.open(data_dir)
    active = registry.active_version()
    assert active is not None
    cut = f"{active}-cut"
    shutil.copytree(registry.root / active, registry.root / cut)
    model = registry.root / cut / MODEL_FILE
    model.write_bytes(model.read_bytes()[: model.stat().st_size // 2])
    manifest_path = registry.root / cut / MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["files"][MODEL_FILE] = hashlib.sha256(model.read_bytes()).hexdigest()
    manifest["version"] = cut
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(IncompatibleModel, match="tệp mô hình hỏng"):
        registry.activate(cut)
    assert registry.active_version() == active  # nothing switched
    with pytest.raises(IncompatibleModel, match="tệp mô hình hỏng"):
        registry.load(cut)


def test_a_short_text_with_its_number_line_is_read_as_a_header(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """QA (2026-11-30): "Số: 1657/QĐ-UBND" and a summary pasted as two lines were read as a trích yếu by the
    CLI (the model's quyết định at 0.41, for review) and as a header by the service (the number, 1.0)."""
    import io
    import sys

    text = "Số: 1657/QĐ-UBND\nVề việc phê duyệt kế hoạch sử dụng đất năm 2026 của huyện Bắc Hà"
    monkey_stdin = io.StringIO(text)
    old, sys.stdin = sys.stdin, monkey_stdin
    try:
        assert _run(data_dir, "classify", "-", "--json") == 0
    finally:
        sys.stdin = old
    out = json.loads(capsys.readouterr().out)
    assert out["doc_type"]["label"] == "quyet-dinh" and out["doc_type"]["source"] == "number"
    assert out["header"]["number"] == "1657/QĐ-UBND"
