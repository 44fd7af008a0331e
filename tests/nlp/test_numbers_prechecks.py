"""The number and date finders skip patterns that cannot match a text (substring and hint pre-checks):
they must find exactly what running every pattern on every text finds."""

from __future__ import annotations

import json
import random
import re
from datetime import date
from pathlib import Path

import pytest

import nlp.numbers as numbers
from nlp.normalize import normalize

_CASES = [
    "Kế hoạch số 139/KH-UBND ngày 12/7/2022 của UBND tỉnh Đắk Lắk",
    "NGHỊ ĐỊNH SỐ 147/2018/NĐ-CP NGÀY 24 THÁNG 10 NĂM 2018 CỦA CHÍNH PHỦ",
    "Hà Nội, Ngày 3 Tháng 02 năm 1999; hiệu lực từ 4.5.2001 đến 12 - 3 - 2020",
    "áp dụng QCVN 01:2009/BYT và TCVN 5:2000 (tcvn 7:2001 viết thường không tính)",
    "thực hiện Thông báo số 161-TB/TU ngày 2-3-2024, Công văn 1906 /QĐ-UBND",
    "Nghị định số 145/2020/NĐ CP; 22/QĐ-TT HĐND; 139/QĐ-BYT QCVN 01:2009/BYT; Pb(C2H5)4/Pb(CH3)4",
    "ngày 31/2/2022 không có thật, ngày 29/2/2024 có thật; 5/ 2021; 20/11/1982-20/11/2014",
    "Sáng 3-2, tại Hội trường TP; từ 1-1 - 2005; lúc 10h30 ngày 21-2-2006",
    "không có chữ số nào ở đây, chỉ có tháng và năm",
    "",
]


def _reference_numbers(text: str) -> list[tuple[str, int, int]]:
    spans: list[numbers.Span] = []
    for pattern in (numbers._QCVN_IN_TEXT, numbers._PARTY_IN_TEXT, numbers._NUMBER_IN_TEXT):
        for m in pattern.finditer(text):
            if any(s.start < m.end() and m.start() < s.end for s in spans):
                continue
            if pattern is numbers._NUMBER_IN_TEXT and not (
                numbers._plausible_symbol(m["symbol"]) and numbers._plausible_dash_year(text, m)
            ):
                continue
            end = m.end()
            while pattern is numbers._NUMBER_IN_TEXT and (more := numbers._SPACED_CODES.match(text, end)):
                if any(s.start < more.end() and end < s.end for s in spans) or not numbers._is_code_group(more[1]):
                    break
                end = more.end()
            spans.append(numbers.Span(text[m.start() : end], m.start(), end))
    spans.sort(key=lambda s: s.start)  # as the finders order them
    return [(s.text, s.start, s.end) for s in spans]


def _reference_dates(text: str) -> list[tuple[str, int, int]]:
    spans: list[numbers.Span] = []
    for pattern in (numbers._DATE_WORDS, numbers._DATE_NUMERIC):
        for m in pattern.finditer(text):
            if any(s.start < m.end() and m.start() < s.end for s in spans):
                continue
            try:
                date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
            except ValueError:
                continue
            spans.append(numbers.Span(m.group(0), m.start(), m.end()))
    spans.sort(key=lambda s: s.start)  # as the finders order them
    return [(s.text, s.start, s.end) for s in spans]


def _assert_same(text: str) -> None:
    assert [(s.text, s.start, s.end) for s in numbers.find_numbers(text)] == _reference_numbers(text), text
    assert [(s.text, s.start, s.end) for s in numbers.find_dates(text)] == _reference_dates(text), text


@pytest.mark.parametrize("text", _CASES)
def test_crafted_lines_find_what_every_pattern_finds(text: str) -> None:
    _assert_same(text)


def test_real_lines_and_cuts_of_them_find_what_every_pattern_finds(shared_data: Path) -> None:
    lines: list[str] = []
    for name in ("sonla.jsonl", "binhduong.jsonl"):
        for raw in (shared_data / "admin" / name).read_text(encoding="utf-8").splitlines()[:400]:
            record = json.loads(raw)
            for value in (record.get("title"), record.get("text"), record.get("number")):
                if isinstance(value, str):
                    lines += [line for line in normalize(value).split("\n") if re.search(r"\d", line)]
    assert len(lines) > 500
    rng = random.Random(11)
    cuts = []
    for _ in range(3000):  # pieces starting and ending anywhere, inside numbers and dates too
        line = rng.choice(lines)
        i = rng.randrange(len(line) + 1)
        cuts.append(line[max(0, i - rng.randint(0, 40)) : i + rng.randint(0, 40)])
    found = 0
    for text in lines + cuts:
        _assert_same(text)
        found += bool(numbers.find_numbers(text) or numbers.find_dates(text))
    assert found > 300  # the check compared real finds, not only empty lists
