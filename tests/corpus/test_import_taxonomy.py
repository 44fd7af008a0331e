"""Import takes the fields of the active model's own taxonomy as written, and a backup's labels come back as
they were whatever their taxonomy; a plain source file still gets only the fields it may have."""

from __future__ import annotations

import io
import json
from pathlib import Path

from corpus.export import export_documents
from corpus.importer import import_paths
from corpus.store import Store

PORTAL_FIELDS = ("Hải quan", "Cấp, quản lý căn cước", "Đất đai", "Hộ tịch")


def _jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def test_the_active_models_fields_are_filed_as_written(tmp_path: Path) -> None:
    rows = _jsonl(tmp_path / "thu-tuc.jsonl", [
        {"id": "a", "title": "Thủ tục hải quan đối với hàng hóa nhập khẩu", "topic": "Hải quan"},
        {"id": "b", "title": "Cấp đổi thẻ căn cước", "topic": "Cấp, quản lý căn cước"},
        {"id": "c", "title": "Đăng ký biến động quyền sử dụng đất", "topic": "Đất đai"},  # not dat-dai
        {"id": "d", "title": "Đăng ký khai sinh", "topic": "hộ  tịch"},  # the model's spelling
        {"id": "e", "title": "Kế hoạch tiêm chủng mở rộng", "topic": "y-te"},  # a built-in code stays one
        {"id": "f", "title": "Cấp giấy phép lái xe quốc tế", "topic": "Giấy phép lái xe"},
        # under another taxonomy a name is not read as a built-in field: "Giao thông vận tải" is not xay-dung
        {"id": "g", "title": "Đăng ký khai thác tuyến vận tải", "topic": "Giao thông vận tải"},
        {"id": "h", "title": "Kế hoạch tiêm chủng mở rộng đợt 2", "topic": "Y tế"},
    ])  # fmt: skip
    with Store.open(tmp_path / "data") as store:
        report = import_paths(store, [rows], progress=False, topics=PORTAL_FIELDS)
        topics = {doc_id: store.get(doc_id).topic for doc_id in "abcde"}
    assert topics == {"a": "Hải quan", "b": "Cấp, quản lý căn cước", "c": "Đất đai", "d": "Hộ tịch", "e": "y-te"}
    assert [(e.line, e.field) for e in report.errors] == [(6, "topic"), (7, "topic"), (8, "topic")]
    reason = report.errors[0].reason
    assert "Giấy phép lái xe" in reason and "4 lĩnh vực của mô hình đang dùng" in reason and '"Hải quan"' in reason


def test_names_read_as_built_in_fields_are_said(tmp_path: Path) -> None:
    rows = _jsonl(tmp_path / "so-lieu.jsonl", [
        {"id": "a", "title": "Kế hoạch tiêm chủng mở rộng", "topic": "Y tế"},
        {"id": "b", "title": "Kế hoạch phòng chống sốt xuất huyết", "topic": "Y tế"},
        {"id": "c", "title": "Đăng ký biến động quyền sử dụng đất", "topic": "Đất đai"},
        {"id": "d", "title": "Tuyển sinh lớp 10", "topic": "giao-duc"},
    ])  # fmt: skip
    with Store.open(tmp_path / "data") as store:
        report = import_paths(store, [rows], progress=False)
    said = [w.reason for w in report.warnings]
    assert said == ['lĩnh vực "Y tế" được đọc là mã y-te (Y tế – Phòng chống dịch) ở 2 văn bản',
                    'lĩnh vực "Đất đai" được đọc là mã dat-dai (Đất đai – Tài nguyên – Môi trường) ở 1 văn bản']
    refused = _jsonl(tmp_path / "thu-tuc.jsonl", [{"id": "e", "title": "Khai hải quan", "topic": "Hải quan"}])
    with Store.open(tmp_path / "data") as store:
        reason = import_paths(store, [refused], progress=False).errors[0].reason
    assert "hãy huấn luyện và kích hoạt trước một mô hình của danh mục đó" in reason


def test_without_that_model_a_plain_source_record_is_still_refused(tmp_path: Path) -> None:
    rows = _jsonl(tmp_path / "thu-tuc.jsonl", [{"id": "a", "title": "Khai hải quan điện tử", "topic": "Hải quan"}])
    with Store.open(tmp_path / "data") as store:
        report = import_paths(store, [rows], progress=False)
    assert report.inserted == 0 and [e.field for e in report.errors] == ["topic"]


def test_a_backup_of_another_taxonomy_comes_back_the_same_into_an_empty_data_dir(tmp_path: Path) -> None:
    rows = _jsonl(tmp_path / "thu-tuc.jsonl", [
        {"id": "a", "title": "Thủ tục hải quan đối với hàng hóa nhập khẩu", "topic": "Hải quan"},
        {"id": "b", "title": "Cấp đổi thẻ căn cước", "topic": "Cấp, quản lý căn cước",
         "label_sources": {"topic": "model"}},
        {"id": "c", "title": "Đăng ký biến động quyền sử dụng đất", "topic": "Đất đai",
         "label_sources": {"topic": "human"}},
        {"id": "d", "title": "Kế hoạch tiêm chủng mở rộng", "topic": "y-te"},
    ])  # fmt: skip
    with Store.open(tmp_path / "office") as store:
        assert import_paths(store, [rows], progress=False, topics=PORTAL_FIELDS).inserted == 4
        first = io.StringIO()
        export_documents(store, first)
    backup = tmp_path / "sao-luu.jsonl"
    backup.write_text(first.getvalue(), encoding="utf-8")
    with Store.open(tmp_path / "empty") as store:  # no model: only the backup's provenance vouches for them
        report = import_paths(store, [backup], progress=False)
        assert report.errors == [] and report.inserted == 4
        assert store.get("c").topic == "Đất đai"  # as it was, not the built-in dat-dai
        again = io.StringIO()
        export_documents(store, again)
    assert again.getvalue() == first.getvalue()
