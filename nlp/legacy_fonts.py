"""Vietnamese text typed with the pre-Unicode fonts of TCVN3 (ABC, the ``.VnTime`` family).

Until the late 2000s most offices typed in TCVN3 (TCVN 5712:1993, VN3): an 8-bit font that draws
Vietnamese letters at the positions of Latin-1 symbols. Word keeps such text as those symbols, so a
``.docx`` of that era, a PDF made from it, or a ``.txt`` saved from it reads ``Céng hoµ x· héi chñ nghÜa
ViÖt Nam`` unless converted. The capitals-only fonts (``.VnTimeH``) draw capital letters at the lowercase
positions, so a line typed with them reads ``CéNG HOµ X· HéI`` — its plain letters are capitals.

:func:`repair_tcvn3` converts the lines that are TCVN3 and leaves Unicode lines alone, deciding by how
Vietnamese each looks before and after (:func:`nlp.extract_text.vietnamese_score`); documents that mix a
legacy-font header with a Unicode body are common.

Example
-------
>>> repair_tcvn3("Céng hoµ x· héi chñ nghÜa ViÖt Nam")[0]
'Cộng hoà xã hội chủ nghĩa Việt Nam'
>>> repair_tcvn3("Cộng hòa xã hội chủ nghĩa Việt Nam")  # Unicode already: unchanged, nothing to say
('Cộng hòa xã hội chủ nghĩa Việt Nam', False)
"""

from __future__ import annotations

import re

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
TCVN3_CODES = {code: letter for codes, letters in _ROWS.items() for code, letter in zip(codes, letters, strict=True)}
_TABLE = str.maketrans(TCVN3_CODES)
# Codes that never occur in Unicode Vietnamese text (µ, ©, Ö…): their presence is what makes a line a
# candidate. Codes such as é or ò are Vietnamese letters too, and are converted only in a line that
# has a signature code or in a document that is TCVN3 throughout.
_VIETNAMESE_LATIN1 = set("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
_SIGNATURE = "".join(sorted(set(TCVN3_CODES) - _VIETNAMESE_LATIN1))
_SIGNATURE_RE = re.compile(f"[{re.escape(_SIGNATURE)}]")
_SPACES_RE = re.compile(r"(\s+)")  # kept in the split: the layout stays as it was
# Letters that only Unicode text has: ă, đ, ơ, ư and the vowels with a tone mark outside Latin-1.
_UNICODE_LETTER_RE = re.compile("[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9]")
_EDGE_PUNCT = "\"'“”‘’()[]{}.,;:!?…-–—/\\*•<>"
# Real summaries written out in TCVN3 give ~2.3 words made Vietnamese for each word that looked Vietnamese
# already; Unicode lines without Unicode-only letters ("Sân gôn", "Giá 50 µg") give fewer than one.
_MIN_FIXED = 3
_MIN_RATIO = 1.0


def from_tcvn3(text: str) -> str:
    """``text`` read as TCVN3: every code as its letter, words of the capitals font in capitals.

    A word whose plain letters are all capitals was typed with a capitals font (``CéNG`` is ``CỘNG``); so
    is a word without plain letters in a line whose plain letters are (``X·`` in ``X· HéI``).
    """
    lines = []
    for line in text.split("\n"):
        # numbers ("12/QĐ-UBND") are in capitals whatever the font: they do not say which font it is
        plain = [ch for word in line.split() if not any(c.isdigit() for c in word)
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


def repair_tcvn3(text: str) -> tuple[str, bool]:
    """(``text`` with its TCVN3 lines converted to Unicode, whether anything was converted).

    Lines with a letter only Unicode has (``ế``, ``đ``, ``ư``…) are Unicode and stay. The others are
    converted together when, over all of them, the words that conversion makes Vietnamese clearly
    outnumber the words that already looked Vietnamese and would change (``héi``, ``Sè`` are TCVN3 for
    "hội", "số" but look like syllables; a Unicode line that only has "Giá" and "µg" must stay).
    """
    if not _SIGNATURE_RE.search(text):
        return text, False
    from nlp.extract_text import word_is_vietnamese  # the scorer of the .txt decoder; imported late

    lines = text.split("\n")
    converted: dict[int, str] = {}
    fixed = kept_valid = 0
    for i, line in enumerate(lines):
        if _UNICODE_LETTER_RE.search(line):
            continue
        after = from_tcvn3(line)
        if after == line:
            continue
        converted[i] = after
        for old, new in zip(line.split(), after.split(), strict=True):
            # a word without a plain letter ("©", "÷", "µ") is as likely a symbol as a letter: no evidence
            if old != new and any(ch.isascii() and ch.isalpha() for ch in old):
                was_valid = word_is_vietnamese(old.strip(_EDGE_PUNCT))
                kept_valid += was_valid
                fixed += not was_valid and word_is_vietnamese(new.strip(_EDGE_PUNCT))
    if fixed < _MIN_FIXED or fixed < _MIN_RATIO * kept_valid:
        return text, False
    return "\n".join(converted.get(i, line) for i, line in enumerate(lines)), True
