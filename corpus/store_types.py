"""Typed results of the store (re-exported by :mod:`corpus.store`): upsert outcomes, changes, audit rows."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from corpus.document import Document


class UpsertResult(StrEnum):
    """What an upsert did to one document."""

    INSERTED = "inserted"
    UPDATED = "updated"
    UNCHANGED = "unchanged"  # every stored field was equal: nothing written, no audit row


@dataclass(frozen=True)
class UpsertCounts:
    """How many documents of a batch were inserted, updated or left unchanged."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.inserted + self.updated + self.unchanged

    @classmethod
    def of(cls, results: Iterable[UpsertResult]) -> UpsertCounts:
        counts = dict.fromkeys(UpsertResult, 0)
        for result in results:
            counts[result] += 1
        return cls(
            counts[UpsertResult.INSERTED], counts[UpsertResult.UPDATED], counts[UpsertResult.UNCHANGED]
        )

    def __add__(self, other: UpsertCounts) -> UpsertCounts:
        return UpsertCounts(
            self.inserted + other.inserted, self.updated + other.updated, self.unchanged + other.unchanged
        )


@dataclass(frozen=True)
class Change:
    """A committed change, as told to listeners (e.g. the search index keeping itself in sync).

    ``upsert``: ``documents`` holds every inserted or updated document as now stored (unchanged ones are
    left out); ``delete``: ``documents`` is empty. ``ids`` always lists the ids concerned.
    """

    kind: Literal["upsert", "delete"]
    documents: tuple[Document, ...] = ()
    ids: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if not self.ids and self.documents:
            object.__setattr__(self, "ids", tuple(doc.id for doc in self.documents))


Listener = Callable[[Change], None]


@dataclass(frozen=True)
class AuditEntry:
    """One row of the audit log: who did what to which document, with the fields' old → new values.

    Model activations and rollbacks are audited too; they concern no document (``document_id`` None).
    """

    id: int
    at: datetime
    actor: str
    action: Literal["insert", "update", "delete", "label", "model-activate", "model-rollback"]
    document_id: str | None
    details: dict[str, Any]


@dataclass(frozen=True)
class StoredFile:
    """The original uploaded or imported file of a document."""

    document_id: str
    filename: str
    content_type: str
    sha256: str
    size: int
    data: bytes = field(repr=False)
    created_at: datetime | None = None
