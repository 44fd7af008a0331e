"""Text layer of a PDF, page by page, and the decision that a PDF has none.

A scanned document is a PDF of page images: pypdf finds no text, or only what was stamped on top of the
images — a Công báo running header ("CÔNG BÁO/Số 577 + 578/Ngày 07-3-2023 69"), a digital-signature
stamp ("Ký bởi: … Thời gian ký: …"). Such lines are not counted; when fewer than
:data:`MIN_WORDS_PER_PAGE` words per page remain, the PDF has no usable text layer and needs OCR.

The work is bounded: at most ``max_pages`` pages are read and reading stops after ``max_seconds``; both
leave a warning, so a huge or hostile file cannot hang an upload.
"""

from __future__ import annotations

import logging
import re
import time
from collections import Counter
from io import BytesIO

from nlp.extract_errors import CorruptDocument, EmptyDocument, EncryptedDocument, NoTextLayer

MIN_WORDS_PER_PAGE = 20
_WORD_RE = re.compile(r"[^\W\d_]{2,}")
_STAMP_RE = re.compile(
    r"^\s*(?:ký bởi|người ký|email|e-mail|cơ quan|thời gian ký|ngày ký|chức vụ|signed by|signature valid)\b",
    re.IGNORECASE,
)
_DIGITS_RE = re.compile(r"\d+")
# Letters some Vietnamese PDF fonts map to the Latin "OI" code points instead of Ư/ư.
_PDF_LOOKALIKES = (("\u01a2", "Ư"), ("\u01a3", "ư"))

logger = logging.getLogger(__name__)


def _page_key(line: str) -> str:
    return _DIGITS_RE.sub("#", " ".join(line.split())).lower()


def _content_words(pages: list[str]) -> list[int]:
    """Words per page, leaving out running headers (lines repeated on most pages) and signature stamps."""
    seen: Counter[str] = Counter()
    for page in pages:
        seen.update({_page_key(line) for line in page.splitlines() if line.strip()})
    repeated = {key for key, count in seen.items() if len(pages) > 1 and count >= max(2, len(pages) // 2)}
    counts = []
    for page in pages:
        words = 0
        for line in page.splitlines():
            if not line.strip() or _STAMP_RE.match(line) or _page_key(line) in repeated:
                continue
            words += len(_WORD_RE.findall(line))
        counts.append(words)
    return counts


def pdf_pages(data: bytes, max_pages: int, max_seconds: float) -> tuple[list[str], int, list[str]]:
    """(text of each page read, total page count, warnings). Raises the extraction errors on bad PDFs."""
    # pypdf is imported here: only PDF uploads pay for it
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    warnings: list[str] = []
    # pypdf raises many exception types on damaged input (its own, ValueError, KeyError, struct and zlib
    # errors…); at this boundary every one of them means "the file is damaged".
    try:
        reader = PdfReader(BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
    except Exception as exc:
        raise CorruptDocument(f"unreadable PDF: {exc!r}", kind="tệp PDF") from exc
    if encrypted:
        try:
            # Many PDFs are encrypted only with an owner password (printing/copy limits) and open with
            # an empty user password.
            opened = reader.decrypt("")
        except (DependencyError, NotImplementedError, FileNotDecryptedError, PdfReadError) as exc:
            raise EncryptedDocument(f"cannot decrypt PDF: {exc!r}") from exc
        if not opened:
            raise EncryptedDocument("the PDF needs a password")
    try:
        total = len(reader.pages)
    except Exception as exc:
        raise CorruptDocument(f"PDF page tree unreadable: {exc!r}", kind="tệp PDF") from exc
    if total == 0:
        raise EmptyDocument("the PDF has no pages")
    if total > max_pages:
        warnings.append(f"Tài liệu có {total} trang; chỉ đọc {max_pages} trang đầu.")
    started = time.monotonic()
    pages: list[str] = []
    failed = 0
    for index in range(min(total, max_pages)):
        if time.monotonic() - started > max_seconds:
            warnings.append(f"Đọc PDF quá lâu; chỉ lấy được {index} trang đầu.")
            break
        try:
            text = reader.pages[index].extract_text() or ""
        except Exception as exc:  # a damaged page should not lose the others
            logger.warning("page %d of PDF unreadable: %r", index + 1, exc)
            failed += 1
            text = ""
        for wrong, right in _PDF_LOOKALIKES:
            text = text.replace(wrong, right)
        pages.append(text)
    if failed and failed == len(pages):
        raise CorruptDocument("no page of the PDF could be read", kind="tệp PDF")
    if failed:
        warnings.append(f"Không đọc được {failed} trang của tệp PDF (trang bị hỏng).")
    return pages, total, warnings


def pdf_text(data: bytes, max_pages: int, max_seconds: float) -> tuple[str, int, tuple[str, ...]]:
    """(text, page count, warnings) of a PDF with a text layer; :class:`NoTextLayer` for a scanned one."""
    pages, total, warnings = pdf_pages(data, max_pages, max_seconds)
    words = _content_words(pages)
    if not pages or sum(words) / len(pages) < MIN_WORDS_PER_PAGE:
        raise NoTextLayer(pages=total)
    # pages with (almost) no words among pages with text: scanned pages inside a digital PDF
    image_pages = sum(1 for count in words if count < 5)
    if image_pages >= 2 and image_pages * 2 >= len(pages):
        warnings.append(
            f"{image_pages}/{len(pages)} trang gần như không có lớp văn bản (ảnh quét); "
            "phần nội dung trên các trang đó cần OCR."
        )
    return "\n\n".join(pages), total, tuple(warnings)
