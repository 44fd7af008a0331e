"""Compare two model versions on the same labelled documents, document by document.

A researcher who retrained the classifiers must decide whether to promote the new version (the *candidate*)
over the one in use (the *baseline*). Two separate evaluations give two sets of scores; pairing the answers
document by document says more: how many documents the candidate *fixed* (the baseline was wrong, the
candidate right) and how many it *broke* (the other way round), and whether that difference could be chance
— an exact McNemar test, i.e. a two-sided binomial test of ``fixed`` against ``fixed + broken`` trials with
p = 0.5 (documents both versions get right, or both get wrong, say nothing about which is better).

Both versions are scored by :func:`models.evaluate.evaluate` (same documents, same figures as
``vanban evaluate``), and the per-document answers it keeps (:attr:`models.evaluate.Evaluation.predictions`)
are paired. Three tasks are compared when the corpus labels them:

* ``topic``: the field (lĩnh vực);
* ``doc_type``: the type end to end (number rule, then header, then model), as ``vanban evaluate`` reports it;
* ``doc_type_title_only``: the type from the model alone on the summary, the number hidden (only when both
  versions have a doc_type model).

A document a version gives no answer for counts as wrong, with the label ``(không có)``, as in ``evaluate``.

JSON shape (``vanban models compare --json``, and ``compare.json`` of the report)::

    {"baseline": "<version id>", "candidate": "<version id>",
     "corpus": {"paths": [...], "documents": 691,
                "files": [{"name": ..., "path": ..., "sha256": ..., "documents": ...}],
                "overlap": {"baseline": {"n": 0, "of": 691}, "candidate": {"n": 0, "of": 691}}},
     "tasks": {
       "topic": {
         "name": "topic", "n": 691,
         "baseline": {"accuracy": 0.88, "macro_f1": 0.86}, "candidate": {"accuracy": 0.89, "macro_f1": 0.87},
         "delta": {"accuracy": 0.01, "macro_f1": 0.01},
         "paired": {"both_right": 600, "fixed": 14, "broken": 6, "both_wrong": 71},
         "mcnemar_p": 0.115, "significant": false, "alpha": 0.05,
         "overlap": {"baseline": {"n": 0, "of": 691}, "candidate": {"n": 0, "of": 691}},
         "per_class": [{"label": "dat-dai", "support": 80, "baseline_f1": 0.9, "candidate_f1": 0.92,
                        "delta_f1": 0.02}, ...],
         "fixed_examples": [{"id": "...", "title": "...", "true": "dat-dai",
                             "baseline": {"label": "xay-dung", "confidence": 0.61},
                             "candidate": {"label": "dat-dai", "confidence": 0.72}}, ...],
         "broken_examples": [...],
         "verdict": "topic: macro-F1 0.860 → 0.870 (+0.010); fixed 14, broken 6, McNemar p = 0.12 (...)"},
       "doc_type": {...}, "doc_type_title_only": {...}},
     "warnings": ["WARNING: ...", ...]}

``overlap`` counts the documents each version was trained on (``n`` null: unknown for a version saved before
training fingerprints were recorded); any such document makes a warning, since scores on seen documents are
optimistic. Per-class F1 is over the classes present in the documents (the macro-F1 of ``evaluate``).
At most 20 fixed and 20 broken examples are listed: fixed ones by the baseline's confidence in its wrong
answer, broken ones by the candidate's, most confident first.

Example
-------
>>> comparison = compare_evaluations(evaluate(old, docs), evaluate(new, docs))   # doctest: +SKIP
>>> comparison.tasks["topic"].fixed, comparison.tasks["topic"].broken           # doctest: +SKIP
(14, 6)
>>> comparison.tasks["topic"].verdict()                                          # doctest: +SKIP
'topic: macro-F1 0.884 → 0.901 (+0.017); fixed 14, broken 6, McNemar p = 0.12 (not significant at 0.05)'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from models.classify import Prediction
from models.data import LabelledDoc, summary_of
from models.evaluate import Evaluation, Overlap
from models.metrics import task_metrics

NO_LABEL = "(không có)"  # a missing answer, labelled as models.evaluate labels it (always wrong)
ALPHA = 0.05
EXAMPLES = 20
TITLE_CHARS = 120
# (key in the comparison, key of the doc_type variant in Evaluation.reports, name shown)
TASKS = (("topic", "topic", "topic"), ("doc_type", "doc_type", "doc_type"),
         ("doc_type_title_only", "title_only", "doc_type (title only)"))


def mcnemar_exact(fixed: int, broken: int) -> float:
    """The two-sided exact McNemar p-value: a binomial test of ``fixed`` successes in ``fixed + broken``
    trials with p = 0.5. 1.0 when no prediction changed from right to wrong or back.

    Example
    -------
    >>> round(mcnemar_exact(14, 6), 4)
    0.1153
    """
    if fixed < 0 or broken < 0:
        raise ValueError("fixed and broken are counts (>= 0)")
    if fixed + broken == 0:
        return 1.0
    from scipy.stats import binomtest

    return float(min(1.0, binomtest(fixed, fixed + broken, 0.5, alternative="two-sided").pvalue))


@dataclass(frozen=True)
class Answer:
    label: str
    confidence: float | None

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "confidence": None if self.confidence is None else round(self.confidence, 4)}


@dataclass(frozen=True)
class Change:
    """A document one version got right and the other wrong."""

    id: str
    title: str
    true: str
    baseline: Answer
    candidate: Answer

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "true": self.true, "baseline": self.baseline.to_dict(),
                "candidate": self.candidate.to_dict()}


@dataclass(frozen=True)
class ClassScore:
    label: str
    support: int
    baseline_f1: float
    candidate_f1: float

    @property
    def delta_f1(self) -> float:
        return self.candidate_f1 - self.baseline_f1

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "support": self.support, "baseline_f1": self.baseline_f1,
                "candidate_f1": self.candidate_f1, "delta_f1": self.delta_f1}


@dataclass(frozen=True)
class TaskComparison:
    """The paired comparison of one task: scores of both versions, the changed answers, the test."""

    key: str
    name: str
    n: int
    baseline_accuracy: float
    baseline_macro_f1: float
    candidate_accuracy: float
    candidate_macro_f1: float
    both_right: int
    fixed: int
    broken: int
    both_wrong: int
    per_class: list[ClassScore]
    fixed_examples: list[Change]
    broken_examples: list[Change]
    overlap: dict[str, Overlap] = field(default_factory=dict)  # "baseline"/"candidate" → documents seen

    @property
    def accuracy_delta(self) -> float:
        return self.candidate_accuracy - self.baseline_accuracy

    @property
    def macro_f1_delta(self) -> float:
        return self.candidate_macro_f1 - self.baseline_macro_f1

    @property
    def mcnemar_p(self) -> float:
        return mcnemar_exact(self.fixed, self.broken)

    @property
    def significant(self) -> bool:
        return self.mcnemar_p < ALPHA

    def verdict(self) -> str:
        """One line: the macro-F1 change, the changed answers and whether they could be chance."""
        p = self.mcnemar_p
        shown = "p < 0.001" if p < 0.001 else f"p = {p:.2g}"
        if self.fixed + self.broken == 0:
            meaning = "no answer changed from right to wrong or back"
        elif self.significant:
            better = "candidate" if self.fixed > self.broken else "baseline"
            meaning = f"significant at {ALPHA}: the {better} is right more often"
        else:
            meaning = f"not significant at {ALPHA}"
        return (f"{self.name}: macro-F1 {self.baseline_macro_f1:.3f} → {self.candidate_macro_f1:.3f} "
                f"({self.macro_f1_delta:+.3f}); fixed {self.fixed}, broken {self.broken}, McNemar {shown} ({meaning})")

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "n": self.n,
            "baseline": {"accuracy": self.baseline_accuracy, "macro_f1": self.baseline_macro_f1},
            "candidate": {"accuracy": self.candidate_accuracy, "macro_f1": self.candidate_macro_f1},
            "delta": {"accuracy": self.accuracy_delta, "macro_f1": self.macro_f1_delta},
            "paired": {"both_right": self.both_right, "fixed": self.fixed, "broken": self.broken,
                       "both_wrong": self.both_wrong},
            "mcnemar_p": self.mcnemar_p,
            "significant": self.significant,
            "alpha": ALPHA,
            "overlap": {role: seen.to_dict() for role, seen in self.overlap.items()},
            "per_class": [c.to_dict() for c in self.per_class],
            "fixed_examples": [c.to_dict() for c in self.fixed_examples],
            "broken_examples": [c.to_dict() for c in self.broken_examples],
            "verdict": self.verdict(),
        }


@dataclass(frozen=True)
class Comparison:
    baseline: str
    candidate: str
    documents: int
    tasks: dict[str, TaskComparison]
    overlap: dict[str, Overlap]
    warnings: list[str]
    corpus: list[str] = field(default_factory=list)  # paths of the corpus files
    files: list[dict[str, Any]] = field(default_factory=list)  # their path, sha256 and documents

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``vanban models compare --json`` (shape in the module docstring)."""
        return {
            "baseline": self.baseline,
            "candidate": self.candidate,
            "corpus": {"paths": list(self.corpus), "documents": self.documents,
                       "overlap": {role: seen.to_dict() for role, seen in self.overlap.items()}}
            | ({"files": list(self.files)} if self.files else {}),
            "tasks": {key: task.to_dict() for key, task in self.tasks.items()},
            "warnings": list(self.warnings),
        }


def _answer(prediction: Prediction | None) -> Answer:
    if prediction is None or prediction.label is None:
        return Answer(NO_LABEL, None if prediction is None else prediction.confidence)
    return Answer(prediction.label, prediction.confidence)


def _title(doc: LabelledDoc) -> str:
    title = " ".join((summary_of(doc.title, doc.text) or doc.number or "").split())
    return title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1].rstrip() + "…"


def compare_task(key: str, name: str, docs: Sequence[LabelledDoc], truth: Sequence[str],
                 baseline: Sequence[Prediction | None], candidate: Sequence[Prediction | None],
                 examples: int = EXAMPLES, overlap: dict[str, Overlap] | None = None) -> TaskComparison:
    """Pair the answers of two versions on the same labelled documents (all four sequences aligned).

    ``overlap``: how many of these documents each version (``"baseline"``, ``"candidate"``) was trained on.

    Example
    -------
    >>> from models.classify import Prediction
    >>> doc = LabelledDoc("1", title="về việc giao đất")
    >>> guess = lambda label: Prediction(label, 0.9, "model")
    >>> t = compare_task("topic", "topic", [doc], ["dat-dai"], [guess("xay-dung")], [guess("dat-dai")])
    >>> t.fixed, t.broken, t.accuracy_delta
    (1, 0, 1.0)
    """
    if not len(docs) == len(truth) == len(baseline) == len(candidate):
        raise ValueError("docs, truth and both versions' predictions must be aligned")
    old = [_answer(p) for p in baseline]
    new = [_answer(p) for p in candidate]
    m_old = task_metrics(truth, [a.label for a in old])
    m_new = task_metrics(truth, [a.label for a in new])
    counts = {"both_right": 0, "fixed": 0, "broken": 0, "both_wrong": 0}
    fixed: list[tuple[float, int]] = []
    broken: list[tuple[float, int]] = []
    for i, true in enumerate(truth):
        right_old, right_new = old[i].label == true, new[i].label == true
        if right_old and right_new:
            counts["both_right"] += 1
        elif right_new:
            counts["fixed"] += 1
            fixed.append((-(old[i].confidence or 0.0), i))  # the baseline's most confident mistakes first
        elif right_old:
            counts["broken"] += 1
            broken.append((-(new[i].confidence or 0.0), i))  # the candidate's most confident mistakes first
        else:
            counts["both_wrong"] += 1

    def changes(found: list[tuple[float, int]]) -> list[Change]:
        return [Change(docs[i].id, _title(docs[i]), truth[i], old[i], new[i]) for _, i in sorted(found)[:examples]]

    per_class = [
        ClassScore(label, int(scores["support"]), float(scores["f1"]), float(m_new["per_class"][label]["f1"]))
        for label, scores in (m_old.get("per_class") or {}).items()
    ]
    return TaskComparison(
        key=key, name=name, n=len(truth),
        baseline_accuracy=float(m_old["accuracy"] or 0.0), baseline_macro_f1=float(m_old["macro_f1"] or 0.0),
        candidate_accuracy=float(m_new["accuracy"] or 0.0), candidate_macro_f1=float(m_new["macro_f1"] or 0.0),
        per_class=per_class, fixed_examples=changes(fixed), broken_examples=changes(broken),
        overlap=dict(overlap or {}), **counts,
    )


def _overlap_warning(role: str, evaluation: Evaluation) -> str | None:
    seen = evaluation.overlap
    if seen.seen is None:
        return (f"WARNING: {role} {evaluation.model_version}: unknown whether it was trained on the compared "
                "documents (saved before training fingerprints were recorded); its scores may be optimistic.")
    if seen.seen:
        return (f"WARNING: {role} {evaluation.model_version} was trained on {seen.seen} of the {seen.of} compared "
                "documents (same content fingerprint); its scores on them are optimistic.")
    return None


def compare_evaluations(baseline: Evaluation, candidate: Evaluation, corpus: Sequence[str] = (),
                        files: Sequence[Mapping[str, Any]] = ()) -> Comparison:
    """Pair two evaluations of the same documents (:func:`models.evaluate.evaluate` of each version);
    ``corpus``: the paths of the corpus files (``vanban models compare`` gives them absolute), ``files``: what
    :func:`models.evaluate.corpus_files` says of them (absolute path, sha256, documents; ``corpus.files`` of
    the JSON, left out when not given)."""
    if baseline.predictions is None or candidate.predictions is None:
        raise ValueError("both evaluations must keep their per-document predictions")
    docs = baseline.predictions.docs
    if [d.id for d in docs] != [d.id for d in candidate.predictions.docs]:
        raise ValueError("the two evaluations are not of the same documents")
    roles = {"baseline": baseline, "candidate": candidate}
    warnings = [line for role, ev in roles.items() if (line := _overlap_warning(role, ev))]
    warnings += [f"WARNING: {role} {ev.model_version}: {line.removeprefix('WARNING: ')}"
                 for role, ev in roles.items() for line in ev.warnings]
    tasks: dict[str, TaskComparison] = {}
    for key, report_key, name in TASKS:
        task = "topic" if key == "topic" else "doc_type"
        have = [role for role, ev in roles.items() if report_key in ev.reports]
        if report_key == "title_only" and "doc_type" in baseline.reports and len(have) < 2:
            lacking = " and ".join(f"{role} {roles[role].model_version}" for role in roles if role not in have)
            warnings.append(f"WARNING: {name} not compared: no doc_type model in {lacking}.")
        if len(have) < 2:
            continue
        rows = [i for i, d in enumerate(docs) if d.label(task)]
        source = "full" if report_key != "title_only" else "title_only"
        answers = {role: [getattr(getattr(ev.predictions, source)[i], task) for i in rows]
                   for role, ev in roles.items() if ev.predictions is not None}
        seen = {role: ev.task_overlap.get(task, Overlap(None, len(rows))) for role, ev in roles.items()}
        tasks[key] = compare_task(key, name, [docs[i] for i in rows], [str(docs[i].label(task)) for i in rows],
                                  answers["baseline"], answers["candidate"], overlap=seen)
        if key == "topic":
            for role, ev in roles.items():
                if "topic" in ev.unknown_labels and ev.unknown_labels["topic"] is None:  # evaluate: no topic model
                    warnings.append(f"WARNING: {role} {ev.model_version} has no topic model: all its topic "
                                    "answers count as wrong.")
    return Comparison(baseline.model_version, candidate.model_version, baseline.documents, tasks,
                      {role: ev.overlap for role, ev in roles.items()}, warnings,
                      list(corpus), [dict(f) for f in files])
