"""An OLE2 compound file ([MS-CFB]) held in memory: the container of Word 97-2003 .doc (and .xls, .ppt).

A little FAT file system of 512- or 4096-byte sectors holding named streams. :class:`CompoundFile` reads its
header, FAT (through the DIFAT), directory, mini FAT and mini stream. Every offset, size and sector chain is
checked, so a damaged file raises :class:`CorruptDocument` (never an IndexError, never a hang).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from nlp.extract_errors import CorruptDocument

__all__ = ["CompoundFile"]

_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEADER_SIZE = 512
_HEADER_DIFAT_SLOTS = 109
_END_OF_CHAIN = 0xFFFFFFFE
_FREE_SECTOR = 0xFFFFFFFF
_NO_ENTRY = 0xFFFFFFFF
_ENTRY_SIZE = 128
_STORAGE, _STREAM, _ROOT = 1, 2, 5


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
    nlp.extract_errors.CorruptDocument: damaged compound file: no compound file signature
    """

    def __init__(self, data: bytes, kind: str = "tệp Office đời cũ") -> None:
        self._kind = kind
        if len(data) < _HEADER_SIZE or not data.startswith(_SIGNATURE):
            raise self._corrupt("no compound file signature" if len(data) >= 8 else "truncated header")
        self._data = data
        (major, _byte_order, sector_shift, mini_shift) = struct.unpack_from("<HHHH", data, 0x1A)
        (fat_count, directory_start, _signature, self._mini_cutoff, mini_fat_start, mini_fat_count) = (
            struct.unpack_from("<IIIIII", data, 0x2C)
        )
        difat_start, difat_count = struct.unpack_from("<II", data, 0x44)
        # [MS-CFB] allows 512 (version 3) or 4096 (version 4) byte sectors, after a 512-byte header padded
        # to a whole sector; the mini sector size (64 bytes) only changes offsets, so it is not insisted on
        if sector_shift not in (9, 12) or not 2 <= mini_shift < sector_shift:
            raise self._corrupt(f"sector shift {sector_shift}, mini sector shift {mini_shift}")
        self._sector_size = 1 << sector_shift
        self._mini_size = 1 << mini_shift
        self._large_sizes = major >= 4  # version 3 files may leave garbage in a stream size's high half
        # the header takes sector "-1": sector n starts at (n + 1) * sector size; a last sector may be short
        self._sector_count = max(0, -(-(len(data) - self._sector_size) // self._sector_size))
        self._fat = self._read_fat(fat_count, difat_start, difat_count)
        self._entries = self._read_directory(directory_start)
        root = self._entries[0]
        if root.kind != _ROOT:
            raise self._corrupt("the first directory entry is not the root")
        self._mini_stream = self._regular_stream(root.start, root.size) if root.size else b""
        self._mini_fat: tuple[int, ...] = ()
        if mini_fat_count:
            if mini_fat_count > self._sector_count:
                raise self._corrupt(f"{mini_fat_count} mini FAT sectors in a file of {self._sector_count}")
            self._mini_fat = _u32_array(
                self._regular_stream(mini_fat_start, mini_fat_count * self._sector_size)
            )

    def _corrupt(self, detail: str) -> CorruptDocument:
        return CorruptDocument(f"damaged compound file: {detail}", kind=self._kind)

    def _sector(self, sector: int) -> bytes:
        if sector >= self._sector_count:
            raise self._corrupt(f"sector {sector} beyond the end of the file ({self._sector_count} sectors)")
        start = (sector + 1) * self._sector_size
        return self._data[start : start + self._sector_size]

    def _read_fat(self, fat_count: int, difat_start: int, difat_count: int) -> tuple[int, ...]:
        if fat_count == 0 or fat_count > self._sector_count:
            raise self._corrupt(f"{fat_count} FAT sectors in a file of {self._sector_count} sectors")
        fat_sectors = list(struct.unpack_from(f"<{_HEADER_DIFAT_SLOTS}I", self._data, 0x4C))[:fat_count]
        # more FAT sectors than the header lists: the rest are listed in the DIFAT chain, whose sectors
        # end with the number of the next one
        seen: set[int] = set()
        sector = difat_start
        while len(fat_sectors) < fat_count:
            if sector in (_END_OF_CHAIN, _FREE_SECTOR) or sector in seen or len(seen) >= max(difat_count, 1):
                raise self._corrupt(f"the DIFAT lists {len(fat_sectors)} of {fat_count} FAT sectors")
            seen.add(sector)
            values = _u32_array(self._sector(sector))
            if len(values) * 4 < self._sector_size:
                raise self._corrupt(f"DIFAT sector {sector} is truncated")
            fat_sectors.extend(values[:-1])
            sector = values[-1]
        del fat_sectors[fat_count:]
        table = b"".join(self._full_sector(sector, "FAT") for sector in fat_sectors)
        return _u32_array(table)

    def _full_sector(self, sector: int, what: str) -> bytes:
        data = self._sector(sector)
        if len(data) < self._sector_size:
            raise self._corrupt(f"{what} sector {sector} is truncated")
        return data

    def _chain(self, start: int, table: tuple[int, ...], limit: int, what: str) -> list[int]:
        """Sector numbers of a chain, checked: each within ``limit`` and the table, no loops."""
        chain: list[int] = []
        seen: set[int] = set()
        sector = start
        while sector != _END_OF_CHAIN:
            if sector >= limit or sector >= len(table) or sector in seen:
                raise self._corrupt(f"broken {what} chain at sector {sector}")
            seen.add(sector)
            chain.append(sector)
            sector = table[sector]
        return chain

    def _regular_stream(self, start: int, size: int) -> bytes:
        if size > len(self._data):
            raise self._corrupt(f"a stream of {size} bytes in a file of {len(self._data)}")
        chain = self._chain(start, self._fat, self._sector_count, "FAT")
        data = b"".join(self._sector(sector) for sector in chain)
        if len(data) < size:
            raise self._corrupt(f"a stream of {size} bytes holds only {len(data)}")
        return data[:size]

    def _read_directory(self, start: int) -> list[_Entry]:
        chain = self._chain(start, self._fat, self._sector_count, "directory")
        raw = b"".join(self._full_sector(sector, "directory") for sector in chain)
        entries = [self._entry(raw[at : at + _ENTRY_SIZE]) for at in range(0, len(raw), _ENTRY_SIZE)]
        if not entries:
            raise self._corrupt("empty directory")
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
                raise self._corrupt(f"broken directory tree at entry {index}")
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
            raise self._corrupt(f"a mini stream of {entry.size} bytes holds only {len(data)}")
        return data[: entry.size]


def _u32_array(data: bytes) -> tuple[int, ...]:
    count = len(data) // 4
    return struct.unpack_from(f"<{count}I", data)
