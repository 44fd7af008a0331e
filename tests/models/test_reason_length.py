"""A reason is a short phrase, never a passage: the cap of models/explain.py's quotes.

The texts are written for these tests. ``segment=False`` (one word per syllable) keeps them fast and free of
the segmenter; the word-boundary cut is checked on a hand-made segmentation.
"""

from __future__ import annotations

from dataclasses import replace

from models.explain import _REASON_CHARS, _REASON_SYLLABLES, _Text
from models.features import AnalyzedText, analyze_texts


def _text(raw: str) -> _Text:
    return _Text(analyze_texts([raw], segment=False)[0])


def _span(text: _Text, phrase: str) -> tuple[int, int]:
    words = phrase.lower().split()
    syllables = list(text.doc.syllables)
    for start in range(len(syllables) - len(words) + 1):
        if syllables[start : start + len(words)] == words:
            return start, start + len(words)
    raise AssertionError(f"{phrase!r} not in {syllables}")


def test_a_short_phrase_is_quoted_as_written() -> None:
    text = _text("Cho phép Công ty chuyển mục đích sử dụng đất, phòng, chống thiên tai tại xã.")
    assert text.quote(*_span(text, "chuyển mục đích sử dụng đất")) == "chuyển mục đích sử dụng đất"
    assert text.quote(*_span(text, "phòng chống thiên tai")) == "phòng, chống thiên tai"


def test_a_long_phrase_is_cut_to_a_few_syllables() -> None:
    raw = "Kế hoạch thực hiện chương trình mục tiêu quốc gia xây dựng nông thôn mới giai đoạn năm tới"
    text = _text(raw)
    quoted = text.quote(0, len(text.doc.syllables))
    assert len(quoted.split()) <= _REASON_SYLLABLES
    assert len(quoted) <= _REASON_CHARS
    assert raw.startswith(quoted)


def test_the_character_cap_cuts_after_a_whole_word() -> None:
    raw = "khuyến khích chuyển hướng nghiêng trường khuếch trương thường xuyên"  # 8 syllables, 67 characters
    text = _text(raw)
    quoted = text.quote(0, 8)
    assert len(quoted) <= _REASON_CHARS
    assert quoted == "khuyến khích chuyển hướng nghiêng trường khuếch trương"


def test_the_syllable_cap_keeps_whole_words() -> None:
    doc = analyze_texts(["Ủy ban nhân dân tỉnh giao nhiệm vụ quản lý nhà nước về đất đai"], segment=False)[0]
    # Ủy_ban_nhân_dân | tỉnh | giao | nhiệm_vụ | quản_lý | nhà_nước | về | đất_đai: the 8th syllable ("vụ")
    # ends a word, the 9th and 10th ("quản lý") would not fit
    doc = replace(doc, word_sizes=(4, 1, 1, 2, 2, 2, 1, 2))
    text = _Text(doc)
    assert text.quote(0, 11) == "Ủy ban nhân dân tỉnh giao nhiệm vụ"
    # a first word longer than the cap is cut inside it
    long_word = _Text(replace(doc, word_sizes=(13,)))
    assert long_word.quote(0, 13) == "Ủy ban nhân dân tỉnh giao nhiệm vụ"


def test_a_phrase_never_spans_a_line_break() -> None:
    text = _text("Căn cứ Nghị định của Chính phủ về\nvăn bản quy phạm pháp luật")
    quoted = text.quote(*_span(text, "về văn bản"))
    assert "\n" not in quoted
    assert quoted == "về văn bản"


def test_offsets_that_jumped_ahead_fall_back_to_the_syllables_own_text() -> None:
    # On a damaged text a syllable may be found at a later occurrence: the slice would be a whole passage.
    raw = "quy phạm pháp luật đã được sửa đổi, bổ sung một số điều theo Nghị định; Vụ Pháp chế thi hành Luật này."
    text = _text(raw)
    start, end = _span(text, "pháp luật")
    later = raw.rindex("Luật")
    text.offsets[end - 1] = (later, later + len("Luật"))
    assert text.quote(start, end) == "pháp Luật"


def test_a_missing_offset_quotes_the_syllables() -> None:
    doc: AnalyzedText = analyze_texts(["giao đất cho hộ gia đình"], segment=False)[0]
    text = _Text(doc)
    text.offsets = [None] * len(doc.syllables)
    assert text.quote(0, 2) == "giao đất"


def test_a_long_list_is_cut_between_its_items() -> None:
    text = _text("Phát triển khoa học, công nghệ, đổi mới sáng tạo, chuyển đổi số quốc gia")
    start, end = _span(text, "khoa học công nghệ đổi mới sáng tạo chuyển đổi số")
    assert text.quote(start, end) == "khoa học, công nghệ, đổi mới sáng tạo"
    text = _text("Giáo dục mầm non, giáo dục trung học phổ thông")
    assert text.quote(0, len(text.doc.syllables)) == "Giáo dục mầm non"
