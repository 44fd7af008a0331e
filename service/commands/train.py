"""``vanban train``: train the classifiers on labelled corpora into a new model version."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from service.errors import CliError

# The names ``--param`` accepts (models.pipeline.DEFAULT_PARAMS; a test keeps the two equal). Listed here so
# that ``train --help`` does not import scikit-learn.
PARAM_NAMES = ("C, calibration_folds, char_ngrams, class_weight, expand_abbreviations, folded_ngrams, min_df, "
               "prefix, segment, skip_frame, sublinear_tf, syllable_ngrams, word_ngrams")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "train",
        help="train the document-type and field classifiers into a new model version",
        description="Train on JSON Lines or CSV corpora (import format; JSONL also procedures or legal titles), cross-validate, "
        "and save a new version under <data-dir>/models. Without --corpus: the default recipe "
        "(admin/binhduong.jsonl + admin/sonla.jsonl) of $VANBAN_SHARED_DATA when it is set (refused when that "
        "path holds no such corpus), else of ../shared/data beside the repository, else the demo corpus (with "
        "a warning).",
    )
    parser.add_argument("--corpus", nargs="+", metavar="PATH", help="corpora: JSON Lines (.jsonl, .jsonl.gz) or CSV in the import format")
    parser.add_argument("--store", action="store_true",
                        help="also train on the documents of --data-dir's store: labels from the source or a clerk "
                        "(a model's proposals are left out); alone, or with --corpus files")  # fmt: skip
    parser.add_argument("--task", choices=("doc_type", "topic", "all"), default="all")
    parser.add_argument("--cv", type=int, default=5, metavar="K", help="cross-validation folds: 0 (none) or at least 2")
    parser.add_argument("--param", action="append", default=[], metavar="TASK.NAME=VALUE",
                        help="override a pipeline parameter, e.g. topic.C=0.5 (JSON values); checked before any work. "
                        f"NAME: {PARAM_NAMES} (docs/models.md)")
    parser.add_argument("--holdout", type=float, metavar="FRACTION",
                        help="keep this fraction of each import-format corpus out of training (stratified)")
    parser.add_argument("--holdout-dir", metavar="DIR", help="where the held-out files go (default <data-dir>/heldout)")
    parser.add_argument("--seed", type=int, default=2026, help="seed of the held-out split and the folds")
    parser.add_argument("--activate", action="store_true",
                        help="make the new version the active one, with the checks and warnings of `vanban models "
                        "activate`; refused when it lacks a model the active version has (see --allow-partial)")
    parser.add_argument("--allow-partial", action="store_true",
                        help="with --activate: activate even a version without a model the active one has (a "
                        "version trained with --task topic, or on a corpus of one doc_type)")
    parser.add_argument("--json", action="store_true", help="print the result as one JSON object")
    parser.set_defaults(handler=run)


def _params(items: list[str]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        task, dot, name = key.partition(".")
        if not sep or not dot or task not in ("topic", "doc_type") or not name:
            raise CliError(f"--param cần dạng TÁC_VỤ.THAM_SỐ=GIÁ_TRỊ với TÁC_VỤ là topic hoặc doc_type "
                           f"(ví dụ topic.C=0.5), nhận được “{item}”. Chưa huấn luyện gì.", exit_code=2)  # fmt: skip
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            value = raw
        out.setdefault(task, {})[name] = value
    return out


def shared_data_root() -> tuple[Path, bool]:
    """Where the default recipe is read from, and whether someone chose it: ``$VANBAN_SHARED_DATA`` when it
    is set to another place than ``../shared/data`` beside the repository (``make train`` sets it to that
    default on every machine), else that default."""
    default = Path(__file__).resolve().parents[2].parent / "shared" / "data"
    env = os.environ.get("VANBAN_SHARED_DATA", "").strip()
    if not env:
        return default, False
    root = Path(env).expanduser()
    return root, root.resolve() != default.resolve()


def default_corpora() -> tuple[list[Path], list[str]]:
    """The default recipe's files and the warnings to report with the result.

    A ``$VANBAN_SHARED_DATA`` that holds no corpus is refused (exit 2): a mistyped path must not train, and
    perhaps activate, a model of the demo corpus. Without the variable and without ``../shared/data`` (a
    fresh machine) the demo corpus is used, and the result's warnings say so.
    """
    from models.errors import TrainingDataError
    from models.train import default_recipe

    root, chosen = shared_data_root()
    try:
        return default_recipe(root), []
    except TrainingDataError:
        if chosen:
            raise CliError(
                f"VANBAN_SHARED_DATA chỉ tới {root.resolve()}, nhưng ở đó không có dữ liệu huấn luyện mặc định: cần "
                "tệp admin/binhduong.jsonl (và admin/sonla.jsonl) trong thư mục đó (thư mục shared/data). Chưa "
                "huấn luyện gì. Hãy sửa đường dẫn, bỏ biến này, hoặc chỉ rõ dữ liệu bằng --corpus.",
                exit_code=2,
            ) from None
        from corpus.demo import demo_corpus_path

        print(f"no shared data at {root}: training on the demo corpus", file=sys.stderr)
        return [demo_corpus_path()], [
            f"Không có dữ liệu huấn luyện mặc định ({root}/admin/binhduong.jsonl): mô hình này được huấn luyện trên bộ dữ liệu mẫu (demo), chỉ để thử, không dùng cho văn bản thật. "
            "Đặt VANBAN_SHARED_DATA=/đường/dẫn/shared/data hoặc dùng --corpus."
        ]


def _store_docs(data_dir: str) -> list[Any]:
    """The store's labelled documents: what the office's clerks confirmed."""
    from corpus.migrations import DB_FILENAME
    from corpus.store import Store
    from models.train import docs_from_store

    if not (Path(data_dir) / DB_FILENAME).is_file():
        raise CliError(f"--store: không có kho văn bản trong {data_dir} (thiếu {DB_FILENAME}); kiểm tra --data-dir")
    with Store.open(Path(data_dir)) as store:
        stored = docs_from_store(store)
    print(f"store: {len(stored)} labelled documents (labels only a model proposed left out)", file=sys.stderr)
    return stored


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


def _split(paths: list[Path], args: argparse.Namespace, scratch: Path) -> tuple[list[Path], dict[Path, Path], list[Any]]:
    """With --holdout: the corpora to train on, each import-format one replaced by its training part written
    to ``scratch`` (nothing is written to the held-out directory before training succeeded); the final path
    each scratch file stands for; and the splits to write afterwards."""
    from models.data import holdout_split

    if not args.holdout:
        return paths, {}, []
    kept: list[Path] = []
    final: dict[Path, Path] = {}
    splits = []
    out_dir = _holdout_dir(args)
    for path in paths:
        if _layout(path) != "import":
            kept.append(path)  # auxiliary corpora are never held out
            continue
        split = holdout_split(path, args.holdout, args.seed)
        split.check_target(out_dir)  # a hand-edited file in the way is said before the training, not after
        train_part, _ = split.write(scratch, held=False)
        kept.append(train_part)
        final[train_part] = (out_dir / split.train_name).resolve()
        splits.append((path, split))
    return kept, final, splits


def _holdout_dir(args: argparse.Namespace) -> Path:
    return Path(args.holdout_dir or Path(args.data_dir) / "heldout")


def _corpora(paths: list[Path], final: dict[Path, Path]) -> list[Any]:
    """The corpora read from ``paths``, each recorded under its absolute path (a held-out split's training
    part under the path it is written to after training), never one relative to the working directory."""
    import dataclasses

    from models.data import load_corpora

    corpora = load_corpora(paths) if paths else []
    return [dataclasses.replace(c, path=str(final.get(Path(c.path), Path(c.path).resolve()))) for c in corpora]


def partial_refusal(version: str, lost: list[str]) -> str:
    """Why ``train --activate`` did not activate ``version`` and what to do (Vietnamese)."""
    from models.registry import TASK_NAMES

    names = ", ".join(f"{TASK_NAMES[t]} ({t})" for t in lost)
    return (
        f"Đã huấn luyện và lưu phiên bản {version} nhưng KHÔNG kích hoạt: phiên bản này thiếu mô hình {names} mà "
        "phiên bản đang dùng có (ví dụ dữ liệu chỉ có một loại văn bản, hoặc --task chỉ chọn một tác vụ). Kích hoạt "
        "nó sẽ làm mất các đề xuất đó. Nếu đúng là muốn vậy: `vanban models activate "
        f"{version}` (hoặc chạy lại với --activate --allow-partial); nếu không, hãy huấn luyện lại với dữ liệu "
        "có đủ nhãn."
    )


def _active_info(registry: Any) -> Any:
    """The active version's info, None when there is none or its manifest cannot be read (nothing to lose)."""
    from models.errors import ModelError

    active = registry.active_version()
    try:
        return registry.get(active) if active else None
    except ModelError:
        return None


def run(args: argparse.Namespace) -> int:
    import tempfile

    from models.errors import ModelError
    from models.pipeline import check_params
    from models.registry import Registry, lost_tasks
    from models.train import check_cv, train_docs
    from service.commands.models_cmd import switch

    try:  # before anything is read or written
        check_cv(args.cv)
        params = _params(args.param)
        check_params(params)
    except ModelError as exc:
        raise CliError(exc.message, exit_code=2) from exc
    notices: list[str] = []  # the demo corpus standing in for the default recipe
    if args.corpus:
        paths = [Path(p) for p in args.corpus]
    else:
        paths, notices = ([], []) if args.store else default_corpora()
    tasks = ("topic", "doc_type") if args.task == "all" else (args.task,)
    split: list[dict[str, str]] = []
    registry = Registry.open(args.data_dir)
    warnings: list[str] = list(notices)
    activated = False
    try:
        with tempfile.TemporaryDirectory(prefix="vanban-holdout-") as scratch:
            paths, final, splits = _split(paths, args, Path(scratch))
            stored = _store_docs(args.data_dir) if args.store else []
            corpora = _corpora(paths, final)
            docs = [*stored, *(d for c in corpora for d in c.docs)]
            names = ", ".join([*(["store"] if args.store else []), *(c.name for c in corpora)])
            result = train_docs(docs, registry, corpora=corpora, description=f"corpus: {names}", tasks=tasks,
                                cv=args.cv, params=params, activate=False, seed=args.seed,
                                actor=os.environ.get("USER"),
                                progress=lambda message: print(message, file=sys.stderr, flush=True))  # fmt: skip
        # Only now, training having succeeded, are the split files written (never over another split's).
        for source, part in splits:
            train_part, held = part.write(_holdout_dir(args))
            split.append({"corpus": str(source.resolve()), "train": str(train_part.resolve()),
                          "heldout": str(held.resolve())})  # fmt: skip
            print(f"held out: {held}", file=sys.stderr)
        if args.activate:
            lost = lost_tasks(result.manifest.get("tasks") or {}, _active_info(registry))
            if lost and not args.allow_partial:
                refusal = partial_refusal(result.version, lost)
                print(json.dumps({"version": result.version, "activated": False, "refused": refusal,
                                  "missing_tasks": lost, "holdout": split}, ensure_ascii=False)
                      if args.json else result.version)  # fmt: skip
                raise CliError(refusal)
            _, switched = switch(args.data_dir, registry, "activate", result.version, os.environ.get("USER"))
            warnings += switched
            activated = True
            print(f"activated {result.version}", file=sys.stderr)
    except ModelError as exc:
        raise CliError(exc.message) from exc
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    for warning in warnings:
        print(warning, file=sys.stderr)
    if args.json:
        print(json.dumps({"version": result.version, "activated": activated, "warnings": warnings, "holdout": split,
                          "cv_metrics": result.metrics} | label_notes(result.manifest), ensure_ascii=False))
        return 0
    print(result.version)
    for task, m in result.metrics.items():
        if m:
            labels = len(m.get("per_class") or {})
            print(f"{task}: n={m['n']} accuracy={m['accuracy']:.4f} macro_f1={m['macro_f1']:.4f} "
                  f"over {labels} labels ece={m['ece']:.4f} ({m['folds']}-fold cross-validation)")
        else:
            threshold = (result.manifest["tasks"][task] or {}).get("abstain_threshold")
            print(f"{task}: no cross-validation (too few documents or --cv 0); review threshold {threshold} "
                  "is the default, not chosen on this data")  # fmt: skip
    if not activated:
        print(f"activate with: vanban models activate {result.version}", file=sys.stderr)
    return 0
