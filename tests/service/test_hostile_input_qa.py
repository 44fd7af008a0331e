"""Findings of a hostile-input QA pass (round 11): what a clerk saves keeps what they did not touch."""

from __future__ import annotations

import re

from corpus.document import Document, LabelSource
from corpus.store import Store
from tests.service.conftest import auth, make_client
from tests.service.test_pages import login
from tests.service.test_taxonomy_labels import submitted


def test_saving_another_field_keeps_a_type_outside_the_list(data_dir):
    # An import files a type it does not know as written ("hướng dẫn liên tịch"); the page's type select did
    # not offer it, so saving only the signer sent "" and filed the clerk's empty type (QA).
    with Store.open(data_dir) as store:
        store.upsert(
            Document(id="hd-lt-01", number="01/HDLT-SYT-STC", doc_type="huong-dan-lien-tich",
                     issuer="Sở Y tế tỉnh Nghệ An", title="Hướng dẫn liên tịch về thanh toán chi phí khám bệnh"),
            actor="kiem-thu", source=LabelSource.SOURCE,
        )  # fmt: skip
    with make_client(data_dir) as client:
        token = login(client, "uploader")
        page = client.get("/documents/hd-lt-01").text
        assert submitted(page, "c-doc_type") == "huong-dan-lien-tich"
        assert "huong-dan-lien-tich (ngoài danh mục)" in page
        filed = client.get("/api/documents/hd-lt-01", headers=auth("reader")).json()
        form = {"csrf_token": token, "doc_type": submitted(page, "c-doc_type"), "topic": submitted(page, "c-topic"),
                "issued_date": "", **{f: filed[f] or "" for f in ("number", "issuer", "title", "status")},
                "signer": "Nguyễn Văn An"}  # fmt: skip
        saved = client.post("/documents/hd-lt-01/correct", data=form, follow_redirects=False)
        assert saved.status_code == 303, saved.text[:500]
        after = client.get("/api/documents/hd-lt-01", headers=auth("reader")).json()
        assert after["doc_type"] == "huong-dan-lien-tich" and after["signer"] == "Nguyễn Văn An"
        audit = client.get("/api/documents/hd-lt-01/audit", headers=auth("reader")).json()
        labels = [e["details"] for e in audit["entries"] if e["action"] == "label"]
        assert labels and not [d for d in labels if re.search("doc_type", str(d))]  # the signer's label only
