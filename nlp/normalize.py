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

import os
import re
import threading
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
        # Full-width forms (an East Asian input method left on: "１３９／KH－UBND"), as NFKC reads them;
        # the solidus among them
        **{chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)},
        # Digits of other scripts (Arabic-Indic "١٢٣" pasted from a converter, Devanagari …): numbers are
        # typed and searched with ASCII digits (QA: "١٢٣/QĐ-UBND" was filed as typed and never found)
        **{chr(c): str(unicodedata.decimal(chr(c))) for c in range(0x80, 0x20000)
           if unicodedata.category(chr(c)) == "Nd" and not 0xFF10 <= c <= 0xFF19},
    }
)
# Cyrillic and Greek letters drawn exactly like Latin ones. PDFs whose fonts map glyphs to the wrong
# script, and OCR, put them inside Latin words and numbers ("24/HDLN-ВСТ-ВТC": В, С, Т Cyrillic), which then
# match nothing typed on a keyboard. Only the unmistakable shapes are listed (no α, ν, ρ, к, в, п).
_HOMOGLYPHS = str.maketrans(
    {
        **dict(zip("АВЕКМНОРСТХІЈЅ", "ABEKMHOPCTXIJS", strict=True)),  # Cyrillic capitals
        **dict(zip("аеорсхуіјѕ", "aeopcxyijs", strict=True)),  # Cyrillic small letters
        **dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEZHIKMNOPTYX", strict=True)),  # Greek capitals
        "\u03bf": "o",  # Greek small omicron
    }
)
_HOMOGLYPH_CHARS = "".join(chr(c) for c in _HOMOGLYPHS)
_HOMOGLYPH_RE = re.compile(f"[{_HOMOGLYPH_CHARS}]")
_HOMOGLYPH_TOKEN_RE = re.compile(rf"\S*[{_HOMOGLYPH_CHARS}]\S*")
_LATIN_OR_DIGIT_RE = re.compile(r"[0-9A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
_OTHER_SCRIPT_RE = re.compile(r"[\u0370-\u03ff\u0400-\u052f\u1c80-\u1c8f\u1f00-\u1fff\u2de0-\u2dff\ua640-\ua69f]")
# Invisible characters that break words apart or glue them together without a visible trace.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]")
# Runs of spaces, each replaced by one plain space: every run of two or more, and any single character but
# a plain space (a lone space stays as it is, and matching it would cost a match per word).
_SPACES = r"\t\u00a0\u2000-\u200a\u202f\u205f\u3000"
_SPACE_RE = re.compile(rf"[ {_SPACES}]{{2,}}|[{_SPACES}]")
_ODD_SPACE_RE = re.compile(f"[{_SPACES}]")  # with "  " absent, what _SPACE_RE needs to match anything
_BLANK_LINES_RE = re.compile(r"\n{3,}")
_LOOKALIKE_RE = re.compile("[" + "".join(re.escape(chr(c)) for c in _LOOKALIKES) + "]")
# Characters that some step of normalize() before tone placement replaces or removes: tone aliases,
# look-alikes, invisible characters, and every whitespace character but space and line break (str.strip()
# strips them all, _SPACE_RE's are among them, carriage returns become line breaks). Every whitespace
# character is below U+3001 (tests/nlp/test_normalize_fast.py checks all code points).
_ODD_WHITESPACE = [chr(c) for c in range(0x3001) if chr(c).isspace() and chr(c) not in " \n"]
# Control characters and lone surrogates. A NUL or a BEL copied out of a legacy system hides inside a word
# ("1/QĐ-UBND\x00" never matches its number) and a lone surrogate (JSON "\ud800", bytes that were not
# UTF-8 decoded with surrogateescape) cannot be encoded at all: SQLite, the segmenter and every response
# would fail on it. Surrogates become U+FFFD, the replacement character a bad byte shows as elsewhere.
# The C0 controls that are whitespace (vertical tab, form feed, the information separators) end a line,
# as Word's manual line and page breaks do; the other C0 controls and DEL are dropped.
_CONTROL_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x1f"
_CONTROL_BREAK_RE = re.compile(f"[{_CONTROL_BREAKS}]")
_CONTROLS = "\x00-\x08\x0e-\x1b\x7f"
_CONTROL_RE = re.compile(f"[{_CONTROLS}]+")
_SURROGATES = "\ud800-\udfff"
_SURROGATE_RE = re.compile(f"[{_SURROGATES}]")
_ANY_CONTROL_RE = re.compile(f"[{_SURROGATES}{_CONTROL_BREAKS}{_CONTROLS}]")  # what _without_controls changes
_REPLACED = (*_TONE_ALIASES, *map(chr, _LOOKALIKES), *_HOMOGLYPH_CHARS, *_INVISIBLE, *_ODD_WHITESPACE)
_UNCLEAN_CHAR_RE = re.compile(  # one class: a fast scan
    "[" + "".join(map(re.escape, _REPLACED)) + _CONTROLS + _SURROGATES + "]"
)
_EDGE_BLANKS = (" ", "\n")
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


# Pure, of one word; most calls are screened off by the token cache below, so a smaller cache suffices.
@lru_cache(maxsize=16_384)
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


# Tone placement per distinct whitespace-separated token, shared by all texts: (tokens seen, those among
# them holding a word whose tone mark moves). A text is hundreds of tokens but fewer distinct ones, nearly
# all seen before and nearly all already classic, so set operations (in C) on str.split()'s tokens decide
# for a whole text at once, and only a text holding a word to fix is rebuilt. Exact: words never contain
# whitespace, so every word lies within one token; _fix_tone_placement is pure, so caching cannot change
# any output. Bounded (a token costs ~100 bytes): when full, a fresh pair replaces it whole (threads
# holding the old pair finish with it undisturbed).
_TONE_CACHE_TOKENS = 32_768
_tone_cache: tuple[set[str], set[str]] = (set(), set())
_WORD_SPLIT_RE = re.compile(f"({_WORD_RE.pattern})")


def normalize_tone_placement(text: str) -> str:
    """Move tone marks to their classic position in every syllable (``hoà`` → ``hòa``)."""
    global _tone_cache
    tokens = set(text.split())
    seen, moving = _tone_cache
    unknown = tokens - seen
    if unknown:
        if len(seen) + len(unknown) > _TONE_CACHE_TOKENS:
            seen, moving = _tone_cache = (set(), set())
            unknown = tokens
        # The words of all new tokens in one scan (a space cannot be inside a word, so the joined tokens
        # hold exactly their words), each distinct word checked once; only when one of them moves are
        # the new tokens looked at one by one.
        words = set(_WORD_RE.findall(" ".join(unknown)))
        moving_words = {w for w in words if _fix_tone_placement(w) != w}
        if moving_words:
            for token in unknown:
                if not moving_words.isdisjoint(_WORD_RE.findall(token)):
                    moving.add(token)  # before ``seen``: a token found there already has its verdict here
        seen.update(unknown)
    present = moving & tokens
    if not present:
        return text
    return _replace_tokens(text, {token: _fixed_token(token) for token in present})


def _fixed_token(token: str) -> str:
    # The same matches as _WORD_RE.sub: split with the pattern captured puts the words at odd indexes.
    parts = _WORD_SPLIT_RE.split(token)
    parts[1::2] = map(_fix_tone_placement, parts[1::2])
    return "".join(parts)


def _replace_tokens(text: str, replacements: dict[str, str]) -> str:
    """``text`` with every whole whitespace-separated occurrence of each key replaced by its value.

    What fixing every word of the text gives when the keys are its tokens holding a word to fix (the words
    of every other token stay as they are), without cutting a whole article into words for a handful of
    them (a third of news articles hold one: "hoà", "thuỷ"). Occurrences are found with str.find; one
    inside a longer token ("xhoà") is not whole and is left, and whole ones of distinct tokens cannot
    overlap.
    """
    spans: list[tuple[int, int, str]] = []
    size = len(text)
    for token, replacement in replacements.items():
        start = text.find(token)
        while start != -1:
            end = start + len(token)
            if (start == 0 or text[start - 1].isspace()) and (end == size or text[end].isspace()):
                spans.append((start, end, replacement))
            start = text.find(token, start + 1)
    spans.sort()
    out: list[str] = []
    cursor = 0
    for start, end, replacement in spans:
        out += (text[cursor:start], replacement)
        cursor = end
    out.append(text[cursor:])
    return "".join(out)


def normalize(text: str, *, keep_newlines: bool = True) -> str:
    """Return the canonical form of ``text``.

    Lone surrogates to U+FFFD; C0 control characters removed (vertical tab, form feed and the separators
    become line breaks); NFC; Đ look-alikes to Đ; Cyrillic/Greek look-alikes inside Latin words and
    numbers to Latin; dash and slash variants to ASCII; invisible characters
    removed; non-breaking and other spaces to a plain space; runs of spaces collapsed; tone marks in
    classic position. Line breaks are kept (headers are read line by line) unless ``keep_newlines`` is
    false.

    Example
    -------
    >>> normalize("Số: 12/QÐ-UBND\u00a0 ngày\u200b 3/2/2024")
    'Số: 12/QĐ-UBND ngày 3/2/2024'
    """
    known = _normal_forms[keep_newlines]
    if text in known:
        return text
    clean = _in_clean_form(text, keep_newlines)
    cleaned = text if clean else _clean(text, keep_newlines)
    result = normalize_tone_placement(cleaned)
    # A fixed point when no tone mark moved (tone placement returns its very argument then, and would again)
    # and the result is in clean form (cleaning it would change nothing): normalize(result) == result.
    if result is cleaned and len(result) >= _NORMAL_FORM_MIN_CHARS and (clean or _in_clean_form(result, keep_newlines)):
        _remember_normal_form(result, keep_newlines)
    return result


# Texts known to be their own normal form, per keep_newlines: normalize() returns them at once. Text is
# normalised on its way into the store and again by the analyser on its way into the index (one batch
# later, in the same process or a worker forked from it): the second time costs a dictionary lookup
# instead of the clean-form check and tone-placement pass (~100 µs for a 2,000-character article). Exact:
# only verified fixed points are kept, and a lookup compares whole strings. Short texts cost little to
# check again and are not kept; the budget in characters (first in, first out) bounds the memory held
# (2 bytes a character for Vietnamese text), enough for the few batches an import has between storing and
# indexing.
_NORMAL_FORM_MIN_CHARS = 256
_NORMAL_FORMS_CHARS = 8_000_000
_normal_forms: tuple[dict[str, None], dict[str, None]] = ({}, {})  # indexed by keep_newlines
_normal_form_chars = [0, 0]
_normal_forms_lock = threading.Lock()


def _after_fork_in_child() -> None:
    """A forked worker (the analyser's, the index's) gets a fresh lock: the fork copied the lock as it was,
    and another thread of the parent (the import storing its next batch) may have held it then — the child
    would wait for it forever. The texts stay known (the worker's second pass is what they are for); the
    count is taken again, since the fork may have come between an entry and its count."""
    global _normal_forms_lock
    _normal_forms_lock = threading.Lock()
    for mode in (False, True):
        _normal_form_chars[mode] = sum(map(len, _normal_forms[mode]))


os.register_at_fork(after_in_child=_after_fork_in_child)


def _remember_normal_form(text: str, keep_newlines: bool) -> None:
    known = _normal_forms[keep_newlines]
    with _normal_forms_lock:
        if text in known:
            return
        known[text] = None
        _normal_form_chars[keep_newlines] += len(text)
        while _normal_form_chars[keep_newlines] > _NORMAL_FORMS_CHARS:
            oldest = next(iter(known))
            del known[oldest]
            _normal_form_chars[keep_newlines] -= len(oldest)


def forget_normal_forms() -> None:
    """Empty the cache of texts known to be normal (tests; a benchmark's cold start)."""
    with _normal_forms_lock:
        for mode in (False, True):
            _normal_forms[mode].clear()
            _normal_form_chars[mode] = 0


def _in_clean_form(text: str, keep_newlines: bool) -> bool:
    """True when :func:`_clean` would return ``text`` unchanged: NFC, no character any of its steps
    replaces or removes, no whitespace but single spaces (and, with ``keep_newlines``, line breaks
    without blank-line runs of three), none at the ends of a line or of the text.

    Text is normalised on its way into the store and again by the analyser on its way into the index
    (and by anything else that reads it): the second time, this check (a few C-level scans) stands in for
    the whole cleaning. It is exact, not a guess that the text "looks normal", because normalize() is
    not idempotent (``hoà`` followed by a combining acute): text that fails it is cleaned as before.
    """
    if not unicodedata.is_normalized("NFC", text) or _UNCLEAN_CHAR_RE.search(text) or "  " in text:
        return False
    if text[:1] in _EDGE_BLANKS or text[-1:] in _EDGE_BLANKS:
        return False
    if keep_newlines:
        return " \n" not in text and "\n " not in text and "\n\n\n" not in text
    return "\n" not in text


def _clean(text: str, keep_newlines: bool) -> str:
    """normalize() without tone placement."""
    text = _without_controls(text)
    text = unicodedata.normalize("NFC", text)
    for alias, mark in _TONE_ALIASES.items():
        if alias in text:
            text = unicodedata.normalize("NFC", text.replace(alias, mark))
    if _LOOKALIKE_RE.search(text):
        text = text.translate(_LOOKALIKES)  # a dict lookup per character: only when there is one
    if _HOMOGLYPH_RE.search(text):  # one C-level scan; the token pass only when there is one
        text = _HOMOGLYPH_TOKEN_RE.sub(_latin_token, text)
    text = _INVISIBLE_RE.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if keep_newlines:
        # Most texts get here for spaces at the ends of lines only: the space pattern (slow: every space
        # could start a match) runs only where it can match, and only the strip is left per line.
        if "  " in text or _ODD_SPACE_RE.search(text):
            lines = [_SPACE_RE.sub(" ", line).strip() for line in text.split("\n")]
        else:
            lines = [line.strip() for line in text.split("\n")]
        text = "\n".join(lines)
        if "\n\n\n" in text:
            text = _BLANK_LINES_RE.sub("\n\n", text)
        text = text.strip()
    else:
        text = _SPACE_RE.sub(" ", text.replace("\n", " ")).strip()
    return text


def _latin_token(match: re.Match[str]) -> str:
    """A token with Cyrillic/Greek look-alikes in Latin letters, when it is a Latin word or number in
    disguise: it also has Latin letters or digits, and every Cyrillic or Greek letter in it is a
    look-alike. "ВТC" and "BYТ," become Latin; "Москва", "ИЖ-27", "α-picolin" stay as written."""
    token = match.group(0)
    latin = token.translate(_HOMOGLYPHS)
    if _LATIN_OR_DIGIT_RE.search(token) and not _OTHER_SCRIPT_RE.search(latin):
        return latin
    return token


def _without_controls(text: str) -> str:
    """Lone surrogates as U+FFFD, whitespace controls as line breaks, other controls removed."""
    if not _ANY_CONTROL_RE.search(text):
        return text  # nearly every text: one scan instead of three
    text = replace_surrogates(text)
    if _CONTROL_BREAK_RE.search(text):
        text = _CONTROL_BREAK_RE.sub("\n", text)
    return _CONTROL_RE.sub("", text)


def has_surrogates(text: str) -> bool:
    """True when ``text`` holds a lone surrogate: Python's stand-in for bytes that were not UTF-8
    (``surrogateescape`` on command-line arguments and standard input) or a broken JSON escape.

    Example
    -------
    >>> has_surrogates(b"K\\xe9 ho\\xe1ch".decode("utf-8", "surrogateescape"))
    True
    >>> has_surrogates("Kế hoạch")
    False
    """
    return _SURROGATE_RE.search(text) is not None


def replace_surrogates(text: str) -> str:
    """``text`` with each lone surrogate replaced by U+FFFD, nothing else changed: for messages that
    quote raw input and must still be printable or encodable as UTF-8.

    Example
    -------
    >>> replace_surrogates("lĩnh vực y\\udce9-te")
    'lĩnh vực y\ufffd-te'
    """
    return _SURROGATE_RE.sub("\ufffd", text) if _SURROGATE_RE.search(text) else text


# The Combining Diacritical Marks block: every Vietnamese mark once decomposed. All of it has a non-zero
# combining class, but U+034F (grapheme joiner), which unicodedata.combining() keeps.
_COMMON_MARKS_RE = re.compile("[\u0300-\u034e\u0350-\u036f]")


def fold(text: str) -> str:
    """Remove all diacritics (``đ`` → ``d``); for matching only, never for display or storage.

    Example
    -------
    >>> fold("Quyết định số 49/2015/QĐ-TTg")
    'Quyet dinh so 49/2015/QD-TTg'
    """
    if text.isascii():
        return text  # no mark, no đ, nothing to decompose
    # đ and Đ neither decompose nor come out of a decomposition: replacing them after NFD is the same.
    decomposed = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    # The common marks go in one C-level pass; a per-character filter is left for other scripts' marks.
    stripped = _COMMON_MARKS_RE.sub("", decomposed)
    if stripped.isascii():
        return stripped
    return "".join(ch for ch in stripped if not unicodedata.combining(ch))


def has_diacritics(text: str) -> bool:
    """True when ``text`` carries any Vietnamese diacritic (so folding it would change it)."""
    return fold(text) != text
