"""Compare the cross-validated figures of two model versions, read from their manifests (nothing unpickled).

The models page and ``GET /api/models/compare`` share this module. Cross-validated figures are only directly
comparable when both versions were trained on the same documents, so the comparison also says whether they
were, and when not (or when it cannot tell) it warns. It always points to the paired comparison on a
held-out corpus that the CLI runs (``paired_compare``): that, not a cross-validated figure, decides a promotion.

A difference is called ``better`` or ``worse`` only when it exceeds the noise of cross-validation
(:func:`metric_noise`): twice the standard error of the two versions' mean fold scores when both manifests
record them (``cv_metrics.fold_scores``, recorded since round 11), and never less than :data:`MIN_NOISE`
(0.005: half a point of accuracy, macro-F1 or ECE, about what another fold assignment of the same data
moves a pooled figure by). Below that the verdict is ``same``.

Example
-------
>>> result = compare_versions(Path("./var"), "20261128-031500-topic+doc_type-1a2b3c4d",
...                           "20261129-110039-topic+doc_type-c1487861")          # doctest: +SKIP
>>> [(t.task, t.metric("macro_f1").delta) for t in result.tasks]                   # doctest: +SKIP
[('topic', 0.0123), ('doc_type', -0.004)]
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from service.problems import Problem

TASK_ORDER = ("doc_type", "topic")
TASK_NAMES = {"doc_type": "Loại văn bản", "topic": "Lĩnh vực"}
# (key in cv_metrics, whether a higher value is better)
METRICS = (("accuracy", True), ("macro_f1", True), ("ece", False))
NO_CV = "chưa có số liệu kiểm định chéo"
# The smallest difference called better or worse (accuracy, macro-F1, ECE, a label's F1): smaller ones are
# within what reshuffling the folds of the same data gives (see the module docstring).
MIN_NOISE = 0.005
# How many standard errors of the difference of the mean fold scores a change must exceed.
NOISE_SE = 2.0
# A corpus trained from the store lists no files; its "hash" is then the hash of nothing and names no data.
_EMPTY_HASH = hashlib.sha256(b"").hexdigest()


@dataclass(frozen=True)
class MetricDelta:
    """One figure of both versions; ``delta`` is candidate minus base (None when either lacks it)."""

    name: str
    base: float | None
    candidate: float | None
    higher_is_better: bool
    noise: float = MIN_NOISE  # a smaller change is ``same`` (:func:`metric_noise`)

    @property
    def delta(self) -> float | None:
        if self.base is None or self.candidate is None:
            return None
        return self.candidate - self.base

    @property
    def verdict(self) -> str | None:
        """``better``, ``worse`` or ``same`` (within the noise) for the candidate; None when there is nothing
        to compare."""
        return _verdict(self.delta, self.higher_is_better, self.noise)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "base": self.base, "candidate": self.candidate, "delta": _rounded(self.delta),
                "higher_is_better": self.higher_is_better, "verdict": self.verdict}  # fmt: skip


@dataclass(frozen=True)
class ClassDelta:
    """The cross-validated F1 of one label in both versions, with its support (documents of that label)."""

    label: str
    base_f1: float | None
    candidate_f1: float | None
    base_support: int | None
    candidate_support: int | None

    @property
    def delta(self) -> float | None:
        if self.base_f1 is None or self.candidate_f1 is None:
            return None
        return self.candidate_f1 - self.base_f1

    @property
    def noise(self) -> float:
        """One document of the label either way: an F1 of a label of n documents moves by about 1/n when a
        single one changes side, which no smaller change can be told from (QA: an-ninh "▼ -13.9" on 4
        documents)."""
        supports = [n for n in (self.base_support, self.candidate_support) if n]
        return max(MIN_NOISE, 1.0 / min(supports)) if supports else MIN_NOISE

    @property
    def verdict(self) -> str | None:
        return _verdict(self.delta, True, self.noise)

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "base_f1": self.base_f1, "candidate_f1": self.candidate_f1,
                "delta": _rounded(self.delta), "verdict": self.verdict, "base_support": self.base_support,
                "candidate_support": self.candidate_support}  # fmt: skip


@dataclass(frozen=True)
class TaskSide:
    """What one version's manifest says about one task."""

    present: bool  # the version has a model for this task
    has_cv: bool  # trained with cross-validation (``--cv 0`` records none)
    n: int | None = None
    folds: int | None = None
    labels: tuple[str, ...] = ()

    @property
    def status(self) -> str:
        """Vietnamese: why there are no figures, or "" when there are."""
        if not self.present:
            return "không có mô hình cho tác vụ này"
        return "" if self.has_cv else NO_CV

    def to_dict(self) -> dict[str, Any]:
        return {"present": self.present, "has_cv": self.has_cv, "status": self.status or None, "n": self.n,
                "folds": self.folds, "labels": list(self.labels)}  # fmt: skip


@dataclass(frozen=True)
class TaskComparison:
    """One task (doc_type or topic) in both versions; ``classes`` sorted by the size of the F1 change."""

    task: str
    base: TaskSide
    candidate: TaskSide
    metrics: tuple[MetricDelta, ...]
    classes: tuple[ClassDelta, ...]
    only_base: tuple[str, ...]  # labels only the base version knows
    only_candidate: tuple[str, ...]  # labels only the candidate knows
    notes: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return TASK_NAMES.get(self.task, self.task)

    def metric(self, name: str) -> MetricDelta:
        return next(m for m in self.metrics if m.name == name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "task": self.task, "name": self.name, "base": self.base.to_dict(), "candidate": self.candidate.to_dict(),
            "metrics": {m.name: m.to_dict() for m in self.metrics}, "noise": {m.name: m.noise for m in self.metrics},
            "per_class": [c.to_dict() for c in self.classes],
            "only_base": list(self.only_base), "only_candidate": list(self.only_candidate), "notes": list(self.notes),
        }  # fmt: skip


@dataclass(frozen=True)
class CorpusSummary:
    """What a manifest records of the data a version was trained on."""

    documents: int | None
    hash: str | None
    files: tuple[str, ...]  # names of the JSONL corpora (empty when trained from the store)

    def to_dict(self) -> dict[str, Any]:
        return {"documents": self.documents, "hash": self.hash, "files": list(self.files)}


@dataclass(frozen=True)
class CorpusComparison:
    """Whether both versions were trained on the same documents: True, False or None (cannot tell).

    ``basis`` says how that was decided: ``hash`` (of the corpus files), ``fingerprints`` (of the training
    documents, ``training.fp``), ``documents`` (the counts differ), ``labels`` (a task's label counts differ)
    or ``unknown``.
    """

    same: bool | None
    basis: str
    base: CorpusSummary
    candidate: CorpusSummary

    def to_dict(self) -> dict[str, Any]:
        return {"same": self.same, "basis": self.basis, "base": self.base.to_dict(),
                "candidate": self.candidate.to_dict()}  # fmt: skip


@dataclass(frozen=True)
class VersionSummary:
    version: str
    created_at: str | None
    description: str | None
    active: bool

    def to_dict(self) -> dict[str, Any]:
        return {"version": self.version, "created_at": self.created_at, "description": self.description,
                "active": self.active}  # fmt: skip


@dataclass(frozen=True)
class Comparison:
    """Two versions side by side: per task, and whether their figures may be compared at all."""

    base: VersionSummary
    candidate: VersionSummary
    tasks: tuple[TaskComparison, ...]
    corpus: CorpusComparison
    # (version, why it cannot be loaded here) for each version that could not be activated on this machine
    unusable: tuple[tuple[str, str], ...] = ()

    @property
    def warnings(self) -> tuple[str, ...]:
        """Vietnamese warnings for the reader of the figures."""
        out = [f"Phiên bản {version} không kích hoạt được trên máy này: {reason}" for version, reason in self.unusable]
        if self.base.version == self.candidate.version:
            out.append("Hai lựa chọn là cùng một phiên bản: mọi chênh lệch đều bằng 0.")
        elif self.corpus.same is False:
            out.append("Hai phiên bản được huấn luyện trên dữ liệu khác nhau: số liệu kiểm định chéo trên dữ liệu "
                       "khác nhau không so sánh trực tiếp được với nhau.")
        elif self.corpus.same is None:
            out.append("Không xác định được hai phiên bản có được huấn luyện trên cùng dữ liệu hay không: số liệu "
                       "kiểm định chéo chỉ so sánh trực tiếp được khi dữ liệu giống nhau.")
        return tuple(out)

    @property
    def hint(self) -> str | None:
        """The CLI command of a paired comparison on a held-out corpus, when the figures are not comparable."""
        if self.corpus.same is True or self.base.version == self.candidate.version:
            return None
        return self.paired_compare

    @property
    def paired_compare(self) -> str | None:
        """The CLI command of the paired comparison on a held-out corpus: what to run before promoting the
        candidate, whatever the cross-validated figures say (None for one version compared with itself)."""
        if self.base.version == self.candidate.version:
            return None
        return f"vanban models compare {self.candidate.version} --baseline {self.base.version} --corpus HELDOUT.jsonl"

    def to_dict(self) -> dict[str, Any]:
        return {
            "base": self.base.to_dict(), "candidate": self.candidate.to_dict(), "same_corpus": self.corpus.same,
            "corpus": self.corpus.to_dict(), "warnings": list(self.warnings), "hint": self.hint,
            "paired_compare": self.paired_compare,
            "tasks": [t.to_dict() for t in self.tasks],
        }  # fmt: skip


def _rounded(delta: float | None) -> float | None:
    """A difference without the float noise of the subtraction (0.92 - 0.93 = -0.010000000000000009)."""
    return None if delta is None else round(delta, 6)


def _verdict(delta: float | None, higher_is_better: bool, noise: float) -> str | None:
    if delta is None:
        return None
    if abs(delta) <= noise:
        return "same"
    return "better" if (delta > 0) == higher_is_better else "worse"


def _number(value: Any) -> float | None:
    """A figure from a manifest; anything that is not a finite number counts as missing."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if number == number and abs(number) != float("inf") else None


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _fold_scores(cv: Mapping[str, Any], name: str) -> list[float]:
    """The per-fold figures of one metric a manifest recorded (``cv_metrics.fold_scores``), [] without them."""
    scores = _mapping(cv.get("fold_scores")).get(name)
    if not isinstance(scores, list):
        return []
    numbers = [_number(v) for v in scores]
    return [v for v in numbers if v is not None] if all(v is not None for v in numbers) else []


def metric_noise(base_cv: Mapping[str, Any], candidate_cv: Mapping[str, Any], name: str) -> float:
    """The smallest change of ``name`` called better or worse: :data:`NOISE_SE` standard errors of the
    difference of the two mean fold scores when both versions recorded at least two folds, never below
    :data:`MIN_NOISE` (the only bound for ECE and for versions trained before fold scores were kept)."""
    base, candidate = _fold_scores(base_cv, name), _fold_scores(candidate_cv, name)
    if len(base) < 2 or len(candidate) < 2:
        return MIN_NOISE
    variance = sum(_variance(scores) / len(scores) for scores in (base, candidate))
    return round(max(MIN_NOISE, NOISE_SE * variance ** 0.5), 6)


def _variance(scores: list[float]) -> float:
    mean = sum(scores) / len(scores)
    return sum((v - mean) ** 2 for v in scores) / (len(scores) - 1)


def _side(spec: Mapping[str, Any] | None) -> tuple[TaskSide, Mapping[str, Any]]:
    """The task's side and its cross-validated metrics ({} without them)."""
    if spec is None:
        return TaskSide(present=False, has_cv=False), {}
    cv = _mapping(spec.get("cv_metrics"))
    per_class = _mapping(cv.get("per_class"))
    labels = spec.get("labels") if isinstance(spec.get("labels"), list) else list(per_class)
    side = TaskSide(present=True, has_cv=bool(cv), n=_count(cv.get("n")), folds=_count(cv.get("folds")),
                    labels=tuple(str(label) for label in labels or ()))  # fmt: skip
    return side, cv


def compare_task(task: str, base_spec: Mapping[str, Any] | None,
                 candidate_spec: Mapping[str, Any] | None) -> TaskComparison:  # fmt: skip
    """One task of two manifests (``tasks.<task>``; None where a version lacks the task)."""
    base, base_cv = _side(base_spec)
    candidate, candidate_cv = _side(candidate_spec)
    metrics = tuple(MetricDelta(name, _number(base_cv.get(name)), _number(candidate_cv.get(name)), higher,
                                metric_noise(base_cv, candidate_cv, name)) for name, higher in METRICS)  # fmt: skip
    base_classes = _mapping(base_cv.get("per_class"))
    candidate_classes = _mapping(candidate_cv.get("per_class"))
    rows = []
    for label in dict.fromkeys([*base_classes, *candidate_classes]):
        b, c = _mapping(base_classes.get(label)), _mapping(candidate_classes.get(label))
        rows.append(ClassDelta(str(label), _number(b.get("f1")), _number(c.get("f1")), _count(b.get("support")),
                               _count(c.get("support"))))  # fmt: skip
    # The biggest changes first; labels with a figure on one side only go last, in label order.
    rows.sort(key=lambda r: (r.delta is None, -abs(r.delta or 0.0), r.label))
    base_labels, candidate_labels = set(base.labels), set(candidate.labels)
    only_base = tuple(sorted(base_labels - candidate_labels)) if candidate.present else ()
    only_candidate = tuple(sorted(candidate_labels - base_labels)) if base.present else ()
    notes = []
    if base.has_cv and candidate.has_cv and base.folds and candidate.folds and base.folds != candidate.folds:
        notes.append(f"Số fold kiểm định chéo khác nhau ({base.folds} và {candidate.folds}).")
    return TaskComparison(task, base, candidate, metrics, tuple(rows), only_base, only_candidate, tuple(notes))


def corpus_summary(manifest: Mapping[str, Any]) -> CorpusSummary:
    corpus = _mapping(manifest.get("corpus"))
    files = corpus.get("files") if isinstance(corpus.get("files"), list) else []
    names = tuple(str(_mapping(f).get("name") or _mapping(f).get("path") or "?") for f in files or ())
    digest = corpus.get("hash")
    return CorpusSummary(_count(corpus.get("documents")), digest if isinstance(digest, str) else None, names)


def compare_corpora(base: Mapping[str, Any], candidate: Mapping[str, Any],
                    fingerprints: tuple[list[int] | None, list[int] | None] = (None, None)) -> CorpusComparison:  # fmt: skip
    """Whether two manifests were trained on the same documents.

    The corpus hash decides when both versions were trained from files; a version trained from the store
    records no files (its hash is the hash of nothing), so the fingerprints of the training documents
    decide then, when both versions kept them (they hash the content only, so the label counts of each task
    are compared first). Different document counts always mean different data.
    """
    b, c = corpus_summary(base), corpus_summary(candidate)
    if b.documents is not None and c.documents is not None and b.documents != c.documents:
        return CorpusComparison(False, "documents", b, c)
    if _relabelled(base, candidate):
        return CorpusComparison(False, "labels", b, c)
    if b.files and c.files and b.hash and c.hash and _EMPTY_HASH not in (b.hash, c.hash):
        return CorpusComparison(b.hash == c.hash, "hash", b, c)
    base_fp, candidate_fp = fingerprints
    if base_fp is not None and candidate_fp is not None:
        return CorpusComparison(base_fp == candidate_fp, "fingerprints", b, c)
    return CorpusComparison(None, "unknown", b, c)


def _relabelled(base: Mapping[str, Any], candidate: Mapping[str, Any]) -> bool:
    """True when a task both versions trained counted its labels differently (same texts, other labels)."""
    base_tasks, candidate_tasks = _mapping(base.get("tasks")), _mapping(candidate.get("tasks"))
    for task in set(base_tasks) & set(candidate_tasks):
        b = _mapping(_mapping(base_tasks[task]).get("label_counts"))
        c = _mapping(_mapping(candidate_tasks[task]).get("label_counts"))
        if b and c and dict(b) != dict(c):
            return True
    return False


def compare_manifests(base: VersionSummary, base_manifest: Mapping[str, Any], candidate: VersionSummary,
                      candidate_manifest: Mapping[str, Any],
                      fingerprints: tuple[list[int] | None, list[int] | None] = (None, None),
                      unusable: tuple[tuple[str, str], ...] = ()) -> Comparison:  # fmt: skip
    """The comparison of two manifests: every task present in either, and their corpora; ``unusable``: the
    versions that cannot be loaded here, with the reason (warned about)."""
    base_tasks, candidate_tasks = _mapping(base_manifest.get("tasks")), _mapping(candidate_manifest.get("tasks"))
    names = [t for t in TASK_ORDER if t in base_tasks or t in candidate_tasks]
    names += sorted(t for t in {*base_tasks, *candidate_tasks} if t not in TASK_ORDER)
    tasks = tuple(compare_task(t, _spec(base_tasks, t), _spec(candidate_tasks, t)) for t in names)
    return Comparison(base, candidate, tasks, compare_corpora(base_manifest, candidate_manifest, fingerprints),
                      unusable)


def _spec(tasks: Mapping[str, Any], task: str) -> Mapping[str, Any] | None:
    if task not in tasks:
        return None
    return _mapping(tasks[task])


def compare_versions(data_dir: Path, base: str, candidate: str) -> Comparison:
    """Compare two versions of the registry under ``data_dir`` from their manifests (and ``training.fp``).

    Raises :class:`models.errors.ModelNotFound` for an unknown version and
    :class:`models.errors.IncompatibleModel` for an unreadable manifest (the service maps both to problems).
    """
    try:
        from models.registry import Registry
    except ImportError as exc:  # the models package is unusable: the page already reports it
        raise Problem("model-not-found", f"Không dùng được kho mô hình: {exc}") from exc
    registry = Registry.open(data_dir)
    # Version ids hold "+" ("…-topic+doc_type-…") and never a space: a link pasted unencoded reads "+" as one.
    base, candidate = base.replace(" ", "+"), candidate.replace(" ", "+")
    infos = [_readable(registry, version) for version in (base, candidate)]
    summaries = [VersionSummary(i.version, i.created_at, i.description, i.active) for i in infos]
    prints = (registry.training_fingerprints(base), registry.training_fingerprints(candidate))
    # Another scikit-learn, a changed analyser, a missing model file: the figures stay readable, but the
    # version cannot be activated here, and the reader must know that before choosing it.
    distinct = {info.version: info for info in infos}.values()
    unusable = tuple((info.version, reason) for info in distinct if (reason := registry.quick_problem(info)))
    return compare_manifests(summaries[0], infos[0].manifest, summaries[1], infos[1].manifest, prints, unusable)


def _readable(registry: Any, version: str) -> Any:
    """The version's info; refused like everywhere else when its manifest names another version (a copy)."""
    from models.errors import IncompatibleModel

    info = registry.get(version)
    if info.manifest.get("version") != info.version:
        raise IncompatibleModel(version, "manifest ghi một phiên bản khác tên thư mục (thư mục bị sao chép hoặc "
                                         "đổi tên). Xem `vanban models list`.")  # fmt: skip
    return info
