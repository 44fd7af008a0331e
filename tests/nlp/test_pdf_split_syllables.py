"""Syllables that a PDF's text layer splits apart ("chức n ăng, nhi ệm v ụ") are joined again, conservatively.

The sentences are written for these tests. The PDFs are built here with pypdf's low-level objects: a line is
drawn with a ``TJ`` array whose wide gap inside a syllable makes pypdf put a space there, as it does on
the Công báo fixture. The fixtures of ../shared/data are read by path when present.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import nlp.extract_pdf as extract_pdf
from nlp.extract import extract_bytes, extract_file
from nlp.syllable_join import rejoin_split_syllables, should_join
from tests.conftest import shared_data_dir
from tests.nlp.pdf_samples import pdf_from_lines

FIXTURE = "quyet-dinh-so-169-qd-bldtbxh-44203.pdf"
TEXT_LAYER_FIXTURES = (
    "chi-thi-so-21-ct-ttg-469580.pdf",
    "cong_van_cuc_pccc_signed_textlayer.pdf",
    "thong-bao-so-02-2023-tb-lpqt-39022.pdf",
    "thong_tu_btc_textlayer.pdf",
)


@pytest.mark.parametrize(
    ("split", "whole"),
    [
        ("Sở Tư pháp thực hiện chức n ăng tham mưu", "Sở Tư pháp thực hiện chức năng tham mưu"),
        ("nhi ệm v ụ, quy ền h ạn c ủa Sở", "nhiệm vụ, quyền hạn của Sở"),
        ("theo quy định của Lu ật Đất đai", "theo quy định của Luật Đất đai"),
        ("Ngh ị định hướng dẫn thi hành", "Nghị định hướng dẫn thi hành"),
        ("c ơ cấu t ổ ch ức bộ máy", "cơ cấu tổ chức bộ máy"),
        ("VĂN BẢN QUY PH ẠM PHÁP LU ẬT", "VĂN BẢN QUY PHẠM PHÁP LUẬT"),
        ("(lu ật sửa đổi)", "(luật sửa đổi)"),
        ("kinh tế-x ã hội", "kinh tế-xã hội"),
        ("theo Nghị định số 15/2021/N Đ-CP ngày 3/3/2021", "theo Nghị định số 15/2021/NĐ-CP ngày 3/3/2021"),
    ],
)
def test_split_syllables_are_joined(split: str, whole: str) -> None:
    joined, count = rejoin_split_syllables(split)
    assert joined == whole
    assert count == split.count(" ") - whole.count(" ")


@pytest.mark.parametrize(
    "text",
    [
        "xây dựng nhà ở xã hội cho người lao động",  # "nhà" + "ở": both are words
        "giao đất cho hộ gia đình, cá nhân ở xã Tân An",
        "điểm a khoản 2 Điều 5 và ông Nguyễn Văn Ân",
        "độ nhớt nhỏ hơn 14 mm2/s ở nhiệt độ 40 °C",  # a unit is no syllable fragment
        "điện áp 0,25 V AC/DC sau khi nối đất",  # the second part has no marked vowel
        "ban hành quy chế ưu đãi đầu tư",
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
        "bổ sung lu ẬT",  # the case does not read as one word
    ],
)
def test_text_without_split_syllables_is_unchanged(text: str) -> None:
    assert rejoin_split_syllables(text) == (text, 0)


def test_a_split_is_never_joined_across_a_line_break() -> None:
    text = "thực hiện chức năng quản lý nhà nước về lao động.\nỦy ban nhân dân tỉnh giao\nẤp Tân Hòa"
    assert rejoin_split_syllables(text) == (text, 0)
    assert rejoin_split_syllables("thi hành Lu\nật") == ("thi hành Lu\nật", 0)


def test_the_rule_needs_one_part_that_cannot_stand_alone() -> None:
    assert should_join("lu", "ật")  # "lu" is a word, "ật" is none
    assert should_join("n", "ăng")  # a consonant fragment
    assert not should_join("nhà", "ở")
    assert not should_join("và", "c")  # the second part starts with no vowel
    assert not should_join("gi", "ờ")  # two words ("gi" is well formed): left as written


def test_other_spaces_of_a_line_are_kept() -> None:
    text = "Điều 1.  Phê duyệt   nhi ệm v ụ\tnăm 2025 "
    assert rejoin_split_syllables(text) == ("Điều 1.  Phê duyệt   nhiệm vụ\tnăm 2025 ", 2)


# -- through the PDF reader --------------------------------------------------------------------------------


def _pdf_with_gaps(lines: list[list[str]]) -> bytes:
    """A one-page PDF; each line is a list of runs drawn with a wide gap between them."""
    return pdf_from_lines([lines])


_GAPPED_PAGE = [
    ["QUYẾT ĐỊNH"],
    ["Về việc công bố danh mục văn bản hết hiệu lực"],
    ["Căn cứ Lu", "ật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;"],
    ["Căn cứ Quyết định quy định chức n", "ăng, nhi", "ệm v", "ụ, quy", "ền h", "ạn của Sở Nội vụ;"],
    ["Xét đề nghị của Giám đốc Sở Tư pháp tỉnh Sông Mây về việc công bố văn bản."],
]


def test_a_pdf_read_with_gaps_inside_syllables_gives_whole_syllables() -> None:
    text = extract_bytes(_pdf_with_gaps(_GAPPED_PAGE), "quyet-dinh.pdf").text
    assert "Căn cứ Luật Tổ chức chính quyền địa phương" in text
    assert "chức năng, nhiệm vụ, quyền hạn của Sở Nội vụ" in text


def test_the_test_pdf_really_splits_syllables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extract_pdf, "rejoin_split_syllables", lambda text: (text, 0))
    pages, _, _ = extract_pdf.pdf_pages(_pdf_with_gaps(_GAPPED_PAGE), max_pages=5, max_seconds=10.0)
    assert "Lu ật" in pages[0] and "nhi ệm v ụ" in pages[0]


def test_text_files_are_not_rejoined() -> None:
    # Only a PDF's text layer has such gaps; a .txt says what its author typed.
    text = "Căn cứ Lu ật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015 của Quốc hội."
    assert "Lu ật" in extract_bytes(text.encode("utf-8"), "can-cu.txt").text


# -- the fixtures of ../shared/data ------------------------------------------------------------------------


def _fixture(name: str) -> Path:
    path = shared_data_dir() / "fixtures" / name
    if not path.is_file():
        pytest.skip(
            f"{path} not found: put the shared/ folder beside the repository or set VANBAN_SHARED_DATA"
        )
    return path


@pytest.mark.shared
def test_the_cong_bao_decision_reads_with_whole_syllables() -> None:
    text = extract_file(_fixture(FIXTURE)).text
    assert "chức năng, nhiệm vụ, quyền hạn" in text
    assert "Luật Ban hành văn bản quy phạm pháp luật" in text
    assert "34/2016/NĐ-CP" in text
    for split in ("Lu ật", "c ủa", "v ăn", "Ngh ị", "N Đ-CP"):
        assert split not in text


@pytest.mark.shared
@pytest.mark.parametrize("name", TEXT_LAYER_FIXTURES)
def test_other_text_layer_pdfs_are_unchanged(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    data = _fixture(name).read_bytes()
    with_joins, _, _ = extract_pdf.pdf_pages(data, max_pages=50, max_seconds=60.0)
    monkeypatch.setattr(extract_pdf, "rejoin_split_syllables", lambda text: (text, 0))
    as_read, _, _ = extract_pdf.pdf_pages(data, max_pages=50, max_seconds=60.0)
    assert with_joins == as_read
