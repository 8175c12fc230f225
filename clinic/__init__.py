"""The physiotherapy clinic practice system."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from clinic.config import PROJECT_ROOT, load_config

if TYPE_CHECKING:
    # Imported where the app is built, not here: the package's clinical core
    # (clinic.screening, clinic.measures) must load without Flask.
    from flask import Flask


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: settings from CLINIC_* variables and ``config``, then each part."""
    from flask import Flask

    settings = load_config(config)
    app = Flask(
        __name__,
        instance_path=settings["INSTANCE_PATH"],
        template_folder=str(PROJECT_ROOT / "templates"),
    )
    app.config.update(settings)
    from clinic.db import utcnow

    # The time the alerts are judged by (escalation): the tests move it instead of sleeping.
    app.config.setdefault("CLOCK", utcnow)

    register_proxy(app)
    register_extensions(app)
    register_blueprints(app)
    register_template_helpers(app)
    return app


def register_proxy(app: Flask) -> None:
    """Behind N trusted reverse proxies, take the client address and scheme from their
    X-Forwarded-* headers (never trust them without a proxy: they are client-set)."""
    count = app.config["PROXY_COUNT"]
    if count:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=count, x_proto=count, x_host=count
        )


def register_extensions(app: Flask) -> None:
    from flask_wtf.csrf import CSRFProtect

    from clinic import access, db, edge, errors, request_context
    from clinic.auth import session

    request_context.init_app(app)
    edge.init_app(app)  # before CSRF and sessions read the request
    db.init_app(app)
    CSRFProtect(app)
    # Order matters: the idle timeout may sign the user out before access is decided.
    session.init_app(app)
    access.init_app(app)
    errors.init_app(app)


def register_blueprints(app: Flask) -> None:
    from clinic.audit.views import audit
    from clinic.auth.views import auth, users
    from clinic.catalogue.views import catalogue
    from clinic.fhir import views as fhir_views
    from clinic.fhir.token_views import api_tokens
    from clinic.handouts.views import handouts
    from clinic.home import home
    from clinic.intake.kiosk import kiosk
    from clinic.intake.views import intake
    from clinic.patients.rights_views import patient_rights
    from clinic.patients.views import patients
    from clinic.plans.views import plans

    for blueprint in (
        home,
        auth,
        users,
        api_tokens,
        patients,
        intake,
        kiosk,
        catalogue,
        plans,
        handouts,
        audit,
        patient_rights,
    ):
        app.register_blueprint(blueprint)
    fhir_views.init_app(app)


def register_template_helpers(app: Flask) -> None:
    from clinic.auth.roles import Role
    from clinic.catalogue.context import catalogue_filters
    from clinic.intake.context import condition_label, count_emergencies_first, emergency_count
    from clinic.intake.steps import answer_label
    from clinic.templating import (
        date_formatter,
        datetime_formatter,
        format_date,
        minutes,
        without_internal_references,
    )

    app.jinja_env.globals.update(Role=Role, clinic_name=app.config["CLINIC_NAME"])
    app.before_request(count_emergencies_first)
    app.context_processor(emergency_count)
    app.jinja_env.globals.update(condition_label=condition_label, answer_label=answer_label)
    app.jinja_env.filters.update(condition_label=condition_label)
    app.jinja_env.filters.update(catalogue_filters())
    app.jinja_env.filters.update(
        date=format_date,
        datetime=datetime_formatter(app.config["TIMEZONE"]),
        date_of=date_formatter(app.config["TIMEZONE"]),
        minutes=minutes,
        citation=without_internal_references,
    )
