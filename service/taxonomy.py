"""The field (lĩnh vực) labels a data directory accepts: the 14 built-in codes and the active model's labels.

A researcher may train a topic model on their own taxonomy (the public-service portal's fields, "Hải quan",
"Cấp, quản lý căn cước"…). What that model proposes must be what a clerk can choose, keep and type: the pages
offer its labels, and a correction naming one of them is filed as written — never resolved to a built-in
code, since "Đất đai" of the portal is not the built-in ``dat-dai`` when the portal's taxonomy is active.
Anything else is read as now: a built-in code, or a name of one (:func:`corpus.search_filters.resolve_topic`).

The active model's labels are read from its manifest (nothing unpickled) and kept per worker until the
active version changes, so a request pays one small read of the ``active`` pointer.

Example
-------
>>> taxonomy = Taxonomy(("Hải quan", "Hộ tịch"))
>>> taxonomy.resolve("Hải quan"), taxonomy.resolve("y tế"), taxonomy.resolve("Ngoại giao")
('Hải quan', 'y-te', None)
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from corpus.search_filters import TOPICS, foreign_taxonomy, match_label, resolve_topic
from nlp.normalize import normalize

if TYPE_CHECKING:
    from service.services import Services

log = logging.getLogger("vanban.service")

_EXAMPLES = 5  # model labels named in a refusal; the rest are counted
_CACHE_KEY = "topic_taxonomy"  # Services.extras: one cache per worker's services


@dataclass(frozen=True)
class Taxonomy:
    """The field labels accepted now: the built-in codes (``TOPICS``) and ``model_labels``, the active
    model's topic labels as it writes them (empty without an active model)."""

    model_labels: tuple[str, ...] = ()

    @property
    def extra_labels(self) -> tuple[str, ...]:
        """The active model's labels that are not built-in codes (what a researcher's taxonomy adds)."""
        return tuple(label for label in self.model_labels if label not in TOPICS)

    def resolve(self, value: str, *, keep: str | None = None) -> str | None:
        """The label ``value`` names, or None when nothing accepted matches.

        One of the active model's labels (case and Unicode form aside) is returned as the model writes it;
        otherwise a built-in code or name resolves to its code. ``keep``: a value accepted as it is whatever
        the taxonomy (the document's current label, filed when another taxonomy was active).
        """
        text = normalize(value, keep_newlines=False).strip()
        if keep is not None and text == normalize(keep, keep_newlines=False).strip():
            return keep
        if text in TOPICS:
            return text
        model_label = match_label(text, self.model_labels) if self.model_labels else None
        if model_label is not None:
            return model_label
        if self.foreign:  # under another taxonomy a name is not a built-in field ("Giao thông vận tải")
            return None
        return resolve_topic(text)

    @property
    def foreign(self) -> bool:
        """Whether the active model's fields are another taxonomy than the built-in one."""
        return foreign_taxonomy(self.model_labels)

    def refusal(self, value: str) -> str:
        """The clerk's message for ``value`` that names no accepted label (Vietnamese): what is accepted."""
        message = f"Lĩnh vực “{value}” không có; chọn một trong: {', '.join(TOPICS)}"
        extra = self.extra_labels
        if not extra:
            return message + "."
        named = ", ".join(f"“{label}”" for label in extra[:_EXAMPLES])
        more = f" và {len(extra) - _EXAMPLES} lĩnh vực khác" if len(extra) > _EXAMPLES else ""
        return f"{message}; hoặc một trong {len(extra)} lĩnh vực của mô hình đang dùng: {named}{more}."


class ActiveTaxonomy:
    """The :class:`Taxonomy` of one data directory, re-read when its active model version changes."""

    def __init__(self, data_dir: Path) -> None:
        self._data_dir = Path(data_dir)
        self._lock = threading.Lock()
        self._cached: tuple[str | None, Taxonomy] | None = None

    def current(self) -> Taxonomy:
        try:
            from models.registry import Registry
        except Exception as exc:  # the models package unusable: /readyz says so; the built-in codes remain
            log.warning("model labels unavailable: %s", exc)
            return Taxonomy()
        registry = Registry.open(self._data_dir)
        version = registry.active_version()
        cached = self._cached
        if cached is not None and cached[0] == version:
            return cached[1]
        with self._lock:
            labels = registry.active_labels("topic")
            if registry.active_version() != version:  # switched while reading: read again next time
                return Taxonomy(labels)
            taxonomy = Taxonomy(labels)
            self._cached = (version, taxonomy)
            return taxonomy


def taxonomy_of(services: Services) -> Taxonomy:
    """The taxonomy a request of ``services`` works with (its cache lives in ``services.extras``)."""
    active = services.extras.get(_CACHE_KEY)
    if not isinstance(active, ActiveTaxonomy):
        active = services.extras.setdefault(_CACHE_KEY, ActiveTaxonomy(Path(services.settings.data_dir)))
    return active.current()
