"""Writing and reading the audit log. Services flush; the request commits."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from clinic.audit.chain import install, mark_unsealed
from clinic.audit.models import AuditAction, AuditEvent
from clinic.auth.identity import SYSTEM_ACTOR_NAMES, Actor
from clinic.auth.models import User
from clinic.auth.roles import Role
from clinic.pagination import Page, paginate
from clinic.patients.models import Patient

# Wherever an entry can be recorded, it is sealed into the hash chain when its session
# commits (a listener on every SQLAlchemy Session; it does nothing without new entries).
install()


def record(
    session: Session,
    actor: Actor,
    action: AuditAction,
    *,
    entity_type: str | None = None,
    entity_id: str | int | None = None,
    patient_id: int | None = None,
    patient_ids: Iterable[int] = (),
    detail: str | None = None,
) -> None:
    listed = sorted(set(patient_ids))
    entry = AuditEvent(
        user_id=actor.user_id,
        username=actor.username[:64],
        role=actor.role.value if actor.role else None,
        action=action,
        entity_type=entity_type,
        entity_id=None if entity_id is None else str(entity_id),
        patient_id=patient_id,
        patient_ids=f",{','.join(map(str, listed))}," if listed else None,
        request_id=actor.request_id,
        detail=detail[:200] if detail else None,
    )
    session.add(entry)
    session.flush()
    mark_unsealed(session, entry)


def record_listing(
    session: Session,
    actor: Actor,
    entity_type: str,
    patient_ids: Iterable[int],
    where: str,
) -> None:
    """A list view (queue, search results, alerts): one entry naming every patient it
    showed, instead of one entry per row. Nothing is written for an empty list."""
    listed = set(patient_ids)
    if listed:
        record(
            session,
            actor,
            AuditAction.VIEW,
            entity_type=entity_type,
            patient_ids=listed,
            detail=f"{len(listed)} patient{'s' if len(listed) != 1 else ''} listed in {where}",
        )


@dataclass(frozen=True)
class AuditFilter:
    username: str | None = None
    patient_id: int | None = None
    action: AuditAction | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class AuditRow:
    occurred_at: datetime
    username: str
    role: str | None
    action: AuditAction
    entity_type: str | None
    entity_id: str | None
    patient_chart_number: str | None
    request_id: str | None
    detail: str | None


def _filtered(criteria: AuditFilter) -> Select[AuditEvent]:
    query = select(AuditEvent)
    if criteria.username:
        query = query.where(AuditEvent.username == criteria.username)
    if criteria.patient_id is not None:
        query = query.where(
            or_(
                AuditEvent.patient_id == criteria.patient_id,
                AuditEvent.patient_ids.contains(f",{criteria.patient_id},", autoescape=True),
            )
        )
    if criteria.action is not None:
        query = query.where(AuditEvent.action == criteria.action)
    if criteria.date_from is not None:
        query = query.where(
            AuditEvent.occurred_at >= datetime.combine(criteria.date_from, time.min, UTC)
        )
    if criteria.date_to is not None:
        end = datetime.combine(criteria.date_to + timedelta(days=1), time.min, UTC)
        query = query.where(AuditEvent.occurred_at < end)
    return query


def search_events(
    session: Session, criteria: AuditFilter, page: int, page_size: int
) -> Page[AuditRow]:
    query = _filtered(criteria).order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    result = paginate(session, query, page, page_size)
    patient_ids = {event.patient_id for event in result.items if event.patient_id is not None}
    if criteria.patient_id is not None:
        patient_ids.add(criteria.patient_id)
    charts: dict[int, str] = {}
    if patient_ids:
        rows = session.execute(
            select(Patient.id, Patient.chart_number).where(Patient.id.in_(patient_ids))
        )
        charts = dict(rows.all())
    return result.map(
        lambda event: AuditRow(
            occurred_at=event.occurred_at,
            username=event.username,
            role=Role(event.role).label if event.role else None,
            action=event.action,
            entity_type=event.entity_type,
            entity_id=event.entity_id,
            patient_chart_number=(
                charts.get(event.patient_id)
                if event.patient_id
                else charts.get(criteria.patient_id or 0)  # a list that showed them
            ),
            request_id=event.request_id,
            detail=event.detail,
        )
    )


def known_usernames(session: Session) -> list[str]:
    """The staff filter's choices: every account, then the system actors that appear."""
    accounts = list(session.scalars(select(User.username).order_by(func.lower(User.username))))
    present = set(
        session.scalars(
            select(AuditEvent.username)
            .where(AuditEvent.user_id.is_(None), AuditEvent.username.in_(SYSTEM_ACTOR_NAMES))
            .distinct()
        )
    )
    return accounts + [name for name in SYSTEM_ACTOR_NAMES if name in present]


def record_audit_read(
    session: Session, actor: Actor, criteria: AuditFilter, page: int, shown: int
) -> None:
    """Reading the audit log is itself audited: which filters, which page. A patient
    filter is recorded as the patient the read was about (not in the detail)."""
    filters = [
        name
        for name, value in (
            ("staff member", criteria.username),
            ("patient", criteria.patient_id),
            ("action", criteria.action),
            ("from date", criteria.date_from),
            ("to date", criteria.date_to),
        )
        if value is not None and value != ""
    ]
    record(
        session,
        actor,
        AuditAction.VIEW,
        entity_type="audit_log",
        patient_id=criteria.patient_id,
        detail=(
            f"page {page}, {shown} entries; filtered by {', '.join(filters)}"
            if filters
            else f"page {page}, {shown} entries; no filter"
        ),
    )
