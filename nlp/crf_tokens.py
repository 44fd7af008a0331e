"""Per-token facts for the CRF features, exactly as ``underthesea_core.CRFFeaturizer`` computes them.

The featurizer's one-token functions are Rust: ``lower`` is ``str::to_lowercase``, ``isdigit`` is
``parse::<i32>()`` succeeding, ``istitle`` compares the first character of each space-separated part with its
``to_uppercase``, ``is_in_dict`` looks the lower case up in the word list. Asking the featurizer costs ~10 µs
per token, so :class:`TokenFacts` answers in Python where Python provably agrees and asks Rust otherwise:

* Python's ``str.lower``/``str.upper`` and Rust's agree character by character except where their Unicode
  versions differ, and both apply context only to capital sigma (final form). So on start-up every
  character of the Latin, Vietnamese, combining-mark and punctuation blocks below is checked against the
  featurizer itself (a few milliseconds); the agreeing ones, minus ``Σ``, form the *safe* set.
* A token made only of safe characters, without a space, gets its facts from Python; any other token
  (Greek, CJK, emoji, a space from ``Th.S``...) from the featurizer.
* ``isdigit`` is reproduced as "optional sign, ASCII digits, fits in i32", checked on start-up on
  boundary cases; if any disagrees, Python is not used at all.

:class:`TokenTable` keeps those facts per token id as numpy arrays for :mod:`nlp.crf_features`.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from typing import Any

import numpy as np

from nlp.crf_features import BOS, EOS, UNKNOWN

FACT_TEMPLATES = ["T[0].lower", "T[0].isdigit", "T[0].istitle", "T[0].is_in_dict"]
_CHECKED_BLOCKS = ((0x0000, 0x0250), (0x0300, 0x0370), (0x1E00, 0x1F00), (0x2000, 0x2070), (0x20A0, 0x20D0))
_I32 = re.compile(r"[+-]?[0-9]+")
_DIGIT_CASES = [
    "0", "007", "123", "2147483647", "2147483648", "-2147483648", "-2147483649", "+1", "-0", "-", "+",
    "1-2", "1.5", "1,5", "1_000", "٣", "１２", "99999999999",
]  # fmt: skip

Facts = tuple[str, bool, bool, bool]  # lower, isdigit, istitle, is_in_dict


def _python_isdigit(token: str) -> bool:
    return _I32.fullmatch(token) is not None and -(2**31) <= int(token) < 2**31


class TokenFacts:
    """Exact one-token facts, from Python where it agrees with the featurizer, else from the featurizer.

    ``featurizer`` is a ``CRFFeaturizer(FACT_TEMPLATES, dictionary)``.
    """

    def __init__(self, featurizer: Any, dictionary: Collection[str]) -> None:
        self._featurizer = featurizer
        self._dictionary = dictionary if isinstance(dictionary, (set, frozenset)) else set(dictionary)
        candidates = [
            chr(c) for start, end in _CHECKED_BLOCKS for c in range(start, end) if chr(c) not in " Σ"
        ]
        rust = self.rust_facts(candidates)
        safe = {c for c, fact in zip(candidates, rust, strict=True) if self._python_facts(c) == fact}
        digits_agree = self.rust_facts(_DIGIT_CASES) == [self._python_facts(t) for t in _DIGIT_CASES]
        self.safe: frozenset[str] = frozenset(safe if digits_agree else ())

    def rust_facts(self, tokens: Sequence[str]) -> list[Facts]:
        """The featurizer's answers (``T[0].<function>=<value>``), one token per sentence."""
        out: list[Facts] = []
        for (row,) in self._featurizer.process([[[token]] for token in tokens]):
            lower, digit, title, in_dict = (fact.partition("=")[2] for fact in row)
            out.append((lower, digit == "True", title == "True", in_dict == "True"))
        return out

    def _python_facts(self, token: str) -> Facts:
        lower = token.lower()
        first = token[:1]
        return lower, _python_isdigit(token), first.upper() == first, lower in self._dictionary

    def facts(self, tokens: Sequence[str]) -> list[Facts]:
        safe = self.safe
        out: list[Facts | None] = [
            self._python_facts(t) if t and " " not in t and safe.issuperset(t) else None for t in tokens
        ]
        slow = [i for i, fact in enumerate(out) if fact is None]
        if slow:
            for i, fact in zip(slow, self.rust_facts([tokens[i] for i in slow]), strict=True):
                out[i] = fact
        return out  # type: ignore[return-value]


class TokenTable:
    """Facts per token id as arrays, grown as new tokens arrive. Ids 0 and 1 are BOS and EOS padding.

    ``plain_id``/``lower_id``: the token's (lower-cased) string as an id of the model's strings (0 when the
    model never saw it); ``isdigit``, ``istitle``, ``is_in_dict``: codes FALSE/TRUE (BOS/EOS for padding);
    ``space``: the token contains a space (its sentence takes the reference path).
    """

    def __init__(
        self, facts: TokenFacts, plain: dict[str, int], lower: dict[str, int], capacity: int = 4096
    ) -> None:
        self._facts = facts
        self._plain, self._lower = plain, lower
        self.plain_id = np.zeros(capacity, dtype=np.intp)
        self.lower_id = np.zeros(capacity, dtype=np.intp)
        self.isdigit = np.zeros(capacity, dtype=np.intp)
        self.istitle = np.zeros(capacity, dtype=np.intp)
        self.is_in_dict = np.zeros(capacity, dtype=np.intp)
        self.space = np.zeros(capacity, dtype=bool)
        self.size = 2
        self.plain_id[:2] = (1, 2)
        self.lower_id[:2] = (1, 2)
        for codes in (self.isdigit, self.istitle, self.is_in_dict):
            codes[:2] = (BOS, EOS)
        self.any_space = False

    def __len__(self) -> int:
        return self.size

    def _grow(self, needed: int) -> None:
        capacity = len(self.plain_id)
        if needed <= capacity:
            return
        capacity = max(needed, 2 * capacity)
        for name in ("plain_id", "lower_id", "isdigit", "istitle", "is_in_dict", "space"):
            old = getattr(self, name)
            new = np.zeros(capacity, dtype=old.dtype)
            new[: len(old)] = old
            setattr(self, name, new)

    def add(self, tokens: Sequence[str]) -> None:
        """Append ``tokens`` (already normalised) as ids ``len(self)`` onwards."""
        if not tokens:
            return
        start, end = self.size, self.size + len(tokens)
        self._grow(end)
        facts = self._facts.facts(tokens)
        plain, lower = self._plain, self._lower
        self.plain_id[start:end] = [plain.get(t, UNKNOWN) for t in tokens]
        self.lower_id[start:end] = [lower.get(f[0], UNKNOWN) for f in facts]
        for column, name in ((1, "isdigit"), (2, "istitle"), (3, "is_in_dict")):
            getattr(self, name)[start:end] = [f[column] for f in facts]
        spaced = [" " in t for t in tokens]
        if any(spaced):
            self.space[start:end] = spaced
            self.any_space = True
        self.size = end
