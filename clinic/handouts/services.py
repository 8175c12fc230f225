"""Handouts from finalised plans: the archive, the check at printing, issuing and the
audit entries. Services flush; the request commits once (the view commits before the
layout, so no transaction waits on WeasyPrint: ``clinic.handouts.printing``).

A print first looks the handout up (``look_up``): one statement reads the plan's latest
finalised version with what its handout is made of, one more asks whether a red flag
awaits a decision, and one fetches the archived PDF whose key matches. The findings of
the contraindication check depend on the plan version (frozen once finalised), the
intake's answers (frozen once sent, and part of the key) and the open red flags (asked
every time), so a handout archived after a full check needs no other check while its key
holds. Anything else (no archived PDF, a changed key, an open red flag) goes the long way
(``prepare``): the full check, which names what stops the print, and a new render.
"""

from __future__ import annotations

import hashlib
import inspect
import io
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from types import ModuleType
from typing import Any
from zoneinfo import ZoneInfo

import pikepdf
from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from clinic.audit.models import AuditAction
from clinic.audit.services import record
from clinic.auth.identity import Actor
from clinic.auth.models import User
from clinic.catalogue import cues, dosage, safety
from clinic.catalogue.vocabulary import Setting
from clinic.errors import ConflictError, NotFoundError
from clinic.handouts import content
from clinic.handouts.content import (
    ClinicDetails,
    Handout,
    HandoutOptions,
    archive_key,
    handout_item,
    numbered,
    stop_and_get_help,
)
from clinic.handouts.models import HandoutIssue, HandoutPdf
from clinic.patients.models import Patient
from clinic.plans import contraindications
from clinic.plans.models import Plan, PlanVersion
from clinic.plans.printing import (
    PrintableVersion,
    PrintFacts,
    print_facts,
    printable_version,
    stopping_flag_open,
)
from clinic.screening import rules


def _code_version(*modules: ModuleType) -> str:
    source = "".join(inspect.getsource(module) for module in modules)
    return hashlib.sha256(source.encode()).hexdigest()[:16]


# The code that words a handout and decides whether it may be given: a release that
# changes any of it renders every handout again (after a full check) on its next print.
CODE_VERSION = _code_version(content, dosage, cues, safety, contraindications, rules)


class PrintRefusedError(ConflictError):
    """The check at printing found a problem that was not decided when finalising."""


@dataclass(frozen=True)
class HandoutSetup:
    """What every handout of this app shares: the clinic, its time zone (the handout's
    date is the day the plan version was finalised there) and the template's version."""

    clinic: ClinicDetails
    zone: ZoneInfo
    template_version: str


def clinic_details(config: Mapping[str, Any]) -> ClinicDetails:
    return ClinicDetails(
        name=config["CLINIC_NAME"],
        phone=config["CLINIC_PHONE"],
        address=config["CLINIC_ADDRESS"],
        email=config["CLINIC_EMAIL"],
        emergency_number=config["EMERGENCY_NUMBER"],
        logo=config["CLINIC_LOGO"],
    )


@dataclass(frozen=True)
class ArchivedPdf:
    id: int
    sha256: str
    pages: int
    pdf: bytes


@dataclass(frozen=True)
class PrintJob:
    """One plan's handout, looked up: the options as they apply to this patient (print
    size resolved), its archive key, and the archived PDF if there is one to give."""

    facts: PrintFacts
    options: HandoutOptions
    key: str
    archived: ArchivedPdf | None

    @property
    def plan_public_id(self) -> str:
        return self.facts.plan_public_id


def _issued_on(finalised_at: datetime, zone: ZoneInfo) -> date:
    return finalised_at.astimezone(zone).date()


def look_up(
    session: Session, plan_public_id: str, options: HandoutOptions, setup: HandoutSetup
) -> PrintJob:
    """The plan's handout in the archive, if it may be given as it is (three queries)."""
    facts = print_facts(session, plan_public_id)
    large_print = facts.large_print_handouts if options.large_print is None else options.large_print
    resolved = replace(options, large_print=large_print)
    key = archive_key(
        version_id=facts.version_id,
        patient_name=facts.patient_name,
        finalised_by=facts.finalised_by,
        issued_on=_issued_on(facts.finalised_at, setup.zone),
        answers=facts.answers,
        clinic=setup.clinic,
        options=resolved,
        template_version=setup.template_version,
        code_version=CODE_VERSION,
    )
    archived = None
    if not stopping_flag_open(session, facts.patient_id):
        archived = _archived(session, facts.version_id, key)
    return PrintJob(facts, resolved, key, archived)


_ARCHIVED = select(HandoutPdf.id, HandoutPdf.sha256, HandoutPdf.pages, HandoutPdf.pdf).where(
    HandoutPdf.plan_version_id == bindparam("version_id"),
    HandoutPdf.archive_key == bindparam("key"),
)


def _archived(session: Session, version_id: int, key: str) -> ArchivedPdf | None:
    row = session.execute(_ARCHIVED, {"version_id": version_id, "key": key}).first()
    return None if row is None else ArchivedPdf(*row)


def _refusal(plan: PrintableVersion) -> PrintRefusedError:
    return PrintRefusedError(
        f"The handout for {plan.patient_name} was not printed: "
        + "; ".join(plan.unresolved)
        + ". A therapist must revise and finalise the plan again."
    )


def prepare(session: Session, job: PrintJob, setup: HandoutSetup) -> Handout:
    """The handout to render, after the full contraindication check: a problem that was
    not decided at finalising stops the print (``PrintRefusedError`` names it)."""
    plan = printable_version(session, job.plan_public_id)
    if plan.unresolved:
        raise _refusal(plan)
    return handout_of(plan, setup, job.options)


def handout_of(plan: PrintableVersion, setup: HandoutSetup, options: HandoutOptions) -> Handout:
    items = numbered(
        handout_item(
            title=item.title,
            kind=item.kind.value,
            summary=item.summary,
            steps=item.steps,
            safety_cues=item.safety_cues,
            illustration_svg=item.illustration_svg,
            illustration_alt=item.illustration_alt,
            dosage=item.dosage,
            area=item.area,
            at_clinic=item.setting is Setting.CLINIC,
            note=item.notes,
        )
        for item in plan.items
    )
    return Handout(
        clinic=setup.clinic,
        patient_name=plan.patient_name,
        plan_title=plan.title,
        plan_version=plan.version,
        issued_on=_issued_on(plan.finalised_at, setup.zone),
        therapist=plan.finalised_by,
        review_date=plan.review_date,
        general_advice=plan.general_advice,
        items=items,
        stop_and_get_help=stop_and_get_help(
            plan.answers, plan.regions, setup.clinic.emergency_number
        ),
        large_print=bool(options.large_print),
    )


def page_count(pdf: bytes) -> int:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return len(document.pages)


def store(session: Session, job: PrintJob, pdf: bytes, setup: HandoutSetup) -> ArchivedPdf:
    """Archive a rendered handout. Two workers rendering the same handout at once store
    it once: the second finds the first's (the key is unique per plan version)."""
    row = HandoutPdf(
        plan_version_id=job.facts.version_id,
        archive_key=job.key,
        paper=job.options.paper,
        large_print=bool(job.options.large_print),
        language=job.options.language,
        template_version=setup.template_version,
        sha256=hashlib.sha256(pdf).hexdigest(),
        pages=page_count(pdf),
        size=len(pdf),
        pdf=pdf,
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        existing = _archived(session, job.facts.version_id, job.key)
        if existing is None:
            raise
        return existing
    return ArchivedPdf(row.id, row.sha256, row.pages, pdf)


def issue(
    session: Session,
    actor: Actor,
    pdf_id: int,
    *,
    plan_public_id: str,
    patient_id: int,
    version: int,
    batch_id: int | None = None,
) -> int:
    """Record that the patient is given this archived handout, and audit the print."""
    issued = HandoutIssue(
        handout_pdf_id=pdf_id, patient_id=patient_id, issued_by_id=actor.user_id, batch_id=batch_id
    )
    session.add(issued)
    session.flush()
    record(
        session,
        actor,
        AuditAction.PRINT,
        entity_type="plan",
        entity_id=plan_public_id,
        patient_id=patient_id,
        detail=f"handout of version {version}, issued handout {issued.id}"
        + (" (in a batch)" if batch_id else ""),
    )
    return issued.id


def issue_job(session: Session, actor: Actor, job: PrintJob, archived: ArchivedPdf) -> int:
    return issue(
        session,
        actor,
        archived.id,
        plan_public_id=job.plan_public_id,
        patient_id=job.facts.patient_id,
        version=job.facts.version,
    )


@dataclass(frozen=True)
class IssuedHandout:
    id: int
    issued_at: datetime
    issued_by: str
    plan_public_id: str
    plan_title: str
    version: int
    paper: str
    large_print: bool
    pages: int
    sha256: str


def issued_handouts(
    session: Session, patient_public_id: str, limit: int = 50
) -> list[IssuedHandout]:
    """The handouts given to the patient, newest first (part of the patient's page)."""
    rows = session.execute(
        select(
            HandoutIssue.id,
            HandoutIssue.issued_at,
            User.display_name,
            Plan.public_id,
            PlanVersion.title,
            PlanVersion.version,
            HandoutPdf.paper,
            HandoutPdf.large_print,
            HandoutPdf.pages,
            HandoutPdf.sha256,
        )
        .join(HandoutPdf, HandoutPdf.id == HandoutIssue.handout_pdf_id)
        .join(PlanVersion, PlanVersion.id == HandoutPdf.plan_version_id)
        .join(Plan, Plan.id == PlanVersion.plan_id)
        .join(Patient, Patient.id == HandoutIssue.patient_id)
        .outerjoin(User, User.id == HandoutIssue.issued_by_id)
        .where(Patient.public_id == patient_public_id)
        .order_by(HandoutIssue.issued_at.desc(), HandoutIssue.id.desc())
        .limit(limit)
    ).all()
    return [
        IssuedHandout(
            id=row[0],
            issued_at=row[1],
            issued_by=row[2] or "",
            plan_public_id=row[3],
            plan_title=row[4],
            version=row[5],
            paper=row[6],
            large_print=row[7],
            pages=row[8],
            sha256=row[9],
        )
        for row in rows
    ]


def issued_pdf(session: Session, actor: Actor, issue_id: int) -> tuple[bytes, str]:
    """The exact bytes the patient was given, and their SHA-256; the read is audited."""
    row = session.execute(
        select(HandoutIssue.patient_id, HandoutPdf.pdf, HandoutPdf.sha256)
        .join(HandoutPdf, HandoutPdf.id == HandoutIssue.handout_pdf_id)
        .where(HandoutIssue.id == issue_id)
    ).first()
    if row is None:
        raise NotFoundError("There is no issued handout at this address.")
    patient_id, pdf, sha256 = row
    record(
        session,
        actor,
        AuditAction.VIEW,
        entity_type="handout_issue",
        entity_id=issue_id,
        patient_id=patient_id,
        detail="copy of an issued handout",
    )
    return pdf, sha256
