"""The embedded defaults behave like the product: debug only when asked for, real secrets or no start, branded pages."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
LOAD_SETTINGS = (
    "import os, django; os.environ['DJANGO_SETTINGS_MODULE'] = 'smartjustice.config.settings'; django.setup(); "
    "from django.conf import settings; print('DEBUG', settings.DEBUG)"
)
REAL_SECRET = "x7" * 30
REAL_KEK = "ab" * 32  # 32 bytes in hex


def clean_env(tmp_path: Path, **values: str) -> dict:
    """The environment of a fresh deployment: none of our variables, an empty var/ folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SMARTJUSTICE_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    return {**env, "SMARTJUSTICE_VAR_DIR": str(tmp_path), **values}


def load_settings(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", LOAD_SETTINGS], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_debug_is_off_unless_asked_for(tmp_path):
    done = load_settings(
        clean_env(tmp_path, SMARTJUSTICE_SECRET_KEY=REAL_SECRET, SMARTJUSTICE_KEY_ENCRYPTION_KEY=REAL_KEK)
    )
    assert done.returncode == 0, done.stderr
    assert "DEBUG False" in done.stdout
    asked = load_settings(clean_env(tmp_path, SMARTJUSTICE_DEBUG="1"))
    assert asked.returncode == 0, asked.stderr
    assert "DEBUG True" in asked.stdout


def test_outside_debug_the_platform_refuses_to_start_without_a_secret_key(tmp_path):
    done = load_settings(clean_env(tmp_path, SMARTJUSTICE_KEY_ENCRYPTION_KEY=REAL_KEK))
    assert done.returncode != 0
    assert "SMARTJUSTICE_SECRET_KEY" in done.stderr
    placeholder = load_settings(
        clean_env(
            tmp_path,
            SMARTJUSTICE_SECRET_KEY="dev-only-insecure-key-change-me-in-production-0123456789",
            SMARTJUSTICE_KEY_ENCRYPTION_KEY=REAL_KEK,
        )
    )
    assert placeholder.returncode != 0, "the key written in the repository is no secret"


def test_outside_debug_the_key_encryption_key_does_not_fall_back_to_the_secret_key(tmp_path):
    done = load_settings(clean_env(tmp_path, SMARTJUSTICE_SECRET_KEY=REAL_SECRET))
    assert done.returncode != 0
    assert "SMARTJUSTICE_KEY_ENCRYPTION_KEY" in done.stderr
    short = load_settings(
        clean_env(tmp_path, SMARTJUSTICE_SECRET_KEY=REAL_SECRET, SMARTJUSTICE_KEY_ENCRYPTION_KEY="too-short")
    )
    assert short.returncode != 0


def run_cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """The `smartjustice` console command in a fresh environment: no secrets, debug not asked for."""
    return subprocess.run(
        [str(BIN / "smartjustice"), *args],
        env=clean_env(tmp_path),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_without_secrets_the_refusal_to_start_is_one_clear_message(tmp_path):
    done = run_cli(tmp_path, "check")
    assert done.returncode == 1
    assert "SMARTJUSTICE_SECRET_KEY" in done.stderr and "无法启动" in done.stderr
    assert "Traceback" not in done.stderr, done.stderr


@pytest.mark.parametrize("command", ["credentials", "ledger"])
def test_the_offline_verifiers_run_on_a_machine_without_this_deployments_secrets(tmp_path, command):
    """A citizen or an outside auditor verifies on a machine of their own: it has no secret key of the platform, and
    `verify` needs none (it reads no database and no signing key). Exit 2 is the verifier's own answer for a file it
    cannot read, not the settings' refusal to start."""
    done = run_cli(tmp_path, command, "verify", str(tmp_path / "missing-file"))
    assert done.returncode == 2, done.stderr
    assert "SMARTJUSTICE_SECRET_KEY" not in done.stderr and "无法读取" in done.stderr, done.stderr
    assert not (tmp_path / "secrets.env").exists()


def test_make_run_generates_local_secrets_once_and_the_settings_read_them(tmp_path):
    env = clean_env(tmp_path)
    script = [sys.executable, str(ROOT / "scripts" / "local_secrets.py")]
    subprocess.run(script, env=env, check=True, capture_output=True, timeout=60)
    secrets_file = tmp_path / "secrets.env"
    first = secrets_file.read_text()
    assert secrets_file.stat().st_mode & 0o077 == 0, "readable by its owner only"
    subprocess.run(script, env=env, check=True, capture_output=True, timeout=60)
    assert secrets_file.read_text() == first, (
        "kept, not regenerated: the local database is encrypted under it"
    )
    done = load_settings(env)
    assert done.returncode == 0, done.stderr
    assert "DEBUG False" in done.stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return (
                response.status,
                response.headers.get("Content-Type", ""),
                response.read().decode(errors="replace"),
            )
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read().decode(errors="replace")


@pytest.mark.slow
def test_make_run_serves_with_debug_off_branded_404_and_static_files(tmp_path):
    """What `make run` starts: the generated secrets, DEBUG off, static files from the source folders."""
    env = clean_env(tmp_path, SMARTJUSTICE_SECURE_COOKIES="0", SMARTJUSTICE_STATIC_FROM_SOURCE="1")
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "local_secrets.py")], env=env, check=True, timeout=60
    )
    port = _free_port()
    server = subprocess.Popen(
        [str(BIN / "smartjustice"), "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(server.stderr.read().decode())
                time.sleep(0.2)
        status, content_type, body = _get(base + "/no-such-page/")
        assert status == 404
        assert "页面不存在" in body
        assert "URLconf" not in body and "Page not found" not in body, "Django's debug page shows the URL map"
        status, content_type, body = _get(base + "/static/css/app.css")
        assert status == 200, body[:200]
        assert "css" in content_type
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.django_db
def test_unknown_url_shows_the_branded_chinese_404_page(settings):
    settings.DEBUG = False
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "页面不存在" in text and "返回首页" in text


@pytest.mark.django_db
def test_a_form_without_its_security_token_gets_a_chinese_page():
    response = Client(enforce_csrf_checks=True).post(reverse("login"), {"username": "a", "password": "b"})
    assert response.status_code == 403
    text = response.content.decode()
    assert "安全校验失败" in text
    assert "CSRF verification failed" not in text


def test_demo_witness_keys_do_not_derive_from_the_operators_secret(settings, tmp_path):
    from smartjustice.ledger import demo

    settings.LEDGER_DEMO_WITNESS_DIR = tmp_path
    settings.SECRET_KEY = "a" * 60
    first = demo._demo_witness("见证方甲").public_key
    settings.SECRET_KEY = "b" * 60
    assert demo._demo_witness("见证方甲").public_key == first, "the operator's secret does not decide the key"
    assert demo._demo_witness("见证方乙").public_key != first
    key_file = demo.witness_key_file("见证方甲")
    assert key_file.exists() and key_file.stat().st_mode & 0o077 == 0


@pytest.mark.django_db
def test_a_server_error_page_is_branded_and_chinese(rf):
    from smartjustice.core.views import errors

    response = errors.server_error(rf.get("/broken/"))
    assert response.status_code == 500
    text = response.content.decode()
    assert "服务器错误" in text and "返回首页" in text


@pytest.mark.django_db
def test_postgresql_connections_run_without_jit_unless_the_url_says_otherwise():
    from django.db import connection

    from smartjustice.config.settings import database_from_url

    assert database_from_url("postgres://u@h/db")["OPTIONS"]["options"] == "-c jit=off"
    assert database_from_url("postgres://u@h/db?options=-c%20jit%3Don")["OPTIONS"]["options"] == "-c jit=on"
    if connection.vendor == "postgresql":  # the test database's own connection took the default
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            assert cursor.fetchone()[0] == "off"
