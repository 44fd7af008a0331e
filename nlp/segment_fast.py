"""The exact, batched reimplementation of ``underthesea.word_tokenize`` (see :mod:`nlp.segment`).

Text -> tokens with underthesea's own normalisation and (a provably equivalent form of) its tokenizer regex;
tokens -> emission scores with :mod:`nlp.crf_features`; scores -> labels with the tagger's Viterbi
(:func:`nlp.crf_model.viterbi`); labels -> words exactly as ``word_tokenize`` joins them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import chain
from operator import itemgetter
from pathlib import Path
from typing import Any

import numpy as np

from nlp.crf_features import CompiledFeatures, UnsupportedFeatures
from nlp.crf_model import read_crfsuite, viterbi
from nlp.crf_tokens import FACT_TEMPLATES, TokenFacts, TokenTable

MODEL_NAME = "ws_crf_vlsp2013_20230727"
_token_of = itemgetter(1)


def _tokenizer_pattern(regex_tokenize: Any) -> re.Pattern[str]:
    r"""underthesea's tokenizer regex with a shortcut for plain words; it finds exactly the same tokens.

    underthesea tries its ~40 alternatives at every position, spaces included (no alternative can start
    on a space). The derived pattern (1) skips a run of spaces in one step (``(?<!\s)\s*+``: a match never
    ends on a space, so a search only starts after a space when the previous match ended just before it)
    and (2) first tries a word of Vietnamese letters standing between spaces. On such a word every one of
    underthesea's alternatives fails except ``\w+``, which takes the whole word: the others need a digit,
    a dot, a hyphen, an apostrophe, ``@``, ``:`` or ``&`` inside it, with one exception, ``Th.S``/``Th.s``
    (an unescaped dot), which the lookahead ``(?!Th.[Ss])`` leaves to underthesea. Otherwise the original
    alternation runs unchanged, at the same position, with the same look-behind context. The token is
    group 1 either way. Tests compare the tokens with underthesea's own ``tokenize`` on real corpora.
    """
    letters = "a-zA-Z" + "".join(
        sorted(set(regex_tokenize.UPPER[1:-1] + regex_tokenize.LOWER[1:-1]) - set("a-zA-Z"))
    )
    plain_word = rf"(?<!\S)(?!Th.[Ss])[{letters}]+(?!\S)"
    combined = regex_tokenize.regex_patterns_combine
    return re.compile(rf"(?<!\s)\s*+(?P<vanban_token>{plain_word}|{combined})", regex_tokenize.patterns.flags)


def model_dir() -> Path:
    """The directory of underthesea's word-segmentation model inside the installed wheel."""
    from underthesea.pipeline import word_tokenize as wt_module

    return Path(wt_module.__file__).parent / "models" / MODEL_NAME


class _Vocab(dict[str, int]):
    """Raw regex token -> token id; unseen tokens get the next id and wait in ``pending``."""

    def __init__(self, first_id: int) -> None:
        super().__init__()
        self.next_id = first_id
        self.pending: list[str] = []

    def __missing__(self, raw: str) -> int:
        ident = self[raw] = self.next_id
        self.next_id += 1
        self.pending.append(raw)
        return ident


class FastSegmenter:
    """The exact, batched reimplementation of ``underthesea.word_tokenize`` (one per process)."""

    def __init__(self, directory: Path, max_tokens: int = 1_000_000) -> None:
        import joblib
        from underthesea.pipeline.text_normalize import token_normalize
        from underthesea.pipeline.word_tokenize import regex_tokenize
        from underthesea_core import CRFFeaturizer

        # The same pickled template list and word set underthesea's FastCRFSequenceTagger loads.
        templates = joblib.load(directory / "features.bin")
        dictionary = joblib.load(directory / "dictionary.bin")
        model = read_crfsuite(directory / "models.bin")
        if set(model.labels) != {"B-W", "I-W"}:
            raise UnsupportedFeatures(f"unexpected labels {model.labels}")
        self.features = CompiledFeatures(model, templates, dictionary)
        self._inside = model.labels.index("I-W")
        self._facts = TokenFacts(CRFFeaturizer(FACT_TEMPLATES, dictionary), dictionary)
        self._regex = regex_tokenize
        self._pattern = _tokenizer_pattern(regex_tokenize)
        self._token_normalize = token_normalize
        self._max_tokens = max_tokens
        self._reset()

    def _reset(self) -> None:
        self.tokens = TokenTable(self._facts, self.features.plain.index, self.features.lower.index)
        self._vocab = _Vocab(first_id=2)
        self._strings: list[str] = ["", ""]  # normalised token of every id (0, 1: padding)

    def regex_is_original(self) -> bool:
        """False once a ``fixed_words`` call has swapped underthesea's tokenizer regex (global state)."""
        regex = self._regex
        return bool(regex.patterns.pattern == regex.regex_patterns_combine)

    def _register_pending(self) -> None:
        pending = self._vocab.pending
        if pending:
            normalize = self._token_normalize
            normalized = [normalize(raw, use_character_normalize=True) for raw in pending]
            self.tokens.add(normalized)
            self._strings.extend(normalized)
            pending.clear()

    def _score(
        self, texts: Sequence[str]
    ) -> tuple[list[list[int]], list[float], list[float], list[int], list[bool]]:
        """Token ids, emission scores (per label, flat) and where each text starts in them."""
        if len(self._vocab) > self._max_tokens:
            self._reset()  # bounds memory on endless streams; ids are rebuilt on demand
        normalize_text = self._regex.normalize_characters_in_text
        finditer = self._pattern.finditer
        lookup = self._vocab.__getitem__
        id_lists = [list(map(lookup, map(_token_of, finditer(normalize_text(text))))) for text in texts]
        self._register_pending()
        # One padded sequence for the whole batch: pad BOS ids (0), the tokens, pad EOS ids (1), per text.
        pad = self.features.pad
        lengths = np.fromiter(map(len, id_lists), dtype=np.int64, count=len(id_lists))
        total = int(lengths.sum())
        seq = np.zeros(total + 2 * pad * len(texts), dtype=np.int64)
        starts = np.cumsum(lengths + 2 * pad) - lengths - pad  # first real token of each text in seq
        positions = np.arange(total) + np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
        seq[positions] = np.fromiter(chain.from_iterable(id_lists), dtype=np.int64, count=total)
        for k in range(pad):
            seq[starts + lengths + k] = 1
        needs_reference = np.zeros(len(texts), dtype=bool)
        if self.tokens.any_space:
            spaced = np.concatenate(([0], np.cumsum(self.tokens.space[seq[positions]])))
            ends = np.cumsum(lengths)
            needs_reference = spaced[ends] > spaced[ends - lengths]
        scores = self.features.emission(self.tokens, seq) if total else np.zeros((2, 0))
        return (
            id_lists,
            scores[0].tolist(),
            scores[1].tolist(),
            (starts - pad).tolist(),
            needs_reference.tolist(),
        )

    def best_path(self, text: str) -> tuple[list[int], float]:
        """Label ids and score of the best path for ``text`` (what ``CRFTagger.tag_with_score`` gives)."""
        _, e0, e1, _, _ = self._score([text])
        return viterbi(e0, e1, self.features.transition)

    def segment(self, texts: Sequence[str]) -> list[tuple[str, ...] | None]:
        """Words of each text; ``None`` where the text must take the reference path."""
        if not self.regex_is_original():
            return [None] * len(texts)
        id_lists, e0, e1, firsts, needs_reference = self._score(texts)
        transition, inside, strings = self.features.transition, self._inside, self._strings
        out: list[tuple[str, ...] | None] = []
        for ids, first, reference in zip(id_lists, firsts, needs_reference, strict=True):
            if reference:
                out.append(None)
                continue
            last = first + len(ids)
            labels, _ = viterbi(e0[first:last], e1[first:last], transition)
            words: list[str] = []
            for ident, label in zip(ids, labels, strict=True):
                if label == inside and words:
                    words[-1] = words[-1] + " " + strings[ident]
                else:
                    words.append(strings[ident])
            out.append(tuple(words))
        return out
