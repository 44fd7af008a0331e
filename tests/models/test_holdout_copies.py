"""The held-out split keeps copies of one text on one side (QA, 2026-11-30: 13 of 616 held-out Bình Dương
documents had a copy in the training part, so their scores were memory, not generalisation)."""

from __future__ import annotations

import json
from pathlib import Path

from models.data import fingerprint, holdout_split

SUBJECTS = ("phòng, chống thiên tai", "chuyển đổi số", "cải cách hành chính", "an toàn giao thông",
            "giải phóng mặt bằng", "tiêm chủng mở rộng", "bảo vệ rừng", "xây dựng nông thôn mới")  # fmt: skip
TOPICS = ("an-ninh", "thong-tin", "cai-cach-hanh-chinh", "an-ninh", "dat-dai", "y-te", "nong-nghiep", "nong-nghiep")


def _corpus(path: Path) -> Path:
    records = []
    for year in range(2016, 2026):
        for subject, topic in zip(SUBJECTS, TOPICS, strict=True):
            records.append({"id": f"{topic}-{year}-{len(records)}", "title": f"Kế hoạch {subject} năm {year}",
                            "topic": topic})  # fmt: skip
    # six texts published twice, under another id (two numbers of one plan on a portal)
    records += [{**r, "id": r["id"] + "-ban-2"} for r in records[:: len(records) // 6][:6]]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def _prints(lines: tuple[str, ...]) -> set[int]:
    return {fingerprint(json.loads(line).get("title"), json.loads(line).get("text")) for line in lines}


def test_copies_of_one_text_stay_on_one_side_of_the_split(tmp_path: Path) -> None:
    source = _corpus(tmp_path / "kh.jsonl")
    for seed in range(12):
        split = holdout_split(source, 0.2, seed)
        assert not _prints(split.train_lines) & _prints(split.held_lines), seed
        assert len(split.train_lines) + len(split.held_lines) == 86
        assert 15 <= len(split.held_lines) <= 20, seed  # still about a fifth, every field represented
        assert {json.loads(line)["topic"] for line in split.held_lines} == set(TOPICS)


def test_records_without_title_or_text_are_no_ones_copies(tmp_path: Path) -> None:
    """Review (2026-11-30): records holding a number alone all shared the empty fingerprint, so one seed held
    out every one of them and another none."""
    records = [{"id": f"so-{k}", "number": f"{k}/QĐ-UBND", "topic": "noi-vu"} for k in range(20)]
    records += [{"id": f"tt-{k}", "title": f"Quyết định bổ nhiệm cán bộ đợt {k}", "topic": "noi-vu"} for k in range(20)]
    source = tmp_path / "so.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    for seed in range(6):
        held = holdout_split(source, 0.2, seed).held_lines
        assert len(held) == 8, seed
