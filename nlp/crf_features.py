"""Score tokens with a CRFsuite model without building feature strings: exact, vectorised emission scores.

underthesea's segmenter turns every token into 43 strings (``'T[-1,0].lower=kế hoạch'``...) with
``underthesea_core.CRFFeaturizer`` and looks each one up in the model. Here the same sums come from array
lookups, computed once per distinct token rather than once per occurrence:

* a template over one token (``T[k]``, ``T[k].lower``, ``.isdigit``, ``.istitle``, ``.is_in_dict``) only
  depends on that token, so its weight is a row of a table indexed by the token's id;
* a template over two or three tokens (``T[-1,0]``, ``T[-2,0].is_in_dict``...) joins the tokens with one
  space and then applies its function; the joined string can only be a model attribute (or a dictionary
  entry) if each token is one of the parts of some attribute (entry). Tokens therefore get small integer
  ids, n-grams become integer keys, and a hash set of the known keys answers for a whole batch at once.

The per-token facts (lower case, isdigit, istitle, is_in_dict) come from :mod:`nlp.crf_tokens`, exactly as
the Rust featurizer computes them. What is derived from them follows the featurizer's definitions: a window
starting left of the sentence is the string ``BOS``, else one ending right of it ``EOS``; lower and istitle
of a joined string are the per-token values joined or and-ed, because the separator is a space, which
neither case mapping (its only context rule, final sigma, stops at a space) nor the per-part title check
crosses. A token containing a space (possible through one of underthesea's abbreviation patterns) would
break that decomposition; :attr:`nlp.crf_tokens.TokenTable.space` lets the caller send its sentence down
the reference path.

Emission scores are summed template by template in the featurizer's order, with the float64 additions the
Rust tagger makes (``0.0 + w1 + w2 + ...``), so they are bit-identical to it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from nlp.crf_model import CRFModel

if TYPE_CHECKING:
    from nlp.crf_tokens import TokenTable

_TEMPLATE = re.compile(r"T\[(-?\d+)(?:,(-?\d+))?\](?:\.(\w+))?")
_FUNCTIONS = (None, "lower", "isdigit", "istitle", "is_in_dict")
# Codes of a boolean feature value, in table-row order.
FALSE, TRUE, BOS, EOS = 0, 1, 2, 3
# Rows 1 and 2 of every string-valued table hold the weights of the values "BOS" and "EOS"; row 0 is
# "not a model attribute" (all zeros).
UNKNOWN, _BOS_ROW, _EOS_ROW, _FIRST_ROW = 0, 1, 2, 3


class UnsupportedFeatures(ValueError):
    """A template, label set or model this exact scorer does not cover (use the reference path)."""


@dataclass(frozen=True)
class FeatureTemplate:
    """``T[first]`` or ``T[first,last]``, optionally followed by ``.function``."""

    syntax: str
    first: int
    last: int
    function: str | None

    @property
    def span(self) -> int:
        return self.last - self.first + 1

    @classmethod
    def parse(cls, syntax: str) -> FeatureTemplate:
        match = _TEMPLATE.fullmatch(syntax)
        if match is None:
            raise UnsupportedFeatures(
                f"feature template {syntax!r} is not of the form T[i] / T[i,j].function"
            )
        first = int(match.group(1))
        last = int(match.group(2)) if match.group(2) is not None else first
        function = match.group(3)
        if function not in _FUNCTIONS or last < first or (match.group(2) is not None and last == first):
            raise UnsupportedFeatures(f"feature template {syntax!r} is not supported")
        if last - first > 2 or (function == "isdigit" and last > first):
            raise UnsupportedFeatures(f"feature template {syntax!r} is not supported")
        return cls(syntax, first, last, function)


class _Ids:
    """Strings -> small ids, with 0 = unknown, 1 = BOS padding, 2 = EOS padding."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.strings: list[str] = ["", "BOS", "EOS"]
        self.base = 0  # set by freeze() once every string is in

    def add(self, text: str) -> int:
        ident = self.index.get(text)
        if ident is None:
            ident = self.index[text] = len(self.strings)
            self.strings.append(text)
        return ident

    def key(self, parts: Sequence[str]) -> int | None:
        """The integer key of an n-gram of known strings (base ``len(strings)`` digits)."""
        key = 0
        for part in parts:
            ident = self.index.get(part)
            if ident is None:
                return None
            key = key * self.base + ident
        return key

    def freeze(self) -> None:
        self.base = len(self.strings)


class _KeySet:
    """A static open-addressing hash table of int64 keys, looked up a whole array at a time.

    ``find`` gives, for each query key, ``_FIRST_ROW`` + its position in the sorted key array, or
    ``UNKNOWN``. It replaces ``np.searchsorted``, whose random binary searches dominated scoring.
    """

    _MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing

    def __init__(self, sorted_keys: np.ndarray) -> None:
        self.keys = sorted_keys
        self.bits = max(4, int(2 * max(len(sorted_keys), 1) - 1).bit_length())
        size = 1 << self.bits
        self.slot_keys = np.full(size, -1, dtype=np.int64)
        self.slot_rows = np.zeros(size, dtype=np.intp)
        self.max_probe = 0
        for position, (key, home) in enumerate(
            zip(sorted_keys.tolist(), self._home(sorted_keys).tolist(), strict=True)
        ):
            probe = 0
            while self.slot_keys[(home + probe) & (size - 1)] != -1:
                probe += 1
            self.slot_keys[(home + probe) & (size - 1)] = key
            self.slot_rows[(home + probe) & (size - 1)] = position + _FIRST_ROW
            self.max_probe = max(self.max_probe, probe)

    def _home(self, keys: np.ndarray) -> np.ndarray:
        hashed = keys.astype(np.uint64) * self._MULTIPLIER
        return (hashed >> np.uint64(64 - self.bits)).astype(np.intp)

    def find(self, queries: np.ndarray) -> np.ndarray:
        rows = np.zeros(len(queries), dtype=np.intp)
        if len(self.keys) == 0 or len(queries) == 0:
            return rows
        mask = (1 << self.bits) - 1
        pending = np.arange(len(queries))
        slots = self._home(queries)
        wanted = queries
        for _ in range(self.max_probe + 1):
            found = self.slot_keys[slots]
            hit = found == wanted
            rows[pending[hit]] = self.slot_rows[slots[hit]]
            more = ~hit & (found != -1)  # an empty slot ends the probe sequence: absent
            if not more.any():
                break
            pending, wanted, slots = pending[more], wanted[more], (slots[more] + 1) & mask
        return rows


def _window_keys(ids: np.ndarray, span: int, base: int) -> np.ndarray:
    """Key of the n-gram starting at every position of ``ids`` (the last ``span - 1`` are padding)."""
    keys = ids.astype(np.int64)
    for shift in range(1, span):
        nxt = np.zeros_like(keys)
        nxt[: len(ids) - shift] = ids[shift:]
        keys = keys * base + nxt
    return keys


class CompiledFeatures:
    """The model's weights rearranged per template, ready for :meth:`emission`.

    Parameters
    ----------
    model : the CRF (its attributes must use the template syntax: ``'<template>=<value>'``).
    templates : feature template strings, in the featurizer's order.
    dictionary : the word list behind ``is_in_dict``.
    """

    def __init__(self, model: CRFModel, templates: Sequence[str], dictionary: Iterable[str]) -> None:
        self.templates = [FeatureTemplate.parse(t) for t in templates]
        self.labels = model.labels
        if len(model.labels) != 2:
            raise UnsupportedFeatures(f"expected two labels, the model has {model.labels}")
        self.transition = model.transition
        self.pad = max(max(abs(t.first), abs(t.last)) for t in self.templates)
        by_template: dict[str, dict[str, int]] = {t.syntax: {} for t in self.templates}
        for row, attribute in enumerate(model.attributes):
            syntax, sep, value = attribute.partition("=")
            if sep and syntax in by_template:
                by_template[syntax][value] = row
        self.plain, self.lower = _Ids(), _Ids()
        spans = {t.span for t in self.templates if t.function == "is_in_dict" and t.span > 1}
        self._collect_strings(by_template)
        self._dictionary_parts = self._collect_dictionary(dictionary, spans)
        self.plain.freeze()
        self.lower.freeze()
        self.dict_keys = {
            span: _KeySet(np.unique(np.array([self.lower.key(p) for p in parts], dtype=np.int64)))
            for span, parts in self._dictionary_parts.items()
        }
        del self._dictionary_parts
        for ids in (self.plain, self.lower):
            if ids.base ** max(t.span for t in self.templates) >= 2**62:
                raise UnsupportedFeatures("too many distinct strings for 64-bit n-gram keys")
        self.tables: list[np.ndarray] = []
        self.ngram_keys: dict[tuple[int, str], np.ndarray] = {}
        self._build_tables(model, by_template)
        self.ngram_sets = {kind: _KeySet(keys) for kind, keys in self.ngram_keys.items()}

    def _ids_for(self, template: FeatureTemplate) -> _Ids:
        return self.lower if template.function == "lower" else self.plain

    def _collect_strings(self, by_template: dict[str, dict[str, int]]) -> None:
        for template in self.templates:
            if template.function not in (None, "lower"):
                continue
            ids = self._ids_for(template)
            for value in by_template[template.syntax]:
                parts = value.split(" ")
                if template.span == 1:
                    ids.add(value)
                elif len(parts) == template.span and all(parts):
                    for part in parts:
                        ids.add(part)
                elif value not in ("BOS", "EOS"):
                    # Our tokens never contain a space, so such an attribute could never fire for them;
                    # refuse rather than reason about it.
                    raise UnsupportedFeatures(
                        f"attribute {template.syntax}={value!r} has an unexpected shape"
                    )

    def _collect_dictionary(self, dictionary: Iterable[str], spans: set[int]) -> dict[int, list[list[str]]]:
        parts_by_span: dict[int, list[list[str]]] = {span: [] for span in spans}
        for entry in dictionary:
            if not isinstance(entry, str):
                raise UnsupportedFeatures("dictionary entries must be strings")
            parts = entry.split(" ")
            if len(parts) in parts_by_span and all(parts):
                parts_by_span[len(parts)].append(parts)
                for part in parts:
                    self.lower.add(part)
        return parts_by_span

    def _build_tables(self, model: CRFModel, by_template: dict[str, dict[str, int]]) -> None:
        state, zeros = model.state, np.zeros(len(self.labels))
        # n-gram templates of one kind (span, plain or lower) share a sorted key array, so that a batch
        # looks every n-gram up once, whichever offsets the templates put it at.
        for template in self.templates:
            if template.span > 1 and template.function in (None, "lower"):
                ids, kind = self._ids_for(template), (template.span, template.function or "")
                keys = [
                    ids.key(v.split(" ")) for v in by_template[template.syntax] if v not in ("BOS", "EOS")
                ]
                known = self.ngram_keys.get(kind, np.zeros(0, np.int64))
                self.ngram_keys[kind] = np.union1d(known, np.array(keys, dtype=np.int64))
        for template in self.templates:
            values = by_template[template.syntax]
            if template.function in (None, "lower") and template.span == 1:
                # strings[1] and strings[2] are "BOS" and "EOS", so the padding rows come out right.
                rows = np.array([values.get(s, -1) for s in self._ids_for(template).strings], dtype=np.intp)
                rows[UNKNOWN] = -1
                table = np.where(rows[:, None] >= 0, state[rows], 0.0)
            elif template.function in (None, "lower"):
                ids, union = (
                    self._ids_for(template),
                    self.ngram_keys[(template.span, template.function or "")],
                )
                table = np.zeros((len(union) + _FIRST_ROW, len(self.labels)))
                for value, row in values.items():
                    if value in ("BOS", "EOS"):
                        table[_BOS_ROW if value == "BOS" else _EOS_ROW] = state[row]
                    else:
                        key = ids.key(value.split(" "))
                        # _collect_strings added every part of every n-gram value, so each has a key.
                        assert key is not None, f"n-gram {value!r} was not collected"
                        at = int(np.searchsorted(union, key))
                        table[at + _FIRST_ROW] = state[row]
            else:
                table = np.array(
                    [state[values[v]] if v in values else zeros for v in ("False", "True", "BOS", "EOS")]
                )
            self.tables.append(np.ascontiguousarray(table.T))  # (labels, rows)

    def emission(self, tokens: TokenTable, seq: np.ndarray) -> np.ndarray:
        """Emission scores ``(2, len(seq) - 2 * pad)`` of positions ``pad .. len(seq) - pad`` of ``seq``.

        ``seq`` holds token ids with ``self.pad`` BOS ids (0) before and EOS ids (1) after every sentence;
        scores computed at padding positions are meaningless and left to the caller to skip. Every
        template's value is first computed once per window start of ``seq``, then read through a shifted
        view, so a template costs one table gather and one addition.
        """
        size, pad = len(seq), self.pad
        n = size - 2 * pad
        is_bos, is_eos = seq == 0, seq == 1
        windows: dict[tuple[int, str | None], np.ndarray] = {}

        def window(span: int, function: str | None) -> np.ndarray:
            found = windows.get((span, function))
            if found is not None:
                return found
            if span == 1:
                column = {None: tokens.plain_id, "lower": tokens.lower_id}.get(function)
                rows = (column if column is not None else getattr(tokens, str(function)))[seq]
            else:
                if function in (None, "lower"):
                    ids, base = (
                        (window(1, "lower"), self.lower.base)
                        if function
                        else (window(1, None), self.plain.base)
                    )
                    rows = self.ngram_sets[(span, function or "")].find(_window_keys(ids, span, base))
                    bos, eos = _BOS_ROW, _EOS_ROW
                elif function == "istitle":
                    title = window(1, "istitle") == TRUE
                    run = title.copy()
                    for shift in range(1, span):
                        run[: size - shift] &= title[shift:]
                    rows, bos, eos = run.astype(np.intp), BOS, EOS
                else:
                    keys = _window_keys(window(1, "lower"), span, self.lower.base)
                    rows, bos, eos = (self.dict_keys[span].find(keys) != UNKNOWN).astype(np.intp), BOS, EOS
                # A window starting on BOS padding is "BOS"; else one ending on EOS padding is "EOS".
                ends_eos = np.zeros(size, dtype=bool)
                ends_eos[: size - span + 1] = is_eos[span - 1 :]
                rows = np.where(is_bos, bos, np.where(ends_eos, eos, rows))
            windows[(span, function)] = rows
            return rows

        # One 1-D gather per label: numpy's row gather from a 2-D table is an order of magnitude slower.
        out = np.zeros((len(self.labels), n))
        for template, table in zip(self.templates, self.tables, strict=True):
            start = pad + template.first
            rows = window(template.span, template.function)[start : start + n]
            for label in range(len(self.labels)):
                out[label] += table[label].take(rows)
        return out
