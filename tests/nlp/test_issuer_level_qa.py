"""QA, 2026-11-29: a body whose name ends with the level of its place ("Thanh tra tỉnh", "Công an huyện")
took its parent's place whole, level word included: "Thanh tra tỉnh tỉnh Cà Mau" in the issuer facet."""

from __future__ import annotations

import pytest

from nlp.header_issuer import qualified_issuer


@pytest.mark.parametrize(
    ("issuer", "parent", "expected"),
    [
        ("THANH TRA TỈNH", "ỦY BAN NHÂN DÂN TỈNH CÀ MAU", "Thanh tra tỉnh Cà Mau"),
        ("Công an huyện", "UBND huyện Đại Từ", "Công an huyện Đại Từ"),
        ("Công an thành phố", "UBND thành phố Cần Thơ", "Công an thành phố Cần Thơ"),
        ("SỞ Y TẾ", "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN", "Sở Y tế tỉnh Nghệ An"),  # a place word is still added
        ("Thanh tra tỉnh Cà Mau", "UBND tỉnh Cà Mau", "Thanh tra tỉnh Cà Mau"),  # names its place already
    ],
)
def test_a_body_ending_with_its_level_takes_only_the_place_name(issuer: str, parent: str, expected: str) -> None:
    assert qualified_issuer(issuer, parent) == expected
