"""VNTC news topic classification with vanban's pipeline machinery, next to the published anchors.

Trains ``models.pipeline`` (TF-IDF streams → calibrated LinearSVC) on VNTC's train split and scores its test
split (../shared/data/bench/vntc). Prints accuracy, weighted F1 and training time beside the anchors:
SVM 93.4% (Vu et al., RIVF 2007) and underthesea's TF-IDF+LinearSVC 92.49% accuracy / 92.40% weighted F1
(both on the full official split; this copy holds ~96% of it).

    .venv/bin/python bench/vntc_classify.py                 # syllables only (fast, the default)
    .venv/bin/python bench/vntc_classify.py --segment       # with underthesea words (~20 min more)
    .venv/bin/python bench/vntc_classify.py --limit 2000    # a quick smoke run
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

ANCHORS = [("SVM (Vu et al., RIVF 2007)", 0.934, None), ("underthesea TF-IDF+LinearSVC", 0.9249, 0.9240)]


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    env = os.environ.get("VANBAN_SHARED_DATA")
    parser.add_argument("--data", default=str(Path(env) if env else REPO.parent / "shared" / "data"))
    parser.add_argument("--segment", action="store_true", help="add underthesea word features (slow)")
    parser.add_argument("--limit", type=int, help="use N documents of each split, sampled evenly")
    parser.add_argument("--C", type=float, default=1.0, help="SVM regularisation (1.0 measured best of 0.3, 1, 3)")
    args = parser.parse_args(argv)

    from sklearn.metrics import accuracy_score, f1_score

    from models.features import analyze_texts
    from models.pipeline import build_pipeline

    root = Path(args.data) / "bench" / "vntc"
    if not (root / "train.jsonl.gz").is_file():
        print(f"VNTC not found under {root}", file=sys.stderr)
        return 2
    train_x, train_y = _read(root / "train.jsonl.gz", args.limit)
    test_x, test_y = _read(root / "test.jsonl.gz", args.limit)
    print(f"VNTC: {len(train_x)} train, {len(test_x)} test documents, segment={args.segment}", file=sys.stderr)
    params = {
        "segment": args.segment, "syllable_ngrams": [1, 2], "word_ngrams": [1, 2] if args.segment else None,
        "folded_ngrams": None, "char_ngrams": None, "expand_abbreviations": False, "prefix": 0, "min_df": 2,
        "C": args.C, "calibration_folds": 0,
    }
    started = time.perf_counter()
    analysed = analyze_texts(train_x, segment=args.segment)
    analysed_at = time.perf_counter()
    pipeline = build_pipeline("topic", params).fit(analysed, train_y)
    trained = time.perf_counter()
    predicted = pipeline.predict(analyze_texts(test_x, segment=args.segment))
    tested = time.perf_counter()
    acc = accuracy_score(test_y, predicted)
    wf1 = f1_score(test_y, predicted, average="weighted")
    print(f"{'system':<34} {'accuracy':>9} {'weighted F1':>12}")
    print(f"{'vanban (this run)':<34} {acc:>9.2%} {wf1:>12.2%}")
    for name, a, f in ANCHORS:
        print(f"{name:<34} {a:>9.2%} {(f'{f:.2%}' if f else '—'):>12}")
    print(f"ratio to best linear anchor: {acc / ANCHORS[0][1]:.3f}")
    print(f"time: analyse {analysed_at - started:.0f} s, fit {trained - analysed_at:.0f} s, "
          f"test (analyse+predict) {tested - trained:.0f} s, cores {os.cpu_count()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
