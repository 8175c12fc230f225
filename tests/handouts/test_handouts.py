"""Handout PDFs: read back as text (pypdf) and as structure (pikepdf), rendered by the
real WeasyPrint with its warnings watched."""

from __future__ import annotations

import gc
import io
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pikepdf
import pypdf
import pytest
from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic.audit.models import AuditAction, AuditEvent
from clinic.auth.models import User
from clinic.handouts.content import HandoutOptions
from clinic.handouts.samples import sample_handout
from clinic.handouts.printing import prepare_to_serve, renderer
from clinic.intake.models import Intake
from clinic.patients.models import Patient
from tests.factories import make_patient, make_submitted_intake
from tests.helpers import PageClient, text_of
from tests.plans.test_plan_pages import _editor, _finalise, _start


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
        ("Ice pack", "for 15 minutes, 4 times a day, every day"),
        (
            "Knee to chest stretch",
            "3 times, hold for 20 seconds, on each side, twice a day, every day",
        ),
        ("Pelvic tilt", "10 times, hold for 5 seconds, twice a day, every day"),
        ("Drinking enough water", ""),
    ]:
        assert title in text
        assert dosage in text
    assert "Stop and get help" in text
    assert "Go to an emergency department straight away if you get new numbness" in text
    assert "Emergency: 999" in text and "Clinic: 01632 960000" in text
    assert all("Rosa Lindqvist" in page for page in pages)  # the running footer
    assert all(f"Page {n} of {len(pages)}" in page for n, page in enumerate(pages, start=1))
    assert "Your two-week log" in text and "Pain 0\u201310" in text
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


def test_an_unchanged_plan_comes_from_the_cache_and_a_dosage_change_renders_anew(
    as_therapist: PageClient, db_session: Session, front_desk: User, app: Flask
) -> None:
    plan_id, _ = _final_plan(as_therapist, db_session, front_desk)
    first = as_therapist.get(f"/plans/{plan_id}/handout.pdf")
    again = as_therapist.get(
        f"/plans/{plan_id}/handout.pdf", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304
    assert renderer(app).cached(first.headers["ETag"].strip('"')) == first.data
    as_therapist.post(f"/plans/{plan_id}/revise")
    data = {**_editor(as_therapist, plan_id), "items-2-reps": "7", "action": "save"}
    as_therapist.post(f"/plans/{plan_id}/edit", data)
    assert _finalise(as_therapist, plan_id).status_code == 302
    changed = as_therapist.get(f"/plans/{plan_id}/handout.pdf")
    assert changed.headers["ETag"] != first.headers["ETag"]
    assert "7 times, hold for 20 seconds" in " ".join(_pages(changed.data))


def test_printing_is_audited(
    as_therapist: PageClient, db_session: Session, front_desk: User
) -> None:
    plan_id, patient = _final_plan(as_therapist, db_session, front_desk)
    as_therapist.get(f"/plans/{plan_id}/handout.pdf")
    event = db_session.scalar(select(AuditEvent).where(AuditEvent.action == AuditAction.PRINT))
    assert event is not None and event.patient_id == patient.id and event.entity_id == plan_id


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


def test_front_desk_prints_several_plans_as_one_pdf(
    pages: PageClient, as_therapist: PageClient, db_session: Session, front_desk: User
) -> None:
    first, _ = _final_plan(as_therapist, db_session, front_desk)
    other = make_patient(db_session, front_desk, given_name="Ade", family_name="Okoro")
    other.large_print_handouts = True
    make_submitted_intake(db_session, front_desk, other, regions=("cervical",))
    second = _start(as_therapist, db_session, other, "Neck pain, mobility")
    assert _finalise(as_therapist, second).status_code == 302
    as_therapist.post("/logout")
    pages.login(front_desk.username)
    listed = text_of(pages.get("/handouts"))
    assert "Neck pain, mobility" in listed and listed.count("prefers large print") == 1
    refused = pages.post("/handouts", {})
    assert refused.status_code == 422 and "Choose at least one plan to print" in text_of(refused)
    response = pages.post("/handouts", {"plan": [first, second]})
    text = " ".join(_pages(response.data))
    assert "Rosa Lindqvist" in text and "Ade Okoro" in text and "Chin tuck" in text
    # Each patient's handout in their own print size, in the one PDF.
    assert max(_sizes_of(response.data, STEP)) == 12
    assert min(_sizes_of(response.data, "Sit up straight and look")) >= 16


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
        page = BeautifulSoup(renderer(app).html([handout], HandoutOptions()), "html.parser")
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


def test_the_log_has_a_row_per_item_the_pain_row_and_fourteen_days(app: Flask) -> None:
    handout = sample_handout(["ice-pack", "pelvic-tilt", "sleeping-positions"])
    with app.app_context():
        pdf, _ = renderer(app).render([handout], HandoutOptions())
    log = _pages(pdf)[-1]
    assert "Item " + " ".join(str(day) for day in range(1, 15)) in log
    positions = [log.index(row) for row in ("1. Ice pack", "2. Pelvic tilt", "3. Sleeping")]
    assert positions == sorted(positions) and log.index("Pain 0\u201310") > positions[-1]


def test_a_server_process_is_prepared_before_the_first_print(app: Flask) -> None:
    try:
        prepare_to_serve(app)
        assert "handout_renderer" in app.extensions
        assert gc.get_freeze_count() > 0  # what was built is out of the collector's way
    finally:
        gc.unfreeze()
    built = renderer(app)
    assert built is app.extensions["handout_renderer"]
    assert not built._cache  # the warm-up renders are not kept


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
