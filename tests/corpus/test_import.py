"""Importing JSONL, CSV and folders of original files, and the ``vanban import`` command."""

from __future__ import annotations

import json
import shutil
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from corpus.document import LabelSource
from corpus.importer import import_paths
from corpus.store import Store
from service.cli import main


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store.open(tmp_path / "var") as opened:
        yield opened


def _write_jsonl(path: Path, lines: list[object]) -> Path:
    text = "\n".join(
        line if isinstance(line, str) else json.dumps(line, ensure_ascii=False) for line in lines
    )
    path.write_text(text + "\n", encoding="utf-8")
    return path


GOOD_1 = {
    "id": "ct-001",
    "number": "05/CT-UBND",
    "doc_type": "chi-thi",
    "issuer": "Ủy ban nhân dân tỉnh Lào Cai",
    "issued_date": "2023-04-12",
    "title": "Chỉ thị về tăng cường công tác phòng cháy, chữa cháy rừng mùa khô",
    "text": None,
    "topic": "nong-nghiep",
    "status": "Đang hiệu lực",
    "source_url": "https://laocai.gov.vn/van-ban/05-ct-ubnd",
}


@pytest.mark.shared
@pytest.mark.slow
def test_binhduong_imports_whole_and_again_changes_nothing(store: Store, shared_data: Path) -> None:
    path = shared_data / "admin" / "binhduong.jsonl"
    first = import_paths(store, [path], progress=False)
    assert first.to_dict() == {
        "read": 3077,
        "inserted": 3077,
        "updated": 0,
        "unchanged": 0,
        "errors": [],
        "warnings": [],
    }
    assert store.count() == 3077
    second = import_paths(store, [path], progress=False)
    assert second.to_dict() == {
        "read": 3077,
        "inserted": 0,
        "updated": 0,
        "unchanged": 3077,
        "errors": [],
        "warnings": [],
    }
    assert len(store.audit(limit=10_000)) == 3077  # the second run wrote no audit rows

    # Every record is filed as the source gives it: compared with the file itself, read here (no values of it
    # are copied into the project).
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    first_record = records[0]
    doc = store.get(first_record["id"])
    assert (doc.number, doc.doc_type, doc.topic, doc.issued_date.isoformat()) == (
        first_record["number"], first_record["doc_type"], first_record["topic"], first_record["issued_date"],
    )  # fmt: skip
    assert doc.symbol == first_record["number"].split("/", 1)[1]
    # keys the import format does not know are kept in extra, as the source wrote them
    imported = {"id", "number", "doc_type", "issuer", "issued_date", "title", "text", "topic", "status", "source_url"}
    assert doc.extra == {k: v for k, v in first_record.items() if k not in imported}
    assert {(lb.field, lb.source) for lb in store.labels(doc.id)} == {
        ("doc_type", LabelSource.SOURCE),
        ("topic", LabelSource.SOURCE),
    }
    # Numbers typed with an Icelandic eth (Ð) or stray spaces are filed canonically, the print kept aside.
    eth = next(r for r in records if "\u00d0" in (r.get("number") or ""))
    filed = store.get(eth["id"])
    assert filed.number == eth["number"].replace("\u00d0", "Đ") and filed.extra.get("number_raw") == eth["number"]
    spaced = next(r for r in records if " /" in (r.get("number") or ""))
    filed = store.get(spaced["id"])
    assert filed.number == spaced["number"].replace(" /", "/") and filed.extra.get("number_raw") == spaced["number"]


@pytest.mark.shared
def test_sonla_imports_with_signers(store: Store, shared_data: Path) -> None:
    report = import_paths(store, [shared_data / "admin" / "sonla.jsonl"], progress=False)
    assert (report.read, report.inserted, report.errors) == (367, 367, [])
    record = json.loads((shared_data / "admin" / "sonla.jsonl").read_text(encoding="utf-8").splitlines()[0])
    doc = store.get(record["id"])
    assert record["signer"] and (doc.number, doc.signer) == (record["number"], record["signer"])
    assert import_paths(store, [shared_data / "admin" / "sonla.jsonl"], progress=False).unchanged == 367


def test_broken_lines_are_reported_and_good_lines_imported(store: Store, tmp_path: Path) -> None:
    path = _write_jsonl(
        tmp_path / "hong.jsonl",
        [
            GOOD_1,
            '{"id": "ct-002", "title": "Công văn về việc triển khai tiêm chủng mở rộng",',  # 2: cut short
            {"id": "ct-003", "title": "Thông báo lịch tiếp công dân tháng 2", "issued_date": "2022-02-30"},
            {"title": "Kế hoạch tổ chức Hội khỏe Phù Đổng không có mã", "topic": "van-hoa"},  # 4: no id
            "",  # blank lines are not records
            {"id": "ct-005", "title": "Quyết định công bố thủ tục hành chính", "issued_date": "05/03/2022"},
            ["ct-006", "một mảng chứ không phải đối tượng"],  # 7
            {"id": "ct-007", "title": 2023, "issued_date": "2022-13-01"},  # 8: two problems
            {"id": "ct-008", "title": "Báo cáo tình hình kinh tế - xã hội", "issued_date": "12.04.23"},
            {"id": "   ", "title": "Giấy mời họp giao ban"},  # 10: blank id
            {"id": "ct-010", "number": "2719 /QÐ-UBND", "title": "Quyết định phê duyệt quy hoạch"},
            '{"id": "ct-011", "title": "Thông báo kết quả chấm điểm", "diem": NaN}',  # 12: NaN is not JSON
        ],
    )
    report = import_paths(store, [path], progress=False)
    assert (report.read, report.inserted, report.updated, report.unchanged) == (11, 3, 0, 0)
    problems = {(e.line, e.field) for e in report.errors}
    assert problems == {
        (2, None),
        (3, "issued_date"),
        (4, "id"),
        (7, None),
        (8, "title"),
        (8, "issued_date"),
        (9, "issued_date"),
        (10, "id"),
        (12, None),
    }
    reasons = {(e.line, e.field): e.reason for e in report.errors}
    assert "không phải JSON" in reasons[(2, None)]
    assert "không tồn tại" in reasons[(3, "issued_date")]
    assert "không đúng định dạng" in reasons[(9, "issued_date")]
    assert all(e.path == str(path) for e in report.errors)
    assert report.rejected == 8
    assert sorted(store.ids()) == ["ct-001", "ct-005", "ct-010"]
    assert store.get("ct-005").issued_date == date(2022, 3, 5)
    ten = store.get("ct-010")
    assert (ten.number, ten.symbol, ten.extra["number_raw"]) == ("2719/QĐ-UBND", "QĐ-UBND", "2719 /QÐ-UBND")
    as_dict = report.to_dict()
    assert set(as_dict) == {"read", "inserted", "updated", "unchanged", "errors", "warnings"}
    assert set(as_dict["errors"][0]) == {"line", "field", "reason", "path"}
    assert "3 thêm mới" in report.summary()


def test_import_normalises_text_and_keeps_unknown_keys(store: Store, tmp_path: Path) -> None:
    record = dict(GOOD_1, id="nfd-1", nguoi_nhap="chi.vanthu", so_trang=3)
    record["title"] = unicodedata.normalize("NFD", "Chỉ thị về việc hoà giải  ở cơ sở")
    record["recipients"] = ["Sở Tư pháp", unicodedata.normalize("NFD", "UBND các huyện")]
    path = _write_jsonl(tmp_path / "nfd.jsonl", [record])
    assert import_paths(store, [path], progress=False).inserted == 1
    doc = store.get("nfd-1")
    assert doc.title == "Chỉ thị về việc hòa giải ở cơ sở"
    assert doc.recipients == ("Sở Tư pháp", "UBND các huyện")
    assert doc.extra == {"nguoi_nhap": "chi.vanthu", "so_trang": 3}
    # The same record in NFC is the same document: nothing to update.
    record["title"] = "Chỉ thị về việc hòa giải ở cơ sở"
    _write_jsonl(path, [record])
    assert import_paths(store, [path], progress=False).unchanged == 1


def test_duplicate_ids_in_one_file_last_wins(store: Store, tmp_path: Path) -> None:
    path = _write_jsonl(
        tmp_path / "trung.jsonl",
        [GOOD_1, dict(GOOD_1, title="Chỉ thị về phòng cháy, chữa cháy rừng (bản sửa)")],
    )
    report = import_paths(store, [path], progress=False)
    assert (report.read, report.inserted) == (2, 1)
    [error] = report.errors
    assert (error.line, error.field) == (1, "id") and "dòng 2" in error.reason
    assert store.get("ct-001").title == "Chỉ thị về phòng cháy, chữa cháy rừng (bản sửa)"


def test_a_file_not_in_utf8_is_refused_whole(store: Store, tmp_path: Path) -> None:
    good = json.dumps(GOOD_1, ensure_ascii=False)
    bad = json.dumps(dict(GOOD_1, id="ct-002", title="Kế hoạch phát triển du lịch"), ensure_ascii=False)
    path = tmp_path / "cp1258.jsonl"
    path.write_bytes(good.encode("utf-8") + b"\n" + bad.encode("cp1258", errors="replace") + b"\n")
    report = import_paths(store, [path], progress=False)
    assert (report.read, report.inserted, store.count()) == (0, 0, 0)
    [error] = report.errors
    assert error.line == 2 and "UTF-8" in error.reason


def test_csv_with_bom_semicolons_and_multiline_cells(store: Store, tmp_path: Path) -> None:
    rows = [
        "id;number;doc_type;issuer;issued_date;title;topic;recipients;ghi_chu",
        'cv-1;"4512/UBND-VX";cong-van;UBND tỉnh Sông Mây;14/03/2023;"Về việc tổ chức tiêm chủng mở rộng,\n'
        'đợt tháng 4";y-te;"Sở Y tế; Sở Giáo dục và Đào tạo";nhập tay',
        "cv-2;19/Ctr-UBND;Chương trình;UBND tỉnh Sơn La;2025-01-15;Chương trình công tác năm 2025;noi-vu;;",
        "cv-3;;cong-van;;2022-02-29;Công văn ngày không tồn tại;tu-phap;;",
        "cv-4;;Giấy khen;;;Loại văn bản không có trong danh mục;noi-vu;;",
    ]
    path = tmp_path / "van_ban.csv"
    path.write_bytes("\ufeff".encode() + "\r\n".join(rows).encode("utf-8") + b"\r\n")
    report = import_paths(store, [path], progress=False)
    assert (report.read, report.inserted) == (4, 2)
    assert {(e.line, e.field) for e in report.errors} == {(5, "issued_date"), (6, "doc_type")}
    one = store.get("cv-1")
    assert one.issued_date == date(2023, 3, 14)
    assert one.title == "Về việc tổ chức tiêm chủng mở rộng,\nđợt tháng 4".replace("\n", " ")
    assert one.recipients == ("Sở Y tế", "Sở Giáo dục và Đào tạo")
    assert one.extra == {"ghi_chu": "nhập tay"}
    two = store.get("cv-2")
    assert (two.number, two.doc_type) == ("19/CTr-UBND", "chuong-trinh")
    assert import_paths(store, [path], progress=False).unchanged == 2


def test_csv_without_id_column_is_refused(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "thieu_id.csv"
    path.write_text("so_hieu,trich_yeu\n12/UBND-VX,Về việc tiêm chủng\n", encoding="utf-8")
    report = import_paths(store, [path], progress=False)
    assert report.read == 0 and "thiếu cột id" in report.errors[0].reason


def test_a_clerks_correction_survives_reimport(store: Store, tmp_path: Path) -> None:
    path = _write_jsonl(tmp_path / "a.jsonl", [GOOD_1])
    import_paths(store, [path], progress=False)
    store.set_label("ct-001", "topic", "an-ninh", source=LabelSource.HUMAN, actor="chuyên viên")
    report = import_paths(store, [path], progress=False)
    assert report.unchanged == 1
    assert store.get("ct-001").topic == "an-ninh"


# Uses nlp.extract (extract_file) and nlp.header (parse_header), written alongside this importer.
@pytest.mark.shared
def test_folder_of_original_files(store: Store, tmp_path: Path, fixtures_dir: Path) -> None:
    folder = tmp_path / "van_ban_den"
    (folder / "2024").mkdir(parents=True)
    shutil.copy(fixtures_dir / "lcsct_0040__quyet_dinh_ubnd_uy_quyen.docx", folder / "2024")
    shutil.copy(fixtures_dir / "lcsct_0146__cong_van_ubnd_tinh_txt_layout.txt", folder)
    shutil.copy(fixtures_dir / "scan_no_text_layer_4p.pdf", folder)
    (folder / ".DS_Store").write_bytes(b"\x00")  # hidden: ignored
    report = import_paths(store, [folder], progress=False)
    assert (report.read, report.inserted) == (3, 2)
    [error] = report.errors
    assert error.path and error.path.endswith("scan_no_text_layer_4p.pdf") and "OCR" in error.reason
    docs = list(store.iter_documents())
    assert all(d.id.startswith("f-") and d.text for d in docs)
    decision = next(
        d for d in docs if d.extra["relative_path"] == "2024/lcsct_0040__quyet_dinh_ubnd_uy_quyen.docx"
    )
    assert decision.doc_type == "quyet-dinh" and decision.issuer
    assert {lb.source for lb in store.labels(decision.id)} == {LabelSource.HEADER}
    stored = store.get_file(decision.id)
    assert stored is not None
    assert stored.data == (folder / "2024" / "lcsct_0040__quyet_dinh_ubnd_uy_quyen.docx").read_bytes()
    again = import_paths(store, [folder], progress=False)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 2)
    assert not [w for w in again.warnings if "cùng nội dung" in w.reason]  # the same tree: nothing to say


def test_a_folder_imported_again_from_another_root_points_out_the_twins(
    store: Store, tmp_path: Path, fixtures_dir: Path
) -> None:
    archive = tmp_path / "luu_tru"
    folder = archive / "2026"
    folder.mkdir(parents=True)
    shutil.copy(fixtures_dir / "lcsct_0146__cong_van_ubnd_tinh_txt_layout.txt", folder)
    first = import_paths(store, [folder], progress=False)
    [original] = list(store.iter_documents())
    # the parent folder: the file's path is now "2026/…", a new document with the very same bytes
    second = import_paths(store, [archive], progress=False)
    assert second.inserted == 1 and first.inserted == 1
    [twin_warning] = [w for w in second.warnings if "cùng nội dung" in w.reason]
    assert original.id in twin_warning.reason and twin_warning.path.endswith(".txt")
    assert "xóa bản thừa" in twin_warning.reason
    sha = original.extra["sha256"]
    assert {d.id for d in store.documents_with_file(sha)} == {d.id for d in store.iter_documents()}
    assert store.documents_with_file("0" * 64) == []


def test_cli_import_json_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write_jsonl(tmp_path / "cli.jsonl", [GOOD_1, "không phải json"])
    argv = ["--data-dir", str(tmp_path / "var"), "import", str(path), "--json", "--quiet"]
    assert main(argv) == 0
    out = capsys.readouterr().out.strip().splitlines()
    report = json.loads(out[-1])
    assert {k: report[k] for k in ("read", "inserted", "updated", "unchanged")} == {
        "read": 2,
        "inserted": 1,
        "updated": 0,
        "unchanged": 0,
    }
    assert [(e["line"], e["field"]) for e in report["errors"]] == [(2, None)]
    assert main(argv) == 0
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["unchanged"] == 1
    with Store.open(tmp_path / "var") as store:
        assert store.get("ct-001").title == GOOD_1["title"]


def test_cli_human_summary_and_failures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write_jsonl(tmp_path / "ok.jsonl", [GOOD_1])
    assert main(["--data-dir", str(tmp_path / "var"), "import", str(path), "--quiet"]) == 0
    assert capsys.readouterr().out == ""
    assert main(["--data-dir", str(tmp_path / "var"), "import", str(path)]) == 0
    assert "1 không đổi" in capsys.readouterr().out
    # A missing path: nothing imported, non-zero exit.
    missing = tmp_path / "khong_co.jsonl"
    assert main(["--data-dir", str(tmp_path / "var"), "import", str(path), str(missing)]) == 2
    assert "không tìm thấy" in capsys.readouterr().err
    # Nothing readable (wrong encoding): the report is printed and the exit code says so.
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes('{"id": "x", "title": "Thông báo"}\n'.encode("utf-16"))
    assert main(["--data-dir", str(tmp_path / "var"), "import", str(latin), "--json"]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out.strip().splitlines()[-1])["read"] == 0
    assert "UTF-16" in captured.err


def test_records_exported_from_a_legacy_font_system_are_converted(store: Store, tmp_path: Path) -> None:
    # an export of a pre-Unicode database: the summary and the issuer typed with .VnTime (TCVN3)
    path = _write_jsonl(tmp_path / "cu.jsonl", [
        {"id": "cu-1", "number": "27/KH-UBND", "issuer": "Uû ban nh©n d©n tØnh S«ng M©y",
         "title": "KÕ ho¹ch phßng, chèng dÞch cóm gia cÇm trªn ®Þa bµn tØnh n¨m 2006"},
        {"id": "moi-1", "number": "28/KH-UBND", "title": "Kế hoạch tiêm chủng mở rộng năm 2026 © Sở Y tế"},
    ])  # fmt: skip
    report = import_paths(store, [path], progress=False)
    assert report.inserted == 2 and not report.errors
    old = store.get("cu-1")
    assert old.title == "Kế hoạch phòng, chống dịch cúm gia cầm trên địa bàn tỉnh năm 2006"
    assert old.issuer == "Ủy ban nhân dân tỉnh Sông Mây"
    assert old.extra["legacy_font"] == {"issuer": "TCVN3", "title": "TCVN3"}
    new = store.get("moi-1")
    assert new.title == "Kế hoạch tiêm chủng mở rộng năm 2026 © Sở Y tế" and "legacy_font" not in new.extra


def test_dates_in_every_form_the_product_reads_are_imported(store: Store, tmp_path: Path) -> None:
    # QA: a whole record was refused over "12-07-2022", which search and the correction form read
    forms = ["12-07-2022", "12.07.2022", "2022/07/12", "2022-07-12T00:00:00", "ngày 12 tháng 7 năm 2022", "12/7/2022"]
    path = _write_jsonl(tmp_path / "ngay.jsonl", [
        {"id": f"tb-{k}", "title": "Thông báo lịch tiếp công dân định kỳ tháng 7", "issued_date": form}
        for k, form in enumerate(forms)
    ])  # fmt: skip
    report = import_paths(store, [path], progress=False)
    assert report.inserted == len(forms) and not report.errors
    assert {store.get(f"tb-{k}").issued_date for k in range(len(forms))} == {date(2022, 7, 12)}


def test_a_text_over_the_upload_limit_is_refused_as_an_upload_is(store: Store, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("corpus.import_rows.MAX_TEXT_CHARS", 2_000)  # 3 million characters by default
    body = "Điều 1. Giao Sở Y tế chủ trì, phối hợp với các sở, ngành triển khai kế hoạch. " * 40
    path = _write_jsonl(tmp_path / "dai.jsonl", [
        {"id": "kh-dai", "title": "Kế hoạch phòng, chống dịch bệnh", "text": body},
        {"id": "kh-ngan", "title": "Kế hoạch phòng, chống dịch bệnh đợt 2", "text": body[:1_000]},
    ])  # fmt: skip
    report = import_paths(store, [path], progress=False)
    assert report.inserted == 1 and [(e.line, e.field) for e in report.errors] == [(1, "text")]
    assert f"nội dung dài {len(body):,} ký tự, quá giới hạn 2.000 ký tự".replace(",", ".", 1) in report.errors[0].reason


def test_an_id_repeated_by_a_later_file_of_the_same_run_is_said(store: Store, tmp_path: Path) -> None:
    # QA: f1 and f2 both held tb-1; the run said "inserted 1, updated 1" and nothing else
    first = _write_jsonl(tmp_path / "f1.jsonl", [
        {"id": "tb-1", "title": "Thông báo lịch tiếp công dân tháng 7"},
        {"id": "tb-2", "title": "Thông báo lịch tiếp công dân tháng 8"},
    ])  # fmt: skip
    second = _write_jsonl(tmp_path / "f2.jsonl", [{"id": "tb-1", "title": "Thông báo lịch tiếp công dân tháng 7 (sửa)"}])
    report = import_paths(store, [first, second], progress=False)
    assert (report.inserted, report.updated, report.errors) == (2, 1, [])
    (warning,) = report.warnings
    assert warning.path == str(second) and warning.field == "id"
    assert warning.reason.startswith(f"1 mã đã có ở tệp {first} trong cùng lần nhập (tb-1)")
    assert store.get("tb-1").title.endswith("(sửa)")
    # one file read again alone says nothing
    assert import_paths(store, [second], progress=False).warnings == []


def test_an_id_given_three_times_is_filed_from_its_last_valid_record(store: Store, tmp_path: Path) -> None:
    # the file is stored as it is read, batch by batch: a first pass over its ids tells which line decides
    path = _write_jsonl(tmp_path / "lap.jsonl", [
        {"id": "tb-1", "title": "Thông báo lịch tiếp công dân (bản 1)"},
        {"id": "tb-2", "title": "Thông báo kết quả tuyển dụng viên chức"},
        {"id": "tb-1", "title": "Thông báo lịch tiếp công dân (bản 2)"},
        {"id": "tb-1", "title": "Thông báo lịch tiếp công dân (bản 3)", "issued_date": "2024-02-30"},  # not valid
    ])  # fmt: skip
    report = import_paths(store, [path], progress=False)
    assert store.get("tb-1").title.endswith("(bản 2)") and report.inserted == 2
    assert sorted((e.line, e.field) for e in report.errors) == [(1, "id"), (4, "issued_date")]
    assert report.stored_ids == ["tb-2", "tb-1"]
