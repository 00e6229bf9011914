"""The production shape runs the web app behind TLS by default: compose publishes only the
TLS proxy (deploy/Caddyfile), the app behind it marks its cookie Secure and sends HSTS, and the
serve command trusts forwarded client addresses only from the proxy it is told of."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from bewijscheck.cli import app as cli
from core.settings import Settings
from web.app import create_app
from web.gate import HSTS

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"


def services() -> dict[str, dict[str, object]]:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())["services"]


def test_only_the_tls_proxy_is_published_and_the_app_behind_it_is_https_only() -> None:
    web, proxy = services()["web"], services()["proxy"]
    assert "ports" not in web, "the web app must be reachable only through the TLS proxy"
    command = str(web["command"]).split()
    assert "--https-only" in command
    port = command[command.index("--port") + 1]
    assert proxy["ports"] == ["80:80", "443:443"]
    assert any("Caddyfile" in str(v) for v in proxy["volumes"])  # type: ignore[attr-defined]
    caddyfile = (DEPLOY / "Caddyfile").read_text()
    assert f"reverse_proxy web:{port}" in caddyfile
    assert "Strict-Transport-Security" in caddyfile and "tls " in caddyfile
    assert re.search(r"protocols tls1\.2 tls1\.3", caddyfile)
    max_size = re.search(r"max_size (\d+)MB", caddyfile)
    assert max_size and int(max_size.group(1)) * 1_000_000 >= Settings().limits.max_bytes
    # no other service serves the web app over plain HTTP
    others = [s for name, s in services().items() if name not in ("web", "proxy")]
    assert not any("serve" in str(s.get("command", "")).split() for s in others)


def test_an_https_only_app_sends_hsts_and_a_secure_cookie(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    secure = TestClient(create_app(settings, secret_key="s", https_only=True), base_url="https://t")
    answer = secure.get("/login")
    assert answer.headers["Strict-Transport-Security"] == HSTS
    assert "secure" in answer.headers["set-cookie"].lower()
    plain = TestClient(create_app(settings, secret_key="s"))
    answer = plain.get("/login")
    assert "Strict-Transport-Security" not in answer.headers
    assert "secure" not in answer.headers["set-cookie"].lower()


def test_serve_takes_the_proxy_addresses_and_certificates_it_is_given() -> None:
    runner = CliRunner()
    assert (
        runner.invoke(cli, ["serve", "--forwarded-allow-ips", "10.0.0.2", "--help"]).exit_code == 0
    )
    half = runner.invoke(cli, ["serve", "--ssl-certfile", "cert.pem"])
    assert half.exit_code == 2 and "ssl-keyfile" in half.output


def test_serving_tls_directly_makes_the_app_https_only(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import uvicorn

    import pipeline.bootstrap
    import web.app

    calls: dict[str, Any] = {}
    monkeypatch.setenv("BEWIJSCHECK_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(pipeline.bootstrap, "init_process", lambda s, **kw: None)
    monkeypatch.setattr(web.app, "create_app", lambda s, **kw: calls.update(app=kw) or "app")
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.update(run=kw))
    args = ["serve", "--ssl-certfile", "c.pem", "--ssl-keyfile", "k.pem"]
    assert CliRunner().invoke(cli, args).exit_code == 0
    assert calls["app"] == {"https_only": True}
    assert (calls["run"]["ssl_certfile"], calls["run"]["ssl_keyfile"]) == ("c.pem", "k.pem")
