"""Unicode normalisation for Vietnamese text.

Everything that reads Vietnamese goes through :func:`normalize` first, so that text typed on different
keyboards, copied from PDFs or written in old or new tone placement compares equal. Diacritics are kept:
they carry meaning (``đường`` road vs ``dương`` ocean). :func:`fold` removes them, and is for matching only.

Example
-------
>>> normalize("Ủy ban nhân dân  tỉnh  Hoà Bình")
'Ủy ban nhân dân tỉnh Hòa Bình'
>>> fold("Đắk Lắk")
'Dak Lak'
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Combining tone marks (the five tones other than ngang). Shape marks — circumflex, breve, horn — are
# part of the vowel letter and never move.
_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
# Tone marks that look alike in other scripts or old encodings: acute/grave tone marks U+0341/U+0340 and
# the Vietnamese-specific "tone" code points some fonts emit.
_TONE_ALIASES = {"\u0340": "\u0300", "\u0341": "\u0301", "\u0342": "\u0303", "\u0343": "\u0313"}
_SHAPED_VOWELS = set("âăêôơư")
_VOWELS = set("aăâeêioôơuưy")

# Characters that look like Đ/đ but are not (Icelandic eth, African D with stroke, …) — common in
# numbers such as "QÐ-UBND" typed with the wrong keyboard layout.
_LOOKALIKES = str.maketrans(
    {
        "\u00d0": "Đ",  # Ð Latin capital eth
        "\u0189": "Đ",  # Ɖ African D
        "\u00f0": "đ",  # ð Latin small eth
        "\u0256": "đ",  # ɖ
        "\u2010": "-",  # hyphen
        "\u2011": "-",  # non-breaking hyphen
        "\u2012": "-",  # figure dash
        "\u2013": "-",  # en dash (kept as hyphen: numbers like 139/KH–UBND)
        "\u2212": "-",  # minus sign
        "\u2044": "/",  # fraction slash
        "\u2215": "/",  # division slash
        "\uff0f": "/",  # fullwidth solidus
    }
)
# Invisible characters that break words apart or glue them together without a visible trace.
_INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACE_RE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANK_LINES_RE = re.compile(r"\n{3,}")
_WORD_RE = re.compile(r"[^\W\d_]+")


def _canonical_tone_index(letters: str, has_final: bool) -> int | None:
    """Index in ``letters`` (a syllable without tone, lower case) where the classic tone mark belongs.

    Classic placement ("hòa", "thủy", "khỏe") is the one used by most administrative texts; the new
    placement ("hoà", "thuỷ") is mapped onto it. Returns ``None`` for non-syllables.
    """
    start = 0
    if letters.startswith("qu") and len(letters) > 2 and letters[2] in _VOWELS:
        start = 2  # "qu" is a consonant: quý, quả
    elif letters.startswith("gi") and len(letters) > 2 and letters[2] in _VOWELS:
        start = 2  # "gi" is a consonant: giữa, giả — but "gì" keeps i as its vowel
    positions = [i for i in range(start, len(letters)) if letters[i] in _VOWELS]
    if not positions:
        return None
    # the vowel nucleus must be contiguous, otherwise this is not a Vietnamese syllable
    if positions[-1] - positions[0] + 1 != len(positions):
        return None
    shaped = [i for i in positions if letters[i] in _SHAPED_VOWELS]
    if shaped:
        return shaped[-1]  # ươ → ơ; uyê → ê; otherwise the only shaped vowel
    if len(positions) == 1:
        return positions[0]
    if has_final:
        return positions[-1]
    if len(positions) == 2:
        return positions[0]
    return positions[1]


@lru_cache(maxsize=65536)  # a pure function of one word; vocabularies are small, texts are long
def _fix_tone_placement(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    tone = None
    base_chars: list[str] = []
    for ch in decomposed:
        if ch in _TONE_MARKS:
            if tone is not None:
                return word  # two tone marks: not a syllable we understand, leave it alone
            tone = ch
        else:
            base_chars.append(ch)
    if tone is None:
        return word
    base = unicodedata.normalize("NFC", "".join(base_chars))
    lower = base.lower()
    vowel_idx = [i for i, ch in enumerate(lower) if ch in _VOWELS]
    if not vowel_idx:
        return word
    has_final = vowel_idx[-1] < len(lower) - 1
    target = _canonical_tone_index(lower, has_final)
    if target is None:
        return word
    rebuilt = base[: target + 1] + tone + base[target + 1 :]
    return unicodedata.normalize("NFC", rebuilt)


def normalize_tone_placement(text: str) -> str:
    """Move tone marks to their classic position in every syllable (``hoà`` → ``hòa``)."""
    return _WORD_RE.sub(lambda m: _fix_tone_placement(m.group(0)), text)


def normalize(text: str, *, keep_newlines: bool = True) -> str:
    """Return the canonical form of ``text``.

    NFC; Đ look-alikes to Đ; dash and slash variants to ASCII; invisible characters removed; non-breaking
    and other spaces to a plain space; runs of spaces collapsed; tone marks in classic position. Line
    breaks are kept (headers are read line by line) unless ``keep_newlines`` is false.

    Example
    -------
    >>> normalize("Số: 12/QÐ-UBND\u00a0 ngày\u200b 3/2/2024")
    'Số: 12/QĐ-UBND ngày 3/2/2024'
    """
    text = unicodedata.normalize("NFC", text)
    for alias, mark in _TONE_ALIASES.items():
        if alias in text:
            text = unicodedata.normalize("NFC", text.replace(alias, mark))
    text = text.translate(_LOOKALIKES)
    text = _INVISIBLE_RE.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if keep_newlines:
        lines = [_SPACE_RE.sub(" ", line).strip() for line in text.split("\n")]
        text = _BLANK_LINES_RE.sub("\n\n", "\n".join(lines)).strip()
    else:
        text = _SPACE_RE.sub(" ", text.replace("\n", " ")).strip()
    return normalize_tone_placement(text)


_FOLD_TABLE = str.maketrans({"đ": "d", "Đ": "D"})


def fold(text: str) -> str:
    """Remove all diacritics (``đ`` → ``d``); for matching only, never for display or storage.

    Example
    -------
    >>> fold("Quyết định số 49/2015/QĐ-TTg")
    'Quyet dinh so 49/2015/QD-TTg'
    """
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD_TABLE))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def has_diacritics(text: str) -> bool:
    """True when ``text`` carries any Vietnamese diacritic (so folding it would change it)."""
    return fold(text) != text
