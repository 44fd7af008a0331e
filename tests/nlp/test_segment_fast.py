"""The fast segmenter gives exactly underthesea.word_tokenize's words: hand-written edge cases, real corpora,
the model reader, the tokenizer shortcut, per-token facts, Viterbi scores, the process pool and fallbacks."""

from __future__ import annotations

import gzip
import json
import unicodedata
from itertools import islice
from pathlib import Path

import numpy as np
import pytest
import underthesea
from underthesea import word_tokenize
from underthesea.pipeline.text_normalize import token_normalize
from underthesea.pipeline.word_tokenize import regex_tokenize

from nlp.crf_model import CRFModelError, parse_crfsuite, read_crfsuite, viterbi
from nlp.segment import Segmenter, default_segmenter, segment, segment_batch
from nlp.segment_fast import _token_of, model_dir

LONG_LINE = " ".join(
    ["Ủy ban nhân dân tỉnh Bình Dương ban hành Kế hoạch số 139/KH-UBND ngày 12/7/2022."] * 600
)

EDGE_CASES = [
    "",
    "   ",
    "\n\n",
    "Kế hoạch triển khai công tác phòng chống dịch",
    "KẾ HOẠCH TRIỂN KHAI CÔNG TÁC PHÒNG, CHỐNG DỊCH COVID-19 NĂM 2022",
    "kế hoạch triển khai công tác phòng chống dịch bệnh trên địa bàn tỉnh",
    "Quyết định số 49/2015/QĐ-TTg ngày 14/10/2015 của Thủ tướng Chính phủ",
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020; Thông tư 01/2011/TT-BNV.",
    "Ngày 02-03-2014, lúc 10:20:50, giá 60.542.000 đồng (tăng 4.123,2%), diện tích 3x4 m, nhiệt độ 35°C",
    "UBND tỉnh; HĐND; TP.HCM; T.Ư; Tp. Hồ Chí Minh; Th.S Nguyễn Văn A; ThS. Lê B; Dr. Smith; Mr. Brown",
    "Th Sơn và Th sinh, This is Thus, ThiS ThaS",  # underthesea's "Th.S" pattern has an unescaped dot
    "(Th Sơn) xã N’Thôn Hạ, H'Mông, H&M, e-mail: vanthu@binhduong.gov.vn, web https://binhduong.gov.vn/a?b=1",
    "Biển số 43H-0530, điện thoại 03-5730-2357, màn hình 4K, khổ 1.600m-2.000m, v.v... v.v. và v.v",
    "Hỏi: => trả lời ==> ok -> tiếp >> hết ... ---- :) :)) =)) <3 ♥‿♥ Đạo diễn :Dương Tuấn Anh",
    "Ðồng Nai và Đồng Nai; nghành giáo dục; hoà bình; Hòa Bình; thuỷ lợi",
    unicodedata.normalize("NFD", "Phòng Tư pháp huyện Dầu Tiếng tổ chức hội nghị"),
    "Tiếng Anh: The Ministry of Home Affairs issued Circular No. 01/2011 on administrative documents.",
    "ΑΣ ΣΟΦΙΑ Σ λόγος — 中华人民共和国 — Москва — ƛ ß ǅ İstanbul — émoji 😀 ✓ ½ ² ٣ १२",
    "Số 2147483647 và 2147483648, -5, +7, 007, 1_000, ١٢٣",
    "Tab\tseparated\u00a0no-break\u2028line\u3000ideographic space",
    "V/v tăng cường công tác quản lý nhà nước về đất đai",
    "BOS EOS bos eos T[0]=BOS",
    LONG_LINE,
    "dòng một\ndòng hai\r\ndòng ba\n\nđoạn mới: Điều 1. Phạm vi điều chỉnh",
]


@pytest.fixture(scope="module")
def loaded() -> Segmenter:
    """One loaded segmenter for the module (loading takes a second or two)."""
    segmenter = Segmenter(cache_size=0)
    segmenter.load()
    return segmenter


@pytest.fixture
def segmenter(loaded: Segmenter) -> Segmenter:
    loaded.clear_cache()  # no cached texts, no learned tokens: every test starts cold
    return loaded


def test_edge_cases_equal_word_tokenize(segmenter: Segmenter) -> None:
    expected = [word_tokenize(text) for text in EDGE_CASES]
    assert [list(words) for words in segmenter.segment_many(EDGE_CASES)] == expected
    assert [segment(text) for text in EDGE_CASES] == expected


def test_one_text_at_a_time_equals_batch(segmenter: Segmenter) -> None:
    batch = segmenter.segment_many(EDGE_CASES)
    segmenter.clear_cache()
    assert [segmenter.segment_many([t])[0] for t in EDGE_CASES] == batch


def test_pool_path_equals_in_process_path() -> None:
    texts = EDGE_CASES * 3 + [
        f"Công văn số {i}/UBND-VX về việc phân bổ kinh phí năm {2000 + i}" for i in range(200)
    ]
    in_process = segment_batch(texts, workers=1)
    default_segmenter().clear_cache()
    assert segment_batch(texts, workers=2, parallel_threshold=0) == in_process
    assert in_process == [word_tokenize(t) for t in texts]


def test_bad_input_is_a_clear_error() -> None:
    with pytest.raises(TypeError, match="expects str"):
        segment(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="expects str"):
        segment_batch(["một", 2], workers=1)  # type: ignore[list-item]


def test_swapped_underthesea_regex_is_followed(segmenter: Segmenter) -> None:
    """A fixed_words call leaves underthesea's tokenizer regex replaced; our output follows it too."""
    original = regex_tokenize.patterns
    text = "Ủy ban nhân dân tỉnh chỉ đạo Viện nghiên cứu phát triển"
    try:
        word_tokenize(text, fixed_words=["Viện nghiên cứu"])
        assert regex_tokenize.patterns is not original
        assert segmenter.segment_many([text])[0] == tuple(word_tokenize(text))
    finally:
        regex_tokenize.patterns = original


@pytest.mark.shared
def test_real_titles_and_articles_equal_word_tokenize(shared_data: Path, segmenter: Segmenter) -> None:
    with open(shared_data / "admin" / "binhduong.jsonl", encoding="utf-8") as handle:
        titles = [json.loads(line)["title"] or "" for line in islice(handle, 300)]
    with open(shared_data / "admin" / "sonla.jsonl", encoding="utf-8") as handle:
        titles += [json.loads(line)["title"] or "" for line in islice(handle, 100)]
    with gzip.open(shared_data / "bench" / "vntc" / "test.jsonl.gz", "rt", encoding="utf-8") as handle:
        articles = [json.loads(line)["text"] for line in islice(handle, 40)]
    with open(shared_data / "admin" / "laocai_fulltext.jsonl", encoding="utf-8") as handle:
        articles += [(json.loads(line)["text"] or "")[:20_000] for line in islice(handle, 8)]
    texts = titles + articles
    assert [list(w) for w in segmenter.segment_many(texts)] == [word_tokenize(t) for t in texts]


def _model_path() -> Path:
    return model_dir() / "models.bin"


def test_model_reader_labels_and_weights() -> None:
    model = read_crfsuite(_model_path())
    assert model.labels == ("B-W", "I-W")
    assert model.state.shape == (len(model.attributes), 2) and model.transition.shape == (2, 2)
    index = model.attribute_index()
    assert "T[-1]=BOS" in index and "T[0].istitle=True" in index
    pycrfsuite = pytest.importorskip("pycrfsuite")  # an independent reader of the same format (bench group)
    tagger = pycrfsuite.Tagger()
    tagger.open(str(_model_path()))
    info = tagger.info()
    assert tuple(tagger.labels()) == model.labels
    labels = {label: i for i, label in enumerate(model.labels)}
    assert len(info.state_features) == int((model.state != 0).sum())
    features = list(info.state_features.items())  # pycrfsuite prints weights with 6 decimals
    rows = np.array([index[attribute] for (attribute, _), _ in features])
    columns = np.array([labels[label] for (_, label), _ in features])
    expected = np.array([weight for _, weight in features])
    np.testing.assert_allclose(model.state[rows, columns], expected, rtol=0, atol=1e-6)
    for (before, after), weight in info.transitions.items():
        assert model.transition[labels[before], labels[after]] == pytest.approx(weight, abs=1e-6)


def test_model_reader_refuses_other_files(tmp_path: Path) -> None:
    data = _model_path().read_bytes()
    with pytest.raises(CRFModelError, match="not a CRFsuite"):
        parse_crfsuite(b"XXXX" + data[4:])
    with pytest.raises(CRFModelError):
        parse_crfsuite(data[:5000])
    with pytest.raises(CRFModelError, match="cannot read"):
        read_crfsuite(tmp_path / "missing.bin")


def test_best_path_and_score_equal_underthesea_core(segmenter: Segmenter) -> None:
    """Emission sums are bit-identical: the Viterbi score equals CRFTagger.tag_with_score exactly."""
    import joblib
    from underthesea_core import CRFFeaturizer, CRFTagger

    directory = model_dir()
    featurizer = CRFFeaturizer(
        joblib.load(directory / "features.bin"), joblib.load(directory / "dictionary.bin")
    )
    tagger = CRFTagger()
    tagger.load(str(directory / "models.bin"))
    fast = segmenter._fast
    assert fast is not None
    texts = [t for t in EDGE_CASES if t.strip()][:-2]
    for text in texts:
        tokens = regex_tokenize.tokenize(text)
        labels, score = tagger.tag_with_score(featurizer.process([[[t] for t in tokens]])[0])
        ours_labels, ours_score = fast.best_path(text)
        assert [fast.features.labels[i] for i in ours_labels] == labels
        assert ours_score == score


def test_viterbi_ties_keep_the_first_label() -> None:
    assert viterbi([0.0], [0.0], np.zeros((2, 2))) == ([0], 0.0)
    assert viterbi([0.0, 1.0], [0.0, 1.0], np.zeros((2, 2))) == ([0, 0], 1.0)
    assert viterbi([], [], np.zeros((2, 2))) == ([], 0.0)


@pytest.mark.shared
def test_tokenizer_shortcut_finds_underthesea_tokens(shared_data: Path, segmenter: Segmenter) -> None:
    fast = segmenter._fast
    assert fast is not None
    with gzip.open(shared_data / "bench" / "vntc" / "test.jsonl.gz", "rt", encoding="utf-8") as handle:
        texts = EDGE_CASES + [json.loads(line)["text"] for line in islice(handle, 300)]
    for text in texts:
        normalized = regex_tokenize.normalize_characters_in_text(text)
        raw = [_token_of(m) for m in fast._pattern.finditer(normalized)]
        assert [token_normalize(t) for t in raw] == regex_tokenize.tokenize(text)


@pytest.mark.shared
def test_python_token_facts_equal_the_featurizer(shared_data: Path, segmenter: Segmenter) -> None:
    assert segmenter._fast is not None
    facts = segmenter._fast._facts
    assert "a" in facts.safe and "Đ" in facts.safe and "ơ" in facts.safe and "Σ" not in facts.safe
    with open(shared_data / "admin" / "sonla.jsonl", encoding="utf-8") as handle:
        titles = [json.loads(line)["title"] or "" for line in handle]
    tokens = sorted(
        {t for text in titles + EDGE_CASES[:-2] for t in regex_tokenize.tokenize(text) if " " not in t}
    )
    tokens += ["İ", "ß", "ǅ", "ƛ", "ΑΣ", "2147483647", "2147483648", "-2147483648", "+12", "007"]
    assert facts.facts(tokens) == facts.rust_facts(tokens)


def test_underthesea_version_is_recorded() -> None:
    from nlp.segment import UNDERTHESEA_VERSION

    assert underthesea.__version__ == UNDERTHESEA_VERSION


def test_the_cache_is_bounded_by_characters_and_keeps_what_repeats() -> None:
    cache = Segmenter(cache_size=1_000, cache_chars=10_000)  # texts over 100 characters are not cached
    header = "Độc lập - Tự do - Hạnh phúc"
    paragraphs = [f"Ủy ban nhân dân huyện số {i} triển khai kế hoạch phòng, chống dịch bệnh năm 2022" for i in range(200)]
    for paragraph in paragraphs:
        assert cache.segment_many([header, paragraph]) == [tuple(word_tokenize(header)), tuple(word_tokenize(paragraph))]
        entries, chars = cache.cache_stats()
        assert chars <= 10_000 and entries <= 1_000
    assert cache.cached(header) == tuple(word_tokenize(header))  # used all along: never the oldest
    assert cache.cached(paragraphs[0]) is None  # evicted to stay within the budget
    assert cache.cached(paragraphs[-1]) is not None
    assert cache.segment_many([LONG_LINE])[0] == tuple(word_tokenize(LONG_LINE))
    assert cache.cached(LONG_LINE) is None  # longer than 1% of the budget: not worth a place
    cache.clear_cache()
    assert cache.cache_stats() == (0, 0)
