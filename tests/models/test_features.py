"""Feature streams: spans line up with syllables, diacritics and Unicode forms do not matter."""

from __future__ import annotations

import unicodedata

import numpy as np

from models.features import CharAnalyzer, NgramAnalyzer, PrefixAnalyzer, analyze_texts, surface_offsets
from models.linear import CalibratedLinearSVC


def test_nfc_nfd_and_eth_read_the_same() -> None:
    nfc = "Quyết định về việc giao đất cho Ủy ban nhân dân huyện"
    nfd = unicodedata.normalize("NFD", nfc)
    a, b = analyze_texts([nfc, nfd], segment=False)
    assert a.syllables == b.syllables
    assert a.folded[:2] == ("quyet", "dinh")


def test_spans_cover_the_right_syllables() -> None:
    doc = analyze_texts(["V/v tăng cường quản lý hóa chất năm 2022"])[0]
    assert "#" in doc.syllables  # numbers read alike
    for analyzer in (NgramAnalyzer("syllables", (1, 3), True), NgramAnalyzer("words", (1, 2)),
                     NgramAnalyzer("folded", (1, 2)), CharAnalyzer((3, 5)), PrefixAnalyzer(3)):
        for feature, start, end in analyzer.spans(doc):
            assert 0 <= start < end <= len(doc.syllables), (feature, start, end)
    assert "^v/v" in PrefixAnalyzer(3)(doc)
    words = NgramAnalyzer("words", (1, 1))(doc)
    assert "w:tăng_cường" in words and "w:quản_lý" in words


def test_abbreviations_expand_next_to_the_short_form() -> None:
    doc = analyze_texts(["thực hiện luật bhyt"], segment=False)[0]
    grams = NgramAnalyzer("syllables", (1, 1), expand_abbreviations=True)(doc)
    assert "bhyt" in grams and "bảo" in grams and "hiểm" in grams


def test_surface_offsets_quote_the_original() -> None:
    doc = analyze_texts(["Về việc Giao Đất tại Phường  Phú Hòa"], segment=False)[0]
    offsets = surface_offsets(doc)
    assert [doc.text[s:e] for s, e in offsets[2:4]] == ["Giao", "Đất"]


def test_a_lower_cased_code_after_a_number_is_quoted_from_its_number() -> None:
    """QA (2026-11-30): in "kế hoạch số 140-kh/tu … triển khai" the number's offsets took the whole
    "140-kh/tu", so "kh" was found in "khai" and the code letters "ct", "tu" were given as reasons."""
    title = "kế hoạch số 140-kh/tu ngày 07/7/2020 của tỉnh ủy về triển khai chỉ thị số 42-ct/tw của ban bí thư"
    doc = analyze_texts([title], segment=True)[0]  # as the models read it: "#", "kh", "tu"
    offsets = surface_offsets(doc)
    quoted = {syl: doc.text[s:e] for syl, (s, e) in zip(doc.syllables, offsets, strict=True) if syl in {"kh", "ct"}}
    assert quoted == {"kh": "kh", "ct": "ct"}
    numbers = [doc.text[s:e] for syl, (s, e) in zip(doc.syllables, offsets, strict=True) if syl == "#"]
    assert numbers == ["140", "07/7/2020", "42"]
    assert doc.text.index("kh", offsets[doc.syllables.index("kh")][0]) < doc.text.index("khai")


def test_probabilities_are_a_distribution_for_two_classes() -> None:
    X = np.array([[1.0, 0.0], [0.8, 0.2], [0.0, 1.0], [0.2, 0.8]] * 4)
    clf = CalibratedLinearSVC(calibration_folds=2).fit(X, ["a", "a", "b", "b"] * 4)
    proba = clf.predict_proba(X)
    assert proba.shape == (16, 2)
    assert np.allclose(proba.sum(axis=1), 1.0)
    assert clf.temperature_ > 0
    assert list(clf.predict(X[:3])) == ["a", "a", "b"]


def test_frame_phrases_are_marked_but_subject_words_are_not() -> None:
    from models.boilerplate import frame_mask

    title = "kế hoạch tổ chức triển khai thực hiện về công chức trên địa bàn tỉnh bình dương"
    syllables = tuple(title.split())
    kept = [s for s, frame in zip(syllables, frame_mask(syllables), strict=True) if not frame]
    assert kept == ["công", "chức"]  # "tổ chức" is frame, "công chức" is a subject


def test_skip_frame_drops_only_features_made_of_frame() -> None:
    doc = analyze_texts(["Kế hoạch tổ chức thi tuyển công chức năm 2020"], segment=False)[0]
    plain = NgramAnalyzer("syllables", (1, 2))(doc)
    skipped = NgramAnalyzer("syllables", (1, 2), skip_frame=True)(doc)
    assert "tổ chức" in plain and "tổ chức" not in skipped and "kế hoạch" not in skipped
    assert {"công chức", "thi tuyển", "chức thi"} <= set(skipped)  # mixed n-grams stay
    assert NgramAnalyzer("folded", (1, 1), skip_frame=True)(doc) == ["f:thi", "f:tuyen", "f:cong", "f:chuc"]


def test_frame_phrases_respect_diacritics_unless_the_text_has_none() -> None:
    from models.boilerplate import frame_mask, reason_mask

    def kept(title: str, mask_of=frame_mask) -> list[str]:
        syllables = tuple(title.split())
        return [s for s, frame in zip(syllables, mask_of(syllables), strict=True) if not frame]

    # "chợ" (market) is not "cho", "tai" of "thiên tai" not "tại", "sở"/"tư" not "số"/"từ", "nam" not "năm"
    assert kept("kế hoạch tổ chức chợ phiên tại xã") == ["chợ", "phiên"]
    assert kept("phòng chống thiên tai và xả thải") == ["phòng", "chống", "thiên", "tai", "xả", "thải"]
    assert kept("thanh tra sở tư pháp đến năm 2025") == ["thanh", "tra", "sở", "tư", "pháp", "2025"]
    assert kept("khu công nghiệp nam tân uyên", lambda s: reason_mask(s, False)) == ["khu", "công", "nghiệp",
                                                                                    "nam", "tân", "uyên"]  # fmt: skip
    # typed without diacritics: the folded phrases match, as before
    assert kept("ke hoach to chuc cho phien tai xa") == ["phien"]


def kept(title: str) -> list[str]:
    """The syllables of ``title`` that are not frame (what the topic model may read)."""
    from models.boilerplate import frame_mask

    syllables = tuple(title.split())
    return [s for s, frame in zip(syllables, frame_mask(syllables), strict=True) if not frame]


def test_every_province_is_frame_but_ho_chi_minh_thought_is_a_subject() -> None:
    # a model trained in Bình Dương and Sơn La is used in Quảng Ninh: the place must not be a hint
    assert kept("phòng chống thiên tai trên địa bàn tỉnh quảng ninh") == ["phòng", "chống", "thiên", "tai"]
    assert kept("xây dựng nông thôn mới tỉnh đắk lắk") == ["xây", "dựng", "nông", "thôn", "mới"]
    assert kept("học tập và làm theo tư tưởng hồ chí minh") == ["học", "tập", "làm", "tư", "tưởng", "hồ", "chí",
                                                                "minh"]  # fmt: skip


def test_the_frame_of_a_law_or_its_decree_leaves_the_subject() -> None:
    # Lào Cai QA: a decree implementing the minerals law was filed under tư pháp for its frame ("biện pháp thi
    # hành Luật"); the field is what the law is about.
    assert kept("nghị định quy định chi tiết một số điều và biện pháp thi hành luật địa chất và khoáng sản") == [
        "nghị", "định", "địa", "chất", "khoáng", "sản"]
    # subjects that contain the same syllables stay: enforcement of judgments, lawyers, law dissemination
    assert kept("thi hành án dân sự") == ["thi", "hành", "án", "dân", "sự"]
    assert "pháp" in kept("phổ biến giáo dục pháp luật") and "sư" in kept("đoàn luật sư tỉnh")


def test_a_committee_is_filed_under_its_task() -> None:
    # topic_guidelines.md: setting up a steering committee is nội vụ "unless the committee's field is clearly
    # another topic, then that topic" — the words that set it up are frame, its task is the subject.
    assert kept("về việc kiện toàn ban chỉ đạo về dữ liệu tỉnh sơn la") == ["dữ", "liệu"]
    assert kept("thành lập ban tổ chức ngày hội việc làm") == ["hội", "việc", "làm"]  # "ngày" is a date word
    assert kept("thành lập hội đồng thi đua khen thưởng") == ["thi", "đua", "khen", "thưởng"]
    assert "hội" in kept("ban hành nghị quyết của hội đồng nhân dân tỉnh về an sinh xã hội")  # "xã hội" stays
