"""Use cases of the treatment catalogue: load the shipped files, browse and search, show
an item, create, edit (a new version), retire and restore. Services flush; the request
(or the command) commits once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from clinic.audit.models import AuditAction
from clinic.audit.services import record
from clinic.auth.identity import Actor
from clinic.catalogue.content import (
    LANGUAGE,
    ItemContent,
    PatientText,
    content_fingerprint,
    content_from_document,
)
from clinic.catalogue.files import ItemFile
from clinic.catalogue.models import (
    CatalogueFacet,
    CatalogueItem,
    CatalogueItemText,
    CatalogueItemVersion,
)
from clinic.catalogue.search import Faceted, facet, search_words
from clinic.catalogue.vocabulary import Kind
from clinic.db import utcnow
from clinic.errors import ConflictError, FieldError, NotFoundError

ENTITY = "catalogue_item"


# --- Writing versions ------------------------------------------------------------------


def _facets(content: ItemContent) -> set[tuple[str, str]]:
    return {
        *(("region", value) for value in content.regions),
        *(("goal", value) for value in content.goals),
        *(("equipment", value) for value in content.equipment),
        *(("tag", value[:60]) for value in content.tags),
    }


def _save_version(
    session: Session,
    actor: Actor,
    item: CatalogueItem,
    content: ItemContent,
    illustration: str | None,
    *,
    origin: str,
) -> int:
    """Write the item's next version (version 1 of a new item), and audit it."""
    new = item.id is None
    number = 1 if new else item.current_version + 1
    if new:
        session.add(item)
    version = CatalogueItemVersion(
        item=item,
        version=number,
        kind=content.kind,
        document=content.document(),
        illustration_svg=illustration,
        search_text=content.search_text(),
        origin=origin,
        content_hash=content_fingerprint(content, illustration),
        created_by_id=actor.user_id,
    )
    session.add(version)
    session.flush()
    text = content.text
    session.add(
        CatalogueItemText(
            version_id=version.id,
            language=LANGUAGE,
            title=text.title,
            summary=text.summary,
            steps=list(text.steps),
            safety_cues=list(text.safety_cues),
            illustration_alt=text.illustration_alt,
        )
    )
    session.add_all(
        CatalogueFacet(version_id=version.id, facet=name, value=value)
        for name, value in sorted(_facets(content))
    )
    item.current_version = number
    session.flush()
    detail = f"version {number}" + (" loaded from file" if origin == "file" else "")
    action = AuditAction.CREATE if new else AuditAction.UPDATE
    record(session, actor, action, entity_type=ENTITY, entity_id=item.slug, detail=detail)
    return number


def _current(session: Session, item: CatalogueItem) -> CatalogueItemVersion:
    version = session.scalar(
        select(CatalogueItemVersion).where(
            CatalogueItemVersion.item_id == item.id,
            CatalogueItemVersion.version == item.current_version,
        )
    )
    if version is None:  # pragma: no cover - every item is written with its first version
        raise NotFoundError("This catalogue item has no saved version.")
    return version


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    # Changed in the repository, but edited in the clinic since: the clinic's edit stands.
    kept_local: list[str] = field(default_factory=list)


def load_item_files(session: Session, actor: Actor, files: list[ItemFile]) -> LoadReport:
    """Load checked item files: new items are created, changed files become new versions,
    unchanged files do nothing. An item edited in the clinic is never overwritten."""
    report = LoadReport()
    existing = {
        item.slug: item
        for item in session.scalars(
            select(CatalogueItem).where(
                CatalogueItem.slug.in_([file.content.slug for file in files])
            )
        )
    }
    for file in files:
        slug = file.content.slug
        item = existing.get(slug)
        if item is None:
            item = CatalogueItem(slug=slug, file_hash=file.source_hash)
            _save_version(session, actor, item, file.content, file.illustration, origin="file")
            report.created.append(slug)
            continue
        if item.file_hash == file.source_hash:
            report.unchanged.append(slug)
            continue
        if _current(session, item).origin != "file":
            report.kept_local.append(slug)
            continue
        item.file_hash = file.source_hash
        _save_version(session, actor, item, file.content, file.illustration, origin="file")
        report.updated.append(slug)
    return report


def known_slugs(session: Session) -> set[str]:
    return set(session.scalars(select(CatalogueItem.slug)))


def _item(session: Session, slug: str) -> CatalogueItem:
    item = session.scalar(select(CatalogueItem).where(CatalogueItem.slug == slug))
    if item is None:
        raise NotFoundError("There is no catalogue item at this address.")
    return item


class ItemEditConflictError(Exception):
    """Someone saved the item since the form was opened; ``current`` is their version."""

    def __init__(self, current: ItemView) -> None:
        super().__init__("the item changed since it was opened")
        self.current = current


def create_item(
    session: Session, actor: Actor, content: ItemContent, illustration: str | None
) -> str:
    if session.scalar(select(CatalogueItem.id).where(CatalogueItem.slug == content.slug)):
        raise ConflictError(f"An item with the short name '{content.slug}' already exists.")
    _save_version(
        session, actor, CatalogueItem(slug=content.slug), content, illustration, origin="edit"
    )
    return content.slug


def edit_item(
    session: Session,
    actor: Actor,
    slug: str,
    based_on_version: int,
    content: ItemContent,
    illustration: str | None,
) -> int | None:
    """Save ``content`` as the item's next version; None when nothing changed.

    ``based_on_version`` is the version the form was opened on: if someone has saved
    since, :class:`ItemEditConflictError` is raised and nothing is written."""
    item = _item(session, slug)
    if item.current_version != based_on_version:
        raise ItemEditConflictError(item_view(session, slug))
    if content_fingerprint(content, illustration) == _current(session, item).content_hash:
        return None
    return _save_version(session, actor, item, content, illustration, origin="edit")


def set_retired(session: Session, actor: Actor, slug: str, *, retired: bool) -> None:
    """Retire an item (hidden from new plans; plans that use it keep their version), or
    bring it back."""
    item = _item(session, slug)
    if (item.retired_at is not None) == retired:
        return
    item.retired_at = utcnow() if retired else None
    item.retired_by_id = actor.user_id if retired else None
    detail = "retired" if retired else "restored"
    record(session, actor, AuditAction.UPDATE, entity_type=ENTITY, entity_id=slug, detail=detail)
    session.flush()


# --- Reading ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BrowseQuery:
    text: str = ""
    kind: frozenset[str] = frozenset()
    region: frozenset[str] = frozenset()
    goal: frozenset[str] = frozenset()
    equipment: frozenset[str] = frozenset()
    retired: bool = False

    def selected(self) -> dict[str, frozenset[str]]:
        return {
            "kind": self.kind,
            "region": self.region,
            "goal": self.goal,
            "equipment": self.equipment,
        }


@dataclass(frozen=True)
class ItemSummary:
    slug: str
    version: int
    title: str
    summary: str
    kind: Kind
    category: str
    regions: tuple[str, ...]
    has_illustration: bool
    illustration_alt: str
    dosage: dict[str, Any]
    retired: bool


@dataclass(frozen=True)
class BrowseResult:
    items: list[ItemSummary]
    counts: dict[str, dict[str, int]]
    total: int


CatalogueRow = tuple[CatalogueItem, CatalogueItemVersion, CatalogueItemText]


def versions_query(
    *, current_only: bool
) -> Select[CatalogueItem, CatalogueItemVersion, CatalogueItemText]:
    """Items with their versions (every one, or the current one only) and English text."""
    joined = CatalogueItemVersion.item_id == CatalogueItem.id
    if current_only:
        joined &= CatalogueItemVersion.version == CatalogueItem.current_version
    return (
        select(CatalogueItem, CatalogueItemVersion, CatalogueItemText)
        .join(CatalogueItemVersion, joined)
        .join(
            CatalogueItemText,
            (CatalogueItemText.version_id == CatalogueItemVersion.id)
            & (CatalogueItemText.language == LANGUAGE),
        )
    )


def _current_versions() -> Select[CatalogueItem, CatalogueItemVersion, CatalogueItemText]:
    return versions_query(current_only=True)


def versions_by_id(session: Session, version_ids: Sequence[int]) -> dict[int, CatalogueRow]:
    """The given versions (whatever is current now), with their items and text."""
    if not version_ids:
        return {}
    statement = versions_query(current_only=False).where(CatalogueItemVersion.id.in_(version_ids))
    return {version.id: (item, version, text) for item, version, text in session.execute(statement)}


def version_for_new_plan(session: Session, slug: str) -> CatalogueItemVersion:
    """The current version of an item, to add to a plan; retired items are refused."""
    row = session.execute(_current_versions().where(CatalogueItem.slug == slug)).first()
    if row is None:
        raise NotFoundError("There is no catalogue item of that name.")
    item, version, _ = row
    if item.retired_at is not None:
        raise FieldError("add", "That item is retired and cannot be added to new plans.")
    return version


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def browse(session: Session, query: BrowseQuery) -> BrowseResult:
    """Current versions matching the search words and filters, with counts per filter."""
    statement = _current_versions().where(
        CatalogueItem.retired_at.is_not(None)
        if query.retired
        else CatalogueItem.retired_at.is_(None)
    )
    for word in search_words(query.text):
        pattern = f"%{_escape_like(word)}%"
        statement = statement.where(
            or_(
                CatalogueItemVersion.search_text.like(pattern, escape="\\"),
                CatalogueItemVersion.search_text.like(pattern.replace("-", " "), escape="\\"),
            )
        )
    rows = session.execute(statement.order_by(CatalogueItemText.title)).all()
    facets: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for _, version, _ in rows:
        facets[version.id]["kind"].add(version.kind.value)
    if rows:
        for version_id, name, value in session.execute(
            select(CatalogueFacet.version_id, CatalogueFacet.facet, CatalogueFacet.value).where(
                CatalogueFacet.version_id.in_([version.id for _, version, _ in rows]),
                CatalogueFacet.facet != "tag",
            )
        ):
            facets[version_id][name].add(value)
    faceted: Faceted = facet(
        {
            key: {name: frozenset(values) for name, values in found.items()}
            for key, found in facets.items()
        },
        query.selected(),
    )
    items = [
        ItemSummary(
            slug=item.slug,
            version=version.version,
            title=text.title,
            summary=text.summary,
            kind=version.kind,
            category=version.document["category"],
            regions=tuple(version.document["regions"]),
            has_illustration=version.illustration_svg is not None,
            illustration_alt=text.illustration_alt,
            dosage=version.document["dosage"],
            retired=item.retired_at is not None,
        )
        for item, version, text in rows
        if version.id in faceted.matching
    ]
    return BrowseResult(items=items, counts=faceted.counts, total=len(items))


@dataclass(frozen=True)
class VersionEntry:
    version: int
    created_at: Any
    author: str
    origin: str


@dataclass(frozen=True)
class LinkedItem:
    slug: str
    title: str


@dataclass(frozen=True)
class ItemView:
    slug: str
    version: int
    current_version: int
    content: ItemContent
    has_illustration: bool
    retired: bool
    history: list[VersionEntry]
    progressions: list[LinkedItem]
    regressions: list[LinkedItem]

    @property
    def is_current(self) -> bool:
        return self.version == self.current_version

    def form_data(self) -> dict[str, Any]:
        """The content in the shape the edit form and the item files share."""
        data = self.content.document()
        data.update(asdict(self.content.text))
        return data


def item_view(session: Session, slug: str, version: int | None = None) -> ItemView:
    from clinic.auth.models import User

    item = _item(session, slug)
    number = item.current_version if version is None else version
    row = session.execute(
        select(CatalogueItemVersion, CatalogueItemText)
        .join(CatalogueItemText, CatalogueItemText.version_id == CatalogueItemVersion.id)
        .where(
            CatalogueItemVersion.item_id == item.id,
            CatalogueItemVersion.version == number,
            CatalogueItemText.language == LANGUAGE,
        )
    ).first()
    if row is None:
        raise NotFoundError("This item has no such version.")
    version_row, text = row
    content = content_from_document(
        slug,
        version_row.kind.value,
        version_row.document,
        PatientText(
            title=text.title,
            summary=text.summary,
            steps=tuple(text.steps),
            safety_cues=tuple(text.safety_cues),
            illustration_alt=text.illustration_alt,
        ),
    )
    history = [
        VersionEntry(entry.version, entry.created_at, author or "catalogue files", entry.origin)
        for entry, author in session.execute(
            select(CatalogueItemVersion, User.display_name)
            .outerjoin(User, User.id == CatalogueItemVersion.created_by_id)
            .where(CatalogueItemVersion.item_id == item.id)
            .order_by(CatalogueItemVersion.version.desc())
        )
    ]
    titles = _titles(session, [*content.progressions, *content.regressions])
    return ItemView(
        slug=slug,
        version=number,
        current_version=item.current_version,
        content=content,
        has_illustration=version_row.illustration_svg is not None,
        retired=item.retired_at is not None,
        history=history,
        progressions=[LinkedItem(link, titles.get(link, link)) for link in content.progressions],
        regressions=[LinkedItem(link, titles.get(link, link)) for link in content.regressions],
    )


def _titles(session: Session, slugs: list[str]) -> dict[str, str]:
    if not slugs:
        return {}
    statement = _current_versions().where(CatalogueItem.slug.in_(slugs))
    return {item.slug: text.title for item, _, text in session.execute(statement)}


def item_choices(session: Session, exclude: str | None = None) -> list[LinkedItem]:
    """Every item that is not retired, by title: the choices for progressions."""
    statement = (
        _current_versions()
        .where(CatalogueItem.retired_at.is_(None))
        .order_by(CatalogueItemText.title)
    )
    return [
        LinkedItem(item.slug, text.title)
        for item, _, text in session.execute(statement)
        if item.slug != exclude
    ]


def illustration(session: Session, slug: str, version: int) -> str:
    svg = session.scalar(
        select(CatalogueItemVersion.illustration_svg)
        .join(CatalogueItem)
        .where(CatalogueItem.slug == slug, CatalogueItemVersion.version == version)
    )
    if svg is None:
        raise NotFoundError("This item has no illustration.")
    return svg
