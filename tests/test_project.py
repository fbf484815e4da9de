"""House rules checked on the whole project: migrations match the models, deploy settings pass."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
# Valid example keys for subprocesses (never used outside these tests).
FERNET_KEY = "3q2-7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
HASH_KEY = "a-hash-key-of-at-least-thirty-two-characters"
_KEY_VARS = {
    "SECRET_KEY",
    "MAATPAK_ENCRYPTION_KEY",
    "MAATPAK_HASH_KEY",
    "DEBUG",
    "MAATPAK_TESTING",
    "MAATPAK_ALLOW_DEV_KEYS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_production_settings_pass_check_deploy():
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "MAATPAK_TESTING", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(
        SECRET_KEY="x" * 20 + "production-secret-with-enough-entropy-1234567890",
        MAATPAK_ENCRYPTION_KEY=FERNET_KEY,
        MAATPAK_HASH_KEY=HASH_KEY,
        ALLOWED_HOSTS="maatpak.example.nl",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_fails_on_development_keys():
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "MAATPAK_ENCRYPTION_KEY", "MAATPAK_HASH_KEY", "DEBUG"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "maatpak.E001" in result.stdout + result.stderr


def _run(args, **env_vars):
    """Run Python in a clean environment: none of the key, debug or test variables of this
    test run leak in, only those given."""
    env = {k: v for k, v in os.environ.items() if k not in _KEY_VARS}
    env.update(env_vars)
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False)


START_APP = ["-c", "from maatpak.wsgi import application; print('started')"]
# The refusal happens when the settings load; loading only them keeps these tests quick.
LOAD_SETTINGS = ["-c", "import maatpak.settings; print('started')"]


def test_production_refuses_to_start_on_development_keys():
    result = _run(START_APP)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "will not start without its own keys" in result.stderr
    assert "started" not in result.stdout


def test_production_refuses_when_only_the_secret_key_is_set():
    """BSN keys derived from SECRET_KEY are not enough either: they must be separate."""
    result = _run(LOAD_SETTINGS, SECRET_KEY="x" * 60)
    assert result.returncode != 0 and "MAATPAK_ENCRYPTION_KEY, MAATPAK_HASH_KEY" in result.stderr


def test_production_starts_with_its_own_keys():
    result = _run(START_APP, SECRET_KEY="x" * 60, MAATPAK_ENCRYPTION_KEY=FERNET_KEY, MAATPAK_HASH_KEY=HASH_KEY)
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


@pytest.mark.parametrize("env_vars", [{"DEBUG": "1"}, {"MAATPAK_TESTING": "1"}, {"MAATPAK_ALLOW_DEV_KEYS": "1"}])
def test_development_tests_and_demo_may_use_development_keys(env_vars):
    result = _run(LOAD_SETTINGS, **env_vars)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("command", [["check"], ["showmigrations", "--help"], ["municipality_setup", "--help"]])
def test_commands_that_need_no_keys_run_without_them(command):
    result = _run(["manage.py", *command])
    assert result.returncode == 0, result.stderr


def test_commands_that_need_the_keys_are_refused_without_them():
    result = _run(["manage.py", "demo", "--participants", "5"])
    assert result.returncode != 0 and "will not start without its own keys" in result.stderr


@pytest.mark.parametrize("bad_key", ["a-real-deployment-key", FERNET_KEY[:-2], f"{FERNET_KEY},not-a-key"])
def test_an_invalid_encryption_key_is_refused_with_a_clear_message(bad_key):
    """Even in development: a typo must not silently turn into a key derived from it."""
    result = _run(LOAD_SETTINGS, DEBUG="1", MAATPAK_ENCRYPTION_KEY=bad_key)
    assert result.returncode != 0
    assert "is not a valid Fernet key" in result.stderr and "Fernet.generate_key()" in result.stderr


def test_a_short_hash_key_is_refused():
    result = _run(LOAD_SETTINGS, DEBUG="1", MAATPAK_HASH_KEY="short")
    assert result.returncode != 0 and "MAATPAK_HASH_KEY is too short" in result.stderr


def test_make_demo_allows_the_development_keys_for_the_generator():
    """`manage.py demo` runs without DEBUG in the Makefile, so it must say it may use the
    development keys, or `make demo` would fail on a fresh machine."""
    recipe = (ROOT / "Makefile").read_text(encoding="utf-8").split("\ndemo:")[1].split("\n\n")[0]
    demo_line = next(line for line in recipe.splitlines() if "manage.py demo" in line)
    assert "MAATPAK_ALLOW_DEV_KEYS=1" in demo_line
    assert "DEBUG=1" in next(line for line in recipe.splitlines() if "runserver" in line)


def test_ci_script_sets_ci_so_browser_tests_cannot_pass_by_skipping():
    """tests/e2e fails instead of skipping when CI is set; .ci/run must set it itself."""
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    lines = [line.strip() for line in script.splitlines()]
    assert "export CI=1" in lines
    assert lines.index("export CI=1") < next(i for i, line in enumerate(lines) if "make test" in line and not line.startswith("#"))
