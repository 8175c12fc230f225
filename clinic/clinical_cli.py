"""`clinic screen` and `clinic score`: the clinical core on the command line.

Exit status 0 for any valid input (whatever the tier); 2 for bad input, with a message
naming the field. Neither command needs the app or a database.
"""

from __future__ import annotations

import json
import sys
from typing import Any, NoReturn, TextIO

import click

from clinic.measures import INSTRUMENTS, MeasureError, score
from clinic.measures.wording import load_licensed_wording
from clinic.screening.answers import AnswerError, validate_answers
from clinic.screening.catalogue import catalogue_json, rules_markdown
from clinic.screening.engine import screen as run_screening
from clinic.screening.policy import PolicyError, ScreeningPolicy, load_policy
from clinic.screening.rules import RULE_IDS


def _fail(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


def _read_json(source: TextIO) -> Any:
    try:
        return json.load(source)
    except json.JSONDecodeError as error:
        _fail(f"input is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})")


def _print(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


@click.command("screen")
@click.argument("source", type=click.File("r"), default="-")
@click.option("--questions", is_flag=True, help="Print the question catalogue as JSON and stop.")
@click.option(
    "--rules", "rules_table", is_flag=True, help="Print the rule table as Markdown and stop."
)
@click.option(
    "--policy",
    "policy_file",
    type=click.File("r"),
    envvar="CLINIC_SCREENING_POLICY",
    help="The clinic's screening policy (JSON); default: $CLINIC_SCREENING_POLICY.",
)
def screen_command(
    source: TextIO, questions: bool, rules_table: bool, policy_file: TextIO | None
) -> None:
    """Screen answers for red flags. SOURCE is a JSON file keyed by question id (- for stdin)."""
    if questions:
        _print(catalogue_json())
        return
    if rules_table:
        click.echo(rules_markdown(), nl=False)
        return
    policy = ScreeningPolicy()
    if policy_file is not None:
        try:
            policy = load_policy(policy_file.read(), RULE_IDS)
        except PolicyError as error:
            _fail(f"policy: {error}")
    try:
        answers = validate_answers(_read_json(source))
    except AnswerError as error:
        _fail(str(error))
    _print(run_screening(answers, policy).to_json())


def _setting(value: str) -> tuple[str, Any]:
    name, separator, raw = value.partition("=")
    if not separator:
        raise click.BadParameter("use NAME=VALUE, for example max_missing_sections=2")
    try:
        return name, json.loads(raw)
    except json.JSONDecodeError:
        return name, raw


@click.command("score")
@click.argument("instrument", type=click.Choice(sorted(INSTRUMENTS)))
@click.argument("source", type=click.File("r"), default="-")
@click.option("--set", "settings", multiple=True, help="A policy setting, NAME=VALUE (repeatable).")
@click.option("--items", is_flag=True, help="Print the instrument's items and stop.")
@click.option(
    "--wording",
    type=click.File("r"),
    help="With --items: the clinic's licensed wording (ODI, NDI, RMDQ, QuickDASH, LEFS).",
)
def score_command(
    instrument: str, source: TextIO, settings: tuple[str, ...], items: bool, wording: TextIO | None
) -> None:
    """Score an outcome measure. SOURCE is a JSON file of item responses (- for stdin)."""
    spec = INSTRUMENTS[instrument]
    if items:
        listing: dict[str, Any] = {
            "instrument": spec.name,
            "title": spec.title,
            "notice": spec.notice,
        }
        if wording is not None:
            try:
                sections = load_licensed_wording(wording.read(), instrument)
            except MeasureError as error:
                _fail(str(error))
            listing["items"] = [
                {"id": section.id, "title": section.title, "statements": list(section.statements)}
                for section in sections
            ]
        else:
            listing["items"] = [{"id": item, "text": text} for item, text in spec.items.items()]
            listing["wording_is_licensed"] = spec.wording_is_licensed
        _print(listing)
        return
    try:
        result = score(
            instrument, _read_json(source), **dict(_setting(value) for value in settings)
        )
    except MeasureError as error:
        _fail(str(error))
    except click.BadParameter as error:
        _fail(error.message)
    _print(result.to_json())
