"""Regression tests of QA issue 3: `models show` of an unusable version, a version directory copied under
another name, evaluation labels the model never saw, and the reliability diagram.

They use the demo-corpus models of ``tests/models/test_qa_fixes.py`` (trained once per session) and copy
their data directory before changing anything.
"""

from __future__ import annotations

import json
import re
import shutil
import warnings
from dataclasses import replace
from pathlib import Path

import pytest

from models.data import LabelledDoc, fingerprint
from models.errors import IncompatibleModel
from models.evaluate import evaluate
from models.registry import MANIFEST, MODEL_FILE, Registry
from models.report import write_report
from service.errors import CliError
from tests.models.test_cli_and_evaluate import _run
from tests.models.test_qa_fixes import demo_docs, demo_models  # noqa: F401  (session fixtures)


@pytest.fixture
def data_dir(demo_models: tuple[Path, str, str], tmp_path: Path) -> Path:  # noqa: F811
    target = tmp_path / "data"
    shutil.copytree(demo_models[0], target)
    return target


def _edit_manifest(directory: Path, change: dict[str, object]) -> None:
    manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    for key, value in change.items():
        if isinstance(value, dict):
            manifest[key] = manifest.get(key, {}) | value
        else:
            manifest[key] = value
    (directory / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


# -- 1. `models show` of a version that cannot be loaded ---------------------------------------------------


def _spoil(how: str, version_dir: Path) -> str:
    """Make the version unusable; returns a piece of the reason the registry must give."""
    if how == "scikit-learn":
        _edit_manifest(version_dir, {"versions": {"scikit-learn": "1.2.2"}})
        (version_dir / MODEL_FILE).write_bytes(b"never unpickled")
        return "scikit-learn 1.2.2"
    with open(version_dir / MODEL_FILE, "ab") as handle:
        handle.write(b"x")
    return "sai mã kiểm tra"


@pytest.mark.parametrize("how", ["scikit-learn", "checksum"])
def test_show_prints_the_manifest_of_an_unusable_version_with_the_reason(
    demo_models: tuple[Path, str, str], data_dir: Path, capsys: pytest.CaptureFixture[str], how: str  # noqa: F811
) -> None:
    version = demo_models[2]  # not the active one
    reason = _spoil(how, data_dir / "models" / version)
    for argv in (("models", "show", version), ("models", "show", version, "--json")):
        assert _run(data_dir, *argv) == 0  # showing only reads
        captured = capsys.readouterr()
        shown = json.loads(captured.out)
        assert shown["version"] == version and shown["tasks"]["topic"]["labels"]  # the whole manifest
        assert shown["usable"] is False and reason in shown["problem"]
        assert f"Không dùng được mô hình “{version}”" in captured.err and reason in captured.err
    with pytest.raises(CliError, match=reason):
        _run(data_dir, "models", "activate", version)
    with pytest.raises(IncompatibleModel, match=reason):
        Registry.open(data_dir).load(version)


def test_show_of_a_usable_version_says_it_is_usable(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(data_dir, "models", "show", "--json") == 0
    captured = capsys.readouterr()
    shown = json.loads(captured.out)
    assert shown["active"] is True and shown["usable"] is True and shown["problem"] is None
    assert captured.err == ""


# -- 2. a version directory copied or renamed by hand ------------------------------------------------------


def test_a_copied_version_directory_is_unusable_and_refused(
    demo_models: tuple[Path, str, str], data_dir: Path, capsys: pytest.CaptureFixture[str]  # noqa: F811
) -> None:
    original = demo_models[1]
    registry = Registry.open(data_dir)
    copy = registry.root / "20991231-235959-topic+doc_type-copy"
    shutil.copytree(registry.root / original, copy)  # a complete, intact version: only the name differs
    expected = f"thư mục {copy.name} nhưng manifest ghi phiên bản {original}"
    for check in (False, True):
        listed = {v.version: v for v in registry.versions(check=check)}
        assert listed[original].usable and not listed[copy.name].usable
        assert expected in str(listed[copy.name].problem) and "bản sao" in str(listed[copy.name].problem)
    with pytest.raises(IncompatibleModel, match=re.escape(expected)):
        registry.load(copy.name)
    with pytest.raises(IncompatibleModel, match=re.escape(expected)):
        registry.activate(copy.name)
    assert registry.active_version() == original
    assert _run(data_dir, "models", "list", "--json") == 0
    entries = {e["version"]: e for e in json.loads(capsys.readouterr().out)}
    assert entries[copy.name]["usable"] is False and expected in entries[copy.name]["problem"]

    # Renamed rather than copied: the advice is to give the directory its name back.
    shutil.rmtree(registry.root / original)
    problem = str({v.version: v for v in registry.versions()}[copy.name].problem)
    assert f"đặt lại tên thư mục là {original}" in problem


def test_saved_versions_are_named_as_their_manifest_says(demo_models: tuple[Path, str, str],  # noqa: F811
                                                         data_dir: Path) -> None:
    registry = Registry.open(data_dir)
    assert all(v.usable and v.manifest["version"] == v.version for v in registry.versions(check=True))
    # A manifest handed to save() that already names a version (copied from another one) cannot make the
    # new version's manifest disagree with its directory.
    manifest, pipelines = registry.load_pipelines(demo_models[2])
    again = registry.save(pipelines, manifest)
    assert again != demo_models[2]
    assert registry.check(again).manifest["version"] == again


# -- 3. evaluation labels the model was never trained on ---------------------------------------------------


def _unknown_label_corpus(docs: list[LabelledDoc]) -> list[LabelledDoc]:
    """Demo documents relabelled with a field (môi trường) and a type (nghị định) the model never saw, and
    one plan that stays a plan: the five-common-types subset is then a single, rightly predicted label."""
    plan = next(d for d in docs if d.doc_type == "ke-hoach")
    others = [d for d in docs if d.doc_type not in ("ke-hoach", "quyet-dinh", "cong-van", "thong-bao", "chi-thi")]
    relabelled = [replace(d, topic="moi-truong", doc_type="nghi-dinh") for d in others[:2]]
    relabelled.append(replace(others[2], topic="moi-truong"))
    return [plan, *relabelled]


def test_evaluate_names_labels_the_model_does_not_know_without_library_warnings(
    demo_models: tuple[Path, str, str], demo_docs: list[LabelledDoc], tmp_path: Path  # noqa: F811
) -> None:
    classifier = Registry.open(demo_models[0]).load(demo_models[1])
    said: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = evaluate(classifier, _unknown_label_corpus(demo_docs), progress=said.append)
        write_report(result, tmp_path / "report")
    assert [str(w.message) for w in caught] == []  # scikit-learn's "A single label was found …" among them
    summary = result.summary()
    five = summary["doc_type"]["title_only_five_types"]
    assert five["per_class"].keys() == {"ke-hoach"} and five["accuracy"] == 1.0  # a 1×1 confusion matrix
    assert summary["topic"]["unknown_labels"] == {"n": 3, "of": 4, "labels": {"moi-truong": 3}}
    assert summary["doc_type"]["unknown_labels"] == {"n": 2, "of": 4, "labels": {"nghi-dinh": 2}}
    (topic_warning,) = summary["topic"]["warnings"]
    assert "3 of 4 documents" in topic_warning and "moi-truong 3" in topic_warning
    assert "nghi-dinh 2" in summary["doc_type"]["warnings"][0]
    assert any(line.startswith("WARNING: topic:") and "moi-truong 3" in line for line in said)
    report = (tmp_path / "report" / "report.md").read_text(encoding="utf-8")
    assert "moi-truong 3" in report and "nghi-dinh 2" in report

    known = evaluate(classifier, demo_docs[:5]).summary()
    assert known["topic"]["unknown_labels"] == {"n": 0, "of": 5, "labels": {}}
    assert known["topic"]["warnings"] == []


def test_evaluate_cli_prints_the_unknown_label_warning_on_stderr(
    demo_docs: list[LabelledDoc], data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]  # noqa: F811
) -> None:
    corpus = tmp_path / "moi-truong.jsonl"
    corpus.write_text("".join(
        json.dumps({"id": d.id, "title": d.title, "text": d.text, "number": d.number, "topic": d.topic,
                    "doc_type": d.doc_type}, ensure_ascii=False) + "\n"
        for d in _unknown_label_corpus(demo_docs)
    ), encoding="utf-8")
    assert _run(data_dir, "evaluate", "--corpus", str(corpus), "--json") == 0
    captured = capsys.readouterr()
    assert "WARNING: topic: 3 of 4 documents" in captured.err and "moi-truong 3" in captured.err
    assert "UserWarning" not in captured.err
    assert json.loads(captured.out)["topic"]["unknown_labels"]["labels"] == {"moi-truong": 3}


# -- 4. the reliability diagram ----------------------------------------------------------------------------


def test_reliability_diagram_shows_counts_and_keeps_the_legend_off_the_bars(
    demo_models: tuple[Path, str, str], demo_docs: list[LabelledDoc], tmp_path: Path  # noqa: F811
) -> None:
    import matplotlib.pyplot as plt

    from models.report import _reliability_figure

    classifier = Registry.open(demo_models[0]).load(demo_models[1])
    report = evaluate(classifier, demo_docs).reports["title_only"]
    counts = [int(b["n"]) for b in report.reliability]
    assert len(counts) >= 2 and sum(counts) == len(demo_docs)
    fig = _reliability_figure(report)
    try:
        (ax,) = fig.axes
        written = [t.get_text() for t in ax.texts]
        assert written == [str(n) for n in counts]  # one count per bar, in bin order
        fig.canvas.draw()
        legend = ax.get_legend()
        assert legend is not None
        assert not legend.get_window_extent().overlaps(ax.get_window_extent())  # under the axes, hiding no bar
    finally:
        plt.close(fig)


def test_active_labels_are_the_active_versions_label_set(data_dir: Path, demo_models: tuple[Path, str, str]) -> None:  # noqa: F811
    registry = Registry.open(data_dir)
    topics = registry.active_labels("topic")
    assert "y-te" in topics and "giao-duc" in topics  # the demo corpus's fields
    assert registry.active_labels("no-such-task") == ()
    registry.activate(demo_models[2])  # the topic-only version
    assert registry.active_labels("doc_type") == () and registry.active_labels("topic") == topics
    manifest = registry.get(demo_models[2]).path / MANIFEST
    manifest.write_text("{", encoding="utf-8")  # a broken manifest: nothing to accept, no traceback
    assert registry.active_labels("topic") == ()
    assert Registry.open(data_dir / "elsewhere").active_labels("topic") == ()  # no active version


def test_a_report_of_titles_alone_does_not_repeat_the_type_section(
    demo_models: tuple[Path, str, str], demo_docs: list[LabelledDoc], tmp_path: Path  # noqa: F811
) -> None:
    """QA (2026-11-30): for titles without numbers or texts, "doc_type" and "doc_type (title only)" were two
    identical sections, and the overlap ids were listed twice (in the warning and again below it)."""
    classifier = Registry.open(demo_models[0]).load(demo_models[1])
    titles = [replace(d, text=None, number=None) for d in demo_docs[:12]]
    write_report(evaluate(classifier, titles, training=[fingerprint(d.title, d.text) for d in demo_docs]),
                 tmp_path / "report")  # fmt: skip
    report = (tmp_path / "report" / "report.md").read_text(encoding="utf-8")
    assert "The same answers as above: no document has a number or a text beyond its title." in report
    assert report.count("## doc_type (title only)\n") == 1 and report.count("| label | precision") == 3
    assert "Evaluated documents with a training document's content" not in report  # 12 ids: the warning names them
