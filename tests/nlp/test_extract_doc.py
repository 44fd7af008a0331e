"""Word 97-2003 .doc files: the compound-file reader, the piece table and Word's control characters.

Small compound files are built here byte by byte (a minimal [MS-CFB] writer and a minimal FIB), so each
structure the reader walks — mini stream, FAT, DIFAT, directory tree, Clx — is exercised on purpose, and
damaged copies must fail with an ExtractionError, never an IndexError or a hang. The real draft công văn of
the fire police (shared fixtures) is read end to end.
"""

from __future__ import annotations

import contextlib
import random
import struct
from pathlib import Path

import pytest

from nlp.compound_file import CompoundFile
from nlp.extract import (
    CorruptDocument,
    EncryptedDocument,
    ExtractionError,
    UnsupportedFile,
    extract_bytes,
    extract_file,
)
from nlp.extract_doc import doc_lines, word_text_to_lines
from nlp.header import parse_header

_END_OF_CHAIN = 0xFFFFFFFE
_FREE = 0xFFFFFFFF
_FAT_SECTOR = 0xFFFFFFFD
_DIFAT_SECTOR = 0xFFFFFFFC
_MINI_CUTOFF = 4096


def _ceil(size: int, unit: int) -> int:
    return -(-size // unit)


def compound_file(streams: dict[str, bytes], *, sector_shift: int = 9) -> bytes:
    """A compound file holding ``streams`` under the root: small ones in the mini stream, others in sectors."""
    size = 1 << sector_shift
    sectors: list[bytes] = []
    fat: list[int] = []

    def chain(data: bytes) -> int:
        start = len(sectors)
        count = _ceil(len(data), size)
        for i in range(count):
            sectors.append(data[i * size : (i + 1) * size].ljust(size, b"\0"))
            fat.append(start + i + 1 if i < count - 1 else _END_OF_CHAIN)
        return start

    mini = bytearray()
    mini_fat: list[int] = []
    placed: dict[str, tuple[int, int]] = {}
    for name, data in streams.items():
        if len(data) >= _MINI_CUTOFF:
            placed[name] = (chain(data), len(data))
        elif data:
            start, count = len(mini_fat), _ceil(len(data), 64)
            mini_fat.extend(start + i + 1 if i < count - 1 else _END_OF_CHAIN for i in range(count))
            mini += data.ljust(count * 64, b"\0")
            placed[name] = (start, len(data))
        else:
            placed[name] = (_END_OF_CHAIN, 0)
    root_start = chain(bytes(mini)) if mini else _END_OF_CHAIN
    mini_fat_start = chain(struct.pack(f"<{len(mini_fat)}I", *mini_fat)) if mini_fat else _END_OF_CHAIN
    mini_fat_sectors = _ceil(len(mini_fat) * 4, size)
    entries = [_entry("Root Entry", 5, child=1 if streams else _FREE, start=root_start, size=len(mini))]
    for i, name in enumerate(streams, start=1):
        # a degenerate tree: each stream is the right sibling of the previous one
        right = i + 1 if i < len(streams) else _FREE
        entries.append(_entry(name, 2, right=right, start=placed[name][0], size=placed[name][1]))
    directory_start = chain(b"".join(entries))

    per_sector = size // 4
    fat_count = difat_count = 0
    while True:  # FAT and DIFAT sectors also need FAT entries: grow until the counts settle
        need_fat = _ceil(len(sectors) + fat_count + difat_count, per_sector)
        need_difat = max(0, _ceil(need_fat - 109, per_sector - 1))
        if (need_fat, need_difat) == (fat_count, difat_count):
            break
        fat_count, difat_count = need_fat, need_difat
    fat_ids = list(range(len(sectors), len(sectors) + fat_count))
    difat_ids = list(range(len(sectors) + fat_count, len(sectors) + fat_count + difat_count))
    fat += [_FAT_SECTOR] * fat_count + [_DIFAT_SECTOR] * difat_count
    fat += [_FREE] * (fat_count * per_sector - len(fat))
    sectors.extend(
        struct.pack(f"<{per_sector}I", *fat[i * per_sector : (i + 1) * per_sector]) for i in range(fat_count)
    )
    rest = fat_ids[109:]
    for i, _sector in enumerate(difat_ids):
        listed = rest[i * (per_sector - 1) : (i + 1) * (per_sector - 1)]
        listed += [_FREE] * (per_sector - 1 - len(listed))
        following = difat_ids[i + 1] if i + 1 < len(difat_ids) else _END_OF_CHAIN
        sectors.append(struct.pack(f"<{per_sector}I", *listed, following))

    header = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16))
    header += struct.pack("<HHHHH", 0x3E, 4 if sector_shift == 12 else 3, 0xFFFE, sector_shift, 6) + bytes(6)
    header += struct.pack("<IIIIIIIII", 0, fat_count, directory_start, 0, _MINI_CUTOFF, mini_fat_start,
                          mini_fat_sectors, difat_ids[0] if difat_ids else _END_OF_CHAIN, difat_count)  # fmt: skip
    slots = fat_ids[:109] + [_FREE] * (109 - min(len(fat_ids), 109))
    header += struct.pack("<109I", *slots)
    return bytes(header.ljust(size, b"\0")) + b"".join(sectors)


def _entry(name: str, kind: int, *, right: int = _FREE, child: int = _FREE, start: int, size: int) -> bytes:
    encoded = (name + "\0").encode("utf-16-le")
    raw = encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
    raw += struct.pack("<III", _FREE, right, child) + bytes(16 + 4 + 16)
    return raw + struct.pack("<IQ", start, size)


def word_streams(
    pieces: list[tuple[str, bool]],
    *,
    main_chars: int | None = None,
    flags: int = 0x0200,
    ident: int = 0xA5EC,
    nfib: int = 0xC1,
) -> dict[str, bytes]:
    """WordDocument and table streams of a document made of ``pieces`` (text, stored as 8-bit?)."""
    csw, cslw, pairs = 14, 22, 93
    fib_size = 32 + 2 + 2 * csw + 2 + 4 * cslw + 2 + 8 * pairs + 2
    body = bytearray()
    positions, descriptors = [0], []
    for text, compressed in pieces:
        offset = fib_size + len(body)
        if compressed:
            body += text.encode("cp1252")
            fc = (offset * 2) | 0x40000000
        else:
            body += text.encode("utf-16-le")
            fc = offset
        positions.append(positions[-1] + len(text))
        descriptors.append(struct.pack("<HIH", 0, fc, 0))
    plc = struct.pack(f"<{len(positions)}I", *positions) + b"".join(descriptors)
    # one property-modifier record before the piece table, as Word writes when pieces carry formatting
    clx = b"\x01" + struct.pack("<h", 2) + b"\x00\x00" + b"\x02" + struct.pack("<I", len(plc)) + plc
    table = bytes(8) + clx
    longs = [0] * cslw
    longs[3] = positions[-1] if main_chars is None else main_chars
    fc_lcb = [0] * (2 * pairs)
    fc_lcb[66], fc_lcb[67] = 8, len(clx)
    fib = struct.pack("<HHHHHH", ident, nfib, 0, 0x042A, 0, flags) + bytes(20)
    fib += struct.pack("<H", csw) + bytes(2 * csw)
    fib += struct.pack(f"<H{cslw}i", cslw, *longs)
    fib += struct.pack(f"<H{2 * pairs}I", pairs, *fc_lcb) + struct.pack("<H", 0)
    assert len(fib) == fib_size
    return {"WordDocument": fib + bytes(body), "1Table" if flags & 0x0200 else "0Table": table}


HEADER_PIECES = [
    (
        "BỘ CÔNG AN\rCỤC CẢNH SÁT PCCC VÀ CNCH\x07CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\rĐộc lập - Tự do - Hạnh phúc\x07\x07",
        False,
    ),
    ("Số: 123/PCCC-P6\rV/v góp ý dự thảo quy chuẩn\x07Hà Nội, ngày 5 tháng 8 năm 2025\x07\x07", False),
    ('Xem \x13 HYPERLINK "http://pccc.example/du-thao" \x14trang web\x15 \u2013 \u201cdu thao\u201d\r', True),
    ("Kính gửi: Công an các tỉnh\x0bvà thành phố\x01\x08.\x0cHết\r", False),
    ("Chú thích cuối trang\r", False),  # a footnote: after the main document, not read
]


def test_pieces_in_utf16_and_8_bit_make_lines() -> None:
    main = sum(len(text) for text, _ in HEADER_PIECES[:-1])
    data = compound_file(word_streams(HEADER_PIECES, main_chars=main))
    assert doc_lines(data) == [
        "BỘ CÔNG AN",
        "CỤC CẢNH SÁT PCCC VÀ CNCH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "",
        "Số: 123/PCCC-P6",
        "V/v góp ý dự thảo quy chuẩn",
        "Hà Nội, ngày 5 tháng 8 năm 2025",
        "",
        "Xem trang web \u2013 \u201cdu thao\u201d",  # stored as the bytes 0x96, 0x93, 0x94
        "Kính gửi: Công an các tỉnh",
        "và thành phố.",
        "Hết",
        "",
    ]
    result = extract_bytes(data, "cong_van.doc")
    assert (result.format, result.encoding, result.pages, result.warnings) == ("doc", None, None, ())
    assert "Chú thích" not in result.text and "HYPERLINK" not in result.text
    header = parse_header(result.text)
    assert (header.number, header.doc_type, header.issuer, header.place) == (
        "123/PCCC-P6",
        "cong-van",
        "Cục Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ",
        "Hà Nội",
    )
    assert header.issued_date is not None and header.issued_date.isoformat() == "2025-08-05"
    assert header.title == "góp ý dự thảo quy chuẩn"


def test_a_piece_split_mid_character_range_is_cut_at_ccp_text() -> None:
    data = compound_file(word_streams([("Một hai ba bốn", False)], main_chars=7))
    assert doc_lines(data) == ["Một hai"]


def test_nested_fields_keep_only_results() -> None:
    text = 'A\x13 IF \x13 MERGEFIELD x \x14ẩn\x15 = 1 \x14B\x13 PAGE \x141\x15C\x15D\x13 TC "mục" \x15E\r'
    assert word_text_to_lines(text) == ["AB1CDE", ""]
    # stray separators and ends (a damaged field) do not swallow the rest of the text
    # a non-breaking hyphen is "-"; an optional hyphen stays U+00AD (TCVN3's "ư"; normalize() drops it)
    assert word_text_to_lines("x\x14y\x15z\x1ew\x1fv") == ["xyz-w\u00adv"]


def test_large_streams_4096_byte_sectors_and_the_difat() -> None:
    # more than 4096 bytes: regular sectors, not the mini stream
    streams = word_streams([("Điều 1. Quy định chung về phòng cháy.\r" * 200, False)])
    lines = doc_lines(compound_file(streams, sector_shift=12))
    assert lines[:2] == ["Điều 1. Quy định chung về phòng cháy."] * 2
    # a 7 MB stream beside: more than 109 FAT sectors, so the DIFAT chain lists the rest
    streams["Data"] = bytes(7_200_000)
    data = compound_file(streams)
    assert struct.unpack_from("<I", data, 0x48)[0] >= 1  # DIFAT sectors used
    assert len(doc_lines(data)) == 201


def test_table_stream_is_chosen_by_the_fib() -> None:
    data = compound_file(word_streams([("Bảng 0Table\r", False)], flags=0))
    assert doc_lines(data) == ["Bảng 0Table", ""]


def test_encrypted_word_document() -> None:
    data = compound_file(word_streams([("Mật\r", False)], flags=0x0200 | 0x0100))
    with pytest.raises(EncryptedDocument) as info:
        extract_bytes(data, "mat-khau.doc")
    assert "mật khẩu" in info.value.message


def test_word_95_is_refused_with_advice() -> None:
    for ident, nfib in ((0xA5DC, 0x65), (0xA5EC, 0x68)):
        data = compound_file(word_streams([("Cũ\r", False)], ident=ident, nfib=nfib))
        with pytest.raises(UnsupportedFile) as info:
            extract_bytes(data, "word95.doc")
        assert ".docx" in info.value.message and "Word" in info.value.message


def test_compound_file_without_word_document_stream() -> None:
    data = compound_file({"Workbook": b"\x09\x08" * 100, "Ghi chú": "WordDocument".encode("utf-16-le")})
    with pytest.raises(UnsupportedFile):
        doc_lines(data)
    # the name found by sniffing sits in a stream, not in the directory: still not a Word document
    with pytest.raises(UnsupportedFile):
        extract_bytes(data, "bang.xls")


def _patched(data: bytes, at: int, value: int) -> bytes:
    return data[:at] + struct.pack("<I", value) + data[at + 4 :]


def test_damaged_structures_are_corrupt_documents() -> None:
    good = compound_file(word_streams([("Nội dung\r", False)]))
    assert doc_lines(good) == ["Nội dung", ""]
    directory = struct.unpack_from("<I", good, 0x30)[0]
    directory_at = (directory + 1) * 512
    fat_at = (struct.unpack_from("<I", good, 0x4C)[0] + 1) * 512
    damaged = {
        "truncated header": good[:300],
        "not a compound file": b"\0" * 1024,
        "sector shift": good[:0x1E] + struct.pack("<H", 30) + good[0x20:],
        "FAT count": _patched(good, 0x2C, 10_000),
        "FAT loop": _patched(good, fat_at + 4 * directory, directory),
        "directory beyond the file": _patched(good, 0x30, 9_999),
        "directory tree loop": _patched(good, directory_at + 128 + 0x44, 1),
        "root is a stream": good[: directory_at + 0x42] + b"\x02" + good[directory_at + 0x43 :],
        "mini stream too short": _patched(good, directory_at + 0x78, 999_999),
        "stream larger than its chain": _patched(good, directory_at + 128 + 0x78, 4000),
        "truncated file": good[: len(good) - 700],
    }
    for what, data in damaged.items():
        try:
            doc_lines(data)
        except CorruptDocument as exc:
            assert "Word (.doc)" in exc.message, what
        else:
            pytest.fail(f"{what}: no CorruptDocument")


def test_damaged_word_structures_are_corrupt_documents() -> None:
    cases = {
        "identifier": word_streams([("Chữ\r", False)], ident=0x1234),
        "ccpText beyond the pieces": word_streams([("Chữ\r", False)], main_chars=50),
    }
    streams = word_streams([("Chữ\r", False)])
    streams["WordDocument"] = streams["WordDocument"][:200]
    cases["FIB cut short"] = streams
    streams = word_streams([("Chữ\r", False)])
    streams["WordDocument"] = streams["WordDocument"][:-4]
    cases["piece beyond the stream"] = streams
    streams = word_streams([("Chữ\r", False)])
    streams["1Table"] = streams["1Table"][:-6]
    cases["Clx beyond the table stream"] = streams
    streams = word_streams([("Chữ\r", False)])
    streams["1Table"] = streams["1Table"][:8] + b"\x03" + streams["1Table"][9:]
    cases["no piece table"] = streams
    streams = word_streams([("Chữ\r", False)])
    cases["no table stream"] = {"WordDocument": streams["WordDocument"]}
    for what, streams in cases.items():
        with pytest.raises(CorruptDocument):
            doc_lines(compound_file(streams))
            pytest.fail(what)


def test_random_damage_never_escapes_as_another_error() -> None:
    good = compound_file(word_streams(HEADER_PIECES))
    rng = random.Random(2025)
    for _ in range(400):
        data = bytearray(good)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        if rng.random() < 0.3:
            del data[rng.randrange(len(data)) :]
        with contextlib.suppress(ExtractionError):  # success is fine too; any other exception fails
            doc_lines(bytes(data))


def test_compound_file_streams_are_found_by_name_case_insensitively() -> None:
    compound = CompoundFile(compound_file({"WordDocument": b"abc", "Dữ liệu": bytes(5000)}))
    assert compound.stream("worddocument") == b"abc"
    assert compound.stream("DỮ LIỆU") == bytes(5000)
    assert compound.stream("1Table") is None


@pytest.mark.shared
def test_real_word_97_draft(fixtures_dir: Path) -> None:
    result = extract_file(fixtures_dir / "cong_van_cuc_pccc_draft.doc")
    assert result.format == "doc" and result.warnings == ()
    lines = result.text.splitlines()
    assert lines[:6] == [
        "BỘ CÔNG AN",
        "CỤC CẢNH SÁT PCCC VÀ CNCH",
        "",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "",
    ]
    assert "Số: /PCCC&CNCH-P6" in lines
    assert "Hà Nội, ngày tháng năm 2025" in lines
    assert "Rất mong nhận được sự quan tâm, phối hợp của các đơn vị, tổ chức, cá nhân./." in lines
    # a hyperlink field: its result (the address) is kept once, its instruction dropped
    assert "HYPERLINK" not in result.text
    assert result.text.count("https://canhsatpccc.gov.vn/vi/legal-document/van-ban-du-thao") == 1
    header = parse_header(result.text)
    assert (header.symbol, header.doc_type, header.parent, header.issuer, header.signer) == (
        "PCCC&CNCH-P6",
        "cong-van",
        "Bộ Công an",
        "Cục Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ",
        "Nguyễn Thanh Điệp",
    )
    assert header.title == "thu thập, tổng hợp, đánh giá tình hình thực hiện QCVN 03:2023/BCA"


@pytest.mark.shared
def test_real_word_97_draft_cut_short(fixtures_dir: Path) -> None:
    data = (fixtures_dir / "cong_van_cuc_pccc_draft.doc").read_bytes()
    for size in (600, len(data) // 3, len(data) // 2, len(data) - 1024, len(data) - 512):
        with pytest.raises(CorruptDocument) as info:
            doc_lines(data[:size])
        assert "Word (.doc)" in info.value.message
    # cut after the directory (which the format sniffer looks at): the upload path says "damaged" too
    with pytest.raises(CorruptDocument):
        extract_bytes(data[:-512], "hong.doc")
    # cut before the directory: no stream name left to sniff, still "damaged", not "a spreadsheet"
    for size in (600, len(data) // 3):
        with pytest.raises(CorruptDocument) as cut:
            extract_bytes(data[:size], "hong.doc")
        assert "bị hỏng" in cut.value.message and "Excel" not in cut.value.message
