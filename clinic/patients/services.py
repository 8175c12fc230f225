"""Patient use cases. Every read or change of a record is written to the audit log."""

from __future__ import annotations

import re
import secrets
import uuid
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Select,
    and_,
    delete,
    exists,
    func,
    insert,
    intersect,
    select,
)
from sqlalchemy.orm import QueryableAttribute, Session, aliased

from clinic.audit.models import AuditAction, AuditEvent
from clinic.audit.services import record, record_listing
from clinic.auth.identity import Actor
from clinic.db import utcnow
from clinic.errors import NotFoundError, PermissionDeniedError
from clinic.pagination import Page
from clinic.patients.matching import is_likely_duplicate, name_tokens, search_name, search_words
from clinic.patients.models import Patient, PatientNameToken, SavedSearch

CHART_NUMBER_PATTERN = re.compile(r"^\d{8}$")


@dataclass(frozen=True)
class PatientDetails:
    """What staff type in when registering or editing a patient."""

    given_name: str
    family_name: str
    date_of_birth: date
    sex_or_gender: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    preferred_language: str = "English"
    emergency_contact_name: str = ""
    emergency_contact_relationship: str = ""
    emergency_contact_phone: str = ""
    large_print_handouts: bool = False


@dataclass(frozen=True)
class PatientRecord:
    """A patient as pages show it (templates never get ORM objects)."""

    public_id: str
    chart_number: str
    details: PatientDetails
    created_at: datetime
    updated_at: datetime
    version: int

    @property
    def full_name(self) -> str:
        return f"{self.details.given_name} {self.details.family_name}"


@dataclass(frozen=True)
class PatientSummary:
    public_id: str
    chart_number: str
    given_name: str
    family_name: str
    date_of_birth: date

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


class LikelyDuplicateError(Exception):
    """Registration paused: patients with the same date of birth and a similar name exist."""

    def __init__(self, candidates: list[PatientSummary]) -> None:
        super().__init__(f"{len(candidates)} possible duplicate(s)")
        self.candidates = candidates


class EditConflictError(Exception):
    """The record changed since the form was opened; ``current`` is the saved version."""

    def __init__(self, current: PatientRecord) -> None:
        super().__init__("the record changed since it was opened")
        self.current = current


DETAIL_FIELDS = tuple(field.name for field in fields(PatientDetails))


def _details(patient: Patient) -> PatientDetails:
    return PatientDetails(**{name: getattr(patient, name) for name in DETAIL_FIELDS})


def _record_of(patient: Patient) -> PatientRecord:
    return PatientRecord(
        public_id=patient.public_id,
        chart_number=patient.chart_number,
        details=_details(patient),
        created_at=patient.created_at,
        updated_at=patient.updated_at,
        version=patient.version,
    )


def _summary(patient: Patient) -> PatientSummary:
    return PatientSummary(
        patient.public_id,
        patient.chart_number,
        patient.given_name,
        patient.family_name,
        patient.date_of_birth,
    )


def _staff_id(actor: Actor) -> int:
    """Patient records are written by signed-in staff only, never anonymously."""
    if actor.user_id is None:
        raise PermissionDeniedError("Patient records can only be changed by a staff account.")
    return actor.user_id


def _luhn_check_digit(digits: str) -> str:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 0:
            value *= 2
            value = value - 9 if value > 9 else value
        total += value
    return str((10 - total % 10) % 10)


def is_valid_chart_number(chart_number: str) -> bool:
    """Eight digits, the last a Luhn check digit, so a mistyped digit is caught."""
    return bool(CHART_NUMBER_PATTERN.match(chart_number)) and (
        _luhn_check_digit(chart_number[:-1]) == chart_number[-1]
    )


def _new_chart_number(session: Session) -> str:
    # Random rather than sequential: it reveals nothing about how many patients there are.
    for _ in range(20):
        body = str(secrets.randbelow(9_000_000) + 1_000_000)
        candidate = body + _luhn_check_digit(body)
        if session.scalar(select(Patient.id).where(Patient.chart_number == candidate)) is None:
            return candidate
    raise RuntimeError("could not find a free chart number")


def audit_patient(
    session: Session, actor: Actor, action: AuditAction, patient: Patient, detail: str | None = None
) -> None:
    """One audit entry about one patient's record."""
    record(
        session,
        actor,
        action,
        entity_type="patient",
        entity_id=patient.public_id,
        patient_id=patient.id,
        detail=detail,
    )


def find_likely_duplicates(
    session: Session, details: PatientDetails, exclude_id: int | None = None
) -> list[Patient]:
    query = select(Patient).where(Patient.date_of_birth == details.date_of_birth)
    if exclude_id is not None:
        query = query.where(Patient.id != exclude_id)
    return [
        patient
        for patient in session.scalars(query.order_by(Patient.family_name, Patient.given_name))
        if is_likely_duplicate(
            details.given_name, details.family_name, patient.given_name, patient.family_name
        )
    ]


def register_patient(
    session: Session, actor: Actor, details: PatientDetails, confirmed_not_duplicate: bool = False
) -> PatientRecord:
    """Register a patient. Raises LikelyDuplicateError unless the user has confirmed."""
    duplicates = find_likely_duplicates(session, details)
    if duplicates and not confirmed_not_duplicate:
        for patient in duplicates:
            audit_patient(session, actor, AuditAction.VIEW, patient, "shown as possible duplicate")
        raise LikelyDuplicateError([_summary(patient) for patient in duplicates])
    now = utcnow()
    patient = Patient(
        public_id=uuid.uuid4().hex,
        chart_number=_new_chart_number(session),
        search_name=search_name(details.given_name, details.family_name),
        created_at=now,
        updated_at=now,
        created_by_id=_staff_id(actor),
        updated_by_id=_staff_id(actor),
        **{name: getattr(details, name) for name in DETAIL_FIELDS},
    )
    session.add(patient)
    session.flush()
    index_name(session, patient)
    audit_patient(
        session,
        actor,
        AuditAction.CREATE,
        patient,
        "registered after duplicate warning" if duplicates else None,
    )
    return _record_of(patient)


def index_name(session: Session, patient: Patient) -> None:
    """Write the words of the patient's name that searches look up (replacing any
    earlier ones)."""
    session.execute(delete(PatientNameToken).where(PatientNameToken.patient_id == patient.id))
    tokens = sorted(name_tokens(patient.given_name, patient.family_name))
    if tokens:
        session.execute(
            insert(PatientNameToken), [{"token": t, "patient_id": patient.id} for t in tokens]
        )


def find_patient(session: Session, public_id: str) -> Patient:
    patient = session.scalar(select(Patient).where(Patient.public_id == public_id))
    if patient is None:
        raise NotFoundError("There is no patient record at this address.")
    return patient


def view_patient(session: Session, actor: Actor, public_id: str) -> PatientRecord:
    patient = find_patient(session, public_id)
    audit_patient(session, actor, AuditAction.VIEW, patient)
    return _record_of(patient)


def update_patient(
    session: Session, actor: Actor, public_id: str, details: PatientDetails, expected_version: int
) -> PatientRecord:
    patient = find_patient(session, public_id)
    if patient.version != expected_version:
        audit_patient(session, actor, AuditAction.VIEW, patient, "edit conflict shown")
        raise EditConflictError(_record_of(patient))
    changed = [name for name in DETAIL_FIELDS if getattr(patient, name) != getattr(details, name)]
    if changed:
        for name in changed:
            setattr(patient, name, getattr(details, name))
        patient.search_name = search_name(details.given_name, details.family_name)
        patient.updated_at = utcnow()
        patient.updated_by_id = _staff_id(actor)
        session.flush()
        if {"given_name", "family_name"} & set(changed):
            index_name(session, patient)
        # Which fields changed, never their values: the audit log names, it does not copy.
        audit_patient(session, actor, AuditAction.UPDATE, patient, "changed: " + ", ".join(changed))
    return _record_of(patient)


@dataclass(frozen=True)
class PatientQuery:
    text: str = ""
    date_of_birth: date | None = None

    @property
    def is_empty(self) -> bool:
        return not self.text.strip() and self.date_of_birth is None


# A search matching more patients than this asks for more of the name or a date of birth
# instead of listing them: the work of a search is bounded whatever the clinic's size.
SEARCH_LIMIT = 200

_SUMMARY_COLUMNS = (
    Patient.id,
    Patient.public_id,
    Patient.chart_number,
    Patient.given_name,
    Patient.family_name,
    Patient.date_of_birth,
)


def _starts_with(column: QueryableAttribute[str], prefix: str) -> ColumnElement[bool]:
    """A word's start as a range of the token index, which compares bytes on both
    databases: "smi" <= token < "smi" + the last character there is."""
    return and_(column >= prefix, column < prefix + "\U0010ffff")


def _chart_numbers_from(digits: str) -> ColumnElement[bool]:
    """Chart numbers starting with these digits, as a range of the chart-number index in
    any collation (digits sort as digits in every locale): "1234" <= number < "1235"."""
    after = str(int(digits) + 1).zfill(len(digits))
    if len(after) > len(digits):  # "999": no upper end
        return Patient.chart_number >= digits
    return and_(Patient.chart_number >= digits, Patient.chart_number < after)


# How many of one patient's search words may start with the same letters (a word and the
# name run together: "van" starts "van" and "vandenberg"): reading this many rows per
# patient wanted is enough to see past the limit.
WORDS_PER_PATIENT = 4


def _word_ids(word: str) -> Select[int]:
    token = aliased(PatientNameToken)
    return select(token.patient_id).where(_starts_with(token.token, word))


def _matching_ids(
    query: PatientQuery,
) -> tuple[Select[Any] | CompoundSelect[Any] | None, bool]:
    """The ids of the patients a search matches (None: it can match nobody), and whether
    an id may come more than once. A chart number (digits) is a range of the chart-number
    index; with a date of birth, the patients born that day are checked for the words
    typed; one word is a range of the word index; several are the intersection of their
    ranges. Every path is an index range: nothing reads every patient."""
    text = query.text.strip()
    compact = text.replace(" ", "").replace("-", "")
    words = search_words(text)
    born = query.date_of_birth
    if compact.isdigit():
        ids = select(Patient.id).where(_chart_numbers_from(compact))
        return (ids.where(Patient.date_of_birth == born) if born else ids), False
    if text and not words:
        return None, False  # only punctuation: no name has that word
    if born is not None:
        token = aliased(PatientNameToken)
        return select(Patient.id).where(
            Patient.date_of_birth == born,
            *(
                exists().where(token.patient_id == Patient.id, _starts_with(token.token, word))
                for word in words
            ),
        ), False
    if len(words) == 1:
        return _word_ids(words[0]), True
    return intersect(*(_word_ids(word) for word in words)), False


def search_patients(
    session: Session, actor: Actor, query: PatientQuery, page: int, page_size: int
) -> Page[PatientSummary]:
    """Patients matching a name fragment, chart number or date of birth, by family and
    given name. At most ``SEARCH_LIMIT`` + 1 matches are read (through the indexes);
    more than that is reported (``Page.more``) rather than listed. Two statements: the
    ids, then the patients on the list. Listing them is a read of their records: one
    audit entry names every patient on the page."""
    ids, may_repeat = (None, False) if query.is_empty else _matching_ids(query)
    if ids is None:
        return Page([], 1, page_size, 0)
    read = (SEARCH_LIMIT + 1) * (WORDS_PER_PATIENT if may_repeat else 1)
    found = session.scalars(ids.limit(read)).all()
    matched = list(dict.fromkeys(found))
    if len(matched) > SEARCH_LIMIT or len(found) == read > SEARCH_LIMIT + 1:
        return Page([], 1, page_size, SEARCH_LIMIT, more=True)
    rows = (
        session.execute(
            select(*_SUMMARY_COLUMNS)
            .where(Patient.id.in_(matched))
            .order_by(Patient.family_name, Patient.given_name, Patient.date_of_birth, Patient.id)
        ).all()
        if matched
        else []
    )
    last_page = max(1, -(-len(rows) // page_size))
    number = min(max(1, page), last_page)
    shown = rows[(number - 1) * page_size : number * page_size]
    record_listing(session, actor, "patient", (row.id for row in shown), "search results")
    return Page([PatientSummary(*row[1:]) for row in shown], number, page_size, len(rows))


def patient_id_for_chart_number(session: Session, chart_number: str) -> int | None:
    return session.scalar(select(Patient.id).where(Patient.chart_number == chart_number.strip()))


# Searches kept on the server -------------------------------------------------------------


def save_search(session: Session, actor: Actor, query: PatientQuery, kept_for: timedelta) -> str:
    """Keep a search for its results page and return its opaque id. Searches older than
    ``kept_for`` are deleted as new ones are made."""
    user_id = _staff_id(actor)
    now = utcnow()
    session.execute(delete(SavedSearch).where(SavedSearch.created_at < now - kept_for))
    search = SavedSearch(
        public_id=secrets.token_urlsafe(16),
        user_id=user_id,
        text=query.text.strip(),
        date_of_birth=query.date_of_birth,
        created_at=now,
    )
    session.add(search)
    session.flush()
    return search.public_id


def saved_search(
    session: Session, actor: Actor, public_id: str, kept_for: timedelta
) -> PatientQuery:
    """A search this user made recently. Another user's, or an expired one, is not found."""
    search = session.scalar(
        select(SavedSearch).where(
            SavedSearch.public_id == public_id,
            SavedSearch.user_id == _staff_id(actor),
            SavedSearch.created_at >= utcnow() - kept_for,
        )
    )
    if search is None:
        raise NotFoundError("This search has expired. Search again.")
    return PatientQuery(text=search.text, date_of_birth=search.date_of_birth)


RECENTLY_VIEWED = 8
RECENT_DAYS = 30
# The newest record views looked at to find them: a bounded read of the audit log's
# (user, time) index however long the log grows.
RECENT_VIEWS_READ = 25 * RECENTLY_VIEWED


def recently_viewed(session: Session, actor: Actor) -> list[PatientSummary]:
    """The patients whose record this user opened most recently (from the audit log:
    the record page is the read with no detail), newest first, among the user's last
    ``RECENT_VIEWS_READ`` record views of the last ``RECENT_DAYS`` days. Listing them is
    audited."""
    user_id = _staff_id(actor)
    views = (
        select(AuditEvent.patient_id, AuditEvent.occurred_at)
        .where(
            AuditEvent.user_id == user_id,
            AuditEvent.occurred_at >= utcnow() - timedelta(days=RECENT_DAYS),
            AuditEvent.action == AuditAction.VIEW,
            AuditEvent.entity_type == "patient",
            AuditEvent.detail.is_(None),
            AuditEvent.patient_id.is_not(None),
        )
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        .limit(RECENT_VIEWS_READ)
        .subquery()
    )
    last_seen = func.max(views.c.occurred_at).label("last_seen")
    newest = (
        select(views.c.patient_id, last_seen)
        .group_by(views.c.patient_id)
        .order_by(last_seen.desc())
        .limit(RECENTLY_VIEWED)
        .subquery()
    )
    patients = session.scalars(
        select(Patient)
        .join(newest, newest.c.patient_id == Patient.id)
        .order_by(newest.c.last_seen.desc(), Patient.id)
    ).all()
    record_listing(session, actor, "patient", (p.id for p in patients), "recently viewed")
    return [_summary(patient) for patient in patients]
