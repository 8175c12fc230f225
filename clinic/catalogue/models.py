"""The treatment catalogue in the database.

An item is a stable identity (its slug); its content lives in numbered versions that are
never changed once written, so a plan can point at the exact version it was built with.
Patient-facing text is in ``catalogue_item_text``, one row per version and language, so a
translation is new rows, not new columns. Filterable words (regions, goals, equipment,
tags) are rows of ``catalogue_facet``, which both databases can filter and count.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clinic.catalogue.vocabulary import Kind
from clinic.db import Base, UTCDateTime, enum_column, utcnow

JSONDocument = JSON().with_variant(JSONB(), "postgresql")


class CatalogueItem(Base):
    __tablename__ = "catalogue_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    current_version: Mapped[int] = mapped_column(default=1)
    # Hash of the item file last loaded from the repository (None: made in the browser).
    file_hash: Mapped[str | None] = mapped_column(String(64))
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    retired_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    versions: Mapped[list[CatalogueItemVersion]] = relationship(
        back_populates="item", order_by="CatalogueItemVersion.version"
    )


class CatalogueItemVersion(Base):
    __tablename__ = "catalogue_item_version"
    __table_args__ = (UniqueConstraint("item_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("catalogue_item.id"))
    version: Mapped[int]
    kind: Mapped[Kind] = mapped_column(enum_column(Kind, "catalogue_kind"))
    # Everything but the patient-facing text: clinic.catalogue.content.ItemContent.document().
    document: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    illustration_svg: Mapped[str | None] = mapped_column(Text())
    # Lower-case title, summary, tags and steps: what a search matches.
    search_text: Mapped[str] = mapped_column(Text())
    # "file" (loaded from the repository) or "edit" (saved in the browser).
    origin: Mapped[str] = mapped_column(String(10))
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    item: Mapped[CatalogueItem] = relationship(back_populates="versions")
    texts: Mapped[list[CatalogueItemText]] = relationship(back_populates="version")


class CatalogueItemText(Base):
    __tablename__ = "catalogue_item_text"

    version_id: Mapped[int] = mapped_column(
        ForeignKey("catalogue_item_version.id"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(10), primary_key=True)
    title: Mapped[str] = mapped_column(String(80))
    summary: Mapped[str] = mapped_column(String(400))
    steps: Mapped[list[str]] = mapped_column(JSONDocument)
    safety_cues: Mapped[list[str]] = mapped_column(JSONDocument)
    illustration_alt: Mapped[str] = mapped_column(String(400), default="")

    version: Mapped[CatalogueItemVersion] = relationship(back_populates="texts")


class CatalogueFacet(Base):
    __tablename__ = "catalogue_facet"
    __table_args__ = (Index("ix_catalogue_facet_facet_value", "facet", "value"),)

    version_id: Mapped[int] = mapped_column(
        ForeignKey("catalogue_item_version.id"), primary_key=True
    )
    # "region", "goal", "equipment" or "tag".
    facet: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[str] = mapped_column(String(60), primary_key=True)
