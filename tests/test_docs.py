"""Requirement: settings, commands and documents named in the README exist and are documented
(in the spirit of Datasette's test_docs: undocumented configuration fails the build)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = README + "".join(p.read_text(encoding="utf-8") for p in (ROOT / "docs").glob("*.md"))


def _env_vars_in_settings():
    source = (ROOT / "maatpak" / "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r'os\.environ(?:\.get)?\(\s*"([A-Z_]+)"', source))
    names |= set(re.findall(r'env_(?:bool|list)\(\s*"([A-Z_]+)"', source))
    names |= set(re.findall(r'"([A-Z_]+)" (?:not )?in os\.environ', source))
    return sorted(names - {"MAATPAK_TESTING", "MAATPAK_MANIFEST_STATIC"})


@pytest.mark.parametrize("name", _env_vars_in_settings())
def test_every_environment_variable_is_documented_in_the_readme(name):
    assert f"`{name}`" in README


def test_readme_gives_the_two_setup_commands():
    assert "make demo" in README and "make test" in README


@pytest.mark.parametrize("link", sorted(set(re.findall(r"\]\(((?:docs|benchmarks)/[^)#]+)\)", README))))
def test_documents_linked_from_the_readme_exist(link):
    assert (ROOT / link).is_file(), f"README links to {link}, which does not exist"


def _our_commands():
    return sorted(p.stem for p in (ROOT / "maatpak").glob("*/management/commands/*.py") if not p.stem.startswith("_"))


@pytest.mark.parametrize("command", _our_commands())
def test_every_management_command_is_documented(command):
    assert command in DOCS, f"manage.py {command} is not mentioned in README.md or docs/"
