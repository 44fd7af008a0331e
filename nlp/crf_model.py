"""Read a CRFsuite model file (the ``models.bin`` of underthesea's word segmenter) into numpy arrays.

underthesea ships its CRF as a CRFsuite binary ("lCRF" / "FOMC", version 100) and decodes it with
``underthesea_core.CRFTagger`` (Rust). To score tokens without building 43 feature strings per token we need
the weights themselves; this module is a small, independent reader of that format.

File layout (all integers little-endian ``uint32``, offsets from the start of the file)::

    header (48 bytes)  magic "lCRF", file size, model type "FOMC", version, num_features (CRFsuite
                       leaves it 0; the FEAT chunk holds the real count), num_labels, num_attrs,
                       off_features, off_labels, off_attrs, off_labelrefs, off_attrrefs
    FEAT chunk         "FEAT", chunk size, count, then ``count`` records of 20 bytes:
                       type (0 = state: attribute -> label, 1 = transition: label -> label),
                       src, dst, weight (float64)
    labels, attrs      two CQDB string databases ("CQDB", size, flag, byte-order mark, bwd_size,
                       bwd_offset, 256 hash-table references, records, hash tables). We only need
                       id -> string, which CQDB keeps as a "backward" array of ``bwd_size`` record
                       offsets (relative to the CQDB start); a record is id, key size, key bytes + NUL.
    LFRF, AFRF         per-label / per-attribute feature references (not needed for decoding)

The reader mirrors how ``underthesea_core`` interprets the file, so that scores are bit-identical: a state
weight with ``|w| <= 1e-10`` counts as absent, a later duplicate (attribute, label) feature overrides an
earlier one, and a missing weight is 0.0. Files it would read differently (empty backward slots, duplicate
strings, ids out of range) are refused with :class:`CRFModelError` rather than guessed at.

Example
-------
>>> model = read_crfsuite(path)            # doctest: +SKIP
>>> model.labels
('B-W', 'I-W')
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

_HEADER = struct.Struct("<4sI4s9I")
_CQDB_HEADER = struct.Struct("<4s5I")
_FEATURE = np.dtype([("type", "<u4"), ("src", "<u4"), ("dst", "<u4"), ("weight", "<f8")])
# underthesea_core drops state weights this small when it loads a model (CRFModel::set_state_weight).
_ZERO_WEIGHT = 1e-10


class CRFModelError(ValueError):
    """The file is not a CRFsuite model this reader can interpret exactly."""


@dataclass(frozen=True)
class CRFModel:
    """Labels, attribute strings and weights of a first-order linear-chain CRF.

    ``state[a, y]`` is the weight of attribute ``attributes[a]`` for label ``labels[y]`` (0.0 if absent);
    ``transition[y_prev, y]`` the weight of moving from label ``y_prev`` to ``y``.
    """

    labels: tuple[str, ...]
    attributes: tuple[str, ...]
    state: np.ndarray
    transition: np.ndarray

    def attribute_index(self) -> dict[str, int]:
        """Attribute string -> row of :attr:`state`."""
        return {attr: i for i, attr in enumerate(self.attributes)}


def _u32(data: bytes, offset: int) -> int:
    return int(struct.unpack_from("<I", data, offset)[0])


def _read_cqdb(data: bytes, start: int, count: int, what: str) -> tuple[str, ...]:
    """The ``count`` strings of the CQDB at ``start``, in id order, via its backward array."""
    if start + _CQDB_HEADER.size > len(data):
        raise CRFModelError(f"{what}: CQDB header past the end of the file")
    magic, size, _flag, _byteorder, bwd_size, bwd_offset = _CQDB_HEADER.unpack_from(data, start)
    if magic != b"CQDB":
        raise CRFModelError(f"{what}: expected a CQDB block at offset {start}, found {magic!r}")
    if bwd_size < count or start + bwd_offset + 4 * bwd_size > len(data):
        raise CRFModelError(f"{what}: backward array of {bwd_size} ids cannot hold {count} strings")
    offsets = np.frombuffer(data, dtype="<u4", count=count, offset=start + bwd_offset)
    strings: list[str] = []
    for ident, rel in enumerate(offsets.tolist()):
        if rel == 0:
            # underthesea_core skips empty slots and renumbers the rest; refusing keeps ids honest.
            raise CRFModelError(f"{what}: string id {ident} has no record")
        record = start + rel
        stored_id, key_size = struct.unpack_from("<II", data, record)
        key = data[record + 8 : record + 8 + key_size]
        if stored_id != ident or key_size == 0 or len(key) != key_size or key[-1] != 0:
            raise CRFModelError(f"{what}: malformed record for id {ident} at offset {record}")
        try:
            strings.append(key[:-1].decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise CRFModelError(f"{what}: string id {ident} is not UTF-8") from exc
    if len(set(strings)) != len(strings):
        raise CRFModelError(f"{what}: duplicate strings")
    if size and start + size > len(data):
        raise CRFModelError(f"{what}: CQDB block runs past the end of the file")
    return tuple(strings)


def parse_crfsuite(data: bytes) -> CRFModel:
    """Parse the bytes of a CRFsuite model (see the module docstring for the layout)."""
    if len(data) < _HEADER.size:
        raise CRFModelError("file too short for a CRFsuite header")
    fields = _HEADER.unpack_from(data, 0)
    magic, _size, model_type, version = fields[:4]
    _num_features, num_labels, num_attrs, off_features, off_labels, off_attrs = fields[4:10]
    if magic != b"lCRF" or model_type != b"FOMC":
        raise CRFModelError(f"not a CRFsuite first-order model (magic {magic!r}, type {model_type!r})")
    if version != 100:
        raise CRFModelError(f"unsupported CRFsuite model version {version}")
    if data[off_features : off_features + 4] != b"FEAT":
        raise CRFModelError(f"no FEAT chunk at offset {off_features}")
    count = _u32(data, off_features + 8)
    if off_features + 12 + count * _FEATURE.itemsize > len(data):
        raise CRFModelError("FEAT chunk runs past the end of the file")
    features = np.frombuffer(data, dtype=_FEATURE, count=count, offset=off_features + 12)
    labels = _read_cqdb(data, off_labels, num_labels, "labels")
    attributes = _read_cqdb(data, off_attrs, num_attrs, "attributes")

    state = np.zeros((num_attrs, num_labels), dtype=np.float64)
    transition = np.zeros((num_labels, num_labels), dtype=np.float64)
    kinds = features["type"]
    if np.any(kinds > 1):
        raise CRFModelError("unknown feature type in FEAT chunk")
    src = features["src"].astype(np.int64)
    dst = features["dst"].astype(np.int64)
    weight = features["weight"]
    is_state = kinds == 0
    if (
        np.any(dst >= num_labels)
        or np.any(src[is_state] >= num_attrs)
        or np.any(src[~is_state] >= num_labels)
    ):
        raise CRFModelError("feature refers to an unknown label or attribute")
    if not np.all(np.isfinite(weight)):
        raise CRFModelError("non-finite feature weight")
    # A tiny state weight counts as absent, and a later duplicate overrides an earlier one: both as in
    # underthesea_core's loader. Duplicates are not expected, so they take the plain, ordered loop.
    values = np.where(is_state & (np.abs(weight) <= _ZERO_WEIGHT), 0.0, weight)
    keys = np.where(is_state, src * num_labels + dst, -1 - (src * num_labels + dst))
    if len(np.unique(keys)) == len(keys):
        state[src[is_state], dst[is_state]] = values[is_state]
        transition[src[~is_state], dst[~is_state]] = values[~is_state]
    else:
        for kind, a, y, w in zip(kinds.tolist(), src.tolist(), dst.tolist(), values.tolist(), strict=True):
            (state if kind == 0 else transition)[a, y] = w
    return CRFModel(labels=labels, attributes=attributes, state=state, transition=transition)


def read_crfsuite(path: str | Path) -> CRFModel:
    """Read a CRFsuite model file; raises :class:`CRFModelError` for anything it cannot read exactly."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise CRFModelError(f"cannot read CRF model {path}: {exc}") from exc
    return parse_crfsuite(data)


def viterbi(e0: Sequence[float], e1: Sequence[float], transition: np.ndarray) -> tuple[list[int], float]:
    """Best label sequence of a two-label chain and its score, as ``underthesea_core.CRFTagger`` finds it.

    Same float64 operations in the same order (strict ``>``, so ties keep the lower label).
    """
    n = len(e0)
    if n == 0:
        return [], 0.0
    t00, t01, t10, t11 = (float(x) for x in transition.ravel())
    s0, s1 = e0[0], e1[0]
    back0 = [0] * n
    back1 = [0] * n
    for t in range(1, n):
        a, b = s0 + t00, s1 + t10
        if b > a:
            back0[t], a = 1, b
        c, d = s0 + t01, s1 + t11
        if d > c:
            back1[t], c = 1, d
        s0, s1 = a + e0[t], c + e1[t]
    label, score = (1, s1) if s1 > s0 else (0, s0)
    labels = [0] * n
    labels[n - 1] = label
    for t in range(n - 1, 0, -1):
        label = back1[t] if label else back0[t]
        labels[t - 1] = label
    return labels, score
