"""Requirement: the UI is Dutch by default — every text has a Dutch translation, compiled."""

from pathlib import Path

import polib
import pytest

APPS_DIR = Path(__file__).resolve().parent.parent / "maatpak"
PO_FILES = sorted(APPS_DIR.glob("*/locale/nl/LC_MESSAGES/django.po"))


def test_translation_files_exist_for_the_core_apps():
    apps = {p.parts[-5] for p in PO_FILES}
    assert {"core", "accounts"} <= apps


@pytest.mark.parametrize("po_path", PO_FILES, ids=lambda p: p.parts[-5])
def test_every_text_is_translated(po_path):
    po = polib.pofile(str(po_path))
    untranslated = [e.msgid for e in po if e.obsolete is False and (not (e.msgstr or e.msgstr_plural.get(0)) or "fuzzy" in e.flags)]
    assert untranslated == []


@pytest.mark.parametrize("po_path", PO_FILES, ids=lambda p: p.parts[-5])
def test_compiled_catalogue_matches_the_po_file(po_path):
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"run: python scripts/po_apply.py or compilemessages for {po_path}"
    po = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0)
        for e in polib.pofile(str(po_path))
        if not e.obsolete and "fuzzy" not in e.flags
    }
    mo = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0) for e in polib.mofile(str(mo_path)) if e.msgid}
    assert mo == po
