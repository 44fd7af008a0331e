"""The paired comparison of two versions (models.compare), checked against figures computed by hand.

The predictions are constructed, so every count is known in advance; the p-values are binomial sums written
out with ``math.comb``, and the F1 scores come from scikit-learn directly.
"""

from __future__ import annotations

from math import comb

import pytest
from sklearn.metrics import f1_score

from models.classify import Classification, Prediction
from models.compare import EXAMPLES, NO_LABEL, TITLE_CHARS, compare_evaluations, compare_task, mcnemar_exact
from models.data import LabelledDoc
from models.evaluate import DocumentPredictions, Evaluation, Overlap, TaskReport, UnknownLabels

TITLES = [
    "Về việc thu hồi đất tại xã An Điền, thị xã Bến Cát",
    "Về việc tăng cường công tác phòng, chống dịch bệnh sốt xuất huyết",
    "Ban hành Quy chế quản lý, vận hành Hệ thống quản lý văn bản và điều hành",
    "Về việc giao đất cho Ủy ban nhân dân huyện Phú Giáo xây dựng trường học",
    "Kế hoạch tuyển sinh vào lớp 10 trung học phổ thông năm học 2024 - 2025",
    "Về việc phê duyệt dự toán kinh phí sửa chữa trụ sở làm việc",
    "Về việc tổ chức Lễ hội Xuân năm 2024 trên địa bàn tỉnh",
    "Về việc kiện toàn Ban Chỉ đạo cải cách hành chính tỉnh",
    "Về việc cấp giấy chứng nhận quyền sử dụng đất cho hộ gia đình, cá nhân",
    "Về việc tiêm chủng mở rộng cho trẻ em dưới 5 tuổi",
]
#            truth        baseline     candidate       outcome
CASES = [
    ("dat-dai", "dat-dai", "dat-dai"),      # both right
    ("y-te", "y-te", "y-te"),               # both right
    ("noi-vu", "noi-vu", "noi-vu"),         # both right
    ("dat-dai", "dat-dai", "dat-dai"),      # both right
    ("giao-duc", "van-hoa", "giao-duc"),    # fixed
    ("tai-chinh", None, "tai-chinh"),       # fixed (the baseline had no answer)
    ("van-hoa", "giao-duc", "van-hoa"),     # fixed
    ("noi-vu", "noi-vu", "tai-chinh"),      # broken
    ("dat-dai", "xay-dung", "noi-vu"),      # both wrong (changed)
    ("y-te", "giao-duc", "giao-duc"),       # both wrong
]
CONFIDENCE = [0.9, 0.8, 0.7, 0.95, 0.55, 0.0, 0.75, 0.6, 0.5, 0.4]


def _docs() -> list[LabelledDoc]:
    return [LabelledDoc(f"vb-{i:02d}", title=t, topic=CASES[i][0]) for i, t in enumerate(TITLES)]


def _pred(label: str | None, confidence: float) -> Prediction:
    return Prediction(label, None if label is None else confidence, "model" if label else "none")


def _preds(column: int) -> list[Prediction]:
    return [_pred(case[column], CONFIDENCE[i]) for i, case in enumerate(CASES)]


def _binomial_two_sided(k: int, n: int) -> float:
    """The exact two-sided sign test, written out: twice the smaller tail, at most 1."""
    tail = sum(comb(n, i) for i in range(min(k, n - k) + 1)) / 2**n
    return min(1.0, 2 * tail)


def test_paired_counts_scores_and_deltas_match_a_hand_count() -> None:
    truth = [c[0] for c in CASES]
    t = compare_task("topic", "topic", _docs(), truth, _preds(1), _preds(2))
    assert (t.n, t.both_right, t.fixed, t.broken, t.both_wrong) == (10, 4, 3, 1, 2)
    assert t.baseline_accuracy == pytest.approx(0.5) and t.candidate_accuracy == pytest.approx(0.7)
    assert t.accuracy_delta == pytest.approx(0.2)
    labels = sorted(set(truth))  # macro-F1 over the classes present, as `vanban evaluate`
    old = [c[1] or NO_LABEL for c in CASES]
    new = [c[2] for c in CASES]
    expected_old = f1_score(truth, old, average="macro", labels=labels, zero_division=0)
    expected_new = f1_score(truth, new, average="macro", labels=labels, zero_division=0)
    assert t.baseline_macro_f1 == pytest.approx(expected_old)
    assert t.candidate_macro_f1 == pytest.approx(expected_new)
    assert t.macro_f1_delta == pytest.approx(expected_new - expected_old)
    per_old = f1_score(truth, old, average=None, labels=labels, zero_division=0)
    per_new = f1_score(truth, new, average=None, labels=labels, zero_division=0)
    assert [c.label for c in t.per_class] == labels
    for c, f_old, f_new in zip(t.per_class, per_old, per_new, strict=True):
        assert (c.baseline_f1, c.candidate_f1) == (pytest.approx(f_old), pytest.approx(f_new))
        assert c.delta_f1 == pytest.approx(f_new - f_old)
    assert {c.label: c.support for c in t.per_class} == {"dat-dai": 3, "giao-duc": 1, "noi-vu": 2, "tai-chinh": 1,
                                                         "van-hoa": 1, "y-te": 2}
    # 3 fixed against 1 broken: 2 * (C(4,0) + C(4,1)) / 2^4 = 10/16.
    assert t.mcnemar_p == pytest.approx(0.625) and not t.significant


def test_changed_answers_are_listed_most_confident_mistake_first() -> None:
    truth = [c[0] for c in CASES]
    t = compare_task("topic", "topic", _docs(), truth, _preds(1), _preds(2))
    # Fixed: ordered by the baseline's confidence in its wrong answer (0.75, 0.55, then no answer).
    assert [c.id for c in t.fixed_examples] == ["vb-06", "vb-04", "vb-05"]
    first = t.fixed_examples[0]
    assert (first.true, first.baseline.label, first.candidate.label) == ("van-hoa", "giao-duc", "van-hoa")
    assert first.title == TITLES[6]
    assert t.fixed_examples[2].baseline.label == NO_LABEL and t.fixed_examples[2].baseline.confidence is None
    (broken,) = t.broken_examples
    assert broken.to_dict() == {"id": "vb-07", "title": TITLES[7], "true": "noi-vu",
                                "baseline": {"label": "noi-vu", "confidence": 0.6},
                                "candidate": {"label": "tai-chinh", "confidence": 0.6}}
    limited = compare_task("topic", "topic", _docs(), truth, _preds(1), _preds(2), examples=2)
    assert [c.id for c in limited.fixed_examples] == ["vb-06", "vb-04"] and limited.fixed == 3


def test_examples_are_capped_and_long_titles_cut() -> None:
    long_title = ("Về việc phê duyệt Đề án phát triển hạ tầng giao thông, thủy lợi và cấp nước sinh hoạt nông thôn "
                  "giai đoạn 2021 - 2025, định hướng đến năm 2030 trên địa bàn huyện Dầu Tiếng")
    docs = [LabelledDoc(f"vb-{i}", title=long_title, topic="nong-nghiep") for i in range(30)]
    truth = ["nong-nghiep"] * 30
    t = compare_task("topic", "topic", docs, truth, [_pred("xay-dung", 0.5)] * 30, [_pred("nong-nghiep", 0.8)] * 30)
    assert t.fixed == 30 and len(t.fixed_examples) == EXAMPLES == 20
    title = t.fixed_examples[0].title
    assert len(title) <= TITLE_CHARS and title.endswith("…") and long_title.startswith(title[:-1])
    assert t.mcnemar_p == pytest.approx(2 / 2**30) and t.significant
    assert "significant at 0.05: the candidate is right more often" in t.verdict()


@pytest.mark.parametrize(("fixed", "broken"), [(14, 6), (6, 14), (0, 3), (1, 0), (5, 5), (20, 3), (0, 12)])
def test_mcnemar_is_the_exact_two_sided_binomial(fixed: int, broken: int) -> None:
    assert mcnemar_exact(fixed, broken) == pytest.approx(_binomial_two_sided(fixed, fixed + broken))


def test_mcnemar_edge_cases() -> None:
    assert mcnemar_exact(0, 0) == 1.0
    assert mcnemar_exact(0, 3) == pytest.approx(0.25)  # 2 * (1/2)^3
    with pytest.raises(ValueError):
        mcnemar_exact(-1, 2)


def test_verdict_line() -> None:
    truth = [c[0] for c in CASES]
    t = compare_task("topic", "topic", _docs(), truth, _preds(1), _preds(2))
    expected = (f"topic: macro-F1 {t.baseline_macro_f1:.3f} → {t.candidate_macro_f1:.3f} ({t.macro_f1_delta:+.3f}); "
                "fixed 3, broken 1, McNemar p = 0.62 (not significant at 0.05)")
    assert t.verdict() == expected
    same = compare_task("topic", "topic", _docs(), truth, _preds(1), _preds(1))
    assert "fixed 0, broken 0, McNemar p = 1 (no answer changed" in same.verdict()


def test_misaligned_inputs_are_refused() -> None:
    with pytest.raises(ValueError, match="aligned"):
        compare_task("topic", "topic", _docs(), ["dat-dai"], _preds(1), _preds(2))


def _evaluation(version: str, topic: list[Prediction], doc_type_model: bool, seen: int | None) -> Evaluation:
    """An evaluation of the ten documents as models.evaluate builds it (only what compare reads)."""
    docs = _docs()
    full = [Classification(d.id, _pred("quyet-dinh", 1.0), p, False, (), {}, version) for d, p in zip(docs, topic, strict=True)]
    title_only = [Classification(d.id, _pred("quyet-dinh", 0.7) if doc_type_model else None, None, False, (), {}, version)
                  for d in docs]
    docs = [LabelledDoc(d.id, title=d.title, topic=d.topic, doc_type="quyet-dinh") for d in docs]
    reports = {key: TaskReport(key, {}) for key in ("topic", "doc_type")}
    if doc_type_model:
        reports["title_only"] = TaskReport("doc_type (title only)", {})
    overlap = Overlap(seen, 10)
    unknown: dict[str, UnknownLabels | None] = {"topic": UnknownLabels({}, 10),
                                                "doc_type": UnknownLabels({}, 10) if doc_type_model else None}
    return Evaluation(version, 10, reports, overlap, {"topic": overlap, "doc_type": overlap}, unknown,
                      DocumentPredictions(docs, full, title_only))


def test_compare_evaluations_pairs_tasks_and_warns_about_seen_documents() -> None:
    baseline = _evaluation("v-cu", _preds(1), doc_type_model=True, seen=0)
    candidate = _evaluation("v-moi", _preds(2), doc_type_model=False, seen=4)
    result = compare_evaluations(baseline, candidate, corpus=["heldout.jsonl"])
    assert list(result.tasks) == ["topic", "doc_type"]  # title-only: the candidate has no doc_type model
    assert (result.tasks["topic"].fixed, result.tasks["topic"].broken) == (3, 1)
    assert result.tasks["doc_type"].both_right == 10
    assert any("v-moi was trained on 4 of the 10" in w for w in result.warnings)
    assert not any("v-cu was trained" in w for w in result.warnings)
    assert any("doc_type (title only) not compared: no doc_type model in candidate v-moi" in w for w in result.warnings)
    out = result.to_dict()
    assert (out["baseline"], out["candidate"]) == ("v-cu", "v-moi")
    assert out["corpus"] == {"paths": ["heldout.jsonl"], "documents": 10,
                             "overlap": {"baseline": {"n": 0, "of": 10}, "candidate": {"n": 4, "of": 10}}}
    topic = out["tasks"]["topic"]
    assert topic["paired"] == {"both_right": 4, "fixed": 3, "broken": 1, "both_wrong": 2}
    assert topic["mcnemar_p"] == pytest.approx(0.625) and topic["overlap"]["candidate"] == {"n": 4, "of": 10}
    assert topic["delta"]["accuracy"] == pytest.approx(0.2)


def test_unknown_overlap_is_a_warning_too() -> None:
    result = compare_evaluations(_evaluation("v-cu", _preds(1), True, None), _evaluation("v-moi", _preds(2), True, 0))
    assert list(result.tasks) == ["topic", "doc_type", "doc_type_title_only"]
    assert any("v-cu: unknown whether it was trained" in w for w in result.warnings)


def test_evaluations_of_other_documents_are_refused() -> None:
    baseline = _evaluation("v-cu", _preds(1), True, 0)
    candidate = _evaluation("v-moi", _preds(2), True, 0)
    assert candidate.predictions is not None
    candidate.predictions.docs.reverse()
    with pytest.raises(ValueError, match="same documents"):
        compare_evaluations(baseline, candidate)


def test_a_version_without_a_topic_model_is_named_in_the_warnings() -> None:
    candidate = _evaluation("v-moi", [_pred(None, 0.0)] * 10, True, 0)
    candidate.unknown_labels["topic"] = None  # as models.evaluate marks a version with no topic model
    result = compare_evaluations(_evaluation("v-cu", _preds(1), True, 0), candidate)
    topic = result.tasks["topic"]
    assert (topic.candidate_accuracy, topic.broken, topic.fixed) == (0.0, 5, 0)
    assert any("candidate v-moi has no topic model" in w for w in result.warnings)
