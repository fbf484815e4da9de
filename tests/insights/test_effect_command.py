"""Requirement (issue 6.7): `manage.py effect` prints the documented JSON for a municipality's
history, with the comparison group being everyone whose trajectory did not use the treatment."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from maatpak.demo.generator import generate_demo

pytestmark = pytest.mark.django_db
KEYS = {
    "treatment",
    "outcome",
    "method",
    "treated_n",
    "control_n",
    "gross_treated",
    "gross_control",
    "effect",
    "ci_low",
    "ci_high",
    "balance",
    "warnings",
    "segments",
    "segment_left_out",
    "cautions",
}


def test_effect_json_on_the_demo_history():
    generate_demo(participants=400, seed=5, log=lambda *a: None)
    out = io.StringIO()
    call_command(
        "effect",
        "--municipality",
        "GM9999",
        "--treatment",
        "SOLL",
        "--outcome",
        "work_24m",
        "--segment",
        "sol_group",
        "--format",
        "json",
        stdout=out,
    )
    report = json.loads(out.getvalue())
    assert set(report) == KEYS
    assert report["treated_n"] > 0 and report["control_n"] > report["treated_n"]
    assert 0 <= report["gross_treated"] <= 1 and 0 <= report["gross_control"] <= 1
    assert {s["segment"] for s in report["segments"]} <= {"A1", "A2", "A3", "B1", "B2", "B3"}
    # People without a Sol assessment cannot be in any Sol group: the report says how many.
    from maatpak.accounts.models import Municipality
    from maatpak.insights.analysis.dataset import build_dataset

    frame = build_dataset(municipality_ids=[Municipality.objects.get(code="GM9999").pk])
    assert report["segment_left_out"] == int(frame["sol_group"].isna().sum())
    assert any("laatste versie van het plan" in c for c in report["cautions"])
    if report["effect"] is not None:
        assert report["ci_low"] <= report["effect"] <= report["ci_high"]
    else:
        assert report["warnings"]
    out = io.StringIO()
    call_command("effect", "--municipality", "GM9999", "--treatment", "integral", "--outcome", "work_12m", stdout=out)
    integral = json.loads(out.getvalue())
    assert integral["treatment"] == "integral" and integral["treated_n"] + integral["control_n"] > 0 and integral["segments"] == []
    assert integral["segment_left_out"] is None
    out = io.StringIO()
    call_command("effect", "--municipality", "GM9999", "--treatment", "sanction", "--outcome", "work_12m", stdout=out)
    assert json.loads(out.getvalue())["cautions"] == []  # a sanction is not read from the plan


def test_unknown_treatment_is_an_error_listing_the_valid_codes():
    generate_demo(participants=60, seed=6, log=lambda *a: None)
    for treatment in ("NOPE", "provider:Niemand BV"):
        with pytest.raises(CommandError) as exc:
            call_command("effect", "--municipality", "GM9999", "--treatment", treatment, "--outcome", "work_24m", stdout=io.StringIO())
        message = str(exc.value)
        assert "Onbekende behandeling" in message and "SOLL" in message and "integral" in message


def test_unknown_municipality_and_outcome_are_refused():
    with pytest.raises(CommandError):
        call_command("effect", "--municipality", "GM0001", "--treatment", "SOLL", "--outcome", "work_24m", stdout=io.StringIO())


def test_a_municipality_without_history_gets_an_error_not_a_traceback(municipality):
    with pytest.raises(CommandError) as exc:
        call_command(
            "effect", "--municipality", municipality.code, "--treatment", "integral", "--outcome", "work_24m", stdout=io.StringIO()
        )
    assert "geen trajecten" in str(exc.value)
