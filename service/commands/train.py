"""``vanban train``: train the classifiers on labelled corpora into a new model version."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from service.errors import CliError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "train",
        help="train the document-type and field classifiers into a new model version",
        description="Train on JSON Lines or CSV corpora (import format; JSONL also procedures or legal titles), cross-validate, "
        "and save a new version under <data-dir>/models. Without --corpus: the default recipe "
        "(../shared/data, else $VANBAN_SHARED_DATA, else the demo corpus).",
    )
    parser.add_argument("--corpus", nargs="+", metavar="PATH", help="corpora: JSON Lines (.jsonl, .jsonl.gz) or CSV in the import format")
    parser.add_argument("--store", action="store_true",
                        help="also train on the documents of --data-dir's store: labels from the source or a clerk "
                        "(a model's proposals are left out); alone, or with --corpus files")  # fmt: skip
    parser.add_argument("--task", choices=("doc_type", "topic", "all"), default="all")
    parser.add_argument("--cv", type=int, default=5, metavar="K", help="cross-validation folds: 0 (none) or at least 2")
    parser.add_argument("--param", action="append", default=[], metavar="TASK.NAME=VALUE",
                        help="override a pipeline parameter, e.g. topic.C=0.5 (JSON values)")
    parser.add_argument("--holdout", type=float, metavar="FRACTION",
                        help="keep this fraction of each import-format corpus out of training (stratified)")
    parser.add_argument("--holdout-dir", metavar="DIR", help="where the held-out files go (default <data-dir>/heldout)")
    parser.add_argument("--seed", type=int, default=2026, help="seed of the held-out split and the folds")
    parser.add_argument("--activate", action="store_true", help="make the new version the active one")
    parser.add_argument("--json", action="store_true", help="print the result as one JSON object")
    parser.set_defaults(handler=run)


def _params(items: list[str]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        task, dot, name = key.partition(".")
        if not sep or not dot or task not in ("topic", "doc_type"):
            raise CliError(f"--param expects TASK.NAME=VALUE with TASK topic or doc_type, got {item!r}")
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            value = raw
        out.setdefault(task, {})[name] = value
    return out


def default_corpora() -> list[Path]:
    """The default recipe's files, or the demo corpus on a machine without the shared data."""
    from models.errors import TrainingDataError
    from models.train import default_recipe

    env = os.environ.get("VANBAN_SHARED_DATA")
    root = Path(env) if env else Path(__file__).resolve().parents[2].parent / "shared" / "data"
    try:
        return default_recipe(root)
    except TrainingDataError:
        from corpus.demo import demo_corpus_path

        print(f"no shared data at {root}: training on the demo corpus", file=sys.stderr)
        return [demo_corpus_path()]


def _train_with_store(paths: list[Path], data_dir: str, options: dict[str, Any]) -> Any:
    """Train on the store's documents (and ``paths``): what the office's clerks confirmed."""
    from corpus.migrations import DB_FILENAME
    from corpus.store import Store
    from models.data import load_corpora
    from models.registry import Registry
    from models.train import docs_from_store, train_docs

    if not (Path(data_dir) / DB_FILENAME).is_file():
        raise CliError(f"--store: không có kho văn bản trong {data_dir} (thiếu {DB_FILENAME}); kiểm tra --data-dir")
    with Store.open(Path(data_dir)) as store:
        stored = docs_from_store(store)
    print(f"store: {len(stored)} labelled documents (labels only a model proposed left out)", file=sys.stderr)
    corpora = load_corpora(paths) if paths else []
    docs = [*stored, *(d for c in corpora for d in c.docs)]
    names = ", ".join(["store", *(c.name for c in corpora)])
    return train_docs(docs, Registry.open(data_dir), corpora=corpora, description=f"corpus: {names}", **options)


def _layout(path: Path) -> str:
    """The corpus's layout, its notes on labels left unsaid: the training that follows reads it again and
    says them once."""
    import logging

    from models.data import load_corpus

    notes = logging.getLogger("vanban.models.data")
    was, notes.disabled = notes.disabled, True
    try:
        return load_corpus(path).layout
    finally:
        notes.disabled = was


def label_notes(manifest: dict[str, Any]) -> dict[str, Any]:
    """What `train --json` says of the labels beside the metrics: per task, the labels left out for having one
    document (``dropped_labels``); per file, the topic names read as built-in codes (``topic_rewrites``) and the
    files whose topic labels were all kept as written (``topic_labels_as_written``, another taxonomy)."""
    files = manifest.get("corpus", {}).get("files", [])
    return {
        "dropped_labels": {task: spec.get("dropped_labels") or {} for task, spec in manifest.get("tasks", {}).items()},
        "topic_rewrites": {f["name"]: f["topic_rewrites"] for f in files if f.get("topic_rewrites")},
        "topic_labels_as_written": [f["name"] for f in files if f.get("topic_labels") == "as written"],
    }


def run(args: argparse.Namespace) -> int:
    from models.data import split_holdout
    from models.errors import ModelError
    from models.train import check_cv, train

    paths = [Path(p) for p in args.corpus] if args.corpus else ([] if args.store else default_corpora())
    tasks = ("topic", "doc_type") if args.task == "all" else (args.task,)
    split: list[dict[str, str]] = []
    try:
        check_cv(args.cv)  # before the held-out split writes anything
        if args.holdout:
            out_dir = Path(args.holdout_dir or Path(args.data_dir) / "heldout")
            kept = []
            for path in paths:
                if _layout(path) != "import":
                    kept.append(path)  # auxiliary corpora are never held out
                    continue
                train_part, held = split_holdout(path, args.holdout, args.seed, out_dir)
                kept.append(train_part)
                split.append({"corpus": str(path), "train": str(train_part), "heldout": str(held)})
                print(f"held out: {held}", file=sys.stderr)
            paths = kept
        options: dict[str, Any] = dict(tasks=tasks, cv=args.cv, params=_params(args.param), activate=args.activate,
                                       seed=args.seed, actor=os.environ.get("USER"),
                                       progress=lambda message: print(message, file=sys.stderr, flush=True))  # fmt: skip
        result = _train_with_store(paths, args.data_dir, options) if args.store else train(paths, args.data_dir, **options)
    except ModelError as exc:
        raise CliError(exc.message) from exc
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    if args.json:
        print(json.dumps({"version": result.version, "activated": result.activated, "holdout": split,
                          "cv_metrics": result.metrics} | label_notes(result.manifest), ensure_ascii=False))
        return 0
    print(result.version)
    for task, m in result.metrics.items():
        if m:
            labels = len(m.get("per_class") or {})
            print(f"{task}: n={m['n']} accuracy={m['accuracy']:.4f} macro_f1={m['macro_f1']:.4f} "
                  f"over {labels} labels ece={m['ece']:.4f} ({m['folds']}-fold cross-validation)")
        else:
            print(f"{task}: no cross-validation (too few documents or --cv 0)")
    if not result.activated:
        print(f"activate with: vanban models activate {result.version}", file=sys.stderr)
    return 0
