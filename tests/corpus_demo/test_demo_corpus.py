"""Checks of the shipped demo corpus (corpus/demo/documents.jsonl).

These tests need nothing outside the repository: the topic codes and the type-code table are written out
here on purpose, so the demo corpus can be validated where ../shared/data is absent.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from corpus.demo import demo_corpus_path
from nlp.normalize import normalize

TOPICS = frozenset(
    {
        "dat-dai",
        "nong-nghiep",
        "xay-dung",
        "kinh-te",
        "tai-chinh",
        "y-te",
        "giao-duc",
        "lao-dong",
        "van-hoa",
        "noi-vu",
        "cai-cach-hanh-chinh",
        "tu-phap",
        "an-ninh",
        "thong-tin",
    }
)
STATUSES = frozenset({"Còn hiệu lực", "Hết hiệu lực", "Chưa có hiệu lực"})
REQUIRED = (
    "id",
    "number",
    "doc_type",
    "issuer",
    "issued_date",
    "title",
    "text",
    "topic",
    "status",
    "signer",
    "place",
)
OPTIONAL = frozenset({"parent"})

# Type code (first part of the symbol, Decree 30/2020 appendix) -> slug, for the codes the demo uses.
# A symbol whose first part is not a type code ("UBND-KT", "SYT-NVY", "CAT-PC07") is a công văn.
TYPE_CODES = {
    "QĐ": "quyet-dinh",
    "CT": "chi-thi",
    "KH": "ke-hoach",
    "TB": "thong-bao",
    "NQ": "nghi-quyet",
    "BC": "bao-cao",
    "TTr": "to-trinh",
    "GM": "giay-moi",
    "CĐ": "cong-dien",
    "HD": "huong-dan",
    "CTr": "chuong-trinh",
    "QC": "quy-che",
}
# The heading line printed under the date for each type (công văn has none: it has a "V/v" line).
TYPE_HEADINGS = {
    "quyet-dinh": "QUYẾT ĐỊNH",
    "chi-thi": "CHỈ THỊ",
    "ke-hoach": "KẾ HOẠCH",
    "thong-bao": "THÔNG BÁO",
    "nghi-quyet": "NGHỊ QUYẾT",
    "bao-cao": "BÁO CÁO",
    "to-trinh": "TỜ TRÌNH",
    "giay-moi": "GIẤY MỜI",
    "cong-dien": "CÔNG ĐIỆN",
    "huong-dan": "HƯỚNG DẪN",
    "chuong-trinh": "CHƯƠNG TRÌNH",
    "quy-che": "QUY CHẾ",
}

NUMBER_RE = re.compile(r"^(?P<seq>\d+)(?:/(?P<year>\d{4}))?/(?P<symbol>[^\s/]+)$")
DATE_LINE_RE = re.compile(r"^(?P<place>[^,\n]+), ngày (\d{2}) tháng (\d{1,2}) năm (\d{4})$", re.MULTILINE)
# "… số 72/KH-UBND ngày 20/3/2025 …": a citation of a numbered document with its date.
CITATION_RE = re.compile(r"(\d+(?:/\d{4})?/[^\s/,;.()]+)\s+ngày\s+(\d{1,2})/(\d{1,2})/(\d{4})")


def _expected_doc_type(number: str) -> str:
    match = NUMBER_RE.match(number)
    assert match is not None, number
    first = match.group("symbol").split("-")[0]
    return TYPE_CODES.get(first, "cong-van")


@pytest.fixture(scope="module")
def records() -> list[dict[str, Any]]:
    path = demo_corpus_path()
    out = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        assert line.strip(), f"blank line {lineno} in {path}"
        record = json.loads(line)
        assert isinstance(record, dict), f"line {lineno} is not a JSON object"
        out.append(record)
    return out


def test_demo_corpus_path_points_into_the_package() -> None:
    path = demo_corpus_path()
    assert path.is_file()
    assert path.parent == Path(__file__).resolve().parents[2] / "corpus" / "demo"
    assert (path.parent / "README.md").is_file()


def test_size_and_unique_ids(records: list[dict[str, Any]]) -> None:
    assert 60 <= len(records) <= 100
    ids = [r.get("id") for r in records]
    assert len(set(ids)) == len(ids), [i for i, n in Counter(ids).items() if n > 1]
    assert all(isinstance(i, str) and re.fullmatch(r"demo-\d{3}", i) for i in ids)


def test_required_keys_are_non_empty_strings(records: list[dict[str, Any]]) -> None:
    bad = []
    for r in records:
        for key in REQUIRED:
            if not isinstance(r.get(key), str) or not r[key].strip():
                bad.append((r.get("id"), key))
        unknown = set(r) - set(REQUIRED) - OPTIONAL
        if unknown:
            bad.append((r.get("id"), sorted(unknown)))
    assert not bad


def test_dates_are_iso_and_in_range(records: list[dict[str, Any]]) -> None:
    for r in records:
        issued = date.fromisoformat(r["issued_date"])  # raises on a malformed date
        assert r["issued_date"] == issued.isoformat(), r["id"]
        assert date(2023, 1, 1) <= issued <= date(2026, 12, 31), r["id"]


def test_every_topic_is_known_and_covered(records: list[dict[str, Any]]) -> None:
    counts = Counter(r["topic"] for r in records)
    assert set(counts) <= TOPICS, set(counts) - TOPICS
    missing = {t: counts.get(t, 0) for t in TOPICS if counts.get(t, 0) < 4}
    assert not missing, f"topics with fewer than 4 documents: {missing}"


def test_common_types_are_represented(records: list[dict[str, Any]]) -> None:
    counts = Counter(r["doc_type"] for r in records)
    for slug, minimum in {
        "quyet-dinh": 15,
        "cong-van": 15,
        "ke-hoach": 10,
        "thong-bao": 6,
        "chi-thi": 4,
    }.items():
        assert counts[slug] >= minimum, (slug, counts[slug])
    for slug in ("nghi-quyet", "bao-cao", "to-trinh", "giay-moi", "cong-dien", "huong-dan"):
        assert counts[slug] >= 1, slug


def test_statuses(records: list[dict[str, Any]]) -> None:
    counts = Counter(r["status"] for r in records)
    assert set(counts) <= STATUSES, set(counts) - STATUSES
    assert counts["Còn hiệu lực"] > len(records) / 2


def test_texts_are_nfc_and_canonical(records: list[dict[str, Any]]) -> None:
    for r in records:
        for key in ("text", "title", "issuer", "signer", "place"):
            value = r[key]
            assert unicodedata.is_normalized("NFC", value), (r["id"], key)
            # vanban stores normalised text; the demo must already be in that form (classic tone
            # placement "hòa", "thủy", single spaces, ASCII dashes).
            assert normalize(value) == value, (r["id"], key)


def test_doc_type_agrees_with_number(records: list[dict[str, Any]]) -> None:
    for r in records:
        match = NUMBER_RE.match(r["number"])
        assert match is not None, (r["id"], r["number"])
        assert r["doc_type"] == _expected_doc_type(r["number"]), (r["id"], r["number"], r["doc_type"])
        if match.group("year"):
            # only legal normative decisions and resolutions carry the year, and it is the issuing year
            assert r["doc_type"] in {"quyet-dinh", "nghi-quyet"}, r["number"]
            assert int(match.group("year")) == date.fromisoformat(r["issued_date"]).year, r["number"]


def test_numbers_are_unique_per_issuer(records: list[dict[str, Any]]) -> None:
    keys = Counter((r["issuer"], r["number"]) for r in records)
    assert not [k for k, n in keys.items() if n > 1]


def test_numbers_grow_with_dates_within_each_register(records: list[dict[str, Any]]) -> None:
    registers: dict[tuple[str, str, bool, int], list[tuple[str, int]]] = defaultdict(list)
    for r in records:
        match = NUMBER_RE.match(r["number"])
        assert match is not None
        key = (r["issuer"], r["doc_type"], bool(match.group("year")), int(r["issued_date"][:4]))
        registers[key].append((r["issued_date"], int(match.group("seq"))))
    for key, entries in registers.items():
        seqs = [seq for _, seq in sorted(entries)]
        assert seqs == sorted(seqs), (key, sorted(entries))


def test_text_has_its_header(records: list[dict[str, Any]]) -> None:
    for r in records:
        text = r["text"]
        lines = text.split("\n")
        assert f"Số: {r['number']}" in lines, r["id"]
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in lines, r["id"]
        # the trích yếu is printed in full (after "V/v " for công văn); its first words must be there
        first_words = " ".join(r["title"].split()[:6])
        assert first_words in text, (r["id"], first_words)
        if r["doc_type"] == "cong-van":
            assert f"V/v {r['title']}" in lines, r["id"]
            assert any(line.startswith("Kính gửi") for line in lines), r["id"]
        else:
            assert TYPE_HEADINGS[r["doc_type"]] in lines, (r["id"], r["doc_type"])
        assert r["signer"] in text.split("Nơi nhận:")[-1], (r["id"], r["signer"])
        assert len(text) <= 3000, (r["id"], len(text))


def test_date_line_matches_issued_date_and_place(records: list[dict[str, Any]]) -> None:
    for r in records:
        match = DATE_LINE_RE.search(r["text"])
        assert match is not None, r["id"]
        day, month, year = (int(g) for g in match.groups()[1:])
        assert date(year, month, day).isoformat() == r["issued_date"], r["id"]
        assert match.group("place") == r["place"], r["id"]


def test_parent_is_set_for_two_level_headers(records: list[dict[str, Any]]) -> None:
    for r in records:
        if r["issuer"].startswith(("Sở ", "Ban Chỉ đạo", "Công an tỉnh")):
            assert r.get("parent"), r["id"]
        if r.get("parent"):
            assert r["parent"] != r["issuer"], r["id"]


def test_cross_references_resolve_to_earlier_demo_documents(records: list[dict[str, Any]]) -> None:
    by_number = {r["number"]: r for r in records}
    references = 0
    for r in records:
        for match in CITATION_RE.finditer(r["text"]):
            target = by_number.get(match.group(1))
            if target is None:
                continue  # a national document or an unpublished tờ trình: not part of the demo
            cited = date(int(match.group(4)), int(match.group(3)), int(match.group(2)))
            assert cited.isoformat() == target["issued_date"], (r["id"], match.group(0))
            if target is not r:
                assert target["issued_date"] <= r["issued_date"], (r["id"], match.group(0))
                references += 1
    assert references >= 10
