"""The README's production variables pass Django's deploy check with no issue, none silenced;
without a secret key (and DEBUG off) the settings refuse to load."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[4] / "README.md"


def production_env() -> dict[str, str]:
    """The variables of the README's production block, the secret key made for the test."""
    text = README.read_text(encoding="utf-8")
    block = text.split("<!-- production-env -->", 1)[1].split("<!-- /production-env -->", 1)[0]
    found = dict(re.findall(r"^\s*export (GENDAN_[A-Z_]+)=(.*)$", block, flags=re.M))
    assert {"GENDAN_SECRET_KEY", "GENDAN_HTTPS", "GENDAN_ALLOWED_HOSTS"} <= set(found)
    found["GENDAN_SECRET_KEY"] = secrets.token_urlsafe(50)
    return found


def gendan(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`gendan ARGS` in a process of its own, with only PATH and the given variables."""
    clean = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp"), **env}
    return subprocess.run(
        [sys.executable, "-m", "gendan.cli", *args],
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_deploy_check_passes_with_the_readme_production_variables():
    result = gendan("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stderr + result.stdout
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert result.stderr == ""


def test_without_the_production_variables_the_deploy_check_warns():
    env = {**production_env(), "GENDAN_HTTPS": "0"}
    result = gendan("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 1
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr


def test_the_settings_refuse_to_load_without_a_secret_key_when_debug_is_off():
    env = {k: v for k, v in production_env().items() if k != "GENDAN_SECRET_KEY"}
    result = gendan("check", env=env)
    assert result.returncode == 2
    assert result.stderr.startswith("gendan: GENDAN_SECRET_KEY is not set.")
    wsgi = subprocess.run(
        [sys.executable, "-c", "import gendan.wsgi"],
        env={"PATH": os.environ.get("PATH", ""), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert wsgi.returncode != 0
    assert "ImproperlyConfigured: GENDAN_SECRET_KEY is not set." in wsgi.stderr


def test_debug_on_runs_without_a_key_for_development():
    result = gendan("check", env={"GENDAN_DEBUG": "1", "GENDAN_DATABASE_URL": "sqlite:///:memory:"})
    assert result.returncode == 0, result.stderr
