"""Text of a Word 97-2003 binary .doc file, read with the standard library only.

A .doc file is a compound file ([MS-CFB], read by :mod:`nlp.compound_file`). Word keeps the text in the
``WordDocument`` stream ([MS-DOC]): the FIB at its start says
which table stream (``0Table``/``1Table``) holds the piece table (the Clx) and how many characters the main
document has; each piece is a run of characters stored either as 8-bit Windows-1252 bytes or as UTF-16.
Only the main document is read (headers, footnotes and text boxes follow it in the piece table).

Word's control characters become line structure the header reader expects from a .docx
(:mod:`nlp.extract_docx`): paragraph marks, manual line breaks and page breaks end a line, and each table
cell ends a line (cells left to right, row by row), so the issuer | motto header table reads as separate
lines. Field instructions (``HYPERLINK "…"``, ``PAGE``) are dropped and their results kept.

Every offset and size is checked, so a damaged file raises :class:`CorruptDocument` (never an IndexError,
never a hang); a password-protected file raises :class:`EncryptedDocument`; a Word 6/95 file
raises :class:`UnsupportedFile` advising to save it as .docx.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass

from nlp.compound_file import CompoundFile
from nlp.extract_errors import CorruptDocument, EncryptedDocument, UnsupportedFile

__all__ = ["doc_lines", "word_text_to_lines"]

_KIND = "tệp Word (.doc)"
_SAVE_AS = "Hãy mở tệp bằng Word và lưu lại dưới dạng .docx hoặc PDF rồi tải lên lại."

# --- Word binary format ([MS-DOC]) ----------------------------------------------------------------------
_WORD_97_IDENT = 0xA5EC
_WORD_6_IDENT = 0xA5DC  # Word 6.0 / Word 95: another FIB layout, not read
_WORD_97_NFIB = 0xC1
_F_ENCRYPTED = 0x0100
_F_WHICH_TABLE = 0x0200
_FIB_BASE_SIZE = 0x20
_CCP_TEXT_INDEX = 3  # FibRgLw97: cbMac, lProductCreated, lProductRevised, ccpText, …
_CLX_INDEX = 33  # FibRgFcLcb97: the 34th (fc, lcb) pair is fcClx/lcbClx
_PCD_SIZE = 8
_FC_COMPRESSED = 0x40000000
_FC_MASK = 0x3FFFFFFF

# An 8-bit ("compressed") piece is Latin-1 except for these bytes, which [MS-DOC] maps like Windows-1252.
_COMPRESSED_SPECIALS = str.maketrans(
    {
        "\x82": "\u201a",
        "\x83": "\u0192",
        "\x84": "\u201e",
        "\x85": "\u2026",
        "\x86": "\u2020",
        "\x87": "\u2021",
        "\x88": "\u02c6",
        "\x89": "\u2030",
        "\x8a": "\u0160",
        "\x8b": "\u2039",
        "\x8c": "\u0152",
        "\x91": "\u2018",
        "\x92": "\u2019",
        "\x93": "\u201c",
        "\x94": "\u201d",
        "\x95": "\u2022",
        "\x96": "\u2013",
        "\x97": "\u2014",
        "\x98": "\u02dc",
        "\x99": "\u2122",
        "\x9a": "\u0161",
        "\x9b": "\u203a",
        "\x9c": "\u0153",
        "\x9f": "\u0178",
    }
)

_FIELD_BEGIN, _FIELD_SEPARATOR, _FIELD_END = "\x13", "\x14", "\x15"
_FIELD_MARKS = re.compile("([\x13\x14\x15])")
# Paragraph mark, cell/row mark, manual line break, page/section break, column break: all end a line.
# A non-breaking hyphen is a hyphen; every other C0 control (picture anchors \x01 and \x08, footnote and
# comment references) carries no text.
_CONTROLS: dict[int, str | None] = {code: None for code in range(0x20) if chr(code) not in "\t\n"}
_CONTROLS.update({ord(c): "\n" for c in "\r\x07\x0b\x0c\x0e"})
_CONTROLS[0x1E] = "-"
# An optional hyphen is kept as U+00AD: it is the "ư" of text typed with the TCVN3 fonts (code 0xAD, which
# Word takes for an optional hyphen); normalize() removes it from Unicode text after the legacy-font repair.
_CONTROLS[0x1F] = "\u00ad"
_CONTROLS[0x7F] = None


def _corrupt(detail: str) -> CorruptDocument:
    return CorruptDocument(f"damaged Word 97-2003 .doc: {detail}", kind=_KIND)


# --- Word document ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Fib:
    table_stream: str
    clx_offset: int
    clx_size: int
    main_chars: int


@dataclass(frozen=True)
class _Piece:
    cp_start: int
    cp_end: int
    offset: int
    compressed: bool


def _read_fib(word: bytes) -> _Fib:
    if len(word) < _FIB_BASE_SIZE + 2:
        raise _corrupt(f"WordDocument stream of {len(word)} bytes")
    ident, nfib = struct.unpack_from("<HH", word, 0)
    flags = struct.unpack_from("<H", word, 0x0A)[0]
    if ident not in (_WORD_97_IDENT, _WORD_6_IDENT):
        raise _corrupt(f"FIB identifier {ident:#06x}")
    if flags & _F_ENCRYPTED:
        raise EncryptedDocument("password-protected Word 97-2003 .doc (fEncrypted)")
    if ident == _WORD_6_IDENT or nfib < _WORD_97_NFIB:
        raise UnsupportedFile(
            f"Word document older than Word 97 (nFib {nfib:#x})",
            f"Tệp Word đời cũ (Word 6.0/95) không đọc được trực tiếp. {_SAVE_AS}",
        )
    # FibBase, then three arrays each preceded by its length: csw 16-bit words, cslw 32-bit longs and
    # cbRgFcLcb (fc, lcb) pairs; later Word versions append to each array, so the lengths are read
    at = _FIB_BASE_SIZE
    csw = struct.unpack_from("<H", word, at)[0]
    at += 2 + 2 * csw
    cslw = _u16_at(word, at)
    longs = at + 2
    at = longs + 4 * cslw
    pairs_count = _u16_at(word, at)
    pairs = at + 2
    if cslw <= _CCP_TEXT_INDEX or pairs_count <= _CLX_INDEX or pairs + 8 * pairs_count > len(word):
        raise _corrupt(f"FIB too short (cslw {cslw}, cbRgFcLcb {pairs_count})")
    main_chars = struct.unpack_from("<i", word, longs + 4 * _CCP_TEXT_INDEX)[0]
    clx_offset, clx_size = struct.unpack_from("<II", word, pairs + 8 * _CLX_INDEX)
    if main_chars < 0:
        raise _corrupt(f"ccpText {main_chars}")
    table = "1Table" if flags & _F_WHICH_TABLE else "0Table"
    return _Fib(table, clx_offset, clx_size, main_chars)


def _u16_at(data: bytes, at: int) -> int:
    if at + 2 > len(data):
        raise _corrupt(f"FIB ends at {len(data)} bytes")
    value: int = struct.unpack_from("<H", data, at)[0]
    return value


def _pieces(table: bytes, offset: int, size: int) -> list[_Piece]:
    """The piece table (PlcPcd) from the Clx, after any property-modifier (Prc) records."""
    if size == 0 or offset + size > len(table):
        raise _corrupt(f"Clx at {offset} ({size} bytes) outside a table stream of {len(table)}")
    clx = table[offset : offset + size]
    at = 0
    while at < len(clx) and clx[at] == 0x01:
        if at + 3 > len(clx):
            raise _corrupt("truncated Prc in the Clx")
        grpprl_size = struct.unpack_from("<h", clx, at + 1)[0]
        if grpprl_size < 0:
            raise _corrupt(f"Prc of {grpprl_size} bytes")
        at += 3 + grpprl_size
    if at + 5 > len(clx) or clx[at] != 0x02:
        raise _corrupt("no piece table in the Clx")
    plc_size = struct.unpack_from("<I", clx, at + 1)[0]
    plc = clx[at + 5 : at + 5 + plc_size]
    if len(plc) < plc_size or plc_size < 4 + 4 + _PCD_SIZE or (plc_size - 4) % (4 + _PCD_SIZE):
        raise _corrupt(f"piece table of {plc_size} bytes")
    count = (plc_size - 4) // (4 + _PCD_SIZE)
    positions = struct.unpack_from(f"<{count + 1}I", plc, 0)
    pieces: list[_Piece] = []
    for i in range(count):
        start, end = positions[i], positions[i + 1]
        if end < start or (i == 0 and start != 0):
            raise _corrupt(f"piece {i} spans characters {start}-{end}")
        fc = struct.unpack_from("<I", plc, 4 * (count + 1) + _PCD_SIZE * i + 2)[0]
        compressed = bool(fc & _FC_COMPRESSED)
        offset_in_word = (fc & _FC_MASK) // 2 if compressed else fc & _FC_MASK
        pieces.append(_Piece(start, end, offset_in_word, compressed))
    return pieces


def _main_text(word: bytes, pieces: list[_Piece], main_chars: int) -> str:
    """The first ``main_chars`` characters (the main document), decoded piece by piece."""
    parts: list[str] = []
    remaining = main_chars
    for piece in pieces:
        if remaining <= 0:
            break
        count = min(piece.cp_end - piece.cp_start, remaining)
        width = 1 if piece.compressed else 2
        raw = word[piece.offset : piece.offset + width * count]
        if len(raw) < width * count:
            raise _corrupt(f"piece at {piece.offset} ({count} characters) beyond the WordDocument stream")
        if piece.compressed:
            parts.append(raw.decode("latin-1").translate(_COMPRESSED_SPECIALS))
        else:
            parts.append(raw.decode("utf-16-le", errors="replace"))
        remaining -= count
    if remaining > 0:
        raise _corrupt(f"the piece table holds {main_chars - remaining} of {main_chars} characters")
    return "".join(parts)


def _without_field_codes(text: str) -> str:
    """Drop field instructions (between begin \\x13 and separator \\x14) and keep field results.

    Fields nest; text shows only when every open field is past its separator. A field without a separator
    (a bookmark-like ``XE`` or ``TC`` entry) shows nothing.
    """
    if _FIELD_BEGIN not in text:
        return text
    kept: list[str] = []
    showing: list[bool] = []  # per open field: past its separator?
    hidden = 0  # open fields still in their instruction
    for token in _FIELD_MARKS.split(text):
        if token == _FIELD_BEGIN:
            showing.append(False)
            hidden += 1
        elif token == _FIELD_SEPARATOR:
            if showing and not showing[-1]:
                showing[-1] = True
                hidden -= 1
        elif token == _FIELD_END:
            if showing and not showing.pop():
                hidden -= 1
        elif hidden == 0:
            kept.append(token)
    return "".join(kept)


def word_text_to_lines(text: str) -> list[str]:
    """Lines of Word's stored text: control characters become line breaks or disappear.

    Example
    -------
    >>> word_text_to_lines('BỘ CÔNG AN\\x07CỘNG HÒA\\x07\\x07Xem \\x13HYPERLINK "http://x"\\x14trang\\x15.\\r')
    ['BỘ CÔNG AN', 'CỘNG HÒA', '', 'Xem trang.', '']
    """
    return _without_field_codes(text).translate(_CONTROLS).split("\n")


def doc_lines(data: bytes) -> list[str]:
    """Lines of the main document of a Word 97-2003 .doc file, before any normalisation.

    Raises :class:`CorruptDocument` for a damaged file, :class:`EncryptedDocument` for a password-protected
    one and :class:`UnsupportedFile` for a compound file that is not a Word 97+ document.
    """
    compound = CompoundFile(data, kind=_KIND)
    word = compound.stream("WordDocument")
    if word is None:
        raise UnsupportedFile(
            "OLE2 container without a WordDocument stream",
            "Tệp Office đời cũ này không phải văn bản Word. Chỉ nhận văn bản .txt, .doc, .docx hoặc .pdf.",
        )
    fib = _read_fib(word)
    table = compound.stream(fib.table_stream)
    if table is None:
        raise _corrupt(f"no {fib.table_stream} stream")
    text = _main_text(word, _pieces(table, fib.clx_offset, fib.clx_size), fib.main_chars)
    return word_text_to_lines(text)
