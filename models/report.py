"""Write an evaluation as a report directory: Markdown, HTML, JSON, and PNG plots.

``report.md`` / ``report.html`` show the figures per task, a confusion matrix and a reliability diagram
(PNG, drawn with matplotlib's Agg backend: no display needed) and the worst mistakes — the wrong
predictions made with the most confidence, which is where a clerk's trust is lost first.

Example
-------
>>> paths = write_report(evaluation, Path("reports/2026-11-28"))  # doctest: +SKIP
>>> sorted(p.name for p in paths)[:2]                               # doctest: +SKIP
['confusion-doc_type.png', 'confusion-topic.png']
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from models.evaluate import SHOWN_IDS, Evaluation, TaskReport

if TYPE_CHECKING:
    from matplotlib.figure import Figure


MANY_CLASSES = 30  # beyond this, a full matrix is unreadable: the plot keeps the classes of the errors
_TICK_CHARS = 40  # a portal's field names run to 150 characters
_SHOWN_PAIRS = 25


def _short(label: str) -> str:
    return label if len(label) <= _TICK_CHARS else label[: _TICK_CHARS - 1] + "…"


def confused_pairs(report: TaskReport) -> list[tuple[str, str, int, int]]:
    """(true, predicted, documents, documents of the true label) of every confusion, most frequent first."""
    pairs = []
    for i, truth in enumerate(report.labels):
        support = sum(report.matrix[i])
        for j, predicted in enumerate(report.labels):
            if i != j and report.matrix[i][j]:
                pairs.append((truth, predicted, report.matrix[i][j], support))
    return sorted(pairs, key=lambda p: (-p[2], p[0], p[1]))


def plotted_classes(report: TaskReport) -> list[int]:
    """The rows/columns the confusion plot shows: every class when there are few; otherwise the classes
    involved in the most errors (as the true or the predicted label), at most :data:`MANY_CLASSES`."""
    n = len(report.labels)
    if n <= MANY_CLASSES:
        return list(range(n))
    errors = [sum(report.matrix[i][j] + report.matrix[j][i] for j in range(n) if j != i) for i in range(n)]
    involved = sorted((i for i in range(n) if errors[i]), key=lambda i: (-errors[i], report.labels[i]))
    return sorted(involved[:MANY_CLASSES]) or list(range(MANY_CLASSES))  # no error: the first classes


def _plot_confusion(report: TaskReport, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    shown = plotted_classes(report)
    full = np.array(report.matrix, dtype=float)
    rows = full.sum(axis=1, keepdims=True)
    matrix = full[np.ix_(shown, shown)]
    share = np.divide(matrix, rows[shown], out=np.zeros_like(matrix), where=matrix > 0)
    labels = [_short(report.labels[i]) for i in shown]
    size = max(5.0, 0.45 * len(labels) + 2.5)
    fig, ax = plt.subplots(figsize=(size, size))
    ax.imshow(share, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(labels)), labels, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    for i in range(len(labels)):
        for j in range(len(labels)):
            if matrix[i, j]:
                ax.text(j, i, str(int(matrix[i, j])), ha="center", va="center", fontsize=7,
                        color="white" if share[i, j] > 0.5 else "black")
    ax.set_xlabel("dự đoán (predicted)")
    ax.set_ylabel("nhãn đúng (true)")
    # Two lines: a long name ("doc_type (title only, five common types)") overflowed a small figure.
    scope = "" if len(shown) == len(report.labels) else (
        f"; {len(shown)} of {len(report.labels)} classes, those in the most errors")
    ax.set_title(f"{report.name}\nconfusion matrix (row-normalised colour, counts{scope})", fontsize=10)
    fig.tight_layout()
    # "tight": long tick labels are not cut off at the figure's edge.
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)


def _reliability_figure(report: TaskReport) -> Figure:
    """Accuracy per confidence bin against the diagonal, with the number of documents written on each bar.

    The counts matter: a bin holding one wrong document looks like a large calibration error otherwise. They
    are written at the foot of the bars, where neither the curve nor a bar of accuracy 1 can hide them, and
    the legend sits under the axes, where it can hide no bar.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 5.8))
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="hoàn hảo (perfect)")
    bins = report.reliability
    if bins:
        centres = [(b["low"] + b["high"]) / 2 for b in bins]
        accuracy = [b["accuracy"] for b in bins]
        ax.bar(centres, accuracy, width=0.09, alpha=0.6,
               label="độ chính xác (accuracy); số ở chân cột: số văn bản (documents)")
        ax.plot([b["confidence"] for b in bins], accuracy, marker="o", color="C1",
                label="theo độ tin cậy trung bình (mean confidence)")
        for x, b in zip(centres, bins, strict=True):
            ax.annotate(str(int(b["n"])), (x, 0), xytext=(0, 2), textcoords="offset points", ha="center",
                        va="bottom", fontsize=7)
    ece = report.metrics.get("ece")
    ax.set_title(f"{report.name}: reliability" + (f" (ECE {ece:.3f})" if ece is not None else ""))
    ax.set_xlabel("độ tin cậy (confidence)")
    ax.set_ylabel("tỉ lệ đúng (accuracy)")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), fontsize=8, frameon=False)
    fig.tight_layout()
    return fig


def _plot_reliability(report: TaskReport, path: Path) -> None:
    import matplotlib.pyplot as plt

    fig = _reliability_figure(report)
    fig.savefig(path, dpi=110, bbox_inches="tight")  # "tight": the legend is outside the axes
    plt.close(fig)


def _fmt(value: Any) -> str:
    return f"{value:.4f}" if isinstance(value, float) else "—" if value is None else str(value)


def overlap_line(evaluation: Evaluation) -> str:
    """One sentence on how many evaluated documents the model was trained on (a warning when any)."""
    overlap = evaluation.overlap
    if overlap.seen is None:
        return ("Overlap with the training data: unknown (this version was saved before training fingerprints "
                "were recorded).")
    if warning := overlap.warning():
        return warning
    return f"Overlap with the training data: none of the {overlap.of} documents."


def _markdown(evaluation: Evaluation, images: dict[str, tuple[str, str]]) -> str:
    lines = [f"# Evaluation of model {evaluation.model_version}", "", f"Documents: {evaluation.documents}", "",
             *corpus_table(evaluation.corpus), overlap_line(evaluation), ""]
    if len(evaluation.overlap.ids) > SHOWN_IDS:  # the warning names the first ones only
        lines += ["Evaluated documents with a training document's content: " + ", ".join(evaluation.overlap.ids), ""]
    for warning in evaluation.warnings:  # labels the model was never trained on
        lines += [warning, ""]
    for key, report in evaluation.reports.items():
        m = report.metrics
        full = evaluation.reports.get("doc_type")
        if key == "title_only" and full is not None and _same_scores(m, full.metrics):
            # no document had a number or a text beyond its title: the same answers as above (QA)
            lines += [f"## {report.name}", "", "The same answers as above: no document has a number or a text "
                      "beyond its title.", ""]
            continue
        lines += [f"## {report.name}", "", "| n | accuracy | macro-F1 | weighted F1 | ECE |", "|---|---|---|---|---|",
                  f"| {m.get('n')} | {_fmt(m.get('accuracy'))} | {_fmt(m.get('macro_f1'))} | "
                  f"{_fmt(m.get('weighted_f1'))} | {_fmt(m.get('ece'))} |", ""]
        review = m.get("review")
        if review:
            lines += [f"Needs review (cần xem xét) below confidence {review['threshold']:.2f}: "
                      f"{review['needs_review']} documents; accuracy of the others {_fmt(review['accepted_accuracy'])}.", ""]
        if m.get("sources"):
            lines += ["Decided by: " + ", ".join(f"{k} {v}" for k, v in sorted(m["sources"].items())), ""]
        lines += ["| label | precision | recall | F1 | support |", "|---|---|---|---|---|"]
        for label, c in m.get("per_class", {}).items():
            lines.append(f"| {label} | {c['precision']:.3f} | {c['recall']:.3f} | {c['f1']:.3f} | {c['support']} |")
        lines.append("")
        if key in images:
            conf, rel = images[key]
            lines += [f"![confusion matrix]({conf})", "", f"![reliability diagram]({rel})", ""]
        if len(report.labels) > MANY_CLASSES:
            lines += _confused_table(report)
        if report.mistakes:
            lines += ["### Worst mistakes (most confident wrong predictions)", "",
                      "| id | summary | true | predicted | confidence | reasons |", "|---|---|---|---|---|---|"]
            for w in report.mistakes:
                title = w["title"].replace("|", "/")
                lines.append(f"| {w['id']} | {title} | {w['true']} | {w['predicted']} | "
                             f"{_fmt(w['confidence'])} | {'; '.join(w['reasons']).replace('|', '/')} |")
            lines.append("")
    return "\n".join(lines)


def _same_scores(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return all(a.get(k) == b.get(k) for k in ("n", "accuracy", "macro_f1", "per_class"))


def corpus_table(files: list[dict[str, Any]]) -> list[str]:
    """The evaluated corpus files (absolute path, sha256, documents) as a Markdown table; [] without them."""
    if not files:
        return []
    lines = ["| corpus file | sha256 | documents |", "|---|---|---|"]
    lines += [f"| {str(f.get('path')).replace('|', '/')} | {f.get('sha256')} | {f.get('documents')} |" for f in files]
    return [*lines, ""]


def metrics_json(evaluation: Evaluation) -> dict[str, Any]:
    """``metrics.json``: the figures of ``vanban evaluate --json`` per task, and ``corpus.files``, the evaluated
    files (absolute path, sha256, documents), so that the figures say what they are of."""
    return evaluation.summary() | {"corpus": {"files": evaluation.corpus, "documents": evaluation.documents}}


def _confused_table(report: TaskReport) -> list[str]:
    """The most frequent confusions as a table: with many classes, what the plot cannot show."""
    pairs = confused_pairs(report)
    if not pairs:
        return []
    lines = [f"### Most confused pairs ({min(len(pairs), _SHOWN_PAIRS)} of {len(pairs)})", "",
             "| true | predicted | documents | share of true |", "|---|---|---|---|"]
    for truth, predicted, n, support in pairs[:_SHOWN_PAIRS]:
        lines.append(f"| {truth.replace('|', '/')} | {predicted.replace('|', '/')} | {n} | {n / support:.0%} |")
    return [*lines, ""]


def markdown_page(markdown_text: str, title: str) -> str:
    """A plain HTML rendering of the Markdown tables, headings and images (no extra dependency)."""
    body: list[str] = []
    table: list[list[str]] = []

    def flush() -> None:
        if table:
            head, *rows = table
            body.append("<table><thead><tr>" + "".join(f"<th>{html.escape(c)}</th>" for c in head) + "</tr></thead><tbody>"
                        + "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rows)
                        + "</tbody></table>")
            table.clear()

    for line in markdown_text.splitlines():
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if not all(set(c) <= {"-"} for c in cells):
                table.append(cells)
            continue
        flush()
        if line.startswith("!["):
            src = line[line.index("(") + 1 : -1]
            body.append(f'<p><img src="{html.escape(src)}" alt="{html.escape(line[2:line.index("]")])}"></p>')
        elif line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            body.append(f"<h{level}>{html.escape(line[level:].strip())}</h{level}>")
        elif line.strip():
            body.append(f"<p>{html.escape(line)}</p>")
    flush()
    style = "body{font-family:sans-serif;max-width:70em;margin:auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;font-size:90%}img{max-width:100%;height:auto}"
    return (f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{style}</style></head><body>{''.join(body)}</body></html>")


def check_report_dir(directory: str | Path) -> Path:
    """Create the report directory (before any work is done); raises NotADirectoryError/OSError if it cannot."""
    out = Path(directory)
    if out.exists() and not out.is_dir():
        raise NotADirectoryError(f"{out} đã có và là một tệp, không phải thư mục")
    out.mkdir(parents=True, exist_ok=True)
    return out


def write_report(evaluation: Evaluation, directory: str | Path) -> list[Path]:
    """Write ``report.md``, ``report.html``, ``metrics.json`` and the PNG plots into ``directory``."""
    out = check_report_dir(directory)
    written: list[Path] = []
    images: dict[str, tuple[str, str]] = {}
    for key, report in evaluation.reports.items():
        if not report.labels:
            continue
        conf, rel = f"confusion-{key}.png", f"reliability-{key}.png"
        _plot_confusion(report, out / conf)
        _plot_reliability(report, out / rel)
        images[key] = (conf, rel)
        written += [out / conf, out / rel]
    markdown_text = _markdown(evaluation, images)
    (out / "report.md").write_text(markdown_text, encoding="utf-8")
    (out / "report.html").write_text(markdown_page(markdown_text, f"vanban evaluation {evaluation.model_version}"), encoding="utf-8")
    (out / "metrics.json").write_text(json.dumps(metrics_json(evaluation), ensure_ascii=False, indent=2),
                                      encoding="utf-8")
    return written + [out / "report.md", out / "report.html", out / "metrics.json"]
