"""A proposal queued for review says why, also when only the service's own bar queued it (QA, 2026-11-29: a
field at 56 % sat in the review queue with no reason; the model's bar was 55 %, the service's 60 %)."""

from __future__ import annotations

from service.models_adapter import _tags


def _result(topic_confidence: float, *, model_doubts: bool = False) -> dict:
    return {
        "doc_type": {"label": "ke-hoach", "confidence": 0.97, "source": "model", "needs_review": False},
        "topic": {"label": "kinh-te", "confidence": topic_confidence, "source": "model", "needs_review": model_doubts},
        "review_reasons": ["lĩnh vực: độ tin cậy 45% — dưới ngưỡng 55%"] if model_doubts else [],
    }


def test_a_field_below_the_services_bar_only_is_queued_with_that_reason() -> None:
    tags = _tags(_result(0.5631), "v1", 0.6, None)
    assert tags.needs_review and tags.topic.needs_review and not tags.doc_type.needs_review
    assert tags.notes == ("lĩnh vực: độ tin cậy 56% thấp hơn ngưỡng duyệt của hệ thống 60%",)


def test_the_models_own_doubt_keeps_its_reason_and_gets_no_second_one() -> None:
    tags = _tags(_result(0.45, model_doubts=True), "v1", 0.6, None)
    assert tags.notes == ("lĩnh vực: độ tin cậy 45% — dưới ngưỡng 55%",)
    assert _tags(_result(0.8), "v1", 0.6, None).notes == ()  # above both bars: nothing to say


def test_without_an_office_bar_the_service_agrees_with_the_model() -> None:
    """QA (2026-11-30): the CLI said a 55.4 % field needed no review (the model's bar, 55 %) while the API
    queued it (the service's 60 %). Unset, VANBAN_REVIEW_THRESHOLD leaves the model's own bars alone."""
    from service.settings import Settings

    assert Settings.model_fields["review_threshold"].default is None
    tags = _tags(_result(0.554), "v1", None, None)
    assert not tags.needs_review and tags.notes == ()
    assert _tags(_result(0.45, model_doubts=True), "v1", None, None).topic.needs_review


def test_an_empty_review_threshold_setting_means_the_models_own(monkeypatch) -> None:
    from service.settings import Settings

    monkeypatch.setenv("VANBAN_REVIEW_THRESHOLD", "")
    assert Settings(data_dir="/tmp/unused").review_threshold is None
    monkeypatch.setenv("VANBAN_REVIEW_THRESHOLD", "0.65")
    assert Settings(data_dir="/tmp/unused").review_threshold == 0.65


def test_the_services_note_never_reads_a_confidence_equal_to_its_bar() -> None:
    tags = _tags(_result(0.6976), "v1", 0.70, None)
    assert tags.notes == ("lĩnh vực: độ tin cậy 69,8% thấp hơn ngưỡng duyệt của hệ thống 70%",)
