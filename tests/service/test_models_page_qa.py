"""The models page and ``/api/models/compare`` after the researcher QA pass (round 11): no verdict on a change
within the noise of cross-validation, always the paired held-out comparison to run before promoting, a version
that cannot be loaded said so, no rollback button that can only fail, and registry messages' `commands` shown
as code."""

from __future__ import annotations

import json
from html import unescape
from pathlib import Path
from typing import Any

from models.registry import MANIFEST
from service.model_compare import MIN_NOISE, compare_task, metric_noise
from tests.service.conftest import auth, make_client
from tests.service.test_api_models import trained_dir, trained_seed  # noqa: F401  (fixtures)
from tests.service.test_pages import login


def _cv(macro_f1: float, accuracy: float = 0.9, ece: float = 0.03, folds: list[float] | None = None) -> dict[str, Any]:
    cv: dict[str, Any] = {"n": 100, "accuracy": accuracy, "macro_f1": macro_f1, "ece": ece, "folds": 5,
                          "per_class": {}}  # fmt: skip
    if folds is not None:
        cv["fold_scores"] = {"macro_f1": folds, "accuracy": folds}
    return cv


def _verdicts(base: dict[str, Any], candidate: dict[str, Any]) -> dict[str, str | None]:
    task = compare_task("topic", {"labels": [], "cv_metrics": base}, {"labels": [], "cv_metrics": candidate})
    return {m.name: m.verdict for m in task.metrics}


def test_a_noise_sized_change_is_not_called_better() -> None:
    # The QA case: topic macro-F1 +0.0006 was "better" (a green ▲ +0.1).
    assert _verdicts(_cv(0.8866), _cv(0.8872))["macro_f1"] == "same"
    assert _verdicts(_cv(0.8866), _cv(0.8866 + MIN_NOISE * 0.9))["macro_f1"] == "same"
    assert _verdicts(_cv(0.80), _cv(0.83))["macro_f1"] == "better"
    assert _verdicts(_cv(0.83), _cv(0.80))["macro_f1"] == "worse"
    assert _verdicts(_cv(0.8, ece=0.05), _cv(0.8, ece=0.048))["ece"] == "same"


def test_the_fold_spread_widens_the_noise() -> None:
    steady, spread = [0.80, 0.801, 0.799, 0.80, 0.80], [0.70, 0.90, 0.75, 0.85, 0.80]
    assert metric_noise(_cv(0.8, folds=steady), _cv(0.8, folds=steady), "macro_f1") == MIN_NOISE
    wide = metric_noise(_cv(0.8, folds=spread), _cv(0.83, folds=spread), "macro_f1")
    assert wide > 0.03  # two standard errors of two means of five folds 0.079 apart
    assert _verdicts(_cv(0.80, folds=spread), _cv(0.83, folds=spread))["macro_f1"] == "same"
    assert _verdicts(_cv(0.80, folds=steady), _cv(0.83, folds=steady))["macro_f1"] == "better"
    # one side without fold scores (trained before they were recorded): the documented minimum
    assert metric_noise(_cv(0.8), _cv(0.8, folds=spread), "macro_f1") == MIN_NOISE


def _manifest(data_dir: Path, version: str) -> Path:
    return data_dir / "models" / version / MANIFEST


def _edit(data_dir: Path, version: str, change: Any) -> None:
    path = _manifest(data_dir, version)
    manifest = json.loads(path.read_text(encoding="utf-8"))
    change(manifest)
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")


def _other_sklearn(manifest: dict[str, Any]) -> None:
    manifest["versions"]["scikit-learn"] = "0.0.1"


def _compare(client: Any, base: str, candidate: str) -> dict[str, Any]:
    return client.get("/api/models/compare", params={"base": base, "candidate": candidate},
                      headers=auth("reader")).json()  # fmt: skip


def test_api_always_points_to_the_paired_comparison(trained_dir, trained_seed):  # noqa: F811
    _, first, second = trained_seed
    with make_client(trained_dir) as client:
        body, same = _compare(client, first, second), _compare(client, first, first)
    assert body["paired_compare"] == f"vanban models compare {second} --baseline {first} --corpus HELDOUT.jsonl"
    assert {t["task"]: t["noise"]["macro_f1"] for t in body["tasks"]} == {"doc_type": MIN_NOISE, "topic": MIN_NOISE}
    assert same["paired_compare"] is None


def test_api_says_a_version_cannot_be_activated_here(trained_dir, trained_seed):  # noqa: F811
    _, first, second = trained_seed
    _edit(trained_dir, second, _other_sklearn)
    with make_client(trained_dir) as client:
        body = _compare(client, first, second)
    unusable = [w for w in body["warnings"] if "không kích hoạt được" in w]
    assert len(unusable) == 1 and second in unusable[0] and "scikit-learn 0.0.1" in unusable[0]


def test_page_shows_the_paired_command(trained_dir, trained_seed):  # noqa: F811
    _, first, second = trained_seed
    with make_client(trained_dir) as client:
        login(client, "admin")
        page = unescape(client.get("/models", params={"base": first, "candidate": second}).text)
    assert f"<code>vanban models compare {second} --baseline {first} --corpus HELDOUT.jsonl</code>" in page
    assert "mức dao động của kiểm định chéo" in page


def test_page_shows_commands_of_a_reason_as_code(trained_dir, trained_seed):  # noqa: F811
    _, first, second = trained_seed
    _edit(trained_dir, second, _other_sklearn)
    with make_client(trained_dir) as client:
        login(client, "admin")
        page = unescape(client.get("/models").text)
    assert "scikit-learn 0.0.1" in page  # the unusable version's reason: "… (`vanban train`) …"
    assert "`vanban train`" not in page and "<code>vanban train</code>" in page


def test_no_rollback_button_when_a_rollback_would_be_refused(trained_dir, trained_seed):  # noqa: F811
    _, first, second = trained_seed
    with make_client(trained_dir) as client:
        token = login(client, "admin")
        # Two versions, but only the first was ever active: nothing to go back to.
        assert 'action="/models/rollback"' not in client.get("/models").text
        client.post(f"/api/models/{second}/activate", headers=auth("admin"))
        assert 'action="/models/rollback"' in client.get("/models").text
        back = client.post("/models/rollback", data={"csrf_token": token}, follow_redirects=False)
        assert back.status_code == 303 and "ok=rolledback" in back.headers["location"]
        assert 'action="/models/rollback"' not in client.get("/models").text  # after the rollback: nothing left
        # A rollback posted anyway (an old tab) returns to the models page with the registry's reason.
        refused = client.post("/models/rollback", data={"csrf_token": token}, follow_redirects=False)
        assert refused.status_code == 303 and refused.headers["location"] == "/models?error=rollback"
        page = client.get(refused.headers["location"])
        assert page.status_code == 200 and "Không có phiên bản nào trước đó để quay lại." in page.text
        assert client.get("/models?error=%3Cb%3E").text.count("alert-error") == 0  # only the known code is read


def test_a_labels_change_within_one_of_its_documents_is_not_a_verdict() -> None:
    # QA: an-ninh "▼ -13.9" on 4 documents and dat-dai "▲ +0.7" on 77 were called worse and better
    from service.model_compare import ClassDelta

    assert ClassDelta("an-ninh", 0.50, 0.361, 4, 4).verdict == "same"
    assert ClassDelta("dat-dai", 0.900, 0.907, 77, 77).verdict == "same"
    assert ClassDelta("dat-dai", 0.80, 0.95, 77, 77).verdict == "better"
    assert ClassDelta("y-te", 0.90, 0.60, 20, 20).verdict == "worse"
