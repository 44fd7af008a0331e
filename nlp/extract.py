"""Take the text out of an uploaded file: plain text, Word .docx or .doc, or PDF with a text layer.

The format is decided from the content (magic bytes), never from the file name: ``%PDF`` is a PDF, a zip
holding ``word/document.xml`` is a .docx, the OLE2 signature ``D0 CF 11 E0`` is a Word 97 .doc (or an
encrypted Office file), anything else must decode as text. Every failure is one of the
:mod:`nlp.extract_errors` errors with a Vietnamese message telling the clerk what to do.

Text comes back normalised (:func:`nlp.normalize.normalize`) with one paragraph per line; wide gaps
between columns (three spaces or more, two tabs) become line breaks, so a header laid out in two columns
reads as separate lines (:func:`nlp.header_layout.split_columns`). Text typed with the pre-Unicode
Vietnamese fonts (TCVN3, VNI) is converted to Unicode with a warning (:mod:`nlp.legacy_fonts`).

Example
-------
>>> result = extract_bytes("Số: 12/QĐ-UBND\\nVề việc thành lập Tổ công tác".encode("utf-8"), "qd.txt")
>>> (result.format, result.encoding, result.text.splitlines()[0])
('txt', 'utf-8', 'Số: 12/QĐ-UBND')
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from nlp.extract_errors import (
    ACCEPTED_FORMATS,
    DAMAGED_DOCX_MESSAGE,
    CorruptDocument,
    EmptyDocument,
    EncryptedDocument,
    ExtractionError,
    FileTooLarge,
    NoTextLayer,
    UnsupportedFile,
)
from nlp.header_layout import split_columns
from nlp.legacy_fonts import FONT_LABELS, repair_legacy_fonts
from nlp.normalize import normalize

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_PAGES",
    "CorruptDocument",
    "EmptyDocument",
    "EncryptedDocument",
    "Extracted",
    "ExtractionError",
    "FileTooLarge",
    "NoTextLayer",
    "UnsupportedFile",
    "extract_bytes",
    "extract_file",
    "sniff_format",
]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_PAGES = 500
DEFAULT_MAX_SECONDS = 60.0
# Longer texts are cut (with a warning): 3 million characters is ~1,200 pages, four times the longest
# decree in the shared corpus; normalising that much already takes several seconds.
MAX_TEXT_CHARS = 3_000_000

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_IMAGE_MAGICS = (b"\x89PNG", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*")
_SAVE_AS = "Hãy mở tệp bằng Word và lưu lại dưới dạng .docx hoặc PDF rồi tải lên lại."
# Names of Word's zip formats: such a name on a zip that holds no Word document means a damaged Word file
# (or a mislabelled one), which the clerk fixes in Word, not by unpacking an archive.
_WORD_ZIP_SUFFIXES = (".docx", ".docm", ".dotx", ".dotm")


@dataclass(frozen=True)
class Extracted:
    """Text taken from a file.

    ``format`` is ``txt``, ``docx``, ``doc`` or ``pdf``; ``encoding`` the detected encoding of a text file (None
    otherwise); ``pages`` the page count of a PDF (None otherwise); ``warnings`` notes for the clerk
    (Vietnamese) about text that may be incomplete.
    """

    text: str
    format: str
    encoding: str | None = None
    pages: int | None = None
    warnings: tuple[str, ...] = ()


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def sniff_format(data: bytes, filename: str | None = None) -> str:
    """``pdf``, ``docx``, ``doc``, ``text`` from the content; raises for formats we do not read.

    ``filename`` never decides the format; it only sharpens the refusal of a zip that holds no Word
    document: named .docx, it is a damaged Word file rather than an archive to unpack.

    Example
    -------
    >>> sniff_format(b"%PDF-1.7 ...")
    'pdf'
    """
    # PDF readers accept a header anywhere in the first kilobyte (some generators prepend junk); a text
    # that merely mentions "%PDF-" has no objects after it
    at = data.find(b"%PDF-", 0, 1024)
    if at == 0 or (at > 0 and b" obj" in data[at : at + 4096]):
        return "pdf"
    if data.startswith(_ZIP_MAGICS):
        return _sniff_zip(data, _named_like_word(filename))
    if data.startswith(_OLE2_MAGIC):
        if _utf16("EncryptedPackage") in data or _utf16("EncryptionInfo") in data:
            raise EncryptedDocument("password-protected Office file (OLE2 EncryptedPackage)")
        if _utf16("WordDocument") in data:
            return "doc"
        if any(_utf16(name) in data for name in ("Workbook", "Book", "PowerPoint Document")):
            raise UnsupportedFile(
                "OLE2 container that is not a Word document (Excel .xls, PowerPoint .ppt…)",
                f"Tệp Excel/PowerPoint đời cũ không được hỗ trợ. Chỉ nhận văn bản {ACCEPTED_FORMATS}.",
            )
        # No stream name at all: a Word file cut before its directory (an interrupted upload) reads like
        # this; say it is damaged rather than guess it is a spreadsheet.
        raise CorruptDocument("OLE2 container without a readable directory", kind="tệp Office đời cũ (.doc)")
    # a BMP starts with "BM" and binary sizes; a text file may start with "BM" too
    if data.startswith(_IMAGE_MAGICS) or (data.startswith(b"BM") and b"\x00" in data[:16]):
        raise UnsupportedFile(
            "image file",
            "Tệp ảnh (ảnh chụp/ảnh quét) không có lớp văn bản. Hãy nhận dạng chữ (OCR) "
            "hoặc tải lên bản .docx/PDF có lớp văn bản.",
        )
    if data.lstrip().startswith(b"{\\rtf"):
        raise UnsupportedFile("RTF document", f"Tệp RTF không được hỗ trợ. {_SAVE_AS}")
    return "text"


# File name suffixes of the formats we read by content, and what the clerk calls them.
_NAMED_FORMATS = {".pdf": "tệp PDF", ".docx": "tệp Word", ".doc": "tệp Word"}


_BINARY_TXT_MESSAGE = (
    "Tệp .txt này chứa dữ liệu nhị phân chứ không phải chữ: tệp bị hỏng, hoặc là loại tệp khác bị đổi đuôi "
    "thành .txt. Hãy mở tệp bằng phần mềm gốc, lưu lại dưới dạng .txt (UTF-8), .docx hoặc PDF rồi tải lên lại."
)


def _named_like_word(filename: str | None) -> bool:
    return filename is not None and filename.strip().lower().endswith(_WORD_ZIP_SUFFIXES)


def _sniff_zip(data: bytes, named_like_word: bool = False) -> str:
    try:
        with zipfile.ZipFile(BytesIO(data)) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, ValueError, EOFError, OSError) as exc:
        if named_like_word or b"word/" in data or b"[Content_Types].xml" in data:
            raise CorruptDocument(f"truncated or damaged .docx: {exc}", kind="tệp Word (.docx)") from exc
        raise CorruptDocument(f"damaged zip archive: {exc}", kind="tệp nén") from exc
    if "word/document.xml" in names:
        return "docx"
    if any(name.startswith("word/") for name in names):
        raise CorruptDocument("Word package without word/document.xml", message=DAMAGED_DOCX_MESSAGE)
    if any(name.startswith("xl/") for name in names):
        message = f"Tệp Excel (.xlsx) không được hỗ trợ. Chỉ nhận văn bản {ACCEPTED_FORMATS}."
    elif any(name.startswith("ppt/") for name in names):
        message = f"Tệp PowerPoint (.pptx) không được hỗ trợ. Chỉ nhận văn bản {ACCEPTED_FORMATS}."
    elif "content.xml" in names:
        message = f"Tệp OpenDocument (.odt) không được hỗ trợ. {_SAVE_AS}"
    elif named_like_word:
        raise CorruptDocument(f"file named like a .docx is a zip without Word parts: {sorted(names)[:5]}",
                              message=DAMAGED_DOCX_MESSAGE)  # fmt: skip
    else:
        message = "Tệp nén (.zip) không được hỗ trợ. Hãy giải nén rồi tải lên từng văn bản một."
    raise UnsupportedFile(f"zip archive that is not a .docx: {sorted(names)[:5]}", message)


def _lines_to_text(lines: list[str]) -> str:
    out: list[str] = []
    for line in lines:
        pieces = split_columns(line)
        out.extend(pieces if pieces else [""])
    return "\n".join(out)


def _finish(
    text: str,
    fmt: str,
    encoding: str | None,
    pages: int | None,
    warnings: tuple[str, ...],
    converted: set[str] | frozenset[str] = frozenset(),
) -> Extracted:
    """``converted``: legacy font families a reader converted already (a .docx's runs, by their font)."""
    warnings_list = list(warnings)
    if len(text) > MAX_TEXT_CHARS:
        text = text[:MAX_TEXT_CHARS]
        warnings_list.append(
            f"Văn bản quá dài: chỉ {MAX_TEXT_CHARS:,} ký tự đầu được đọc và tìm kiếm; tệp gốc vẫn được lưu nguyên vẹn.".replace(",", ".")
        )
    text, family = repair_legacy_fonts(text)
    families = sorted({*converted, *([family] if family else [])})
    if families and encoding not in ("tcvn3", "vni"):  # a .txt decoded from a legacy font already says so
        labels = " và ".join(FONT_LABELS[f] for f in families)
        warnings_list.append(
            f"Văn bản gõ bằng phông chữ cũ {labels}: đã chuyển sang Unicode; hãy kiểm tra dấu tiếng Việt."
        )
    text = normalize(text)
    if not text:
        raise EmptyDocument(f"no text after extraction ({fmt})")
    return Extracted(text=text, format=fmt, encoding=encoding, pages=pages, warnings=tuple(warnings_list))


def extract_bytes(
    data: bytes,
    filename: str | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pages: int = DEFAULT_MAX_PAGES,
    max_seconds: float = DEFAULT_MAX_SECONDS,
) -> Extracted:
    """Extract the text of an uploaded file given as bytes; ``filename`` is only used in messages (and to
    tell a damaged .docx from a zip archive, see :func:`sniff_format`).

    Raises an :class:`ExtractionError` subclass (Vietnamese ``message``) for empty, too large, unsupported,
    scanned, encrypted or damaged files.
    """
    if len(data) > max_bytes:
        raise FileTooLarge(len(data), max_bytes)
    if not data.strip(b" \t\r\n\x00\x0b\x0c"):
        raise EmptyDocument(f"empty file {filename or ''}".strip())
    kind = sniff_format(data, filename)
    if kind == "doc":
        from nlp.extract_doc import doc_lines

        return _finish(_lines_to_text(doc_lines(data)), "doc", None, None, ())
    if kind == "pdf":
        from nlp.extract_pdf import pdf_text

        text, pages, warnings = pdf_text(data, max_pages=max_pages, max_seconds=max_seconds)
        return _finish(_lines_to_text(text.split("\n")), "pdf", None, pages, warnings)
    if kind == "docx":
        from nlp.extract_docx import docx_text

        lines, families = docx_text(data)
        return _finish(_lines_to_text(lines), "docx", None, None, (), converted=families)
    from nlp.extract_text import decode_text

    try:
        text, encoding, warnings = decode_text(data)
    except UnsupportedFile as exc:
        suffix = Path(filename or "").suffix.lower()
        if suffix == ".txt":
            # "Unsupported format, only … .txt" about a .txt misled the clerk (QA): say what is wrong with it.
            raise CorruptDocument(f"{filename}: named .txt but holds binary data ({exc})",
                                  message=_BINARY_TXT_MESSAGE) from exc  # fmt: skip
        named = _NAMED_FORMATS.get(suffix)
        if named is None:
            raise
        # Named .pdf or .docx but neither by its content nor text: a damaged or renamed file, which the
        # clerk fixes in the program that made it ("not supported, only .pdf" confused them, QA).
        raise CorruptDocument(f"{filename}: named {named} but its content is unreadable binary data",
                              message=f"Tệp có đuôi {suffix} nhưng nội dung không phải {named}: tệp bị "
                              "hỏng hoặc bị đổi đuôi. Hãy mở tệp bằng phần mềm gốc, lưu lại rồi tải lên lại.") from exc  # fmt: skip
    return _finish(
        _lines_to_text(text.replace("\r\n", "\n").replace("\r", "\n").split("\n")),
        "txt",
        encoding,
        None,
        warnings,
    )


def extract_file(
    path: str | Path,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pages: int = DEFAULT_MAX_PAGES,
    max_seconds: float = DEFAULT_MAX_SECONDS,
) -> Extracted:
    """Extract the text of the file at ``path`` (see :func:`extract_bytes`).

    The size is checked before the file is read. A missing or unreadable path raises ``OSError`` as usual.

    Example
    -------
    >>> extract_file("lcsct_0146__cong_van_ubnd_tinh_txt_layout.txt").format  # doctest: +SKIP
    'txt'
    """
    path = Path(path)
    size = path.stat().st_size
    if size > max_bytes:
        raise FileTooLarge(size, max_bytes)
    return extract_bytes(
        path.read_bytes(), path.name, max_bytes=max_bytes, max_pages=max_pages, max_seconds=max_seconds
    )
