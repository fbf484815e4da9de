"""Developer tool: write the permission table of accounts/policy.py into docs/architecture.md.

    MAATPAK_TESTING=1 python scripts/permission_table.py

Run it after changing PERMISSIONS; tests/test_architecture_doc.py fails while the document and
the code differ.
"""

import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maatpak.settings")

import django  # noqa: E402

django.setup()

from tests.test_architecture_doc import DOC, END, START, permission_table_markdown  # noqa: E402

text = DOC.read_text(encoding="utf-8")
text = re.sub(re.escape(START) + r"\n.*?\n" + re.escape(END), lambda _m: f"{START}\n{permission_table_markdown()}\n{END}", text, flags=re.S)
DOC.write_text(text, encoding="utf-8")
print(f"{DOC}: permission table written")
