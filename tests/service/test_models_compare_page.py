"""Comparing two model versions: ``GET /api/models/compare`` and the comparison table of the models page.

The two versions come from the session fixture of the models API tests (the demo corpus trained once with
``--cv 0``, saved twice); each test writes cross-validated figures into a copy's manifests, the way a
``--cv 5`` training records them, so that the figures shown can be checked against the manifests.
"""

from __future__ import annotations

import json
import re
import shutil
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from models.registry import FINGERPRINTS_FILE, MANIFEST
from service.model_compare import NO_CV, VersionSummary, compare_corpora, compare_manifests
from tests.service.conftest import assert_problem, auth, make_client
from tests.service.test_api_models import trained_dir, trained_seed  # noqa: F401  (fixtures)
from tests.service.test_pages import login

# Per-class F1 changes of the candidate (the other labels keep their F1).
CHANGES = {"dat-dai": 0.15, "y-te": -0.10, "giao-duc": 0.04}
NOT_COMPARABLE = "không so sánh trực tiếp được"


def _manifest_path(data_dir: Path, version: str) -> Path:
    return data_dir / "models" / version / MANIFEST


def _read(data_dir: Path, version: str) -> dict[str, Any]:
    return json.loads(_manifest_path(data_dir, version).read_text(encoding="utf-8"))


def _write(data_dir: Path, version: str, manifest: dict[str, Any]) -> None:
    _manifest_path(data_dir, version).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")


def _cv_metrics(spec: dict[str, Any], accuracy: float, macro_f1: float, ece: float,
                changes: dict[str, float] | None = None) -> dict[str, Any]:  # fmt: skip
    """Cross-validated figures shaped like models.train records them, with the task's real labels."""
    counts = spec["label_counts"]
    per_class = {}
    for i, label in enumerate(spec["labels"]):
        f1 = round(0.55 + 0.02 * i + (changes or {}).get(label, 0.0), 4)
        per_class[label] = {"precision": f1, "recall": f1, "f1": f1, "support": counts.get(label, 0)}
    return {"n": sum(counts.values()), "accuracy": accuracy, "macro_f1": macro_f1, "weighted_f1": accuracy,
            "per_class": per_class, "ece": ece, "folds": 5, "seed": 2026,
            "review": {"threshold": 0.5, "coverage": 0.9, "accepted_accuracy": accuracy}}  # fmt: skip


def _with_figures(data_dir: Path, first: str, second: str, *, same_documents: bool = True) -> None:
    """Cross-validated figures in both manifests: the second better on topic, without them on doc_type
    (trained with ``--cv 0``), and without the label "van-hoa"."""
    base = _read(data_dir, first)
    for task, spec in base["tasks"].items():
        spec["cv_metrics"] = _cv_metrics(spec, 0.80, 0.70, 0.05) if task == "topic" else _cv_metrics(spec, 0.9, 0.6, 0.02)
    _write(data_dir, first, base)
    candidate = _read(data_dir, second)
    topic = candidate["tasks"]["topic"]
    topic["cv_metrics"] = _cv_metrics(topic, 0.83, 0.74, 0.04, CHANGES)
    topic["labels"].remove("van-hoa")
    del topic["cv_metrics"]["per_class"]["van-hoa"]
    candidate["tasks"]["doc_type"]["cv_metrics"] = None
    if same_documents:
        # The second version was saved from the first one's pipelines: the same training documents. The
        # fixture saved it without their fingerprints; record them as a training with them would.
        source = data_dir / "models" / first / FINGERPRINTS_FILE
        shutil.copyfile(source, data_dir / "models" / second / FINGERPRINTS_FILE)
        candidate["files"][FINGERPRINTS_FILE] = base["files"][FINGERPRINTS_FILE]
    else:
        candidate["corpus"]["documents"] -= 5
    _write(data_dir, second, candidate)


def _compare(client, base: str, candidate: str):
    return client.get("/api/models/compare", params={"base": base, "candidate": candidate}, headers=auth("reader"))


def test_api_figures_are_the_manifests_numbers(trained_dir, trained_seed):  # noqa: F811
    _, first, second = trained_seed
    _with_figures(trained_dir, first, second)
    base_cv = _read(trained_dir, first)["tasks"]["topic"]["cv_metrics"]
    candidate_cv = _read(trained_dir, second)["tasks"]["topic"]["cv_metrics"]
    with make_client(trained_dir) as client:
        response = _compare(client, first, second)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["base"]["version"] == first and body["base"]["active"]
    assert body["candidate"]["version"] == second
    assert body["same_corpus"] is True and body["corpus"]["basis"] == "fingerprints"
    assert body["warnings"] == [] and body["hint"] is None
    tasks = {t["task"]: t for t in body["tasks"]}
    assert list(tasks) == ["doc_type", "topic"]
    topic = tasks["topic"]
    assert topic["name"] == "Lĩnh vực"
    for name in ("accuracy", "macro_f1", "ece"):
        metric = topic["metrics"][name]
        assert metric["base"] == base_cv[name] and metric["candidate"] == candidate_cv[name]
        assert metric["delta"] == pytest.approx(candidate_cv[name] - base_cv[name])
    assert topic["metrics"]["macro_f1"]["verdict"] == "better"
    assert topic["metrics"]["ece"]["verdict"] == "better"  # lower calibration error is better
    rows = topic["per_class"]
    # Sorted by the size of the change: Đất đai +15, Y tế −10, Giáo dục +4, then unchanged labels.
    assert [r["label"] for r in rows[:3]] == ["dat-dai", "y-te", "giao-duc"]
    for row in rows[:3]:
        label = row["label"]
        assert row["base_f1"] == base_cv["per_class"][label]["f1"]
        assert row["candidate_f1"] == candidate_cv["per_class"][label]["f1"]
        assert row["delta"] == pytest.approx(CHANGES[label], abs=1e-4)
        assert row["base_support"] == row["candidate_support"] == base_cv["per_class"][label]["support"] > 0
    # a label's change counts only beyond one of its documents (1/support): Y tế's −10 points on fewer than
    # ten documents is within it, Đất đai's +15 on its many documents is not
    assert rows[1]["verdict"] == ("worse" if 1 / rows[1]["base_support"] < 0.10 else "same")
    assert rows[0]["verdict"] == ("better" if 1 / rows[0]["base_support"] < 0.15 else "same")
    assert rows[-1] == {"label": "van-hoa", "base_f1": base_cv["per_class"]["van-hoa"]["f1"], "candidate_f1": None,
                        "delta": None, "verdict": None, "base_support": base_cv["per_class"]["van-hoa"]["support"],
                        "candidate_support": None}  # fmt: skip
    assert topic["only_base"] == ["van-hoa"] and topic["only_candidate"] == []
    # The candidate was trained with --cv 0 for doc_type: shown as such, not an error.
    doc_type = tasks["doc_type"]
    assert doc_type["candidate"]["status"] == NO_CV == "chưa có số liệu kiểm định chéo"
    assert doc_type["base"]["has_cv"] and doc_type["base"]["status"] is None
    assert doc_type["metrics"]["accuracy"] == {"name": "accuracy", "base": 0.9, "candidate": None, "delta": None,
                                               "higher_is_better": True, "verdict": None}  # fmt: skip


def test_api_warns_when_the_versions_were_trained_on_different_data(trained_dir, trained_seed):  # noqa: F811
    _, first, second = trained_seed
    _with_figures(trained_dir, first, second, same_documents=False)
    with make_client(trained_dir) as client:
        body = _compare(client, first, second).json()
    assert body["same_corpus"] is False and body["corpus"]["basis"] == "documents"
    assert len(body["warnings"]) == 1 and NOT_COMPARABLE in body["warnings"][0]
    assert body["hint"] == f"vanban models compare {second} --baseline {first} --corpus HELDOUT.jsonl"


def test_api_without_cross_validation_or_fingerprints(trained_dir, trained_seed):  # noqa: F811
    """As the fixture trained them (--cv 0, the second saved without fingerprints): no figures, no error,
    and no claim that the data were the same."""
    _, first, second = trained_seed
    with make_client(trained_dir) as client:
        body = _compare(client, first, second).json()
    assert body["same_corpus"] is None and body["hint"]
    assert "Không xác định được" in body["warnings"][0]
    for task in body["tasks"]:
        assert task["base"]["status"] == task["candidate"]["status"] == NO_CV
        assert task["per_class"] == [] and task["metrics"]["macro_f1"]["delta"] is None


def test_api_errors(trained_dir, trained_seed):  # noqa: F811
    _, first, second = trained_seed
    with make_client(trained_dir) as client:
        body = assert_problem(_compare(client, "khong-co", second), 404, "model-not-found")
        assert "khong-co" in body["detail"]
        assert_problem(_compare(client, first, "../../etc"), 404, "model-not-found")
        # a link pasted unencoded: the "+" of "…-topic+doc_type-…" arrives as a space
        pasted = client.get(f"/api/models/compare?base={first}&candidate={second}", headers=auth("reader"))
        assert "+" in first and pasted.status_code == 200, pasted.text
        assert_problem(client.get("/api/models/compare", params={"base": first}, headers=auth("reader")), 422,
                       "invalid-request")  # fmt: skip
        assert_problem(client.get("/api/models/compare", params={"base": first, "candidate": second}), 401,
                       "unauthorized")  # fmt: skip
        # A directory copied by hand is refused, as everywhere else (one id, one model).
        shutil.copytree(trained_dir / "models" / second, trained_dir / "models" / "ban-sao")
        body = assert_problem(_compare(client, first, "ban-sao"), 409, "incompatible-model")
        assert "ban-sao" in body["detail"]


def _text(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def test_models_page_shows_the_comparison_table(trained_dir, trained_seed):  # noqa: F811
    _, first, second = trained_seed
    _with_figures(trained_dir, first, second, same_documents=False)
    with make_client(trained_dir) as client:
        login(client, "admin")
        page = client.get("/models")
        assert page.status_code == 200 and "So sánh hai phiên bản" in page.text
        # Defaults: the active version as base, the newest other one as candidate.
        base_select, candidate_select = page.text.split('name="base"')[1].split('name="candidate"')
        assert f'<option value="{first}" selected>' in base_select and " selected" not in base_select.split(first)[0]
        assert f'<option value="{second}" selected>' in candidate_select.split("</select>")[0]
        assert "Kích hoạt" in page.text  # the versions table and its actions are still there

        page = client.get("/models", params={"base": first, "candidate": second})
    assert page.status_code == 200
    text = _text(page.text)
    assert "Lĩnh vực" in text and "Loại văn bản" in text
    dat_dai = _read(trained_dir, first)["tasks"]["topic"]["cv_metrics"]["per_class"]["dat-dai"]["f1"]
    shown = f"{dat_dai:.1%} {dat_dai + 0.15:.1%}".replace(".", ",")  # Vietnamese decimal comma (QA)
    assert f"Đất đai – Tài nguyên – Môi trường dat-dai {shown} ▲ +15,0" in text
    y_te = _read(trained_dir, first)["tasks"]["topic"]["cv_metrics"]["per_class"]["y-te"]["support"]
    y_te_delta = "▼ -10,0" if 1 / y_te < 0.10 else "≈ -10,0"  # within one document of the label: "same"
    assert "Y tế – Phòng chống dịch y-te" in text and y_te_delta in text
    assert text.index("Đất đai – Tài nguyên") < text.index("Y tế – Phòng chống dịch") < text.index("Giáo dục – Đào tạo")
    assert "Macro-F1 70,0% 74,0% ▲ +4,0" in text
    assert "ECE (càng thấp càng tốt) 5,0% 4,0% ▼ -1,0" in text  # lower is better: shown green
    assert re.search(r'class="delta conf-high" title="Tốt hơn">▼ -1,0', page.text)
    if y_te_delta.startswith("▼"):
        assert re.search(r'class="delta conf-low" title="Kém hơn">▼ -10,0', page.text)
    assert "Nhãn chỉ phiên bản gốc có: Văn hóa – Thể thao – Du lịch van-hoa" in text
    assert NO_CV in text
    assert NOT_COMPARABLE in text
    assert f"vanban models compare {second} --baseline {first} --corpus HELDOUT.jsonl" in text


def test_models_page_same_data_no_warning(trained_dir, trained_seed):  # noqa: F811
    _, first, second = trained_seed
    _with_figures(trained_dir, first, second)
    with make_client(trained_dir) as client:
        login(client, "admin")
        page = client.get("/models", params={"base": first, "candidate": second, "warn": "no-doc_type"})
    text = _text(page.text)
    assert page.status_code == 200 and "Cùng dữ liệu" in text
    assert NOT_COMPARABLE not in text
    # the paired held-out comparison is always offered before promoting a version (QA: a noise-sized change
    # was called better)
    assert f"vanban models compare {second} --baseline {first} --corpus HELDOUT.jsonl" in text
    assert "không có mô hình loại văn bản" in text  # the activation warning still shows beside the comparison


def test_models_page_unknown_version_and_hostile_parameter(trained_dir, trained_seed):  # noqa: F811
    _, first, second = trained_seed
    hostile = '<script>alert("x")</script>'
    with make_client(trained_dir) as client:
        login(client, "admin")
        page = client.get("/models", params={"base": hostile, "candidate": second})
        assert page.status_code == 404
        assert "<script>alert" not in page.text
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page.text
        assert "Không có phiên bản mô hình" in page.text and "Kích hoạt" in page.text  # the page is still usable
        page = client.get("/models", params={"base": first, "candidate": "khong-co"})
        assert page.status_code == 404 and "Không có phiên bản mô hình “khong-co”" in page.text
        # Readers and uploaders do not see the admin page.
        client.cookies.clear()
        assert client.get("/models", params={"base": first, "candidate": second},
                          headers=auth("reader")).status_code == 403  # fmt: skip


def test_a_task_only_one_version_has_and_corpora_from_files():
    """The pure comparison: a task missing from one manifest, and corpora told apart by their files' hash."""
    spec = {"labels": ["dat-dai", "y-te"], "label_counts": {"dat-dai": 7, "y-te": 6}}
    spec["cv_metrics"] = _cv_metrics(spec, 0.8, 0.7, 0.05)
    corpus = {"files": [{"name": "binhduong", "sha256": "a" * 64, "documents": 13}], "documents": 13, "hash": "b" * 64}
    base = {"tasks": {"topic": spec, "doc_type": spec}, "corpus": corpus}
    candidate = {"tasks": {"topic": spec}, "corpus": {**corpus, "hash": "c" * 64}}
    result = compare_manifests(VersionSummary("v1", None, None, True), base,
                               VersionSummary("v2", None, None, False), candidate)  # fmt: skip
    doc_type = result.tasks[0]
    assert doc_type.task == "doc_type" and doc_type.candidate.status == "không có mô hình cho tác vụ này"
    assert doc_type.only_base == doc_type.only_candidate == ()  # a missing task is not a list of missing labels
    assert result.corpus.same is False and result.corpus.basis == "hash"
    assert compare_corpora(base, {**base}).same is True
    relabelled = {"tasks": {"topic": {**spec, "label_counts": {"dat-dai": 8, "y-te": 5}}}, "corpus": corpus}
    assert compare_corpora(base, relabelled).basis == "labels"
