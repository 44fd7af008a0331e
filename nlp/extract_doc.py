"""Text of a Word 97-2003 binary .doc file, read with the standard library only.

A .doc file is a compound file ([MS-CFB]): a little FAT file system of 512- or 4096-byte sectors holding
named streams. :class:`CompoundFile` reads its header, FAT (through the DIFAT), directory, mini FAT and
mini stream. Word keeps the text in the ``WordDocument`` stream ([MS-DOC]): the FIB at its start says
which table stream (``0Table``/``1Table``) holds the piece table (the Clx) and how many characters the main
document has; each piece is a run of characters stored either as 8-bit Windows-1252 bytes or as UTF-16.
Only the main document is read (headers, footnotes and text boxes follow it in the piece table).

Word's control characters become line structure the header reader expects from a .docx
(:mod:`nlp.extract_docx`): paragraph marks, manual line breaks and page breaks end a line, and each table
cell ends a line (cells left to right, row by row), so the issuer | motto header table reads as separate
lines. Field instructions (``HYPERLINK "…"``, ``PAGE``) are dropped and their results kept.

Every offset, size and sector chain is checked, so a damaged file raises :class:`CorruptDocument` (never an
IndexError, never a hang); a password-protected file raises :class:`EncryptedDocument`; a Word 6/95 file
raises :class:`UnsupportedFile` advising to save it as .docx.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass

from nlp.extract_errors import CorruptDocument, EncryptedDocument, UnsupportedFile

__all__ = ["CompoundFile", "doc_lines", "word_text_to_lines"]

_KIND = "tệp Word (.doc)"
_SAVE_AS = "Hãy mở tệp bằng Word và lưu lại dưới dạng .docx hoặc PDF rồi tải lên lại."

# --- compound file ([MS-CFB]) ---------------------------------------------------------------------------
_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEADER_SIZE = 512
_HEADER_DIFAT_SLOTS = 109
_END_OF_CHAIN = 0xFFFFFFFE
_FREE_SECTOR = 0xFFFFFFFF
_NO_ENTRY = 0xFFFFFFFF
_ENTRY_SIZE = 128
_STORAGE, _STREAM, _ROOT = 1, 2, 5

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
# comment references, optional hyphens) carries no text.
_CONTROLS: dict[int, str | None] = {code: None for code in range(0x20) if chr(code) not in "\t\n"}
_CONTROLS.update({ord(c): "\n" for c in "\r\x07\x0b\x0c\x0e"})
_CONTROLS[0x1E] = "-"
_CONTROLS[0x7F] = None


def _corrupt(detail: str) -> CorruptDocument:
    return CorruptDocument(f"damaged Word 97-2003 .doc: {detail}", kind=_KIND)


@dataclass(frozen=True)
class _Entry:
    """One directory entry: a storage, a stream or the root (whose stream is the mini stream)."""

    name: str
    kind: int
    left: int
    right: int
    child: int
    start: int
    size: int


class CompoundFile:
    """The streams of an OLE2 compound file held in memory.

    Raises :class:`CorruptDocument` when the header, FAT, directory or a sector chain does not hold together.

    Example
    -------
    >>> CompoundFile(b"not a compound file")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    nlp.extract_errors.CorruptDocument: damaged Word 97-2003 .doc: no compound file signature
    """

    def __init__(self, data: bytes) -> None:
        if len(data) < _HEADER_SIZE or not data.startswith(_SIGNATURE):
            raise _corrupt("no compound file signature" if len(data) >= 8 else "truncated header")
        self._data = data
        (major, _byte_order, sector_shift, mini_shift) = struct.unpack_from("<HHHH", data, 0x1A)
        (fat_count, directory_start, _signature, self._mini_cutoff, mini_fat_start, mini_fat_count) = (
            struct.unpack_from("<IIIIII", data, 0x2C)
        )
        difat_start, difat_count = struct.unpack_from("<II", data, 0x44)
        # [MS-CFB] allows 512 (version 3) or 4096 (version 4) byte sectors, after a 512-byte header padded
        # to a whole sector; the mini sector size (64 bytes) only changes offsets, so it is not insisted on
        if sector_shift not in (9, 12) or not 2 <= mini_shift < sector_shift:
            raise _corrupt(f"sector shift {sector_shift}, mini sector shift {mini_shift}")
        self._sector_size = 1 << sector_shift
        self._mini_size = 1 << mini_shift
        self._large_sizes = major >= 4  # version 3 files may leave garbage in a stream size's high half
        # the header takes sector "-1": sector n starts at (n + 1) * sector size; a last sector may be short
        self._sector_count = max(0, -(-(len(data) - self._sector_size) // self._sector_size))
        self._fat = self._read_fat(fat_count, difat_start, difat_count)
        self._entries = self._read_directory(directory_start)
        root = self._entries[0]
        if root.kind != _ROOT:
            raise _corrupt("the first directory entry is not the root")
        self._mini_stream = self._regular_stream(root.start, root.size) if root.size else b""
        self._mini_fat: tuple[int, ...] = ()
        if mini_fat_count:
            if mini_fat_count > self._sector_count:
                raise _corrupt(f"{mini_fat_count} mini FAT sectors in a file of {self._sector_count}")
            self._mini_fat = _u32_array(
                self._regular_stream(mini_fat_start, mini_fat_count * self._sector_size)
            )

    def _sector(self, sector: int) -> bytes:
        if sector >= self._sector_count:
            raise _corrupt(f"sector {sector} beyond the end of the file ({self._sector_count} sectors)")
        start = (sector + 1) * self._sector_size
        return self._data[start : start + self._sector_size]

    def _read_fat(self, fat_count: int, difat_start: int, difat_count: int) -> tuple[int, ...]:
        if fat_count == 0 or fat_count > self._sector_count:
            raise _corrupt(f"{fat_count} FAT sectors in a file of {self._sector_count} sectors")
        fat_sectors = list(struct.unpack_from(f"<{_HEADER_DIFAT_SLOTS}I", self._data, 0x4C))[:fat_count]
        # more FAT sectors than the header lists: the rest are listed in the DIFAT chain, whose sectors
        # end with the number of the next one
        seen: set[int] = set()
        sector = difat_start
        while len(fat_sectors) < fat_count:
            if sector in (_END_OF_CHAIN, _FREE_SECTOR) or sector in seen or len(seen) >= max(difat_count, 1):
                raise _corrupt(f"the DIFAT lists {len(fat_sectors)} of {fat_count} FAT sectors")
            seen.add(sector)
            values = _u32_array(self._sector(sector))
            if len(values) * 4 < self._sector_size:
                raise _corrupt(f"DIFAT sector {sector} is truncated")
            fat_sectors.extend(values[:-1])
            sector = values[-1]
        del fat_sectors[fat_count:]
        table = b"".join(self._full_sector(sector, "FAT") for sector in fat_sectors)
        return _u32_array(table)

    def _full_sector(self, sector: int, what: str) -> bytes:
        data = self._sector(sector)
        if len(data) < self._sector_size:
            raise _corrupt(f"{what} sector {sector} is truncated")
        return data

    def _chain(self, start: int, table: tuple[int, ...], limit: int, what: str) -> list[int]:
        """Sector numbers of a chain, checked: each within ``limit`` and the table, no loops."""
        chain: list[int] = []
        seen: set[int] = set()
        sector = start
        while sector != _END_OF_CHAIN:
            if sector >= limit or sector >= len(table) or sector in seen:
                raise _corrupt(f"broken {what} chain at sector {sector}")
            seen.add(sector)
            chain.append(sector)
            sector = table[sector]
        return chain

    def _regular_stream(self, start: int, size: int) -> bytes:
        if size > len(self._data):
            raise _corrupt(f"a stream of {size} bytes in a file of {len(self._data)}")
        chain = self._chain(start, self._fat, self._sector_count, "FAT")
        data = b"".join(self._sector(sector) for sector in chain)
        if len(data) < size:
            raise _corrupt(f"a stream of {size} bytes holds only {len(data)}")
        return data[:size]

    def _read_directory(self, start: int) -> list[_Entry]:
        chain = self._chain(start, self._fat, self._sector_count, "directory")
        raw = b"".join(self._full_sector(sector, "directory") for sector in chain)
        entries = [self._entry(raw[at : at + _ENTRY_SIZE]) for at in range(0, len(raw), _ENTRY_SIZE)]
        if not entries:
            raise _corrupt("empty directory")
        return entries

    def _entry(self, raw: bytes) -> _Entry:
        name_bytes = min(struct.unpack_from("<H", raw, 0x40)[0], 64)
        name = raw[: max(name_bytes - 2, 0)].decode("utf-16-le", errors="replace")
        left, right, child = struct.unpack_from("<III", raw, 0x44)
        start, size = struct.unpack_from("<IQ", raw, 0x74)
        if not self._large_sizes:
            size &= 0xFFFFFFFF
        return _Entry(name, raw[0x42], left, right, child, start, size)

    def root_streams(self) -> dict[str, int]:
        """Names of the streams directly under the root, upper-cased (names compare case-insensitively)."""
        found: dict[str, int] = {}
        seen: set[int] = set()
        pending = [self._entries[0].child]
        # the children of a storage form a binary tree linked by the left and right siblings
        while pending:
            index = pending.pop()
            if index == _NO_ENTRY:
                continue
            if index >= len(self._entries) or index in seen:
                raise _corrupt(f"broken directory tree at entry {index}")
            seen.add(index)
            entry = self._entries[index]
            if entry.kind == _STREAM:
                found.setdefault(entry.name.upper(), index)
            pending.extend((entry.left, entry.right))
        return found

    def stream(self, name: str) -> bytes | None:
        """The content of the stream ``name`` directly under the root; None when there is no such stream."""
        index = self.root_streams().get(name.upper())
        if index is None:
            return None
        entry = self._entries[index]
        if entry.size == 0:
            return b""
        if entry.size >= self._mini_cutoff:
            return self._regular_stream(entry.start, entry.size)
        limit = len(self._mini_stream) // self._mini_size
        chain = self._chain(entry.start, self._mini_fat, limit, "mini FAT")
        data = b"".join(
            self._mini_stream[sector * self._mini_size : (sector + 1) * self._mini_size] for sector in chain
        )
        if len(data) < entry.size:
            raise _corrupt(f"a mini stream of {entry.size} bytes holds only {len(data)}")
        return data[: entry.size]


def _u32_array(data: bytes) -> tuple[int, ...]:
    count = len(data) // 4
    return struct.unpack_from(f"<{count}I", data)


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
    compound = CompoundFile(data)
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
