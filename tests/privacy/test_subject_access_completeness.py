"""Issue 14, item 4 — the right of access is complete, and stays complete.

Self-enforcing: every model that holds data about a participant — a foreign key to the
participant, or to a row that belongs to one (a trajectory, plan version, referral, report,
placement, ...), followed as far as it goes, or a plain participant column like the audit log's —
is a section of the file (`privacy.subject_access.SECTIONS`) or listed in `EXCLUDED` with a
reason. A model added later fails here until someone decides. Within each section, every field
of the model is shown or left out on purpose with a reason, so a new field fails too. The JSON
keys are documented in docs/guide-privacy-officer.md.
"""

from pathlib import Path

from django.apps import apps

from maatpak.participants.models import Participant
from maatpak.privacy.subject_access import EXCLUDED, LEFT_OUT_FIELDS, SECTIONS

ROOT = Path(__file__).resolve().parents[2]


def _ours(model) -> bool:
    return model.__module__.startswith("maatpak.")


def participant_linked_models() -> set:
    """Models whose rows belong to one participant: by a participant column, or by a foreign
    key (or one-to-one) to a model already found, repeated until nothing new turns up."""
    linked = {Participant}
    for model in apps.get_models():
        if _ours(model) and any(f.name == "participant_id" or f.attname == "participant_id" for f in model._meta.concrete_fields):
            linked.add(model)
    grew = True
    while grew:
        grew = False
        for model in apps.get_models():
            if model in linked or not _ours(model):
                continue
            if any(f.is_relation and f.concrete and f.related_model in linked for f in model._meta.concrete_fields):
                linked.add(model)
                grew = True
    return linked


def covered_models() -> set:
    return {model for section in SECTIONS for model in section.models}


def test_the_walk_finds_the_obvious_kinds_of_data():
    # Guards the walk itself: direct, through a trajectory, through a plan, through a report.
    names = {model.__name__ for model in participant_linked_models()}
    assert {"Participant", "Sanction", "Trajectory", "PlanVersion", "Agreement", "GoalProgress", "Placement", "AuditEvent"} <= names


def test_every_model_about_a_participant_is_covered_or_excluded_with_a_reason():
    undecided = participant_linked_models() - covered_models() - set(EXCLUDED)
    assert not undecided, (
        "These models hold data about a participant but are not in the right-of-access file: add a Section to "
        "privacy/subject_access.py SECTIONS, or list the model in EXCLUDED with a reason: "
        + ", ".join(sorted(m.__name__ for m in undecided))
    )


def test_exclusions_are_real_decisions():
    assert not covered_models() & set(EXCLUDED), "a model is both in the file and excluded"
    assert all(len(reason) > 20 for reason in EXCLUDED.values())


def test_every_field_is_shown_or_left_out_with_a_reason():
    undecided = []
    for section in SECTIONS:
        shown = set()
        for item in section.fields:
            shown |= {item.key, (item.path or item.key).split(".")[0]}
        for model_field in section.models[0]._meta.concrete_fields:
            names = {model_field.name, model_field.attname}
            if names & shown or model_field.name in section.left_out or model_field.name in LEFT_OUT_FIELDS:
                continue
            undecided.append(f"{section.key}.{model_field.name}")
    assert not undecided, "Show these fields in their section, or leave them out with a reason (Section.left_out): " + ", ".join(undecided)


def test_left_out_fields_exist_and_say_why():
    for section in SECTIONS:
        names = {f.name for f in section.models[0]._meta.concrete_fields}
        assert set(section.left_out) <= names, f"{section.key}: left_out names a field that does not exist"
        assert all(len(reason) > 10 for reason in section.left_out.values())


def test_section_keys_are_unique_and_each_section_labels_every_field():
    keys = [section.key for section in SECTIONS]
    assert len(keys) == len(set(keys))
    for section in SECTIONS:
        item_keys = [item.key for item in section.fields]
        assert len(item_keys) == len(set(item_keys)), section.key
        for item in section.fields:
            assert section.label(item)


def test_every_json_key_is_documented_for_the_privacy_officer():
    guide = (ROOT / "docs" / "guide-privacy-officer.md").read_text(encoding="utf-8")
    missing = []
    for section in SECTIONS:
        line = next((row for row in guide.splitlines() if row.startswith(f"| `{section.key}` |")), None)
        if line is None:
            missing.append(section.key)
            continue
        missing += [f"{section.key}.{item.key}" for item in section.fields if f"`{item.key}`" not in line]
    assert not missing, "Document these JSON keys in docs/guide-privacy-officer.md: " + ", ".join(missing)
