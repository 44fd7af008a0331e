"""VNTC news topic classification with vanban's pipeline machinery, next to the published anchors.

Trains on VNTC's train split and scores its test split (../shared/data/bench/vntc) with one of two models:
``svm``, ``models.pipeline`` (TF-IDF streams → LinearSVC), or ``lm``, ``Analyze`` → a per-class syllable
n-gram language model with Kneser-Ney smoothing (``models.ngram_lm``, the approach of Vu et al.). Prints
accuracy, weighted F1 and timings beside the anchors: SVM 93.4% and n-gram LM 97.1% (Vu et al., RIVF 2007),
underthesea's TF-IDF+LinearSVC 92.49% / 92.40% weighted F1 (all on the full official split; this copy holds
~96% of it).

    .venv/bin/python bench/vntc_classify.py                    # TF-IDF + LinearSVC on syllables (the default)
    .venv/bin/python bench/vntc_classify.py --segment          # with underthesea words (~20 min more)
    .venv/bin/python bench/vntc_classify.py --model lm         # n-gram LM on syllables (~6 min)
    .venv/bin/python bench/vntc_classify.py --limit 2000       # a quick smoke run
    .venv/bin/python bench/vntc_classify.py --dev 0.2 --order 2   # tune on held-out train docs, never test
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

ANCHORS = [("SVM (Vu et al., RIVF 2007)", 0.934, None), ("underthesea TF-IDF+LinearSVC", 0.9249, 0.9240),
           ("n-gram LM (Vu et al., RIVF 2007)", 0.971, None)]
# LM settings chosen on --dev 0.2 (seeded 20% of the train file, never the test file), accuracy there:
# n=1 86.75%, n=2 90.77%, n=3 91.16%; n=3 with the all-class unigram as back-off 91.25%, and plain
# absolute discounting instead of Kneser-Ney 90.80%; D=0.8 fixed 91.08% vs estimated (~0.8) 91.16%;
# modified Kneser-Ney (three discounts) 91.28%, within noise. The SVM scores 92.92% on the same split, so
# it stays the default model.
ORDER = 3
TEST_CHUNK = 5_000  # test documents analysed and predicted at once


def _read(path: Path, limit: int | None) -> tuple[list[str], list[str]]:
    texts, labels = [], []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        lines = handle.readlines()
    step = max(1, len(lines) // limit) if limit else 1  # the files are sorted by label: sample evenly
    for line in lines[::step][: limit or None]:
        record = json.loads(line)
        texts.append(record["text"])
        labels.append(record["label"])
    return texts, labels


def _build(args: argparse.Namespace) -> Any:
    from sklearn.pipeline import Pipeline

    from models.features import Analyze
    from models.ngram_lm import NgramLMClassifier
    from models.pipeline import build_pipeline

    if args.model == "lm":
        lm = NgramLMClassifier(order=args.order, discount=args.discount, kneser_ney=not args.no_kneser_ney,
                               background=not args.uniform_base)
        return Pipeline([("analyze", Analyze(segment=args.segment)), ("clf", lm)])
    params = {
        "segment": args.segment, "syllable_ngrams": [1, 2], "word_ngrams": [1, 2] if args.segment else None,
        "folded_ngrams": None, "char_ngrams": None, "expand_abbreviations": False, "prefix": 0, "min_df": 2,
        "C": args.C, "calibration_folds": 0,
    }
    return build_pipeline("topic", params)


def _describe(args: argparse.Namespace) -> str:
    if args.model == "svm":
        return f"svm C={args.C}"
    smoothing = "AD" if args.no_kneser_ney else "KN"
    base = "uniform" if args.uniform_base else "bg"
    return f"lm n={args.order} {smoothing} D={args.discount or 'auto'} {base}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    env = os.environ.get("VANBAN_SHARED_DATA")
    parser.add_argument("--data", default=str(Path(env) if env else REPO.parent / "shared" / "data"))
    parser.add_argument("--segment", action="store_true", help="add underthesea word features (slow)")
    parser.add_argument("--limit", type=int, help="use N documents of each split, sampled evenly")
    parser.add_argument("--model", choices=("lm", "svm"), default="svm", help="n-gram LM or TF-IDF+LinearSVC")
    parser.add_argument("--C", type=float, default=1.0, help="SVM regularisation (1.0 measured best of 0.3, 1, 3)")
    parser.add_argument("--order", type=int, default=ORDER, help="LM n-gram order")
    parser.add_argument("--discount", type=float, help="LM absolute discount (default: estimated from counts)")
    parser.add_argument("--no-kneser-ney", action="store_true", help="LM: plain absolute discounting")
    parser.add_argument("--uniform-base", action="store_true", help="LM: unigrams back off to uniform only")
    parser.add_argument("--dev", type=float, help="score on this fraction of the train file, not on test")
    args = parser.parse_args(argv)

    from sklearn.metrics import accuracy_score, f1_score

    from models.features import analyze_texts

    root = Path(args.data) / "bench" / "vntc"
    if not (root / "train.jsonl.gz").is_file():
        print(f"VNTC not found under {root}", file=sys.stderr)
        return 2
    train_x, train_y = _read(root / "train.jsonl.gz", args.limit)
    if args.dev:  # a stratified, seeded hold-out of the train file: tuning never sees the test file
        from sklearn.model_selection import train_test_split

        train_x, test_x, train_y, test_y = train_test_split(
            train_x, train_y, test_size=args.dev, stratify=train_y, random_state=0)
    else:
        test_x, test_y = _read(root / "test.jsonl.gz", args.limit)
    split = f"dev ({args.dev:.0%} of train)" if args.dev else "test"
    print(f"VNTC: {len(train_x)} train, {len(test_x)} {split} documents, model={args.model}, "
          f"segment={args.segment}", file=sys.stderr)
    started = time.perf_counter()
    analysed = analyze_texts(train_x, segment=args.segment)
    analysed_at = time.perf_counter()
    pipeline = _build(args).fit(analysed, train_y)
    trained = time.perf_counter()
    predicted: list[str] = []
    for at in range(0, len(test_x), TEST_CHUNK):  # analysed texts of all 49k test documents take ~8 GB
        predicted.extend(pipeline.predict(analyze_texts(test_x[at : at + TEST_CHUNK], segment=args.segment)))
    tested = time.perf_counter()
    acc = accuracy_score(test_y, predicted)
    wf1 = f1_score(test_y, predicted, average="weighted")
    print(f"{'system':<40} {'accuracy':>9} {'weighted F1':>12}")
    print(f"{f'vanban {_describe(args)} ({split})':<40} {acc:>9.2%} {wf1:>12.2%}")
    for name, a, f in ANCHORS:
        print(f"{name:<40} {a:>9.2%} {(f'{f:.2%}' if f else '—'):>12}")
    print(f"ratio to best linear anchor: {acc / ANCHORS[0][1]:.3f}, to the n-gram LM: {acc / ANCHORS[2][1]:.3f}")
    print(f"time: analyse {analysed_at - started:.0f} s, fit {trained - analysed_at:.0f} s, "
          f"test (analyse+predict) {tested - trained:.0f} s, cores {os.cpu_count()}, "
          f"load {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
