"""Text layer of a PDF, page by page, and the decision that a PDF has none.

A scanned document is a PDF of page images: pypdf finds no text, or only what was stamped on top of the
images — a Công báo running header ("CÔNG BÁO/Số 577 + 578/Ngày 07-3-2023 69"), a digital-signature
stamp ("Ký bởi: … Thời gian ký: …"). Such lines are not counted. A page with at least
:data:`MIN_WORDS_PER_PAGE` words left has a text layer (a one-page PDF, at least
:data:`MIN_WORDS_SINGLE_PAGE`: a short notice fits on one page). A PDF with no such page needs OCR; one
with some such pages is read, with a warning naming how many pages are images (a typed first page in front
of scanned annexes is common).

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
from nlp.syllable_join import rejoin_split_syllables

MIN_WORDS_PER_PAGE = 20
# A one-page PDF has no running header to recognise, so a scan's stamped "CÔNG BÁO/Số …/Ngày …" (4 words)
# still counts; a real one-page notice ("Thông báo lịch họp giao ban…") has more than this.
MIN_WORDS_SINGLE_PAGE = 8
# Fewer words than this, on a page of a PDF that has text elsewhere: a scanned page.
_IMAGE_PAGE_WORDS = 5
_WORD_RE = re.compile(r"[^\W\d_]{2,}")
_STAMP_RE = re.compile(
    r"^\s*(?:ký bởi|người ký|email|e-mail|cơ quan|thời gian ký|ngày ký|chức vụ|signed by|signature valid)\b",
    re.IGNORECASE,
)
_DIGITS_RE = re.compile(r"\d+")
# Letters some Vietnamese PDF fonts map to the Latin "OI" code points instead of Ư/ư.
_PDF_LOOKALIKES = (("\u01a2", "Ư"), ("\u01a3", "ư"))

logger = logging.getLogger(__name__)


def _quiet_pypdf() -> None:
    """Keep pypdf's own complaints ("EOF marker not found", "Ignoring wrong pointing object…") off stderr.

    pypdf logs, in English, each damage it works around or gives up on; with no logging configured (the
    CLI) Python prints those warnings on stderr, before our Vietnamese message says the same thing in
    words a clerk can act on. A level set explicitly on the "pypdf" logger (to debug a PDF) is kept.
    """
    pypdf_logger = logging.getLogger("pypdf")
    if pypdf_logger.level == logging.NOTSET:
        pypdf_logger.setLevel(logging.CRITICAL)


_quiet_pypdf()


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


def has_text_layer(words_per_page: list[int], total_pages: int) -> bool:
    """Whether a PDF whose pages read hold ``words_per_page`` content words has a text layer at all.

    Page by page, not on average: a typed first page followed by five scanned pages is a digital
    document with scanned annexes (its text is read, the scans are reported), not a scan.
    """
    if total_pages == 1 and words_per_page:
        return words_per_page[0] >= MIN_WORDS_SINGLE_PAGE
    return any(count >= MIN_WORDS_PER_PAGE for count in words_per_page)


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
    rejoined = 0
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
        # pypdf spaces glyphs drawn far apart, which some fonts do inside a syllable ("Lu ật", "c ủa").
        text, joins = rejoin_split_syllables(text)
        rejoined += joins
        pages.append(text)
    if rejoined:
        logger.debug("PDF text: %d split syllables rejoined", rejoined)
    if failed and failed == len(pages):
        raise CorruptDocument("no page of the PDF could be read", kind="tệp PDF")
    if failed:
        warnings.append(f"Không đọc được {failed} trang của tệp PDF (trang bị hỏng).")
    return pages, total, warnings


def pdf_text(data: bytes, max_pages: int, max_seconds: float) -> tuple[str, int, tuple[str, ...]]:
    """(text, page count, warnings) of a PDF with a text layer; :class:`NoTextLayer` for a scanned one."""
    pages, total, warnings = pdf_pages(data, max_pages, max_seconds)
    words = _content_words(pages)
    if not has_text_layer(words, total):
        raise NoTextLayer(pages=total)
    # pages with (almost) no words among pages with text: scanned pages inside a digital PDF
    image_pages = sum(1 for count in words if count < _IMAGE_PAGE_WORDS)
    if image_pages:
        warnings.append(
            f"{image_pages}/{len(pages)} trang gần như không có lớp văn bản (ảnh quét); "
            "phần nội dung trên các trang đó cần OCR."
        )
    return "\n\n".join(pages), total, tuple(warnings)
