"""The per-class n-gram language-model classifier: separates topics, proper distributions, sklearn contract."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.pipeline import Pipeline

from models.features import Analyze, analyze_texts
from models.ngram_lm import BOS, NgramLMClassifier

SPORT = [
    "Đội tuyển Việt Nam thắng Thái Lan hai bàn trong trận chung kết tối qua",
    "Huấn luyện viên gọi thêm ba cầu thủ trẻ lên đội tuyển quốc gia",
    "Tiền đạo ghi bàn ở phút cuối giúp câu lạc bộ giành chức vô địch",
    "Trận đấu bị hoãn vì mưa lớn, hai đội sẽ thi đấu lại vào tuần sau",
    "Thủ môn cản phá quả phạt đền, đội chủ nhà giữ trắng lưới",
]
ECONOMY = [
    "Giá vàng trong nước tăng mạnh theo giá thế giới sáng nay",
    "Ngân hàng nhà nước giảm lãi suất điều hành để hỗ trợ doanh nghiệp",
    "Xuất khẩu gạo tháng này tăng so với cùng kỳ năm trước",
    "Giá xăng dầu giảm lần thứ ba liên tiếp từ chiều nay",
    "Doanh nghiệp vừa và nhỏ khó tiếp cận vốn vay ngân hàng",
]
LABELS = ["the thao"] * len(SPORT) + ["kinh doanh"] * len(ECONOMY)


@pytest.fixture(scope="module")
def docs() -> list:
    return analyze_texts(SPORT + ECONOMY, segment=False)


@pytest.mark.parametrize("order", [1, 2, 3])
@pytest.mark.parametrize("kneser_ney", [True, False])
def test_separates_two_topics(docs: list, order: int, kneser_ney: bool) -> None:
    clf = NgramLMClassifier(order=order, kneser_ney=kneser_ney).fit(docs, LABELS)
    unseen = analyze_texts(["Đội tuyển giành chức vô địch sau trận chung kết",
                            "Lãi suất ngân hàng giảm, doanh nghiệp dễ vay vốn hơn"], segment=False)
    assert clf.predict(unseen).tolist() == ["the thao", "kinh doanh"]
    assert list(clf.classes_) == ["kinh doanh", "the thao"]


def test_probabilities_sum_to_one(docs: list) -> None:
    clf = NgramLMClassifier(order=3).fit(docs, LABELS)
    proba = clf.predict_proba(docs + [("giá", "vàng")])
    assert proba.shape == (len(docs) + 1, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert (proba > 0).all()
    # Same argmax as predict: the per-syllable normalisation keeps the ranking.
    np.testing.assert_array_equal(clf.classes_[proba.argmax(axis=1)], clf.predict(docs + [("giá", "vàng")]))


@pytest.mark.parametrize(("modified", "background"), [(False, False), (True, False), (True, True)])
@pytest.mark.parametrize("discount", [None, 0.3, 0.9])
def test_each_class_model_is_a_distribution(docs: list, discount: float | None, modified: bool,
                                            background: bool) -> None:
    """For any context, P(w | context, class) over the whole vocabulary (with <unk>) sums to 1."""
    clf = NgramLMClassifier(order=3, discount=discount, modified=modified, background=background).fit(docs, LABELS)
    size = np.int64(clf.n_ids_)
    words = np.array([i for i in range(int(size)) if i != BOS], dtype=np.int64)
    vocab = clf.vocabulary_
    contexts = [(BOS, BOS), (vocab["giá"], vocab["vàng"]), (vocab["đội"], vocab["tuyển"]),
                (vocab["ngân"], vocab["đội"]), (0, vocab["giá"])]
    for first, second in contexts:
        keys = [words, second * size + words, first * size**2 + second * size + words]
        np.testing.assert_allclose(clf._probabilities(keys).sum(axis=0), 1.0, rtol=1e-5)


def test_unseen_words_and_empty_documents_stay_finite(docs: list) -> None:
    clf = NgramLMClassifier(order=3).fit(docs, LABELS)
    scores = clf.decision_function([("xyzzy", "quớt", "blorp"), (), ("giá", "<s>", "<unk>", "vàng")])
    assert np.isfinite(scores).all()
    assert np.allclose(scores[1], clf.class_log_prior_)  # nothing read: only the prior speaks
    assert np.isclose(clf.predict_proba([()]).sum(), 1.0)


def test_sklearn_contract_and_pipeline(docs: list) -> None:
    clf = NgramLMClassifier(order=2, discount=0.6, kneser_ney=False)
    assert clf.get_params() == {"order": 2, "discount": 0.6, "kneser_ney": False, "modified": False, "background": False, "fit_prior": True,
                                "lowercase": True}
    copy = clone(clf).set_params(order=3)
    assert copy.order == 3 and clf.order == 2 and not hasattr(copy, "classes_")
    pipe = Pipeline([("analyze", Analyze(segment=False)), ("clf", clf)]).fit(SPORT + ECONOMY, LABELS)
    assert pipe.predict(["Giá vàng giảm mạnh"]).tolist() == ["kinh doanh"]
    with pytest.raises(TypeError, match="Analyze"):
        NgramLMClassifier().fit(["một chuỗi thô"], ["a"])
    with pytest.raises(ValueError, match="discount"):
        NgramLMClassifier(discount=1.5).fit(docs, LABELS)


def test_token_sequences_are_lower_cased(docs: list) -> None:
    clf = NgramLMClassifier(order=2).fit([d.syllables for d in docs], LABELS)
    upper = [[t.upper() for t in d.syllables] for d in docs]
    np.testing.assert_allclose(clf.decision_function(upper), clf.decision_function(docs))


def test_fitting_is_deterministic(docs: list) -> None:
    first = NgramLMClassifier(order=3).fit(docs, LABELS)
    second = NgramLMClassifier(order=3).fit(list(docs), list(LABELS))
    probe = analyze_texts(["Giá vàng và đội tuyển"], segment=False) + docs
    np.testing.assert_array_equal(first.decision_function(probe), second.decision_function(probe))
