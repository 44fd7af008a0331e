"""Document numbers, dates and references, including the malformed numbers of real portals."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from nlp.abbreviations import abbreviate, canonical_abbreviation, doc_type_from_code, expand
from nlp.numbers import find_dates, find_numbers, find_references, number_key, parse_date, parse_number


@pytest.mark.parametrize(
    ("raw", "number", "type_code", "bodies", "doc_type"),
    [
        ("139/KH-UBND", "139/KH-UBND", "KH", ("UBND",), "ke-hoach"),
        ("Số: 49/2015/QĐ-TTg", "49/2015/QĐ-TTg", "QĐ", ("TTg",), "quyet-dinh"),
        # a lower-cased summary or a title in capitals: the Prime Minister's code as printed (TTg)
        ("49/2015/qđ-ttg", "49/2015/QĐ-TTg", "QĐ", ("TTg",), "quyet-dinh"),
        ("18/CT-TTG", "18/CT-TTg", "CT", ("TTg",), "chi-thi"),
        ("2403/QÐ-UBND", "2403/QĐ-UBND", "QĐ", ("UBND",), "quyet-dinh"),  # Icelandic eth
        ("1906 /QĐ-UBND", "1906/QĐ-UBND", "QĐ", ("UBND",), "quyet-dinh"),
        ("1830 QĐ-UBND", "1830/QĐ-UBND", "QĐ", ("UBND",), "quyet-dinh"),  # missing slash
        ("109/UBND - VX", "109/UBND-VX", None, ("UBND", "VX"), "cong-van"),
        ("157/TB_UBND", "157/TB-UBND", "TB", ("UBND",), "thong-bao"),
        ("19/Ctr-UBND", "19/CTr-UBND", "CTr", ("UBND",), "chuong-trinh"),
        ("26/KH-BCĐ (138)", "26/KH-BCĐ", "KH", ("BCĐ",), "ke-hoach"),
        ("161-TB/TU", "161-TB/TU", "TB", ("TU",), "thong-bao"),
        ("08/CT-UBND", "08/CT-UBND", "CT", ("UBND",), "chi-thi"),
        ("3637/UBND-VX", "3637/UBND-VX", None, ("UBND", "VX"), "cong-van"),
        ("06/2007/QH12", "06/2007/QH12", None, ("QH12",), None),
        ("QCVN 02:2019/BLĐTBXH", "QCVN 02:2019/BLĐTBXH", None, ("BLĐTBXH",), "quy-chuan"),
    ],
)
def test_parse_number(raw: str, number: str, type_code: str | None, bodies: tuple, doc_type: str | None) -> None:
    parsed = parse_number(raw)
    assert parsed is not None
    assert (parsed.number, parsed.type_code, parsed.body_codes, parsed.doc_type) == (
        number,
        type_code,
        bodies,
        doc_type,
    )


def test_blank_number_in_a_draft_keeps_the_symbol() -> None:
    parsed = parse_number("Số:      /KH-SCT")
    assert parsed is not None
    assert parsed.number is None and parsed.symbol == "KH-SCT" and parsed.doc_type == "ke-hoach"


@pytest.mark.parametrize("raw", ["", "   ", "không có số", "12/7/2022", "3/4"])
def test_not_a_number(raw: str) -> None:
    assert parse_number(raw) is None


def test_number_key_ignores_case_spaces_and_diacritics() -> None:
    assert number_key("139/kh - ubnd") == number_key("139/KH-UBND") == "139/KH-UBND"
    assert number_key("49/2015/qd-ttg") == number_key("49/2015/QĐ-TTg")


def test_type_codes_and_abbreviations() -> None:
    assert doc_type_from_code("KH") == "ke-hoach"
    assert doc_type_from_code("qđ") == "quyet-dinh"
    assert doc_type_from_code("QD") == "quyet-dinh"
    assert doc_type_from_code("TTr") == "to-trinh"
    assert doc_type_from_code("UBND") is None
    assert expand("ubnd") == ("ủy ban nhân dân",)
    assert "HĐND" in abbreviate("Hội đồng nhân dân")
    assert canonical_abbreviation("hdnd") == "HĐND"


def test_find_numbers_and_references_in_running_text() -> None:
    text = (
        "Thực hiện Quyết định số 49/2015/QĐ-TTg ngày 14/10/2015 của Thủ tướng Chính phủ và "
        "Kế hoạch số 139/KH-UBND ngày 12/7/2022 của UBND tỉnh; tỷ lệ đạt 3/4 chỉ tiêu."
    )
    assert [s.text for s in find_numbers(text)] == ["49/2015/QĐ-TTg", "139/KH-UBND"]
    refs = find_references(text)
    assert [(r.number.number, r.doc_type, r.issued_date, r.issuer_text) for r in refs] == [
        ("49/2015/QĐ-TTg", "quyet-dinh", date(2015, 10, 14), "Thủ tướng Chính phủ"),
        ("139/KH-UBND", "ke-hoach", date(2022, 7, 12), "UBND tỉnh"),
    ]


def test_dates() -> None:
    assert parse_date("Lào Cai, ngày 05 tháng 3 năm 2025") == date(2025, 3, 5)
    assert parse_date("hạn chót 30/02/2024, gia hạn 1/3/2024") == date(2024, 3, 1)
    assert [s.text for s in find_dates("từ 12/7/2022 đến 31-12-2022")] == ["12/7/2022", "31-12-2022"]


@pytest.mark.shared
def test_portal_numbers_agree_with_portal_doc_types(shared_data: Path) -> None:
    """On the two provincial portals, the parsed type agrees with the portal's type almost always."""
    total = agree = 0
    for name in ("binhduong.jsonl", "sonla.jsonl"):
        with open(shared_data / "admin" / name, encoding="utf-8") as handle:
            for line in handle:
                row = json.loads(line)
                if not row["number"] or not row["doc_type"]:
                    continue
                total += 1
                parsed = parse_number(row["number"])
                agree += parsed is not None and parsed.doc_type == row["doc_type"]
    assert total > 3000
    assert agree / total > 0.997
