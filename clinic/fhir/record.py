"""A patient's record read from the database as FHIR resources: one patient, a search, and
everything (the ``$everything`` bundle the data export and ``clinic fhir export`` write).
Services: they take the session, audit what they read, flush, and never commit."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, false, select
from sqlalchemy.orm import Session, undefer

from clinic.audit.models import AuditAction
from clinic.audit.services import record_listing
from clinic.auth.identity import Actor
from clinic.auth.models import User
from clinic.catalogue.models import CatalogueItemVersion
from clinic.catalogue.services import versions_query
from clinic.errors import NotFoundError
from clinic.fhir import care, resources
from clinic.fhir.api import PatientSearch
from clinic.fhir.care import HandoutData, PlanItemData, PlanVersionData, SafetyDecisionData
from clinic.fhir.questionnaire import questionnaire
from clinic.fhir.resources import IntakeData, PatientData
from clinic.fhir.risk import DecisionData, ScreeningData, risk_assessment
from clinic.fhir.vocabulary import RESOURCE_TYPES, Naming
from clinic.handouts.models import HandoutIssue, HandoutPdf
from clinic.intake.history import intake_scores
from clinic.intake.models import FlagDecision, Intake, IntakeStatus, ScreeningRecord
from clinic.intake.services import QUESTIONNAIRE
from clinic.patients.models import Patient
from clinic.patients.services import audit_patient
from clinic.plans.models import Plan, PlanItem, PlanSafetyDecision, PlanStatus, PlanVersion

ALL_TYPES = frozenset(RESOURCE_TYPES)


def patient_data(patient: Patient) -> PatientData:
    return PatientData(
        public_id=patient.public_id,
        chart_number=patient.chart_number,
        given_name=patient.given_name,
        family_name=patient.family_name,
        date_of_birth=patient.date_of_birth,
        sex_or_gender=patient.sex_or_gender,
        phone=patient.phone,
        email=patient.email,
        address=patient.address,
        preferred_language=patient.preferred_language,
        emergency_contact_name=patient.emergency_contact_name,
        emergency_contact_relationship=patient.emergency_contact_relationship,
        emergency_contact_phone=patient.emergency_contact_phone,
        updated_at=patient.updated_at,
    )


def _patient(session: Session, public_id: str) -> Patient:
    patient = session.scalar(select(Patient).where(Patient.public_id == public_id))
    if patient is None:
        raise NotFoundError(f"There is no Patient with id {public_id!r}.")
    return patient


def read_patient(session: Session, actor: Actor, naming: Naming, public_id: str) -> dict[str, Any]:
    patient = _patient(session, public_id)
    audit_patient(session, actor, AuditAction.VIEW, patient, "FHIR Patient read")
    return resources.patient(naming, patient_data(patient))


# Search ----------------------------------------------------------------------------------


_COMPARISONS = {
    "eq": lambda column, moment: column == moment,
    "ge": lambda column, moment: column >= moment,
    "gt": lambda column, moment: column > moment,
    "le": lambda column, moment: column <= moment,
    "lt": lambda column, moment: column < moment,
    "ne": lambda column, moment: column != moment,
}


def _search_statement(search: PatientSearch) -> Select[Patient]:
    statement = select(Patient)
    if search.other_system:
        statement = statement.where(false())
    if search.chart_number is not None:
        statement = statement.where(Patient.chart_number == search.chart_number)
    conditions = [
        _COMPARISONS[condition.comparison](Patient.updated_at, condition.moment)
        for condition in search.last_updated
    ]
    if conditions:
        statement = statement.where(and_(*conditions))
    # One more than the page: whether a next page exists, without counting every match
    # (a range of last updates may hold most of 200,000 patients).
    return (
        statement.order_by(Patient.updated_at, Patient.id)
        .limit(search.count + 1)
        .offset(search.offset)
    )


@dataclass(frozen=True)
class SearchPage:
    patients: list[dict[str, Any]]
    more: bool
    # How many match in all, when this page shows it (the last page); None otherwise.
    total: int | None


def search_patients(
    session: Session, actor: Actor, naming: Naming, search: PatientSearch
) -> SearchPage:
    """One page of the patients matching, oldest change first. Audited as a listing."""
    found = list(session.scalars(_search_statement(search)))
    more = len(found) > search.count
    patients = found[: search.count]
    record_listing(
        session, actor, "patient", (patient.id for patient in patients), "a FHIR Patient search"
    )
    return SearchPage(
        [resources.patient(naming, patient_data(patient)) for patient in patients],
        more,
        None if more or (search.offset and not patients) else search.offset + len(patients),
    )


# Everything ------------------------------------------------------------------------------


def _names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {user_id for user_id in ids if user_id is not None}
    if not wanted:
        return {}
    rows = session.execute(select(User.id, User.display_name).where(User.id.in_(wanted)))
    # Not dict(rows): a Result has keys() (its column names), so dict() reads it as a mapping.
    return {user_id: name for user_id, name in rows}  # noqa: C416


def _intakes(session: Session, patient: Patient) -> tuple[list[Intake], list[ScreeningRecord]]:
    """The patient's submitted intakes and those with a screening result (an interim one
    raised while it was answered), with every screening result, oldest first."""
    screenings = list(
        session.scalars(
            select(ScreeningRecord)
            .join(Intake, Intake.id == ScreeningRecord.intake_id)
            .where(Intake.patient_id == patient.id)
            .order_by(ScreeningRecord.screened_at, ScreeningRecord.id)
        )
    )
    screened = {screening.intake_id for screening in screenings}
    intakes = [
        intake
        for intake in session.scalars(
            select(Intake)
            .where(Intake.patient_id == patient.id)
            .order_by(Intake.started_at, Intake.id)
        )
        if intake.status is IntakeStatus.SUBMITTED or intake.id in screened
    ]
    return intakes, screenings


def _intake_data(intake: Intake, names: dict[int, str]) -> IntakeData:
    return IntakeData(
        public_id=intake.public_id,
        questionnaire_version=intake.questionnaire_version,
        answers=intake.answers,
        submitted_at=intake.submitted_at or intake.updated_at,
        submitted_by=names.get(intake.submitted_by_id) if intake.submitted_by_id else None,
        scores=intake_scores(intake.answers, intake.measures)
        if intake.status is IntakeStatus.SUBMITTED
        else {},
        updated_at=intake.updated_at,
    )


def _screening_data(
    session: Session, screenings: Sequence[ScreeningRecord], intakes: dict[int, Intake]
) -> list[ScreeningData]:
    decisions = {
        decision.screening_id: decision
        for decision in session.scalars(
            select(FlagDecision).where(
                FlagDecision.screening_id.in_([screening.id for screening in screenings])
            )
        )
    }
    names = _names(session, (decision.decided_by_id for decision in decisions.values()))
    found = []
    for screening in screenings:
        decision = decisions.get(screening.id)
        found.append(
            ScreeningData(
                public_id=screening.public_id,
                intake_public_id=intakes[screening.intake_id].public_id,
                tier=screening.tier,
                result=screening.result,
                answers=screening.answers,
                screened_at=screening.screened_at,
                interim=screening.interim,
                decision=None
                if decision is None
                else DecisionData(
                    kind=decision.kind.value,
                    referred_to=decision.referred_to,
                    referred_when=decision.referred_when,
                    reason=decision.reason,
                    decided_by=names.get(decision.decided_by_id)
                    if decision.decided_by_id
                    else None,
                    decided_at=decision.decided_at,
                ),
            )
        )
    return found


def _plans(session: Session, patient: Patient) -> list[PlanVersionData]:
    rows = session.execute(
        select(Plan, PlanVersion, Intake.public_id)
        .join(PlanVersion, PlanVersion.plan_id == Plan.id)
        .join(Intake, Intake.id == Plan.intake_id)
        .where(Plan.patient_id == patient.id)
        .order_by(Plan.id, PlanVersion.version)
    ).all()
    version_ids = [version.id for _, version, _ in rows]
    catalogue = versions_query(current_only=False)
    items: dict[int, list[PlanItemData]] = {}
    titles: dict[int, tuple[str, str]] = {}
    for entry, catalogue_version, text, item in session.execute(
        catalogue.add_columns(PlanItem)
        .join(PlanItem, PlanItem.catalogue_version_id == CatalogueItemVersion.id)
        .where(PlanItem.plan_version_id.in_(version_ids))
        .order_by(PlanItem.plan_version_id, PlanItem.position)
    ):
        titles[catalogue_version.id] = (entry.slug, text.title)
        items.setdefault(item.plan_version_id, []).append(
            PlanItemData(
                position=item.position,
                slug=entry.slug,
                title=text.title,
                kind=catalogue_version.kind.value,
                area=item.area,
                dosage=item.dosage,
                notes=item.notes,
                setting=item.setting,
            )
        )
    safety: dict[int, list[PlanSafetyDecision]] = {}
    for decision in session.scalars(
        select(PlanSafetyDecision)
        .where(PlanSafetyDecision.plan_version_id.in_(version_ids))
        .order_by(PlanSafetyDecision.id)
    ):
        safety.setdefault(decision.plan_version_id, []).append(decision)
    names = _names(
        session,
        [
            *(v.created_by_id for _, v, _ in rows),
            *(v.finalised_by_id for _, v, _ in rows),
            *(d.decided_by_id for decisions in safety.values() for d in decisions),
        ],
    )
    newest_final = {
        plan.id: version.version for plan, version, _ in rows if version.status is PlanStatus.FINAL
    }
    plans = []
    for plan, version, intake_public_id in rows:
        plans.append(
            PlanVersionData(
                plan_public_id=plan.public_id,
                version=version.version,
                status=version.status.value,
                superseded=version.status is PlanStatus.FINAL
                and version.version < newest_final.get(plan.id, 0),
                title=version.title,
                general_advice=version.general_advice,
                review_date=version.review_date,
                intake_public_id=intake_public_id,
                created_at=version.created_at,
                created_by=names.get(version.created_by_id, "Therapist"),
                updated_at=version.updated_at,
                finalised_at=version.finalised_at,
                finalised_by=names.get(version.finalised_by_id)
                if version.finalised_by_id
                else None,
                items=tuple(items.get(version.id, ())),
                safety=tuple(
                    SafetyDecisionData(
                        id=decision.id,
                        code=decision.code,
                        kind=decision.kind.value,
                        reason=decision.reason,
                        item_slug=titles.get(decision.catalogue_version_id, ("", ""))[0],
                        item_title=titles.get(decision.catalogue_version_id, ("", "an item"))[1],
                        decided_by=names.get(decision.decided_by_id, "Therapist"),
                        decided_at=decision.decided_at,
                    )
                    for decision in safety.get(version.id, ())
                ),
            )
        )
    return plans


def _handouts(session: Session, patient: Patient) -> list[HandoutData]:
    rows = session.execute(
        select(HandoutIssue, HandoutPdf, Plan.public_id, PlanVersion.version, PlanVersion.title)
        .join(HandoutPdf, HandoutPdf.id == HandoutIssue.handout_pdf_id)
        .join(PlanVersion, PlanVersion.id == HandoutPdf.plan_version_id)
        .join(Plan, Plan.id == PlanVersion.plan_id)
        .where(HandoutIssue.patient_id == patient.id)
        .order_by(HandoutIssue.issued_at, HandoutIssue.id)
        .options(undefer(HandoutPdf.pdf))
    )
    issued = list(rows)
    names = _names(session, (issue.issued_by_id for issue, *_ in issued))
    return [
        HandoutData(
            issue_id=issue.id,
            issued_at=issue.issued_at,
            issued_by=names.get(issue.issued_by_id) if issue.issued_by_id else None,
            plan_public_id=plan_public_id,
            plan_version=version,
            pdf=pdf.pdf,
            sha256=pdf.sha256,
            pages=pdf.pages,
            paper=pdf.paper,
            large_print=pdf.large_print,
            language=pdf.language,
            title=title,
        )
        for issue, pdf, plan_public_id, version, title in issued
    ]


def patient_resources(
    session: Session, naming: Naming, patient: Patient, scopes: frozenset[str] = ALL_TYPES
) -> list[dict[str, Any]]:
    """Every resource of the patient's record the scopes allow, the Patient first. Not
    audited: the caller records what it did with them."""
    patient_id = patient.public_id
    intakes, screenings = _intakes(session, patient)
    by_id = {intake.id: intake for intake in intakes}
    names = _names(session, (intake.submitted_by_id for intake in intakes))
    intake_data = [_intake_data(intake, names) for intake in intakes]
    versions = sorted({intake.questionnaire_version for intake in intakes})
    plans = _plans(session, patient)
    found: list[dict[str, Any]] = [resources.patient(naming, patient_data(patient))]
    found += [questionnaire(naming, version, version == QUESTIONNAIRE) for version in versions]
    for intake in intake_data:
        found.append(resources.intake_response(naming, intake, patient_id))
        found += resources.observations(naming, intake, patient_id)
    found += [
        risk_assessment(naming, screening, patient_id)
        for screening in _screening_data(session, screenings, by_id)
    ]
    for plan in plans:
        issues = [
            care.detected_issue(naming, plan, decision, patient_id) for decision in plan.safety
        ]
        found.append(care.care_plan(naming, plan, patient_id, [issue["id"] for issue in issues]))
        found += issues
    found += [
        care.document_reference(naming, handout, patient_id)
        for handout in _handouts(session, patient)
    ]
    return [resource for resource in found if resource["resourceType"] in scopes]


def everything(
    session: Session,
    actor: Actor,
    naming: Naming,
    public_id: str,
    now: datetime,
    scopes: frozenset[str] = ALL_TYPES,
) -> dict[str, Any]:
    """The patient's record as a collection Bundle (the shape of ``Patient/$everything``):
    audited as one read of the whole record."""
    patient = _patient(session, public_id)
    return _everything(session, actor, naming, patient, now, scopes, AuditAction.VIEW)


def export_bundle(
    session: Session, naming: Naming, patient: Patient, now: datetime
) -> dict[str, Any]:
    """The bundle the patient's data export holds (audited by the export itself)."""
    return resources.bundle(naming, "collection", patient_resources(session, naming, patient), now)


def _everything(
    session: Session,
    actor: Actor,
    naming: Naming,
    patient: Patient,
    now: datetime,
    scopes: frozenset[str],
    action: AuditAction,
) -> dict[str, Any]:
    found = patient_resources(session, naming, patient, scopes)
    detail = f"FHIR record of {len(found)} resources ({', '.join(sorted(scopes))})"
    audit_patient(session, actor, action, patient, detail)
    return resources.bundle(naming, "collection", found, now)


def export_by_chart_number(
    session: Session, actor: Actor, naming: Naming, chart_number: str, now: datetime
) -> dict[str, Any]:
    """``clinic fhir export``: the whole record of the patient with this chart number."""
    patient = session.scalar(select(Patient).where(Patient.chart_number == chart_number.strip()))
    if patient is None:
        raise NotFoundError("No patient has that chart number.")
    return _everything(session, actor, naming, patient, now, ALL_TYPES, AuditAction.EXPORT)
