"""Access: keys and roles, local mode, web sessions with CSRF, login throttling, key configuration."""

from __future__ import annotations

import re

import pytest

from service.auth import KeyRing
from service.settings import Role, Settings, parse_api_keys
from tests.service.conftest import KEYS, NAMES, assert_problem, auth, make_client


def test_health_needs_no_key_everything_else_does(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").status_code == 200
    for method, url in (("get", "/api/search?q=ke+hoach"), ("get", "/api/documents/demo-001"),
                        ("get", "/api/documents/demo-001/related"), ("get", "/api/documents/demo-001/file"),
                        ("get", "/api/review"), ("get", "/api/models"), ("post", "/api/classify"),
                        ("post", "/api/documents"), ("patch", "/api/documents/demo-001"),
                        ("delete", "/api/documents/demo-001"), ("post", "/api/models/x/activate")):  # fmt: skip
        response = getattr(client, method)(url)
        body = assert_problem(response, 401, "unauthorized")
        assert response.headers["www-authenticate"].startswith("Bearer"), url
        assert "khóa" in body["detail"].lower()


def test_wrong_key_is_401_not_anonymous(client):
    for header in ("Bearer khong-phai-khoa-nao-ca", "Basic YWJjOmRlZg==", "Bearer", KEYS["reader"]):
        response = client.get("/api/search?q=x", headers={"Authorization": header})
        assert_problem(response, 401, "unauthorized")
        assert 'error="invalid_token"' in response.headers["www-authenticate"]


def test_roles_are_ordered(client):
    assert_problem(client.post("/api/documents", json={"text": "Số: 1/TB-UBND"}, headers=auth("reader")), 403, "forbidden")
    body = assert_problem(client.delete("/api/documents/demo-001", headers=auth("uploader")), 403, "forbidden")
    assert (body["role"], body["required_role"]) == ("uploader", "admin")
    assert NAMES["uploader"] in body["detail"]
    assert_problem(client.post("/api/models/v1/activate", headers=auth("uploader")), 403, "forbidden")
    assert client.get("/api/search?q=x", headers=auth("admin")).status_code == 200  # admin reads too


def test_without_keys_reading_is_open_and_writing_refused(data_dir):
    with make_client(data_dir, api_keys="") as client:
        assert client.get("/api/search?q=tiep+cong+dan").status_code == 200
        body = assert_problem(client.patch("/api/documents/demo-001", json={"topic": "y-te"}), 401, "unauthorized")
        assert "VANBAN_API_KEYS" in body["detail"]


def test_local_mode_opens_reads_only(data_dir):
    with make_client(data_dir, local_mode=True) as client:
        assert client.get("/api/documents/demo-001").status_code == 200
        assert_problem(client.delete("/api/documents/demo-001"), 401, "unauthorized")
        assert client.patch("/api/documents/demo-001", json={"topic": "y-te"}, headers=auth("uploader")).status_code == 200


def _csrf(client, page="/login"):
    html = client.get(page).text
    return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)


def test_web_login_session_and_csrf(client):
    token = _csrf(client)
    assert client.cookies.get("vanban_csrf") == token
    wrong = client.post("/login", data={"key": "sai-khoa-roi-0000000", "csrf_token": token, "next": "/"})
    assert wrong.status_code == 401 and "Khóa không đúng" in wrong.text
    forged = client.post("/login", data={"key": KEYS["uploader"], "csrf_token": "gia-mao"}, follow_redirects=False)
    assert_problem(forged, 403, "csrf") if forged.headers["content-type"].startswith("application") else None
    assert forged.status_code == 403
    ok = client.post("/login", data={"key": KEYS["uploader"], "csrf_token": token, "next": "//evil.example/x"},
                     follow_redirects=False)  # fmt: skip
    assert ok.status_code == 303 and ok.headers["location"] == "/"  # no open redirect
    assert "vanban_session" in ok.cookies
    # The session works for the API; a write from a page's script must carry the (rotated) CSRF token.
    assert client.get("/api/documents/demo-001").status_code == 200
    assert_problem(client.patch("/api/documents/demo-001", json={"topic": "y-te"}), 403, "csrf")
    fresh = _csrf(client, "/")
    assert fresh != token
    response = client.patch("/api/documents/demo-001", json={"topic": "y-te"}, headers={"X-CSRF-Token": fresh})
    assert response.status_code == 200 and response.json()["labels"]["topic"]["author"] == NAMES["uploader"]
    assert_problem(client.delete("/api/documents/demo-001", headers={"X-CSRF-Token": fresh}), 403, "forbidden")
    # Logging out ends the session.
    client.post("/logout", data={"csrf_token": fresh})
    assert_problem(client.get("/api/documents/demo-001"), 401, "unauthorized")


def test_tampered_or_revoked_session_is_ignored(data_dir):
    with make_client(data_dir) as client:
        token = _csrf(client)
        client.post("/login", data={"key": KEYS["admin"], "csrf_token": token})
        cookie = client.cookies.get("vanban_session")
        payload, signature = cookie.split(".")
        client.cookies.delete("vanban_session")
        client.cookies.set("vanban_session", payload + "." + signature[::-1])
        assert_problem(client.get("/api/review"), 401, "unauthorized")
    rotated = f"{NAMES['admin']}:admin:une-autre-cle-0123456789"
    with make_client(data_dir, api_keys=rotated, session_secret="fixe") as before, \
            make_client(data_dir, api_keys=f"{NAMES['admin']}:admin:encore-une-autre-0123456789",
                        session_secret="fixe") as after:  # fmt: skip
        token = _csrf(before)
        before.post("/login", data={"key": "une-autre-cle-0123456789", "csrf_token": token})
        assert before.get("/api/review").status_code == 200
        after.cookies.set("vanban_session", before.cookies.get("vanban_session"))
        assert after.cookies.get("vanban_session")
        assert_problem(after.get("/api/review"), 401, "unauthorized")  # the key changed: the session ends


def test_login_attempts_are_throttled(client):
    token = _csrf(client)
    for _ in range(10):
        client.post("/login", data={"key": "doan-mo-0000000000", "csrf_token": token})
    response = client.post("/login", data={"key": KEYS["admin"], "csrf_token": token})
    assert response.status_code == 429
    assert "5 phút" in response.text


def test_key_configuration_is_checked():
    keys = parse_api_keys(" an:admin:0123456789abcdef , binh:READER:fedcba9876543210 ")
    assert [(k.name, k.role) for k in keys] == [("an", Role.ADMIN), ("binh", Role.READER)]
    for bad in ("an:admin", "an:boss:0123456789abcdef", "an:admin:short", "a b:admin:0123456789abcdef",
                "an:admin:0123456789abcdef,an:reader:fedcba9876543210",
                "an:admin:0123456789abcdef,binh:reader:0123456789abcdef"):  # fmt: skip
        with pytest.raises(ValueError):
            parse_api_keys(bad)
    with pytest.raises(ValueError):
        Settings(api_keys="an:admin:short")
    ring = KeyRing(keys)
    assert ring.match("0123456789abcdef").name == "an"
    assert ring.match("0123456789abcdeF") is None and ring.match("") is None
