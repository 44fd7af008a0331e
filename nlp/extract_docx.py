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
from typing import Any

from lxml import etree

from nlp.extract_errors import DAMAGED_DOCX_MESSAGE, CorruptDocument, EmptyDocument, SuspiciousDocument
from nlp.legacy_fonts import convert_run

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_DOCUMENT = f"{{{_W}}}document"
_BODY = f"{{{_W}}}body"
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
_SOFT_HYPHEN = f"{{{_W}}}softHyphen"
_TXBX = f"{{{_W}}}txbxContent"
_FALLBACK = f"{{{_MC}}}Fallback"
_PPR = f"{{{_W}}}pPr"
_RPR = f"{{{_W}}}rPr"
_R = f"{{{_W}}}r"
_RFONTS = f"{{{_W}}}rFonts"
_RSTYLE = f"{{{_W}}}rStyle"
_PSTYLE = f"{{{_W}}}pStyle"
_STYLE = f"{{{_W}}}style"
_BASED_ON = f"{{{_W}}}basedOn"
_DOC_DEFAULTS = f"{{{_W}}}docDefaults"
_VAL = f"{{{_W}}}val"
_DEL = f"{{{_W}}}del"
# Wrappers that hold rows or cells: smart tags, custom XML, content controls, tracked insertions.
_ROW_WRAPPERS = {_SDT, _SDT_CONTENT, f"{{{_W}}}customXml", f"{{{_W}}}ins"}

# A zip bomb guard on the whole package, unpacked (python-docx reads every part into memory): the main XML
# part of a 300-page decree is a few MB, and pictures are stored already compressed, so a real document
# within the 20 MB upload limit unpacks to a few tens of MB at most.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024


class _Fonts:
    """The font of each run (its own, its character style's, its paragraph style's, the document default),
    to convert text typed with the legacy Vietnamese fonts (.VnTime, VNI-Times) run by run: the font name
    says exactly which runs they are, where a whole-text guess cannot (a .VnTime phrase in a Unicode
    paragraph, a .VnTimeH heading typed in lower case). ``families`` collects the families converted."""

    def __init__(self, styles: etree._Element | None) -> None:
        self.families: set[str] = set()
        self._style_font: dict[str, str | None] = {}
        self._based_on: dict[str, str] = {}
        self._own: dict[str, str | None] = {}
        self.default: str | None = None
        self.default_paragraph: str | None = None
        if styles is None:
            return
        defaults = styles.find(_DOC_DEFAULTS)
        if defaults is not None:
            self.default = _font_of(defaults.find(f".//{_RPR}"))
        for style in styles.iter(_STYLE):
            style_id = style.get(f"{{{_W}}}styleId")
            if not style_id:
                continue
            self._own[style_id] = _font_of(style.find(_RPR))
            based = style.find(_BASED_ON)
            if based is not None and based.get(_VAL):
                self._based_on[style_id] = based.get(_VAL) or ""
            if style.get(f"{{{_W}}}type") == "paragraph" and style.get(f"{{{_W}}}default") in ("1", "true"):
                self.default_paragraph = style_id

    def style(self, style_id: str | None) -> str | None:
        """The font a style gives, following ``basedOn``."""
        seen: set[str] = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            font = self._own.get(style_id)
            if font:
                return font
            style_id = self._based_on.get(style_id)
        return None

    def of(self, el: etree._Element, paragraph: etree._Element) -> str | None:
        run = el.getparent()
        while run is not None and run.tag != _R and run is not paragraph:
            run = run.getparent()
        if run is not None and run.tag == _R:
            properties = run.find(_RPR)
            font = _font_of(properties)
            if font:
                return font
            if properties is not None and (char_style := properties.find(_RSTYLE)) is not None:
                font = self.style(char_style.get(_VAL))
                if font:
                    return font
        paragraph_style = paragraph.find(f"{_PPR}/{_PSTYLE}")
        style_id = paragraph_style.get(_VAL) if paragraph_style is not None else self.default_paragraph
        return self.style(style_id) or self.default

    def convert(self, text: str, el: etree._Element, paragraph: etree._Element) -> str:
        converted, family = convert_run(text, self.of(el, paragraph))
        if family:
            self.families.add(family)
        return converted


def _font_of(properties: etree._Element | None) -> str | None:
    if properties is None:
        return None
    fonts = properties.find(_RFONTS)
    if fonts is None:
        return None
    return fonts.get(f"{{{_W}}}ascii") or fonts.get(f"{{{_W}}}hAnsi")


def _paragraph_text(p: etree._Element, fonts: _Fonts) -> str:
    parts: list[str] = []
    # iter() walks runs inside hyperlinks, insertions, smart tags and content controls alike
    for el in p.iter(_T, _TAB, _BR, _CR, _NB_HYPHEN, _SOFT_HYPHEN):
        if _skipped(el, p):
            continue
        tag = el.tag
        if tag == _T:
            parts.append(fonts.convert(el.text or "", el, p))
        elif tag == _TAB:
            parts.append("\t")
        elif tag in (_BR, _CR):
            parts.append("\n")
        elif tag == _NB_HYPHEN:
            parts.append("-")
        elif tag == _SOFT_HYPHEN:
            # Word's optional hyphen is the letter "ư" of text typed with the TCVN3 fonts (code 0xAD): in
            # such a run it is converted with the run; elsewhere it stays U+00AD for the whole-text repair
            # of runs without a font name, and normalize() drops it from Unicode text.
            parts.append(fonts.convert("\u00ad", el, p))
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


def _blocks(container: etree._Element, fonts: _Fonts) -> Iterator[str]:
    """Lines of a body, a cell or a text box, in document order."""
    for child in container:
        tag = child.tag
        if tag == _P:
            yield from _paragraph_text(child, fonts).split("\n")
            for box in _text_boxes(child):
                yield from _blocks(box, fonts)
        elif tag == _TBL:
            yield from _table(child, fonts)
        elif tag in (_SDT, _SDT_CONTENT) or tag in _ROW_WRAPPERS:
            yield from _blocks(child, fonts)


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


def _table(table: etree._Element, fonts: _Fonts) -> Iterator[str]:
    # Row by row, left to right; a vertically merged cell holds its text in its first row only, so the
    # continuation cells are empty and are skipped like every other empty cell.
    for row in _rows(table):
        for cell in _cells(row):
            lines = list(_blocks(cell, fonts))
            if any(line.strip() for line in lines):  # empty cells of a layout table add nothing
                yield from lines


def docx_text(data: bytes) -> tuple[list[str], set[str]]:
    """(lines of the main body of a .docx file, tables included, before any normalisation; the legacy font
    families whose runs were converted to Unicode).

    Raises :class:`CorruptDocument` for a damaged package, :class:`EmptyDocument` when there is no text.
    """
    # python-docx is imported here: opening a Word file is the only reason to pay for its import
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        with zipfile.ZipFile(BytesIO(data)) as package:
            package.getinfo("word/document.xml")
            # sizes as declared by the zip directory: zipfile never unpacks a part beyond its declared size
            unpacked = sum(info.file_size for info in package.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            raise SuspiciousDocument.unpacks_to(unpacked, len(data), MAX_UNPACKED_BYTES)
        document = docx.Document(BytesIO(data))
    except SuspiciousDocument:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise CorruptDocument(f"truncated .docx package: {exc}", kind="tệp Word (.docx)") from exc
    except (KeyError, ValueError, PackageNotFoundError, etree.XMLSyntaxError, AttributeError) as exc:
        # python-docx gives each part's root element the class of the element it expects there (the content
        # types' <Types>, a relationships part's <Relationships>…); a part with another root is a plain lxml
        # element, and python-docx then fails with an AttributeError ("no attribute 'overrides'"): a
        # damaged file like any other, not a bug of ours.
        raise CorruptDocument(f"damaged .docx package: {type(exc).__name__}: {exc}",
                              message=DAMAGED_DOCX_MESSAGE) from exc  # fmt: skip
    _refuse_dtd(document)
    body = _main_body(document.element)
    fonts = _Fonts(_styles_element(document))
    lines = list(_blocks(body, fonts))
    if not any(line.strip() for line in lines):
        raise EmptyDocument("the Word document has no text")
    return lines, fonts.families


def _refuse_dtd(document: Any) -> None:
    """Refuse a package whose XML parts declare a DTD (:class:`SuspiciousDocument`).

    python-docx parses without resolving entities (nothing external is ever read), so a reference to a
    declared entity stays an entity node, and the text after it in the same element was silently lost.
    Word never writes a DTD and the packaging rules forbid one: such a file was crafted, and is refused.
    """
    from docx.opc.part import XmlPart

    for part in document.part.package.iter_parts():
        if not isinstance(part, XmlPart):
            continue  # a binary part (a picture), never parsed
        info = part.element.getroottree().docinfo
        if info.doctype or info.internalDTD is not None:
            raise SuspiciousDocument.declares_dtd(str(part.partname))


def _main_body(root: etree._Element) -> etree._Element:
    """The ``w:body`` of the main document part; :class:`CorruptDocument` when the part is not a Word
    document (another root element, no body), which python-docx leaves to its callers to find out."""
    body = root.find(_BODY) if root.tag == _DOCUMENT else None
    if body is None:
        raise CorruptDocument(f"word/document.xml is not a Word document (root {root.tag!r}, no w:body)",
                              message=DAMAGED_DOCX_MESSAGE)  # fmt: skip
    return body


def _styles_element(document: Any) -> etree._Element | None:
    """The styles part's XML (python-docx supplies its default styles when the package has none)."""
    try:
        return document.styles.element
    except (AttributeError, KeyError, ValueError):
        return None
