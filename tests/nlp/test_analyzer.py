"""The analyser: protected numbers and dates, word segmentation, folding, batch parity."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from underthesea import word_tokenize

from nlp.analyzer import ANALYZER_VERSION, analyze, analyze_batch
from nlp.segment import segment, segment_batch

SENTENCE = "Kế hoạch số 139/KH-UBND ngày 12/7/2022 của UBND tỉnh Đắk Lắk"


def test_numbers_and_dates_are_single_tokens() -> None:
    result = analyze(SENTENCE)
    assert "139/KH-UBND" in result.words and "12/7/2022" in result.words
    assert "kế_hoạch" in result.words
    assert result.numbers == ["139/KH-UBND"] and result.dates == ["12/7/2022"]
    assert "kế" in result.syllables and "hoạch" in result.syllables
    assert "ke" in result.folded and "hoach" in result.folded


def test_nfd_and_tone_variants_give_identical_analysis() -> None:
    assert analyze(unicodedata.normalize("NFD", SENTENCE)) == analyze(SENTENCE)
    assert analyze("công tác hoà giải ở cơ sở").words == analyze("công tác hòa giải ở cơ sở").words


def test_text_without_diacritics_folds_to_the_same_syllables() -> None:
    plain = analyze("ke hoach phong chong thien tai")
    marked = analyze("kế hoạch phòng chống thiên tai")
    assert plain.folded == marked.folded


def test_malformed_number_is_canonicalised_in_words() -> None:
    result = analyze("Quyết định số 2403/QÐ-UBND và V/v thủy lợi")
    assert "2403/QĐ-UBND" in result.words and "V/v" in result.words
    assert "2403/QĐ-UBND" in result.numbers


def test_one_syllable_words_are_kept_and_punctuation_dropped() -> None:
    result = analyze("Ý kiến của người dân ở xã, phường.")
    assert "ý_kiến" in result.words and "ở" in result.words
    assert all(any(ch.isalnum() for ch in w) for w in result.words)


def test_segment_matches_underthesea() -> None:
    text = "Bác sĩ bây giờ có thể thản nhiên báo tin bệnh nhân bị ung thư"
    assert segment(text) == word_tokenize(text)


def test_batch_equals_one_by_one_with_repeats() -> None:
    texts = [SENTENCE, "Về việc tăng cường phòng, chống dịch bệnh", SENTENCE, "", "V/v thủy lợi"] * 3
    assert analyze_batch(texts) == [analyze(t) for t in texts]


def test_analysis_json_carries_the_analyzer_version() -> None:
    payload = analyze(SENTENCE).to_dict()
    assert payload["analyzer"] == ANALYZER_VERSION
    json.dumps(payload, ensure_ascii=False)


@pytest.mark.shared
def test_batch_segmentation_is_identical_to_underthesea_on_real_titles(shared_data: Path) -> None:
    with open(shared_data / "admin" / "sonla.jsonl", encoding="utf-8") as handle:
        titles = [json.loads(line)["title"] for line in handle][:300]
    assert segment_batch(titles, workers=2, parallel_threshold=0) == [word_tokenize(t) for t in titles]
