"""One spelling per issuing body (the issuer facet): sources write one body many ways."""

from __future__ import annotations

import pytest

from nlp.header_issuer import standard_issuer

LAO_CAI = "Ủy ban nhân dân tỉnh Lào Cai"


@pytest.mark.parametrize(
    "written",
    [
        "UBND tỉnh Lào Cai",  # abbreviated, as imports from portals write it
        "ỦY BAN NHÂN DÂN TỈNH LÀO CAI",  # the header as printed
        "Uỷ Ban Nhân Dân Tỉnh Lào Cai",  # every word capitalised, old tone placement
        "Ủy Ban nhân dân tỉnh Lào Cai",
        "Ủy ban nhân dân Tỉnh Lào Cai",
        "ubnd tỉnh lào cai",
        "  Ủy ban nhân dân  tỉnh Lào Cai ",
        LAO_CAI,
    ],
)
def test_the_spellings_of_one_body_meet(written: str) -> None:
    assert standard_issuer(written) == LAO_CAI


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("UBND TP. Hồ Chí Minh", "Ủy ban nhân dân thành phố Hồ Chí Minh"),
        ("UBND Thành phố Hồ Chí Minh", "Ủy ban nhân dân thành phố Hồ Chí Minh"),
        ("Văn phòng UBND tỉnh", "Văn phòng Ủy ban nhân dân tỉnh"),
        ("Chủ tịch UBND tỉnh Lào Cai", "Chủ tịch Ủy ban nhân dân tỉnh Lào Cai"),
        ("Sở Tài Nguyên Và Môi Trường", "Sở Tài nguyên và Môi trường"),
        ("Sở Tài nguyên Và Môi trường", "Sở Tài nguyên và Môi trường"),
        ("BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", "Bộ Lao động - Thương binh và Xã hội"),
        ("Bộ Công thương", "Bộ Công Thương"),
        ("Ban Tuyên giáo tỉnh ủy Lào Cai", "Ban Tuyên giáo Tỉnh ủy Lào Cai"),
        ("Công an cấp Tỉnh", "Công an cấp tỉnh"),
    ],
)
def test_abbreviations_fixed_phrases_and_place_words_take_their_form(written: str, expected: str) -> None:
    assert standard_issuer(written) == expected


@pytest.mark.parametrize(
    "written",
    [
        "Sở TN&MT Lào Cai",  # no place word before Lào Cai: the rule would lower-case it
        "Ngân hàng Nhà nước Việt Nam",
        "Sở Lao động-Thương binh và Xã hội",  # "xã hội" is society, not a commune
        "Hội đồng nhân dân xã Chiềng Hặc",
        "Ban Chỉ đạo tỉnh Bình Dương",
        "Hội đồng nhân dân tỉnh, Ủy ban nhân dân cấp tỉnh",  # two bodies: "tỉnh, ủy" is not "Tỉnh ủy"
        "Thủ tướng Chính phủ",
        "(UBND tỉnh)",
    ],
)
def test_a_name_written_in_normal_case_keeps_its_capitals(written: str) -> None:
    assert standard_issuer(written) == written


def test_names_in_capitals_follow_the_header_rule() -> None:
    assert standard_issuer("NGÂN HÀNG NHÀ NƯỚC VIỆT NAM") == "Ngân hàng Nhà nước Việt Nam"
    assert standard_issuer("HỘI ĐỒNG NHÂN DÂN TỈNH SƠN LA") == "Hội đồng nhân dân tỉnh Sơn La"
    assert standard_issuer("DUBND TỈNH LÀO CAI") == LAO_CAI  # a stray letter typed before UBND
