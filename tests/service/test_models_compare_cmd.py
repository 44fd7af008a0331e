"""``vanban models compare`` end to end on demo-corpus models: text, JSON, report files, errors.

The baseline is the active version of ``demo_models`` (both tasks, trained on the whole demo corpus). The
candidate is trained once for this module on a third of the demo corpus with a much smaller C, so that its
answers differ. They are compared on another third of the demo corpus (``CORPUS``: 30 documents, to keep the
classifying short), which the baseline has seen and the candidate has not.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from models.data import LabelledDoc
from models.registry import MANIFEST, Registry
from models.train import train_docs
from service.cli import main
from service.errors import CliError
from tests.models.test_cli_and_evaluate import _run
from tests.models.test_qa_fixes import DEMO, demo_docs, demo_models  # noqa: F401  (session fixtures)


@pytest.fixture(scope="module")
def compare_dir(demo_models: tuple[Path, str, str], demo_docs: list[LabelledDoc],  # noqa: F811
                tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """(data dir, baseline = active version, candidate). Never written by a test."""
    target = tmp_path_factory.mktemp("compare") / "data"
    shutil.copytree(demo_models[0], target)
    candidate = train_docs(demo_docs[::3], Registry.open(target), params={"topic": {"C": 0.01}, "doc_type": {"C": 0.05}},
                           cv=0, n_jobs=1).version
    return target, demo_models[1], candidate


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every third document of the demo corpus, starting with the second: none of the candidate's."""
    path = tmp_path_factory.mktemp("compare-corpus") / "demo-third.jsonl"
    lines = DEMO.read_text(encoding="utf-8").splitlines()[1::3]
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def _json(data_dir: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[dict, str]:
    assert _run(data_dir, "models", "compare", *argv, "--json") == 0
    captured = capsys.readouterr()
    return json.loads(captured.out), captured.err


def test_json_pairs_the_answers_and_agrees_with_evaluate(compare_dir: tuple[Path, str, str], corpus: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    data_dir, baseline, candidate = compare_dir
    result, err = _json(data_dir, capsys, candidate, "--corpus", str(corpus))
    assert (result["baseline"], result["candidate"]) == (baseline, candidate)
    assert result["corpus"]["documents"] == 30 and result["corpus"]["paths"] == [str(corpus)]
    assert result["corpus"]["overlap"] == {"baseline": {"n": 30, "of": 30}, "candidate": {"n": 0, "of": 30}}
    assert set(result["tasks"]) == {"topic", "doc_type", "doc_type_title_only"}
    # The seen documents are a warning in the JSON and on stderr.
    seen = [w for w in result["warnings"] if "was trained on" in w]
    assert seen == [f"WARNING: baseline {baseline} was trained on 30 of the 30 compared documents (same content "
                    "fingerprint); its scores on them are optimistic."]
    assert all(w in err for w in result["warnings"])
    topic = result["tasks"]["topic"]
    paired = topic["paired"]
    assert sum(paired.values()) == topic["n"] == 30
    assert paired["fixed"] + paired["broken"] > 0  # the two versions do answer differently
    # Accuracies are counts of the pairs: baseline right = both right + broken, candidate right = both right + fixed.
    assert topic["baseline"]["accuracy"] == pytest.approx((paired["both_right"] + paired["broken"]) / 30)
    assert topic["candidate"]["accuracy"] == pytest.approx((paired["both_right"] + paired["fixed"]) / 30)
    assert topic["delta"]["macro_f1"] == pytest.approx(topic["candidate"]["macro_f1"] - topic["baseline"]["macro_f1"])
    assert len(topic["fixed_examples"]) == min(20, paired["fixed"])
    assert len(topic["broken_examples"]) == min(20, paired["broken"])
    for example in topic["broken_examples"]:
        assert example["baseline"]["label"] == example["true"] != example["candidate"]["label"]
        assert 0 < len(example["title"]) <= 120
    # Each version's figures are those `vanban evaluate --model` gives.
    for role, version in (("baseline", baseline), ("candidate", candidate)):
        assert _run(data_dir, "evaluate", "--corpus", str(corpus), "--model", version, "--json") == 0
        evaluated = json.loads(capsys.readouterr().out)
        for key, scores in (("topic", evaluated["topic"]), ("doc_type", evaluated["doc_type"]),
                            ("doc_type_title_only", evaluated["doc_type"]["title_only"])):
            assert result["tasks"][key][role]["accuracy"] == pytest.approx(scores["accuracy"])
            assert result["tasks"][key][role]["macro_f1"] == pytest.approx(scores["macro_f1"])
            per_class = {c["label"]: c[f"{role}_f1"] for c in result["tasks"][key]["per_class"]}
            assert per_class == pytest.approx({label: c["f1"] for label, c in scores["per_class"].items()})


def test_text_output_and_report(compare_dir: tuple[Path, str, str], corpus: Path, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    data_dir, baseline, candidate = compare_dir
    report = tmp_path / "báo cáo"
    assert _run(data_dir, "models", "compare", candidate, "--baseline", baseline, "--corpus", str(corpus),
                "--report", str(report)) == 0
    out = capsys.readouterr().out
    saved = json.loads((report / "compare.json").read_text(encoding="utf-8"))
    topic = saved["tasks"]["topic"]
    verdict = topic["verdict"]
    assert verdict.startswith(f"topic: macro-F1 {topic['baseline']['macro_f1']:.3f} → "
                              f"{topic['candidate']['macro_f1']:.3f} ({topic['delta']['macro_f1']:+.3f}); "
                              f"fixed {topic['paired']['fixed']}, broken {topic['paired']['broken']}, McNemar p")
    lines = out.splitlines()
    assert verdict in lines and saved["tasks"]["doc_type"]["verdict"] in lines
    assert any(line.split() == ["accuracy", f"{topic['baseline']['accuracy']:.4f}", f"{topic['candidate']['accuracy']:.4f}",
                                f"{topic['delta']['accuracy']:+.4f}"] for line in lines)
    assert f"fixed {topic['paired']['fixed']}, broken {topic['paired']['broken']}" in out
    markdown = (report / "report.md").read_text(encoding="utf-8")
    assert verdict in markdown and candidate in markdown and baseline in markdown
    assert f"| {topic['paired']['both_right']} | {topic['paired']['fixed']} | {topic['paired']['broken']} |" in markdown
    first_broken = topic["broken_examples"][0] if topic["broken_examples"] else topic["fixed_examples"][0]
    assert first_broken["id"] in markdown
    html = (report / "report.html").read_text(encoding="utf-8")
    assert "<table>" in html and 'src="f1-topic.png"' in html and "McNemar" in html
    for key in ("topic", "doc_type", "doc_type_title_only"):
        assert (report / f"f1-{key}.png").read_bytes()[:4] == b"\x89PNG"


def test_a_version_without_a_doc_type_model_is_compared_on_the_rest(compare_dir: tuple[Path, str, str], corpus: Path,
                                                                    demo_models: tuple[Path, str, str],  # noqa: F811
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    result, _ = _json(compare_dir[0], capsys, demo_models[2], "--corpus", str(corpus))
    assert set(result["tasks"]) == {"topic", "doc_type"}
    assert any("doc_type (title only) not compared: no doc_type model in candidate" in w for w in result["warnings"])


def test_same_version_twice_is_refused(compare_dir: tuple[Path, str, str], corpus: Path) -> None:
    data_dir, baseline, _ = compare_dir
    with pytest.raises(CliError, match="hai phiên bản khác nhau") as raised:
        _run(data_dir, "models", "compare", baseline, "--corpus", str(corpus))
    assert "phiên bản đang dùng" in str(raised.value)  # the baseline defaulted to the active version
    with pytest.raises(CliError, match="hai phiên bản khác nhau"):
        _run(data_dir, "models", "compare", baseline, "--baseline", baseline, "--corpus", str(corpus))


def test_unknown_unusable_and_missing_inputs_are_clear_errors(compare_dir: tuple[Path, str, str], corpus: Path,
                                                              tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    data_dir, baseline, candidate = compare_dir
    with pytest.raises(CliError, match="Không có phiên bản mô hình “khong-co”"):
        _run(data_dir, "models", "compare", "khong-co", "--corpus", str(corpus))
    with pytest.raises(CliError, match="Không có phiên bản mô hình “khong-co”"):
        _run(data_dir, "models", "compare", candidate, "--baseline", "khong-co", "--corpus", str(corpus))
    with pytest.raises(CliError, match="Không tìm thấy tệp dữ liệu so sánh"):
        _run(data_dir, "models", "compare", candidate, "--corpus", str(tmp_path / "khong-co.jsonl"))
    a_file = tmp_path / "report.txt"
    a_file.write_text("x", encoding="utf-8")
    with pytest.raises(CliError, match="--report cần một thư mục"):
        _run(data_dir, "models", "compare", candidate, "--corpus", str(corpus), "--report", str(a_file))
    # A version trained with another scikit-learn: refused before anything is unpickled, as `models activate`.
    copy = tmp_path / "data"
    shutil.copytree(data_dir, copy)
    manifest_path = copy / "models" / candidate / MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["versions"]["scikit-learn"] = "0.24.2"
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(CliError, match="scikit-learn 0.24.2"):
        _run(copy, "models", "compare", candidate, "--corpus", str(corpus))
    # No active version and no --baseline: versions exist, so the way out is to name the baseline.
    (copy / "models" / "active").unlink()
    with pytest.raises(CliError, match="hãy chỉ rõ --baseline"):
        _run(copy, "models", "compare", baseline, "--corpus", str(corpus))
    capsys.readouterr()
    # Through the real entry point: a non-zero exit and the message on stderr.
    assert main(["--data-dir", str(data_dir), "models", "compare", "khong-co", "--corpus", str(corpus)]) == 1
    assert "vanban models: Không có phiên bản mô hình" in capsys.readouterr().err
