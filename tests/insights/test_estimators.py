"""Requirement (issue 6): estimators tested on synthetic data with a known effect and
confounding (healthier people more often treated): the naive difference is biased, the
adjusted interval contains the true effect; with no effect, the interval contains zero.
Kaplan–Meier against hand-computed values, including censoring; Wilson intervals."""

import numpy as np
import pandas as pd
import pytest
from django.utils import translation

from maatpak.insights.analysis.propensity import estimate_effect
from maatpak.insights.analysis.rates import rate_table
from maatpak.insights.analysis.survival import kaplan_meier


def synthetic(n=6000, true_effect=0.10, seed=1):
    """Healthy people are both more often treated and more often in work anyway."""
    rng = np.random.default_rng(seed)
    healthy = rng.binomial(1, 0.4, n)
    young = rng.binomial(1, 0.5, n)
    treated = rng.binomial(1, np.where(healthy == 1, 0.7, 0.2))
    base = 0.15 + 0.25 * healthy + 0.05 * young
    work = rng.binomial(1, np.clip(base + true_effect * treated, 0, 1))
    return pd.DataFrame({"healthy": healthy, "young": young, "treated": treated, "work": work})


def test_naive_difference_is_biased_and_ipw_recovers_the_true_effect():
    frame = synthetic(true_effect=0.10)
    naive = frame.loc[frame.treated == 1, "work"].mean() - frame.loc[frame.treated == 0, "work"].mean()
    assert naive > 0.17  # confounding inflates it by about 0.14
    effect = estimate_effect(frame, treatment="treated", outcome="work", covariates=["healthy", "young"])
    assert effect.ci_low <= 0.10 <= effect.ci_high
    assert not effect.ci_low <= naive <= effect.ci_high
    balance = {b["covariate"]: b for b in effect.balance}
    assert abs(balance["healthy"]["smd_before"]) > 0.5 and abs(balance["healthy"]["smd_after"]) < 0.1
    assert effect.warnings == []


def test_no_effect_gives_an_interval_around_zero():
    effect = estimate_effect(synthetic(true_effect=0.0, seed=2), treatment="treated", outcome="work", covariates=["healthy", "young"])
    assert effect.ci_low <= 0.0 <= effect.ci_high


def test_too_small_groups_get_a_plain_warning_and_no_effect():
    frame = synthetic(n=60)
    frame.loc[frame.index[5:], "treated"] = 0
    effect = estimate_effect(frame, treatment="treated", outcome="work", covariates=["healthy"])
    assert effect.effect is None and "Te weinig mensen" in effect.warnings[0] and "minimaal 20 elk" in effect.warnings[0]
    with translation.override("en"):
        english = estimate_effect(frame, treatment="treated", outcome="work", covariates=["healthy"])
    assert english.warnings[0].startswith("Too few people to compare")


def hardly_comparable(n=2000, seed=0):
    """Treatment is almost fully decided by the Sol group: the scores are trimmed at 1 % and
    99 %, so weighting cannot make the groups alike."""
    rng = np.random.default_rng(seed)
    sol_far = rng.binomial(1, 0.5, n)
    treated = rng.binomial(1, np.where(sol_far == 1, 0.003, 0.997))
    return pd.DataFrame({"sol_far": sol_far, "age": rng.normal(40, 10, n), "treated": treated, "work": rng.binomial(1, 0.3, n)})


def test_unbalanced_groups_are_flagged_in_plain_words():
    frame = synthetic(n=3000, seed=3)
    frame["hidden"] = frame["healthy"]  # a covariate left out of the model is not in the balance table
    effect = estimate_effect(frame, treatment="treated", outcome="work", covariates=["young"])
    assert effect.balance and not any(b["covariate"] == "hidden" for b in effect.balance)

    effect = estimate_effect(hardly_comparable(), treatment="treated", outcome="work", covariates=["sol_far", "age"])
    balance = {b["covariate"]: b["smd_after"] for b in effect.balance}
    assert abs(balance["sol_far"]) > 0.1
    warning = next(w for w in effect.warnings if w.startswith("Let op: de groepen zijn na weging nog niet vergelijkbaar"))
    assert "Groep van Sol B (ver van werk)" in warning and "sol_far" not in warning
    with translation.override("en"):
        english = estimate_effect(hardly_comparable(), treatment="treated", outcome="work", covariates=["sol_far", "age"])
    assert any("Sol group B (far from work)" in w and "sol_far" not in w for w in english.warnings)


def test_people_without_a_counterpart_are_flagged():
    effect = estimate_effect(hardly_comparable(seed=1), treatment="treated", outcome="work", covariates=["sol_far", "age"])
    assert effect.overlap_outside > 0.05
    assert any("vrijwel geen tegenhanger" in w for w in effect.warnings)
    # Comparable groups (the confounded but overlapping synthetic data) get no such warning.
    fine = estimate_effect(synthetic(n=3000, seed=4), treatment="treated", outcome="work", covariates=["healthy", "young"])
    assert fine.overlap_outside == 0.0 and not any("tegenhanger" in w for w in fine.warnings)


def test_kaplan_meier_matches_the_hand_computation_with_censoring():
    # days: 2 (work), 3 (work), 3 (censored), 5 (work), 7 (censored), 8 (work), 9 (censored)
    km = kaplan_meier([2, 3, 3, 5, 7, 8, 9], [1, 1, 0, 1, 0, 1, 0])
    # S(2)=6/7; S(3)=6/7·5/6=5/7 (the censored one at 3 still counts as at risk at 3);
    # S(5)=5/7·3/4=15/28; S(8)=15/28·1/2=15/56; median: first S ≤ 0.5 → day 8.
    assert list(km.times) == [2, 3, 5, 8]
    assert km.survival == pytest.approx([6 / 7, 5 / 7, 15 / 28, 15 / 56])
    assert list(km.at_risk) == [7, 6, 4, 2]
    assert km.median == 8 and km.at(4) == pytest.approx(5 / 7) and km.at(1) == 1.0


def test_kaplan_meier_without_events_has_no_median():
    km = kaplan_meier([10, 20], [0, 0])
    assert km.median is None and km.n == 2


def test_rate_table_with_wilson_intervals_unknowns_and_small_groups():
    frame = pd.DataFrame({"group": ["a"] * 12 + ["b"] * 3, "work": [1] * 6 + [0] * 5 + [np.nan] + [1, 0, 0]})
    table = rate_table(frame, group="group", outcome="work").set_index("group")
    assert (table.loc["a", "n"], table.loc["a", "successes"], table.loc["a", "unknown"], table.loc["a", "small"]) == (11, 6, 1, False)
    assert table.loc["a", "ci_low"] == pytest.approx(0.2803, abs=1e-3) and table.loc["a", "ci_high"] == pytest.approx(0.7873, abs=1e-3)
    assert table.loc["b", "small"]


def test_people_with_several_trajectories_do_not_narrow_the_interval():
    """Counting the same people twice adds no information: with standard errors clustered by
    person the interval stays as wide; treating rows as independent would shrink it by √2."""
    once = synthetic(n=3000, seed=5).assign(participant_id=range(3000))
    twice = pd.concat([once, once], ignore_index=True)
    width_once = estimate_effect(once, treatment="treated", outcome="work", covariates=["healthy", "young"])
    width_twice = estimate_effect(twice, treatment="treated", outcome="work", covariates=["healthy", "young"])
    a, b = width_once.ci_high - width_once.ci_low, width_twice.ci_high - width_twice.ci_low
    assert b == pytest.approx(a, rel=0.02)
    unclustered = estimate_effect(
        twice.drop(columns="participant_id"), treatment="treated", outcome="work", covariates=["healthy", "young"]
    )
    assert unclustered.ci_high - unclustered.ci_low < 0.75 * a
