"""Decode a plain-text file whose encoding nobody wrote down.

Vietnamese .txt files come as UTF-8 (with or without a BOM), UTF-16 (Notepad's "Unicode", often without a
BOM when produced by other tools) or Windows-1258, the legacy Vietnamese code page — which writes tone
marks as separate combining characters, so its output must be composed (NFC) afterwards. We decide by
validity first (a BOM, a NUL-byte pattern, strict UTF-8) and, between legacy code pages that all decode
without error, by how Vietnamese the result looks: the share of words that are well-formed Vietnamese
syllables rather than mojibake such as ``Viá»‡t`` (UTF-8 read as Windows-1252) or ``Viêòt`` (Windows-1258
read as Windows-1252). Damage is read around, never hidden: stray NUL bytes outside UTF-16/32 are dropped
and bytes no decoding reads become U+FFFD, each with a warning saying how many and where the first one is.
"""

from __future__ import annotations

import codecs
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from nlp.extract_errors import UnsupportedFile
from nlp.legacy_fonts import from_tcvn3, from_vni

_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# Legacy code pages tried when the bytes are not UTF-8, best guess first (ties keep this order).
_LEGACY = ("cp1258", "cp1252", "latin-1")
# Legacy Vietnamese fonts saved as plain text: the bytes are Latin-1, the letters those the font drew.
_FONT_ENCODINGS = {"tcvn3": from_tcvn3, "vni": from_vni}
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_SHAPES = {"\u0302", "\u0306", "\u031b"}  # circumflex, breve, horn
_VIET_BASES = set("aăâeêioôơuưyAĂÂEÊIOÔƠUƯYbcdđghklmnpqrstvxBCDĐGHKLMNPQRSTVX")
_WORD_RE = re.compile(r"\S+")
_LATIN_LETTER_RE = re.compile("[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]")  # letters beyond ASCII
_EDGE_PUNCT = "\"'“”‘’()[]{}.,;:!?…-–—/\\*•«»<>"
_SAMPLE_BYTES = 200_000
_CONTEXT_CHARS = 40  # of the line on each side of an unreadable byte, quoted in the warning
# Encodings as a clerk may know them from Notepad or Word's "Save as" dialog, with Python's name after.
_ENCODING_LABELS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "utf-16-le": "UTF-16 (Unicode)",
    "utf-16-be": "UTF-16 (Unicode)",
    "utf-32-le": "UTF-32",
    "utf-32-be": "UTF-32",
    "cp1258": "Windows-1258 (cp1258)",
    "cp1252": "Windows-1252 (cp1252)",
    "latin-1": "Latin-1 (ISO-8859-1)",
    "tcvn3": "TCVN3 (ABC, phông .VnTime)",
    "vni": "VNI (phông VNI-Times)",
}


def encoding_label(encoding: str) -> str:
    """The name a clerk may recognise for a Python codec name (``cp1258`` → ``Windows-1258 (cp1258)``)."""
    return _ENCODING_LABELS.get(encoding, encoding)


@lru_cache(maxsize=1)
def _vietnamese_letters() -> frozenset[str]:
    """Every precomposed letter Vietnamese uses (a-z, đ, and vowels with one shape and one tone mark)."""
    letters = set("abcdefghijklmnopqrstuvwxyzđABCDEFGHIJKLMNOPQRSTUVWXYZĐ")
    for code in range(0x00C0, 0x1EFA):
        ch = chr(code)
        parts = unicodedata.normalize("NFD", ch)
        if parts[0] in "aeiouyAEIOUY" and all(m in _TONES | _SHAPES for m in parts[1:]):
            letters.add(ch)
    return frozenset(letters)


def word_is_vietnamese(word: str) -> bool:
    """True when ``word`` is made of Vietnamese letters (ASCII digits and punctuation allowed) with at most
    one tone mark and at most two marked vowels, as a well-formed syllable has."""
    letters = _vietnamese_letters()
    marked = 0
    tones = 0
    horns = 0
    for ch in word:
        if ch.isascii() and not ch.isalpha():
            continue  # "139/KH-UBND", "Ả-rập": ASCII digits and punctuation are neutral
        if ch not in letters:
            return False
        parts = unicodedata.normalize("NFD", ch)
        if len(parts) > 1:
            marked += 1
            tones += sum(m in _TONES for m in parts[1:])
            horns += "\u031b" in parts
    # One tone per syllable; at most two marked vowels, and then only "ươ"/"ưu"-like horn pairs.
    return tones <= 1 and (marked <= 1 or (marked == 2 and horns >= 1))


def vietnamese_score(text: str) -> float:
    """Share of words with non-ASCII letters that are well-formed Vietnamese (1.0 = clean, 0.0 = mojibake).

    Text without any non-ASCII word scores 1.0: plain ASCII is valid in every encoding.

    Example
    -------
    >>> vietnamese_score("Cộng hòa xã hội chủ nghĩa Việt Nam")
    1.0
    >>> vietnamese_score("Cá»™ng hÃ²a xÃ£ há»™i") < 0.5
    True
    """
    text = unicodedata.normalize("NFC", text)
    checked = 0
    good = 0
    for m in _WORD_RE.finditer(text):
        word = m.group(0).strip(_EDGE_PUNCT)
        if not word or word.isascii() or not _LATIN_LETTER_RE.search(word):
            continue  # plain ASCII, or only symbols and other scripts beside it ("µg/L", "25°C", "α-"): no vote
        checked += 1
        good += word_is_vietnamese(word)
    return 1.0 if checked == 0 else good / checked


def _utf16_without_bom(sample: bytes) -> str | None:
    # ASCII characters (spaces, digits, most Latin letters of Vietnamese) have a zero high byte in UTF-16,
    # so one byte position is mostly NUL and the other almost never is.
    if len(sample) < 8:
        return None
    even = sample[0::2]
    odd = sample[1::2]
    even_nul = even.count(0) / len(even)
    odd_nul = odd.count(0) / len(odd)
    if odd_nul > 0.2 and even_nul < 0.02:
        return "utf-16-le"
    if even_nul > 0.2 and odd_nul < 0.02:
        return "utf-16-be"
    return None


@dataclass
class _Replaced:
    """Byte sequences a decoding could not read: how many, and where the first one starts."""

    count: int = 0
    first: int | None = None


_replacing = threading.local()


def _replace_noting(error: UnicodeError) -> tuple[str, int]:
    """Python's ``replace`` error handler (one U+FFFD per unreadable sequence), counting what it replaces."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    noted: _Replaced | None = getattr(_replacing, "noted", None)
    if noted is not None:
        noted.count += 1
        if noted.first is None:
            noted.first = error.start
    return "\ufffd", error.end


codecs.register_error("vanban-replace-noting", _replace_noting)


def _decode_replacing(data: bytes, encoding: str) -> tuple[str, _Replaced]:
    """``data.decode(encoding, errors="replace")`` and what it replaced (a U+FFFD written in the file
    itself is text, not a replacement, hence the handler rather than counting U+FFFD afterwards)."""
    noted = _Replaced()
    _replacing.noted = noted
    try:
        return data.decode(encoding, errors="vanban-replace-noting"), noted
    finally:
        _replacing.noted = None


def _where(data: bytes, offset: int, encoding: str) -> str:
    """``dòng 7: “…tổ chức � họp giao ban…”``: the line of the original file holding byte ``offset``, and a
    few words around it, for the clerk to find the place in the original."""
    before = data[:offset].decode(encoding, errors="replace")
    after = data[offset : offset + 400].decode(encoding, errors="replace")
    head = before[before.rfind("\n") + 1 :].rstrip("\r")
    tail = after.split("\n", 1)[0].rstrip("\r")
    if len(head) > _CONTEXT_CHARS:
        head = "…" + head[-_CONTEXT_CHARS:].split(" ", 1)[-1]
    if len(tail) > _CONTEXT_CHARS:
        tail = tail[:_CONTEXT_CHARS].rsplit(" ", 1)[0] + "…"
    return f"dòng {before.count(chr(10)) + 1}: “{(head + tail).strip()}”"


def _replaced_warning(count: int, where: str, label: str) -> str:
    return (
        f"Có {count} ký tự không đọc được theo bảng mã {label} (đã thay bằng dấu �), ký tự đầu tiên ở "
        f"{where}. Hãy đối chiếu với tệp gốc."
    )


def _without_nul(data: bytes) -> tuple[bytes, str | None]:
    """``data`` without its NUL bytes, and a warning saying how many there were and where the first was.

    A NUL is never text outside UTF-16/32; a few of them in an otherwise readable file are left by an
    export or a copy gone wrong. Binary data has many other control bytes besides, and is still refused by
    the control-character share of the decoded text.
    """
    first = data.find(b"\x00")
    if first < 0:
        return data, None
    count = data.count(b"\x00")
    line = data[:first].count(b"\n") + 1
    warning = (
        f"Tệp văn bản chứa {count} ký tự rỗng (NUL), thường do phần mềm xuất tệp hoặc tệp bị hỏng; đã bỏ "
        f"các ký tự này khi đọc (ký tự đầu tiên ở dòng {line}). Hãy đối chiếu với tệp gốc."
    )
    return data.replace(b"\x00", b""), warning


def _control_ratio(text: str) -> float:
    sample = text[:_SAMPLE_BYTES]
    if not sample:
        return 0.0
    bad = sum(
        1 for ch in sample if (unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v") or ch == "\ufffd"
    )
    return bad / len(sample)


def decode_text(data: bytes) -> tuple[str, str, tuple[str, ...]]:
    """(text, encoding name, warnings) for the bytes of a plain-text file.

    Raises :class:`UnsupportedFile` when the bytes are not text in any encoding we know (binary data).

    Example
    -------
    >>> text, encoding, warnings = decode_text(bytes.fromhex("5669eaf274204e616d20f061de206b79ec"))
    >>> text, encoding  # "Việt Nam đã ký" in Windows-1258: tone marks apart from their letters
    ('Việt Nam đã ký', 'cp1258')
    >>> warnings[0]
    'Tệp không lưu theo UTF-8: đã đọc theo bảng mã Windows-1258 (cp1258); hãy kiểm tra dấu tiếng Việt và lưu lại tệp theo UTF-8.'
    """
    warnings: list[str] = []
    encoding: str | None = None
    for bom, name in _BOMS:
        if data.startswith(bom):
            encoding = name
            data = data[len(bom) :] if name != "utf-8-sig" else data
            break
    if encoding is None:
        encoding = _utf16_without_bom(data[:4096])
    if encoding is None or encoding == "utf-8-sig":  # NUL bytes are text only in UTF-16/32
        data, nul_warning = _without_nul(data)
        warnings.extend([nul_warning] if nul_warning else [])
    replaced = _Replaced()
    if encoding is not None:
        text, replaced = _decode_replacing(data, encoding)
    else:
        try:
            text = data.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError as exc:
            if exc.start >= len(data) - 3 and _valid_utf8(data[: exc.start]):
                # cut in the middle of the last character (an interrupted upload or copy)
                text = data[: exc.start].decode("utf-8")
                encoding = "utf-8"
                warnings.append("Tệp văn bản có thể bị cắt cụt: ký tự cuối cùng không đầy đủ.")
            else:
                text, encoding, replaced = _best_legacy(data)
    if _control_ratio(text) > 0.02:
        stray = _utf8_with_stray_bytes(data) if encoding in _LEGACY else None
        if stray is None:
            raise UnsupportedFile(f"binary data: too many control characters when decoded as {encoding}")
        (text, replaced), encoding = stray, "utf-8"
    text = unicodedata.normalize("NFC", text)
    label = encoding_label(encoding)
    if replaced.count and replaced.first is not None:
        warnings.append(_replaced_warning(replaced.count, _where(data, replaced.first, encoding), label))
    if vietnamese_score(text[:_SAMPLE_BYTES]) < 0.8:
        warnings.append(
            f"Văn bản có thể bị lỗi mã hóa ký tự (đã đọc theo bảng mã {label}); "
            "hãy kiểm tra dấu tiếng Việt và lưu lại tệp theo UTF-8 nếu chữ hiển thị sai."
        )
    elif encoding in _LEGACY or encoding in _FONT_ENCODINGS:
        # The code page was guessed among several that all decode: the clerk should glance at the marks.
        warnings.append(
            f"Tệp không lưu theo UTF-8: đã đọc theo bảng mã {label}; "
            "hãy kiểm tra dấu tiếng Việt và lưu lại tệp theo UTF-8."
        )
    return text, encoding, tuple(warnings)


def _valid_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _utf8_with_stray_bytes(data: bytes) -> tuple[str, _Replaced] | None:
    """UTF-8 text with a few stray bytes (a cp1252 quote, one 0xFF) that :func:`_best_legacy` left out as
    too damaged — a short text, where one bad byte is already a large share — and whose legacy reading is
    then refused as binary: read as UTF-8 when its valid multi-byte characters far outnumber the bad ones.
    Files that some decoding reads are never affected."""
    text, replaced = _decode_replacing(data, "utf-8")
    valid = sum(1 for ch in text if not ch.isascii() and ch != "\ufffd")
    if valid < 2 * replaced.count or _control_ratio(text.replace("\ufffd", "")) > 0.02:
        return None
    return text, replaced


def _best_legacy(data: bytes) -> tuple[str, str, _Replaced]:
    """The legacy decoding whose text looks most Vietnamese; UTF-8 with a few bad bytes competes too (and
    then comes back with what it replaced)."""
    candidates: list[tuple[float, int, str, str]] = []
    sample = data[:_SAMPLE_BYTES]
    utf8 = sample.decode("utf-8", errors="replace")
    bad_ratio = utf8.count("\ufffd") / max(1, len(utf8))
    if bad_ratio < 0.005:
        # a truncated or slightly damaged UTF-8 file: keep UTF-8, the damage is local
        candidates.append((vietnamese_score(utf8) - 0.05, 0, "utf-8", "utf-8"))
    for rank, name in enumerate(_LEGACY, start=1):
        try:
            decoded = sample.decode(name)
        except UnicodeDecodeError:
            continue
        penalty = 0.2 * sum(
            1 for ch in decoded if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v"
        )
        candidates.append((vietnamese_score(decoded) - penalty / max(1, len(decoded)), -rank, name, name))
    # TCVN3 and VNI (the .VnTime and VNI-Times fonts) are Latin-1 bytes drawn as Vietnamese letters: they win
    # only where they read clearly better than the code pages above.
    for rank, (name, convert) in enumerate(_FONT_ENCODINGS.items(), start=len(_LEGACY) + 1):
        candidates.append((vietnamese_score(convert(sample.decode("latin-1"))) - 0.1, -rank, name, name))
    best = max(candidates, key=lambda c: (c[0], c[1]))
    name = best[3]
    if name in _FONT_ENCODINGS:
        return _FONT_ENCODINGS[name](data.decode("latin-1")), name, _Replaced()
    if name == "utf-8":
        text, replaced = _decode_replacing(data, name)
        return text, name, replaced
    return data.decode(name), name, _Replaced()
