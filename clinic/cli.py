"""The `clinic` command: database migrations, accounts, demo data and the dev server.

Quick to start (``clinic --help``, ``clinic screen``): this module imports click and the
light modules only; Flask, SQLAlchemy, Alembic and WeasyPrint are imported by the
commands that use them, and the app is built only for a command that needs it
(``with_app``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from clinic.auth.identity import COMMAND_LINE_ACTOR_NAME, Actor
from clinic.auth.roles import Role
from clinic.clinical_cli import score_command, screen_command
from clinic.handouts.content import PAPER_SIZES
from clinic.operations_cli import audit as operations_audit
from clinic.operations_cli import backup_command, fhir, patient, restore_command, with_app

if TYPE_CHECKING:
    from alembic.config import Config

SYSTEM_ACTOR = Actor(user_id=None, username=COMMAND_LINE_ACTOR_NAME, role=None)


@click.group(name="clinic", help="Physiotherapy clinic practice system.")
def cli() -> None:
    pass


cli.add_command(operations_audit)
cli.add_command(backup_command)
cli.add_command(restore_command)
cli.add_command(patient)
cli.add_command(fhir)


@cli.group()
def db() -> None:
    """Database schema migrations (Alembic)."""


def _alembic() -> Config:
    from clinic import migrate
    from clinic.request_context import this_app

    return migrate.alembic_config(url=this_app().config["DATABASE_URL"])


@db.command()
@click.argument("revision", default="head")
@with_app
def upgrade(revision: str) -> None:
    """Upgrade the database to REVISION (default: the latest)."""
    from clinic import migrate

    migrate.upgrade(_alembic(), revision)


@db.command()
@click.argument("revision")
@with_app
def downgrade(revision: str) -> None:
    """Downgrade the database to REVISION ('-1' for one step, 'base' for empty)."""
    from clinic import migrate

    migrate.downgrade(_alembic(), revision)


@db.command()
@with_app
def current() -> None:
    """Show the database's current revision."""
    from clinic import migrate

    migrate.current(_alembic())


@cli.command("create-user")
@click.option("--username", prompt=True, help="Sign-in name, lower case.")
@click.option("--name", "display_name", prompt="Full name", help="Full name shown to colleagues.")
@click.option(
    "--role",
    type=click.Choice([role.value for role in Role]),
    prompt=True,
    help="front_desk, therapist or admin.",
)
@click.password_option(help="At least 12 characters; prompted for when not given.")
@with_app
def create_user(username: str, display_name: str, role: str, password: str) -> None:
    """Create a staff account."""
    from clinic.auth.services import create_user as create
    from clinic.db import command_session
    from clinic.errors import FieldError

    with command_session() as session:
        try:
            created = create(session, SYSTEM_ACTOR, username, display_name, Role(role), password)
        except FieldError as error:
            raise click.BadParameter(error.message, param_hint=f"--{error.field}") from None
        session.commit()
    click.echo(f"Created {created.role.label.lower()} account {created.username!r}.")


@cli.command()
@with_app
def demo() -> None:
    """Load demo accounts and patients (development only; safe to run again)."""
    from clinic.db import command_session
    from clinic.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo_data
    from clinic.request_context import this_app

    if this_app().config["ENV_NAME"] == "production":
        raise click.ClickException(
            "Demo data has well-known passwords: it is refused in production."
        )
    with command_session() as session:
        summary = load_demo_data(session)
        session.commit()
    click.echo(summary)
    click.echo("Demo sign-ins (development only):")
    for account in DEMO_ACCOUNTS:
        click.echo(
            f"  {account.role.label:<14} username: {account.username:<10} password: {DEMO_PASSWORD}"
        )


@cli.group()
def catalogue() -> None:
    """The treatment catalogue's item files."""


def _read_item_files(directory: str | None, known: set[str]) -> list[Any]:
    from pathlib import Path

    from clinic.catalogue.files import ITEMS_DIR, CatalogueFilesError, read_items

    try:
        return read_items(Path(directory) if directory else ITEMS_DIR, known)
    except CatalogueFilesError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(
            f"{len(error.problems)} problem(s) in the item files; nothing was loaded."
        ) from None


@catalogue.command("load")
@click.option("--path", "directory", help="Folder of item files (default: the shipped ones).")
@with_app
def catalogue_load(directory: str | None) -> None:
    """Check every item file, then load new and changed items (all or nothing), and the
    shipped plan templates the clinic does not have yet."""
    from clinic.catalogue.services import known_slugs, load_item_files
    from clinic.db import command_session
    from clinic.plans.templates import load_default_templates

    with command_session() as session:
        files = _read_item_files(directory, known_slugs(session))
        report = load_item_files(session, SYSTEM_ACTOR, files)
        templates = load_default_templates(session, SYSTEM_ACTOR) if directory is None else 0
        session.commit()
    click.echo(
        f"Catalogue: {len(report.created)} item(s) added, {len(report.updated)} updated, "
        f"{len(report.unchanged)} unchanged; {templates} plan template(s) added."
    )
    if report.kept_local:
        click.echo(
            "Edited in the clinic, so the file's changes were not applied: "
            + ", ".join(report.kept_local)
        )


@catalogue.command("check")
@click.option("--path", "directory", help="Folder of item files (default: the shipped ones).")
def catalogue_check(directory: str | None) -> None:
    """Check every item file without touching the database."""
    files = _read_item_files(directory, set())
    click.echo(f"{len(files)} item file(s) are valid.")


@catalogue.command("draw")
@click.option("--path", "directory", help="Folder of item files (default: the shipped ones).")
def catalogue_draw(directory: str | None) -> None:
    """Draw the SVG of every item file that has a pose description."""
    from pathlib import Path

    from clinic.catalogue.files import ITEMS_DIR, draw_items

    changed = draw_items(Path(directory) if directory else ITEMS_DIR)
    for path in changed:
        click.echo(f"drew {path}")
    click.echo(f"{len(changed)} drawing(s) changed.")


@cli.command()
@click.argument("plan_id")
@click.option("-o", "--output", "output", required=True, help="Where to write the PDF.")
@click.option(
    "--large-print/--standard-print",
    default=None,
    help="Body text of 16 point and up, or not. Default: as the patient prefers.",
)
@click.option("--paper", type=click.Choice(PAPER_SIZES), help="Default: CLINIC_PAPER.")
@with_app
def handout(plan_id: str, output: str, large_print: bool | None, paper: str | None) -> None:
    """Write the handout of a plan's latest finalised version to a PDF file."""
    from pathlib import Path

    from clinic.db import command_session
    from clinic.errors import DomainError
    from clinic.handouts.content import HandoutOptions
    from clinic.handouts.printing import print_handout
    from clinic.request_context import this_app

    app = this_app()
    options = HandoutOptions(paper=paper or app.config["HANDOUT_PAPER"], large_print=large_print)
    with command_session() as session:
        try:
            pdf = print_handout(app, session, SYSTEM_ACTOR, plan_id, options, session.commit).pdf
            session.commit()
        except DomainError as error:
            raise click.ClickException(str(error)) from None
    Path(output).write_bytes(pdf)
    click.echo(f"Wrote {output} ({len(pdf) // 1024} KB).")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@with_app
def serve(host: str, port: int) -> None:
    """Serve the app with the development server (use gunicorn in production)."""
    from werkzeug.serving import run_simple

    from clinic.handouts.printing import prepare_to_serve
    from clinic.request_context import this_app

    click.echo(f"Serving the clinic app on http://{host}:{port}/  (Ctrl+C to stop)")
    app = this_app()
    prepare_to_serve(app)
    run_simple(host, port, app, threaded=True)


cli.add_command(screen_command)
cli.add_command(score_command)


def main() -> None:
    cli.main()
