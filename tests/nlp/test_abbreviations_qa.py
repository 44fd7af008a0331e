"""QA defects of the abbreviation table: MTV, CTCP, TNHH, HCM and UBMTTQ must match their expansions both
ways, as UBND ↔ ủy ban nhân dân does, in the query and in the issuer filter."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from corpus.document import Document
from corpus.search import Searcher, SearchRequest
from nlp.abbreviations import ABBREVIATIONS, TYPE_CODES, abbreviate, canonical_abbreviation, expand
from nlp.normalize import fold
from tests.search import build


@pytest.mark.parametrize(
    ("typed", "canonical", "expansion"),
    [
        ("mtv", "MTV", "một thành viên"),
        ("CTCP", "CTCP", "công ty cổ phần"),
        ("tnhh", "TNHH", "trách nhiệm hữu hạn"),
        ("hcm", "HCM", "hồ chí minh"),
        ("ubmttq", "UBMTTQ", "ủy ban mặt trận tổ quốc"),
        ("TP.HCM", "TP.HCM", "thành phố hồ chí minh"),
        ("tphcm", "TPHCM", "thành phố hồ chí minh"),
    ],
)
def test_abbreviations_expand_both_ways(typed: str, canonical: str, expansion: str) -> None:
    assert canonical_abbreviation(typed) == canonical
    assert expansion in expand(typed)
    assert canonical in abbreviate(expansion.upper())


def test_hcm_also_names_the_city() -> None:
    assert set(abbreviate("Thành phố Hồ Chí Minh")) >= {"TP.HCM", "TPHCM", "HCM"}


def test_the_clerks_usual_abbreviations_are_there() -> None:
    for abbreviation in ("ATTP", "PCCC", "NTM", "GPMB", "TTHC", "KT-XH", "UBND", "HĐND", "MTTQ"):
        assert expand(abbreviation), abbreviation


def test_no_abbreviation_of_three_letters_or_more_is_a_type_code_or_a_syllable() -> None:
    # Abbreviations of three letters or more match in lower case ("ctcp"): none may be an ordinary
    # syllable a clerk types, nor shadow a document-type code.
    syllables = {"thi", "tin", "con", "ban", "can", "hoa", "mot", "cho", "tai", "moi"}
    codes = {fold(c).upper() for c in TYPE_CODES}
    for abbreviation in ABBREVIATIONS:
        folded = fold(abbreviation).lower()
        if len(folded) >= 3:
            assert folded not in syllables, abbreviation
    for abbreviation in ("MTV", "CTCP", "TNHH", "HCM", "UBMTTQ"):
        assert fold(abbreviation).upper() not in codes


_DOCS = (
    Document(id="mttq-full", number="45/KH-MTTQ-BTT", doc_type="ke-hoach", topic="noi-vu",
             issuer="Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Sơn La", issued_date=date(2025, 3, 2),
             title="Kế hoạch tổ chức Ngày hội Đại đoàn kết toàn dân tộc của Ủy ban Mặt trận Tổ quốc tỉnh"),
    Document(id="mttq-abbr", number="12/UBND-VX", doc_type="cong-van", topic="noi-vu",
             issuer="Ủy ban nhân dân tỉnh Sơn La", issued_date=date(2025, 4, 2),
             title="Phối hợp với UBMTTQ tỉnh vận động ủng hộ người nghèo"),
    Document(id="mtv-abbr", number="301/QĐ-UBND", doc_type="quyet-dinh", topic="kinh-te",
             issuer="Ủy ban nhân dân tỉnh Bình Dương", issued_date=date(2023, 5, 9),
             title="Phê duyệt điều lệ Công ty TNHH MTV Xổ số kiến thiết Bình Dương"),
    Document(id="mtv-full", number="302/QĐ-UBND", doc_type="quyet-dinh", topic="kinh-te",
             issuer="Ủy ban nhân dân tỉnh Bình Dương", issued_date=date(2023, 6, 9),
             title="Chuyển đổi công ty trách nhiệm hữu hạn một thành viên cấp nước sang mô hình mới"),
    Document(id="ctcp-abbr", number="3801/UBND-KT", doc_type="cong-van", topic="kinh-te",
             issuer="Ủy ban nhân dân tỉnh Bình Dương", issued_date=date(2023, 7, 1),
             title="Gia hạn thời gian thuê đất cho CTCP Becamex"),
    Document(id="ctcp-full", number="3802/UBND-KT", doc_type="cong-van", topic="kinh-te",
             issuer="Ủy ban nhân dân tỉnh Bình Dương", issued_date=date(2023, 7, 2),
             title="Thoái vốn nhà nước tại Công ty cổ phần Nước - Môi trường"),
    Document(id="hcm-dot", number="900/UBND-VX", doc_type="cong-van", topic="lao-dong",
             issuer="Ủy ban nhân dân tỉnh Bình Dương", issued_date=date(2023, 8, 1),
             title="Phối hợp với TP.HCM hỗ trợ người lao động mất việc"),
    Document(id="hcm-full", number="901/UBND-VX", doc_type="cong-van", topic="xay-dung",
             issuer="Ủy ban nhân dân tỉnh Bình Dương", issued_date=date(2023, 8, 2),
             title="Kết nối giao thông với Thành phố Hồ Chí Minh qua đường Vành đai 3"),
    Document(id="hcm-space", number="902/UBND-VX", doc_type="cong-van", topic="xay-dung",
             issuer="Ủy ban nhân dân tỉnh Bình Dương", issued_date=date(2023, 8, 3),
             title="Tuyến xe buýt liên tỉnh Bình Dương - TP HCM"),
    Document(id="other", number="903/UBND-VX", doc_type="cong-van", topic="y-te",
             issuer="Ủy ban nhân dân tỉnh Bình Dương", issued_date=date(2023, 8, 4),
             title="Tăng cường phòng, chống dịch bệnh mùa mưa"),
)  # fmt: skip


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Searcher:
    found = build(Path(tmp_path_factory.mktemp("abbreviations-qa")), _DOCS)
    yield found
    found.store.close()


def _ids(searcher: Searcher, query: str, **filters: str) -> set[str]:
    return {h.id for h in searcher.search(SearchRequest(query, limit=50, **filters)).hits}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ubmttq", {"mttq-full", "mttq-abbr"}),
        ("UBMTTQ", {"mttq-full", "mttq-abbr"}),
        ("ủy ban mặt trận tổ quốc", {"mttq-full", "mttq-abbr"}),
        ("mtv", {"mtv-abbr", "mtv-full"}),
        ("một thành viên", {"mtv-abbr", "mtv-full"}),
        ("tnhh", {"mtv-abbr", "mtv-full"}),
        ("trách nhiệm hữu hạn", {"mtv-abbr", "mtv-full"}),
        ("ctcp", {"ctcp-abbr", "ctcp-full"}),
        ("công ty cổ phần", {"ctcp-abbr", "ctcp-full"}),
        ("hcm", {"hcm-dot", "hcm-full", "hcm-space"}),
        ("HCM", {"hcm-dot", "hcm-full", "hcm-space"}),
        ("TP HCM", {"hcm-dot", "hcm-full", "hcm-space"}),
        ("TP.HCM", {"hcm-dot", "hcm-full", "hcm-space"}),
        ("thành phố hồ chí minh", {"hcm-dot", "hcm-full", "hcm-space"}),
    ],
)
def test_an_abbreviation_finds_its_expansion_and_back(searcher: Searcher, query: str, expected: set[str]) -> None:
    assert _ids(searcher, query) == expected


def test_the_issuer_filter_knows_ubmttq(searcher: Searcher) -> None:
    assert _ids(searcher, "", issuer="UBMTTQ Sơn La") == {"mttq-full"}


@pytest.mark.parametrize("query", ["tp hcm", "tphcm"])
def test_every_spelling_of_tp_hcm(searcher: Searcher, query: str) -> None:
    assert _ids(searcher, query) == {"hcm-dot", "hcm-full", "hcm-space"}
