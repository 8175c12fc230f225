"""The red-flag rule table, for review by the clinical lead beside clinical.md.

One entry per rule: its id (as in clinical.md), the condition it screens for, its tier,
the structured predicate, the action for staff, the safety-net wording for the patient,
and its source (guideline and section). Ids never change meaning; a changed rule gets a
new RULESET_VERSION.

Reading the predicates: ``yes("q")`` is "q answered yes" (or "not sure", for a
time-critical question); ``choice("q", ...)`` is "q answered one of these";
``Compare("q", "<=", Setting("recent_onset_days"))`` compares with a policy setting.
"""

from __future__ import annotations

from dataclasses import dataclass

from clinic.screening.model import Condition, Region, Tier
from clinic.screening.predicates import (
    Compare,
    PolicyOn,
    Predicate,
    Setting,
    at_least,
    both,
    choice,
    either,
    region,
    yes,
)
from clinic.screening.questions import (
    BETTER,
    BOTH,
    CHANGED,
    LEFT,
    NEW,
    NO,
    RIGHT,
    SAME,
    UNCHANGED,
    UNSURE,
    WALKING_PACE_DAYS,
    WALKING_PACE_WEEKS,
    WALKING_STABLE,
    WORSE,
    YES,
)

RULESET_VERSION = "2026.11.2"

CLINICAL_REFERENCE = "clinical.md"


@dataclass(frozen=True)
class Rule:
    id: str
    condition: Condition
    tier: Tier
    when: Predicate
    staff_action: str
    safety_net: str
    # What staff see: the guideline or study, and its section where it has one.
    source: str
    # Where the rule is traced in the project's clinical reference (for developers and
    # the rules table in docs/screening.md; never shown to users).
    reference: str = ""
    # A rule not reported when one of these fired too (a sharper rule with the same
    # or a higher tier says the same thing). The tier is computed before this filter.
    superseded_by: tuple[str, ...] = ()
    # The policy setting that sets this rule's tier, where the guidance leaves it to the clinic.
    tier_setting: str | None = None
    enabled: bool = True


# Building blocks ------------------------------------------------------------------------

RECENT = Setting("recent_onset_days")
CES_SYMPTOMS = ("bladder_change", "saddle_numbness", "bowel_change", "sexual_dysfunction")


def new_or_worsening(symptom: str) -> Predicate:
    """New or changed since the pain began, and either recent (≤ 14 days by default) or
    getting worse (clinical.md §1.5, §3.1: NHS D&G "recent onset (<2 weeks) or worsening")."""
    return both(
        yes(symptom),
        choice(f"{symptom}_status", NEW, CHANGED, UNSURE),
        either(Compare(f"{symptom}_onset_days", "<=", RECENT), choice(f"{symptom}_trend", WORSE)),
    )


def stable_and_longer(symptom: str) -> Predicate:
    """New or changed, more than 14 days ago, not getting worse (clinical.md §3.1 U-CES-1)."""
    return both(
        yes(symptom),
        choice(f"{symptom}_status", NEW, CHANGED, UNSURE),
        Compare(f"{symptom}_onset_days", ">", RECENT),
        choice(f"{symptom}_trend", BETTER, SAME),
    )


def had_before_unchanged(symptom: str) -> Predicate:
    return both(yes(symptom), choice(f"{symptom}_status", UNCHANGED))


BACK_PAIN = region(Region.LUMBAR, Region.THORACIC)
NECK_PAIN = region(Region.CERVICAL)
BOTH_LEGS = choice("leg_symptoms_side", BOTH)
# Bladder and bowel change is cauda equina with back pain, and cervical cord compression
# with neck pain (clinical.md §3.1, §4.1).
SPHINCTER_SYMPTOMS = ("bladder_change", "bowel_change")
# Walking or balance getting worse over days (or "steadily worse", asked before 2026.11.2).
WALKING_DETERIORATING = either(
    choice("walking_difficulty_pace", WALKING_PACE_DAYS), yes("walking_worsening")
)

# Any new neurological symptom (clinical.md §3.3 MSCC warning signs, §3.4): new
# radicular pain counts here.
NEW_NEUROLOGY = either(
    new_or_worsening("leg_symptoms"),
    yes("leg_weakness_worsening"),
    yes("foot_drop"),
    yes("arms_and_legs_weak"),
    yes("both_arms_weak"),
    yes("sudden_limb_weakness"),
    WALKING_DETERIORATING,
    choice("walking_difficulty_pace", WALKING_PACE_WEEKS),
    yes("legs_heavy"),
    yes("hands_numb"),
    yes("band_pain"),
    *(new_or_worsening(symptom) for symptom in CES_SYMPTOMS),
)

# A neurological *deficit* (clinical.md §3.2 E-FX-1, review 2026-11): objective or
# progressive weakness, foot drop, new bilateral leg symptoms, bladder, bowel or saddle
# change, or cord signs. One-sided radicular pain or tingling is not a deficit.
NEUROLOGICAL_DEFICIT = either(
    yes("leg_weakness_worsening"),
    yes("foot_drop"),
    both(BOTH_LEGS, choice("leg_symptoms_status", NEW, CHANGED, UNSURE)),
    *(
        new_or_worsening(symptom)
        for symptom in ("bladder_change", "bowel_change", "saddle_numbness")
    ),
    yes("arms_and_legs_weak"),
    yes("both_arms_weak"),
    WALKING_DETERIORATING,
    yes("legs_heavy"),
    yes("hands_numb"),
    yes("hand_clumsiness"),
    yes("electric_shocks"),
)

# Lesser trauma: a fall or a blow ("a small fall, a lift or a strain", asked before
# 2026.11.2, counts: it may have been a fall). Lifting is not trauma. A serious accident
# fires E-FX-1 on its own.
FALL_OR_BLOW = yes("fall_or_blow", "minor_trauma")
# Bone fragility (clinical.md §3.2 U-FX-1): osteoporosis, a previous fragility fracture,
# long-term steroids, or older age.
BONE_FRAGILITY = either(
    yes("osteoporosis"),
    yes("fragility_fracture"),
    yes("long_term_steroids"),
    Compare("age_years", ">=", Setting("fracture_age_years")),
)

INFECTION_RISK = yes("weakened_immunity", "diabetes", "injects_drugs", "recent_infection")

AXIAL_SPONDYLOARTHRITIS_APPLIES = both(
    choice("pain_regions", "lumbar"),
    Compare("back_pain_onset_age", "<", 45),
    Compare("pain_duration_days", ">", 90),
)
NG65_CRITERIA = (
    Compare("back_pain_onset_age", "<", 35),
    yes("wakes_second_half_night"),
    yes("buttock_pain"),
    yes("better_with_movement"),
    yes("better_with_anti_inflammatories"),
    yes("family_spondyloarthritis"),
    yes("arthritis_history"),
    yes("enthesitis_history"),
    yes("psoriasis_history"),
)

# Wording ----------------------------------------------------------------------------------

CES_SAFETY_NET = (
    "Go to an emergency department straight away if you get new numbness between your legs "
    "or around your bottom, problems passing urine or controlling your bladder or bowels, "
    "changes in sexual feeling, or weakness in both legs. Do not wait for an appointment."
)
CES_EMERGENCY_ACTION = (
    "Suspected cauda equina syndrome. Do not book physiotherapy. Tell the duty clinician now; "
    "same-day emergency department or on-call spinal team for emergency MRI. Give the "
    "cauda equina warning card."
)
STROKE_SAFETY_NET = (
    "Call 999 at once if your face droops on one side, you cannot lift both arms, or your "
    "speech is slurred, or if you suddenly lose sight or feel numb on one side of your body."
)
CORD_SAFETY_NET = (
    "Get medical help the same day if your hands become clumsy or numb, your legs feel heavy "
    "or weak, or your walking or balance gets worse."
)
INFECTION_SAFETY_NET = (
    "Get medical help the same day if you have a fever, shivers or sweats with your back or "
    "neck pain, or feel very unwell."
)
MSCC_SAFETY_NET = (
    "Because you have had cancer, call your cancer team or go to hospital the same day if "
    "your pain gets much worse, or you get weakness, numbness, difficulty walking, or "
    "problems with your bladder or bowels."
)
GP_SAFETY_NET = (
    "See your GP if the pain is not easing, keeps you awake, or you feel unwell. Get help the "
    "same day if you notice any of the warning signs on your handout."
)

RULES: tuple[Rule, ...] = (
    # Cauda equina syndrome: clinical.md §3.1 -----------------------------------------------
    *(
        Rule(
            id=rule_id,
            condition=Condition.CAUDA_EQUINA,
            tier=Tier.EMERGENCY,
            when=(
                both(BACK_PAIN, new_or_worsening(symptom))
                if symptom in SPHINCTER_SYMPTOMS
                else new_or_worsening(symptom)
            ),
            staff_action=CES_EMERGENCY_ACTION,
            safety_net=CES_SAFETY_NET,
            source="NHS Dumfries & Galloway spinal pathway; GIRFT National Suspected CES Pathway 2023",
            reference=f"{CLINICAL_REFERENCE} §3.1 {rule_id}",
        )
        for rule_id, symptom in (
            ("E-CES-1", "bladder_change"),
            ("E-CES-2", "saddle_numbness"),
            ("E-CES-3", "bowel_change"),
            ("E-CES-4", "sexual_dysfunction"),
        )
    ),
    Rule(
        id="E-CES-5",
        condition=Condition.CAUDA_EQUINA,
        tier=Tier.EMERGENCY,
        when=either(
            both(BOTH_LEGS, new_or_worsening("leg_symptoms")),
            both(BOTH_LEGS, yes("leg_weakness_worsening")),
        ),
        staff_action=CES_EMERGENCY_ACTION,
        safety_net=CES_SAFETY_NET,
        source="CSP summary of GIRFT CES pathway 2024; NHS D&G",
        reference=f"{CLINICAL_REFERENCE} §3.1 E-CES-5",
    ),
    Rule(
        id="U-CES-5",
        condition=Condition.CAUDA_EQUINA,
        tier=Tier.URGENT,
        tier_setting="stable_bilateral_leg_tier",
        when=both(BOTH_LEGS, stable_and_longer("leg_symptoms")),
        staff_action=(
            "Bilateral leg symptoms for more than two weeks, stable. Urgent referral (within "
            "days) through the urgent spinal pathway; examine and give the cauda equina card."
        ),
        safety_net=CES_SAFETY_NET,
        source="NHS D&G 'new onset bilateral arm or leg symptoms: refer urgently'",
        reference=f"{CLINICAL_REFERENCE} §3.1 E-CES-5 [P]",
        superseded_by=("E-CES-5",),
    ),
    Rule(
        id="U-CES-1",
        condition=Condition.CAUDA_EQUINA,
        tier=Tier.URGENT,
        when=either(
            *(
                both(BACK_PAIN, stable_and_longer(symptom))
                if symptom in SPHINCTER_SYMPTOMS
                else stable_and_longer(symptom)
                for symptom in CES_SYMPTOMS
            )
        ),
        staff_action=(
            "Cauda equina features for more than two weeks and stable. Urgent referral for "
            "imaging through the urgent MSK/spinal pathway; safety-net and give the CES card."
        ),
        safety_net=CES_SAFETY_NET,
        source="NHS D&G; BNSSG Remedy citing GIRFT (>14 days)",
        reference=f"{CLINICAL_REFERENCE} §3.1 U-CES-1",
        superseded_by=("E-CES-1", "E-CES-2", "E-CES-3", "E-CES-4"),
    ),
    Rule(
        id="R-CES-HX",
        condition=Condition.CAUDA_EQUINA,
        tier=Tier.ROUTINE_WITH_FLAG,
        when=either(
            *(had_before_unchanged(symptom) for symptom in CES_SYMPTOMS),
            both(BOTH_LEGS, had_before_unchanged("leg_symptoms")),
        ),
        staff_action=(
            "Bladder, bowel, saddle, sexual or two-leg symptoms that pre-date this pain and are "
            "unchanged (for example diabetic neuropathy): not cauda equina on their own. Record "
            "the baseline for the assessment, re-ask at each visit, safety-net."
        ),
        safety_net=CES_SAFETY_NET,
        source="NHS D&G and CKS 'new or worsening' wording",
        reference=f"{CLINICAL_REFERENCE} §3.1, §6 [P]",
        superseded_by=("E-CES-1", "E-CES-2", "E-CES-3", "E-CES-4", "U-CES-1"),
    ),
    # Spinal fracture: clinical.md §3.2 --------------------------------------------------------
    Rule(
        id="E-FX-1",
        condition=Condition.SPINAL_FRACTURE,
        tier=Tier.EMERGENCY,
        when=either(yes("major_trauma"), both(FALL_OR_BLOW, NEUROLOGICAL_DEFICIT)),
        staff_action=(
            "Major trauma with spinal pain, or a fall or blow followed by a neurological deficit. "
            "Do not treat. Emergency department / trauma service now (Canadian C-spine rule or "
            "NEXUS for the neck)."
        ),
        safety_net="Go to an emergency department now. Keep still and do not do any exercises.",
        source="IFOMPT red flags framework 2020; UK Community Red Flags 2023",
        reference=f"{CLINICAL_REFERENCE} §3.2 E-FX-1",
    ),
    Rule(
        id="U-FX-1",
        condition=Condition.SPINAL_FRACTURE,
        tier=Tier.URGENT,
        when=both(
            yes("sudden_severe_pain", "fall_or_blow", "lifting_or_strain", "minor_trauma"),
            BONE_FRAGILITY,
        ),
        staff_action=(
            "Possible fragility fracture. Urgent GP review for X-ray and bone health. No "
            "manipulation, traction or deep pressure over the spine until cleared."
        ),
        safety_net=(
            "Avoid heavy lifting and twisting until a doctor has checked your spine. Get help "
            "the same day if the pain becomes severe or you get numbness or weakness."
        ),
        source="Downie et al. BMJ 2013;347:f7095; UK Community Red Flags 2023",
        reference=f"{CLINICAL_REFERENCE} §3.2 U-FX-1 [P age]",
        superseded_by=("E-FX-1",),
    ),
    # Malignancy and MSCC: clinical.md §3.3 ----------------------------------------------------
    Rule(
        id="E-MSCC-1",
        condition=Condition.METASTATIC_CORD_COMPRESSION,
        tier=Tier.EMERGENCY,
        when=both(yes("cancer_history"), NEW_NEUROLOGY),
        staff_action=(
            "Suspected metastatic spinal cord compression. Contact the acute oncology/MSCC team "
            "immediately; MRI of the whole spine within 24 hours."
        ),
        safety_net=MSCC_SAFETY_NET,
        source="NICE NG234 (replacing CG75); NHS Lothian MSCC pathway",
        reference=f"{CLINICAL_REFERENCE} §3.3 E-MSCC-1",
    ),
    Rule(
        id="U-MAL-1",
        condition=Condition.SPINAL_MALIGNANCY,
        tier=Tier.URGENT,
        when=both(yes("cancer_history"), yes("pain_new_or_changed")),
        staff_action=(
            "History of cancer with new or changed spinal pain. Contact the MSCC/oncology team "
            "or GP; MRI within one week."
        ),
        safety_net=MSCC_SAFETY_NET,
        source="NICE NG234 / CG75 timings; UK Community Red Flags 2023",
        reference=f"{CLINICAL_REFERENCE} §3.3 U-MAL-1",
        superseded_by=("E-MSCC-1",),
    ),
    Rule(
        id="U-MAL-2",
        condition=Condition.SPINAL_MALIGNANCY,
        tier=Tier.URGENT,
        when=yes("weight_loss"),
        staff_action="Unexplained weight loss with spinal pain. Urgent GP review (within two weeks).",
        safety_net=GP_SAFETY_NET,
        source="UK Community Red Flags 2023",
        reference=f"{CLINICAL_REFERENCE} §3.3 U-MAL-2",
    ),
    Rule(
        id="U-MAL-3",
        condition=Condition.SPINAL_MALIGNANCY,
        tier=Tier.URGENT,
        when=both(
            Compare("age_years", ">", Setting("malignancy_age_years")),
            either(
                yes("constant_pain"),
                yes("night_pain"),
                choice("pain_regions", "thoracic"),
                yes("feeling_unwell"),
            ),
        ),
        staff_action=(
            "Age over 50 with features of serious pathology (constant or night pain, thoracic "
            "pain, or feeling unwell). Urgent GP review; consider malignancy."
        ),
        safety_net=GP_SAFETY_NET,
        source="Henschke et al. Cochrane 2013 CD008686; NICE CKS",
        reference=f"{CLINICAL_REFERENCE} §3.3 U-MAL-3 [P age]",
    ),
    Rule(
        id="R-CA-HX",
        condition=Condition.SPINAL_MALIGNANCY,
        tier=Tier.ROUTINE_WITH_FLAG,
        when=both(yes("cancer_history"), choice("pain_new_or_changed", NO)),
        staff_action=(
            "History of cancer; spinal pain long-standing and unchanged. Record it and "
            "safety-net the MSCC warning signs at every visit."
        ),
        safety_net=MSCC_SAFETY_NET,
        source="Downie et al. BMJ 2013 (cancer history the strongest flag)",
        reference=f"{CLINICAL_REFERENCE} §3.3 R-CA-HX",
        superseded_by=("E-MSCC-1", "U-MAL-1"),
    ),
    Rule(
        id="R-MYELOMA-1",
        condition=Condition.MYELOMA,
        tier=Tier.ROUTINE_WITH_FLAG,
        # NG12's "persistent bone pain" is unexplained pain, not a back pain the patient
        # has had before and that has not changed [P] (review 2026-11).
        when=both(
            Compare("age_years", ">=", 60),
            Compare("pain_duration_days", ">=", Setting("persistent_pain_days")),
            choice("pain_new_or_changed", YES, UNSURE),
        ),
        staff_action=(
            "Age 60 or over with persistent back pain. Write to the GP suggesting NICE NG12 "
            "blood tests (FBC, calcium, ESR/PV) for myeloma."
        ),
        safety_net=GP_SAFETY_NET,
        source="NICE NG12 (myeloma)",
        reference=f"{CLINICAL_REFERENCE} §3.3 R-MYELOMA-1",
    ),
    # Spinal infection: clinical.md §3.4 --------------------------------------------------------
    Rule(
        id="E-INF-1",
        condition=Condition.SPINAL_INFECTION,
        tier=Tier.EMERGENCY,
        when=both(
            yes("fever", "feeling_unwell"),
            either(INFECTION_RISK, NEW_NEUROLOGY, yes("recent_spinal_procedure")),
        ),
        staff_action=(
            "Suspected spinal infection. Do not treat. Same-day referral to the spinal team or "
            "emergency department."
        ),
        safety_net=INFECTION_SAFETY_NET,
        source="Yusuf, Finucane, Selfe BMC MSD 2019; UK Community Red Flags 2023",
        reference=f"{CLINICAL_REFERENCE} §3.4 E-INF-1",
    ),
    Rule(
        id="U-INF-2",
        condition=Condition.SPINAL_INFECTION,
        tier=Tier.URGENT,
        when=yes("fever"),
        staff_action=(
            "Fever or chills with spinal pain, no risk factor or neurology. Same-day GP review to "
            "rule out infection and visceral causes."
        ),
        safety_net=INFECTION_SAFETY_NET,
        source="NHS D&G; regional back pain pathways",
        reference=f"{CLINICAL_REFERENCE} §3.4 U-INF-2",
        superseded_by=("E-INF-1",),
    ),
    Rule(
        id="U-IMM-1",
        condition=Condition.SPINAL_INFECTION,
        tier=Tier.URGENT,
        when=both(yes("weakened_immunity"), yes("pain_new_or_changed")),
        staff_action="Possible immunosuppression with new spinal pain. Urgent medical review.",
        safety_net=INFECTION_SAFETY_NET,
        source="UK Community Red Flags 2023",
        reference=f"{CLINICAL_REFERENCE} §3.4 U-IMM-1",
        superseded_by=("E-INF-1",),
    ),
    # Spinal cord and myelopathy: clinical.md §4.1 ----------------------------------------------
    Rule(
        id="E-CORD-1",
        condition=Condition.CORD_COMPRESSION,
        tier=Tier.EMERGENCY,
        when=either(
            WALKING_DETERIORATING,
            yes("arms_and_legs_weak"),
            yes("both_arms_weak"),
            both(NECK_PAIN, either(*(new_or_worsening(s) for s in SPHINCTER_SYMPTOMS))),
        ),
        staff_action=(
            "Suspected deteriorating spinal cord pathology (walking getting worse over days, "
            "weakness across several levels, or new bladder or bowel change with neck pain). "
            "Emergency spinal referral today."
        ),
        safety_net=CORD_SAFETY_NET,
        source="UK Community Red Flags 2023",
        reference=f"{CLINICAL_REFERENCE} §4.1 E-CORD-1",
    ),
    Rule(
        id="U-DCM-1",
        condition=Condition.CERVICAL_MYELOPATHY,
        tier=Tier.URGENT,
        when=either(
            choice("walking_difficulty_pace", WALKING_PACE_WEEKS),
            at_least(
                2,
                yes("hand_clumsiness"),
                yes("hands_numb"),
                yes("legs_heavy"),
                yes("electric_shocks"),
                choice("balance_problems_pattern", "worsening"),
            ),
            both(NECK_PAIN, either(*(stable_and_longer(s) for s in SPHINCTER_SYMPTOMS))),
        ),
        staff_action=(
            "Suspected degenerative cervical myelopathy (walking slowly getting worse, two "
            "myelopathy features, or a stable bladder or bowel change with neck pain). Examine (Hoffmann's, reflexes, gait) and "
            "refer urgently to orthopaedics/spinal surgery. No cervical manipulation."
        ),
        safety_net=CORD_SAFETY_NET,
        source="NHS D&G 'refer urgently: DCM'; myelopathy.org",
        reference=f"{CLINICAL_REFERENCE} §4.1 U-DCM-1",
        superseded_by=("E-CORD-1",),
    ),
    # Neck arteries, instability, stroke: clinical.md §4.2-§4.4 -----------------------------
    Rule(
        id="E-CAD-1",
        condition=Condition.CERVICAL_ARTERIAL_DYSFUNCTION,
        tier=Tier.EMERGENCY,
        when=both(NECK_PAIN, yes("dizziness_or_blackouts", "worst_headache")),
        staff_action=(
            "Suspected cervical arterial dysfunction. Call 999 (stroke pathway). No cervical "
            "manual therapy or end-range techniques."
        ),
        safety_net=STROKE_SAFETY_NET,
        source="IFOMPT Cervical Framework (Rushton et al. 2020; JOSPT 2023)",
        reference=f"{CLINICAL_REFERENCE} §4.2 E-CAD-1",
    ),
    Rule(
        id="R-RA-1",
        condition=Condition.UPPER_CERVICAL_INSTABILITY,
        tier=Tier.ROUTINE_WITH_FLAG,
        when=both(NECK_PAIN, yes("inflammatory_or_connective_tissue")),
        staff_action=(
            "Rheumatoid arthritis, Down syndrome or a connective-tissue disorder with neck "
            "symptoms. Screen for upper cervical instability before any cervical manual therapy "
            "or traction."
        ),
        safety_net=CORD_SAFETY_NET,
        source="IFOMPT Cervical Framework 2020",
        reference=f"{CLINICAL_REFERENCE} §4.3 R-RA-1",
    ),
    Rule(
        id="E-STROKE-1",
        condition=Condition.STROKE_TIA,
        tier=Tier.EMERGENCY,
        when=yes(
            "one_side_of_body",
            "face_drooping",
            "sudden_limb_weakness",
            "speech_difficulty",
            "vision_change",
        ),
        staff_action="Possible stroke or TIA (FAST). Call 999 now, even if the symptoms have passed.",
        safety_net=STROKE_SAFETY_NET,
        source="NHS FAST campaign; NICE NG128",
        reference=f"{CLINICAL_REFERENCE} §4.4 E-STROKE-1",
    ),
    # Aorta and organs: clinical.md §4.5 ----------------------------------------------------------
    Rule(
        id="E-AAA-1",
        condition=Condition.AORTIC_ANEURYSM,
        tier=Tier.EMERGENCY,
        when=yes("pulsing_abdomen"),
        staff_action="Possible abdominal aortic aneurysm. Call 999 now.",
        safety_net="Call 999 now if you have sudden severe back or tummy pain with feeling faint or sweaty.",
        source="NICE CKS differential diagnosis of back pain",
        reference=f"{CLINICAL_REFERENCE} §4.5 E-AAA-1",
    ),
    Rule(
        id="U-VISC-1",
        condition=Condition.VISCERAL_CAUSE,
        tier=Tier.URGENT,
        when=either(
            yes("loin_to_groin_pain"),
            both(yes("urinary_symptoms"), yes("fever")),
            yes("nausea_with_tummy_pain"),
            yes("nausea_or_vomiting"),
            yes("gynae_or_prostate_symptoms"),
        ),
        staff_action=(
            "Symptoms suggesting a visceral cause (kidney, bowel, gynaecological or prostate), "
            "or nausea or vomiting with spinal pain. Same-day GP review."
        ),
        safety_net=GP_SAFETY_NET,
        source="NICE CKS; back-spasm patient information 'pain with fever or nausea'",
        reference=f"{CLINICAL_REFERENCE} §4.5 U-VISC-1",
    ),
    # Axial spondyloarthritis: clinical.md §4.6 (NICE NG65) -----------------------------------
    Rule(
        id="R-AXSPA-1",
        condition=Condition.AXIAL_SPONDYLOARTHRITIS,
        tier=Tier.ROUTINE_WITH_FLAG,
        when=both(AXIAL_SPONDYLOARTHRITIS_APPLIES, at_least(4, *NG65_CRITERIA)),
        staff_action=(
            "Four or more NICE NG65 criteria in back pain that began before 45 and has lasted "
            "over 3 months. Refer to rheumatology for a spondyloarthritis assessment."
        ),
        safety_net=GP_SAFETY_NET,
        source="NICE NG65 recommendation 1.1.4",
        reference=f"{CLINICAL_REFERENCE} §4.6 R-AXSPA-1",
    ),
    Rule(
        id="R-AXSPA-2",
        condition=Condition.AXIAL_SPONDYLOARTHRITIS,
        tier=Tier.ROUTINE_WITH_FLAG,
        when=both(AXIAL_SPONDYLOARTHRITIS_APPLIES, at_least(3, *NG65_CRITERIA)),
        staff_action=(
            "Exactly three NICE NG65 criteria. Ask the GP for an HLA-B27 test; refer to "
            "rheumatology if positive."
        ),
        safety_net=GP_SAFETY_NET,
        source="NICE NG65 recommendation 1.1.5",
        reference=f"{CLINICAL_REFERENCE} §4.6 R-AXSPA-1",
        superseded_by=("R-AXSPA-1",),
    ),
    # Age: clinical.md §4.7 -----------------------------------------------------------------------
    Rule(
        id="U-AGE-1",
        condition=Condition.AGE,
        tier=Tier.URGENT,
        when=both(
            yes("first_episode"),
            either(
                Compare("age_years", "<", Setting("age_flag_lower_years")),
                Compare("age_years", ">", Setting("age_flag_upper_years")),
            ),
        ),
        staff_action=(
            "First ever episode of spinal pain under 15 or over 60. Priority spinal review "
            "(within two weeks). Under-16s go to paediatric services."
        ),
        safety_net=GP_SAFETY_NET,
        source="UK Community Red Flags 2023",
        reference=f"{CLINICAL_REFERENCE} §4.7 U-AGE-1 [P]",
    ),
    # Nerve roots: clinical.md §6 -----------------------------------------------------------------
    Rule(
        id="U-NEURO-1",
        condition=Condition.MAJOR_NEUROLOGICAL_DEFICIT,
        tier=Tier.URGENT,
        when=either(
            yes("foot_drop"),
            both(choice("leg_symptoms_side", LEFT, RIGHT), yes("leg_weakness_worsening")),
        ),
        staff_action=(
            "New foot drop or progressive weakness in one leg. Full neurological examination and "
            "urgent spinal referral."
        ),
        safety_net=CES_SAFETY_NET,
        source="NHS D&G 'refer urgently: new foot drop, severe radicular pain with deficit'",
        reference=f"{CLINICAL_REFERENCE} §6 U-NEURO-1",
        superseded_by=("E-CES-5",),
    ),
    Rule(
        id="R-RAD-1",
        condition=Condition.RADICULOPATHY,
        tier=Tier.ROUTINE_WITH_FLAG,
        when=both(yes("leg_symptoms"), choice("leg_symptoms_side", LEFT, RIGHT)),
        staff_action=(
            "Leg symptoms on one side (radicular pattern). Examine myotomes, dermatomes and "
            "reflexes; give verbal and written cauda equina safety-netting."
        ),
        safety_net=CES_SAFETY_NET,
        source="NICE NG59; IFOMPT/MACP CES safety-netting",
        reference=f"{CLINICAL_REFERENCE} §1.6, §6 R-RAD-1",
        superseded_by=("U-NEURO-1", "E-CES-5"),
    ),
    # Balance and duration: clinical.md §6 (seed articles) ----------------------------------
    Rule(
        id="R-FALLS-1",
        condition=Condition.FALLS_RISK,
        tier=Tier.ROUTINE_WITH_FLAG,
        when=either(
            choice("walking_difficulty_pace", WALKING_STABLE),
            both(yes("balance_problems"), choice("balance_problems_pattern", "long_standing")),
        ),
        staff_action=(
            "Long-standing, stable walking or balance problems: assess falls risk. Not a "
            "spinal red flag."
        ),
        safety_net=CORD_SAFETY_NET,
        source="back-spasm patient information 'balance and coordination problems'",
        reference=f"{CLINICAL_REFERENCE} §6 R-FALLS-1",
    ),
    Rule(
        id="R-DUR-1",
        condition=Condition.PERSISTENT_SYMPTOMS,
        tier=Tier.ROUTINE_WITH_FLAG,
        when=both(
            yes("back_spasms"),
            Compare("pain_duration_days", ">", Setting("spasm_days")),
            either(choice("pain_trend", SAME, WORSE), PolicyOn("spasm_flag_when_improving")),
        ),
        staff_action=(
            "Spasms for more than two weeks and not improving. Review the diagnosis and the "
            "plan; consider a letter to the GP."
        ),
        safety_net=GP_SAFETY_NET,
        source="back-spasm patient information 'spasms lasting more than two weeks'",
        reference=f"{CLINICAL_REFERENCE} §6 R-DUR-1 [P]",
    ),
    Rule(
        id="R-DUR-2",
        condition=Condition.PERSISTENT_SYMPTOMS,
        tier=Tier.ROUTINE_WITH_FLAG,
        # A long history that is stable or improving is not a flag (clinical.md §6).
        when=both(
            Compare("pain_duration_days", ">", Setting("persistent_pain_days")),
            either(
                choice("pain_trend", WORSE),
                both(yes("pain_new_or_changed"), choice("pain_trend", SAME)),
            ),
        ),
        staff_action=(
            "Pain beyond six weeks that is getting worse, or new or changed and not improving. "
            "Reassess and consider alternative diagnoses (NICE NG59); after 3 months with "
            "onset before 45, check the NG65 criteria."
        ),
        safety_net=GP_SAFETY_NET,
        source="NICE NG59 assessment; back-spasm patient information 'pain beyond 3-6 weeks'",
        reference=f"{CLINICAL_REFERENCE} §5, §6 R-DUR-2",
    ),
)

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
RULE_IDS = frozenset(RULES_BY_ID)
