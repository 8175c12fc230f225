"""Reading the catalogue's item files: one TOML file per item, plus its SVG.

Plain Python (file reading only). Every file is read and checked before anything is
loaded, and every problem is reported with its path and field, so a bad file never
half-loads the catalogue.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from clinic.catalogue.content import (
    ContentError,
    ItemContent,
    Problem,
    check_links,
    fingerprint,
    parse_item,
)
from clinic.catalogue.figures import FigureError, read_figure, render
from clinic.catalogue.svg import SvgError, sanitise, title_of

ITEMS_DIR = Path(__file__).parent / "items"


@dataclass(frozen=True)
class ItemFile:
    path: Path
    content: ItemContent
    illustration: str | None
    # Hash of the file and its drawing: the loader compares it with what it loaded last.
    source_hash: str


@dataclass(frozen=True)
class FileProblem:
    path: Path
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.field}: {self.message}"


class CatalogueFilesError(ValueError):
    def __init__(self, problems: list[FileProblem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


def drawing_from_pose(path: Path) -> str | None:
    """The SVG the item file's pose description draws, or None if it has no pose."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    illustration = data.get("illustration", {})
    if "pose" not in illustration:
        return None
    return render(read_figure(illustration["pose"]), str(illustration.get("alt", "")))


def read_item(path: Path) -> ItemFile:
    """One item file and its drawing, checked; :class:`CatalogueFilesError` if not."""
    problems: list[FileProblem] = []
    raw = path.read_bytes()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        problem = FileProblem(path, "(file)", f"is not valid TOML: {error}")
        raise CatalogueFilesError([problem]) from None
    svg_path = path.with_suffix(".svg")
    illustration = data.get("illustration")
    pose = illustration.pop("pose", None) if isinstance(illustration, dict) else None
    svg: str | None = None
    svg_bytes = b""
    if svg_path.exists():
        svg_bytes = svg_path.read_bytes()
        try:
            svg = sanitise(svg_bytes)
        except SvgError as error:
            problems.append(FileProblem(svg_path, "illustration", str(error)))
        else:
            alt = illustration.get("alt", "") if isinstance(illustration, dict) else ""
            if title_of(svg) != " ".join(str(alt).split()):
                problems.append(
                    FileProblem(
                        svg_path, "illustration.alt", "the SVG's <title> must be the alt text"
                    )
                )
    if pose is not None:
        try:
            read_figure(pose)
        except FigureError as error:
            problems.append(FileProblem(path, error.field, error.message))
        else:
            if drawing_from_pose(path) != svg_bytes.decode("utf-8", "replace"):
                problems.append(
                    FileProblem(
                        svg_path,
                        "illustration",
                        "is not the drawing of the pose; run 'clinic catalogue draw'",
                    )
                )
    try:
        content = parse_item(data, has_illustration=svg_path.exists())
    except ContentError as error:
        problems.extend(
            FileProblem(path, problem.field, problem.message) for problem in error.problems
        )
    else:
        if content.slug != path.stem:
            problems.append(FileProblem(path, "slug", f"must match the file name '{path.stem}'"))
    if problems:
        raise CatalogueFilesError(problems)
    return ItemFile(path, content, svg, fingerprint(raw, svg_bytes))


def read_items(directory: Path = ITEMS_DIR, known: set[str] | None = None) -> list[ItemFile]:
    """Every item file in ``directory``, all checked, with links between items resolved
    against the files themselves and ``known`` (items already in the database)."""
    problems: list[FileProblem] = []
    items: dict[str, ItemFile] = {}
    paths = sorted(directory.glob("*.toml"))
    if not paths:
        raise CatalogueFilesError([FileProblem(directory, "(folder)", "has no item files")])
    for path in paths:
        try:
            item = read_item(path)
        except CatalogueFilesError as error:
            problems.extend(error.problems)
            continue
        items[item.content.slug] = item
    orphans = sorted(
        svg for svg in directory.glob("*.svg") if not svg.with_suffix(".toml").exists()
    )
    problems.extend(FileProblem(svg, "(file)", "has no item file beside it") for svg in orphans)
    # A file that failed its own checks still names an item: links to it are not the problem.
    named = {path.stem for path in paths} | (known or set())
    link_problems = check_links({slug: item.content for slug, item in items.items()}, named)
    for slug, found in link_problems.items():
        problems.extend(_located(items[slug].path, found))
    if problems:
        raise CatalogueFilesError(problems)
    return list(items.values())


def _located(path: Path, problems: list[Problem]) -> list[FileProblem]:
    return [FileProblem(path, problem.field, problem.message) for problem in problems]


def draw_items(directory: Path = ITEMS_DIR) -> list[Path]:
    """Write the SVG of every item file that has a pose; return the files that changed."""
    changed = []
    for path in sorted(directory.glob("*.toml")):
        svg = drawing_from_pose(path)
        target = path.with_suffix(".svg")
        if svg is not None and (not target.exists() or target.read_text(encoding="utf-8") != svg):
            target.write_text(svg, encoding="utf-8")
            changed.append(target)
    return changed
