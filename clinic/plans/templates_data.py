"""The plan templates a clinic starts with. Plain data.

Chosen by the patient's pain region and STarT Back risk group, following NICE NG59
(clinical.md §5): low risk leads to advice, reassurance and self-management; medium and
high risk to exercise, with manual therapy only as part of that package.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DefaultTemplate:
    name: str
    description: str
    regions: tuple[str, ...]
    risks: tuple[str, ...]
    general_advice: str
    # "slug" or "slug@area" (the body area the item is applied to), in plan order.
    items: tuple[str, ...]


DEFAULT_TEMPLATES: tuple[DefaultTemplate, ...] = (
    DefaultTemplate(
        name="Acute low back spasm, first week",
        description="Settle the spasm and keep moving: ice then heat, gentle movement, "
        "short walks, and advice on resting positions (STarT Back low or medium risk).",
        regions=("lumbar",),
        risks=("low", "medium"),
        # Advice that recommends a modality is a catalogue item carrying that modality's
        # safety codes, never free text here: the check cannot read free text.
        general_advice="Most back spasms settle within days to a few weeks. Keep moving "
        "gently and avoid long spells in bed.",
        items=(
            "ice-pack@lower_back",
            "heat-pack@lower_back",
            "knee-to-chest@lower_back",
            "pelvic-tilt@lower_back",
            "walking-programme",
            "sleeping-positions",
            "staying-active",
            "hydration-electrolytes",
            "ice-then-heat",
        ),
    ),
    DefaultTemplate(
        name="Low back pain, self-management (low risk)",
        description="Reassurance, staying active and self-management for STarT Back "
        "low-risk patients (NICE NG59).",
        regions=("lumbar",),
        risks=("low",),
        general_advice="Your back is strong and this pain is very likely to settle. "
        "Keep doing your usual activities, building up bit by bit.",
        items=(
            "staying-active",
            "walking-programme",
            "pacing-flare-ups",
            "lifting-technique",
            "posture-desk-setup",
            "heat-pack@lower_back",
        ),
    ),
    DefaultTemplate(
        name="Low back pain, exercise and manual therapy package",
        description="Exercise programme with manual therapy as part of the package, for "
        "STarT Back medium and high risk (NICE NG59).",
        regions=("lumbar",),
        risks=("medium", "high"),
        general_advice="Exercise is the main treatment: do your programme most days. "
        "Hands-on treatment in clinic helps you move, alongside the exercises.",
        items=(
            "abdominal-bracing@lower_back",
            "bridge@lower_back",
            "bird-dog@lower_back",
            "cat-cow@lower_back",
            "soft-tissue-massage@lower_back",
            "spinal-mobilisation@lower_back",
            "walking-programme",
            "stress-and-breathing",
        ),
    ),
    DefaultTemplate(
        name="Neck pain, mobility",
        description="Restore neck and upper back movement, with posture and desk advice.",
        regions=("cervical",),
        risks=(),
        general_advice="Move your neck little and often. Take a short break from the "
        "screen every 30 to 60 minutes.",
        items=(
            "chin-tuck@neck",
            "upper-trapezius-stretch@neck",
            "levator-scapulae-stretch@neck",
            "scapular-squeeze@upper_back",
            "thoracic-extension-chair@upper_back",
            "self-massage-neck@neck",
            "posture-desk-setup",
        ),
    ),
    DefaultTemplate(
        name="Upper back stiffness",
        description="Mobility and strength for a stiff, rounded upper back.",
        regions=("thoracic",),
        risks=(),
        general_advice="Break up long spells of sitting, and keep your upper back moving.",
        items=(
            "thoracic-extension-chair@upper_back",
            "open-book@upper_back",
            "scapular-squeeze@upper_back",
            "resistance-band-row@upper_back",
            "posture-desk-setup",
        ),
    ),
)
