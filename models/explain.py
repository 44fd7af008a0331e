"""Why a linear model chose a label: the words of the text that pushed it most, quoted as written.

Every TF-IDF feature of every stream (syllable n-grams, words, folded forms, character n-grams, opening
words) knows which syllables it came from (:mod:`models.features`). A feature's contribution to a class —
its weight times its value in this text — is spread over those syllables; syllables add up into the words
the segmenter found; adjacent winning words merge into one phrase. The phrase is cut from the original
text, so a clerk reads "chuyển mục đích sử dụng đất", never ``f:chuyen muc``.

What a clerk must not see: the same phrase twice (a word repeated in a title is one reason, its weights
added), and the frame of the document ("Về việc tổ chức", "trên địa bàn tỉnh"). Frame syllables
(:mod:`models.boilerplate`) never start, end or join a reason for a model that drops frame features (the
topic model); for other models only function words ("của", "về việc") are left out. Nor are these reasons:

* names: the words after a marker of a place, company, institution or industrial park ("xã An Điền",
  "Công ty TNHH Nhà thép Minh Khang", "trường mầm non Tân Lập", "khu công nghiệp Bắc Tân Định"), see
  :func:`_proper_names`;
* the letters of a document code ("ct" of "49-CT/TU"): when a cited code is the only evidence, the reason
  is the whole code as written.

"số" is a function word in a citation ("số 49/QĐ-UBND") or a quantity ("một số"), and the end of a compound
elsewhere ("chuyển đổi số"): there it joins the word before it. A phrase is then tidied so that it reads as
a unit (:func:`_tidy`): it takes the whole of a hyphenated compound ("kinh tế-xã hội") and of an
institution's kind ("trường mầm non"); it does not end on a word that belongs with the next one ("thuê đất
thu | tiền", "không thu | tiền"), nor start or end on a grammar word ("sang", "không", "đồng thời").

Example
-------
>>> reasons = explain(pipeline, analysed_title, class_index=3)   # doctest: +SKIP
>>> [r.text for r in reasons]                                     # doctest: +SKIP
['thuê đất', 'gia hạn thời gian']
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from models.boilerplate import reason_mask
from models.features import NUMBER_TOKEN, AnalyzedText, NgramAnalyzer, surface_offsets
from nlp.normalize import fold as _fold

Offsets = list[tuple[int, int] | None]
Span = tuple[int, int]  # first syllable, end syllable (exclusive)


@dataclass(frozen=True)
class Reason:
    """A phrase of the text and how much it pushed the prediction (in decision-score units)."""

    text: str
    weight: float

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "weight": round(float(self.weight), 4)}


def _evidence(pipeline: Any, doc: AnalyzedText, class_index: int, row: Any = None) -> tuple[np.ndarray, np.ndarray]:
    """Each syllable's share of the class score, and how much the n-grams spanning each boundary push it.

    ``joins[j]`` is the summed contribution of the multi-syllable n-grams that contain both syllable ``j - 1``
    and syllable ``j``: how strongly the model reads the two together for this class.
    """
    union = pipeline.named_steps["features"]
    coef = pipeline.named_steps["clf"].coef_[class_index]
    row = (union.transform([doc]) if row is None else row).tocsr()
    values = dict(zip(row.indices.tolist(), row.data.tolist(), strict=True))
    scores = np.zeros(len(doc.syllables))
    joins = np.zeros(len(doc.syllables) + 1)
    offset = 0
    for _, vectorizer in union.transformer_list:
        vocabulary = vectorizer.vocabulary_
        ngrams = isinstance(vectorizer.analyzer, NgramAnalyzer)
        spans = vectorizer.analyzer.spans(doc)
        counts = Counter(feature for feature, _, _ in spans)
        for feature, start, end in spans:
            column = vocabulary.get(feature)
            if column is None or end <= start:
                continue
            column += offset
            value = values.get(column)
            if not value:
                continue
            contribution = value * coef[column] / counts[feature]
            scores[start:end] += contribution / (end - start)
            if ngrams and end - start > 1:
                joins[start + 1 : end] += contribution
        offset += len(vocabulary)
    return scores, joins


def _drops_frame(pipeline: Any) -> bool:
    union = pipeline.named_steps["features"]
    return any(getattr(v.analyzer, "skip_frame", False) for _, v in union.transformer_list)


def explain(pipeline: Any, doc: AnalyzedText, class_index: int, k: int = 5, row: Any = None) -> tuple[Reason, ...]:
    """The ``k`` phrases of ``doc`` that pushed class ``class_index`` most (positive contributions only).

    ``row`` is the document's feature row when the caller already has it (batch classification). Phrases
    are distinct (compared case- and diacritic-insensitively after merging repeats).
    """
    if not doc.syllables:
        return ()
    scores, joins = _evidence(pipeline, doc, class_index, row)
    text = _Text(doc)
    names, units = _proper_names(text)
    text.split_at(names)
    digital = {i for i in range(len(doc.syllables)) if _content_so(doc, i) and not text.punctuation_before(i, ",")}
    text.glue(sorted(digital))
    codes = _code_pieces(text)
    mask = reason_mask(doc.syllables, _drops_frame(pipeline))
    banned = [(b and i not in digital) or i in names or i in codes for i, b in enumerate(mask)]
    words: list[tuple[int, int, float]] = []  # (first syllable, end syllable, score)
    for start, end in text.words:
        # A word of frame syllables only is never a reason; its share of mixed n-grams is not moved elsewhere.
        score = -np.inf if all(banned[start:end]) else float(scores[start:end].sum())
        words.append((start, end, score))
    top = max((w for _, _, w in words if np.isfinite(w)), default=0.0)
    # Words far weaker than the strongest one are noise to a reader: keep those within 20% of it.
    candidates = sorted(
        (i for i, (s, e, w) in enumerate(words) if w > 0.2 * top and doc.syllables[s:e] != (NUMBER_TOKEN,)),
        key=lambda i: -words[i][2],
    )
    # The k strongest distinct words; a repeat of a chosen word is kept too (it merges into the same reason).
    chosen_set: set[int] = set()
    keys: set[tuple[str, ...]] = set()
    for i in candidates:
        folded = doc.folded[words[i][0] : words[i][1]]
        if folded not in keys and len(keys) == k:
            continue
        keys.add(folded)
        chosen_set.add(i)
    phrases: list[Span] = []
    for i in sorted(chosen_set):
        s, e, _ = words[i]
        if phrases and i - 1 in chosen_set and phrases[-1][1] == s and not text.punctuation_before(s):
            phrases[-1] = (phrases[-1][0], e)
        elif (phrases and i - 2 in chosen_set and phrases[-1][1] == words[i - 1][0] and e - s == 1
              and _links(text, words[i - 1])):
            # "người | công" of "người có công" (people with meritorious service) is one phrase to a reader; not
            # before a compound ("người có | công nhân" is the segmenter's misreading of "người có công nhân dịp")
            phrases[-1] = (phrases[-1][0], e)
        else:
            phrases.append((s, e))
    merged: dict[str, tuple[str, float]] = {}  # key → (first surface form, summed weight)
    for span in phrases:
        tidy = _tidy(text, span, scores, joins, banned, units)
        if tidy is None:
            continue
        s, e = tidy
        shown = text.quote(s, e)
        if not shown:
            continue
        key = reason_key(shown)
        first, total = merged.get(key, (shown, 0.0))
        merged[key] = (first, total + float(scores[s:e].sum()))
    ranked = sorted(merged.values(), key=lambda item: -item[1])
    out: list[Reason] = []
    for shown, w in ranked:
        if w <= 0:
            continue
        key = f" {reason_key(shown)} "
        # "công nghiệp" after "khu công nghiệp" tells the reader nothing new.
        if any(key in f" {reason_key(r.text)} " for r in out):
            continue
        out = [r for r in out if f" {reason_key(r.text)} " not in key] + [Reason(shown, w)]
        if len(out) == k:
            break
    if not out:
        out = _cited_code(text, scores, codes, top)
    return tuple(sorted(out, key=lambda r: -r.weight))


class _Text:
    """A document's words, syllable offsets and punctuation, as the rules below read them."""

    def __init__(self, doc: AnalyzedText) -> None:
        self.doc = doc
        self.offsets: Offsets = surface_offsets(doc)
        self.words: list[Span] = []
        self.word_of: list[int] = []  # syllable → index of its word
        at = 0
        for size in doc.word_sizes:
            self.word_of += [len(self.words)] * size
            self.words.append((at, at + size))
            at += size
        self.cased = doc.text not in (doc.text.lower(), doc.text.upper())
        # Markers of names are matched with their diacritics unless the text was typed without any.
        self.plain = doc.syllables == doc.folded

    def split_at(self, names: set[int]) -> None:
        """Split the words where a name begins or ends inside one ("lê_gia_chuyển" after "Công ty Lê Gia")."""
        words: list[Span] = []
        for start, end in self.words:
            cut = start
            for i in range(start + 1, end):
                if (i in names) != (i - 1 in names):
                    words.append((cut, i))
                    cut = i
            words.append((cut, end))
        self.words = words
        self.word_of = [i for i, (start, end) in enumerate(words) for _ in range(start, end)]

    def glue(self, syllables: list[int]) -> None:
        """Join each of ``syllables`` to the word before it ("chuyển_đổi" + "số": "chuyển đổi số")."""
        for i in syllables:
            w = self.word_of[i]
            if i == 0 or self.words[w][0] != i:
                continue
            self.words[w - 1 : w + 1] = [(self.words[w - 1][0], self.words[w][1])]
            self.word_of = [k for k, (start, end) in enumerate(self.words) for _ in range(start, end)]

    def word_start(self, syllable: int) -> bool:
        return syllable < len(self.word_of) and self.words[self.word_of[syllable]][0] == syllable

    def punctuation_before(self, syllable: int, marks: str = ";:()\"“”") -> bool:
        """Whether one of ``marks`` separates ``syllable`` from the one before it in the text.

        Commas do not split a reason by default: "phòng, chống dịch" is one phrase in Vietnamese usage.
        """
        before = self.offsets[syllable - 1] if syllable > 0 else None
        here = self.offsets[syllable] if syllable < len(self.offsets) else None
        if not (before and here):
            return False
        return any(ch in marks for ch in self.doc.text[before[1] : here[0]])

    def capitalised(self, syllable: int) -> bool:
        span = self.offsets[syllable]
        return span is not None and self.doc.text[span[0]].isupper()

    def quote(self, start: int, end: int) -> str:
        """Syllables ``start:end`` as written, at most :data:`_REASON_SYLLABLES` of them and
        :data:`_REASON_CHARS` characters.

        The text is cut from the first to the last syllable only when that slice stays on one line and is
        no longer than the syllables and their gaps explain; otherwise (offsets that jumped ahead on a
        damaged text, a phrase wrapped across lines) the syllables' own written forms are joined.
        """
        end = self._capped_end(start, end)
        own = [self._written(i) for i in range(start, end)]
        first, last = self.offsets[start], self.offsets[end - 1]
        justified = sum(len(form) for form in own) + _GAP_CHARS * (end - start - 1)
        raw = " ".join(own)
        if first and last and first[0] < last[1] <= first[0] + justified:
            sliced = self.doc.text[first[0] : last[1]]
            if "\n" not in sliced:
                raw = sliced
        return _shortened(" ".join(raw.split()).strip(_QUOTE_EDGES))

    def _capped_end(self, start: int, end: int) -> int:
        """``end``, or the last word end within :data:`_REASON_SYLLABLES` of ``start``: preferably one before a
        comma ("khoa học, công nghệ, đổi mới sáng tạo | , chuyển đổi số"), so that a list is cut between its
        items; a cut inside the first word when it is longer than the cap."""
        limit = start + _REASON_SYLLABLES
        if end <= limit:
            return end
        word_ends = [w_end for _, w_end in self.words[self.word_of[start] : self.word_of[limit - 1] + 1]]
        ends = [w for w in word_ends if start < w <= limit]
        before_comma = [w for w in ends if self.punctuation_before(w, ",;:")]
        return max(before_comma or ends, default=limit)

    def _written(self, syllable: int) -> str:
        span = self.offsets[syllable]
        return self.doc.text[span[0] : span[1]] if span else self.doc.syllables[syllable]

    def chunk(self, syllable: int) -> str:
        """The run of non-space characters the syllable was written in ("49-CT/TU" for "ct")."""
        span = self.offsets[syllable]
        if span is None:
            # The letters of a code are found inside the number's own span ("35-tb/tu" is the "#" before "tb").
            j = syllable - 1
            while j >= 0 and self.offsets[j] is None:
                j -= 1
            if j < 0 or self.doc.syllables[j] != NUMBER_TOKEN:
                return ""
            chunk = self.chunk(j)
            return chunk if self.doc.syllables[syllable] in chunk.lower() else ""
        text, left, right = self.doc.text, span[0], span[1]
        while left > 0 and not text[left - 1].isspace():
            left -= 1
        while right < len(text) and not text[right].isspace():
            right += 1
        return text[left:right].strip(".,;:()\"“”'")


# A reason is a phrase read at a glance, not a passage: "chuyển mục đích sử dụng đất" is 7 syllables.
_REASON_SYLLABLES = 8
_REASON_CHARS = 60
# What may stand between two syllables of one phrase as written: a space and a comma, a hyphen, a quote.
_GAP_CHARS = 3
_QUOTE_EDGES = " ,.;:-–()\"“”'"


def _shortened(text: str) -> str:
    """``text`` cut after its last whole word that ends within :data:`_REASON_CHARS` characters."""
    if len(text) <= _REASON_CHARS:
        return text
    cut = text.rfind(" ", 0, _REASON_CHARS + 1)
    return (text[:cut] if cut > 0 else text[:_REASON_CHARS]).strip(_QUOTE_EDGES)


# -- tidying a phrase ---------------------------------------------------------------------------------------

# Grammar words: they may sit inside a reason ("giao đất không thu tiền") but say nothing at its edge
# ("sang đất", "đất không", "đồng thời chấp thuận"). Lower case, with diacritics.
_GRAMMAR_TEXT = """
sang | vào | ra | lên | qua | bằng | do | bởi | vì | nên | nếu | thì | mà | nhưng | hoặc | hay | khi | như
thuộc | gồm | không | chưa | đã | sẽ | đang | vẫn | cũng | rất | bị | cùng | cả | mỗi | mọi | đồng thời | kể cả
giữa | trước | sau
"""
_GRAMMAR: frozenset[tuple[str, ...]] = frozenset(
    tuple(p.split()) for p in _GRAMMAR_TEXT.replace("\n", "|").split("|") if p.strip()
)
_LAST_GRAMMAR = _GRAMMAR | {("hàng",)}  # "thuê đất hàng | năm"; "hàng giả" and "hàng hóa" start with it
# Negation and aspect: the word after one of them is a verb whose object follows ("không thu | tiền").
_GOVERNING = frozenset({("không",), ("chưa",), ("đã",), ("sẽ",), ("đang",), ("bị",)})
# An edge word goes with the next word when the model reads them together at least this many times as
# strongly as it reads the edge word with the phrase ("thuê đất thu | tiền"). Measured on the BD held-out
# titles: the cut ones are above 2, good phrases ("công bố TTHC | mới", "tiền thuê | đất") below 1.7.
_DANGLING = 2.0
_HEAD = 0.5  # see _belongs_before
# Never the head of the word after them: adverbs that modify the verb before a phrase ("phân bổ thêm | vắc xin",
# "chấp hành nghiêm | chỉ đạo", "văn bản mới | ban hành"). Not grammar words: "nông thôn mới" ends on one.
_ADVERBS = frozenset({"thêm", "mới", "nghiêm", "lại", "đều", "chỉ", "ngay", "kịp", "luôn", "nữa", "hơn", "nhất"})
# Tails of a word the segmenter split ("đơn giản hóa | thủ tục", "nhà ở | xã hội"), unless what comes before
# them may not be a reason (then they start a word: "về hóa chất", "Luật | hóa chất").
_TAILS = frozenset({"hóa", "ở"})
_ROMAN = re.compile(r"^[ivxlc]{2,}$")  # "XXII" (khóa XXII); "vi" and "xi" are also Vietnamese syllables
_NOT_ROMAN = frozenset({"vi", "xi", "li"})
_HYPHEN = re.compile(r"^[^\W\d_]+-[^\W\d_]+$")  # "tế-xã" in "kinh tế-xã hội"


def _tidy(text: _Text, span: Span, scores: np.ndarray, joins: np.ndarray, banned: list[bool],
          units: list[Span]) -> Span | None:
    """``span`` as a reader would cut it (None when nothing readable is left).

    1. A compound written with a hyphen across a word boundary ("kinh tế-xã | hội") is taken whole: the
       text says that the words go together.
    2. A phrase touching the kind of an institution ("trường" in "trường mầm non") takes all of it.
    3. A phrase takes the one-syllable word before it when that word is the head of its first word ("cứu |
       nạn, cứu hộ" is "cứu nạn, cứu hộ"), see :func:`_belongs_before`.
    4. A phrase does not end on a one-syllable word that belongs with the next (not chosen) word: one the
       model reads with the next word far more strongly than with the phrase ("thuê đất thu | tiền" is
       "thuê đất"), or a verb after a negation ("giao đất không thu | tiền" is "giao đất").
    5. Grammar words and Roman numerals are trimmed from both edges.
    """
    doc, (s, e) = text.doc, span
    syl = doc.syllables
    if _HYPHEN.match(syl[e - 1]) and e < len(syl) and _joinable(text, e, e, banned):
        e = text.words[text.word_of[e]][1]
    if _HYPHEN.match(syl[s]) and s > 0 and _joinable(text, s - 1, s, banned):
        s = text.words[text.word_of[s - 1]][0]
    for us, ue in units:
        if us < e and ue > s:
            s, e = min(s, us), max(e, ue)
    if s > 0 and _belongs_before(text, s, scores, joins, banned):
        s -= 1
    last = text.words[text.word_of[e - 1]]
    if (last[0] > s and last[1] - last[0] == 1 and e < len(syl) and _joinable(text, e, e, banned)
            and not text.punctuation_before(last[0], ",")):
        before = text.words[text.word_of[last[0] - 1]]
        governed = text.doc.syllables[before[0] : before[1]] in _GOVERNING  # "không thu | tiền"
        if governed or joins[e] > 0 and joins[e] >= _DANGLING * joins[last[0]]:
            e = last[0]
    while s < e:
        first, last = text.words[text.word_of[s]], text.words[text.word_of[e - 1]]
        if _grammar(text, first, _GRAMMAR):
            s = first[1]
        elif _grammar(text, last, _LAST_GRAMMAR):
            e = last[0]
        else:
            break
    return (s, e) if s < e else None


def _belongs_before(text: _Text, s: int, scores: np.ndarray, joins: np.ndarray, banned: list[bool]) -> bool:
    """Whether the one-syllable word before a phrase starting at ``s`` is the head of its first word ("cứu" of
    "cứu nạn, cứu hộ", which the segmenter left as two words): it pushes the same label, the model reads it
    with the phrase at least half as strongly as on its own, and more strongly than with the word before it
    (the "hóa" of "chuẩn hóa | thủ tục" belongs to "chuẩn", and a reason must not cut that word)."""
    before = text.words[text.word_of[s - 1]]
    if before[1] - before[0] != 1 or not _joinable(text, s - 1, s, banned):
        return False
    own = float(scores[s - 1])
    word = text.doc.syllables[s - 1]
    if word in _ADVERBS or (word in _TAILS and s >= 2 and not banned[s - 2]):
        return False
    return own > 0 and joins[s] >= _HEAD * own and joins[s] > joins[s - 1] and not _grammar(text, before, _GRAMMAR)


# One-syllable words that never stand as a reason but, between two chosen words, make one phrase of them.
_LINK_WORDS = frozenset({("có",)})


def _links(text: _Text, word: tuple[int, int, float]) -> bool:
    start, end, _ = word
    return (
        text.doc.syllables[start:end] in _LINK_WORDS
        and not text.punctuation_before(start)
        and not text.punctuation_before(end)
    )


def _joinable(text: _Text, syllable: int, boundary: int, banned: list[bool]) -> bool:
    """Whether ``syllable``, across the boundary before syllable ``boundary``, belongs with a phrase: it may
    be a reason and no punctuation separates them."""
    return not banned[syllable] and not text.punctuation_before(boundary, ",;:()\"“”")


def _grammar(text: _Text, word: Span, grammar: frozenset[tuple[str, ...]]) -> bool:
    syllables = text.doc.syllables[word[0] : word[1]]
    if syllables in grammar:
        return True
    if len(syllables) == 1 and _ROMAN.match(syllables[0]) and syllables[0] not in _NOT_ROMAN:
        span = text.offsets[word[0]]
        # In normal case a numeral is written in capitals; lower-cased text cannot tell.
        return span is None or not text.cased or text.doc.text[span[0] : span[1]].isupper()
    return False


def _content_so(doc: AnalyzedText, i: int) -> bool:
    """Whether "số" means digital, the end of a compound the segmenter split ("chuyển đổi | số", "kinh tế |
    số"), rather than a citation ("số 49/QĐ-UBND", "đất số BA-179039", "số vào sổ", "số ký hiệu") or a
    quantity ("một số")."""
    if doc.syllables[i] != "số" or i == 0 or doc.syllables[i - 1] in _QUANTIFIERS:
        return False
    after = doc.syllables[i + 1] if i + 1 < len(doc.syllables) else ""
    return not any(ch.isdigit() for ch in after) and after not in _CITATION_AFTER_SO


_QUANTIFIERS = frozenset({"một", "các", "những", "mỗi", "theo", "tổng", "đa"})
_CITATION_AFTER_SO = frozenset({NUMBER_TOKEN, "vào", "hiệu", "ký"})


# -- document codes ----------------------------------------------------------------------------------------

def _code_pieces(text: _Text) -> set[int]:
    """Syllables that are letters of a document code glued to its number ("ct" and "tu" of "49-CT/TU")."""
    out = set()
    for i, syllable in enumerate(text.doc.syllables):
        if syllable == NUMBER_TOKEN or any(ch.isdigit() for ch in syllable):
            continue
        chunk = text.chunk(i)
        if any(ch.isdigit() for ch in chunk) and ("/" in chunk or "-" in chunk):
            out.add(i)
    return out


def _cited_code(text: _Text, scores: np.ndarray, codes: set[int], top: float) -> list[Reason]:
    """When the only evidence is a cited document's code, the code as written ("49-CT/TU"), never a
    fragment of it ("ct"): a clerk reads it as "chỉ thị của Tỉnh ủy"."""
    best: dict[str, float] = {}
    for i in codes:
        chunk = text.chunk(i)
        best[chunk] = best.get(chunk, 0.0) + float(scores[i])
    if not best:
        return []
    chunk, weight = max(best.items(), key=lambda item: item[1])
    return [Reason(chunk, weight)] if weight > 0.2 * max(top, 0.0) and weight > 0 else []


# -- names ---------------------------------------------------------------------------------------------------

class _Phrases:
    """Lower-case phrases, matched as written when a text has diacritics and folded when it has none
    ("áp" in "trấn áp" is not the hamlet marker "ấp", nor "quan" in "cơ quan" the district "quận")."""

    def __init__(self, listing: str | frozenset[tuple[str, ...]]) -> None:
        if isinstance(listing, str):
            listing = frozenset(tuple(p.split()) for p in listing.replace("\n", "|").split("|") if p.strip())
        self.exact = listing
        self.folded = frozenset(_fold_all(p) for p in listing)
        self.longest = max(len(p) for p in listing)

    def __or__(self, other: _Phrases) -> _Phrases:
        return _Phrases(self.exact | other.exact)

    def at(self, text: _Text, j: int) -> tuple[str, ...] | None:
        """The longest phrase starting at syllable ``j`` (folded), or None."""
        tokens, table = (text.doc.folded, self.folded) if text.plain else (text.doc.syllables, self.exact)
        for n in range(min(self.longest, len(tokens) - j), 0, -1):
            if tokens[j : j + n] in table:
                return text.doc.folded[j : j + n]
        return None

    def __contains__(self, folded: object) -> bool:
        return folded in self.folded


def _fold_all(tokens: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(_fold(t) for t in tokens)


# Markers of a name: the words after them name one place, company, school or industrial park ("xã An
# Điền", "Công ty TNHH Minh Phát", "trường mầm non Phú Chánh", "khu công nghiệp Nam Tân Uyên"). A name is
# true of one document, never a reason for its class.
_PLACE_MARKERS = _Phrases("xã | phường | huyện | quận | thị xã | thị trấn | thành phố | ấp | khu phố | tỉnh")
# A company's marker is its kind ("công ty", "doanh nghiệp tư nhân") and legal form ("TNHH MTV"): all of it
# is left out, and the name after it runs to the verb of the title ("… Hiệp Trí được chuyển mục đích").
_COMPANY_MARKERS = _Phrases("công ty | tổng công ty | doanh nghiệp tư nhân | tnhh | cổ phần | ctcp")
_LEGAL_FORMS = _Phrases("""
tnhh | cổ phần | ctcp | mtv | một thành viên | hai thành viên | trách nhiệm hữu hạn | liên doanh | hợp danh
""")
# An institution's kind is a reason ("trường mầm non" for education); the name after it is not.
_INSTITUTION_MARKERS = _Phrases("""
bệnh viện | khu công nghiệp | cụm công nghiệp | kcn | ccn | khu chế xuất | khu dân cư | khu nhà ở
khu đô thị | khu đô thị mới | khu tái định cư | khu chung cư
trường mầm non | trường mẫu giáo | trường tiểu học | trường trung học cơ sở | trường trung học phổ thông
trường thcs | trường thpt | trường phổ thông | trường ptdtnt | trường ptdtbt | trường phổ thông dân tộc nội trú
trường phổ thông dân tộc bán trú | trường cao đẳng | trường đại học | trường trung cấp | trường chính trị
""")
_MARKERS = _PLACE_MARKERS | _COMPANY_MARKERS | _INSTITUTION_MARKERS
# What ends a name besides punctuation and another marker: a function word (with its diacritics: "năm"
# ends a name, "Nam" does not) and, after a company in lower-cased text, the verb that opens the title's
# request ("chuyển", "thuê", "gia hạn").
_NAME_ENDS = _Phrases("""
của | và | cho | tại | theo | để | với | đối với | những | một | số | trong | từ | đến | này | đó | là | được
có | năm | tháng | ngày | về | trên | các | thuộc | do | bởi | sang | khi | nhằm | v/v
""")
_COMPANY_VERBS = _Phrases("""
chuyển | thuê | gia hạn | sử dụng | điều chỉnh | giao | trả | thực hiện | làm | tự nguyện | đã | bị | xin | nhận
""")
_NAME_SYLLABLES = {"place": 3, "institution": 6, "company": 16}  # longest name in lower-cased text


def _proper_names(text: _Text) -> tuple[set[int], list[Span]]:
    """Syllables of names (and of company markers, "Công ty TNHH"), and the spans of institution kinds.

    A name is the whole words after a marker, stopping at punctuation, a function word or another marker;
    in texts written in normal case it is the capitalised syllables, in lower-cased text at most 3 syllables
    after a place, 6 after an institution, 16 after a company (where the verb of the title also ends it).
    "xã hội" is not a commune, "cổ phần hóa" not a company.
    """
    folded = text.doc.folded
    names: set[int] = set()
    units: list[Span] = []
    j = 0
    while j < len(folded):
        marker = _MARKERS.at(text, j)  # anywhere ("xã" ends the word "hợp_tác_xã"); the name starts a word
        after = j + len(marker) if marker else j
        if marker is None or after >= len(folded) or not text.word_start(after) or (
                folded[after] == "hoi" and marker[-1] == "xa" or folded[after] == "hoa" and marker == ("co", "phan")):
            j += 1
            continue
        if marker in _INSTITUTION_MARKERS:
            kind = "institution"
            units.append((j, after))
        elif marker in _PLACE_MARKERS:
            kind = "place"
        else:
            kind = "company"
            while (form := _LEGAL_FORMS.at(text, after)) is not None:  # "công ty TNHH MTV …"
                after += len(form)
            names.update(range(j, after))
        end = _name_end(text, after, kind, strong=marker[0] in ("cong", "tong", "doanh"))
        names.update(range(after, end))
        j = max(end, j + 1)
    return names, units


def _name_end(text: _Text, start: int, kind: str, strong: bool) -> int:
    """Where the name starting at ``start`` ends (exclusive); ``strong``: after "công ty", not a bare "TNHH"."""
    syllables = text.doc.syllables
    limit = _NAME_SYLLABLES[kind] if kind != "company" or strong else _NAME_SYLLABLES["place"]
    k = start
    while k < len(syllables):
        if text.punctuation_before(k, ",;:()\"“”"):
            break  # a name neither starts nor goes on after punctuation ("cơ quan, đơn vị")
        at_word = text.word_start(k)
        # "công ty đầu tư và phát triển …": in lower-cased text a company's name goes on after "và".
        goes_on = strong and kind == "company" and syllables[k] == "và" and not text.cased
        if at_word and _NAME_ENDS.at(text, k) is not None and not goes_on:
            break
        if syllables[k] == NUMBER_TOKEN and kind == "place":
            break
        if k > start and at_word and _MARKERS.at(text, k) is not None:
            break
        if text.cased:
            if not text.capitalised(k) and syllables[k] != NUMBER_TOKEN:
                break
        # The segmenter often glues the verb to the name ("lê_gia_chuyển"): checked at every syllable.
        elif kind == "company" and _COMPANY_VERBS.at(text, k) is not None or at_word and (
                text.words[text.word_of[k]][1] - start > limit):
            break  # lower-cased text: whole words, at most `limit` syllables
        k += 1
    return k


_WORD = re.compile(r"\w+")


def reason_key(text: str) -> str:
    """How two reasons are compared for duplicates: case, diacritics, punctuation and spacing ignored
    ("SẢN XUẤT, KINH DOANH" of a title and "sản xuất kinh doanh" of the body are one reason)."""
    return " ".join(_WORD.findall(_fold(text.lower())))


def repeats(reason: str, given: Iterable[str]) -> bool:
    """Whether ``reason`` says nothing new next to the ``given`` ones: the same words, or words inside one of
    them or around one of them ("nạn cứu hộ" next to "cứu nạn, cứu hộ")."""
    key = f" {reason_key(reason)} "
    for other in given:
        other_key = f" {reason_key(other)} "
        if key in other_key or other_key in key:
            return True
    return False
