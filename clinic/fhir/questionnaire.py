"""The intake questionnaire as a FHIR ``Questionnaire``, an intake's answers as a
``QuestionnaireResponse``, and the way back from a response to the answers. Plain Python.

The Questionnaire has one group per step of the intake, in the order the patient meets
them; a follow-up is enabled by its parent's answers, a question for some pain regions by
the regions chosen. Question ids are the linkIds: they never change meaning (a question is
retired and a new id added instead), so one set of definitions describes every version's
answers; retired questions sit in a last, read-only group, for older intakes' answers.
Outcome measures are not in it: three of them (ODI, NDI, RMDQ) are licensed wording the
software does not ship; their scores are Observations.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from clinic.fhir.vocabulary import ANSWER_SYSTEM, Naming
from clinic.intake.fields import ALL_QUESTIONS
from clinic.intake.steps import DETAILS, MEASURES, STEPS
from clinic.screening.model import ALL_REGIONS, AnswerType, Question
from clinic.screening.questions import QUESTIONS

RETIRED_GROUP = "no_longer_asked"
_ITEM_TYPES = {
    AnswerType.YES_NO_UNSURE: "choice",
    AnswerType.CHOICE: "choice",
    AnswerType.MULTI_CHOICE: "choice",
    AnswerType.NUMBER: "integer",
    AnswerType.DURATION: "integer",
    AnswerType.DATE: "date",
    AnswerType.TEXT: "text",
}


@dataclass(frozen=True)
class Group:
    link_id: str
    title: str
    questions: tuple[Question, ...]
    read_only: bool = False


def groups() -> tuple[Group, ...]:
    """The questionnaire's groups: the intake's steps that hold questions, then the
    questions no longer asked."""
    asked = tuple(
        Group(step.id, step.title, step.questions)
        for step in STEPS
        if step not in (DETAILS, MEASURES) and step.questions
    )
    retired = tuple(question for question in QUESTIONS if question.retired)
    return (*asked, Group(RETIRED_GROUP, "Questions no longer asked", retired, read_only=True))


def questionnaire_id(version: str) -> str:
    """A FHIR id for a questionnaire version ("screening 2026.11.2; intake 2026.11.1" ->
    "intake-2026.11.2-2026.11.1"): letters, digits, "-" and "." only, at most 64."""
    words = [word for word in re.split(r"[^A-Za-z0-9.]+", version) if word]
    slug = "-".join(word for word in words if word not in ("screening", "intake"))
    candidate = f"intake-{slug or 'unversioned'}"
    if len(candidate) <= 64:
        return candidate
    return f"intake-{hashlib.sha256(version.encode()).hexdigest()[:32]}"


def _coding(naming: Naming, value: str, question: Question) -> dict[str, Any]:
    labels = {option.value: option.text for option in question.options}
    coding = {"system": naming.code_system(ANSWER_SYSTEM), "code": value}
    if value in labels:
        coding["display"] = labels[value]
    return coding


def _enable_when(naming: Naming, question: Question) -> dict[str, Any]:
    """When the questionnaire asks ``question``: after one of its parent's answers (a
    follow-up: FHIR disables it with a disabled parent), or for one of its regions (all
    regions when none was chosen, as the screening does)."""
    follow_up = question.follow_up_of
    conditions: list[dict[str, Any]]
    if follow_up is not None:
        parent = ALL_QUESTIONS[follow_up.question]
        conditions = [
            {
                "question": parent.id,
                "operator": "=",
                "answerCoding": _coding(naming, value, parent),
            }
            for value in sorted(follow_up.values)
        ]
    elif question.regions != ALL_REGIONS:
        regions = ALL_QUESTIONS["pain_regions"]
        conditions = [
            {
                "question": regions.id,
                "operator": "=",
                "answerCoding": _coding(naming, region.value, regions),
            }
            for region in sorted(question.regions, key=lambda region: region.value)
        ]
        conditions.append({"question": regions.id, "operator": "exists", "answerBoolean": False})
    else:
        return {}
    return {"enableWhen": conditions, "enableBehavior": "any"}


def _item(naming: Naming, question: Question, read_only: bool) -> dict[str, Any]:
    item: dict[str, Any] = {
        "linkId": question.id,
        "text": question.text,
        "type": _ITEM_TYPES[question.type],
        **_enable_when(naming, question),
    }
    if question.type is AnswerType.MULTI_CHOICE:
        item["repeats"] = True
    if question.options:
        item["answerOption"] = [
            {"valueCoding": _coding(naming, option.value, question)} for option in question.options
        ]
    if question.type is AnswerType.TEXT and question.maximum:
        item["maxLength"] = question.maximum
    if read_only:
        item["readOnly"] = True
    return item


def questionnaire(naming: Naming, version: str, current: bool) -> dict[str, Any]:
    return {
        "resourceType": "Questionnaire",
        "id": questionnaire_id(version),
        "url": naming.questionnaire_url,
        "version": version,
        "name": "PhysiotherapyIntake",
        "title": "Physiotherapy intake and red-flag screening",
        "status": "active" if current else "retired",
        "subjectType": ["Patient"],
        "item": [
            {
                "linkId": group.link_id,
                "text": group.title,
                "type": "group",
                "item": [_item(naming, q, group.read_only) for q in group.questions],
                **({"readOnly": True} if group.read_only else {}),
            }
            for group in groups()
            if group.questions
        ],
    }


def questionnaire_reference(naming: Naming, version: str) -> str:
    return f"{naming.questionnaire_url}|{version}"


def _answers(naming: Naming, question: Question, value: Any) -> list[dict[str, Any]]:
    if question.type in (AnswerType.YES_NO_UNSURE, AnswerType.CHOICE, AnswerType.MULTI_CHOICE):
        values = value if isinstance(value, list) else [value]
        return [{"valueCoding": _coding(naming, str(item), question)} for item in values]
    if question.type in (AnswerType.NUMBER, AnswerType.DURATION) and isinstance(value, int):
        return [{"valueInteger": value}]
    if question.type is AnswerType.DATE:
        return [{"valueDate": str(value)}]
    return [{"valueString": str(value)}]


def response_items(naming: Naming, answers: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The answers given, by group, in the questionnaire's order (blank ones left out)."""
    items = []
    for group in groups():
        answered = [
            {
                "linkId": question.id,
                "text": question.text,
                "answer": _answers(naming, question, answers[question.id]),
            }
            for question in group.questions
            if answers.get(question.id) not in (None, "", [])
        ]
        if answered:
            items.append({"linkId": group.link_id, "text": group.title, "item": answered})
    return items


def questionnaire_response(
    naming: Naming,
    response_id: str,
    version: str,
    answers: Mapping[str, Any],
    patient_reference: str,
    authored: datetime,
    author: dict[str, Any],
) -> dict[str, Any]:
    return {
        "resourceType": "QuestionnaireResponse",
        "id": response_id,
        "identifier": {"system": naming.identifier_system("intake"), "value": response_id},
        "questionnaire": questionnaire_reference(naming, version),
        "status": "completed",
        "subject": {"reference": patient_reference},
        "authored": authored.isoformat(),
        "author": author,
        "source": {"reference": patient_reference},
        "item": response_items(naming, answers),
    }


def _walk(items: list[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
    for item in items:
        yield item
        yield from _walk(item.get("item", []))


def _value(question: Question, answer: Mapping[str, Any]) -> Any:
    for key in ("valueCoding", "valueInteger", "valueDate", "valueString"):
        if key in answer:
            value = answer[key]
            return value["code"] if key == "valueCoding" else value
    return None


def answers_from_response(response: Mapping[str, Any]) -> dict[str, Any]:
    """The stored answers a QuestionnaireResponse holds: codes, whole numbers, dates and
    text keyed by question id, lists for questions with several answers."""
    answers: dict[str, Any] = {}
    for item in _walk(response.get("item", [])):
        question = ALL_QUESTIONS.get(item.get("linkId", ""))
        given = item.get("answer")
        if question is None or not given:
            continue
        values = [_value(question, answer) for answer in given]
        if question.type is AnswerType.MULTI_CHOICE:
            answers[question.id] = values
        else:
            answers[question.id] = values[0]
    return answers


def answer_path(group: str, question_id: str) -> str:
    """The FHIRPath of one answered question inside a QuestionnaireResponse."""
    return f"QuestionnaireResponse.item.where(linkId='{group}').item.where(linkId='{question_id}')"


def group_of(question_id: str) -> str | None:
    for group in groups():
        if any(question.id == question_id for question in group.questions):
            return group.link_id
    return None
