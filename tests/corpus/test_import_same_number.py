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
