"""QA defects of number canonicalisation: symbols printed with a space lost their last codes on import
(``22/QĐ-TT HĐND`` → ``22/QĐ-TT``), and a decimal-like sequence number must keep its decimals."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from corpus.document import Document
from corpus.import_rows import parse_record
from corpus.query_terms import number_terms
from corpus.search import Searcher, SearchRequest
from corpus.store_rows import canonical_number
from nlp.numbers import find_numbers, find_references, parse_number
from tests.search import build


@pytest.mark.parametrize(
    ("raw", "number", "type_code", "bodies", "doc_type"),
    [
        # Sơn La: the Standing Committee of the People's Council (Thường trực HĐND)
        ("22/QĐ-TT HĐND", "22/QĐ-TT-HĐND", "QĐ", ("TT", "HĐND"), "quyet-dinh"),
        ("10/NQ-TT HĐND", "10/NQ-TT-HĐND", "NQ", ("TT", "HĐND"), "nghi-quyet"),
        # Bình Dương: a steering committee for voluntary blood donation, a command for natural disasters
        ("140/BCĐ VĐ HMTN", "140/BCĐ-VĐ-HMTN", None, ("BCĐ", "VĐ", "HMTN"), "cong-van"),
        ("90/TB-BCH PCTT-TKCN", "90/TB-BCH-PCTT-TKCN", "TB", ("BCH", "PCTT", "TKCN"), "thong-bao"),
        # typed in lower case by a clerk: known codes still belong to the number
        ("22/qđ-tt hđnd", "22/QĐ-TT-HĐND", "QĐ", ("TT", "HĐND"), "quyet-dinh"),
        ("66.18/2026/NQ-CP", "66.18/2026/NQ-CP", "NQ", ("CP",), "nghi-quyet"),
    ],
)
def test_the_whole_symbol_is_kept(
    raw: str, number: str, type_code: str | None, bodies: tuple[str, ...], doc_type: str
) -> None:
    parsed = parse_number(raw)
    assert parsed is not None
    assert (parsed.number, parsed.type_code, parsed.body_codes, parsed.doc_type) == (
        number,
        type_code,
        bodies,
        doc_type,
    )
    assert canonical_number(raw)[0] == number


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        ("26/KH-BCĐ (138)", "26/KH-BCĐ"),  # a note in brackets is not part of the number
        ("139/KH-UBND Bình Dương", "139/KH-UBND"),  # nor a place name after it
        ("12/QĐ-UBND Long An", "12/QĐ-UBND"),
        ("05/KH-UBND AN GIANG", "05/KH-UBND"),  # a place in capitals: its words have vowels, codes do not
        ("1830 QĐ-UBND", "1830/QĐ-UBND"),
    ],
)
def test_words_after_the_number_are_not_codes(raw: str, number: str) -> None:
    parsed = parse_number(raw)
    assert parsed is not None and parsed.number == number


def test_decimal_sequence_number_keeps_its_decimals() -> None:
    parsed = parse_number("Số: 66.18/2026/NQ-CP")
    assert parsed is not None and (parsed.seq, parsed.year) == ("66.18", 2026)
    assert [s.text for s in find_numbers("theo Nghị quyết số 66.18/2026/NQ-CP ngày 5/3/2026")] == ["66.18/2026/NQ-CP"]
    keys, parts = number_terms("66.18/2026/NQ-CP")
    assert "66.18/2026/NQ-CP" in keys and parts[:2] == ["s:66.18", "y:2026"]


def test_index_parts_hold_every_code() -> None:
    keys, parts = number_terms(canonical_number("22/QĐ-TT HĐND")[0] or "")
    assert "22/QD-TT-HDND" in keys
    assert parts == ["s:22", "c:QD", "c:TT", "c:HDND"]


_ROWS = (
    {"id": "sl-22", "number": "22/QĐ-TT HĐND", "doc_type": "nghi-quyet", "issuer": "Hội đồng nhân dân tỉnh Sơn La",
     "issued_date": "2026-08-04", "title": "Ban hành Danh mục Nghị quyết quy định chi tiết văn bản quy phạm"},
    {"id": "tt-22", "number": "22/QĐ-TT", "doc_type": "quyet-dinh", "issuer": "Thanh tra tỉnh Sơn La",
     "issued_date": "2025-01-04", "title": "Quyết định thanh tra việc quản lý đất đai"},
    {"id": "bd-140", "number": "140/BCĐ VĐ HMTN", "issuer": "Ban Chỉ đạo vận động hiến máu tình nguyện",
     "issued_date": "2024-01-04", "title": "Kế hoạch vận động hiến máu tình nguyện năm 2024"},
    {"id": "bd-90", "number": "90/TB-BCH PCTT-TKCN", "issuer": "Ban Chỉ huy phòng chống thiên tai tỉnh",
     "issued_date": "2024-09-04", "title": "Thông báo tình hình áp thấp nhiệt đới"},
    {"id": "cp-66", "number": "66.18/2026/NQ-CP", "issuer": "Chính phủ", "issued_date": "2026-01-04",
     "title": "Nghị quyết về cơ chế đặc thù phát triển hạ tầng"},
    {"id": "cp-18", "number": "18/2026/NQ-CP", "issuer": "Chính phủ", "issued_date": "2026-02-04",
     "title": "Nghị quyết về phiên họp thường kỳ"},
)  # fmt: skip


def _imported() -> tuple[Document, ...]:
    docs = []
    for row in _ROWS:
        doc, problems = parse_record(dict(row))  # the import's own canonicalisation
        assert doc is not None, problems
        docs.append(doc)
    return tuple(docs)


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Searcher:
    found = build(Path(tmp_path_factory.mktemp("numbers-qa")), _imported())
    yield found
    found.store.close()


def _ids(searcher: Searcher, query: str) -> list[str]:
    return [h.id for h in searcher.search(SearchRequest(query, limit=20)).hits]


def test_import_keeps_the_whole_number() -> None:
    numbers = {d.id: d.number for d in _imported()}
    assert numbers["sl-22"] == "22/QĐ-TT-HĐND" and numbers["bd-140"] == "140/BCĐ-VĐ-HMTN"
    assert numbers["bd-90"] == "90/TB-BCH-PCTT-TKCN" and numbers["cp-66"] == "66.18/2026/NQ-CP"
    assert all(isinstance(d.issued_date, date) for d in _imported())


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("22 qđ-tt hđnd", ["sl-22"]),
        ("qđ-tt hđnd 22", ["sl-22"]),
        ("22 qd tt hdnd", ["sl-22"]),
        ("140 bcđ vđ hmtn", ["bd-140"]),
        ("140/BCĐ VĐ HMTN", ["bd-140"]),
        ("90/TB-BCH PCTT-TKCN", ["bd-90"]),
        ("90 tb bch pctt tkcn", ["bd-90"]),
    ],
)
def test_numbers_with_every_code_are_found(searcher: Searcher, query: str, expected: list[str]) -> None:
    assert _ids(searcher, query) == expected


def test_the_number_as_printed_finds_the_document(searcher: Searcher) -> None:
    assert [d.id for d in searcher.store.find_by_number("22/QĐ-TT HĐND")] == ["sl-22"]
    assert [d.id for d in searcher.store.find_by_number("22/qd-tt-hdnd")] == ["sl-22"]
    assert [d.id for d in searcher.store.find_by_number("22/QĐ-TT")] == ["tt-22"]


def test_a_decimal_sequence_number_is_searched_whole(searcher: Searcher) -> None:
    assert _ids(searcher, "66.18/2026/NQ-CP") == ["cp-66"]


def test_a_symbol_printed_on_after_a_space_is_one_citation() -> None:
    # QA, 2026-11-29: "145/2020/NĐ CP" gave a citation of "145/2020/NĐ", which no document has
    text = "Căn cứ Nghị định số 145/2020/NĐ CP ngày 14/12/2020 của Chính phủ quy định chi tiết Bộ luật Lao động;"
    assert [r.number.number for r in find_references(text)] == ["145/2020/NĐ-CP"]
    # a place printed in capitals after a number is not part of it, nor a standard that follows
    assert [s.text for s in find_numbers("Số: 12/QĐ-UBND AN GIANG; 139/QĐ-BYT QCVN 01:2009/BYT")] == [
        "12/QĐ-UBND", "139/QĐ-BYT", "QCVN 01:2009/BYT",
    ]


def test_a_chemical_formula_is_not_a_number() -> None:
    # QA: "Pb(C2H5)4/Pb(CH3)4" in a decree on fuels was cited as "4/PB" (Phiếu báo)
    assert find_references("hàm lượng chì Pb(C2H5)4/Pb(CH3)4 trong xăng không chì") == []


@pytest.mark.parametrize("text", ["Kế hoạch giai đoạn 2021-2025/KH-UBND của tỉnh", "QTKĐ:06-2021/BLĐTBXH Trang 3/12"])
def test_a_year_after_a_dash_is_not_read_after_a_year_or_in_a_code(text: str) -> None:
    # QA: "2021-2025/KH-UBND" and a procedure's code in page headers were read as numbers
    assert find_numbers(text) == []


@pytest.mark.parametrize(
    "printed",
    ["１３９/KH-UBND", "139／KH－UBND", "139/KH-UBND ngày 12/7/2022", "139/KH-UBND, ngày 12 tháng 7 năm 2022",
     "١٣٩/KH-UBND", "۱۳۹/KH-UBND"],  # Arabic-Indic digits (QA: filed as typed, never found)
)
def test_a_number_typed_full_width_or_copied_with_its_date_is_filed_as_the_number(printed: str) -> None:
    # QA: "１３９/KH-UBND" was not found by 139/KH-UBND; "… ngày 12/7/2022" kept its date in the number
    assert canonical_number(printed) == ("139/KH-UBND", "KH-UBND")
