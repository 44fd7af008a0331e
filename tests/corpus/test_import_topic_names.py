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


def test_the_name_of_the_department_governing_a_field_resolves_to_it() -> None:
    from corpus.search_filters import resolve_topic

    assert {name: resolve_topic(name) for name in (
        "Giáo dục và Đào tạo", "Tài nguyên và Môi trường", "Văn hóa, Thể thao và Du lịch",
        "Thông tin và Truyền thông", "Nông nghiệp và Phát triển nông thôn", "Khoa học và Công nghệ",
        "Lao động - Thương binh và Xã hội", "Giao thông vận tải",
    )} == {
        "Giáo dục và Đào tạo": "giao-duc", "Tài nguyên và Môi trường": "dat-dai",
        "Văn hóa, Thể thao và Du lịch": "van-hoa", "Thông tin và Truyền thông": "thong-tin",
        "Nông nghiệp và Phát triển nông thôn": "nong-nghiep", "Khoa học và Công nghệ": "thong-tin",
        "Lao động - Thương binh và Xã hội": "lao-dong", "Giao thông vận tải": "xay-dung",
    }  # fmt: skip
    # a word, not the first letters of one: "và" and "v" are no field
    assert resolve_topic("và") is None and resolve_topic("v") is None and resolve_topic("Kế hoạch và Đầu tư") is None


def test_codes_no_list_holds_are_filed_as_written_and_said(tmp_path: Path) -> None:
    # QA: "y-tee", "khong-ton-tai" and "quyet-dinhh" were filed without a word
    sheet = tmp_path / "ma-rieng.jsonl"
    sheet.write_text(
        '{"id": "a", "title": "Kế hoạch tiêm chủng mở rộng năm 2025", "topic": "y-tee", "doc_type": "ke-hoach"}\n'
        '{"id": "b", "title": "Quyết định thành lập tổ công tác", "topic": "y-tee", "doc_type": "quyet-dinhh"}\n'
        '{"id": "c", "title": "Báo cáo kết quả tiếp công dân", "topic": "noi-vu", "doc_type": "bao-cao"}\n',
        encoding="utf-8",
    )
    with Store.open(tmp_path / "data") as store:
        report = import_paths(store, [sheet], progress=False)
        assert report.inserted == 3 and not report.errors  # nothing lost: an office may have codes of its own
        assert (store.get("a").topic, store.get("b").doc_type) == ("y-tee", "quyet-dinhh")
    said = {(w.field, w.reason.split(" không có")[0]) for w in report.warnings}
    assert said == {("topic", 'lĩnh vực "y-tee"'), ("doc_type", 'loại văn bản "quyet-dinhh"')}
    assert "ở 2 văn bản" in next(w.reason for w in report.warnings if w.field == "topic")
