"""House rules checked on the whole project: migrations match the models, deploy settings pass."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_production_settings_pass_check_deploy():
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "MAATPAK_TESTING", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(
        SECRET_KEY="x" * 20 + "production-secret-with-enough-entropy-1234567890",
        MAATPAK_ENCRYPTION_KEY="a-real-deployment-key",
        MAATPAK_HASH_KEY="another-real-deployment-key",
        ALLOWED_HOSTS="maatpak.example.nl",
    )
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_fails_on_development_keys():
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "MAATPAK_ENCRYPTION_KEY", "MAATPAK_HASH_KEY", "DEBUG"}}
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "maatpak.E001" in result.stdout + result.stderr
