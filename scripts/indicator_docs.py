"""Developer tool: write docs/indicators.md from the indicator registry.

    MAATPAK_TESTING=1 python scripts/indicator_docs.py

Run it after adding or changing an indicator; tests/insights/test_indicator_docs.py fails while
the document and the code differ.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maatpak.settings")

import django  # noqa: E402

django.setup()

from maatpak.insights.indicator_docs import indicator_docs_markdown  # noqa: E402

DOC = ROOT / "docs" / "indicators.md"
DOC.write_text(indicator_docs_markdown(), encoding="utf-8")
print(f"{DOC}: written")
