"""Normalisation: NFC, tone placement, look-alike letters, invisible characters, folding."""

from __future__ import annotations

import unicodedata

import pytest

from nlp.normalize import fold, has_diacritics, normalize


@pytest.mark.parametrize(
    ("new_style", "classic"),
    [
        ("hoà", "hòa"),
        ("Hoà Bình", "Hòa Bình"),
        ("thuỷ lợi", "thủy lợi"),
        ("Uỷ ban nhân dân", "Ủy ban nhân dân"),
        ("khoẻ mạnh", "khỏe mạnh"),
        ("tuỳ theo", "tùy theo"),
        ("HOÀ GIẢI", "HÒA GIẢI"),
        ("luỹ kế", "lũy kế"),
    ],
)
def test_new_tone_placement_becomes_classic(new_style: str, classic: str) -> None:
    assert normalize(new_style) == classic
    assert normalize(classic) == classic


@pytest.mark.parametrize(
    "word",
    ["quý", "quyết", "giữa", "gì", "người", "khuỷu", "mưa", "hoàng", "thuyền", "quốc", "giường", "café"],
)
def test_correct_syllables_are_left_alone(word: str) -> None:
    assert normalize(word) == word


def test_nfd_input_equals_nfc_input() -> None:
    text = "Kế hoạch số 139/KH-UBND ngày 12/7/2022 của UBND tỉnh Đắk Lắk về phòng, chống thiên tai"
    assert normalize(unicodedata.normalize("NFD", text)) == text


def test_eth_and_dashes_and_invisible_characters() -> None:
    raw = "Số:\u00a0 1906/QÐ\u2013UBND\u200b  ngày\t3/2/2024"
    assert normalize(raw) == "Số: 1906/QĐ-UBND ngày 3/2/2024"


def test_lines_are_kept_and_blank_runs_collapsed() -> None:
    raw = "ỦY BAN NHÂN DÂN  \r\nTỈNH LÀO CAI\n\n\n\nSố: 12/KH-UBND"
    assert normalize(raw) == "ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI\n\nSố: 12/KH-UBND"
    assert normalize(raw, keep_newlines=False) == "ỦY BAN NHÂN DÂN TỈNH LÀO CAI Số: 12/KH-UBND"


def test_fold_removes_every_diacritic_including_d_stroke() -> None:
    assert fold("Đường dây nóng phòng, chống dịch Covid-19 ở Đắk Lắk") == (
        "Duong day nong phong, chong dich Covid-19 o Dak Lak"
    )
    assert fold(normalize("Ðồng Nai")) == "Dong Nai"
    assert has_diacritics("đường") and not has_diacritics("duong")


def test_cyrillic_and_greek_look_alikes_inside_latin_words_and_numbers_become_latin() -> None:
    # A PDF font that maps B, C, T to Cyrillic glyphs; OCR that reads Greek capitals.
    raw = "Số: 15/HDLN-ВСА-ВТC ngày 3/2/2025 (BYТ, Bộ Tài chính) — mục а3) và Ο5"
    assert normalize(raw) == "Số: 15/HDLN-BCA-BTC ngày 3/2/2025 (BYT, Bộ Tài chính) — mục a3) và O5"
    # Real Cyrillic and Greek words stay as written: a letter that is not a look-alike (в, Ж, α, ρ) marks
    # the token as another script, and a token of look-alikes alone has nothing Latin to belong to.
    for kept in ("Москва-2024", "ИЖ-27EM", "α-picolin", "ρw", "ВСТ", "Ѕ"):
        assert normalize(kept) == kept, kept
    # found by number after normalising, as a clerk types it
    assert fold(normalize("ВТC-ВСА")) == "BTC-BCA"
