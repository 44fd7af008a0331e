"""An evaluation report stays readable with a taxonomy of many fields: the confusion plot keeps the fields of
the errors, the pairs most confused are listed, and the page never shows an image wider than itself."""

from __future__ import annotations

from pathlib import Path

from models.evaluate import Evaluation, TaskReport
from models.report import MANY_CLASSES, plotted_classes, write_report

# Forty fields of a procedures portal: names a clerk reads, some of them long.
FIELDS = [f"Lĩnh vực thủ tục số {i:02d} về cấp, gia hạn và thu hồi giấy phép hoạt động" for i in range(40)]


def _many_fields() -> TaskReport:
    n = len(FIELDS)
    matrix = [[5 if i == j else 0 for j in range(n)] for i in range(n)]
    matrix[3][7] = 4  # the most confused pair
    matrix[12][30] = 1
    metrics = {"n": 5 * n + 5, "accuracy": 0.97, "macro_f1": 0.96, "weighted_f1": 0.97, "ece": 0.02, "per_class": {}}
    return TaskReport("topic", metrics, list(FIELDS), matrix, [], [])


def test_the_plot_keeps_the_fields_of_the_errors() -> None:
    shown = plotted_classes(_many_fields())
    assert shown == [3, 7, 12, 30] and len(FIELDS) > MANY_CLASSES


def test_the_report_lists_the_most_confused_pairs_and_fits_its_images(tmp_path: Path) -> None:
    evaluation = Evaluation("v-test", 205, {"topic": _many_fields()})
    write_report(evaluation, tmp_path)
    markdown = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "### Most confused pairs (2 of 2)" in markdown
    assert f"| {FIELDS[3]} | {FIELDS[7]} | 4 | 44% |" in markdown
    assert "img{max-width:100%" in (tmp_path / "report.html").read_text(encoding="utf-8")
    from PIL import Image

    with Image.open(tmp_path / "confusion-topic.png") as image:
        assert image.width < 1500  # four fields plotted, not forty (a 113-field matrix was 6,611 px wide)
