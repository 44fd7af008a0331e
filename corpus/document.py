"""The document record shared by the store, the importers, the index and the service."""

from __future__ import annotations

import dataclasses
import json
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any


def day_number(day: date) -> int:
    """``day`` as the integer the index stores, sorts and filters on (yyyymmdd): tantivy's date type
    cannot hold years before 1678, which typos in sources do."""
    return day.year * 10000 + day.month * 100 + day.day


# The longest value each short field takes, in characters, however it comes in (import, upload, correction):
# a title of 50,000 characters filed by an import could not be saved again by a clerk's form (QA).
FIELD_MAX_CHARS: dict[str, int] = {
    "number": 200, "symbol": 200, "doc_type": 100, "topic": 100, "issuer": 500, "parent": 500, "place": 200,
    "title": 5000, "signer": 200, "status": 200,
}  # fmt: skip


def too_long(field: str, value: str) -> str | None:
    """Why ``value`` is too long for ``field`` (Vietnamese, for a clerk), None when it is not."""
    limit = FIELD_MAX_CHARS.get(field)
    if limit is None or len(value) <= limit:
        return None
    # counted as stored (composed): a title pasted decomposed (NFD) holds a mark per character more (QA)
    size = len(unicodedata.normalize("NFC", value))
    return None if size <= limit else f"quá dài ({size} ký tự; tối đa {limit} ký tự)"


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


# The key under which an exported record gives each label's whole provenance, beside ``label_sources`` (which
# older vanban read and keep reading): {"topic": {"source": "model", "model_version": "…", "confidence": 0.68,
# "author": "tag"}}. It also lists a clerk's deliberate "no value" (a human label whose value is null), which
# ``label_sources`` (non-empty fields only) cannot say. An older vanban keeps it in ``extra`` unread.
LABEL_DETAILS_KEY = "label_details"
_KNOWN_SOURCES = {s.value: s for s in LabelSource}


def json_object(value: Any) -> dict[str, Any] | None:
    """``value`` as a mapping: a JSON object, or its text when it came through a CSV cell; None otherwise."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            return None
    return value if isinstance(value, dict) else None


def carried_label_sources(extra: dict[str, Any]) -> dict[str, LabelSource]:
    """The provenance ``extra[LABEL_SOURCES_KEY]`` carries: a JSON object, or its text when it came through
    a CSV cell. Unknown fields' sources and values that are not a known source are left out."""
    value = json_object(extra.get(LABEL_SOURCES_KEY)) or {}
    return {str(k): _KNOWN_SOURCES[v] for k, v in value.items() if isinstance(v, str) and v in _KNOWN_SOURCES}


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


@dataclass(frozen=True)
class LabelProvenance:
    """Where a label came from, as a backup carries it (:data:`LABEL_DETAILS_KEY`): its source and, where
    there is one, the model version, the confidence and the author (the clerk or process that filed it)."""

    source: LabelSource
    model_version: str | None = None
    confidence: float | None = None
    author: str | None = None

    @classmethod
    def of(cls, label: Label) -> LabelProvenance:
        return cls(label.source, label.model_version, label.confidence, label.author)

    @classmethod
    def read(cls, entry: Any) -> LabelProvenance | None:
        """An entry of :data:`LABEL_DETAILS_KEY`; None when it names no known source. A version, confidence
        or author that is not one (a number for a version, 68 for 0.68) is left out, not guessed at."""
        source = entry.get("source") if isinstance(entry, dict) else None
        if not isinstance(source, str) or source not in _KNOWN_SOURCES:
            return None
        version, confidence, author = entry.get("model_version"), entry.get("confidence"), entry.get("author")
        if isinstance(confidence, bool) or not isinstance(confidence, int | float) or not 0 <= confidence <= 1:
            confidence = None
        return cls(
            _KNOWN_SOURCES[source],
            (version.strip() or None) if isinstance(version, str) else None,
            None if confidence is None else float(confidence),
            (author.strip() or None) if isinstance(author, str) else None,
        )

    def to_dict(self) -> dict[str, Any]:
        """The entry an export writes: the source, then whatever else is known (keys in a fixed order, so that
        a backup restored and exported again gives the same bytes)."""
        out: dict[str, Any] = {"source": self.source.value}
        for name in ("model_version", "confidence", "author"):
            if (value := getattr(self, name)) is not None:
                out[name] = value
        return out


def carried_label_provenance(extra: dict[str, Any]) -> dict[str, LabelProvenance]:
    """Each field's label provenance a restored record carries in ``extra``: its ``label_details`` entry, else
    the source ``label_sources`` names. ``label_sources`` wins where both name a field and disagree: an older
    vanban keeps it current while the details it kept unread in ``extra`` went stale."""
    sources = carried_label_sources(extra)
    out = {name: LabelProvenance(source) for name, source in sources.items()}
    for name, entry in (json_object(extra.get(LABEL_DETAILS_KEY)) or {}).items():
        found = LabelProvenance.read(entry)
        if found is not None and sources.get(str(name), found.source) == found.source:
            out[str(name)] = found
    return out


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
