"""Making handouts from finalised plans: the data, the safety check at printing, the
audit entry. Services flush; the request commits once."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from clinic.audit.models import AuditAction
from clinic.audit.services import record
from clinic.auth.identity import Actor
from clinic.catalogue.dosage import dosage_words
from clinic.errors import ConflictError
from clinic.handouts.content import (
    ClinicDetails,
    Handout,
    HandoutItem,
    HandoutOptions,
    stop_and_get_help,
)
from clinic.plans.printing import printable_version


class PrintRefusedError(ConflictError):
    """The check at printing found a problem that was not decided when finalising."""


def clinic_details(config: Mapping[str, Any]) -> ClinicDetails:
    return ClinicDetails(
        name=config["CLINIC_NAME"],
        phone=config["CLINIC_PHONE"],
        address=config["CLINIC_ADDRESS"],
        email=config["CLINIC_EMAIL"],
        emergency_number=config["EMERGENCY_NUMBER"],
        logo=config["CLINIC_LOGO"],
    )


def handouts_for(
    session: Session,
    actor: Actor,
    plan_ids: Sequence[str],
    clinic: ClinicDetails,
    today: date,
    options: HandoutOptions,
) -> list[Handout]:
    """A handout per plan (its latest finalised version), in large print where the print
    asks for it or, when it does not say, where the patient prefers it. The contraindication
    check runs again first: a problem that was not decided at finalising stops the print."""
    handouts = []
    for plan_id in plan_ids:
        plan = printable_version(session, plan_id)
        if plan.unresolved:
            raise PrintRefusedError(
                f"The handout for {plan.patient_name} was not printed: "
                + "; ".join(plan.unresolved)
                + ". A therapist must revise and finalise the plan again."
            )
        handouts.append(
            Handout(
                clinic=clinic,
                patient_name=plan.patient_name,
                plan_title=plan.title,
                plan_version=plan.version,
                issued_on=today,
                therapist=plan.finalised_by,
                review_date=plan.review_date,
                general_advice=plan.general_advice,
                items=tuple(
                    HandoutItem(
                        number=number,
                        title=item.title,
                        kind=item.kind.value,
                        summary=item.summary,
                        steps=item.steps,
                        dosage=dosage_words(item.dosage),
                        safety_cues=item.safety_cues,
                        note=item.notes,
                        illustration_svg=item.illustration_svg,
                        illustration_alt=item.illustration_alt,
                    )
                    for number, item in enumerate(plan.items, start=1)
                ),
                stop_and_get_help=stop_and_get_help(
                    plan.answers, plan.regions, clinic.emergency_number
                ),
                large_print=(
                    plan.large_print_handouts
                    if options.large_print is None
                    else options.large_print
                ),
            )
        )
        record(
            session,
            actor,
            AuditAction.PRINT,
            entity_type="plan",
            entity_id=plan.plan_public_id,
            patient_id=plan.patient_id,
            detail=f"handout of version {plan.version}",
        )
    return handouts
