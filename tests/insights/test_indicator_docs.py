"""Requirement: every indicator is documented as it is defined (docs/indicators.md is generated
from the registry; run scripts/indicator_docs.py after changing an indicator)."""

from pathlib import Path

from maatpak.insights.indicator_docs import indicator_docs_markdown
from maatpak.insights.indicators import all_indicators

DOC = Path(__file__).resolve().parent.parent.parent / "docs" / "indicators.md"


def test_the_indicator_document_is_the_registry():
    assert DOC.read_text(encoding="utf-8") == indicator_docs_markdown(), "run: MAATPAK_TESTING=1 python scripts/indicator_docs.py"


def test_every_indicator_code_appears_in_the_document():
    text = DOC.read_text(encoding="utf-8")
    assert all(f"`{item.code}`" in text for item in all_indicators())
