"""Request bodies outside the upload are refused with 413 before anything reads them whole:
a Content-Length over the limit before a byte is read, a chunked body (or one longer than it
said) as soon as it passes the limit, whether a file or a form, before the login and CSRF
checks. Pages answer with the Dutch error page, the API with JSON; the upload keeps its own
limit (`limits.max_bytes`), also refused before its token is looked at. The ASGI app is
driven directly: the test client would read a streamed body whole before sending it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import anyio
import pytest
from fastapi import FastAPI
from starlette.types import Message

from core.settings import Limits
from tests.webkit import RID, case, client_for, login, make_app
from web.tokens import create_token

CHUNK = 1024
LOGIN_LIMIT = 4 * 1024
MULTIPART = b"multipart/form-data; boundary=grens"
FORM = b"application/x-www-form-urlencoded"
FILE_PART = (
    b'--grens\r\nContent-Disposition: form-data; name="slot"\r\n\r\nprestatiebewijs\r\n'
    b'--grens\r\nContent-Disposition: form-data; name="bestand"; filename="groot.pdf"\r\n'
    b"Content-Type: application/pdf\r\n\r\n%PDF-1.7\n"
)


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    return make_app(tmp_path, limits=Limits(max_bytes=64 * 1024))


@dataclass
class Sent:
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    pulled: int = 0  # body bytes the app asked for

    @property
    def text(self) -> str:
        return self.body.decode()

    @property
    def json_detail(self) -> str:
        return str(json.loads(self.body)["detail"])


def body(total: int, head: bytes = b"") -> Iterator[bytes]:
    """`total` bytes in chunks of 1 kB, made only as they are asked for."""
    yield head
    for _ in range((total - len(head)) // CHUNK):
        yield b"a" * CHUNK


def drive(
    app: FastAPI,
    path: str,
    chunks: Iterator[bytes],
    content_type: bytes = FORM,
    length: int | None = None,
    extra: list[tuple[bytes, bytes]] | None = None,
) -> Sent:
    """POST `chunks` to `path` straight into the ASGI app; what it answered and read."""
    sent = Sent()
    headers = [(b"content-type", content_type), (b"host", b"testserver"), *(extra or [])]
    if length is not None:
        headers.append((b"content-length", str(length).encode()))
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
        "root_path": "", "headers": headers, "client": ("10.0.0.1", 5000),
        "server": ("testserver", 80),
    }  # fmt: skip

    async def receive() -> Message:
        chunk = next(chunks, None)
        if chunk is None:
            return {"type": "http.request", "body": b"", "more_body": False}
        sent.pulled += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            sent.status = message["status"]
            sent.headers = {k.decode(): v.decode() for k, v in message["headers"]}
        elif message["type"] == "http.response.body":
            sent.body += message.get("body", b"")

    anyio.run(app, scope, receive, send)
    return sent


def test_a_declared_300_mb_login_is_refused_unread(app: FastAPI) -> None:
    sent = drive(app, "/login", body(300 * 1024 * 1024), MULTIPART, length=300 * 1024 * 1024)
    assert sent.status == 413 and sent.pulled == 0
    assert sent.headers["content-type"].startswith("text/html")
    assert "Het formulier is groter dan 4 kB" in sent.text and "<h1>Te groot</h1>" in sent.text
    assert sent.headers["content-security-policy"]  # the security headers too


@pytest.mark.parametrize(
    ("content_type", "head"),
    [
        (FORM, b"username=bram&password="),
        (MULTIPART, FILE_PART),
    ],
)
def test_a_streamed_login_is_refused_once_past_the_limit(
    app: FastAPI, content_type: bytes, head: bytes
) -> None:
    sent = drive(app, "/login", body(20 * 1024 * 1024, head), content_type)  # chunked
    assert sent.status == 413 and "groter dan 4 kB" in sent.text
    assert sent.pulled <= LOGIN_LIMIT + CHUNK


def test_a_body_longer_than_it_said_is_refused_too(app: FastAPI) -> None:
    sent = drive(app, "/login", body(20 * 1024 * 1024), length=100)
    assert sent.status == 413 and sent.pulled <= LOGIN_LIMIT + CHUNK


def test_a_big_review_form_is_refused_in_dutch_and_changes_nothing(app: FastAPI) -> None:
    client = client_for(app)
    token = login(client)
    response = client.post(
        f"/registraties/{RID}/claim", data={"csrf_token": token, "reden": "x" * 40_000}
    )
    assert response.status_code == 413 and "Het formulier is groter dan 16 kB" in response.text
    assert case(app).claimed_by is None
    claimed = client.post(f"/registraties/{RID}/claim", data={"csrf_token": token, "reden": "x"})
    assert claimed.status_code == 303 and case(app).claimed_by == "bram"


def test_the_api_answers_json_and_the_upload_keeps_its_own_limit(app: FastAPI) -> None:
    upload = f"/api/v1/registraties/{RID}/uploads"
    declared = drive(app, upload, body(10 * 1024 * 1024), MULTIPART, length=10 * 1024 * 1024)
    assert declared.status == 413 and declared.pulled == 0  # before the token is looked at
    assert declared.headers["content-type"] == "application/json"
    assert declared.json_detail.startswith("Het bestand is groter dan 64 kB")
    anonymous = drive(app, upload, body(10 * 1024 * 1024), MULTIPART)  # chunked, no token
    assert anonymous.status == 401 and anonymous.pulled == 0
    _, token = create_token(app.state.engine, case(app).organisatie, "test")
    bearer = [(b"authorization", f"Bearer {token}".encode())]
    streamed = drive(app, upload, body(10 * 1024 * 1024, FILE_PART), MULTIPART, extra=bearer)
    assert streamed.status == 413 and streamed.pulled <= 64 * 1024 + 64 * 1024 + CHUNK
    assert "Het bestand is groter dan 64 kB" in streamed.text
    within = drive(app, upload, body(100 * 1024), MULTIPART, length=100 * 1024)
    assert within.status == 401  # under the upload's limit: on to the token check
    other = drive(app, f"/api/v1/registraties/{RID}", body(1024 * 1024), FORM, 1024 * 1024)
    assert other.status == 413 and other.pulled == 0
    assert other.json_detail.startswith("Het verzoek is groter dan 16 kB")
