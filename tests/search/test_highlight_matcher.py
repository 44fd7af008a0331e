"""The matcher behind snippets: built once per set of terms (cached), whole words only, on real Lào Cai texts."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from corpus.highlight import Matcher, highlight_text
from corpus.query import fold_term

FORMS = {"duong": ("đường", "dương", "dưỡng"), "ke": ("kế", "kê", "kể"), "hoach": ("hoạch",)}


def test_same_terms_same_matcher_whatever_their_order_or_case() -> None:
    first = Matcher.for_terms(["Duong", "ke"], ["Hoạch"], forms=lambda t: FORMS.get(t, ()))
    again = Matcher.for_terms(["ke", "duong"], ["hoạch", "hoạch"], forms=lambda t: FORMS.get(t, ()))
    assert again is first  # served from the cache
    assert ("đường", "duong") in first.forms and ("hoạch", "hoach") in first.forms
    assert first.fallback == (("hoach", "hoach"),) and first.loose == ()


def test_a_refreshed_vocabulary_gives_a_new_matcher() -> None:
    before = Matcher.for_terms({"duong"}, forms=lambda t: ("đường",))
    after = Matcher.for_terms({"duong"}, forms=lambda t: ("đường", "dương"))
    assert after is not before
    assert highlight_text("mở rộng dương tính", before) == ()
    assert highlight_text("mở rộng dương tính", after) == ("mở rộng <mark>dương</mark> tính",)
    # without a vocabulary every form is searched for (the all-forms pattern)
    assert Matcher.for_terms({"duong"}).loose == ("duong",)


@pytest.fixture(scope="module")
def laocai_texts(shared_data: Path) -> list[str]:
    path = shared_data / "admin" / "laocai_fulltext.jsonl"
    with open(path, encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    texts = [r["text"] for r in rows if r.get("text_quality") == "ok" and r.get("text")]
    assert len(texts) > 50, path
    return texts


def _whole_words(text: str, form: str) -> list[int]:
    """An independent definition of a whole-word occurrence: no letter or digit on either side."""
    pattern = re.compile(rf"(?<![^\W_]){re.escape(form)}(?![^\W_])")
    return [m.start() for m in pattern.finditer(text)]


def test_whole_word_occurrences_on_real_documents(laocai_texts: list[str]) -> None:
    # Forms that also occur inside longer words ("an" in "toàn", "ban"; "hóa" in "hóa chất" and "hoá")
    words = ["an", "ban", "hóa", "công", "tỉnh", "số", "ubnd", "2025", "lào", "cai"]
    matcher = Matcher.for_terms(set(), words)
    checked = 0
    for text in laocai_texts:
        low = text.lower()
        if len(low) != len(text):
            continue
        window = low[:4000]
        found = Matcher._find(window, matcher.forms)
        for form, key in matcher.forms:
            expected = _whole_words(window, form)[:8]
            assert [s for s, _, k in found if k == key and window[s : s + len(form)] == form] == expected
            checked += len(expected)
    assert checked > 1000


def test_fragments_mark_every_whole_word_of_the_query(laocai_texts: list[str]) -> None:
    folded = ["ke", "hoach", "phong", "chong"]
    vocabulary = {"ke": ("kế",), "hoach": ("hoạch",), "phong": ("phòng",), "chong": ("chống",)}
    matcher = Matcher.for_terms(folded, forms=lambda t: vocabulary.get(t, ()))
    shown = 0
    for text in laocai_texts:
        for fragment in highlight_text(text, matcher, max_fragments=2):
            shown += 1
            marked = re.findall(r"<mark>(.*?)</mark>", fragment)
            assert marked
            assert all(fold_term(w).lower() in folded for m in marked for w in re.findall(r"\w+", m))
            plain = re.sub(r"</?mark>", "", fragment).strip("…")
            assert " ".join(plain.split()) == plain  # white space collapsed
    assert shown > 20


def test_a_word_of_a_typed_pair_standing_apart_from_it_is_not_marked() -> None:
    # QA: "kế hoạch" marked the "hoạch" of "thu hoạch", "tiếp công dân" the "tiếp" of "tiếp tục"
    from corpus.query import parse_query

    text = "Kế hoạch thu hoạch lúa; tiếp tục tổ chức tiếp công dân tại trụ sở, nhân dân đồng tình."
    for query in ("kế hoạch tiếp công dân", "ke hoach tiep cong dan"):
        parsed = parse_query(query)
        exact, folded = parsed.highlight_terms()
        matcher = Matcher.for_terms(folded, exact, pairs=parsed.highlight_pairs())
        marked = [text[s:e] for s, e, _ in matcher.spans(text)]
        assert marked == ["Kế hoạch", "tiếp công dân"], (query, marked)
    # without the pair in the text, the words on their own are still marked: they are why it matched
    harvest = "thu hoạch lúa"
    alone = Matcher.for_terms({"ke", "hoach"}, pairs=parse_query("ke hoach").highlight_pairs())
    assert [harvest[s:e] for s, e, _ in alone.spans(harvest)] == ["hoạch"]


def test_long_questions_mark_every_word() -> None:
    from corpus.query import parse_query

    question = "người chưa thành niên có được cư trú tại nơi khác với cha mẹ hay không"
    assert parse_query(question).highlight_pairs() == frozenset()


@pytest.mark.parametrize(
    ("query", "marked"),
    [("03 ct ubnd", "03/CT-UBND"), ("3/CT-UBND", "03/CT-UBND"), ("số 03/CT-UBND", "03/CT-UBND")],
)
def test_a_numbers_parts_apart_from_it_are_not_marked(query: str, marked: str) -> None:
    # QA: "03 ct ubnd" marked the "3." numbering a list; the lone "UBND" is not the number either, and "số"
    # before a number only scores (marked, it lit up every "Sở")
    from corpus.query import parse_query

    text = "Thực hiện Chỉ thị số 03/CT-UBND ngày 20/02/2023; 3. Thanh tra tỉnh rà soát; UBND huyện báo cáo."
    parsed = parse_query(query, lambda code: code in {"CT", "UBND"})
    exact, folded = parsed.highlight_terms()
    matcher = Matcher.for_terms(folded, exact, phrases=parsed.highlight_phrases(), pairs=parsed.highlight_pairs())
    assert [text[s:e] for s, e, _ in matcher.spans(text)] == [marked]


@pytest.mark.parametrize(
    ("query", "text", "marked"),
    [
        # QA: a lone "UBND" of "Nơi nhận" and the "CP" of another decree were marked for the number
        ("56/KH-UBND", "Nơi nhận: - CT, các PCT UBND tỉnh; - Lưu: VT.", []),
        ("71/2024/NĐ-CP", "Nghị quyết số 17/2026/NQ-CP; Nghị định số 94/2019/NĐ-CP của Chính phủ.", []),
        ("71/2024/NĐ-CP", "Căn cứ Nghị định số 71/2024/NĐ-CP ngày 27/6/2024 và Nghị định 94/2019/NĐ-CP.",
         ["71/2024/NĐ-CP"]),
        ("56 kh ubnd", "Thực hiện Kế hoạch số 56/KH-UBND; UBND huyện báo cáo.", ["56/KH-UBND"]),
        ("số 56", "Sở Văn hóa, Thể thao và Du lịch chủ trì; mục 56 của phụ lục.", ["56"]),
    ],
)
def test_a_number_is_marked_whole_or_not_at_all(query: str, text: str, marked: list[str]) -> None:
    from corpus.query import parse_query

    parsed = parse_query(query, lambda code: code in {"KH", "UBND", "ND", "CP", "NQ"})
    exact, folded = parsed.highlight_terms()
    matcher = Matcher.for_terms(folded, exact, phrases=parsed.highlight_phrases(), pairs=parsed.highlight_pairs())
    assert [text[s:e] for s, e, _ in matcher.spans(text)] == marked
