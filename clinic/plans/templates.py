"""Plan templates: the shipped defaults and the admin's own. Services flush; the request
commits once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic.audit.models import AuditAction
from clinic.audit.services import record
from clinic.auth.identity import Actor
from clinic.catalogue.models import CatalogueItem
from clinic.catalogue.vocabulary import REGIONS, values
from clinic.db import utcnow
from clinic.errors import FieldError, NotFoundError
from clinic.plans.models import PlanTemplate
from clinic.plans.templates_data import DEFAULT_TEMPLATES

ENTITY = "plan_template"


@dataclass(frozen=True)
class TemplateData:
    name: str
    description: str
    regions: tuple[str, ...]
    risks: tuple[str, ...]
    general_advice: str
    # (slug, area or None), in order.
    items: tuple[tuple[str, str | None], ...]
    active: bool = True


@dataclass(frozen=True)
class TemplateRow:
    id: int
    name: str
    regions: tuple[str, ...]
    risks: tuple[str, ...]
    item_count: int
    active: bool


def parse_item_lines(text: str) -> tuple[tuple[str, str | None], ...]:
    """Lines of "slug" or "slug@area" (the body area the item goes to)."""
    items = []
    for line in text.splitlines():
        slug, _, area = line.strip().partition("@")
        if slug.strip():
            items.append((slug.strip(), area.strip() or None))
    return tuple(items)


def _item_lines(items: list[dict[str, Any]]) -> str:
    return "\n".join(
        entry["slug"] + (f"@{entry['area']}" if entry.get("area") else "") for entry in items
    )


def all_templates(session: Session) -> list[TemplateRow]:
    return [
        TemplateRow(t.id, t.name, tuple(t.regions), tuple(t.risks), len(t.items), t.active)
        for t in session.scalars(select(PlanTemplate).order_by(PlanTemplate.name))
    ]


def _check_items(session: Session, items: tuple[tuple[str, str | None], ...]) -> None:
    if not items:
        raise FieldError("items", "List at least one catalogue item")
    known = dict(
        session.execute(
            select(CatalogueItem.slug, CatalogueItem.retired_at).where(
                CatalogueItem.slug.in_([slug for slug, _ in items])
            )
        ).all()
    )
    areas = values(REGIONS)
    for line, (slug, area) in enumerate(items, start=1):
        if slug not in known:
            raise FieldError("items", f"Line {line}: '{slug}' is not in the catalogue")
        if known[slug] is not None:
            raise FieldError("items", f"Line {line}: '{slug}' is retired")
        if area is not None and area not in areas:
            raise FieldError(
                "items", f"Line {line}: '{area}' is not a body area ({', '.join(sorted(areas))})"
            )


def save_template(
    session: Session, actor: Actor, template_id: int | None, data: TemplateData
) -> int:
    _check_items(session, data.items)
    clash = session.scalar(select(PlanTemplate.id).where(PlanTemplate.name == data.name))
    if clash is not None and clash != template_id:
        raise FieldError("name", "Another template has this name")
    if template_id is None:
        template = PlanTemplate(name=data.name)
        session.add(template)
    else:
        found = session.get(PlanTemplate, template_id)
        if found is None:
            raise NotFoundError("There is no such template.")
        template = found
    template.name = data.name
    template.description = data.description
    template.regions = list(data.regions)
    template.risks = list(data.risks)
    template.general_advice = data.general_advice
    template.items = [{"slug": slug, "area": area} for slug, area in data.items]
    template.active = data.active
    template.updated_at = utcnow()
    template.updated_by_id = actor.user_id
    session.flush()
    action = AuditAction.CREATE if template_id is None else AuditAction.UPDATE
    record(session, actor, action, entity_type=ENTITY, entity_id=template.id)
    return template.id


def fill_form(session: Session, template_id: int, form: Any) -> None:
    template = session.get(PlanTemplate, template_id)
    if template is None:
        raise NotFoundError("There is no such template.")
    form.name.data = template.name
    form.description.data = template.description
    form.regions.data = list(template.regions)
    form.risks.data = list(template.risks)
    form.general_advice.data = template.general_advice
    form.items.data = _item_lines(template.items)
    form.active.data = template.active


def load_default_templates(session: Session, actor: Actor) -> int:
    """Add the shipped templates a clinic does not have yet (by name); an admin's edits
    and deactivations are never undone. Returns how many were added."""
    existing = set(session.scalars(select(PlanTemplate.name)))
    added = 0
    for default in DEFAULT_TEMPLATES:
        if default.name in existing:
            continue
        save_template(
            session,
            actor,
            None,
            TemplateData(
                name=default.name,
                description=default.description,
                regions=default.regions,
                risks=default.risks,
                general_advice=default.general_advice,
                items=parse_item_lines("\n".join(default.items)),
            ),
        )
        added += 1
    return added
