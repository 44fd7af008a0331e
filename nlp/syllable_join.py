"""Syllables that a PDF's text layer split apart: "chức n ăng, nhi ệm v ụ" is "chức năng, nhiệm vụ".

pypdf puts a space wherever two glyphs stand further apart than a space's width. Some PDF fonts draw a
vowel with its marks as a glyph set well apart from the consonants before it, so the extracted text
breaks syllables just before that vowel: "Lu ật", "c ủa", "Ngh ị định". Search then misses exact phrases.

:func:`rejoin_split_syllables` joins two neighbours on one line when the join is the only reading that
makes sense, conservatively:

* the second part starts with a vowel carrying a mark (the split falls before such a glyph: "ật", "ơ");
* the first part is a word of its own, not the unit after a number ("mm2/s ở" stays);
* at least one part cannot stand alone: a consonant fragment ("n", "ph", "Ngh") or a vowel-initial piece
  no dictionary word has ("ật", "ệm", "ết") — "lu" + "ật" joins, "nhà" + "ở" never does;
* the joined form is a well-formed syllable that a Vietnamese word list uses;
* the case reads as one word ("Lu" + "ật", "LU" + "ẬT"; never "lu" + "ẬT");
* never across a line break.

A document code cut before its "Đ" ("34/2016/N Đ-CP") is joined as well: the Đ glyph is set apart in the
same way, and a code never holds a space.

The word list is underthesea's (a core dependency, installed with its data), read once on first use.

Example
-------
>>> rejoin_split_syllables("chức n ăng, nhi ệm v ụ của nhà ở")
('chức năng, nhiệm vụ của nhà ở', 3)
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import Counter
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import NamedTuple

# The grammar of a syllable lives with the legacy-font repair, which was its first user.
from nlp.legacy_fonts import is_syllable as is_well_formed_syllable
from nlp.normalize import fold

logger = logging.getLogger(__name__)

# underthesea's largest word list (one word or compound per line), shipped inside its wheel.
_WORD_LIST = ("underthesea", "corpus/data/Viet74K.txt")
_VOWELS = frozenset("aeiouy")
_LINE_PARTS_RE = re.compile(r"([ \t]+)")  # the spaces are kept: the layout stays as it was
_LEADING_LETTERS_RE = re.compile(r"^[^\W\d_]+")
# The letters ending a token, when they are a word of their own: after an opening bracket, quote or hyphen
# at most ("(lu", "xã-h"), never the unit of a measure ("mm2/s" before "ở nhiệt độ").
_TRAILING_LETTERS_RE = re.compile(r"(?:^|[(\[“‘\"'\-–])([^\W\d_]+)$")
_WORD_SEPARATORS_RE = re.compile(r"[\s\-]+")
# The part of a document code before a cut and the part after it: "34/2016/N" | "Đ-CP", "12/TT-BL" | "ĐTBXH;".
_CODE_HEAD_RE = re.compile(r"\d/[0-9A-ZĐ/\-]*[A-ZĐ]$")
_CODE_TAIL_RE = re.compile(r"^Đ[A-ZĐ]*(?:[-/][0-9A-ZĐ]+)*[,.;:)]*$")


class Lexicon(NamedTuple):
    """What the word list says about syllables (lower case, NFC)."""

    attested: frozenset[str]  # well-formed syllables used by at least one entry
    # Vowel-initial syllables used by at least two entries: words of their own ("ổ", "ức", "ở"). One entry is
    # not enough: "ện" and "ộ" occur only in the rare "ộn ện", "ộ ệ", yet "bi ện" is a split "biện".
    standalone_vowel_initial: frozenset[str]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The syllables of underthesea's word list; empty sets (with a warning) when it is not installed.

    Without the list only consonant fragments are joined ("n" + "ăng"), never "lu" + "ật": knowing that
    "ật" is no word needs a lexicon, the grammar alone accepts it.
    """
    package, path = _WORD_LIST
    # find_spec locates the package without importing it: importing underthesea takes most of a second.
    spec = find_spec(package)
    folders = spec.submodule_search_locations if spec else None
    try:
        if not folders:
            raise FileNotFoundError(f"package {package} not installed")
        content = (Path(folders[0]) / path).read_text(encoding="utf-8")
    except OSError as exc:
        logger.warning("word list %s/%s unavailable (%r): split syllables are only partly rejoined",
                       package, path, exc)
        return Lexicon(frozenset(), frozenset())
    entries: Counter[str] = Counter()
    for word in unicodedata.normalize("NFC", content).lower().splitlines():
        entries.update({part for part in _WORD_SEPARATORS_RE.split(word) if part})
    attested = frozenset(s for s in entries if is_well_formed_syllable(s))
    standalone = frozenset(s for s in attested if entries[s] >= 2 and _starts_with_vowel(s))
    return Lexicon(attested, standalone)


def _starts_with_vowel(part: str) -> bool:
    return fold(part[:1]).lower() in _VOWELS


def _starts_with_marked_vowel(part: str) -> bool:
    """"ật", "ơ", "ương": the fonts concerned set apart only vowel glyphs that carry a mark."""
    return _starts_with_vowel(part) and not part[:1].isascii()


def _stands_alone(part: str, words: Lexicon) -> bool:
    """Whether ``part`` (lower case, NFC) could be a syllable of its own in running text.

    A part with an onset is judged by the grammar ("lu", "nhi" are words); a vowel-initial part needs the
    word list as well ("ổ", "ức" are words, "ật", "ệm" are not).
    """
    if not is_well_formed_syllable(part):
        return False
    return not _starts_with_vowel(part) or part in words.standalone_vowel_initial


def _reads_as_one_word(head: str, tail: str) -> bool:
    return tail.islower() or (head.isupper() and tail.isupper())


def should_join(head: str, tail: str) -> bool:
    """Whether ``head`` (the letters ending one token) and ``tail`` (the letters starting the next) are
    the two halves of one split syllable; see the module docstring for the rules.

    Example
    -------
    >>> should_join("Lu", "ật"), should_join("nhà", "ở"), should_join("và", "c")
    (True, False, False)
    """
    if not head or not tail or not _starts_with_marked_vowel(tail) or not _reads_as_one_word(head, tail):
        return False
    words = lexicon()
    first = unicodedata.normalize("NFC", head.lower())
    second = unicodedata.normalize("NFC", tail.lower())
    if _stands_alone(first, words) and _stands_alone(second, words):
        return False
    joined = first + second
    if not is_well_formed_syllable(joined):
        return False
    # Without the word list a well-formed join after a consonant fragment is still safe ("n" + "ăng").
    return joined in words.attested if words.attested else not is_well_formed_syllable(first)


def splits_a_code(before: str, after: str) -> bool:
    """Whether a space cut a document code at its "Đ" ("34/2016/N" + "Đ-CP", "169/Q" + "Đ-BLĐTBXH").

    The Đ glyph of these fonts is set apart like the vowels; a code never holds a space.
    """
    return _CODE_HEAD_RE.search(before) is not None and _CODE_TAIL_RE.match(after) is not None


def _rejoin_line(line: str) -> tuple[str, int]:
    parts = _LINE_PARTS_RE.split(line)  # token, spaces, token, spaces, …
    out = [parts[0]]
    joins = 0
    for i in range(1, len(parts) - 1, 2):
        spaces, token = parts[i], parts[i + 1]
        head = _TRAILING_LETTERS_RE.search(out[-1])
        tail = _LEADING_LETTERS_RE.match(token)
        if (head and tail and should_join(head.group(1), tail.group())) or splits_a_code(out[-1], token):
            out[-1] += token
            joins += 1
        else:
            out += [spaces, token]
    return "".join(out), joins


def rejoin_split_syllables(text: str) -> tuple[str, int]:
    """(``text`` with split syllables joined again, how many joins were made). Line breaks are kept.

    For text read from a PDF's text layer only: other formats store words whole.

    Example
    -------
    >>> rejoin_split_syllables("Căn cứ Lu ật Ban hành v ăn bản\\nsửa đổi")
    ('Căn cứ Luật Ban hành văn bản\\nsửa đổi', 2)
    """
    lines = text.split("\n")
    total = 0
    for index, line in enumerate(lines):
        if " " in line or "\t" in line:
            lines[index], joins = _rejoin_line(line)
            total += joins
    return "\n".join(lines), total
