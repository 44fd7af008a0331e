"""Original documents (.docx, .pdf, .txt) → :class:`Document` via :mod:`nlp.extract` and :mod:`nlp.header`.

The id of a file document is ``f-`` + the first 16 hex digits of
``sha256(relative_path + "\\n" + sha256(file bytes))``, where ``relative_path`` is the file's path relative
to the folder given to the import (just its name when the file itself was given), NFC-normalised with
``/`` separators. Importing the same tree again gives the same ids, hence "unchanged"; an edited file
is a new document (its content is part of its identity), and so is the same file filed elsewhere.
"""

from __future__ import annotations

import hashlib
import mimetypes
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from corpus.document import Document
from corpus.store_rows import canonical_number
from nlp.normalize import replace_surrogates

DOCUMENT_SUFFIXES = frozenset((".docx", ".pdf", ".txt", ".doc"))
_CONTENT_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pdf": "application/pdf",
    ".txt": "text/plain; charset=utf-8",
    ".doc": "application/msword",
}


@dataclass(frozen=True)
class FileDocument:
    """A document read from a file, with the bytes to keep as its original."""

    document: Document
    filename: str
    content_type: str
    data: bytes


class FileNotImported(Exception):
    """The file could not be turned into a document; ``reason`` is Vietnamese, for the clerk."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def relative_name(path: Path, root: Path | None) -> str:
    """The path that identifies ``path`` inside the import: relative to ``root``, ``/``-separated, NFC."""
    rel = path.relative_to(root).as_posix() if root is not None else path.name
    # A name that is not UTF-8 reaches Python with lone surrogates, which nothing can encode or store.
    return unicodedata.normalize("NFC", replace_surrogates(rel))


def file_document_id(relative_path: str, content_sha256: str) -> str:
    """Stable id of a file document.

    Example
    -------
    >>> file_document_id("ke_hoach/139-KH-UBND.docx", hashlib.sha256(b"").hexdigest())
    'f-3a88642430859889'
    """
    key = f"{relative_path}\n{content_sha256}".encode()
    return "f-" + hashlib.sha256(key).hexdigest()[:16]


def read_file_document(path: Path, root: Path | None) -> FileDocument:
    """Extract, read the header, build the document; :class:`FileNotImported` when it cannot."""
    # Imported here: nlp.extract pulls python-docx and pypdf, which `vanban --help` must not pay for.
    from nlp.extract import ExtractionError, extract_file
    from nlp.header import parse_header

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FileNotImported(f"không đọc được tệp: {exc.strerror or exc}") from None
    try:
        extracted = extract_file(path)
    except ExtractionError as exc:
        raise FileNotImported(exc.message) from None
    header = parse_header(extracted.text)
    sha = hashlib.sha256(data).hexdigest()
    rel = relative_name(path, root)
    extra: dict[str, Any] = {
        "filename": path.name,
        "relative_path": rel,
        "sha256": sha,
        "format": extracted.format,
    }
    if getattr(extracted, "pages", None):
        extra["pages"] = extracted.pages
    if getattr(extracted, "encoding", None):
        extra["encoding"] = extracted.encoding
    if getattr(extracted, "warnings", None):
        extra["extraction_warnings"] = [str(w) for w in extracted.warnings]
    number, symbol = canonical_number(header.number) if header.number else (None, None)
    if header.number and number != header.number:
        extra["number_raw"] = header.number
    issued = header.issued_date if isinstance(header.issued_date, date) else None
    doc = Document(
        id=file_document_id(rel, sha),
        number=number,
        symbol=header.symbol or symbol,
        doc_type=header.doc_type,
        issuer=header.issuer,
        parent=header.parent,
        place=header.place,
        issued_date=issued,
        title=header.title,
        text=extracted.text,
        signer=header.signer,
        recipients=tuple(header.recipients or ()),
        extra=extra,
    )
    suffix = path.suffix.lower()
    content_type = (
        _CONTENT_TYPES.get(suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    )
    return FileDocument(doc, path.name, content_type, data)
