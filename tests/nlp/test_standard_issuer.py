"""One spelling per issuing body (the issuer facet): sources write one body many ways."""

from __future__ import annotations

import pytest

from nlp.header_issuer import qualified_issuer, standard_issuer

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
        "Sở Tài nguyên và Môi trường Lào Cai",  # no place word before Lào Cai: the rule would lower-case it
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


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Sở TN&MT Lào Cai", "Sở Tài nguyên và Môi trường Lào Cai"),
        ("SỞ TN&MT", "Sở Tài nguyên và Môi trường"),
        ("Sở GD&ĐT tỉnh Bình Dương", "Sở Giáo dục và Đào tạo tỉnh Bình Dương"),
        ("Bộ LĐ-TB&XH", "Bộ Lao động - Thương binh và Xã hội"),
        ("Sở NN&PTNT", "Sở Nông nghiệp và Phát triển nông thôn"),
        ("Phòng TN&MT huyện Bảo Thắng", "Phòng Tài nguyên và Môi trường huyện Bảo Thắng"),
    ],
)
def test_a_departments_fields_written_as_an_acronym_are_spelled_out(written: str, expected: str) -> None:
    assert standard_issuer(written) == expected


@pytest.mark.parametrize(
    ("issuer", "parent", "expected"),
    [
        ("SỞ Y TẾ", "ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ", "Sở Y tế tỉnh Quảng Trị"),
        ("Sở Y tế", "UBND tỉnh Quảng Trị", "Sở Y tế tỉnh Quảng Trị"),
        ("Sở Y tế tỉnh Quảng Trị", "UBND tỉnh Quảng Trị", "Sở Y tế tỉnh Quảng Trị"),  # names its place already
        ("Phòng Tài chính - Kế hoạch", "UBND huyện Bảo Thắng", "Phòng Tài chính - Kế hoạch huyện Bảo Thắng"),
        ("Văn phòng", "UBND TỈNH LÀO CAI", "Văn phòng Ủy ban nhân dân tỉnh Lào Cai"),
        ("Thanh tra", "UBND tỉnh Lào Cai", "Thanh tra tỉnh Lào Cai"),
        ("Cục Thuế", "Bộ Tài chính", "Cục Thuế"),  # a parent without a place adds nothing
        ("Sở Y tế", None, "Sở Y tế"),
    ],
)
def test_an_issuer_takes_its_parents_place_when_it_names_none(issuer: str, parent: str | None, expected: str) -> None:
    assert qualified_issuer(issuer, parent) == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("STNMT", "Sở Tài nguyên và Môi trường"),
        ("stnmt", "Sở Tài nguyên và Môi trường"),  # as a clerk types it in a filter
        ("SGD&ĐT tỉnh Bình Dương", "Sở Giáo dục và Đào tạo tỉnh Bình Dương"),
        ("SYT", "Sở Y tế"),
        ("BYT", "Bộ Y tế"),
        ("BGDĐT", "Bộ Giáo dục và Đào tạo"),
        ("BTC", "BTC"),  # as often the Ban Tổ chức as the Bộ Tài chính: left as written
        ("BCT", "BCT"),  # the Bộ Chính trị, or the Bộ Công Thương
    ],
)
def test_a_department_named_by_one_acronym_is_spelled_out(written: str, expected: str) -> None:
    assert standard_issuer(written) == expected
