"""normalize() removes what cannot be stored or searched: control characters and lone surrogates.

A NUL left by a legacy export inside a document number made the number unsearchable; a lone surrogate
(JSON ``"\\ud800"``, bytes that were not UTF-8 read with ``surrogateescape``) made SQLite and the
segmenter fail with UnicodeEncodeError.
"""

from __future__ import annotations

import pytest

from nlp.normalize import has_surrogates, normalize
from nlp.numbers import number_key


def test_nul_inside_a_number_is_dropped() -> None:
    assert normalize("Số: 1/QĐ-UBND\x00") == "Số: 1/QĐ-UBND"
    assert number_key("1/QĐ-UBND\x00") == number_key("1/QĐ-UBND")


def test_other_c0_controls_are_dropped_inside_words() -> None:
    text = "Quyết\x07 định\x01 về việc phê\x1b duyệt\x7f kế hoạch"
    assert normalize(text) == "Quyết định về việc phê duyệt kế hoạch"


@pytest.mark.parametrize("control", ["\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f"])
def test_whitespace_controls_end_a_line_instead_of_gluing_words(control: str) -> None:
    text = f"ỦY BAN NHÂN DÂN{control}TỈNH BÌNH DƯƠNG"
    assert normalize(text) == "ỦY BAN NHÂN DÂN\nTỈNH BÌNH DƯƠNG"
    assert normalize(text, keep_newlines=False) == "ỦY BAN NHÂN DÂN TỈNH BÌNH DƯƠNG"


def test_tab_and_line_breaks_keep_their_meaning() -> None:
    assert normalize("Số:\t12/KH-UBND\r\nVề việc triển khai") == "Số: 12/KH-UBND\nVề việc triển khai"


def test_lone_surrogates_become_the_replacement_character() -> None:
    raw = b"K\xe9 ho\xe1ch tri\xe1\xbb\x83n khai".decode("utf-8", "surrogateescape")
    out = normalize(raw)
    assert not has_surrogates(out)
    assert out == "K\ufffd ho\ufffdch triển khai"
    out.encode("utf-8")  # would raise UnicodeEncodeError with a surrogate left
    assert normalize("Kế hoạch x \ud800 y") == "Kế hoạch x \ufffd y"


def test_clean_text_with_a_control_is_not_taken_for_clean_form() -> None:
    # the fast path must not skip cleaning for text that is otherwise already normalised
    assert normalize("Hòa Bình\x00") == "Hòa Bình"
    assert normalize("Hòa Bình\udc80", keep_newlines=False) == "Hòa Bình\ufffd"


def test_has_surrogates() -> None:
    assert has_surrogates("ph\udcf2ng")
    assert has_surrogates("x \ud800 y")
    assert not has_surrogates("phòng Tư pháp 😀")
