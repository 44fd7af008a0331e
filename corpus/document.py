"""The document record shared by the store, the importers, the index and the service."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any


def day_number(day: date) -> int:
    """``day`` as the integer the index stores, sorts and filters on (yyyymmdd): tantivy's date type
    cannot hold years before 1678, which typos in sources do."""
    return day.year * 10000 + day.month * 100 + day.day


class LabelSource(StrEnum):
    """Where a label (doc_type, topic, …) came from; the store remembers it per field."""

    SOURCE = "source"  # given by the imported data (e.g. the portal's own metadata)
    HUMAN = "human"  # set or corrected by a clerk
    MODEL = "model"  # proposed by a classifier (with the model version)
    HEADER = "header"  # read from the document's own header by nlp.header


# The key under which an exported record says where its labels came from ({"topic": "model", …}); the
# importer keeps it in ``extra`` and the store files each label with that provenance (a restored backup keeps
# a model's guess a guess, a clerk's choice a clerk's).
LABEL_SOURCES_KEY = "label_sources"


def carried_label_sources(extra: dict[str, Any]) -> dict[str, LabelSource]:
    """The provenance ``extra[LABEL_SOURCES_KEY]`` carries: a JSON object, or its text when it came through
    a CSV cell. Unknown fields' sources and values that are not a known source are left out."""
    value = extra.get(LABEL_SOURCES_KEY)
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            return {}
    if not isinstance(value, dict):
        return {}
    known = {s.value: s for s in LabelSource}
    return {str(k): known[v] for k, v in value.items() if isinstance(v, str) and v in known}


@dataclass(frozen=True)
class Label:
    """One field's value with its provenance."""

    field: str
    value: str | None
    source: LabelSource
    model_version: str | None = None
    confidence: float | None = None
    author: str | None = None
    created_at: datetime | None = None


# Fields a clerk may set or correct; everything else is derived or system-managed.
EDITABLE_FIELDS = (
    "number",
    "doc_type",
    "topic",
    "issuer",
    "parent",
    "place",
    "issued_date",
    "title",
    "signer",
    "status",
    "recipients",
    "text",
    "source_url",
)


@dataclass(frozen=True)
class Document:
    """A Vietnamese administrative document as vanban files it.

    ``number`` is the số ký hiệu as printed without spaces (``139/KH-UBND``); ``symbol`` the part after the
    number (``KH-UBND``). Text fields are stored normalised (NFC, classic tone placement).
    """

    id: str
    number: str | None = None
    symbol: str | None = None
    doc_type: str | None = None
    issuer: str | None = None
    parent: str | None = None
    place: str | None = None
    issued_date: date | None = None
    title: str | None = None
    text: str | None = None
    topic: str | None = None
    status: str | None = None
    signer: str | None = None
    recipients: tuple[str, ...] = ()
    source_url: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def replace(self, **changes: Any) -> Document:
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (dates as ISO strings)."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, date | datetime):
                value = value.isoformat()
            elif isinstance(value, tuple):
                value = list(value)
            out[f.name] = value
        return out
