"""A catalogue item's content, and the one validator every source goes through.

Plain Python. An item file (TOML) and the browser's edit form both produce a plain
``dict`` of the same shape; :func:`parse_item` checks every field and returns an
:class:`ItemContent` or the full list of problems, each naming its field. Patient-facing
text (title, summary, steps, safety cues, alt text) is kept apart in :class:`PatientText`
so a translation is another ``PatientText`` for another language, not a new field.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from clinic.catalogue import vocabulary as words
from clinic.catalogue.safety import CODES
from clinic.catalogue.vocabulary import Kind

LANGUAGE = "en"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_STEPS = 12
MAX_TEXT = 400
MAX_NOTES = 2000
# Kinds that teach a movement: the patient needs the picture.
ILLUSTRATED_KINDS = frozenset({Kind.EXERCISE, Kind.STRETCH})
# Modalities carry NICE NG59's recommendation (clinical.md §5, §9).
GUIDELINE_KINDS = frozenset({Kind.MODALITY})

DOSAGE_LIMITS: dict[str, tuple[int, int, str]] = {
    "sets": (1, 10, "sets"),
    "reps": (1, 100, "repetitions"),
    "hold_seconds": (1, 300, "seconds"),
    "rest_seconds": (0, 600, "seconds"),
    "duration_minutes": (1, 120, "minutes"),
    "times_per_day": (1, 12, "times a day"),
    "days_per_week": (1, 7, "days a week"),
}


@dataclass(frozen=True)
class Problem:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class ContentError(ValueError):
    """Every problem found in one item, each naming its field."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(problem) for problem in problems))
        self.problems = problems


@dataclass(frozen=True)
class Dosage:
    sets: int | None = None
    reps: int | None = None
    hold_seconds: int | None = None
    rest_seconds: int | None = None
    duration_minutes: int | None = None
    times_per_day: int | None = None
    days_per_week: int | None = None
    side: str | None = None
    load: str = ""


@dataclass(frozen=True)
class CodeUse:
    code: str
    areas: tuple[str, ...]


@dataclass(frozen=True)
class PatientText:
    title: str
    summary: str
    steps: tuple[str, ...]
    safety_cues: tuple[str, ...]
    illustration_alt: str = ""


@dataclass(frozen=True)
class ItemContent:
    slug: str
    kind: Kind
    category: str
    text: PatientText
    regions: tuple[str, ...] = ()
    goals: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    equipment: tuple[str, ...] = ()
    therapist_notes: str = ""
    dosage: Dosage = field(default_factory=Dosage)
    progressions: tuple[str, ...] = ()
    regressions: tuple[str, ...] = ()
    codes: tuple[CodeUse, ...] = ()
    evidence_note: str = ""
    evidence_source: str = ""
    guideline_note: str = ""
    guideline_source: str = ""
    technique: str = ""
    pressure: str = ""

    def document(self) -> dict[str, Any]:
        """Everything except the patient-facing text, as JSON-ready data."""
        data = asdict(self)
        del data["text"]
        data["kind"] = self.kind.value
        return data

    def search_text(self) -> str:
        """Lower-case words a search matches: title, summary, tags and the steps."""
        parts = [self.text.title, self.text.summary, *self.tags, *self.text.steps]
        return " ".join(parts).lower()


def content_from_document(
    slug: str, kind: str, document: dict[str, Any], text: PatientText
) -> ItemContent:
    """The inverse of :meth:`ItemContent.document`, for rows read back from the database."""
    data = dict(document)
    data.pop("slug", None)
    data.pop("kind", None)
    dosage = Dosage(**data.pop("dosage", {}))
    codes = tuple(CodeUse(entry["code"], tuple(entry["areas"])) for entry in data.pop("codes", []))
    tuples: dict[str, Any] = {
        key: tuple(value) if isinstance(value, list) else value for key, value in data.items()
    }
    return ItemContent(slug=slug, kind=Kind(kind), text=text, dosage=dosage, codes=codes, **tuples)


def fingerprint(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def content_fingerprint(item: ItemContent, illustration: str | None) -> str:
    """Equal for equal content: used to skip an edit that changes nothing."""
    data = {"document": item.document(), "text": asdict(item.text), "svg": illustration}
    return fingerprint(json.dumps(data, sort_keys=True).encode())


# --- Validation ------------------------------------------------------------------------


class _Checker:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.problems: list[Problem] = []

    def problem(self, name: str, message: str) -> None:
        self.problems.append(Problem(name, message))

    def text(self, name: str, *, required: bool, limit: int = MAX_TEXT, value: Any = None) -> str:
        value = self.data.get(name) if value is None else value
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem(name, "is required")
            return ""
        if not isinstance(value, str):
            self.problem(name, "must be text")
            return ""
        text = " ".join(value.split()) if limit <= MAX_TEXT else value.strip()
        if len(text) > limit:
            self.problem(name, f"must be {limit} characters or fewer")
        return text

    def text_list(self, name: str, *, required: bool, limit: int = MAX_STEPS) -> tuple[str, ...]:
        value = self.data.get(name, [])
        if not isinstance(value, list) or not all(isinstance(entry, str) for entry in value):
            self.problem(name, "must be a list of text")
            return ()
        entries = tuple(" ".join(entry.split()) for entry in value if entry.strip())
        if required and not entries:
            self.problem(name, "needs at least one entry")
        if len(entries) > limit:
            self.problem(name, f"must have {limit} entries or fewer")
        for index, entry in enumerate(entries, start=1):
            if len(entry) > MAX_TEXT:
                self.problem(f"{name}[{index}]", f"must be {MAX_TEXT} characters or fewer")
        return entries

    def choices(
        self, name: str, allowed: frozenset[str], *, required: bool = False
    ) -> tuple[str, ...]:
        value = self.data.get(name, [])
        if not isinstance(value, list) or not all(isinstance(entry, str) for entry in value):
            self.problem(name, "must be a list of names")
            return ()
        unknown = [entry for entry in value if entry not in allowed]
        if unknown:
            self.problem(name, f"'{unknown[0]}' is not one of: {', '.join(sorted(allowed))}")
        if required and not value:
            self.problem(name, "needs at least one entry")
        return tuple(dict.fromkeys(entry for entry in value if entry in allowed))


def _tags(checker: _Checker) -> tuple[str, ...]:
    tags = checker.text_list("tags", required=False, limit=20)
    for index, tag in enumerate(tags, start=1):
        if len(tag) > 40:
            checker.problem(f"tags[{index}]", "must be 40 characters or fewer")
    return tuple(dict.fromkeys(tag.lower() for tag in tags))


def _dosage(checker: _Checker) -> Dosage:
    raw = checker.data.get("dosage", {})
    if not isinstance(raw, dict):
        checker.problem("dosage", "must be a table of numbers")
        return Dosage()
    unknown = sorted(set(raw) - {*DOSAGE_LIMITS, "side", "load"})
    if unknown:
        checker.problem(f"dosage.{unknown[0]}", "is not a dosage field")
    values: dict[str, Any] = {}
    for name, (low, high, unit) in DOSAGE_LIMITS.items():
        value = raw.get(name)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            checker.problem(f"dosage.{name}", f"must be a whole number from {low} to {high} {unit}")
            continue
        values[name] = value
    side = raw.get("side")
    if side is not None and side not in words.values(words.SIDES):
        checker.problem("dosage.side", "must be one of: both, each, alternate")
    elif side is not None:
        values["side"] = side
    load = raw.get("load", "")
    if not isinstance(load, str) or len(load) > 60:
        checker.problem("dosage.load", "must be text of 60 characters or fewer")
    else:
        values["load"] = load.strip()
    return Dosage(**values)


def _codes(checker: _Checker, regions: tuple[str, ...]) -> tuple[CodeUse, ...]:
    raw = checker.data.get("codes", [])
    if not isinstance(raw, list):
        checker.problem("codes", "must be a list of safety codes")
        return ()
    uses: dict[str, CodeUse] = {}
    areas_allowed = words.values(words.REGIONS)
    for index, entry in enumerate(raw, start=1):
        where = f"codes[{index}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("code"), str):
            checker.problem(where, 'must name a code, e.g. { code = "heat.impaired_sensation" }')
            continue
        code = entry["code"]
        if code not in CODES:
            checker.problem(f"{where}.code", f"'{code}' is not in the safety code list")
            continue
        if code in uses:
            checker.problem(f"{where}.code", f"'{code}' is listed twice")
            continue
        areas = entry.get("areas", list(regions))
        if not isinstance(areas, list) or not all(isinstance(area, str) for area in areas):
            checker.problem(f"{where}.areas", "must be a list of body areas")
            continue
        unknown = [area for area in areas if area not in areas_allowed]
        if unknown:
            checker.problem(f"{where}.areas", f"'{unknown[0]}' is not a body area (in {code})")
            continue
        if not areas:
            checker.problem(f"{where}.areas", "needs at least one body area")
            continue
        uses[code] = CodeUse(code, tuple(dict.fromkeys(areas)))
    return tuple(uses.values())


def _links(checker: _Checker, name: str, slug: str) -> tuple[str, ...]:
    value = checker.data.get(name, [])
    if not isinstance(value, list) or not all(isinstance(entry, str) for entry in value):
        checker.problem(name, "must be a list of item slugs")
        return ()
    for entry in value:
        if entry == slug:
            checker.problem(name, "an item cannot link to itself")
        elif not SLUG.match(entry):
            checker.problem(name, f"'{entry}' is not a valid slug")
    return tuple(dict.fromkeys(value))


def _section(checker: _Checker, name: str) -> dict[str, Any]:
    section = checker.data.get(name, {})
    if not isinstance(section, dict):
        checker.problem(name, "must be a table")
        return {}
    return section


TOP_LEVEL = {
    "slug",
    "kind",
    "category",
    "title",
    "summary",
    "regions",
    "goals",
    "tags",
    "equipment",
    "steps",
    "safety_cues",
    "therapist_notes",
    "dosage",
    "progressions",
    "regressions",
    "codes",
    "evidence",
    "guideline",
    "massage",
    "illustration",
}


def parse_item(data: dict[str, Any], *, has_illustration: bool) -> ItemContent:
    """Validate one item's data; raise :class:`ContentError` listing every problem.

    ``has_illustration`` says whether a (separately checked) SVG comes with the item."""
    checker = _Checker(data)
    for name in sorted(set(data) - TOP_LEVEL):
        checker.problem(name, "is not a field of a catalogue item")
    slug = checker.text("slug", required=True, limit=60)
    if slug and not SLUG.match(slug):
        checker.problem("slug", "must be lower-case letters, digits and single hyphens")
    kind_value = data.get("kind")
    kind = Kind(kind_value) if kind_value in {member.value for member in Kind} else None
    if kind is None:
        checker.problem("kind", f"must be one of: {', '.join(kind.value for kind in Kind)}")
    category = data.get("category")
    if kind is not None:
        allowed = words.values(words.CATEGORIES[kind])
        if category not in allowed:
            checker.problem("category", f"must be one of: {', '.join(sorted(allowed))}")
    title = checker.text("title", required=True, limit=80)
    summary = checker.text("summary", required=True)
    regions = checker.choices("regions", words.values(words.REGIONS))
    goals = checker.choices("goals", words.values(words.GOALS), required=True)
    equipment = checker.choices("equipment", words.values(words.EQUIPMENT))
    tags = _tags(checker)
    steps = checker.text_list("steps", required=True)
    cues = checker.text_list("safety_cues", required=kind in ILLUSTRATED_KINDS)
    notes = checker.text("therapist_notes", required=False, limit=MAX_NOTES)
    dosage = _dosage(checker)
    codes = _codes(checker, regions)
    progressions = _links(checker, "progressions", slug)
    regressions = _links(checker, "regressions", slug)

    evidence = _section(checker, "evidence")
    evidence_note = checker.text("evidence.note", required=True, value=evidence.get("note"))
    evidence_source = checker.text("evidence.source", required=True, value=evidence.get("source"))
    guideline = _section(checker, "guideline")
    needs_guideline = kind in GUIDELINE_KINDS
    guideline_note = checker.text(
        "guideline.note", required=needs_guideline, value=guideline.get("note")
    )
    guideline_source = checker.text(
        "guideline.source", required=bool(guideline_note), value=guideline.get("source")
    )
    massage = _section(checker, "massage")
    technique = checker.text(
        "massage.technique", required=kind is Kind.MASSAGE, value=massage.get("technique")
    )
    pressure = massage.get("pressure", "")
    if kind is Kind.MASSAGE and pressure not in words.values(words.PRESSURES):
        checker.problem("massage.pressure", "must be one of: light, moderate, firm")
    if massage and kind is not Kind.MASSAGE:
        checker.problem("massage", "is only for massage and manual therapy items")

    illustration = _section(checker, "illustration")
    alt = checker.text("illustration.alt", required=has_illustration, value=illustration.get("alt"))
    if kind in ILLUSTRATED_KINDS and not has_illustration:
        checker.problem("illustration", f"every {kind.value} needs an illustration (an SVG)")
    if alt and not has_illustration:
        checker.problem("illustration", "has alt text but no SVG")

    if checker.problems or kind is None:
        raise ContentError(checker.problems)
    return ItemContent(
        slug=slug,
        kind=kind,
        category=str(category),
        text=PatientText(
            title=title, summary=summary, steps=steps, safety_cues=cues, illustration_alt=alt
        ),
        regions=regions,
        goals=goals,
        tags=tags,
        equipment=equipment,
        therapist_notes=notes,
        dosage=dosage,
        progressions=progressions,
        regressions=regressions,
        codes=codes,
        evidence_note=evidence_note,
        evidence_source=evidence_source,
        guideline_note=guideline_note,
        guideline_source=guideline_source,
        technique=technique,
        pressure=str(pressure) if kind is Kind.MASSAGE else "",
    )


def check_links(items: dict[str, ItemContent], known: set[str]) -> dict[str, list[Problem]]:
    """Progressions and regressions must name items that exist (in ``items`` or ``known``)."""
    problems: dict[str, list[Problem]] = {}
    for slug, item in items.items():
        for name, links in (("progressions", item.progressions), ("regressions", item.regressions)):
            for link in links:
                if link not in items and link not in known:
                    problems.setdefault(slug, []).append(
                        Problem(name, f"'{link}' is not an item of the catalogue")
                    )
    return problems
