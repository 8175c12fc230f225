"""The screening engine's whole output, written out, and the exact message for each bad
answer and bad policy: what `clinic screen` prints, the result page and the audit read."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from clinic.screening import ScreeningPolicy, Tier, screen
from clinic.screening.answers import AnswerError, check_answer, validate_answers
from clinic.screening.engine import asked_answers
from clinic.screening.model import ALL_REGIONS, Region, patient_regions
from clinic.screening.policy import PolicyError, load_policy, policy_from_mapping
from clinic.screening.predicates import (
    All,
    AtLeast,
    Compare,
    Context,
    InRegion,
    Is,
    Match,
    PolicyOn,
    Setting,
    Truth,
    Unknown,
    Yes,
    at_least,
    both,
    choice,
    either,
    region,
    yes,
)
from clinic.screening.questions import MAX_DAYS, QUESTIONS_BY_ID
from clinic.screening.rules import RULE_IDS
from tests.screening.stories import answers, symptom

TODAY = date(2026, 11, 29)


def _without(given: dict[str, Any], *blank: str) -> dict[str, Any]:
    return {key: value for key, value in given.items() if key not in blank}


# The result as JSON -------------------------------------------------------------------------


def test_a_worst_case_result_in_full() -> None:
    story = _without(
        answers(pain_duration_days=10, **symptom("bowel_change")),
        "bowel_change_onset_days",
        "bowel_change_trend",
    )
    story["other_concerns"] = "  "
    story["worst_headache"] = "yes"  # a neck question, and the patient has low back pain
    result = screen(story, ScreeningPolicy(spasm_days=10)).to_json()
    assert result.pop("fired_rules") == [
        {
            "rule_id": "E-CES-3",
            "condition": "cauda_equina_syndrome",
            "tier": "EMERGENCY",
            "worst_case": False,
            "staff_action": (
                "Suspected cauda equina syndrome. Do not book physiotherapy. Tell the duty "
                "clinician now; same-day emergency department or on-call spinal team for "
                "emergency MRI. Give the cauda equina warning card."
            ),
            "safety_net": (
                "Go to an emergency department straight away if you get new numbness between "
                "your legs or around your bottom, problems passing urine or controlling your "
                "bladder or bowels, changes in sexual feeling, or weakness in both legs. Do not "
                "wait for an appointment."
            ),
            "source": "NHS Dumfries & Galloway spinal pathway; GIRFT National Suspected CES "
            "Pathway 2023",
            "reference": "clinical.md §3.1 E-CES-3",
            "evidence": {
                "bowel_change": "yes",
                "bowel_change_onset_days": None,
                "bowel_change_status": "new",
                "pain_duration_days": 10,
                "pain_regions": ["lumbar"],
            },
        }
    ]
    assert result == {
        "tier": "EMERGENCY",
        "conditions": ["cauda_equina_syndrome"],
        "unanswered_time_critical": ["bowel_change_onset_days", "bowel_change_trend"],
        "assumed_worst_case": {
            "bowel_change_onset_days": "not answered: at most 10 days, no older than the pain"
        },
        "ignored_unasked": ["worst_headache"],
        "free_text_to_review": False,
        "ruleset_version": "2026.11.2",
        "questionnaire_version": "2026.11.2",
        "policy_changes": {"spasm_days": 10},
    }


def test_a_blank_status_is_assumed_to_be_any_of_its_answers() -> None:
    story = _without(answers(**symptom("saddle_numbness")), "saddle_numbness_status")
    result = screen(story)
    assert result.assumed == {
        "saddle_numbness_status": "not answered: any of changed, new, unchanged, unsure",
        "saddle_numbness_onset_days": "not answered: any number of days",
        "saddle_numbness_trend": "not answered: any of better, same, worse",
    }
    assert [(rule.rule_id, rule.worst_case) for rule in result.fired] == [("E-CES-2", True)]


def test_a_blank_onset_without_a_known_pain_duration_may_be_any_number_of_days() -> None:
    story = _without(
        answers(**symptom("saddle_numbness", onset_days=40, trend="worse")),
        "pain_duration_days",
        "saddle_numbness_onset_days",
        "saddle_numbness_trend",
    )
    assert screen(story).assumed == {
        "saddle_numbness_onset_days": "not answered: any number of days",
        "saddle_numbness_trend": "not answered: any of better, same, worse",
    }


def test_a_changed_symptom_is_bounded_by_the_pain_like_a_new_one() -> None:
    story = _without(
        answers(pain_duration_days=30, **symptom("bladder_change", status="changed")),
        "bladder_change_onset_days",
    )
    result = screen(story)
    assert result.assumed == {
        "bladder_change_onset_days": "not answered: at most 30 days, no older than the pain"
    }
    # Up to 30 days with the trend "same": recent or not, so only in the worst case.
    assert [(rule.rule_id, rule.worst_case) for rule in result.fired] == [("E-CES-1", True)]


def test_a_bound_of_fifteen_days_leaves_the_emergency_a_worst_case() -> None:
    story = _without(
        answers(pain_duration_days=15, **symptom("bladder_change")), "bladder_change_onset_days"
    )
    assert [(rule.rule_id, rule.worst_case) for rule in screen(story).fired] == [("E-CES-1", True)]


def test_a_bound_of_fourteen_days_makes_the_emergency_certain() -> None:
    story = _without(
        answers(pain_duration_days=14, **symptom("bladder_change")), "bladder_change_onset_days"
    )
    assert [(rule.rule_id, rule.worst_case) for rule in screen(story).fired] == [("E-CES-1", False)]


def test_the_most_urgent_rules_come_first_and_certain_before_worst_case() -> None:
    story = {
        **answers(weight_loss="yes", fever="yes", diabetes="yes"),
        **{"leg_symptoms": "yes", "leg_symptoms_status": "new", "leg_symptoms_onset_days": 2},
    }
    result = screen(story)
    assert [(rule.rule_id, rule.worst_case) for rule in result.fired] == [
        ("E-INF-1", False),
        ("E-CES-5", True),
        ("U-MAL-2", False),
    ]  # U-NEURO-1 and R-RAD-1 also hold in the worst case, behind E-CES-5


def test_a_certain_rule_is_not_hidden_behind_a_worst_case_one() -> None:
    # U-INF-2 (fever) is superseded by E-INF-1 only where E-INF-1 holds for certain.
    story = {
        **answers(fever="yes", pain_duration_days=60),
        **{"leg_symptoms": "yes", "leg_symptoms_side": "left", "leg_symptoms_status": "new"},
        **{"leg_weakness_worsening": "no", "foot_drop": "no"},
    }
    reported = [(rule.rule_id, rule.worst_case) for rule in screen(story).fired]
    assert reported == [("E-INF-1", True), ("U-INF-2", False), ("R-RAD-1", False)]


def test_free_text_with_words_asks_for_a_review() -> None:
    assert screen({**answers(), "other_concerns": " x "}).free_text_to_review is True


def test_an_answer_to_a_question_outside_the_catalogue_is_kept_for_the_intake() -> None:
    kept, ignored = asked_answers({"pain_regions": ["lumbar"], "pain_now": 5})
    assert kept == {"pain_regions": ["lumbar"], "pain_now": 5}
    assert ignored == ()


def test_a_retired_follow_up_of_a_no_answer_is_ignored_too() -> None:
    _, ignored = asked_answers({"balance_problems": "no", "balance_problems_pattern": "worsening"})
    assert ignored == ("balance_problems_pattern",)


# Answers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question_id", "value", "message"),
    [
        ("bladder_change", "maybe", "bladder_change: must be one of yes, no, unsure"),
        ("pain_trend", "up", "pain_trend: must be one of better, same, worse"),
        (
            "pain_regions",
            [],
            "pain_regions: must be a list of one or more of lumbar, thoracic, cervical",
        ),
        (
            "pain_regions",
            "lumbar",
            "pain_regions: must be a list of one or more of lumbar, thoracic, cervical",
        ),
        ("pain_regions", ["hip"], "pain_regions: must only contain lumbar, thoracic, cervical"),
        ("age_years", "40", "age_years: must be a whole number"),
        ("age_years", True, "age_years: must be a whole number"),
        ("age_years", -1, "age_years: must be at least 0"),
        ("age_years", 121, "age_years: must be at most 120"),
        ("pain_duration_days", MAX_DAYS + 1, f"pain_duration_days: must be at most {MAX_DAYS}"),
        ("other_concerns", 5, "other_concerns: must be text"),
        ("other_concerns", "x" * 2001, "other_concerns: must be at most 2000 characters"),
    ],
)
def test_a_bad_answer_is_refused_with_its_message(
    question_id: str, value: Any, message: str
) -> None:
    with pytest.raises(AnswerError) as caught:
        check_answer(QUESTIONS_BY_ID[question_id], value, TODAY)
    assert (caught.value.question_id, str(caught.value)) == (question_id, message)
    assert caught.value.message == message.split(": ", 1)[1]


def test_the_limits_themselves_are_accepted() -> None:
    assert check_answer(QUESTIONS_BY_ID["age_years"], 120, TODAY) == 120
    assert check_answer(QUESTIONS_BY_ID["age_years"], 0, TODAY) == 0
    assert check_answer(QUESTIONS_BY_ID["other_concerns"], "x" * 2000, TODAY) == "x" * 2000


def test_several_regions_are_kept_once_each_in_the_catalogue_order() -> None:
    value = ["cervical", "lumbar", "cervical"]
    assert check_answer(QUESTIONS_BY_ID["pain_regions"], value, TODAY) == ["lumbar", "cervical"]


def test_validating_names_the_first_bad_answer_and_drops_nulls() -> None:
    assert validate_answers({"bladder_change": None, "fever": "no"}, TODAY) == {"fever": "no"}
    with pytest.raises(AnswerError, match=r"^\(answers\): must be a JSON object"):
        validate_answers(["fever"], TODAY)
    with pytest.raises(AnswerError, match=r"^bladder_chnge: is not a question in the catalogue$"):
        validate_answers({"bladder_chnge": "yes"}, TODAY)


# Policy ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"age_flag_upper": 65}', "unknown screening policy setting 'age_flag_upper'"),
        ('{"fracture_age_years": "70"}', "fracture_age_years must be a whole number of 0 or more"),
        ('{"fracture_age_years": -1}', "fracture_age_years must be a whole number of 0 or more"),
        ('{"fracture_age_years": true}', "fracture_age_years must be a whole number of 0 or more"),
        ('{"unsure_counts_as_yes": 1}', "unsure_counts_as_yes must be true or false"),
        ('{"disabled_rules": "U-AGE-1"}', "disabled_rules must be a list of rule ids"),
        ('{"disabled_rules": [1]}', "disabled_rules must be a list of rule ids"),
        ('{"disabled_rules": ["X-2", "X-1"]}', "disabled_rules names unknown rules: X-1, X-2"),
        ('{"tier_overrides": ["U-AGE-1"]}', "tier_overrides must map rule ids to tiers"),
        ('{"tier_overrides": {"X-1": "URGENT"}}', "tier_overrides names unknown rules: X-1"),
        (
            '{"tier_overrides": {"U-AGE-1": "SOON"}}',
            "tier_overrides.U-AGE-1 must be one of EMERGENCY, URGENT, ROUTINE_WITH_FLAG",
        ),
        (
            '{"tier_overrides": {"U-AGE-1": "INCOMPLETE"}}',
            "tier_overrides.U-AGE-1 must be one of EMERGENCY, URGENT, ROUTINE_WITH_FLAG",
        ),
        (
            '{"stable_bilateral_leg_tier": "NONE"}',
            "stable_bilateral_leg_tier must be one of EMERGENCY, URGENT, ROUTINE_WITH_FLAG",
        ),
        ("[1]", "the policy must be a JSON object"),
        ('{"a": ', "the policy is not valid JSON: Expecting value (line 1)"),
    ],
)
def test_a_bad_policy_is_refused_with_its_message(text: str, message: str) -> None:
    with pytest.raises(PolicyError) as caught:
        load_policy(text, RULE_IDS)
    assert str(caught.value) == message


def test_a_policy_file_sets_every_kind_of_setting() -> None:
    policy = policy_from_mapping(
        {
            "unsure_counts_as_yes": False,
            "recent_onset_days": 0,
            "stable_bilateral_leg_tier": "EMERGENCY",
            "disabled_rules": ["U-AGE-1", "R-DUR-1"],
            "tier_overrides": {"U-MAL-3": "ROUTINE_WITH_FLAG", "U-AGE-1": "URGENT"},
        },
        RULE_IDS,
    )
    assert policy == ScreeningPolicy(
        unsure_counts_as_yes=False,
        recent_onset_days=0,
        stable_bilateral_leg_tier=Tier.EMERGENCY,
        disabled_rules=frozenset({"U-AGE-1", "R-DUR-1"}),
        tier_overrides={"U-MAL-3": Tier.ROUTINE_WITH_FLAG, "U-AGE-1": Tier.URGENT},
    )
    assert policy.changes_from_default() == {
        "unsure_counts_as_yes": False,
        "recent_onset_days": 0,
        "stable_bilateral_leg_tier": "EMERGENCY",
        "disabled_rules": ["R-DUR-1", "U-AGE-1"],
        "tier_overrides": {"U-AGE-1": "URGENT", "U-MAL-3": "ROUTINE_WITH_FLAG"},
    }


def test_the_default_policy_changes_nothing() -> None:
    assert ScreeningPolicy().changes_from_default() == {}
    assert load_policy("{}", RULE_IDS) == ScreeningPolicy()


def test_a_tier_override_changes_the_reported_tier() -> None:
    policy = ScreeningPolicy(tier_overrides={"U-MAL-2": Tier.ROUTINE_WITH_FLAG})
    result = screen(answers(weight_loss="yes"), policy)
    assert (result.tier, result.fired[0].tier) == (Tier.ROUTINE_WITH_FLAG, Tier.ROUTINE_WITH_FLAG)


# Predicates: how they are built and how they read ----------------------------------------


def test_the_builders_make_the_predicates_they_name() -> None:
    assert yes("fever") == Yes("fever")
    assert yes("fever", "diabetes") == AtLeast(1, (Yes("fever"), Yes("diabetes")))
    assert either(Yes("a"), Yes("b")) == AtLeast(1, (Yes("a"), Yes("b")))
    assert both(Yes("a"), Yes("b")) == All((Yes("a"), Yes("b")))
    assert at_least(2, Yes("a"), Yes("b"), Yes("c")) == AtLeast(2, (Yes("a"), Yes("b"), Yes("c")))
    assert choice("pain_trend", "same", "worse") == Is("pain_trend", frozenset({"same", "worse"}))
    assert region(Region.CERVICAL) == InRegion(frozenset({Region.CERVICAL}))


def test_each_predicate_reads_as_the_rule_table_prints_it() -> None:
    assert Yes("fever").describe() == "fever = yes"
    assert (
        Is("pain_trend", frozenset({"worse", "same"})).describe() == "pain_trend in {same, worse}"
    )
    assert Compare("age_years", ">=", 70).describe() == "age_years >= 70"
    assert (
        Compare("age_years", ">", Setting("malignancy_age_years")).describe()
        == "age_years > policy.malignancy_age_years"
    )
    assert PolicyOn("spasm_flag_when_improving").describe() == "policy.spasm_flag_when_improving"
    assert (
        InRegion(frozenset({Region.THORACIC, Region.LUMBAR})).describe()
        == "pain in {lumbar, thoracic} (or regions not given)"
    )
    assert All((Yes("a"), Yes("b"))).describe() == "(a = yes AND b = yes)"
    assert AtLeast(1, (Yes("a"), Yes("b"))).describe() == "any of (a = yes, b = yes)"
    assert AtLeast(2, (Yes("a"), Yes("b"))).describe() == "at least 2 of (a = yes, b = yes)"


def test_each_predicate_names_the_questions_it_reads() -> None:
    assert InRegion(frozenset({Region.LUMBAR})).questions() == frozenset({"pain_regions"})
    assert PolicyOn("spasm_flag_when_improving").questions() == frozenset()
    assert All((Yes("a"), Compare("b", "<", 1))).questions() == frozenset({"a", "b"})
    assert AtLeast(1, (Yes("a"), Is("c", frozenset()))).questions() == frozenset({"a", "c"})


def test_a_region_counts_as_evidence_only_when_the_patient_gave_regions() -> None:
    neck = screen(answers(regions=("cervical",), worst_headache="yes")).fired[0]
    assert neck.evidence == {"pain_regions": ["cervical"], "worst_headache": "yes"}
    unknown = _without(answers(worst_headache="yes"), "pain_regions")
    assert screen(unknown).fired[0].evidence == {"worst_headache": "yes"}


def test_without_free_text_there_is_nothing_to_review() -> None:
    assert "other_concerns" not in answers()
    assert screen(answers()).free_text_to_review is False


def test_a_disabled_rule_does_not_stop_the_rules_after_it() -> None:
    story = answers(pain_duration_days=50, pain_trend="worse", **symptom("bladder_change"))
    result = screen(story, ScreeningPolicy(disabled_rules=frozenset({"E-CES-1"})))
    assert [rule.rule_id for rule in result.fired] == ["R-DUR-2"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("27/03/2026", "onset_date: must be a date like 2026-03-27"),
        (20260327, "onset_date: must be a date like 2026-03-27"),
        ("2026-11-30", "onset_date: must not be in the future"),
    ],
)
def test_a_bad_date_is_refused_with_its_message(value: Any, message: str) -> None:
    from clinic.intake.fields import ALL_QUESTIONS

    with pytest.raises(AnswerError) as caught:
        check_answer(ALL_QUESTIONS["onset_date"], value, TODAY)
    assert (caught.value.question_id, str(caught.value)) == ("onset_date", message)


def test_today_is_not_in_the_future() -> None:
    from clinic.intake.fields import ALL_QUESTIONS

    assert check_answer(ALL_QUESTIONS["onset_date"], "2026-11-29", TODAY) == "2026-11-29"


# Three-valued evaluation ----------------------------------------------------------------


def _context(**unknown: Unknown) -> Context:
    return Context({}, ScreeningPolicy(), QUESTIONS_BY_ID, unknown)


@pytest.mark.parametrize(
    ("predicate", "unknown", "truth"),
    [
        (Is("q", frozenset({"a", "b"})), Unknown(choices=frozenset({"a", "b"})), Truth.TRUE),
        (Is("q", frozenset({"a"})), Unknown(choices=frozenset({"a", "b"})), Truth.UNKNOWN),
        (Is("q", frozenset({"c"})), Unknown(choices=frozenset({"a", "b"})), Truth.FALSE),
        (Compare("q", "<=", 14), Unknown(lowest=0, highest=5), Truth.TRUE),
        (Compare("q", "<=", 14), Unknown(lowest=0, highest=40), Truth.UNKNOWN),
        (Compare("q", ">", 14), Unknown(lowest=0, highest=5), Truth.FALSE),
        (Compare("q", ">", 14), Unknown(lowest=15, highest=40), Truth.TRUE),
    ],
)
def test_a_blank_question_makes_a_predicate_true_unknown_or_false(
    predicate: Is | Compare, unknown: Unknown, truth: Truth
) -> None:
    assert predicate.evaluate(_context(q=unknown)) == (
        Match(truth, frozenset({"q"})) if truth is not Truth.FALSE else Match(Truth.FALSE)
    )


def test_a_blank_yes_no_question_is_unknown_where_unsure_counts_and_no_does_not() -> None:
    blank = Unknown(choices=frozenset({"yes", "no", "unsure"}))
    context = Context({}, ScreeningPolicy(), QUESTIONS_BY_ID, {"bladder_change": blank})
    assert Yes("bladder_change").evaluate(context).truth is Truth.UNKNOWN
    only_yes = Unknown(choices=frozenset({"yes", "unsure"}))
    context = Context({}, ScreeningPolicy(), QUESTIONS_BY_ID, {"bladder_change": only_yes})
    assert Yes("bladder_change").evaluate(context).truth is Truth.TRUE


def test_and_and_at_least_combine_the_three_values() -> None:
    true, unknown, false = Yes("t"), Is("u", frozenset({"a"})), Yes("f")
    context = Context(
        {"t": "yes", "f": "no"},
        ScreeningPolicy(),
        {"t": QUESTIONS_BY_ID["fever"], "f": QUESTIONS_BY_ID["fever"]},
        {"u": Unknown(choices=frozenset({"a", "b"}))},
    )
    assert All((true, unknown)).evaluate(context) == Match(Truth.UNKNOWN, frozenset({"t", "u"}))
    assert All((true, false, unknown)).evaluate(context) == Match(Truth.FALSE)
    assert All((true,)).evaluate(context) == Match(Truth.TRUE, frozenset({"t"}))
    assert AtLeast(1, (false, unknown)).evaluate(context).truth is Truth.UNKNOWN
    assert AtLeast(2, (true, unknown, false)).evaluate(context) == Match(
        Truth.UNKNOWN, frozenset({"t", "u"})
    )
    assert AtLeast(1, (true, unknown)).evaluate(context) == Match(Truth.TRUE, frozenset({"t"}))
    assert AtLeast(2, (true, false)).evaluate(context) == Match(Truth.FALSE)


def test_a_bounded_blank_names_the_answer_that_bounds_it() -> None:
    bounded = Unknown(lowest=0, highest=5, bound_by="pain_duration_days")
    assert Compare("q", "<=", 14).evaluate(_context(q=bounded)) == Match(
        Truth.TRUE, frozenset({"q", "pain_duration_days"})
    )


def test_an_answered_number_is_its_own_evidence() -> None:
    context = Context({"age_years": 71}, ScreeningPolicy(), QUESTIONS_BY_ID)
    assert Compare("age_years", ">=", 70).evaluate(context) == Match(
        Truth.TRUE, frozenset({"age_years"})
    )


def test_no_regions_or_an_empty_list_means_every_region() -> None:
    assert patient_regions({}) == ALL_REGIONS
    assert patient_regions({"pain_regions": []}) == ALL_REGIONS
    assert patient_regions({"pain_regions": "lumbar"}) == ALL_REGIONS
    assert patient_regions({"pain_regions": ["cervical"]}) == frozenset({Region.CERVICAL})
