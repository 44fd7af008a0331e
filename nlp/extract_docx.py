"""Text of a Word .docx file, in reading order, with its line structure.

The header of an administrative document is usually a borderless two-column table (issuing body | motto,
then number | place and date), and the signature block another one ("Nơi nhận" | signer). So the body is
walked in document order — paragraphs, tables (row by row, each cell on its own lines, left to right),
content controls — and each paragraph becomes one line. Text in text boxes follows the paragraph that
anchors it; deleted revisions and field codes are skipped. python-docx opens the package; the walk reads
the XML directly so that nothing inside hyperlinks, insertions or content controls is lost.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from io import BytesIO

from lxml import etree

from nlp.extract_errors import CorruptDocument, EmptyDocument, FileTooLarge

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_P = f"{{{_W}}}p"
_TBL = f"{{{_W}}}tbl"
_TR = f"{{{_W}}}tr"
_TC = f"{{{_W}}}tc"
_SDT = f"{{{_W}}}sdt"
_SDT_CONTENT = f"{{{_W}}}sdtContent"
_T = f"{{{_W}}}t"
_TAB = f"{{{_W}}}tab"
_BR = f"{{{_W}}}br"
_CR = f"{{{_W}}}cr"
_NB_HYPHEN = f"{{{_W}}}noBreakHyphen"
_TXBX = f"{{{_W}}}txbxContent"
_FALLBACK = f"{{{_MC}}}Fallback"
_PPR = f"{{{_W}}}pPr"
_RPR = f"{{{_W}}}rPr"
_DEL = f"{{{_W}}}del"
# Wrappers that hold rows or cells: smart tags, custom XML, content controls, tracked insertions.
_ROW_WRAPPERS = {_SDT, _SDT_CONTENT, f"{{{_W}}}customXml", f"{{{_W}}}ins"}

# A zip bomb guard: the main XML part of a 300-page decree is a few MB.
MAX_DOCUMENT_XML_BYTES = 200_000_000


def _paragraph_text(p: etree._Element) -> str:
    parts: list[str] = []
    # iter() walks runs inside hyperlinks, insertions, smart tags and content controls alike
    for el in p.iter(_T, _TAB, _BR, _CR, _NB_HYPHEN):
        if _skipped(el, p):
            continue
        tag = el.tag
        if tag == _T:
            parts.append(el.text or "")
        elif tag == _TAB:
            parts.append("\t")
        elif tag in (_BR, _CR):
            parts.append("\n")
        elif tag == _NB_HYPHEN:
            parts.append("-")
    return "".join(parts)


def _skipped(el: etree._Element, stop: etree._Element) -> bool:
    """True for text inside a text box, a deleted revision, a fallback copy, or paragraph/run properties."""
    node = el
    while node is not None and node is not stop:
        if node.tag in (_TXBX, _DEL, _FALLBACK, _PPR, _RPR):
            return True
        node = node.getparent()
    return False


def _text_boxes(p: etree._Element) -> Iterator[etree._Element]:
    for box in p.iter(_TXBX):
        # Word stores each text box twice (DrawingML and a VML fallback): read the first copy only;
        # nested boxes are reached through their own parents.
        if _inside(box, _FALLBACK, p) or _inside(box.getparent(), _TXBX, p):
            continue
        yield box


def _inside(node: etree._Element | None, tag: str, stop: etree._Element) -> bool:
    while node is not None and node is not stop:
        if node.tag == tag:
            return True
        node = node.getparent()
    return False


def _blocks(container: etree._Element) -> Iterator[str]:
    """Lines of a body, a cell or a text box, in document order."""
    for child in container:
        tag = child.tag
        if tag == _P:
            yield from _paragraph_text(child).split("\n")
            for box in _text_boxes(child):
                yield from _blocks(box)
        elif tag == _TBL:
            yield from _table(child)
        elif tag in (_SDT, _SDT_CONTENT) or tag in _ROW_WRAPPERS:
            yield from _blocks(child)


def _rows(table: etree._Element) -> Iterator[etree._Element]:
    for child in table:
        if child.tag == _TR:
            yield child
        elif child.tag in _ROW_WRAPPERS:
            yield from _rows(child)


def _cells(row: etree._Element) -> Iterator[etree._Element]:
    for child in row:
        if child.tag == _TC:
            yield child
        elif child.tag in _ROW_WRAPPERS:
            yield from _cells(child)


def _table(table: etree._Element) -> Iterator[str]:
    # Row by row, left to right; a vertically merged cell holds its text in its first row only, so the
    # continuation cells are empty and are skipped like every other empty cell.
    for row in _rows(table):
        for cell in _cells(row):
            lines = list(_blocks(cell))
            if any(line.strip() for line in lines):  # empty cells of a layout table add nothing
                yield from lines


def docx_lines(data: bytes) -> list[str]:
    """Lines of the main body of a .docx file (tables included), before any normalisation.

    Raises :class:`CorruptDocument` for a damaged package, :class:`EmptyDocument` when there is no text.
    """
    # python-docx is imported here: opening a Word file is the only reason to pay for its import
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        with zipfile.ZipFile(BytesIO(data)) as package:
            info = package.getinfo("word/document.xml")
            if info.file_size > MAX_DOCUMENT_XML_BYTES:
                raise FileTooLarge(info.file_size, MAX_DOCUMENT_XML_BYTES)
        document = docx.Document(BytesIO(data))
        body = document.element.body
    except FileTooLarge:
        raise
    except (
        zipfile.BadZipFile,
        zlib.error,
        KeyError,
        ValueError,
        EOFError,
        OSError,
        PackageNotFoundError,
        etree.XMLSyntaxError,
    ) as exc:
        raise CorruptDocument(f"damaged .docx package: {exc}", kind="tệp Word (.docx)") from exc
    lines = list(_blocks(body))
    if not any(line.strip() for line in lines):
        raise EmptyDocument("the Word document has no text")
    return lines
