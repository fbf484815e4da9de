"""Requirement: docs/architecture.md shows the permission table as the code has it (issue 12), so
the document a municipality's security officer reads cannot drift from what the code enforces."""

import re
from pathlib import Path

from maatpak.accounts.policy import PERMISSIONS
from maatpak.accounts.roles import Role

DOC = Path(__file__).resolve().parent.parent / "docs" / "architecture.md"
START, END = "<!-- permission table: generated from accounts/policy.py PERMISSIONS -->", "<!-- end of permission table -->"


def permission_table_markdown() -> str:
    """The table as docs/architecture.md must show it: one row per (family, action), one column
    per role, the relation in the cell. `scripts/permission_table.py` writes it into the document."""
    roles = list(Role)
    lines = ["| family · action | " + " | ".join(r.value for r in roles) + " |", "|---|" + "---|" * len(roles)]
    for (family, action), grants in PERMISSIONS.items():
        lines.append(f"| {family} · {action} | " + " | ".join(grants[r].value if r in grants else "" for r in roles) + " |")
    return "\n".join(lines)


def test_the_architecture_document_shows_the_permission_table_of_the_code():
    text = DOC.read_text(encoding="utf-8")
    match = re.search(re.escape(START) + r"\n(.*?)\n" + re.escape(END), text, re.S)
    assert match, "docs/architecture.md lost its generated permission table"
    assert match.group(1).strip() == permission_table_markdown()


def test_every_family_named_in_the_table_has_a_row_in_the_policy_overview():
    text = DOC.read_text(encoding="utf-8")
    overview = text[text.index("| family | policy (queryset side) |") :]
    for family in sorted({family for family, _action in PERMISSIONS}):
        assert re.search(rf"^\| [^|]*\b{family}\b", overview, re.M), f"{family} is missing from the policy overview"
