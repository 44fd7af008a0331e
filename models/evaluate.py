"""Evaluate a model version on labelled documents, the way a clerk would get the answers.

For each task present in the corpus: accuracy, macro-F1 (over the classes present), weighted F1,
per-class precision/recall/F1, expected calibration error and the "cần xem xét" coverage.

``doc_type`` is reported three ways:

* the top-level figures are the end-to-end classifier (number rule first, then header, then model);
* ``title_only``: the model alone on the summary, the number hidden — what the model itself knows;
  ``title_only_five_types`` restricts it to documents of the five common types (quyết định, công văn,
  kế hoạch, thông báo, chỉ thị);
* ``number_coded``: only the documents whose number carries a type code, decided by that code.

Every task also reports ``overlap``: ``{"n": k, "of": n}``, how many of its ``n`` documents have the content of
a training document of the version (by content fingerprint, :func:`models.data.fingerprint`, whatever their
id), and ``overlap_ids``, which — scores on documents the model has seen are optimistic. ``n`` is null (and
``overlap_ids`` empty) when the version predates the recorded fingerprints. A few such documents in a held-out file of
``train --holdout`` are repeats across the split (one text published under two numbers); most of the file
means it is training data.

The per-document answers behind the figures are kept on the result (:attr:`Evaluation.predictions`), so
that two versions evaluated on the same documents can be compared document by document
(:mod:`models.compare`).

Every task also reports ``unknown_labels``: ``{"n": k, "of": n, "labels": {label: count}}``, the documents
whose true label is not in the model's label set (a field or type it was never trained on: the model can
never predict it, so each of them is an error of the model and its class an F1 of 0 in macro-F1; a type may
still come from the number rule); null when the version has no model for the task. When k > 0 the task's
``warnings`` say so, and so does the progress output (stderr of ``vanban evaluate``).

Example
-------
>>> result = evaluate(classifier, load_corpus("heldout.jsonl").docs)   # doctest: +SKIP
>>> result.summary()["topic"]["macro_f1"]                              # doctest: +SKIP
0.91
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from models.classify import Classification, Classifier, DocumentInput
from models.data import LabelledDoc, fingerprint, summary_of
from models.errors import TrainingDataError
from models.metrics import confusion, reliability_bins, task_metrics

FIVE_TYPES = ("quyet-dinh", "cong-van", "ke-hoach", "thong-bao", "chi-thi")
# Ids named in an overlap warning line (the JSON and the report's table list them all).
SHOWN_IDS = 20


@dataclass
class TaskReport:
    """Everything the report shows for one (variant of a) task."""

    name: str
    metrics: dict[str, Any]
    labels: list[str] = field(default_factory=list)
    matrix: list[list[int]] = field(default_factory=list)
    reliability: list[dict[str, float]] = field(default_factory=list)
    mistakes: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Overlap:
    """How many evaluated documents were training documents of the version (``seen`` None: unknown)."""

    seen: int | None
    of: int
    ids: tuple[str, ...] = ()  # the evaluated documents with a training document's content

    def to_dict(self) -> dict[str, int | None]:
        return {"n": self.seen, "of": self.of}

    def warning(self) -> str | None:
        """One English line when some evaluated documents were training documents (None otherwise), with
        advice that fits: most of the file seen means training data was evaluated; a few, repeats of
        training documents' content under other ids (near-duplicates across a held-out split)."""
        if not self.seen:
            return None
        more = len(self.ids) - SHOWN_IDS
        shown = ", ".join(self.ids[:SHOWN_IDS]) + (f" and {more} more" if more > 0 else "")
        said = f"WARNING: {self.seen} of {self.of} evaluated documents were in the training data of this version"
        if self.seen * 2 > self.of:
            return f"{said}; the scores are optimistic (train with --holdout and evaluate on the held-out file). Ids: {shown}."
        return (f"{said} (same title and text as a training document, whatever the id): {shown}. In a held-out file of "
                "`train --holdout` these are near-duplicates across the split (one text under two ids); their "
                "answers make the scores slightly optimistic: leave these ids out of the corpus for an unbiased figure.")


@dataclass(frozen=True)
class UnknownLabels:
    """Documents whose true label the model was never trained on, by label."""

    counts: dict[str, int]
    of: int

    @property
    def documents(self) -> int:
        return sum(self.counts.values())

    def to_dict(self) -> dict[str, Any]:
        return {"n": self.documents, "of": self.of, "labels": dict(self.counts)}

    def warning(self, task: str) -> str | None:
        """One English line for the log and the report, None when every label is known."""
        if not self.counts:
            return None
        listed = ", ".join(f"{label} {n}" for label, n in self.counts.items())
        # The type of a document may still come from its number or header rule; its field only from the model.
        effect = ("the model alone (title_only) can never predict them, only the number or header rule can"
                  if task == "doc_type" else "the model can never predict them, so each is an error and each of "
                  "these labels scores F1 0 in macro-F1")
        return (f"WARNING: {task}: {self.documents} of {self.of} documents carry labels the model was not trained "
                f"on ({listed}); {effect}.")


@dataclass(frozen=True)
class DocumentPredictions:
    """What the version answered for each evaluated document, in the order of ``docs``.

    ``full`` is the end-to-end classification (number, header, summary and text); ``title_only`` the summary
    alone with the number hidden (its ``doc_type`` is the model's own view; None when it has no such model).
    """

    docs: list[LabelledDoc]
    full: list[Classification]
    title_only: list[Classification]


@dataclass
class Evaluation:
    model_version: str
    documents: int
    reports: dict[str, TaskReport]
    overlap: Overlap = field(default_factory=lambda: Overlap(None, 0))
    task_overlap: dict[str, Overlap] = field(default_factory=dict)
    unknown_labels: dict[str, UnknownLabels | None] = field(default_factory=dict)
    predictions: DocumentPredictions | None = None
    # The evaluated corpus files (absolute path, sha256, documents): what the figures are of
    corpus: list[dict[str, Any]] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        """The warnings about the evaluated labels, task by task (for the log and the report)."""
        out = []
        for task, unknown in self.unknown_labels.items():
            line = unknown.warning(task) if unknown is not None else None
            if line:
                out.append(line)
        return out

    def summary(self) -> dict[str, Any]:
        """The JSON of ``vanban evaluate --json``: one entry per task, doc_type variants nested in it."""
        out: dict[str, Any] = {}
        for task in ("topic", "doc_type"):
            if task in self.reports:
                out[task] = self.reports[task].metrics | {"model_version": self.model_version}
                if task in self.task_overlap:
                    out[task]["overlap"] = self.task_overlap[task].to_dict()
                    out[task]["overlap_ids"] = list(self.task_overlap[task].ids)
                warnings: list[str] = []
                if task in self.unknown_labels:
                    unknown = self.unknown_labels[task]
                    out[task]["unknown_labels"] = unknown.to_dict() if unknown is not None else None
                    line = unknown.warning(task) if unknown is not None else None
                    warnings += [line] if line else []
                if task in self.task_overlap and (seen := self.task_overlap[task].warning()):
                    warnings.append(seen)  # scores on documents the model was trained on are optimistic
                out[task]["warnings"] = warnings
        if "doc_type" in out:
            for variant in ("title_only", "title_only_five_types", "number_coded"):
                if variant in self.reports:
                    out["doc_type"][variant] = self.reports[variant].metrics
        return out


def corpus_files(corpora: Sequence[Any]) -> list[dict[str, Any]]:
    """What an evaluation was of (:class:`models.data.Corpus` list): each file's name, absolute path, sha256
    and documents, for ``metrics.json`` and the reports."""
    from pathlib import Path

    return [{"name": c.name, "path": str(Path(c.path).resolve()), "sha256": c.sha256, "documents": len(c.docs)}
            for c in corpora]  # fmt: skip


def _mistakes(docs: Sequence[LabelledDoc], truth: Sequence[str], preds: Sequence[Any], limit: int = 20) -> list[dict[str, Any]]:
    wrong = [(i, p) for i, p in enumerate(preds) if p is not None and p.label != truth[i]]
    wrong.sort(key=lambda item: -(item[1].confidence or 0.0))
    return [
        {
            "id": docs[i].id,
            "title": (summary_of(docs[i].title, docs[i].text) or "")[:240],
            "number": docs[i].number,
            "true": truth[i],
            "predicted": p.label,
            "confidence": p.confidence,
            "source": p.source,
            "reasons": list(p.reasons),
        }
        for i, p in wrong[:limit]
    ]


def _unknown_labels(truth: Sequence[str], known: Collection[str]) -> UnknownLabels:
    counts = Counter(label for label in truth if label not in known)
    return UnknownLabels(dict(sorted(counts.items(), key=lambda item: (-item[1], item[0]))), len(truth))


def _report(name: str, docs: Sequence[LabelledDoc], truth: list[str], preds: Sequence[Any], threshold: float | None) -> TaskReport:
    labels = [p.label if p is not None and p.label is not None else "(không có)" for p in preds]
    conf = np.array([p.confidence if p is not None and p.confidence is not None else 0.0 for p in preds])
    metrics = task_metrics(truth, labels, conf, threshold)
    order, matrix = confusion(truth, labels)
    correct = (np.array(truth, dtype=object) == np.array(labels, dtype=object)).astype(float)
    return TaskReport(name, metrics, order, matrix, reliability_bins(conf, correct), _mistakes(docs, truth, preds))


def distinct_documents(docs: Sequence[LabelledDoc]) -> tuple[list[LabelledDoc], list[str]]:
    """``docs`` with each record scored once (the first kept; the same id and content is a repeat), and the ids
    that repeated: a file holding a record
    twice, or given twice to ``--corpus``, would count its documents twice in every figure (QA: n=150 for a
    75-document file named twice). Import refuses repeated ids; evaluation says it dropped them."""
    kept: dict[tuple[str, int], LabelledDoc] = {}
    repeated: list[str] = []
    for doc in docs:
        # the id and the content: two files of one name number their id-less records alike ("docs-0")
        key = (doc.id, fingerprint(doc.title, doc.text))
        if key in kept:
            repeated.append(doc.id)
        else:
            kept[key] = doc
    return list(kept.values()), repeated


def evaluate(classifier: Classifier, docs: Sequence[LabelledDoc], progress: Any = None,
             training: Collection[int] | None = None) -> Evaluation:
    """Score ``classifier`` on ``docs`` (auxiliary examples are ignored); raises when nothing is labelled.

    ``training``: the fingerprints of the version's training documents
    (:meth:`models.registry.Registry.training_fingerprints`), None when unknown.
    """
    say = progress or (lambda message: None)
    docs = [d for d in docs if not d.auxiliary and (summary_of(d.title, d.text) or d.number)]
    known = set(training) if training is not None else None
    seen = [known is not None and fingerprint(d.title, d.text) in known for d in docs]
    reports: dict[str, TaskReport] = {}
    tasks = [t for t in ("topic", "doc_type") if any(d.label(t) for d in docs)]
    if not tasks:
        raise TrainingDataError("Không có văn bản nào có nhãn (topic hoặc doc_type) để đánh giá.")
    unknown: dict[str, UnknownLabels | None] = {}
    for task in tasks:
        if task not in classifier.tasks:
            unknown[task] = None  # no model for the task: nothing to compare the labels with
            continue
        found = _unknown_labels([str(d.label(task)) for d in docs if d.label(task)], set(classifier.labels(task)))
        unknown[task] = found
        if line := found.warning(task):
            say(line)
    say(f"classifying {len(docs)} documents")
    full = classifier.classify_batch([DocumentInput(d.id, d.title, d.text, d.number) for d in docs])
    if "doc_type" in classifier.tasks:
        title_only = classifier.classify_batch([DocumentInput(d.id, summary_of(d.title, d.text)) for d in docs])
    else:
        title_only = [Classification(d.id, None, None, False, (), {}, classifier.version) for d in docs]
    for task in tasks:
        rows = [i for i, d in enumerate(docs) if d.label(task)]
        subset = [docs[i] for i in rows]
        truth = [str(docs[i].label(task)) for i in rows]
        threshold = classifier.thresholds.get(task)
        preds = [getattr(full[i], task) for i in rows]
        reports[task] = _report(task, subset, truth, preds, threshold)
        if task != "doc_type":
            continue
        sources: dict[str, int] = {}
        for p in preds:
            key = p.source if p is not None else "none"
            sources[key] = sources.get(key, 0) + 1
        reports[task].metrics["sources"] = sources
        if "doc_type" in classifier.tasks:
            model_preds = [title_only[i].doc_type for i in rows]
            reports["title_only"] = _report("doc_type (title only)", subset, truth, model_preds, threshold)
            five = [j for j, t in enumerate(truth) if t in FIVE_TYPES]
            if five:
                reports["title_only_five_types"] = _report(
                    "doc_type (title only, five common types)", [subset[j] for j in five],
                    [truth[j] for j in five], [model_preds[j] for j in five], threshold,
                )
        coded = [j for j, p in enumerate(preds) if p is not None and p.source == "number" and p.confidence == 1.0]
        if coded:
            reports["number_coded"] = _report("doc_type (number with a type code)", [subset[j] for j in coded],
                                              [truth[j] for j in coded], [preds[j] for j in coded], None)
    def overlap(rows: Sequence[int]) -> Overlap:
        if known is None:
            return Overlap(None, len(rows))
        return Overlap(sum(seen[i] for i in rows), len(rows), tuple(docs[i].id for i in rows if seen[i]))

    task_overlap = {t: overlap([i for i, d in enumerate(docs) if d.label(t)]) for t in tasks}
    return Evaluation(classifier.version, len(docs), reports, overlap(range(len(docs))), task_overlap, unknown,
                      DocumentPredictions(docs, full, title_only))
