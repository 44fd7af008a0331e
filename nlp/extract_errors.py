"""Errors raised when text cannot be taken out of an uploaded file.

Each error carries two texts, like the corpus errors: ``str(exc)`` is English, for logs; ``exc.message`` is
Vietnamese and tells the clerk what to do next (save the file in another format, run OCR, remove the
password…). Routers map them: ``UnsupportedFile`` → 415, ``FileTooLarge`` → 413, the others → 422.

Example
-------
>>> try:
...     raise NoTextLayer(pages=2)
... except ExtractionError as exc:
...     print(exc.message)
Tài liệu không có lớp văn bản (cần OCR): 2 trang PDF chỉ chứa ảnh quét. Hãy nhận dạng chữ (OCR) hoặc tải lên bản .docx/PDF gốc.
"""

from __future__ import annotations

# Every format the extractor reads, as the upload page lists them; refusals name them all.
ACCEPTED_FORMATS = ".docx, .doc, .pdf (có lớp văn bản) hoặc .txt"
# A package that claims to be a Word file (by its parts or its name) but is not one we can open.
DAMAGED_DOCX_MESSAGE = (
    "Không đọc được tệp Word (.docx): tệp bị hỏng hoặc không phải văn bản Word. "
    "Hãy mở tệp bằng Word, lưu lại dưới dạng .docx rồi tải lên lại."
)


class ExtractionError(Exception):
    """Text could not be extracted from a file; ``message`` says why, in Vietnamese."""

    def __init__(self, detail: str, message: str) -> None:
        super().__init__(detail)
        self.message: str = message


class EmptyDocument(ExtractionError):
    """The file holds no text at all (zero bytes, only whitespace, an empty Word document)."""

    def __init__(self, detail: str = "the file holds no text") -> None:
        super().__init__(detail, "Tệp không có nội dung văn bản (tệp rỗng). Hãy kiểm tra lại tệp đã chọn.")


class UnsupportedFile(ExtractionError):
    """The format is not one we read (images, spreadsheets, presentations, archives, unknown binary data)."""

    def __init__(self, detail: str, message: str | None = None) -> None:
        super().__init__(
            detail,
            message or f"Định dạng tệp không được hỗ trợ. Chỉ nhận văn bản {ACCEPTED_FORMATS}.",
        )


class NoTextLayer(ExtractionError):
    """A PDF made of scanned images: there is (almost) no text to read without OCR."""

    def __init__(self, pages: int | None = None) -> None:
        where = f": {pages} trang PDF chỉ chứa ảnh quét" if pages else ""
        super().__init__(
            f"the PDF has no usable text layer ({pages} pages); it needs OCR",
            f"Tài liệu không có lớp văn bản (cần OCR){where}. "
            "Hãy nhận dạng chữ (OCR) hoặc tải lên bản .docx/PDF gốc.",
        )
        self.pages = pages


class EncryptedDocument(ExtractionError):
    """The file is protected by a password (PDF or Office encryption)."""

    def __init__(self, detail: str = "the document is password-protected") -> None:
        super().__init__(
            detail,
            "Tài liệu được đặt mật khẩu hoặc mã hóa nên không đọc được. "
            "Hãy gỡ mật khẩu (lưu lại bản không mật khẩu) rồi tải lên lại.",
        )


class CorruptDocument(ExtractionError):
    """The file claims a format (PDF, .docx) but its content is damaged or truncated.

    ``message`` replaces the generic advice when the reader knows better (:data:`DAMAGED_DOCX_MESSAGE`).
    """

    def __init__(self, detail: str, kind: str = "tệp", message: str | None = None) -> None:
        super().__init__(
            detail,
            message
            or f"Không đọc được {kind}: tệp bị hỏng hoặc tải lên chưa hết. "
            "Hãy mở tệp bằng phần mềm gốc, lưu lại rồi tải lên lại.",
        )


class SuspiciousDocument(CorruptDocument):
    """A Word package made to harm its reader rather than to hold a document: it unpacks to far more data
    than any document holds (a zip bomb), or its XML declares a DTD (entities), which Word never writes and
    the Office Open XML packaging rules forbid.

    A subclass of :class:`CorruptDocument` (422, "damaged file"), not of :class:`FileTooLarge`: the upload
    itself is within the limit, and a "file too large" naming hundreds of MB contradicted the 20 MB limit
    the clerk is shown everywhere else.
    """

    @classmethod
    def unpacks_to(cls, unpacked: int, packed: int, limit: int) -> SuspiciousDocument:
        return cls(
            f"zip bomb: the package of {packed} bytes unpacks to {unpacked} bytes (limit {limit})",
            message=f"Tệp Word (.docx) chỉ nặng {_megabytes(packed)} nhưng khi giải nén chứa tới "
            f"{_megabytes(unpacked)} dữ liệu, nhiều hơn hẳn mức một văn bản có thể có (nội dung giải nén tối "
            f"đa {_megabytes(limit)}). Tệp có dấu hiệu bất thường nên bị từ chối. Hãy mở tệp bằng Word, lưu "
            "lại dưới dạng .docx hoặc PDF rồi tải lên lại; nếu không rõ nguồn gốc tệp, đừng mở nó.",
        )

    @classmethod
    def declares_dtd(cls, part: str) -> SuspiciousDocument:
        return cls(
            f"{part} declares a DTD (<!DOCTYPE>/<!ENTITY>), which Word never writes",
            message="Tệp Word (.docx) có khai báo DTD/thực thể (<!DOCTYPE>, <!ENTITY>) mà Word không bao giờ "
            "tạo ra: tệp đã bị chỉnh sửa bằng công cụ khác hoặc được tạo bất thường, nên bị từ chối để không "
            "đọc sót hay đọc sai nội dung. Hãy mở tệp bằng Word, lưu lại dưới dạng .docx hoặc PDF rồi tải "
            "lên lại.",
        )


class FileTooLarge(ExtractionError):
    """The file is larger than the configured limit."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(
            f"file of {size} bytes exceeds the limit of {limit} bytes",
            f"Tệp quá lớn ({_megabytes(size)}); giới hạn là {_megabytes(limit)}. "
            "Hãy tách tài liệu hoặc bỏ bớt ảnh rồi tải lên lại.",
        )
        self.size = size
        self.limit = limit


def _megabytes(size: int) -> str:
    """Binary megabytes, as the size limits are set and shown everywhere else (``--max-mb``, the service)."""
    value = size / (1024 * 1024)
    text = f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"
    return f"{text.replace('.', ',')} MB"
