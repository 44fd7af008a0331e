"""QA of the upload messages of the extractor: a zip named .docx, Word packages with a part that is not
the XML python-docx expects, and the list of accepted formats. Every file is built here with zipfile."""

from __future__ import annotations

import logging
import zipfile
from io import BytesIO

import pytest

from nlp.extract import CorruptDocument, UnsupportedFile, extract_bytes, sniff_format
from nlp.extract_errors import ACCEPTED_FORMATS, DAMAGED_DOCX_MESSAGE

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/word/document.xml" ContentType="{_MAIN}"/></Types>'
)
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="word/document.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
    "</Relationships>"
)
DOCUMENT = (
    f'<?xml version="1.0" encoding="UTF-8"?><w:document {_W}><w:body>'
    "<w:p><w:r><w:t>QUYẾT ĐỊNH</w:t></w:r></w:p>"
    "<w:p><w:r><w:t>Về việc thành lập Tổ công tác phòng, chống thiên tai</w:t></w:r></w:p>"
    "</w:body></w:document>"
)


def _zip(parts: dict[str, str | bytes]) -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _word(replaced: dict[str, str] | None = None) -> bytes:
    """A minimal Word package, with ``replaced`` parts (name → content) put in instead or added."""
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": PACKAGE_RELS,
        "word/document.xml": DOCUMENT,
    }
    parts.update(replaced or {})
    return _zip(parts)


JUNK_ZIP = _zip(
    {"ảnh chụp.bin": b"\x00\x01\x02" + "rác".encode(), "ghi chú.txt": "Danh sách cán bộ trực ban"}
)


def test_the_package_built_here_is_read():
    assert extract_bytes(_word(), "quyet-dinh.docx").text.splitlines()[0] == "QUYẾT ĐỊNH"


@pytest.mark.parametrize("name", ["quyet-dinh-12.docx", "Công văn 318.DOCX", "mau.docm", "qd.docx "])
def test_a_zip_of_junk_named_docx_is_a_damaged_word_file(name):
    with pytest.raises(CorruptDocument) as caught:
        extract_bytes(JUNK_ZIP, name)
    assert caught.value.message == DAMAGED_DOCX_MESSAGE
    assert "không phải văn bản Word" in caught.value.message and "Word" in caught.value.message
    assert "giải nén" not in caught.value.message


@pytest.mark.parametrize("name", ["ho-so.zip", None, "ho-so"])
def test_a_real_zip_keeps_its_message(name):
    with pytest.raises(UnsupportedFile) as caught:
        extract_bytes(JUNK_ZIP, name)
    assert caught.value.message.startswith("Tệp nén (.zip) không được hỗ trợ. Hãy giải nén")


def test_a_zip_named_docx_and_a_word_package_without_its_document_say_the_same():
    without_document = _zip({"[Content_Types].xml": CONTENT_TYPES, "word/styles.xml": "<w:styles/>"})
    with pytest.raises(CorruptDocument) as caught:
        extract_bytes(without_document, "ho-so.zip")  # its parts say Word, whatever its name
    assert caught.value.message == DAMAGED_DOCX_MESSAGE


def test_the_name_never_decides_the_format():
    assert sniff_format(_word(), "ho-so.zip") == "docx"
    assert sniff_format(_word(), "quyet-dinh.pdf") == "docx"
    assert sniff_format("Số: 12/QĐ-UBND".encode(), "quyet-dinh.docx") == "text"


def test_other_office_zips_keep_their_own_message_when_named_docx():
    spreadsheet = _zip({"[Content_Types].xml": CONTENT_TYPES, "xl/workbook.xml": "<workbook/>"})
    with pytest.raises(UnsupportedFile) as caught:
        extract_bytes(spreadsheet, "bang-luong.docx")
    assert "Excel" in caught.value.message and ".doc," in caught.value.message


def test_a_truncated_zip_named_docx_is_a_word_file_cut_short():
    cut = JUNK_ZIP[: len(JUNK_ZIP) // 2]
    with pytest.raises(CorruptDocument) as caught:
        extract_bytes(cut, "quyet-dinh.docx")
    assert "tệp Word (.docx)" in caught.value.message and "tải lên chưa hết" in caught.value.message
    with pytest.raises(CorruptDocument) as caught:
        extract_bytes(cut, "ho-so.zip")
    assert "tệp nén" in caught.value.message


BROKEN_PARTS = {
    "content types with another root": {"[Content_Types].xml": '<?xml version="1.0"?><Loai>tệp</Loai>'},
    "package relationships with another root": {"_rels/.rels": "<QuanHe/>"},
    "document relationships with another root": {"word/_rels/document.xml.rels": "<QuanHe/>"},
    "document with another root": {"word/document.xml": '<?xml version="1.0"?><VanBan>Quyết định</VanBan>'},
    "document of another Word element": {"word/document.xml": f"<w:body {_W}><w:p/></w:body>"},
    "document without a body": {"word/document.xml": f"<w:document {_W}/>"},
    "document cut in the middle": {"word/document.xml": DOCUMENT[: len(DOCUMENT) // 2]},
    "document that is not XML": {"word/document.xml": "Quyết định số 12 (không phải XML)"},
    "document of another content type": {
        "[Content_Types].xml": CONTENT_TYPES.replace("document.main+xml", "styles+xml")
    },
}


@pytest.mark.parametrize("broken", BROKEN_PARTS.values(), ids=BROKEN_PARTS.keys())
def test_a_broken_word_part_is_a_damaged_file_not_a_crash(broken, caplog):
    caplog.set_level(logging.DEBUG)
    with pytest.raises(CorruptDocument) as caught:
        extract_bytes(_word(broken), "quyet-dinh.docx")
    assert caught.value.message == DAMAGED_DOCX_MESSAGE
    # the English detail names what was wrong, for the log
    assert "docx" in str(caught.value) or "word/document.xml" in str(caught.value)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


def test_the_content_types_with_another_root_no_longer_escape_as_attribute_error():
    with pytest.raises(CorruptDocument) as caught:
        extract_bytes(_word({"[Content_Types].xml": "<Loai/>"}), "quyet-dinh.docx")
    assert isinstance(caught.value.__cause__, AttributeError)  # python-docx's way of saying it, kept as cause


def test_the_generic_refusal_lists_every_accepted_format():
    message = UnsupportedFile("binary data").message
    for extension in (".txt", ".doc,", ".docx", ".pdf"):
        assert extension in message
    assert ACCEPTED_FORMATS in message
    with pytest.raises(UnsupportedFile) as caught:
        extract_bytes(
            b"\x00\x01\x02\x03 d\xe1\xbb\xaf li\xe1\xbb\x87u nh\xe1\xbb\x8b ph\xc3\xa2n" * 50, "du-lieu.bin"
        )
    assert ".doc," in caught.value.message


def test_a_presentation_names_the_formats_too():
    slides = _zip({"[Content_Types].xml": CONTENT_TYPES, "ppt/presentation.xml": "<p/>"})
    with pytest.raises(UnsupportedFile) as caught:
        extract_bytes(slides, "bao-cao.pptx")
    assert "PowerPoint" in caught.value.message and ACCEPTED_FORMATS in caught.value.message


def test_random_bytes_named_as_a_pdf_or_word_file_are_called_damaged() -> None:
    """QA: random bytes named random.pdf were answered "not supported, only … .pdf"."""
    import random

    from nlp.extract import extract_bytes
    from nlp.extract_errors import CorruptDocument, UnsupportedFile

    rng = random.Random(7)
    noise = bytes(rng.randrange(256) for _ in range(3000))
    for name, kind in (("bao-cao.pdf", "tệp PDF"), ("to-trinh.docx", "tệp Word")):
        with pytest.raises(CorruptDocument) as caught:
            extract_bytes(noise, name)
        assert kind in caught.value.message and "bị hỏng hoặc bị đổi đuôi" in caught.value.message
    with pytest.raises(UnsupportedFile):
        extract_bytes(noise, "du-lieu.bin")  # no format claimed: not one we read
