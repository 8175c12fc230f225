"""Printing handouts in the app: one plan's handout, the handout archived on finalising,
and batches. The glue between the request (its commit) and the archive services: every
print commits what it read before WeasyPrint lays anything out, so no transaction (on
SQLite: the database's write lock) is held while a document is rendered.
"""

from __future__ import annotations

import gc
import io
import logging
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic.audit.models import AuditAction
from clinic.audit.services import record
from clinic.auth.identity import Actor
from clinic.errors import DomainError, NotFoundError, PermissionDeniedError
from clinic.handouts.content import Handout, HandoutOptions
from clinic.handouts.models import BatchStatus, HandoutBatch, HandoutPdf
from clinic.handouts.pool import render_many
from clinic.handouts.render import HandoutRenderer
from clinic.handouts.services import (
    ArchivedPdf,
    HandoutSetup,
    PrintJob,
    clinic_details,
    issue,
    issue_job,
    look_up,
    prepare,
    store,
)
from clinic.plans.models import Plan, PlanVersion

log = logging.getLogger(__name__)
_renderer_lock = threading.Lock()


def renderer(app: Flask) -> HandoutRenderer:
    """The app's renderer, built on first use and kept for the life of the process."""
    with _renderer_lock:
        built = app.extensions.get("handout_renderer")
        if built is None:
            built = HandoutRenderer(Path(app.static_folder or ""), Path(app.template_folder or ""))
            app.extensions["handout_renderer"] = built
        return built


def prepare_to_serve(app: Flask) -> None:
    """Make the app ready for a long-lived server process (gunicorn, ``clinic serve``):
    build and warm the handout renderer now rather than on the first print, then move
    everything built so far (the app, WeasyPrint, its fonts and parsed stylesheets) out of
    the cyclic garbage collector's way. It would otherwise walk all of it in each full
    collection, several of which fall inside every render: about a quarter of a render's
    time (docs/handouts.md, "The server process"; ``gc.freeze`` in Python's documentation)."""
    renderer(app).warm_up()
    gc.collect()
    gc.freeze()


def setup(app: Flask) -> HandoutSetup:
    return HandoutSetup(
        clinic=clinic_details(app.config),
        zone=app.config["TIMEZONE"],
        template_version=renderer(app).template_version,
    )


def _render_and_store(
    app: Flask, session: Session, job: PrintJob, commit: Callable[[], None]
) -> ArchivedPdf:
    handout = prepare(session, job, setup(app))
    commit()
    pdf = renderer(app).render(handout, job.options)
    return store(session, job, pdf, setup(app))


@dataclass(frozen=True)
class Printed:
    pdf: bytes
    sha256: str
    # False when served from the archive (the response says which: X-Handout-Source).
    rendered: bool


def print_handout(
    app: Flask,
    session: Session,
    actor: Actor,
    plan_id: str,
    options: HandoutOptions,
    commit: Callable[[], None],
) -> Printed:
    """Give the patient the handout of this plan: from the archive when it holds it as it
    is now, otherwise checked in full, rendered and archived. Issued and audited; the
    caller commits."""
    job = look_up(session, plan_id, options, setup(app))
    archived = job.archived or _render_and_store(app, session, job, commit)
    issue_job(session, actor, job, archived)
    return Printed(archived.pdf, archived.sha256, rendered=job.archived is None)


def archive_on_finalise(
    app: Flask, session: Session, plan_id: str, commit: Callable[[], None]
) -> bool:
    """Render and archive the handout of a just-finalised plan (the clinic's paper, the
    patient's print size), so its first print is served from the archive. Called after
    the finalise is committed: if this fails, nothing is lost, and the first print
    renders it. Returns whether it was archived."""
    try:
        job = look_up(session, plan_id, HandoutOptions(app.config["HANDOUT_PAPER"]), setup(app))
        if job.archived is None:
            _render_and_store(app, session, job, commit)
        commit()
    except Exception as error:
        session.rollback()
        # The type only: a refusal's message names the patient.
        log.warning("handout not archived on finalising: %s", type(error).__name__)
        return False
    return True


def join(pdfs: Sequence[bytes]) -> bytes:
    """Archived handouts as one PDF, without rendering them again: each keeps its own
    page numbers and footer (qpdf copies the pages)."""
    joined = pikepdf.new()
    for pdf in pdfs:
        with pikepdf.open(io.BytesIO(pdf)) as source:
            joined.pages.extend(source.pages)
    out = io.BytesIO()
    joined.save(out)
    return out.getvalue()


# --- Batches ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchProgress:
    public_id: str
    total: int
    done: int
    failures: tuple[str, ...]
    ready: bool

    @property
    def printed(self) -> int:
        return self.done - len(self.failures)


def start_batch(
    session: Session, actor: Actor, plan_ids: Sequence[str], options: HandoutOptions
) -> HandoutBatch:
    if actor.user_id is None:
        raise PermissionDeniedError("Sign in to print handouts.")
    batch = HandoutBatch(
        public_id=uuid.uuid4().hex,
        created_by_id=actor.user_id,
        paper=options.paper,
        large_print=options.large_print,
        plan_ids=list(dict.fromkeys(plan_ids)),
        results={},
    )
    session.add(batch)
    session.flush()
    return batch


def find_batch(session: Session, actor: Actor, public_id: str) -> HandoutBatch:
    """A batch of the signed-in user's (nobody else's batch is theirs to print)."""
    batch = session.scalar(select(HandoutBatch).where(HandoutBatch.public_id == public_id))
    if batch is None or batch.created_by_id != actor.user_id:
        raise NotFoundError("There is no batch of handouts at this address.")
    return batch


def progress(batch: HandoutBatch) -> BatchProgress:
    results = batch.results
    return BatchProgress(
        public_id=batch.public_id,
        total=len(batch.plan_ids),
        done=sum(1 for plan_id in batch.plan_ids if plan_id in results),
        failures=tuple(
            results[plan_id]["error"]
            for plan_id in batch.plan_ids
            if "error" in results.get(plan_id, {})
        ),
        ready=batch.status is BatchStatus.READY,
    )


def batch_step(
    app: Flask,
    session: Session,
    actor: Actor,
    public_id: str,
    commit: Callable[[], None],
    limit: int | None = None,
) -> BatchProgress:
    """Prepare the next handouts of a batch: archived ones are taken as they are, the
    missing ones checked in full and rendered side by side in the pool. A plan that may
    not be printed (a contraindication found since finalising, a red flag awaiting a
    decision) is named and the others go on. Any worker may take the next step: the
    progress is in the database."""
    batch = find_batch(session, actor, public_id)
    options = HandoutOptions(paper=batch.paper, large_print=batch.large_print)
    size = app.config["HANDOUT_PROCESSES"]
    pending = [plan_id for plan_id in batch.plan_ids if plan_id not in batch.results]
    pending = pending[: limit or 2 * size]
    found: dict[str, dict[str, object]] = {}
    to_render: list[tuple[PrintJob, Handout]] = []
    for plan_id in pending:
        job = None
        try:
            job = look_up(session, plan_id, options, setup(app))
            if job.archived is not None:
                found[plan_id] = {"pdf": job.archived.id}
            else:
                to_render.append((job, prepare(session, job, setup(app))))
        except DomainError as refused:
            found[plan_id] = {"error": refused.message}
            if job is not None:  # the page names the patient: a read of their record
                record(
                    session,
                    actor,
                    AuditAction.VIEW,
                    entity_type="plan",
                    entity_id=plan_id,
                    patient_id=job.facts.patient_id,
                    detail="handout not printed in a batch: the check at printing refused it",
                )
    commit()
    rendered = render_many(
        [(handout, job.options) for job, handout in to_render],
        Path(app.static_folder or ""),
        Path(app.template_folder or ""),
        size,
    )
    for (job, handout), pdf in zip(to_render, rendered, strict=True):
        if isinstance(pdf, Exception):
            log.warning("a batch handout failed to render: %s", type(pdf).__name__)
            found[job.plan_public_id] = {
                "error": f"The handout for {handout.patient_name} could not be made just now. "
                "Print it again from the plan's page."
            }
        else:
            found[job.plan_public_id] = {"pdf": store(session, job, pdf, setup(app)).id}
    # Another worker may have taken a step meanwhile: merge under the row's lock.
    batch = (
        session.scalar(
            select(HandoutBatch)
            .where(HandoutBatch.public_id == public_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        or batch
    )
    batch.results = {**found, **batch.results}
    if all(plan_id in batch.results for plan_id in batch.plan_ids):
        batch.status = BatchStatus.READY
    session.flush()
    return progress(batch)


def batch_pdf(session: Session, actor: Actor, public_id: str) -> tuple[bytes, BatchProgress]:
    """The batch's handouts joined in the order chosen, each issued to its patient and
    audited. Refused until the batch is ready."""
    batch = find_batch(session, actor, public_id)
    state = progress(batch)
    if not state.ready:
        raise NotFoundError("This batch is still being prepared.")
    chosen = [
        (plan_id, batch.results[plan_id]["pdf"])
        for plan_id in batch.plan_ids
        if "pdf" in batch.results[plan_id]
    ]
    if not chosen:
        raise NotFoundError("None of the chosen handouts could be printed.")
    rows = {
        row.id: row
        for row in session.execute(
            select(
                HandoutPdf.id, HandoutPdf.pdf, Plan.public_id, Plan.patient_id, PlanVersion.version
            )
            .join(PlanVersion, PlanVersion.id == HandoutPdf.plan_version_id)
            .join(Plan, Plan.id == PlanVersion.plan_id)
            .where(HandoutPdf.id.in_([pdf_id for _, pdf_id in chosen]))
        )
    }
    for _, pdf_id in chosen:
        row = rows[pdf_id]
        issue(
            session,
            actor,
            pdf_id,
            plan_public_id=row.public_id,
            patient_id=row.patient_id,
            version=row.version,
            batch_id=batch.id,
        )
    return join([rows[pdf_id].pdf for _, pdf_id in chosen]), state
