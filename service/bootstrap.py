"""Getting a data directory ready to serve: the demo corpus on an empty one, an index in step with the store.

:func:`bootstrap_demo` is what ``make run`` relies on: on an empty data directory it imports the demo corpus
(documents of the fictional province of Sông Mây), builds the search index and trains the default model on
it, then activates that model. On a directory that already holds documents it changes nothing but the index.

:func:`prepare_index` runs before the server starts (in the parent process, once, even with several
workers): it rebuilds a missing or outdated index from the store and otherwise brings it up to date
incrementally — ``vanban import`` writes the store only, so documents imported while the service was
stopped become searchable here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from corpus.index import SearchIndex, index_path
from corpus.search_errors import IndexBusy, IndexMissing, IndexOutdated
from corpus.store import Store

log = logging.getLogger("vanban.bootstrap")

Say = Callable[[str], None]


@dataclass
class BootstrapReport:
    """What getting ready did."""

    documents: int = 0
    imported: int = 0
    indexed: int = 0
    rebuilt: bool = False
    model_version: str | None = None
    trained: bool = False
    notes: list[str] = field(default_factory=list)


def prepare_index(store: Store, data_dir: Path, say: Say = log.info) -> tuple[int, bool]:
    """Make the index match the store; returns (documents indexed, rebuilt?)."""
    path = index_path(data_dir)
    try:
        index = SearchIndex.open(path, create=False)
    except IndexMissing:
        if store.count() == 0:
            SearchIndex.open(path, create=True)
            return 0, False
        say(f"building the search index of {store.count()} documents…")
        index = SearchIndex.rebuild(store, path)
        return index.num_docs, True
    except IndexOutdated as exc:
        say(f"the search index was built by another version ({exc.found}); rebuilding it…")
        index = SearchIndex.rebuild(store, path)
        return index.num_docs, True
    try:
        report = index.sync(store)
    except IndexBusy:
        # An import holds the index: serve all the same; what the store holds beyond the index is indexed
        # by that import's own catch-up or the next start, and /readyz says the index is behind (QA: a
        # restart with writes pending refused to start until the import ended).
        say("the search index is busy (another process is writing it): starting without catching up; "
            "`vanban index` catches up, /readyz reports in_step")  # fmt: skip
        return 0, False
    if report.indexed or report.deleted:
        say(f"search index brought up to date: {report.indexed} indexed, {report.deleted} removed")
    return report.indexed, False


def _refusal(data_dir: Path, version: str) -> str | None:
    """Why this code cannot load ``version`` (its manifest checked, nothing unpickled), or None."""
    from service.services import open_registry

    registry, error = open_registry(data_dir)
    if error or registry is None:
        return error
    try:
        registry.check(version)
    except Exception as exc:  # noqa: BLE001 - every refusal of the registry is a reason to say
        return str(getattr(exc, "message", exc))
    return None


def _active_model(data_dir: Path) -> tuple[str | None, str | None]:
    """(active version, why none can be known) without failing when the models package is unusable."""
    from service.services import open_registry

    registry, error = open_registry(data_dir)
    return (None, error) if error else (registry.active_version(), None)


def bootstrap_demo(
    data_dir: Path | str, *, train: bool = True, cv: int | None = None, say: Say = log.info
) -> BootstrapReport:
    """Import the demo corpus into an empty data directory, index it and train the default model
    (``cv``: cross-validation folds for its metrics; None for the recipe's default)."""
    from corpus.demo import demo_corpus_path
    from corpus.importer import import_paths

    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    report = BootstrapReport()
    with Store.open(data_dir) as store:
        if store.count() == 0:
            say(f"empty data directory {data_dir}: importing the demo corpus (tỉnh Sông Mây)…")
            imported = import_paths(store, [demo_corpus_path()], actor="demo", progress=False)
            report.imported = imported.inserted
            if imported.errors:
                report.notes.extend(e.describe() for e in imported.errors[:5])
        else:
            report.notes.append(f"{data_dir} already holds {store.count()} documents: nothing imported")
        report.indexed, report.rebuilt = prepare_index(store, data_dir, say)
        report.documents = store.count()
        active, error = _active_model(data_dir)
        stale = _refusal(data_dir, active) if active is not None and not error else None
        if stale:
            # Made by another version of the code (features, scikit-learn): it cannot classify, so the demo
            # trains a current one and activates it; the old version stays listed, for a rollback after a
            # downgrade.
            report.notes.append(f"active model {active} cannot be loaded ({stale}): training a current one")
        if error:
            report.notes.append(f"models unavailable, no model trained: {error}")
        elif (active is None or stale) and train:
            from service.models_adapter import train_default

            say("training the default model on the corpus…")
            report.model_version = train_default(store, data_dir, activate=True, cv=cv)
            report.trained = True
        else:
            report.model_version = active
    return report
