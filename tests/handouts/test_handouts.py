"""Handout PDFs: read back as text (pypdf) and as structure (pikepdf), rendered by the
real WeasyPrint with its warnings watched."""

from __future__ import annotations

import gc
import hashlib
import io
import json
import logging
import os
import re
import subprocess
import sys
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pikepdf
import pypdf
import pytest
from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy import delete, event, func, select
from sqlalchemy.orm import Session

from clinic.audit.models import AuditAction, AuditEvent
from clinic.auth.models import User
from clinic.handouts.content import Handout, HandoutOptions, tick_boxes_svg
from clinic.handouts.models import HandoutIssue, HandoutPdf
from clinic.handouts.printing import prepare_to_serve, renderer
from clinic.handouts.render import svg_data_url
from clinic.handouts.samples import sample_handout
from clinic.intake.models import Intake
from clinic.patients.models import Patient
from clinic.plans.models import Plan, PlanVersion
from clinic.plans.templates_data import DEFAULT_TEMPLATES
from tests.factories import make_patient, make_submitted_intake
from tests.helpers import PageClient, html, text_of
from tests.plans.test_plan_pages import _editor, _finalise, _start, _titles
from tests.screening.stories import symptom


@pytest.fixture
def weasyprint_warnings(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    caplog.set_level(logging.WARNING, logger="weasyprint")
    return caplog.records


def _final_plan(
    pages: PageClient, db_session: Session, front_desk: User, **history: Any
) -> tuple[str, Patient]:
    patient = make_patient(db_session, front_desk, given_name="Rosa", family_name="Lindqvist")
    make_submitted_intake(db_session, front_desk, patient, **history)
    plan_id = _start(pages, db_session, patient)
    assert _finalise(pages, plan_id).status_code == 302
    return plan_id, patient


def _pages(pdf: bytes) -> list[str]:
    return [
        " ".join((page.extract_text() or "").split())
        for page in pypdf.PdfReader(io.BytesIO(pdf)).pages
    ]


def test_the_handout_has_every_item_dosage_the_safety_box_and_page_numbers(
    as_therapist: PageClient,
    db_session: Session,
    front_desk: User,
    weasyprint_warnings: list[logging.LogRecord],
) -> None:
    plan_id, _ = _final_plan(as_therapist, db_session, front_desk)
    response = as_therapist.get(f"/plans/{plan_id}/handout.pdf")
    assert response.mimetype == "application/pdf"
    pages = _pages(response.data)
    text = " ".join(pages)
    for title, dosage in [
        ("Ice pack", "15 minutes at a time. 4 times a day."),
        ("Knee to chest stretch", "Hold for 20 seconds. Do it 3 times on each side. Twice a day."),
        ("Pelvic tilt", "Hold for 5 seconds. Do it 10 times. Twice a day."),
        ("Drinking enough water", ""),
    ]:
        assert title in text
        assert dosage in text
    assert "Stop and get help" in text
    assert "Go to an emergency department straight away if you get new numbness" in text
    assert "Emergency: 999" in text and "Clinic: 01632 960000" in text
    assert all("Rosa Lindqvist" in page for page in pages)  # the running footer
    assert all(f"Page {n} of {len(pages)}" in page for n, page in enumerate(pages, start=1))
    assert "Your two-week log" in text and "Pain (0 to 10)" in text
    assert weasyprint_warnings == []


def test_no_item_is_split_across_pages(
    as_therapist: PageClient, db_session: Session, front_desk: User
) -> None:
    plan_id, _ = _final_plan(as_therapist, db_session, front_desk)
    pages = _pages(as_therapist.get(f"/plans/{plan_id}/handout.pdf").data)
    # Each item's title and its last step stand on the same page.
    for title, last_step in [
        ("Ice pack", "Leave at least two hours before using it again."),
        ("Knee to chest stretch", "do the same with the other leg."),
        ("Sleeping positions for back pain", "push up with your arms."),
    ]:
        with_title = [n for n, page in enumerate(pages) if f" {title} " in f" {page} "]
        with_step = [n for n, page in enumerate(pages) if last_step in page]
        assert with_step and with_step[0] in with_title, (title, with_title, with_step)


def test_the_pdf_is_tagged_with_language_title_and_alt_text(
    as_therapist: PageClient, db_session: Session, front_desk: User
) -> None:
    plan_id, _ = _final_plan(as_therapist, db_session, front_desk)
    data = as_therapist.get(f"/plans/{plan_id}/handout.pdf").data
    with pikepdf.Pdf.open(io.BytesIO(data)) as pdf:
        assert "/StructTreeRoot" in pdf.Root
        assert pdf.Root.MarkInfo.Marked
        assert str(pdf.Root.Lang) == "en-GB"
        assert "Acute low back spasm" in str(pdf.docinfo.get("/Title", ""))
        alts = []
        stack = [pdf.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Dictionary):
                if "/Alt" in node:
                    alts.append(str(node.Alt))
                if "/K" in node:
                    kids = node.K
                    stack.extend(kids if isinstance(kids, pikepdf.Array) else [kids])
            elif isinstance(node, pikepdf.Array):
                stack.extend(node)
    assert any("one knee is pulled towards the chest" in alt for alt in alts)
    assert any("walking" in alt for alt in alts)


def _sizes_of(pdf: bytes, text: str) -> list[float]:
    """The size in points of each run of text in the PDF that contains ``text``: the font
    size scaled by the text matrix and by the page's own matrix (WeasyPrint draws in CSS
    pixels, three quarters of a point)."""
    sizes: list[float] = []

    def visit(run: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        if text in run:
            sizes.append(round(size * abs(tm[0]) * abs(cm[0]), 1))

    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return sizes


STEP = "Lie on your back on a mat"


def test_large_print_and_letter_paper(
    as_therapist: PageClient, db_session: Session, front_desk: User
) -> None:
    plan_id, _ = _final_plan(as_therapist, db_session, front_desk)
    large = as_therapist.get(f"/plans/{plan_id}/handout.pdf?print_size=large&paper=letter").data
    assert min(_sizes_of(large, STEP)) >= 16
    assert _sizes_of(large, "Page 1 of") == [14]  # the footer grows too
    box = pypdf.PdfReader(io.BytesIO(large)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    standard = as_therapist.get(f"/plans/{plan_id}/handout.pdf?print_size=standard").data
    assert max(_sizes_of(standard, STEP)) == 12
    assert _sizes_of(standard, "Page 1 of") == [10]


def test_a_patient_who_prefers_large_print_gets_it_unless_a_print_says_otherwise(
    as_therapist: PageClient, db_session: Session, front_desk: User
) -> None:
    plan_id, patient = _final_plan(as_therapist, db_session, front_desk)
    patient.large_print_handouts = True
    db_session.flush()
    page = as_therapist.get(f"/plans/{plan_id}")
    assert "As the patient prefers: large print" in text_of(page)
    as_preferred = as_therapist.get(f"/plans/{plan_id}/handout.pdf").data
    assert min(_sizes_of(as_preferred, STEP)) >= 16
    from_the_form = as_therapist.get(f"/plans/{plan_id}/handout.pdf?paper=a4&print_size=").data
    assert min(_sizes_of(from_the_form, STEP)) >= 16
    standard = as_therapist.get(f"/plans/{plan_id}/handout.pdf?print_size=standard").data
    assert max(_sizes_of(standard, STEP)) == 12


def test_nothing_outside_the_static_files_is_fetched(app: Flask) -> None:
    with app.app_context():
        handouts = renderer(app)
        html = (
            '<html lang="en"><title>x</title><body>'
            '<img src="http://example.com/track.png" alt="a">'
            '<img src="file:///etc/passwd" alt="b">'
            '<img src="static:/../../pyproject.toml" alt="c">'
            '<link rel="stylesheet" href="https://example.com/a.css">'
            "</body></html>"
        )
        pdf = handouts._html_class(
            string=html, url_fetcher=handouts.fetcher, base_url="static:/"
        ).write_pdf()
    assert {
        "http://example.com/track.png",
        "file:///etc/passwd",
        "https://example.com/a.css",
    } <= set(handouts.fetcher.refused)
    assert any("pyproject.toml" in url for url in handouts.fetcher.refused)
    assert b"root:" not in pdf


def test_a_reprint_is_byte_identical_served_from_the_archive_and_issued_each_time(
    as_therapist: PageClient,
    db_session: Session,
    front_desk: User,
    therapist: User,
    app: Flask,
    clock: Any,
) -> None:
    plan_id, patient = _final_plan(as_therapist, db_session, front_desk)
    # Finalising archived the handout: the first print is served from it, not rendered.
    assert db_session.scalar(select(func.count()).select_from(HandoutPdf)) == 1
    renders = renderer(app).renders
    first = as_therapist.get(f"/plans/{plan_id}/handout.pdf")
    clock.advance(timedelta(days=3))  # the handout's date is the plan's, not today's
    as_therapist.login(therapist.username)
    again = as_therapist.get(f"/plans/{plan_id}/handout.pdf")
    assert first.headers["X-Handout-Source"] == again.headers["X-Handout-Source"] == "archive"
    assert renderer(app).renders == renders
    assert again.data == first.data and again.headers["ETag"] == first.headers["ETag"]
    issues = db_session.scalars(
        select(HandoutIssue).where(HandoutIssue.patient_id == patient.id)
    ).all()
    assert len(issues) == 2 and len({issue.handout_pdf_id for issue in issues}) == 1
    # The patient's page lists both, and each opens the exact bytes given.
    page = html(as_therapist.get(f"/patients/{patient.public_id}"))
    links = [a["href"] for a in page.select("a[href^='/handouts/issued/']")]
    assert len(links) == 2
    copy = as_therapist.get(links[0])
    assert copy.data == first.data
    assert hashlib.sha256(copy.data).hexdigest()[:12] in text_of(
        as_therapist.get(f"/patients/{patient.public_id}")
    )
    details = [
        event.detail
        for event in db_session.scalars(
            select(AuditEvent).where(AuditEvent.patient_id == patient.id).order_by(AuditEvent.id)
        )
    ]
    assert sum(bool(re.search(r"issued handout \d+", d or "")) for d in details) == 2
    assert "copy of an issued handout" in details


def test_a_dosage_change_is_a_new_version_with_a_new_handout(
    as_therapist: PageClient, db_session: Session, front_desk: User
) -> None:
    plan_id, _ = _final_plan(as_therapist, db_session, front_desk)
    first = as_therapist.get(f"/plans/{plan_id}/handout.pdf")
    as_therapist.post(f"/plans/{plan_id}/revise")
    data = {**_editor(as_therapist, plan_id), "items-2-reps": "7", "action": "save"}
    as_therapist.post(f"/plans/{plan_id}/edit", data)
    assert _finalise(as_therapist, plan_id).status_code == 302
    changed = as_therapist.get(f"/plans/{plan_id}/handout.pdf")
    assert changed.headers["ETag"] != first.headers["ETag"]
    assert "Do it 7 times on each side" in " ".join(_pages(changed.data))


def test_the_handout_is_dated_the_day_the_plan_was_finalised(
    as_therapist: PageClient, db_session: Session, front_desk: User
) -> None:
    plan_id, _ = _final_plan(as_therapist, db_session, front_desk)
    version = db_session.scalar(select(PlanVersion).join(Plan).where(Plan.public_id == plan_id))
    assert version is not None
    version.finalised_at = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
    db_session.flush()
    response = as_therapist.get(f"/plans/{plan_id}/handout.pdf")
    assert response.headers["X-Handout-Source"] == "rendered"  # its date changed
    text = " ".join(_pages(response.data))
    assert "on 2 November 2026" in text
    # The log's fourteen days start on that date, a week at a time, each day dated.
    assert "Week 1: 2 November 2026 to 8 November 2026" in text
    assert "Week 2: 9 November 2026 to 15 November 2026" in text
    assert "Mon 2 Tue 3 Wed 4 Thu 5 Fri 6 Sat 7 Sun 8" in text


def test_an_archived_print_rechecks_with_three_queries_and_a_red_flag_still_stops_it(
    as_therapist: PageClient, db_session: Session, front_desk: User, app: Flask
) -> None:
    from clinic.handouts import printing
    from clinic.handouts.services import look_up

    plan_id, patient = _final_plan(as_therapist, db_session, front_desk)
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    engine = db_session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        with app.app_context():
            job = look_up(db_session, plan_id, HandoutOptions(), printing.setup(app))
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert job.archived is not None
    # The plan version with what its handout is made of; the open red flags; the PDF.
    assert len(statements) == 3, statements
    make_submitted_intake(db_session, front_desk, patient, **symptom("saddle_numbness"))
    refused = as_therapist.get(f"/plans/{plan_id}/handout.pdf")
    assert refused.status_code == 409
    assert "a red flag is awaiting a therapist's decision" in text_of(refused)


def test_printing_is_audited(
    as_therapist: PageClient, db_session: Session, front_desk: User
) -> None:
    plan_id, patient = _final_plan(as_therapist, db_session, front_desk)
    as_therapist.get(f"/plans/{plan_id}/handout.pdf")
    printed = db_session.scalar(
        select(AuditEvent).where(AuditEvent.action == AuditAction.PRINT).order_by(AuditEvent.id)
    )
    assert printed is not None
    assert printed.patient_id == patient.id and printed.entity_id == plan_id


def test_a_new_problem_since_finalising_stops_the_print_and_says_why(
    as_therapist: PageClient, db_session: Session, front_desk: User
) -> None:
    plan_id, patient = _final_plan(as_therapist, db_session, front_desk)
    intake = db_session.scalar(select(Intake).where(Intake.patient_id == patient.id))
    assert intake is not None
    intake.answers = {**intake.answers, "raynauds": "yes"}  # answers corrected after finalising
    db_session.flush()
    response = as_therapist.get(f"/plans/{plan_id}/handout.pdf")
    assert response.status_code == 409
    assert (
        "Ice pack: raynaud's phenomenon or cold hypersensitivity (new since finalising)"
        in text_of(response)
    )


def test_a_draft_plan_has_no_handout_yet(
    as_therapist: PageClient, db_session: Session, front_desk: User
) -> None:
    patient = make_patient(db_session, front_desk)
    make_submitted_intake(db_session, front_desk, patient)
    plan_id = _start(as_therapist, db_session, patient)
    assert as_therapist.get(f"/plans/{plan_id}/handout.pdf").status_code == 404


def _neck_plan(as_therapist: PageClient, db_session: Session, front_desk: User) -> str:
    other = make_patient(db_session, front_desk, given_name="Ade", family_name="Okoro")
    other.large_print_handouts = True
    make_submitted_intake(db_session, front_desk, other, regions=("cervical",))
    plan_id = _start(as_therapist, db_session, other, "Neck pain, mobility")
    assert _finalise(as_therapist, plan_id).status_code == 302
    return plan_id


def _numbering(pdf: bytes) -> list[tuple[str, str]]:
    """Each page's running footer: the patient's name and "Page n of m"."""
    footers = []
    for page in _pages(pdf):
        match = re.search(r"(Rosa Lindqvist|Ade Okoro)\s+(Page \d+ of \d+)\s*$", page)
        assert match is not None, page[-120:]
        footers.append((match.group(1), match.group(2)))
    return footers


def test_front_desk_prints_several_plans_as_one_pdf_each_numbered_on_its_own(
    pages: PageClient, as_therapist: PageClient, db_session: Session, front_desk: User
) -> None:
    first, _ = _final_plan(as_therapist, db_session, front_desk)
    second = _neck_plan(as_therapist, db_session, front_desk)
    as_therapist.post("/logout")
    pages.login(front_desk.username)
    listed = text_of(pages.get("/handouts"))
    assert "Neck pain, mobility" in listed and listed.count("prefers large print") == 1
    refused = pages.post("/handouts", {})
    assert refused.status_code == 422 and "Choose at least one plan to print" in text_of(refused)
    chosen = pages.post("/handouts", {"plan": [first, second]})
    assert chosen.status_code == 302  # two are prepared at once: straight to the file
    response = pages.get(chosen.headers["Location"])
    assert response.mimetype == "application/pdf"
    footers = _numbering(response.data)
    rosa = [page for name, page in footers if name == "Rosa Lindqvist"]
    ade = [page for name, page in footers if name == "Ade Okoro"]
    assert rosa == [f"Page {n} of {len(rosa)}" for n in range(1, len(rosa) + 1)]
    assert ade == [f"Page {n} of {len(ade)}" for n in range(1, len(ade) + 1)]
    text = " ".join(_pages(response.data))
    assert "Chin tuck" in text
    # Each patient's handout in their own print size, in the one PDF.
    assert max(_sizes_of(response.data, STEP)) == 12
    assert min(_sizes_of(response.data, "Sit up straight and look")) >= 16
    # Both came from the archive (rendered when each plan was finalised) and were issued.
    assert db_session.scalar(select(func.count()).select_from(HandoutPdf)) == 2
    assert db_session.scalar(select(func.count()).select_from(HandoutIssue)) == 2


def test_a_larger_batch_shows_progress_and_names_a_plan_it_could_not_print(
    pages: PageClient, as_therapist: PageClient, db_session: Session, front_desk: User
) -> None:
    rosa, patient = _final_plan(as_therapist, db_session, front_desk)
    ade = _neck_plan(as_therapist, db_session, front_desk)
    extra = []
    for given in ("Bea", "Cal"):
        other = make_patient(db_session, front_desk, given_name=given, family_name="Lindqvist")
        make_submitted_intake(db_session, front_desk, other)
        plan_id = _start(
            as_therapist, db_session, other, "Low back pain, self-management (low risk)"
        )
        assert _finalise(as_therapist, plan_id).status_code == 302
        extra.append(plan_id)
    # Not archived: two of the four are rendered in the pool, the others come from the archive.
    db_session.execute(
        delete(HandoutPdf).where(
            HandoutPdf.id.in_(
                select(HandoutPdf.id).join(PlanVersion).join(Plan).where(Plan.public_id.in_(extra))
            )
        )
    )
    # A contraindication found since Rosa's plan was finalised stops hers alone.
    intake = db_session.scalar(select(Intake).where(Intake.patient_id == patient.id))
    assert intake is not None
    intake.answers = {**intake.answers, "raynauds": "yes"}
    db_session.flush()
    as_therapist.post("/logout")
    pages.login(front_desk.username)
    started = pages.post("/handouts", {"plan": [rosa, ade, *extra]})
    assert started.status_code == 302
    batch_page = started.headers["Location"]
    page = text_of(pages.get(batch_page))
    assert "Preparing 4 handouts: 0 of 4 done." in page
    step = html(pages.get(batch_page)).select_one("form[data-batch-step]")
    assert step is not None
    progress = pages.post(step["action"], {}, headers={"Accept": "application/json"}).get_json()
    while not progress["ready"]:
        progress = pages.post(step["action"], {}, headers={"Accept": "application/json"}).get_json()
    assert progress["done"] == progress["total"] == 4
    assert progress["failures"] == [
        "The handout for Rosa Lindqvist was not printed: Ice pack: raynaud's phenomenon or "
        "cold hypersensitivity (new since finalising); Ice for the first two days, then heat: "
        "raynaud's phenomenon or cold hypersensitivity (new since finalising). A therapist "
        "must revise and finalise the plan again."
    ]
    done = text_of(pages.get(batch_page))
    assert "Ready: 3 of 4 handouts to print." in done and "Not printed" in done
    refused = db_session.scalar(
        select(AuditEvent).where(
            AuditEvent.patient_id == patient.id, AuditEvent.detail.contains("not printed")
        )
    )
    assert refused is not None and refused.entity_id == rosa
    pdf = pages.get(progress["file"]).data
    names = {name for name, _ in _numbering_all(pdf)}
    assert names == {"Ade Okoro", "Bea Lindqvist", "Cal Lindqvist"}
    # Two rendered (in the pool), two archived: four PDFs, three issued in the batch.
    assert db_session.scalar(select(func.count()).select_from(HandoutPdf)) == 4
    assert (
        db_session.scalar(
            select(func.count()).select_from(HandoutIssue).where(HandoutIssue.batch_id.is_not(None))
        )
        == 3
    )


def _numbering_all(pdf: bytes) -> list[tuple[str, str]]:
    footers = []
    for page in _pages(pdf):
        match = re.search(r"(\w+ \w+)\s+(Page \d+ of \d+)\s*$", page)
        assert match is not None, page[-120:]
        footers.append((match.group(1), match.group(2)))
    return footers


def test_someone_elses_batch_is_not_found(
    pages: PageClient, as_therapist: PageClient, db_session: Session, front_desk: User
) -> None:
    first, _ = _final_plan(as_therapist, db_session, front_desk)
    started = as_therapist.post("/handouts", {"plan": [first]})
    as_therapist.post("/logout")
    pages.login(front_desk.username)
    assert pages.get(started.headers["Location"]).status_code == 404


def test_the_command_writes_a_plans_handout(
    as_therapist: PageClient, db_session: Session, front_desk: User, app: Flask, tmp_path: Any
) -> None:
    from click.testing import CliRunner

    from clinic.cli import handout

    plan_id, _ = _final_plan(as_therapist, db_session, front_desk)
    target = tmp_path / "handout.pdf"
    with app.app_context():
        result = CliRunner().invoke(
            handout, [plan_id, "-o", str(target), "--paper", "letter"], catch_exceptions=False
        )
    assert result.exit_code == 0, result.output
    assert "Rosa Lindqvist" in " ".join(_pages(target.read_bytes()))


def test_a_wide_drawing_spans_the_page_above_the_steps_and_a_narrow_one_stands_beside(
    app: Flask,
) -> None:
    handout = sample_handout(["knee-to-chest", "walking-programme"])
    knee, walking = handout.items
    assert knee.wide_illustration and not walking.wide_illustration  # 516x112 and 240x189
    with app.app_context():
        page = BeautifulSoup(renderer(app).html(handout, HandoutOptions()), "html.parser")
    for section, shape in zip(page.select("section.item"), ("wide", "beside"), strict=True):
        order = [
            tag.get("class", [tag.name])[0]
            for tag in section.find_all(["h3", "p", "img", "ol"], recursive=False)
        ]
        # Title, why, how much, then the drawing with the steps below or beside it.
        assert order[:5] == [
            "item__title",
            "item__summary",
            "item__dosage",
            "item__picture",
            "list",
        ]
        assert f"item__picture--{shape}" in section.img["class"]


def _render(app: Flask, handout: Handout) -> bytes:
    with app.app_context():
        return renderer(app).render(handout, HandoutOptions())


def test_the_log_has_a_dated_row_per_home_item_a_box_per_time_a_day_and_a_pain_score(
    app: Flask,
) -> None:
    handout = sample_handout(
        ["ice-pack", "pelvic-tilt", "soft-tissue-massage", "sleeping-positions", "bridge"]
    )
    text = " ".join(_pages(_render(app, handout)))
    log = text[text.index("Your two-week log") :]
    assert "Week 1: 23 November 2026 to 29 November 2026" in log
    assert "Mon 23 Tue 24 Wed 25 Thu 26 Fri 27 Sat 28 Sun 29" in log
    assert "Week 2: 30 November 2026 to 6 December 2026" in log
    assert "Mon 30 Tue 1 Wed 2 Thu 3 Fri 4 Sat 5 Sun 6" in log
    # The home items, numbered as above them, each with its boxes a day (one per time a
    # day, drawn as one picture of the day's boxes); advice with no dosage has no row.
    for row in (
        "1. Ice pack (4 times a day)",
        "2. Pelvic tilt (twice a day)",
        "4. Bridge (once a day)",
    ):
        assert row in log
    with app.app_context():
        page = BeautifulSoup(renderer(app).html(handout, HandoutOptions()), "html.parser")
    rows = {
        " ".join(row.th.get_text(" ").split()): row.td["class"]
        for row in page.select("table.log__table tbody tr")
    }
    assert rows["1. Ice pack (4 times a day)"] == ["log__days", "log__days--4"]
    assert rows["2. Pelvic tilt (twice a day)"] == ["log__days", "log__days--2"]
    assert rows["4. Bridge (once a day)"] == ["log__days", "log__days--1"]
    boxes = page.style.get_text()
    for count in (1, 2, 4):
        picture = svg_data_url(tick_boxes_svg(count))
        assert f'.log__days--{count} {{ background-image: url("{picture}")' in boxes
    assert tick_boxes_svg(4).count("<rect") == 4 and tick_boxes_svg(1).count("<rect") == 1
    assert "Sleeping positions" not in log
    assert log.count("Pain (0 to 10)") == 2
    # The massage is the therapist's, at the clinic: described apart, never ticked at home.
    assert "Soft-tissue massage" not in log
    clinic = text[text.index("What we will do at the clinic") : text.index("Your two-week log")]
    assert "Soft-tissue massage (in clinic)" in clinic and "At the clinic: 20 minutes" in clinic
    home = text[: text.index("What we will do at the clinic")]
    assert "What to do at home: 4 items" in home and "Soft-tissue massage" not in home


def test_large_print_log_text_is_16_point_and_no_page_is_left_half_empty(app: Flask) -> None:
    slugs = [entry.split("@")[0] for entry in DEFAULT_TEMPLATES[0].items]
    pdf = _render(app, sample_handout(slugs, large_print=True))
    assert min(_sizes_of(pdf, "Pain (0 to 10)")) >= 16
    assert min(_sizes_of(pdf, "Ice pack")) >= 16
    assert min(_sizes_of(pdf, "Week 1:")) >= 16
    filled = page_fill(pdf)
    assert all(share >= 0.6 for share in filled[:-1]), filled


def _text_heights(page: Any) -> list[float]:
    heights: list[float] = []

    def visit(run: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        if run.strip():
            heights.append(cm[5] + tm[5] * cm[3])

    page.extract_text(visitor_text=visit)
    return heights


def page_fill(pdf: bytes) -> list[float]:
    """How far down each page its text reaches, as a share of the page's text area
    (between the 14 mm top margin and the 16 mm footer margin)."""
    shares = []
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        height = float(page.mediabox.height)
        top, bottom = height - 14 / 25.4 * 72, 16 / 25.4 * 72
        body = [y for y in _text_heights(page) if y > bottom + 2]
        shares.append((top - min(body, default=top)) / (top - bottom))
    return shares


def test_a_lower_back_stretch_warns_about_a_leg_not_an_arm(app: Flask) -> None:
    text = " ".join(_pages(_render(app, sample_handout(["knee-to-chest"]))))
    item = text[text.index("1. Knee to chest stretch") :]
    assert "tingling spreading down a leg" in item
    assert "arm" not in item[: item.index("Your two-week log")]


def test_a_server_process_is_prepared_before_the_first_print(app: Flask) -> None:
    try:
        prepare_to_serve(app)
        assert "handout_renderer" in app.extensions
        assert gc.get_freeze_count() > 0  # what was built is out of the collector's way
    finally:
        gc.unfreeze()
    built = renderer(app)
    assert built is app.extensions["handout_renderer"]
    assert built.renders == 1  # one first render: fonts loaded, caches filled


def test_the_wsgi_module_gives_gunicorn_a_prepared_app(tmp_path: Path) -> None:
    environment = {
        **os.environ,
        "CLINIC_DATABASE_URL": f"sqlite:///{tmp_path / 'clinic.db'}",
        "CLINIC_INSTANCE_PATH": str(tmp_path),
    }
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import gc; from clinic.wsgi import app; "
            "print(app.name, 'handout_renderer' in app.extensions, gc.get_freeze_count() > 0)",
        ],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["clinic", "True", "True"]


def test_a_plan_without_the_ice_pack_has_no_ice_advice(
    as_therapist: PageClient, db_session: Session, front_desk: User
) -> None:
    patient = make_patient(db_session, front_desk, given_name="Rosa", family_name="Lindqvist")
    make_submitted_intake(db_session, front_desk, patient, raynauds="yes")
    plan_id = _start(as_therapist, db_session, patient)
    editor = html(as_therapist.get(f"/plans/{plan_id}/edit"))
    contraindicated = [
        item["id"].removeprefix("item-")
        for item in editor.select("li.plan-item")
        if item.select_one(".finding--contraindicated")
    ]
    titles = _titles(as_therapist, plan_id)
    assert [
        titles[n]
        for n, item in enumerate(editor.select("li.plan-item"))
        if item.select_one(".finding--contraindicated")
    ] == [
        "Ice pack",
        "Ice for the first two days, then heat",
    ]
    for item_id in contraindicated:
        data = {**_editor(as_therapist, plan_id), "action": f"remove:{item_id}"}
        assert as_therapist.post(f"/plans/{plan_id}/edit", data).status_code == 302
    # Ice written into the general advice is checked as ice: it must go.
    advice = {**_editor(as_therapist, plan_id), "action": "save"}
    advice["general_advice"] = "Keep moving. Use an ice pack for 15 minutes when it flares."
    as_therapist.post(f"/plans/{plan_id}/edit", advice)
    assert "The general advice recommends ice" in text_of(
        as_therapist.get(f"/plans/{plan_id}/edit")
    )
    refused = _finalise(as_therapist, plan_id)
    assert refused.status_code == 422
    assert "The general advice recommends ice with Raynaud" in text_of(refused)
    # Managing a flare-up advises ice too, and is checked as such.
    flare = {**_editor(as_therapist, plan_id), "add": "pacing-flare-ups"}
    flare["general_advice"] = "Keep moving gently. Do not use ice."
    as_therapist.post(f"/plans/{plan_id}/edit", flare)
    page = html(as_therapist.get(f"/plans/{plan_id}/edit"))
    last = page.select("li.plan-item")[-1]
    assert "Managing a flare-up" in last.get_text() and last.select_one(".finding--contraindicated")
    data = {
        **_editor(as_therapist, plan_id),
        "action": f"remove:{last['id'].removeprefix('item-')}",
    }
    as_therapist.post(f"/plans/{plan_id}/edit", data)
    assert _finalise(as_therapist, plan_id).status_code == 302
    text = " ".join(_pages(as_therapist.get(f"/plans/{plan_id}/handout.pdf").data))
    assert "Heat pack" in text
    advising = re.findall(r"[^.]*\b(?:ice|frozen peas)\b[^.]*\.", text, re.IGNORECASE)
    assert advising == [" Do not use ice."], advising


def test_the_patients_data_export_holds_each_handout_given_byte_for_byte(
    as_therapist: PageClient, db_session: Session, front_desk: User, admin: User
) -> None:
    plan_id, patient = _final_plan(as_therapist, db_session, front_desk)
    given = as_therapist.get(f"/plans/{plan_id}/handout.pdf").data
    as_therapist.post("/logout")
    as_therapist.login(admin.username)
    response = as_therapist.post(
        "/admin/patient-data/export", {"export-chart_number": patient.chart_number}
    )
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    document = json.loads(archive.read(f"patient-{patient.chart_number}.json"))
    [entry] = document["handouts_given"]
    assert entry["handout"]["sha256"] == hashlib.sha256(given).hexdigest()
    assert archive.read(entry["file"]) == given
