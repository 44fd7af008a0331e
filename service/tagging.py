"""Tag stored documents that came without a type or a field (an import, `vanban tag`), as uploads are.

A folder of .docx files or a spreadsheet without a ``topic`` column is filed with empty fields: the field
facet and filter would never find those documents, and nobody would be asked to look at them. After an
import, each stored document still lacking ``doc_type`` or ``topic`` — and with no current label for it (a
clerk's deliberate choice, a source's value) — gets the active model's proposal as a ``model`` label (with
the version and confidence), and the fields the service would doubt on an upload (below its review
threshold, or no proposal at all) are queued for review exactly as an upload's are
(``extra["review_fields"]``, see :mod:`service.documents`).

Without an active model nothing is tagged and the report says why; ``vanban import --no-tag`` skips the
step (an archive of news articles, say, that has no use for administrative fields).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corpus.document import Document, LabelSource
from corpus.store import Store
from service import models_adapter
from service.documents import PROPOSAL_SOURCES, TAG_FIELDS
from service.models_adapter import Tags

BATCH = 500  # documents per pass of the batch analyser


@dataclass
class TaggingReport:
    """What tagging an import did. ``note`` (Vietnamese) says why nothing was tagged, when nothing was."""

    model_version: str | None = None
    considered: int = 0  # stored documents lacking a type or a field with no label for it
    tagged: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TAG_FIELDS, 0))
    review: int = 0  # of them, documents queued for a clerk
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"model_version": self.model_version, "considered": self.considered, "tagged": dict(self.tagged),
                "review": self.review, "note": self.note}  # fmt: skip

    def summary(self) -> str:
        if self.note:
            return self.note
        if not self.considered:
            return ("Không có văn bản nào cần gắn nhãn tự động (đã có loại văn bản và lĩnh vực, hoặc đã được đề "
                    "xuất và đang chờ duyệt).")
        return (
            f"Gắn nhãn tự động (mô hình {self.model_version}) cho {self.considered} văn bản: "
            f"{self.tagged['doc_type']} loại văn bản, {self.tagged['topic']} lĩnh vực; "
            f"{self.review} văn bản chờ người duyệt (trang Duyệt nhãn)."
        )


def tag_documents(
    store: Store, data_dir: Path, ids: Iterable[str], *, threshold: float | None, actor: str = "import",
    refresh: bool = False, progress: Callable[[int, int], None] | None = None,
) -> TaggingReport:  # fmt: skip
    """Propose the missing type and field of the documents ``ids`` with the active model (see module).

    ``refresh``: also propose again the fields whose current label came from another model version (a
    newer model was activated); what a clerk or the source gave is never touched. ``progress(done, of)``
    is called after each batch (thousands of documents take minutes: QA saw 13 silent minutes).
    """
    from models.registry import Registry

    report = TaggingReport()
    wanted = list(dict.fromkeys(ids))
    active = Registry.open(data_dir).active_version() if refresh else None
    loaded: tuple[Any, str] | None = None
    for start in range(0, len(wanted), BATCH):
        chunk = wanted[start : start + BATCH]
        missing = _missing_tags(store, chunk, refresh=refresh, active=active)
        if not missing:
            continue
        if loaded is None:  # the model is loaded (seconds) only once something needs it
            loaded = _active_classifier(data_dir, report)
            if loaded is None:
                return report
            report.model_version = loaded[1]
        classifier, version = loaded
        docs = [doc for doc, _ in missing]
        tags = models_adapter.classify_documents(classifier, version, docs, threshold)
        for (doc, fields), proposal in zip(missing, tags, strict=True):
            report.considered += 1
            if _apply(store, doc, fields, proposal, threshold, actor, report):
                report.review += 1
        if progress is not None:
            progress(min(start + BATCH, len(wanted)), len(wanted))
    return report


def _active_classifier(data_dir: Path, report: TaggingReport) -> tuple[Any, str] | None:
    from models.errors import ModelError
    from models.registry import Registry

    registry = Registry.open(data_dir)
    version = registry.active_version()
    if version is None:
        report.note = ("Chưa có mô hình phân loại đang hoạt động: văn bản thiếu loại hoặc lĩnh vực chưa được gắn "
                       "nhãn tự động. Huấn luyện (vanban train --activate) rồi chạy vanban tag để gắn nhãn.")  # fmt: skip
        return None
    try:
        return registry.load(version), version
    except ModelError as exc:
        report.note = f"Không gắn nhãn tự động được: {exc.message}"
        return None


def _missing_tags(
    store: Store, ids: Sequence[str], *, refresh: bool = False, active: str | None = None
) -> list[tuple[Document, list[str]]]:
    """(document, fields to propose) of the documents lacking a type or field that nothing labelled (and
    that were not proposed and queued already: a text with nothing to go on is not re-read every import);
    with ``refresh``, also those and the fields a model version other than ``active`` proposed."""
    sources = store.current_label_sources(ids)
    out = []
    for doc_id in ids:
        doc = store.find(doc_id)
        if doc is None:  # deleted meanwhile
            continue
        labelled = sources.get(doc.id, {})
        # Proposed before with nothing to show (no label came of it) and queued: not re-read every import.
        queued = set(doc.extra.get("review_fields", ())) if "classification" in doc.extra and not refresh else set()
        # An empty field is proposed unless a clerk left it so; a source that gave a value and later none
        # (an older file imported again) leaves it to the model again.
        fields = [
            f for f in TAG_FIELDS
            if not getattr(doc, f) and labelled.get(f) != LabelSource.HUMAN and not (f in queued and f not in labelled)
        ]  # fmt: skip
        if refresh and LabelSource.MODEL in labelled.values():
            current = {label.field: label for label in store.labels(doc.id)}
            fields += [f for f in TAG_FIELDS if f not in fields and labelled.get(f) == LabelSource.MODEL
                       and current[f].model_version != active]  # fmt: skip
        if fields:
            out.append((doc, fields))
    return out


def _apply(
    store: Store, doc: Document, fields: list[str], tags: Tags, threshold: float | None, actor: str, report: TaggingReport
) -> bool:
    """Label ``fields`` of ``doc`` with ``tags``; True when the document now waits for a clerk."""
    for name in fields:
        proposal = getattr(tags, name)
        if proposal.label is None:
            continue
        doc = store.set_label(doc.id, name, proposal.label, source=PROPOSAL_SOURCES.get(proposal.source, LabelSource.MODEL),
                              actor=actor, model_version=tags.model_version if proposal.source == "model" else None,
                              confidence=proposal.confidence)  # fmt: skip
        report.tagged[name] += 1
    doubted = [name for name in fields if getattr(tags, name).uncertain(threshold)]
    # The fields proposed now are doubted or not by this proposal alone (a refreshed one may be sure now).
    review = [f for f in doc.extra.get("review_fields", ()) if f not in fields] + doubted
    extra = {**doc.extra, "classification": tags.to_dict(), "review_fields": review}
    # Written as the model's side (not as an import: that would read the proposed values as the source's).
    store.upsert(doc.replace(extra=extra), actor=actor, source=LabelSource.MODEL)
    return bool(doubted)
