"""One form pattern for the staff screens: one `_form.html` and one `_field.html`, in core."""

from pathlib import Path

import maatpak

ROOT = Path(maatpak.__file__).parent


def test_there_is_one_form_template_and_one_field_template():
    assert [p.relative_to(ROOT).as_posix() for p in ROOT.glob("*/templates/**/_form.html")] == ["core/templates/_form.html"]
    assert [p.relative_to(ROOT).as_posix() for p in ROOT.glob("*/templates/**/_field.html")] == ["core/templates/_field.html"]


def test_no_template_writes_its_own_htmx_form_around_a_django_form():
    """Forms of Django form objects go through `_form.html`; a hand-written <form> is left only
    for one-button forms and pages with a layout of their own."""
    for template in ROOT.glob("*/templates/**/*.html"):
        text = template.read_text()
        assert "form.visible_fields" not in text or template.name == "_form.html", template
