"""The analyser's per-token caches and line fast path give exactly what the plain computation gives.

The reference functions below are the analyser's assembly as it was before the caches (fold every syllable,
run the number and date finders on every line): any difference in output is a bug in the fast path.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import nlp.analyzer as analyzer
from nlp.analyzer import Analysis, analyze, analyze_batch
from nlp.normalize import fold, normalize
from nlp.numbers import find_dates, find_numbers, parse_number
from nlp.segment import segment_batch

DEMO = Path(__file__).resolve().parents[2] / "corpus" / "demo" / "documents.jsonl"
TRICKY = [
    "",
    "   ",
    "V/v tăng cường; v/V khác; AV/VN không giữ",
    "Số: 12/QÐ-UBND ngày 3/2/2024, 10h30 họp; covid-19, h5n1, 5d",
    "Quyết định 49/2015/QĐ-TTg ngày 14/10/2015 và 161-TB/TU, QCVN 01:2019/BYT",
    "— … !! ?? ---",
    "Ðắk\u200b Lắk  hoà thuỷ khoẻ",
    "٣/٤/٢٠٢٢ chữ số Ả Rập; １２/７/２０２２ toàn khổ",
    "ngày 12 tháng 7 năm 2022 giữ nguyên là chữ",
    "TIẾNG VIỆT IN HOA VÀ Tiếng Việt thường",
]


def _demo_texts() -> list[str]:
    texts: list[str] = []
    for line in DEMO.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        texts += [record.get("title") or "", record.get("text") or ""]
    return texts


def _reference_split_line(line: str) -> list[tuple[str, str | None, str]]:
    found: list[tuple[int, int, str, str]] = []
    for span in find_numbers(line):
        parsed = parse_number(span.text)
        canonical = parsed.number if parsed and parsed.number else re.sub(r"\s+", "", span.text)
        found.append((span.start, span.end, canonical, "number"))
    for span in find_dates(line):
        if span.text[:1].isdigit():
            found.append((span.start, span.end, re.sub(r"\s+", "", span.text), "date"))
    for m in re.finditer(r"(?<!\w)[Vv]/[Vv](?!\w)", line):
        found.append((m.start(), m.end(), "V/v", "keep"))
    found.sort()
    pieces: list[tuple[str, str | None, str]] = []
    cursor = 0
    for start, end, canonical, kind in found:
        if start < cursor:
            continue
        if start > cursor:
            pieces.append((line[cursor:start], None, ""))
        pieces.append((line[start:end], canonical, kind))
        cursor = end
    if cursor < len(line):
        pieces.append((line[cursor:], None, ""))
    return pieces


def _reference_analyze(text: str) -> Analysis:
    normalized = normalize(text)
    pieces = [p for line in normalized.split("\n") if line.strip() for p in _reference_split_line(line)]
    runs = [p[0] for p in pieces if p[1] is None]
    segmented = dict(zip(runs, segment_batch(runs, workers=1), strict=True))
    words: list[str] = []
    syllables: list[str] = []
    numbers: list[str] = []
    dates: list[str] = []
    for piece_text, protected, kind in pieces:
        if protected is not None:
            words.append(protected)
            syllables.append(protected)
            (numbers if kind == "number" else dates if kind == "date" else []).append(protected)
            continue
        for token in segmented[piece_text]:
            if re.search(r"\w", token):
                words.append(token.lower().replace(" ", "_"))
                syllables.extend(s for s in token.lower().split(" ") if s)
    return Analysis(normalized, words, syllables, [fold(s) for s in syllables], numbers, dates)


@pytest.mark.parametrize("line", [line for text in TRICKY for line in text.split("\n")])
def test_line_fast_path_matches_running_every_finder(line: str) -> None:
    line = normalize(line)
    assert [tuple(p) for p in analyzer._split_line(line)] == _reference_split_line(line)


def test_batch_matches_the_uncached_computation_cold_and_warm() -> None:
    texts = TRICKY + _demo_texts()
    expected = [_reference_analyze(t) for t in texts]
    analyzer._token_forms.cache_clear()
    analyzer._fold.cache_clear()
    assert analyze_batch(texts, workers=1) == expected  # cold caches
    assert analyze_batch(texts, workers=1) == expected  # every token now comes from the caches
    assert [analyze(t) for t in TRICKY] == expected[: len(TRICKY)]


def test_cached_lists_are_not_shared_between_analyses() -> None:
    first, second = analyze_batch(["kế hoạch phòng chống dịch", "kế hoạch phòng chống dịch"], workers=1)
    first.words.append("x")
    first.folded.append("x")
    assert second.words == ["kế_hoạch", "phòng_chống", "dịch"]
    assert analyze("kế hoạch phòng chống dịch").folded == ["ke", "hoach", "phong", "chong", "dich"]
