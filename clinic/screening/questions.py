"""The red-flag question catalogue: plain-language questions a patient can answer alone.

Every question has a stable id (answers are stored by it, so ids never change meaning:
retire a question and add a new id instead). Questions are asked per body region, or as a
follow-up of another answer. Wording aims at a reading age of about 11 and asks explicitly
(clinical.md §1.3: patients rarely volunteer saddle numbness unless asked).
"""

from __future__ import annotations

from clinic.screening.model import (
    AnswerType,
    Cluster,
    FollowUp,
    Option,
    Question,
    Region,
)

QUESTIONNAIRE_VERSION = "2026.11.2"

YES, NO, UNSURE = "yes", "no", "unsure"
POSITIVE = frozenset({YES, UNSURE})

YES_NO_UNSURE = (Option(YES, "Yes"), Option(NO, "No"), Option(UNSURE, "Not sure"))
NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"
STATUS_OPTIONS = (
    Option(NEW, "It is new since this pain began"),
    Option(CHANGED, "I had it before, but it has changed or got worse since this pain began"),
    Option(UNCHANGED, "I had it before this pain began, and it has not changed"),
    Option(UNSURE, "Not sure"),
)
BETTER, SAME, WORSE = "better", "same", "worse"
TREND_OPTIONS = (
    Option(BETTER, "Getting better"),
    Option(SAME, "Staying the same"),
    Option(WORSE, "Getting worse"),
)
LEFT, RIGHT, BOTH = "left", "right", "both"
SIDE_OPTIONS = (Option(LEFT, "Left leg"), Option(RIGHT, "Right leg"), Option(BOTH, "Both legs"))

ALL = frozenset(Region)
BACK = frozenset({Region.LUMBAR, Region.THORACIC})
LUMBAR = frozenset({Region.LUMBAR})
NECK = frozenset({Region.CERVICAL})
MAX_DAYS = 365 * 100


def _yes_no(
    id: str,
    text: str,
    cluster: Cluster = Cluster.GENERAL,
    regions: frozenset[Region] | None = None,
    follow_up_of: FollowUp | None = None,
    hint: str = "",
    retired: bool = False,
) -> Question:
    return Question(
        id=id,
        text=text,
        type=AnswerType.YES_NO_UNSURE,
        cluster=cluster,
        regions=regions if regions is not None else frozenset(Region),
        follow_up_of=follow_up_of,
        options=YES_NO_UNSURE,
        hint=hint,
        retired=retired,
    )


def _when_positive(question_id: str) -> FollowUp:
    return FollowUp(question_id, POSITIVE)


def _symptom(
    id: str,
    text: str,
    cluster: Cluster,
    regions: frozenset[Region],
    hint: str = "",
    onset_text: str = "How many days ago did it start or change?",
    trend_text: str = "Since it started, is it getting better, staying the same, or getting worse?",
) -> tuple[Question, Question, Question, Question]:
    """A symptom with the follow-ups the time-window rules need (clinical.md §11.2): is it
    new or changed since the pain began, how long ago did it start, which way is it going.
    The "had it before, unchanged" answer is the trap of clinical.md §3.1: long-standing
    stress incontinence is not cauda equina."""
    status = Question(
        id=f"{id}_status",
        text="Is this new since your pain began, or did you have it before?",
        type=AnswerType.CHOICE,
        cluster=cluster,
        regions=regions,
        follow_up_of=_when_positive(id),
        options=STATUS_OPTIONS,
    )
    new_or_changed = FollowUp(status.id, frozenset({NEW, CHANGED, UNSURE}))
    return (
        _yes_no(id, text, cluster, regions, hint=hint),
        status,
        Question(
            id=f"{id}_onset_days",
            text=onset_text,
            type=AnswerType.DURATION,
            cluster=cluster,
            regions=regions,
            follow_up_of=new_or_changed,
            minimum=0,
            maximum=MAX_DAYS,
            hint="If it was today, enter 0.",
            # New or changed since the pain began: no older than the pain.
            within_episode_when=frozenset({NEW, CHANGED}),
        ),
        Question(
            id=f"{id}_trend",
            text=trend_text,
            type=AnswerType.CHOICE,
            cluster=cluster,
            regions=regions,
            follow_up_of=new_or_changed,
            options=TREND_OPTIONS,
        ),
    )


LEGS, LEGS_STATUS, LEGS_ONSET, LEGS_TREND = _symptom(
    "leg_symptoms",
    "Do you have pain, numbness, tingling or weakness going down into a leg?",
    Cluster.CAUDA_EQUINA,
    BACK,
    onset_text="How many days ago did the leg symptoms start, change, or spread to the other leg?",
    trend_text="Are the leg symptoms getting better, staying the same, or getting worse?",
)
WALKING_PACE_DAYS, WALKING_PACE_WEEKS, WALKING_STABLE = "over_days", "over_weeks", "stable"


QUESTIONS: tuple[Question, ...] = (
    # About the pain ------------------------------------------------------------------
    Question(
        "pain_regions",
        "Where is your pain? Choose all that apply.",
        AnswerType.MULTI_CHOICE,
        options=(
            Option(Region.LUMBAR.value, "Lower back"),
            Option(Region.THORACIC.value, "Middle or upper back"),
            Option(Region.CERVICAL.value, "Neck"),
        ),
    ),
    Question(
        "age_years",
        "How old are you?",
        AnswerType.NUMBER,
        minimum=0,
        maximum=120,
        hint="Staff may fill this in from your date of birth.",
    ),
    Question(
        "pain_duration_days",
        "How many days ago did this episode of pain start?",
        AnswerType.DURATION,
        minimum=0,
        maximum=MAX_DAYS,
        hint="For example, 3 weeks is 21 days. If it was today, enter 0.",
    ),
    Question(
        "pain_trend",
        "Is the pain getting better, staying the same, or getting worse?",
        AnswerType.CHOICE,
        options=TREND_OPTIONS,
    ),
    _yes_no("first_episode", "Is this the first time you have ever had back or neck pain?"),
    _yes_no(
        "pain_new_or_changed",
        "Is this pain new, or different from any back or neck pain you have had before?",
    ),
    _yes_no(
        "back_spasms", "Are you having muscle spasms (sudden tightening) in your back or neck?"
    ),
    _yes_no(
        "constant_pain",
        "Is the pain there all the time, whatever position you are in and however you move?",
        Cluster.MALIGNANCY,
    ),
    _yes_no(
        "night_pain",
        "Does pain wake you at night and stay the same whatever position you lie in?",
        Cluster.MALIGNANCY,
    ),
    # Leg symptoms and nerve roots ----------------------------------------------------
    # Leg symptoms have the same status follow-up as the cauda equina symptoms: numb feet
    # from diabetic neuropathy, unchanged for years, are not cauda equina (clinical.md
    # §3.1 E-CES-5, review 2026-11).
    LEGS,
    Question(
        "leg_symptoms_side",
        "Which leg?",
        AnswerType.CHOICE,
        Cluster.CAUDA_EQUINA,
        BACK,
        _when_positive("leg_symptoms"),
        SIDE_OPTIONS,
    ),
    LEGS_STATUS,
    LEGS_ONSET,
    LEGS_TREND,
    _yes_no(
        "leg_weakness_worsening",
        "Is weakness in your legs, or difficulty walking, getting worse?",
        Cluster.CAUDA_EQUINA,
        BACK,
        _when_positive("leg_symptoms"),
    ),
    _yes_no(
        "foot_drop",
        "Has a foot started to drop or slap, or do you trip because you cannot lift your foot?",
        Cluster.CAUDA_EQUINA,
        BACK,
        _when_positive("leg_symptoms"),
    ),
    # Cauda equina: asked of everyone with back pain ---------------------------------
    # Bladder and bowel are asked of neck patients too: cervical cord compression
    # disturbs the sphincters as well (clinical.md §4.1).
    *_symptom(
        "bladder_change",
        "Have you had any change in passing urine: difficulty starting, a weak flow, "
        "not feeling when your bladder is full, or leaking?",
        Cluster.CAUDA_EQUINA,
        ALL,
    ),
    *_symptom(
        "saddle_numbness",
        "Do you have numbness or tingling between your legs, around your bottom or "
        "genitals (the area you would sit on in a saddle)?",
        Cluster.CAUDA_EQUINA,
        BACK,
        hint="For example, toilet paper feels different when you wipe.",
    ),
    *_symptom(
        "bowel_change",
        "Have you had any change in bowel control: leaking, or not feeling when you need to go?",
        Cluster.CAUDA_EQUINA,
        ALL,
    ),
    *_symptom(
        "sexual_dysfunction",
        "Have you had any change in sexual function, such as numbness of the genitals or "
        "problems with erection or ejaculation?",
        Cluster.CAUDA_EQUINA,
        BACK,
    ),
    # Spinal cord and cervical myelopathy: asked of everyone --------------------------
    _yes_no(
        "hand_clumsiness",
        "Have your hands become clumsy: trouble with buttons, writing, or dropping things?",
        Cluster.CORD,
    ),
    _yes_no("hands_numb", "Do you have numbness or pins and needles in both hands?", Cluster.CORD),
    _yes_no("legs_heavy", "Do both legs feel heavy, stiff or weak?", Cluster.CORD),
    # One walking question with its pace: fast progression is deteriorating cord
    # pathology (E-CORD-1), slow progression suggests myelopathy (U-DCM-1), stable is a
    # falls risk (clinical.md §4.1, §6).
    _yes_no(
        "walking_difficulty",
        "Do you have difficulty walking, problems with your balance, or have you fallen recently?",
        Cluster.CORD,
    ),
    Question(
        "walking_difficulty_pace",
        "How has your walking or balance changed?",
        AnswerType.CHOICE,
        Cluster.CORD,
        follow_up_of=_when_positive("walking_difficulty"),
        options=(
            Option(WALKING_PACE_DAYS, "It is getting worse over days"),
            Option(WALKING_PACE_WEEKS, "It has been getting worse slowly, over weeks or months"),
            Option(WALKING_STABLE, "I have had it a long time and it is not changing"),
        ),
    ),
    _yes_no(
        "arms_and_legs_weak",
        "Do you have new weakness in both your arms and your legs?",
        Cluster.CORD,
    ),
    # Central cord syndrome weakens both arms more than the legs (clinical.md §4.1).
    _yes_no(
        "both_arms_weak",
        "Do both of your arms feel newly weak, even if your legs feel normal?",
        Cluster.CORD,
    ),
    _yes_no(
        "electric_shocks",
        "Do you get an electric-shock feeling down your back or into your arms or legs "
        "when you bend your neck forward?",
        Cluster.CORD,
    ),
    # Retired in questionnaire 2026.11.2 (walking_difficulty and its pace replace them);
    # kept so that older intakes can still be screened again.
    _yes_no(
        "walking_worsening",
        "Is your walking or balance getting steadily worse?",
        Cluster.CORD,
        retired=True,
    ),
    _yes_no(
        "balance_problems",
        "Do you have problems with balance, or have you fallen recently?",
        retired=True,
    ),
    Question(
        "balance_problems_pattern",
        "Which describes your balance problem best?",
        AnswerType.CHOICE,
        follow_up_of=_when_positive("balance_problems"),
        options=(
            Option("sudden", "It came on suddenly"),
            Option("worsening", "It is slowly getting worse"),
            Option("long_standing", "I have had it a long time and it is not changing"),
        ),
        retired=True,
    ),
    # Cancer ---------------------------------------------------------------------------
    _yes_no(
        "cancer_history",
        "Have you ever had cancer, or are you having tests or treatment for cancer now?",
        Cluster.CANCER_NEUROLOGY,
    ),
    _yes_no(
        "band_pain",
        "Do you have pain that wraps around your chest or tummy like a tight band?",
        Cluster.CANCER_NEUROLOGY,
        frozenset({Region.THORACIC}),
    ),
    _yes_no("weight_loss", "Have you lost weight recently without trying?", Cluster.MALIGNANCY),
    # Infection ------------------------------------------------------------------------
    _yes_no(
        "fever", "Have you had a fever, shivering or chills, or night sweats?", Cluster.INFECTION
    ),
    _yes_no(
        "feeling_unwell", "Do you feel generally unwell, as if you have flu?", Cluster.INFECTION
    ),
    _yes_no(
        "weakened_immunity",
        "Do you take medicines or have a condition that weakens your immune system? "
        "For example chemotherapy, steroid tablets, biologic drugs, transplant medicines, or HIV.",
        Cluster.INFECTION,
    ),
    _yes_no("diabetes", "Do you have diabetes?", Cluster.INFECTION),
    _yes_no(
        "injects_drugs", "Do you inject drugs that were not prescribed to you?", Cluster.INFECTION
    ),
    _yes_no(
        "recent_infection",
        "In the last 3 months, have you had an infection such as a urine, skin or blood infection?",
        Cluster.INFECTION,
    ),
    _yes_no(
        "recent_spinal_procedure",
        "In the last 3 months, have you had spine surgery, an injection into your back, "
        "or a lumbar puncture?",
        Cluster.INFECTION,
    ),
    # Fracture -------------------------------------------------------------------------
    _yes_no(
        "major_trauma",
        "In the last few days, have you had a serious accident, such as a car crash or a fall "
        "from a height?",
        Cluster.FRACTURE,
    ),
    # A fall or a blow is trauma; lifting or straining is context, and counts only in
    # the bone-fragility groups of U-FX-1 (clinical.md §3.2, review 2026-11).
    _yes_no(
        "fall_or_blow",
        "Did this pain start after a fall, or a knock or blow to your back or neck?",
        Cluster.FRACTURE,
    ),
    _yes_no(
        "lifting_or_strain",
        "Did this pain start after lifting, bending, twisting or straining?",
        Cluster.FRACTURE,
    ),
    # Retired in questionnaire 2026.11.2: it asked about a fall and a lift at once.
    _yes_no(
        "minor_trauma",
        "Did this pain start after a small fall, a lift or a strain?",
        Cluster.FRACTURE,
        retired=True,
    ),
    _yes_no(
        "sudden_severe_pain",
        "Did severe pain in your spine start suddenly?",
        Cluster.FRACTURE,
    ),
    _yes_no(
        "osteoporosis",
        "Have you been told you have osteoporosis (thin or weak bones)?",
        Cluster.FRACTURE,
    ),
    _yes_no(
        "long_term_steroids",
        "Have you taken steroid tablets (such as prednisolone) for 3 months or more?",
        Cluster.FRACTURE,
    ),
    _yes_no(
        "fragility_fracture",
        "Have you ever broken a bone in a minor fall or bump, such as falling over from standing?",
        Cluster.FRACTURE,
    ),
    # Stroke and the arteries of the neck --------------------------------------------
    _yes_no(
        "one_side_of_body",
        "Have you had sudden numbness or weakness of your face, arm AND leg on one side of "
        "your body?",
        Cluster.STROKE,
        hint="This is about one whole side of the body, not one leg.",
    ),
    _yes_no(
        "face_drooping", "Has one side of your face suddenly dropped or gone numb?", Cluster.STROKE
    ),
    # FAST: one arm, or one leg, on its own (clinical.md §4.4). Not pain or tingling that
    # runs down a leg from the back: that is a nerve root (the trap of §4.4).
    _yes_no(
        "sudden_limb_weakness",
        "Has one arm or one leg suddenly gone weak or numb on its own, without pain "
        "spreading down it from your back or neck?",
        Cluster.STROKE,
        hint="For example, you suddenly could not lift one arm, or one leg gave way.",
    ),
    _yes_no(
        "speech_difficulty",
        "Have you suddenly had slurred speech, trouble finding words, or trouble swallowing?",
        Cluster.STROKE,
    ),
    _yes_no(
        "vision_change",
        "Have you suddenly lost sight, or had blurred or double vision?",
        Cluster.STROKE,
    ),
    _yes_no(
        "dizziness_or_blackouts",
        "Have you had dizziness, blackouts, or sudden falls without warning?",
        Cluster.ARTERIAL,
        NECK,
    ),
    _yes_no(
        "worst_headache",
        "Have you had a sudden, severe headache or neck pain unlike any you have had before?",
        Cluster.ARTERIAL,
        NECK,
    ),
    _yes_no(
        "inflammatory_or_connective_tissue",
        "Do you have rheumatoid arthritis, Down syndrome, or a connective-tissue condition "
        "such as Ehlers-Danlos syndrome?",
        regions=NECK,
    ),
    # Aorta and organs -----------------------------------------------------------------
    _yes_no(
        "pulsing_abdomen",
        "Did you have sudden severe pain in your back or tummy with a pulsing feeling in your "
        "tummy, or feeling faint or sweaty?",
        Cluster.VISCERAL,
        BACK,
    ),
    _yes_no(
        "loin_to_groin_pain",
        "Does pain come in waves from your side down towards your groin?",
        Cluster.VISCERAL,
        BACK,
    ),
    _yes_no(
        "urinary_symptoms",
        "Does it burn or sting when you pass urine, or do you need to go much more often?",
        Cluster.VISCERAL,
        BACK,
    ),
    _yes_no(
        "nausea_with_tummy_pain",
        "Do you feel sick or have you been sick, with pain in your tummy?",
        Cluster.VISCERAL,
        BACK,
    ),
    _yes_no(
        "nausea_or_vomiting",
        "Have you been feeling sick or being sick (vomiting), even without tummy pain?",
        Cluster.VISCERAL,
    ),
    _yes_no(
        "gynae_or_prostate_symptoms",
        "Have you had unusual bleeding or discharge from the vagina, or new problems with "
        "your prostate?",
        Cluster.VISCERAL,
        BACK,
    ),
    # Axial spondyloarthritis: NICE NG65 criteria ------------------------------------
    Question(
        "back_pain_onset_age",
        "How old were you when you first had back pain?",
        AnswerType.NUMBER,
        Cluster.INFLAMMATORY,
        LUMBAR,
        minimum=0,
        maximum=120,
    ),
    _yes_no(
        "wakes_second_half_night",
        "Does back pain wake you in the second half of the night?",
        Cluster.INFLAMMATORY,
        LUMBAR,
    ),
    _yes_no("buttock_pain", "Do you have pain in your buttocks?", Cluster.INFLAMMATORY, LUMBAR),
    _yes_no(
        "better_with_movement",
        "Does your back pain get better when you move about?",
        Cluster.INFLAMMATORY,
        LUMBAR,
    ),
    _yes_no(
        "better_with_anti_inflammatories",
        "Does your back pain get better within 2 days of taking anti-inflammatory painkillers "
        "such as ibuprofen?",
        Cluster.INFLAMMATORY,
        LUMBAR,
    ),
    _yes_no(
        "family_spondyloarthritis",
        "Does a parent, brother, sister or child of yours have ankylosing spondylitis or "
        "spondyloarthritis?",
        Cluster.INFLAMMATORY,
        LUMBAR,
    ),
    _yes_no(
        "arthritis_history",
        "Have you ever had swollen, painful joints (arthritis)?",
        Cluster.INFLAMMATORY,
        LUMBAR,
    ),
    _yes_no(
        "enthesitis_history",
        "Have you ever had painful swelling where a tendon joins a bone, such as at the back "
        "of your heel?",
        Cluster.INFLAMMATORY,
        LUMBAR,
    ),
    _yes_no(
        "psoriasis_history",
        "Have you ever had psoriasis (a scaly skin rash)?",
        Cluster.INFLAMMATORY,
        LUMBAR,
    ),
    # Anything else ----------------------------------------------------------------------
    Question(
        "other_concerns",
        "Is there anything else about your health you want us to know?",
        AnswerType.TEXT,
        maximum=2000,
    ),
)

QUESTIONS_BY_ID: dict[str, Question] = {question.id: question for question in QUESTIONS}
