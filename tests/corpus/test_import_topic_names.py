"""A spreadsheet names the field (lĩnh vực) as clerks write it: by name, with or without diacritics."""

from __future__ import annotations

from pathlib import Path

from corpus.importer import import_paths
from corpus.store import Store


def test_fields_by_name_are_filed_by_code_and_unknown_ones_are_reported(tmp_path: Path) -> None:
    sheet = tmp_path / "danh-sach.csv"
    sheet.write_text(
        "id;title;topic\n"
        "a;Kế hoạch tiêm chủng mở rộng năm 2025;Y tế\n"
        "b;V/v tổ chức kỳ thi học sinh giỏi cấp tỉnh;giao duc\n"
        "c;Quyết định thu hồi đất thực hiện dự án;Đất đai – Tài nguyên – Môi trường\n"
        "d;Báo cáo tình hình thực hiện nhiệm vụ;không rõ\n"
        "e;Kế hoạch riêng của đơn vị;ma-rieng\n",
        encoding="utf-8",
    )
    with Store.open(tmp_path / "data") as store:
        report = import_paths(store, [sheet], progress=False)
        assert {doc_id: store.get(doc_id).topic for doc_id in "abce"} == {
            "a": "y-te", "b": "giao-duc", "c": "dat-dai", "e": "ma-rieng"}  # fmt: skip
    assert report.inserted == 4 and [(e.line, e.field) for e in report.errors] == [(5, "topic")]
    assert "Y tế" in report.errors[0].reason
