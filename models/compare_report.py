"""Show a comparison of two model versions: a text table for the terminal, and a report directory.

The report directory holds ``report.md``, ``report.html`` (the same content, rendered by the evaluation
report's plain Markdown-to-HTML helper), ``compare.json`` (:meth:`models.compare.Comparison.to_dict`) and one
PNG per task, ``f1-<task>.png``: the per-class F1 of both versions as grouped horizontal bars (matplotlib's
Agg backend: no display needed).

Example
-------
>>> print(render_text(comparison))                               # doctest: +SKIP
>>> paths = write_compare_report(comparison, Path("reports/cmp"))  # doctest: +SKIP
>>> sorted(p.name for p in paths)                                # doctest: +SKIP
['compare.json', 'f1-doc_type.png', 'f1-topic.png', 'report.html', 'report.md']
"""

from __future__ import annotations

import json
from pathlib import Path

from models.compare import Answer, Change, Comparison, TaskComparison

# the evaluation report's helpers: one look for both
from models.report import check_report_dir, corpus_table, markdown_page


def _seen(task: TaskComparison) -> str:
    parts = []
    for role, overlap in task.overlap.items():
        parts.append(f"{role} unknown" if overlap.seen is None else f"{role} {overlap.seen}/{overlap.of}")
    return ", ".join(parts)


def _task_text(task: TaskComparison) -> list[str]:
    width = max([10, *(len(c.label) for c in task.per_class)]) + 2
    lines = [f"{task.name} (n={task.n}; seen in training: {_seen(task)})",
             f"  {'':<{width}}{'baseline':>10}{'candidate':>11}{'delta':>9}",
             f"  {'accuracy':<{width}}{task.baseline_accuracy:>10.4f}{task.candidate_accuracy:>11.4f}"
             f"{task.accuracy_delta:>+9.4f}",
             f"  {'macro-F1':<{width}}{task.baseline_macro_f1:>10.4f}{task.candidate_macro_f1:>11.4f}"
             f"{task.macro_f1_delta:>+9.4f}",
             f"  paired: both right {task.both_right}, fixed {task.fixed}, broken {task.broken}, "
             f"both wrong {task.both_wrong}; McNemar exact p = {task.mcnemar_p:.4g}",
             f"  {'per-class F1':<{width}}{'baseline':>10}{'candidate':>11}{'delta':>9}{'support':>9}"]
    for c in task.per_class:
        lines.append(f"  {c.label:<{width}}{c.baseline_f1:>10.3f}{c.candidate_f1:>11.3f}{c.delta_f1:>+9.3f}"
                     f"{c.support:>9}")
    return lines


def render_text(comparison: Comparison) -> str:
    """The terminal output of ``vanban models compare``: a table per task, then one verdict line per task."""
    lines = [f"baseline  {comparison.baseline}", f"candidate {comparison.candidate}",
             f"{comparison.documents} documents", ""]
    for task in comparison.tasks.values():
        lines += _task_text(task) + [""]
    lines += [task.verdict() for task in comparison.tasks.values()]
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "/")


def _said(answer: Answer) -> str:
    return answer.label if answer.confidence is None else f"{answer.label} ({answer.confidence:.2f})"


def _changes_table(title: str, changes: list[Change]) -> list[str]:
    if not changes:
        return []
    lines = [f"### {title}", "", "| id | summary | true | baseline (confidence) | candidate (confidence) |",
             "|---|---|---|---|---|"]
    lines += [f"| {_cell(c.id)} | {_cell(c.title)} | {c.true} | {_said(c.baseline)} | {_said(c.candidate)} |"
              for c in changes]
    return lines + [""]


def _markdown(comparison: Comparison, images: dict[str, str]) -> str:
    lines = [f"# Comparison of model {comparison.candidate} (candidate) with {comparison.baseline} (baseline)", "",
             f"Documents: {comparison.documents}" + (f" from {', '.join(comparison.corpus)}" if comparison.corpus else ""),
             "", *corpus_table(comparison.files)]
    lines += [w for warning in comparison.warnings for w in (warning, "")]
    lines += ["## Verdict", ""] + [line for task in comparison.tasks.values() for line in (task.verdict(), "")]
    for key, task in comparison.tasks.items():
        lines += [f"## {task.name}", "", f"Seen in training: {_seen(task)}.", "",
                  "| n | version | accuracy | macro-F1 |", "|---|---|---|---|",
                  f"| {task.n} | baseline | {task.baseline_accuracy:.4f} | {task.baseline_macro_f1:.4f} |",
                  f"| {task.n} | candidate | {task.candidate_accuracy:.4f} | {task.candidate_macro_f1:.4f} |",
                  f"| | delta | {task.accuracy_delta:+.4f} | {task.macro_f1_delta:+.4f} |", "",
                  "| both right | fixed | broken | both wrong | McNemar exact p |", "|---|---|---|---|---|",
                  f"| {task.both_right} | {task.fixed} | {task.broken} | {task.both_wrong} | {task.mcnemar_p:.4g} |", "",
                  "| label | baseline F1 | candidate F1 | delta | support |", "|---|---|---|---|---|"]
        lines += [f"| {c.label} | {c.baseline_f1:.3f} | {c.candidate_f1:.3f} | {c.delta_f1:+.3f} | {c.support} |"
                  for c in task.per_class]
        lines.append("")
        if key in images:
            lines += [f"![per-class F1]({images[key]})", ""]
        lines += _changes_table("Fixed (baseline wrong, candidate right)", task.fixed_examples)
        lines += _changes_table("Broken (baseline right, candidate wrong)", task.broken_examples)
    return "\n".join(lines)


def _plot_f1(task: TaskComparison, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    labels = [c.label for c in task.per_class]
    rows = np.arange(len(labels))
    fig, ax = plt.subplots(figsize=(7, max(3.0, 0.45 * len(labels) + 1.6)))
    bar = 0.4
    ax.barh(rows - bar / 2, [c.baseline_f1 for c in task.per_class], height=bar, label="baseline (phiên bản gốc)",
            color="C7")
    ax.barh(rows + bar / 2, [c.candidate_f1 for c in task.per_class], height=bar,
            label="candidate (phiên bản mới)", color="C0")
    ax.set_yticks(rows, [f"{c.label} ({c.support})" for c in task.per_class], fontsize=8)
    ax.invert_yaxis()  # the first label on top, as in the tables
    ax.set_xlim(0, 1)
    ax.set_xlabel("F1")
    ax.set_title(f"{task.name}: per-class F1 (support)\nmacro-F1 {task.baseline_macro_f1:.3f} → "
                 f"{task.candidate_macro_f1:.3f}", fontsize=10)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, fontsize=8, frameon=False)
    fig.tight_layout()
    fig.savefig(path, dpi=110, bbox_inches="tight")  # "tight": the legend is outside the axes
    plt.close(fig)


def write_compare_report(comparison: Comparison, directory: str | Path) -> list[Path]:
    """Write ``report.md``, ``report.html``, ``compare.json`` and ``f1-<task>.png`` into ``directory``."""
    out = check_report_dir(directory)
    written: list[Path] = []
    images: dict[str, str] = {}
    for key, task in comparison.tasks.items():
        if task.per_class:
            images[key] = f"f1-{key}.png"
            _plot_f1(task, out / images[key])
            written.append(out / images[key])
    markdown_text = _markdown(comparison, images)
    (out / "report.md").write_text(markdown_text, encoding="utf-8")
    (out / "report.html").write_text(
        markdown_page(markdown_text, f"vanban comparison {comparison.candidate} vs {comparison.baseline}"), encoding="utf-8")
    (out / "compare.json").write_text(json.dumps(comparison.to_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
    return written + [out / "report.md", out / "report.html", out / "compare.json"]
