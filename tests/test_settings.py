"""Production settings pass Django's deployment checks; CI refuses to fall back to the embedded default."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.subprocesses

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "k" * 20 + "-production-secret-from-the-environment-0123456789",
    "DJANGO_ALLOWED_HOSTS": "hub.example.com",
    "DATABASE_URL": "sqlite:////tmp/wholesalehub-deploy-check.sqlite3",
    "REDIS_URL": "redis://127.0.0.1:6379/0",  # named, not reached: the checks read the settings
}


NOT_INHERITED = ("DJANGO_", "DATABASE_", "CI", "REDIS_")  # each test names the settings it runs with


def _manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "CI", "REDIS_"))
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _collected(tmp_path: Path) -> dict:
    """The production environment with a STATIC_ROOT whose manifest names the assets (as collectstatic
    writes it)."""
    manifest = {
        "version": "1.1",
        "hash": "x",
        "paths": {"css/app.css": "css/app.1.css", "js/app.js": "js/app.1.js"},
    }
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    return {**PRODUCTION_ENV, "DJANGO_STATIC_ROOT": str(tmp_path)}


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_collected(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION_ENV}
    del env["DJANGO_SECRET_KEY"]
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_ci_fails_when_postgresql_is_unreachable():
    env = {
        "CI": "true",
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/nothing",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "PostgreSQL is unreachable" in result.stderr


def test_ci_fails_without_redis():
    env = {
        "CI": "true",
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
        "REDIS_URL": "redis://127.0.0.1:1/0",
    }
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "Redis" in result.stderr


def test_check_deploy_refuses_a_wildcard_host(tmp_path):
    result = _manage("check", "--deploy", env={**_collected(tmp_path), "DJANGO_ALLOWED_HOSTS": "*"})
    assert result.returncode != 0
    assert "wholesalehub.E001" in result.stderr + result.stdout


def test_check_deploy_refuses_static_files_never_collected(tmp_path):
    result = _manage("check", "--deploy", env={**PRODUCTION_ENV, "DJANGO_STATIC_ROOT": str(tmp_path)})
    assert result.returncode != 0
    assert "wholesalehub.E002" in result.stderr + result.stdout and "collectstatic" in result.stderr


def test_check_deploy_refuses_a_cache_each_process_keeps_to_itself(tmp_path):
    production_without_redis = {k: v for k, v in _collected(tmp_path).items() if k != "REDIS_URL"}
    result = _manage("check", "--deploy", env=production_without_redis)
    assert result.returncode != 0 and "wholesalehub.E003" in result.stderr, result.stdout + result.stderr
    assert "REDIS_URL" in result.stderr


def test_healthz_fails_while_static_files_are_not_collected(tmp_path):
    """Without collectstatic every page is a 500: /healthz must not say 200 then."""
    script = (
        "from django.test import Client; c = Client(HTTP_X_FORWARDED_PROTO='https'); "
        "r = c.get('/healthz', HTTP_HOST='hub.example.com'); print(r.status_code, r.content.decode())"
    )
    missing = _manage(
        "shell", "-c", script, env={**PRODUCTION_ENV, "DJANGO_STATIC_ROOT": str(tmp_path / "x")}
    )
    assert missing.stdout.splitlines()[-1].startswith("503"), missing.stdout + missing.stderr
    assert "collectstatic" in missing.stdout
    healthy = _manage("shell", "-c", script, env=_collected(tmp_path))
    assert healthy.stdout.splitlines()[-1].startswith("200"), healthy.stdout + healthy.stderr


# --- firsthour: links follow the port (issue 12, item 2) ---
def test_site_url_follows_the_port_the_portal_runs_on():
    env = {"DJANGO_DEBUG": "true", "PORT": "8101"}
    result = _manage("shell", "-c", "from django.conf import settings; print(settings.SITE_URL)", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "http://127.0.0.1:8101"


def test_make_run_passes_the_port_to_every_process():
    result = subprocess.run(
        ["make", "-n", "-o", ".venv/.installed", "-o", ".run/secret-key", "run", "PORT=8101"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    commands = [line for line in result.stdout.splitlines() if "manage.py" in line or "celery -A" in line]
    assert any("seed_demo" in line for line in commands)
    assert all("PORT=8101" in line for line in commands), commands
