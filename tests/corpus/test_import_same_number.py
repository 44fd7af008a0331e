"""A folder import says when a file carries the number of a document of the same issuer already filed."""

from __future__ import annotations

from pathlib import Path

from corpus.importer import import_paths
from corpus.store import Store

HEADER = ("ỦY BAN NHÂN DÂN\nTỈNH SÔNG MÂY\n-------\nSố: 206/KH-UBND\nSông Mây, ngày 4 tháng 6 năm 2025\n\n"
          "KẾ HOẠCH\nPhòng, chống thiên tai năm 2025\n\n")  # fmt: skip


def test_a_second_file_of_one_number_and_issuer_is_pointed_out(tmp_path: Path) -> None:
    folder = tmp_path / "den"
    folder.mkdir()
    (folder / "ban-dien-tu.txt").write_text(HEADER + "I. MỤC ĐÍCH, YÊU CẦU\nChủ động phòng, chống thiên tai.\n",
                                            encoding="utf-8")  # fmt: skip
    (folder / "ban-du-thao.txt").write_text(HEADER + "I. MỤC ĐÍCH\nDự thảo lấy ý kiến các sở, ngành.\n",
                                            encoding="utf-8")  # fmt: skip
    # a plan of another issuer with the same number is no duplicate
    (folder / "huyen.txt").write_text(HEADER.replace("TỈNH SÔNG MÂY", "HUYỆN BẾN ĐÒ") + "Nội dung của huyện.\n",
                                      encoding="utf-8")  # fmt: skip
    with Store.open(tmp_path / "data") as store:
        report = import_paths(store, [folder], progress=False)
        assert report.inserted == 3
        warnings = [w for w in report.warnings if w.field == "number"]
        assert len(warnings) == 1 and "206/KH-UBND" in warnings[0].reason and "bản thừa" in warnings[0].reason
        assert (warnings[0].path or "").endswith("ban-du-thao.txt")
        again = import_paths(store, [folder], progress=False)  # again: the pair is still pointed out
        assert again.unchanged == 3 and len([w for w in again.warnings if w.field == "number"]) == 2


def test_the_national_motto_filed_as_an_issuer_is_left_out_and_said(tmp_path: Path) -> None:
    """QA (2026-11-30): a legal portal's 24 records named "CỘNG HÒA XÃ HỘI CHỦ NGHĨA Việt Nam Độc lập…" as their
    issuer, which then headed the issuer facet; a text's own header gives the real issuer."""
    import json

    motto = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc"
    records = [
        {"id": "luat-dien-luc", "number": "28/2004/QH11", "issuer": motto, "title": "ĐIỆN LỰC"},
        {"id": "kh-206", "issuer": motto, "title": "Phòng, chống thiên tai năm 2025",
         "text": HEADER + "I. MỤC ĐÍCH, YÊU CẦU\nChủ động phòng, chống thiên tai.\n"},
        {"id": "luat-cong-doan", "number": "12/2012/QH13", "issuer": "Quốc hội", "title": "CÔNG ĐOÀN"},
    ]  # fmt: skip
    source = tmp_path / "phap-luat.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    with Store.open(tmp_path / "data") as store:
        report = import_paths(store, [source], progress=False)
        assert report.inserted == 3
        (warning,) = [w for w in report.warnings if w.field == "issuer"]
        assert "Quốc hiệu" in warning.reason and "ở 2 văn bản" in warning.reason
        assert store.get("luat-dien-luc").issuer is None
        assert store.get("luat-dien-luc").extra["issuer_was_motto"] == motto  # kept as printed
        assert store.get("kh-206").issuer == "Ủy ban nhân dân tỉnh Sông Mây"  # read from the text's header
        assert store.get("luat-cong-doan").issuer == "Quốc hội"


def test_the_motto_is_recognised_however_it_is_spaced_or_shortened() -> None:
    from corpus.import_rows import is_national_motto

    for value in ("CỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM", "CỘNG  HÒA XÃ HỘI CHỦ  NGHĨA VIỆT NAM", "CHXHCN Việt Nam",
                  "Độc lập - Tự do - Hạnh phúc", "cong hoa xa hoi chu nghia viet nam", "C.H.X.H.C.N Việt Nam",
                  "NƯỚC CỘNG HÒA XHCN VIỆT NAM", "Cộng hòa XHCN Việt Nam",
                  "SOCIALIST REPUBLIC OF VIET NAM Independence - Freedom - Happiness"):  # fmt: skip
        assert is_national_motto(value), value
    for value in ("Quốc hội", "Ủy ban nhân dân tỉnh Sông Mây", "Hội Cựu chiến binh", "Chủ tịch nước", None, ""):
        assert not is_national_motto(value), value
