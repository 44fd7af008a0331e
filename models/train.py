"""Train the classifiers: analyse the corpus once, cross-validate, fit, save a new registry version.

Cross-validation scores only real documents; auxiliary examples (lexicon phrases, procedure names, legal
titles) join every training fold but are never scored, and never weigh in calibration. The texts are
analysed once up front (:func:`models.features.analyze_texts`), so the folds do not segment again.

Example
-------
>>> result = train(default_recipe(Path("../shared/data")), data_dir=Path("var"), activate=True)  # doctest: +SKIP
>>> result.version                                                                              # doctest: +SKIP
'20261128-031500-topic+doc_type-1a2b3c4d'
"""

from __future__ import annotations

import hashlib
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from models.data import Corpus, LabelledDoc, fingerprint, fingerprints, lexicon_docs, load_corpora, summary_of
from models.errors import TrainingDataError
from models.features import AnalyzedText, analyze_texts, analyzer_version
from models.lexicon import LEXICON_VERSION, TOPIC_LEXICON
from models.linear import DEFAULT_TEMPERATURE, fit_temperature, probabilities
from models.metrics import choose_threshold, task_metrics
from models.pipeline import TASKS, build_pipeline, check_params, merge_params
from models.registry import Registry

Progress = Callable[[str], None]
MIN_CLASS_SIZE = 2  # a label seen once cannot be learned, only memorised


@dataclass(frozen=True)
class TaskData:
    task: str
    texts: list[AnalyzedText]
    labels: np.ndarray
    weights: np.ndarray
    auxiliary: np.ndarray
    dropped: dict[str, int]


@dataclass(frozen=True)
class TrainResult:
    version: str
    manifest: dict[str, Any]
    activated: bool

    @property
    def metrics(self) -> dict[str, Any]:
        return {t: spec.get("cv_metrics") for t, spec in self.manifest["tasks"].items()}


# The review threshold of a task trained without cross-validation (none to choose it from).
DEFAULT_ABSTAIN_THRESHOLD = 0.5


def default_recipe(shared_data_dir: str | Path) -> list[Path]:
    """The corpora of ``make train``: the real labelled documents of ``admin/``.

    ``admin/binhduong.jsonl`` and ``admin/sonla.jsonl`` carry both labels. Measured and left out
    (docs/models.md): ``procedures/tthc_dichvucong.jsonl`` lowers topic macro-F1 (Bình Dương held-out
    0.892 → 0.876, Sơn La held-out 0.70 → 0.65: procedure names are another register than summaries),
    and ``legal/vilegalbert.jsonl`` lowers the five-type macro-F1 (0.897 → 0.892). Both still train when
    given with ``--corpus``.
    """
    root = Path(shared_data_dir)
    wanted = [root / "admin" / "binhduong.jsonl", root / "admin" / "sonla.jsonl"]
    found = [p for p in wanted if p.is_file()]
    if not any(p.parent.name == "admin" for p in found):
        raise TrainingDataError(f"Không tìm thấy dữ liệu huấn luyện mặc định trong {root} (admin/binhduong.jsonl).")
    return found


class TaskSkipped(TrainingDataError):
    """A task cannot be trained on this corpus; ``cause`` says why in English, for the progress log."""

    def __init__(self, message: str, cause: str) -> None:
        super().__init__(message)
        self.cause = cause


def _too_little(task: str, docs: Sequence[LabelledDoc], dropped: Mapping[str, int]) -> TaskSkipped:
    """The real reason a task has fewer than two learnable labels, in Vietnamese and English."""
    real = Counter(label for d in docs if not d.auxiliary and (label := d.label(task)))
    if not real:
        return TaskSkipped(f"Không huấn luyện được “{task}”: không có văn bản nào có nhãn {task}.",
                           f"no document has a {task} label")
    if len(real) == 1:
        (label, n), = real.items()
        return TaskSkipped(
            f"Không huấn luyện được “{task}”: mọi văn bản ({n}) đều có cùng một nhãn “{label}”; "
            "cần ít nhất hai nhãn khác nhau.",
            f"only one {task} label in the corpus ({label!r}, {n} documents): a classifier needs at least two",
        )
    rare = ", ".join(f"{label!r}" for label in sorted(dropped))
    return TaskSkipped(
        f"Không huấn luyện được “{task}”: chỉ còn dưới hai nhãn có từ {MIN_CLASS_SIZE} văn bản trở lên "
        f"(nhãn chỉ có một văn bản bị bỏ: {rare}).",
        f"fewer than two labels with at least {MIN_CLASS_SIZE} documents (labels seen once, dropped: {rare})",
    )


def known_labels(task: str) -> frozenset[str]:
    """The codes of the project's taxonomy of ``task``: the 14 fields, the document-type slugs."""
    if task == "topic":
        return frozenset(TOPIC_LEXICON)
    from nlp.abbreviations import DOC_TYPE_LABELS, TYPE_NAMES

    return frozenset(DOC_TYPE_LABELS) | frozenset(TYPE_NAMES.values())


def _canonical(label: str) -> str:
    from nlp.normalize import fold

    return "-".join(fold(label).lower().replace("_", " ").replace("-", " ").split())


def _edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def likely_code(label: str, known: Iterable[str]) -> str | None:
    """The known code ``label`` probably means: equal once case, ``_``/spaces and diacritics are folded,
    else within two edits of exactly one nearest code. None when it looks like a label of its own."""
    canonical = _canonical(label)
    codes = sorted(known)
    for code in codes:
        if canonical == code:
            return code
    distances = sorted((_edit_distance(canonical, code), code) for code in codes)
    if distances and distances[0][0] <= 2 and (len(distances) == 1 or distances[1][0] > distances[0][0]):
        return distances[0][1]
    return None


def check_taxonomy(task: str, docs: Sequence[LabelledDoc]) -> None:
    """Refuse labels that look like misspelt codes when the corpus uses the project's taxonomy.

    When most labelled documents carry known codes, a label outside the taxonomy that folds to a known
    code or is within two edits of one (``Y-te``, ``dat-dia``, ``quyet_dinh``) is a typo: trained as is it
    would become a class of its own and split its documents from their real class. A corpus of another
    taxonomy (a researcher's own codes) is left alone.
    """
    known = known_labels(task)
    counts = Counter(label for d in docs if not d.auxiliary and (label := d.label(task)))
    in_taxonomy = sum(n for label, n in counts.items() if label in known)
    if not counts or in_taxonomy * 2 <= sum(counts.values()):
        return
    variants = {label: code for label in counts if label not in known and (code := likely_code(label, known))}
    if variants:
        listed = "; ".join(f"“{label}” ({counts[label]} văn bản) → có lẽ là “{code}”"
                           for label, code in sorted(variants.items()))
        raise TrainingDataError(
            f"Nhãn {task} không thuộc bộ mã nhưng gần giống một mã đã biết: {listed}. "
            "Nếu là lỗi gõ, hãy sửa các nhãn này (trong tệp dữ liệu, hoặc trong kho ở trang văn bản) rồi huấn "
            "luyện lại; nếu là lĩnh vực của một danh mục khác trộn lẫn với bộ mã có sẵn, hãy huấn luyện trên "
            "văn bản của riêng danh mục đó (vanban export --topic … rồi vanban train --corpus TỆP)."
        )


def _task_data(task: str, docs: Sequence[LabelledDoc], analysed: Mapping[str, AnalyzedText]) -> TaskData:
    usable = [d for d in docs if d.label(task) and summary_of(d.title, d.text)]
    if task == "topic":
        usable += lexicon_docs(d.topic for d in usable if not d.auxiliary and d.topic)
    # Every usable document has a label (the filter above; lexicon documents carry their topic).
    counts = Counter(label for d in usable if (label := d.label(task)))
    dropped = {label: n for label, n in counts.items() if n < MIN_CLASS_SIZE}
    kept = [d for d in usable if d.label(task) not in dropped]
    if len({d.label(task) for d in kept if not d.auxiliary}) < 2:
        raise _too_little(task, usable, dropped)
    return TaskData(
        task=task,
        texts=[analysed[summary_of(d.title, d.text) or ""] for d in kept],
        labels=np.array([d.label(task) for d in kept], dtype=object),
        weights=np.array([d.weight for d in kept], dtype=float),
        auxiliary=np.array([d.auxiliary for d in kept], dtype=bool),
        dropped=dropped,
    )


def _folds(labels: np.ndarray, k: int, seed: int) -> np.ndarray:
    """Stratified fold numbers; classes smaller than ``k`` are spread over as many folds as they fill."""
    rng = np.random.RandomState(seed)
    folds = np.empty(len(labels), dtype=int)
    offset = 0
    for label in sorted(set(labels.tolist())):
        members = np.flatnonzero(labels == label)
        rng.shuffle(members)
        folds[members] = (np.arange(len(members)) + offset) % k
        offset += len(members)
    return folds


def _fit(task: str, params: Mapping[str, Any], data: TaskData, rows: np.ndarray, **clf_params: Any) -> Any:
    pipeline = build_pipeline(task, params)
    if clf_params:
        pipeline.set_params(**{f"clf__{k}": v for k, v in clf_params.items()})
    calibration = (~data.auxiliary[rows]).astype(float)
    return pipeline.fit([data.texts[i] for i in rows], data.labels[rows], clf__sample_weight=data.weights[rows],
                        clf__calibration_weight=calibration)


def _fold_scores(task: str, params: Mapping[str, Any], data: TaskData, train: np.ndarray, test: np.ndarray,
                 labels: list[str]) -> np.ndarray:
    """Decision scores of ``test`` by a model fitted on ``train``, in the column order of ``labels``."""
    pipeline = _fit(task, params, data, train, calibration_folds=0)
    scores = pipeline.decision_function([data.texts[i] for i in test])
    out = np.full((len(test), len(labels)), -1e3)  # a label missing from this fold's training part never wins
    index = {label: j for j, label in enumerate(labels)}
    for j, label in enumerate(pipeline.named_steps["clf"].classes_):
        out[:, index[label]] = scores[:, j]
    return out


def cross_validate(task: str, params: Mapping[str, Any], data: TaskData, k: int, seed: int = 0,
                   progress: Progress | None = None, n_jobs: int | None = None) -> tuple[dict[str, Any], float] | None:
    """Cross-validated metrics on the real documents and the temperature fitted on their out-of-fold scores.

    None when there are too few documents for two folds. The folds run in parallel (``n_jobs``, default:
    all cores); auxiliary examples join every training part and are never scored.
    """
    from joblib import Parallel, delayed

    real = np.flatnonzero(~data.auxiliary)
    k = min(k, len(real) // 2)
    if k < 2:
        return None
    folds = np.full(len(data.labels), -1)
    folds[real] = _folds(data.labels[real], k, seed)
    labels = sorted(set(data.labels.tolist()))
    splits = [(np.flatnonzero(folds != f), np.flatnonzero(folds == f)) for f in range(k)]
    if any(len(set(data.labels[tr][~data.auxiliary[tr]].tolist())) < 2 for tr, _ in splits):
        return None
    if progress:
        progress(f"{task}: {k}-fold cross-validation on {len(real)} documents")
    jobs = n_jobs or min(k, os.cpu_count() or 1)
    results = Parallel(n_jobs=jobs)(delayed(_fold_scores)(task, params, data, tr, te, labels) for tr, te in splits)
    scores = np.zeros((len(data.labels), len(labels)))
    for (_, test), fold_scores in zip(splits, results, strict=True):
        scores[test] = fold_scores
    scores = scores[real]
    truth = data.labels[real]
    index = {label: j for j, label in enumerate(labels)}
    target = np.array([index[t] for t in truth])
    seen = scores[np.arange(len(real)), target] > -1e3 + 1  # the true label was in the fold's training part
    temperature = fit_temperature(scores[seen], target[seen]) if seen.sum() >= 2 else DEFAULT_TEMPERATURE
    proba = probabilities(scores, temperature)
    predicted = np.array(labels, dtype=object)[np.argmax(proba, axis=1)]
    confidence = proba.max(axis=1)
    threshold = choose_threshold(confidence, predicted == truth)
    metrics = task_metrics(truth, predicted, confidence, threshold)
    spread = scores_by_fold(truth, predicted, folds[real], k)
    return metrics | {"folds": k, "seed": seed, "temperature": temperature, "fold_scores": spread}, temperature


def scores_by_fold(truth: np.ndarray, predicted: np.ndarray, folds: np.ndarray, k: int) -> dict[str, list[float]]:
    """Accuracy and macro-F1 of each fold alone: their spread is the noise of the pooled figures, which
    the models page uses before it calls one version better than another (service/model_compare.py)."""
    out: dict[str, list[float]] = {"accuracy": [], "macro_f1": []}
    for fold in range(k):
        rows = folds == fold
        if not rows.any():
            continue
        scored = task_metrics(truth[rows], predicted[rows])
        out["accuracy"].append(round(float(scored["accuracy"]), 6))
        out["macro_f1"].append(round(float(scored["macro_f1"]), 6))
    return out


def check_cv(cv: int | None) -> None:
    """0 (or None) means no cross-validation; otherwise at least two folds."""
    if cv is not None and (cv < 0 or cv == 1):
        raise TrainingDataError(
            f"Số fold kiểm định chéo (--cv) phải là 0 (không kiểm định chéo) hoặc từ 2 trở lên, nhận được {cv}."
        )


def drop_copies_across_sources(docs: Sequence[LabelledDoc]) -> tuple[list[LabelledDoc], int]:
    """``docs`` without the documents a second source repeats (same content fingerprint and labels as one
    from another source: the store together with an export of it, one file as JSONL and as CSV), and how
    many were dropped. Counted twice, a document would weigh double and, split across cross-validation
    folds, be scored on a copy of itself. Repeats within one source are the source's own and stay."""
    seen: dict[tuple[int, str | None, str | None], str] = {}
    kept: list[LabelledDoc] = []
    for doc in docs:
        if not doc.auxiliary and (doc.title or doc.text):
            key = (fingerprint(doc.title, doc.text), doc.doc_type, doc.topic)
            first = seen.setdefault(key, doc.source)
            if first != doc.source:
                continue
        kept.append(doc)
    return kept, len(docs) - len(kept)


def _file_entry(corpus: Corpus) -> dict[str, Any]:
    """One training file in the manifest; how its topic labels were read when it says something: the names
    read as built-in codes (``topic_rewrites``), or every label kept as written (another taxonomy)."""
    # Absolute: a path relative to the directory training ran from would name nothing from anywhere else.
    entry: dict[str, Any] = {"name": corpus.name, "path": str(Path(corpus.path).resolve()), "layout": corpus.layout,
                             "sha256": corpus.sha256, "documents": len(corpus.docs)}  # fmt: skip
    if corpus.topic_rewrites:
        entry["topic_rewrites"] = dict(corpus.topic_rewrites)
    if corpus.topics_as_written:
        entry["topic_labels"] = "as written"
    return entry


def dropped_message(task: str, dropped: Mapping[str, int]) -> str:
    """The Vietnamese line saying which labels had too few documents to be learnt (stderr of `vanban train`)."""
    noun = "lĩnh vực" if task == "topic" else "loại văn bản"
    shown = sorted(dropped)[:_SHOWN_DROPPED]
    more = f" … (và {len(dropped) - len(shown)} nhãn khác)" if len(dropped) > len(shown) else ""
    few = "chỉ có 1 văn bản" if MIN_CLASS_SIZE == 2 else f"có dưới {MIN_CLASS_SIZE} văn bản"
    return (f"{task}: bỏ qua {len(dropped)} {noun} {few} (quá ít để học): "
            + ", ".join(f"“{label if len(label) <= 60 else label[:59] + '…'}”" for label in shown) + more)


_SHOWN_DROPPED = 10


def _corpus_manifest(corpora: Sequence[Corpus], docs: Sequence[LabelledDoc]) -> dict[str, Any]:
    """The manifest's record of the training data: the files, the documents trained on (copies a second
    source repeated counted once), and the store's part when some came from it (hashed by content and
    labels, so that two trainings on different store contents differ)."""
    stored = sorted(f"{fingerprint(d.title, d.text)}|{d.doc_type or ''}|{d.topic or ''}"
                    for d in docs if d.source == STORE_SOURCE)  # fmt: skip
    digests = sorted(c.sha256 for c in corpora)
    manifest: dict[str, Any] = {
        "files": [_file_entry(c) for c in corpora],
        "documents": sum(1 for d in docs if not d.auxiliary),
        "auxiliary": sum(1 for d in docs if d.auxiliary),
    }  # fmt: skip
    if stored:
        store_hash = hashlib.sha256("\n".join(stored).encode()).hexdigest()
        manifest["store"] = {"documents": len(stored), "hash": store_hash}
        digests.append(store_hash)
    manifest["hash"] = hashlib.sha256("".join(digests).encode()).hexdigest()
    return manifest


def train_docs(docs: Sequence[LabelledDoc], registry: Registry, *, tasks: Iterable[str] = TASKS, cv: int = 5,
               params: Mapping[str, Mapping[str, Any]] | None = None, activate: bool = False,
               corpora: Sequence[Corpus] = (), description: str | None = None, seed: int = 0,
               progress: Progress | None = None, actor: str | None = None, n_jobs: int | None = None) -> TrainResult:
    """Train ``tasks`` on ``docs``, save a new version in ``registry`` (and activate it if asked)."""
    say = progress or (lambda message: None)
    started = time.perf_counter()
    tasks = [t for t in TASKS if t in set(tasks)]
    if not tasks:
        raise TrainingDataError("Chưa chọn tác vụ nào để huấn luyện (topic, doc_type).")
    check_cv(cv)
    check_params(params or {})  # a wrong value is said now, not after the analysis of every text
    docs, copies = drop_copies_across_sources(docs)
    if copies:
        say(f"{copies} documents given twice (same content and labels in two sources, e.g. the store and an "
            "export of it) kept once")  # fmt: skip
    for task in tasks:
        check_taxonomy(task, docs)
    lexicon = lexicon_docs(d.topic for d in docs if d.topic and not d.auxiliary) if "topic" in tasks else []
    texts = list(dict.fromkeys(s for d in [*docs, *lexicon] if (s := summary_of(d.title, d.text))))
    say(f"analysing {len(texts)} distinct texts")
    segment = all(bool(merge_params(t, (params or {}).get(t))["segment"]) for t in tasks)
    analysed = dict(zip(texts, analyze_texts(texts, segment=segment), strict=True))
    pipelines: dict[str, Any] = {}
    task_specs: dict[str, Any] = {}
    skipped: dict[str, TaskSkipped] = {}
    for task in tasks:
        task_params = merge_params(task, (params or {}).get(task))
        try:
            data = _task_data(task, docs, analysed)
        except TaskSkipped as exc:
            if len(tasks) == 1:
                raise
            say(f"{task}: skipped, {exc.cause}")
            skipped[task] = exc
            continue
        if data.dropped:
            say(dropped_message(task, data.dropped))
        validated = cross_validate(task, task_params, data, cv, seed, say, n_jobs) if cv and cv > 1 else None
        metrics, temperature = validated if validated else (None, None)
        review = (metrics or {}).get("review") or {}
        threshold = review.get("threshold", DEFAULT_ABSTAIN_THRESHOLD)
        if "threshold" not in review:
            say(f"{task}: no cross-validation to choose the review threshold from; the default "
                f"{DEFAULT_ABSTAIN_THRESHOLD} is used (train with --cv 5 to choose it)")  # fmt: skip
        say(f"{task}: fitting on {len(data.labels)} examples")
        # With cross-validation the temperature comes from its out-of-fold scores; without, the
        # classifier calibrates itself on internal folds (or keeps a default on tiny corpora).
        pipeline = _fit(task, task_params, data, np.arange(len(data.labels)), temperature=temperature)
        pipelines[task] = pipeline
        clf = pipeline.named_steps["clf"]
        task_specs[task] = {
            "labels": [str(c) for c in clf.classes_],
            "params": task_params,
            "analyzer": analyzer_version(bool(task_params["segment"])),
            "abstain_threshold": threshold,
            # Without cross-validation there are no out-of-fold scores to choose it from: say it is the default.
            "abstain_threshold_source": "cross-validation" if "threshold" in review else "default (no cross-validation)",
            "temperature": clf.temperature_,
            "calibration": "cross-validation" if temperature else
            "internal folds" if clf.calibrated_ else "default (too few documents to fit)",
            "training_size": int((~data.auxiliary).sum()),
            "auxiliary_size": int(data.auxiliary.sum()),
            "label_counts": dict(Counter(data.labels[~data.auxiliary].tolist())),
            "dropped_labels": data.dropped,
            "lexicon": LEXICON_VERSION if task == "topic" and data.auxiliary.any() and lexicon else None,
            "cv_metrics": metrics,
        }
    if not pipelines:
        raise TrainingDataError(" ".join(exc.message for exc in skipped.values()))
    manifest = {
        "description": description,
        "tasks": task_specs,
        "corpus": _corpus_manifest(corpora, docs),
        "training_seconds": round(time.perf_counter() - started, 1),
        "cpu_count": os.cpu_count(),
    }
    version = registry.save(pipelines, manifest, fingerprints(docs))
    say(f"saved version {version}")
    if activate:
        registry.activate(version, actor=actor)
        say(f"activated {version}")
    return TrainResult(version, registry.get(version).manifest, activate)


def train(corpus_paths: Sequence[str | Path], data_dir: str | Path, **kwargs: Any) -> TrainResult:
    """Train on JSONL corpora into ``<data_dir>/models`` (see :func:`train_docs` for the options)."""
    corpora = load_corpora(corpus_paths)
    docs = [d for c in corpora for d in c.docs]
    kwargs.setdefault("description", "corpus: " + ", ".join(c.name for c in corpora))
    return train_docs(docs, Registry.open(data_dir), corpora=corpora, **kwargs)


STORE_SOURCE = "store"  # LabelledDoc.source of the documents read from a store


def docs_from_store(store: Any, batch_size: int = 500) -> list[LabelledDoc]:
    """Labelled documents of a :class:`corpus.store.Store` (the service's own, clerk-corrected labels).

    A label only a model proposed (the store's current label, or the provenance an exported file carried
    in, see :func:`corpus.export.label_sources`) is left out: a model must not learn its own guesses.
    """
    from corpus.export import label_sources

    out: list[LabelledDoc] = []
    batch: list[Any] = []

    def flush() -> None:
        current = store.current_label_sources([d.id for d in batch])
        for d in batch:
            guessed = {f for f, s in label_sources(d, current.get(d.id, {})).items() if s == "model"}
            doc_type = None if "doc_type" in guessed else d.doc_type
            topic = None if "topic" in guessed else d.topic
            if doc_type or topic:
                out.append(LabelledDoc(id=d.id, title=d.title, text=d.text, number=d.number, doc_type=doc_type,
                                       topic=topic, source=STORE_SOURCE))  # fmt: skip
        batch.clear()

    for doc in store.iter_documents(batch_size):
        batch.append(doc)
        if len(batch) >= batch_size:
            flush()
    flush()
    return out


def train_default(source: Any, data_dir: str | Path, *, activate: bool = True, cv: int = 5,
                  progress: Progress | None = None, actor: str | None = None) -> TrainResult:
    """Train the default recipe: ``source`` is a Store, a list of corpus paths, or a shared-data directory."""
    if hasattr(source, "iter_documents"):
        docs = docs_from_store(source)
        return train_docs(docs, Registry.open(data_dir), cv=cv, activate=activate, progress=progress,
                          description="store: labelled documents of the service", actor=actor)
    paths = default_recipe(source) if isinstance(source, str | Path) and Path(source).is_dir() else list(source)
    return train(paths, data_dir, cv=cv, activate=activate, progress=progress, actor=actor,
                 description="default recipe: " + ", ".join(Path(p).name for p in paths))
