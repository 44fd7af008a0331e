"""Vietnamese text typed with the pre-Unicode fonts: TCVN3 (ABC, ``.VnTime``) and VNI (``VNI-Times``).

Until the late 2000s most offices typed with 8-bit fonts that draw Vietnamese letters at the positions of
Latin-1 characters; Word keeps such text as those characters, so a ``.docx`` of that era, a PDF made from
it, or a ``.txt`` saved from it reads as mojibake unless converted:

* TCVN3 (TCVN 5712:1993, VN3), the national standard, mostly in the North: one code per letter,
  ``Céng hoµ x· héi chñ nghÜa ViÖt Nam``. Its capitals-only fonts (``.VnTimeH``) draw capital letters at the
  lowercase codes, so such a line reads ``CéNG HOµ X· HéI``: its plain letters are capitals.
* VNI, common in the South: a vowel followed by a mark code, ``Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam``
  (``oä`` is ộ, ``oø`` ò); ơ, ư, đ and the i with a tone mark are single codes.

:func:`repair_legacy_fonts` converts the lines written in one of them and leaves Unicode lines alone; a
document that mixes a legacy-font header with a Unicode body is common.

Example
-------
>>> repair_legacy_fonts("Céng hoµ x· héi chñ nghÜa ViÖt Nam")
('Cộng hoà xã hội chủ nghĩa Việt Nam', 'TCVN3')
>>> repair_legacy_fonts("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam")
('Cộng hòa xã hội chủ nghĩa Việt Nam', 'VNI')
>>> repair_legacy_fonts("Cộng hòa xã hội chủ nghĩa Việt Nam")  # Unicode already: unchanged
('Cộng hòa xã hội chủ nghĩa Việt Nam', None)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

# TCVN3 code (as the Latin-1 character Word stores) → the letter the font draws. The capital letters
# with a tone mark have no code: they come from the .VnTimeH font at the lowercase codes.
_ROWS = {
    "¡¢£¤¥¦§": "ĂÂÊÔƠƯĐ",
    "¨©ª«¬\u00ad®": "ăâêôơưđ",
    "µ¶·¸¹": "àảãáạ",
    "»¼½¾Æ": "ằẳẵắặ",
    "ÇÈÉÊË": "ầẩẫấậ",
    "ÌÎÏÐÑ": "èẻẽéẹ",
    "ÒÓÔÕÖ": "ềểễếệ",
    "×ØÜÝÞ": "ìỉĩíị",
    "ßáâãä": "òỏõóọ",
    "åæçèé": "ồổỗốộ",
    "êëìíî": "ờởỡớợ",
    "ïñòóô": "ùủũúụ",
    "õö÷øù": "ừửữứự",
    "úûüýþ": "ỳỷỹýỵ",
}
TCVN3_CODES = {
    code: letter for codes, letters in _ROWS.items() for code, letter in zip(codes, letters, strict=True)
}
_TABLE = str.maketrans(TCVN3_CODES)
# Codes that never occur in Unicode Vietnamese text (µ, ©, Ö…): their presence is what makes a line a
# candidate. Codes such as é or ò are Vietnamese letters too, and are converted only in a line that
# has a signature code or in a document that is TCVN3 throughout.
_VIETNAMESE_LATIN1 = set("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
_SIGNATURE = "".join(sorted(set(TCVN3_CODES) - _VIETNAMESE_LATIN1))
_SIGNATURE_RE = re.compile(f"[{re.escape(_SIGNATURE)}]")
_DIGITS = frozenset("0123456789")  # not str.isdigit(): "¹" (superscript one) is ạ in TCVN3
_SPACES_RE = re.compile(r"(\s+)")  # kept in the split: the layout stays as it was
_PARTS_RE = re.compile(r"[\s/\-–]+")
# Letters that only Unicode text has: ă, đ, ơ, ư and the vowels with a tone mark outside Latin-1.
_UNICODE_LETTER_RE = re.compile(
    "[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9]"
)
_EDGE_PUNCT = "\"'“”‘’()[]{}.,;:!?…-–—/\\*•<>"
# Evidence needed to convert: at least three words made Vietnamese, and enough of them for each word that
# looked Vietnamese already and would change. Summaries of ../shared/data written out in each font
# (bench/legacy_fonts.py) give per title, TCVN3: median 3.0, lowest 0.75; VNI (whose vowel-and-mark pairs
# such as "NHAÂN" often look like syllables): median 1.33, lowest 0.22. Unicode text gives at most two
# such words in any of 18,448 texts (lines with a Unicode-only letter are never candidates).
_MIN_FIXED = 3
_MIN_RATIO = {"TCVN3": 0.5, "VNI": 0.2}


def from_tcvn3(text: str) -> str:
    """``text`` read as TCVN3: every code as its letter, words of the capitals font in capitals.

    A word whose plain letters are all capitals was typed with a capitals font (``CéNG`` is ``CỘNG``); so
    is a word without plain letters in a line whose plain letters are (``X·`` in ``X· HéI``).
    """
    lines = []
    for line in text.split("\n"):
        # numbers ("12/QĐ-UBND") are in capitals whatever the font: they do not say which font it is
        plain = [ch for word in line.split() if not any(c in _DIGITS for c in word)
                 for ch in word if ch.isascii() and ch.isalpha()]  # fmt: skip
        line_upper = len(plain) >= 2 and sum(ch.isupper() for ch in plain) >= 0.9 * len(plain)
        lines.append("".join(_word(piece, line_upper) for piece in _SPACES_RE.split(line)))
    return "\n".join(lines)


def _word(word: str, line_upper: bool) -> str:
    converted = word.translate(_TABLE)
    if converted == word:
        return word
    plain = [ch for ch in word if ch.isascii() and ch.isalpha()]
    upper = all(ch.isupper() for ch in plain) if plain else line_upper
    if upper and not (len(plain) == 1 and not line_upper):  # "Sè" is "Số", not "SỐ"
        return converted.upper()
    return converted


# VNI: a mark code after a vowel; lower- and upper-case codes are the same marks.
_TONE_MARKS = {"ù": "\u0301", "ø": "\u0300", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}
_CIRCUMFLEX_MARKS = {"â": "", "á": "\u0301", "à": "\u0300", "å": "\u0309", "ã": "\u0303", "ä": "\u0323"}
_BREVE_MARKS = {"ê": "", "é": "\u0301", "è": "\u0300", "ú": "\u0309", "ü": "\u0303", "ë": "\u0323"}
_VNI_LETTERS = {"ô": "ơ", "ö": "ư", "ñ": "đ", "ì": "ì", "í": "í", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ"}
_VNI_LETTERS |= {code.upper(): letter.upper() for code, letter in _VNI_LETTERS.items()}
_VNI_CODES = {*_TONE_MARKS, *_CIRCUMFLEX_MARKS, *_BREVE_MARKS, *_VNI_LETTERS}
_VNI_CODES |= {code.upper() for code in _VNI_CODES}
_VNI_SIGNATURE_RE = re.compile("[" + re.escape("".join(sorted(_VNI_CODES - _VIETNAMESE_LATIN1))) + "]")
_VNI_RE = re.compile("[" + re.escape("".join(sorted(_VNI_CODES))) + "]")


def from_vni(text: str) -> str:
    """``text`` read as VNI: each vowel with the mark code after it as one letter, the single codes as
    their letters (``Vieät`` is ``Việt``, ``Töï`` is ``Tự``, ``Ñoàng`` is ``Đồng``)."""
    if not _VNI_RE.search(text):
        return text
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        base = _VNI_LETTERS.get(ch, ch)
        i += 1
        mark = text[i].lower() if i < n else ""
        low = base.lower()
        if low in "aeo" and mark in _CIRCUMFLEX_MARKS:
            base, i = base + "\u0302" + _CIRCUMFLEX_MARKS[mark], i + 1
        elif low == "a" and mark in _BREVE_MARKS:
            base, i = base + "\u0306" + _BREVE_MARKS[mark], i + 1
        elif low in "aeouyơư" and mark in _TONE_MARKS:
            base, i = base + _TONE_MARKS[mark], i + 1
        out.append(base)
    return unicodedata.normalize("NFC", "".join(out))


# Each family: its name, what marks a text as a candidate, and its converter.
def font_family(font_name: str | None) -> str | None:
    """The legacy family a font belongs to: ``TCVN3`` for the .Vn fonts (.VnTime, .VnArialH …), ``VNI`` for
    the VNI- fonts (VNI-Times, VNI-Helve …), None for any other (Unicode) font."""
    name = (font_name or "").strip().lower()
    if name.startswith(".vn"):
        return "TCVN3"
    if name.startswith("vni-") or name.startswith("vni "):
        return "VNI"
    return None


def convert_run(text: str, font_name: str | None) -> tuple[str, str | None]:
    """(a run of a Word document in Unicode, the legacy family it was typed in or None), decided by its font:
    a run in .VnTime is TCVN3 letter for letter, one in a capitals font (.VnTimeH) is in capitals whatever
    was typed, one in VNI-Times is VNI. A run with a letter only Unicode has is Unicode whatever its font
    says (a template's leftover font name)."""
    family = font_family(font_name)
    if family is None or not text or _UNICODE_LETTER_RE.search(text):
        return text, None
    if family == "TCVN3":
        capitals = (font_name or "").strip().lower().endswith("h")
        converted = text.translate(_TABLE).upper() if capitals else from_tcvn3(text)
    else:
        converted = from_vni(text)
    if converted == text:
        return text, None
    # A Unicode run left in a legacy font ("chuyên" stays "chuyên", not "chuyờn"): converting must not
    # turn syllables into non-syllables.
    pairs = [(a, b) for a, b in zip(_PARTS_RE.split(text), _PARTS_RE.split(converted), strict=True) if a != b]
    before = sum(_is_syllable(a.strip(_EDGE_PUNCT)) for a, _ in pairs)
    after = sum(_is_syllable(b.strip(_EDGE_PUNCT)) for _, b in pairs)
    return (converted, family) if after >= before else (text, None)


FONT_LABELS = {"TCVN3": "TCVN3 (ABC, .VnTime)", "VNI": "VNI (VNI-Times)"}  # as a clerk knows them
_FAMILIES: tuple[tuple[str, re.Pattern[str], Callable[[str], str]], ...] = (
    ("TCVN3", _SIGNATURE_RE, from_tcvn3),
    ("VNI", _VNI_SIGNATURE_RE, from_vni),
)


def repair_legacy_fonts(text: str) -> tuple[str, str | None]:
    """(``text`` with its legacy-font lines converted to Unicode, the font family converted or None).

    Lines with a letter only Unicode has (``ế``, ``đ``, ``ư``…) are Unicode and stay. The others are
    converted together when, over all of them, the words that conversion turns into well-formed Vietnamese
    syllables clearly outnumber the words that already looked Vietnamese and would change (``héi``, ``Sè``
    are TCVN3 for "hội", "số" but look like syllables; a Unicode table of "µg/L", "Chì" must stay: "àg" is
    no syllable). When both families qualify (VNI text read as TCVN3 gives some syllables too), the one
    whose converted words are syllables most often wins.
    """
    best: tuple[float, int, str, str] | None = None
    for name, signature, convert in _FAMILIES:
        if not signature.search(text):
            continue
        converted, fixed, share = _convert_lines(text, convert, _MIN_RATIO[name])
        if converted is not None and (best is None or (share, fixed) > best[:2]):
            best = (share, fixed, converted, name)
    return (text, None) if best is None else (best[2], best[3])


# A Vietnamese syllable, folded and in lower case: an onset, a vowel cluster of the language, and a final
# only after a cluster that takes one ("ao", "ai", "ưu" never do: "nhaon" is no syllable, "nhân" is).
_ONSET = "(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
_OPEN = "ieu|yeu|oai|oay|oeo|uoi|uou|uay|uya|uyu|ai|ao|au|ay|eo|eu|ia|iu|oi|ui|uu"
_CLOSABLE = "uye|ie|ye|uo|oa|oe|ua|ue|uy|a|e|i|o|u|y"
_SYLLABLE_RE = re.compile(f"^{_ONSET}(?:(?:{_OPEN})|(?:{_CLOSABLE})(?:ng|nh|ch|[cmnptk])?|oo(?:ng|c))$")  # k: Đắk, Lắk


_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
_SHAPED = {"\u0302": "aeo", "\u0306": "a", "\u031b": "ou"}  # circumflex, breve, horn: on these vowels only


def is_syllable(word: str) -> bool:
    """True when ``word`` is a well-formed Vietnamese syllable (see :func:`_is_syllable`); the grammar also
    decides what a PDF's split syllables join into (:mod:`nlp.syllable_join`)."""
    return _is_syllable(word)


def _is_syllable(word: str) -> bool:
    """True when ``word`` (one part, no spaces) is a well-formed Vietnamese syllable: Vietnamese letters
    (a shape mark only on its vowels, one tone mark at most) making an onset, a vowel cluster and a final."""
    if not word:
        return False
    plain: list[str] = []
    tones = 0
    for ch in unicodedata.normalize("NFD", word.lower()):
        if ch in _TONES:
            tones += 1
        elif ch in _SHAPED:
            if not plain or plain[-1] not in _SHAPED[ch]:
                return False
        elif ch == "đ":
            plain.append("d")
        elif "a" <= ch <= "z":
            plain.append(ch)
        else:
            return False
    return tones <= 1 and _SYLLABLE_RE.match("".join(plain)) is not None


def _convert_lines(
    text: str, convert: Callable[[str], str], min_ratio: float
) -> tuple[str | None, int, float]:
    """(the converted text or None when the evidence is too weak, the words conversion made syllables, the
    share of the changed words that are syllables after conversion)."""
    lines = text.split("\n")
    converted: dict[int, str] = {}
    fixed = kept_valid = changed = valid_after = 0
    for i, line in enumerate(lines):
        if _UNICODE_LETTER_RE.search(line):
            continue
        after = convert(line)
        if after == line:
            continue
        converted[i] = after
        # words, and the parts of "Ông/Bà" or "kinh tế-xã hội" apart: each part is a syllable
        for old, new in zip(_PARTS_RE.split(line), _PARTS_RE.split(after), strict=True):
            # a word without a plain letter ("©", "÷", "µ") is as likely a symbol as a letter: no evidence
            if old != new and any(ch.isascii() and ch.isalpha() for ch in old):
                was_valid = _is_syllable(old.strip(_EDGE_PUNCT))
                is_syllable = _is_syllable(new.strip(_EDGE_PUNCT))
                changed += 1
                valid_after += is_syllable
                kept_valid += was_valid
                fixed += not was_valid and is_syllable
    if fixed < _MIN_FIXED or fixed < min_ratio * kept_valid:
        return None, fixed, 0.0
    return "\n".join(converted.get(i, line) for i, line in enumerate(lines)), fixed, valid_after / changed
