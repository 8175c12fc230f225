"""Loading item files into the database: all or nothing, and idempotent."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clinic.audit.models import AuditEvent
from clinic.auth.identity import Actor
from clinic.auth.models import User
from clinic.catalogue import services
from clinic.catalogue.files import ITEMS_DIR, CatalogueFilesError, read_items
from clinic.catalogue.models import CatalogueItem, CatalogueItemVersion
from clinic.catalogue.services import item_view
from clinic.cli import SYSTEM_ACTOR, cli
from tests.conftest import Databases
from tests.helpers import count_rows, run_cli

SMALL_SET = ("knee-to-chest", "double-knee-to-chest", "ice-pack")


@pytest.fixture
def item_dir(tmp_path: Path) -> Path:
    """A folder holding a few shipped items (with their drawings) to spoil one by one."""
    folder = tmp_path / "items"
    folder.mkdir()
    for slug in SMALL_SET:
        for suffix in (".toml", ".svg"):
            source = ITEMS_DIR / f"{slug}{suffix}"
            if source.exists():
                shutil.copy(source, folder / source.name)
    return folder


def _counts(session: Session) -> tuple[int, int]:
    items = session.scalar(select(func.count()).select_from(CatalogueItem)) or 0
    versions = session.scalar(select(func.count()).select_from(CatalogueItemVersion)) or 0
    return items, versions


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_loading_twice_changes_nothing(db_session: Session, item_dir: Path) -> None:
    first = services.load_item_files(db_session, SYSTEM_ACTOR, read_items(item_dir))
    counts = _counts(db_session)
    audited = db_session.scalar(select(func.count()).select_from(AuditEvent))
    second = services.load_item_files(db_session, SYSTEM_ACTOR, read_items(item_dir))
    assert sorted(first.created) == sorted(SMALL_SET)
    assert sorted(second.unchanged) == sorted(SMALL_SET)
    assert second.created == second.updated == []
    assert _counts(db_session) == counts == (3, 3)
    assert db_session.scalar(select(func.count()).select_from(AuditEvent)) == audited


def test_a_changed_file_becomes_a_new_version_and_the_old_one_stays(
    db_session: Session, item_dir: Path
) -> None:
    services.load_item_files(db_session, SYSTEM_ACTOR, read_items(item_dir))
    _edit(item_dir / "ice-pack.toml", 'title = "Ice pack"', 'title = "Ice pack (cold pack)"')
    report = services.load_item_files(db_session, SYSTEM_ACTOR, read_items(item_dir))
    assert report.updated == ["ice-pack"]
    assert item_view(db_session, "ice-pack").content.text.title == "Ice pack (cold pack)"
    assert item_view(db_session, "ice-pack", 1).content.text.title == "Ice pack"


def test_a_file_change_never_overwrites_an_edit_made_in_the_clinic(
    db_session: Session, item_dir: Path, therapist: User
) -> None:
    services.load_item_files(db_session, SYSTEM_ACTOR, read_items(item_dir))
    view = item_view(db_session, "ice-pack")
    edited = view.content.__class__(**{**view.content.__dict__, "therapist_notes": "Our own note."})
    actor = Actor(therapist.id, therapist.username, therapist.role)
    assert services.edit_item(db_session, actor, "ice-pack", 1, edited, None) == 2
    _edit(item_dir / "ice-pack.toml", 'title = "Ice pack"', 'title = "Cold pack"')
    report = services.load_item_files(db_session, SYSTEM_ACTOR, read_items(item_dir))
    assert report.kept_local == ["ice-pack"]
    current = item_view(db_session, "ice-pack")
    assert current.version == 2 and current.content.therapist_notes == "Our own note."


@pytest.mark.parametrize(
    ("spoil", "path_name", "field", "message"),
    [
        (
            lambda d: _edit(d / "ice-pack.toml", 'kind = "modality"', 'kind = "modality'),
            "ice-pack.toml",
            "(file)",
            "not valid TOML",
        ),
        (
            lambda d: _edit(d / "ice-pack.toml", 'title = "Ice pack"', 'title = ""'),
            "ice-pack.toml",
            "title",
            "is required",
        ),
        (
            lambda d: _edit(d / "ice-pack.toml", "duration_minutes = 15", "duration_minutes = 500"),
            "ice-pack.toml",
            "dosage.duration_minutes",
            "from 1 to 120",
        ),
        (
            lambda d: _edit(
                d / "ice-pack.toml", 'code = "cold.raynauds"', 'code = "cold.penguins"'
            ),
            "ice-pack.toml",
            "codes[1].code",
            "not in the safety code list",
        ),
        (
            lambda d: _edit(d / "ice-pack.toml", 'slug = "ice-pack"', 'slug = "ice"'),
            "ice-pack.toml",
            "slug",
            "must match the file name",
        ),
        (
            lambda d: _edit(
                d / "knee-to-chest.toml",
                'progressions = ["double-knee-to-chest"]',
                'progressions = ["no-such-item"]',
            ),
            "knee-to-chest.toml",
            "progressions",
            "not an item of the catalogue",
        ),
        (
            lambda d: (d / "knee-to-chest.svg").unlink(),
            "knee-to-chest.toml",
            "illustration",
            "needs an illustration",
        ),
        (
            lambda d: _edit(d / "knee-to-chest.svg", "<title>", "<script>alert(1)</script><title>"),
            "knee-to-chest.svg",
            "illustration",
            "<script>",
        ),
        (
            lambda d: _edit(d / "knee-to-chest.svg", "</svg>", '<circle r="3"/></svg>'),
            "knee-to-chest.svg",
            "illustration",
            "not the drawing of the pose",
        ),
        (
            lambda d: _edit(d / "knee-to-chest.toml", "trunk = 180", 'trunk = "flat"'),
            "knee-to-chest.toml",
            "illustration.pose.start.trunk",
            "must be a number",
        ),
        (
            lambda d: (d / "stray.svg").write_text("<svg/>"),
            "stray.svg",
            "(file)",
            "no item file beside it",
        ),
    ],
)
def test_each_kind_of_bad_file_is_named_with_its_field_and_nothing_loads(
    db_session: Session, item_dir: Path, spoil: object, path_name: str, field: str, message: str
) -> None:
    spoil(item_dir)  # type: ignore[operator]
    with pytest.raises(CatalogueFilesError) as raised:
        read_items(item_dir)
    problems = [(p.path.name, p.field, p.message) for p in raised.value.problems]
    assert any(
        name == path_name and got == field and message in text for name, got, text in problems
    ), problems
    assert _counts(db_session) == (0, 0)


@pytest.fixture(scope="module")
def cli_database(databases: Databases) -> str:
    return databases.create("clinic_catalogue_cli")


def test_the_command_refuses_a_folder_with_one_bad_file_and_loads_none_of_it(
    cli_database: str, tmp_path: Path, item_dir: Path
) -> None:
    assert run_cli(cli_database, tmp_path, "db", "upgrade").exit_code == 0
    _edit(item_dir / "ice-pack.toml", "duration_minutes = 15", "duration_minutes = 0")
    refused = run_cli(cli_database, tmp_path, "catalogue", "load", "--path", str(item_dir))
    assert refused.exit_code == 1
    assert (
        f"{item_dir / 'ice-pack.toml'}: dosage.duration_minutes: must be a whole number"
        in refused.output
    )
    assert "nothing was loaded" in refused.output
    assert count_rows(cli_database, CatalogueItem) == 0


def test_the_command_loads_the_shipped_catalogue_once(cli_database: str, tmp_path: Path) -> None:
    assert run_cli(cli_database, tmp_path, "db", "upgrade").exit_code == 0
    first = run_cli(cli_database, tmp_path, "catalogue", "load")
    second = run_cli(cli_database, tmp_path, "catalogue", "load")
    shipped = len(list(ITEMS_DIR.glob("*.toml")))
    assert first.exit_code == second.exit_code == 0
    assert f"{shipped} item(s) added" in first.output
    assert f"0 item(s) added, 0 updated, {shipped} unchanged" in second.output
    assert count_rows(cli_database, CatalogueItem) == shipped


def test_check_and_draw_leave_the_shipped_files_as_they_are(tmp_path: Path) -> None:
    # Drawn on a copy: a test never writes into the source tree.
    copy = tmp_path / "items"
    shutil.copytree(ITEMS_DIR, copy)
    checked = CliRunner().invoke(cli, ["catalogue", "check"], catch_exceptions=False)
    drawn = CliRunner().invoke(
        cli, ["catalogue", "draw", "--path", str(copy)], catch_exceptions=False
    )
    assert checked.exit_code == 0 and "item file(s) are valid" in checked.output
    assert drawn.exit_code == 0 and "0 drawing(s) changed" in drawn.output
    for svg in ITEMS_DIR.glob("*.svg"):
        assert (copy / svg.name).read_bytes() == svg.read_bytes(), svg.name
