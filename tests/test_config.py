"""Configuration: safe development defaults, explicit production settings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clinic.config import ConfigurationError, load_config
from clinic.measures.rmdq import ITEMS as RMDQ_ITEMS


def test_development_defaults_to_sqlite_in_the_instance_folder(tmp_path: Path) -> None:
    config = load_config(environ={"CLINIC_INSTANCE_PATH": str(tmp_path)})
    assert config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'clinic.db'}"


def test_development_secret_key_is_generated_once_and_kept(tmp_path: Path) -> None:
    environ = {"CLINIC_INSTANCE_PATH": str(tmp_path)}
    first = load_config(environ=environ)["SECRET_KEY"]
    second = load_config(environ=environ)["SECRET_KEY"]
    assert len(first) >= 64
    assert first == second
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_production_without_a_secret_key_refuses_to_start_and_names_it(tmp_path: Path) -> None:
    environ = {
        "CLINIC_ENV": "production",
        "CLINIC_DATABASE_URL": "postgresql+psycopg://clinic@db/clinic",
        "CLINIC_INSTANCE_PATH": str(tmp_path),
    }
    with pytest.raises(ConfigurationError, match="CLINIC_SECRET_KEY"):
        load_config(environ=environ)


def test_production_without_a_database_url_refuses_to_start_and_names_it(tmp_path: Path) -> None:
    environ = {
        "CLINIC_ENV": "production",
        "CLINIC_SECRET_KEY": "s" * 64,
        "CLINIC_INSTANCE_PATH": str(tmp_path),
    }
    with pytest.raises(ConfigurationError, match="CLINIC_DATABASE_URL"):
        load_config(environ=environ)


def test_production_with_both_settings_uses_secure_cookies(tmp_path: Path) -> None:
    config = load_config(
        environ={
            "CLINIC_ENV": "production",
            "CLINIC_SECRET_KEY": "s" * 64,
            "CLINIC_DATABASE_URL": "postgresql+psycopg://clinic@db/clinic",
            "CLINIC_INSTANCE_PATH": str(tmp_path),
        }
    )
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert not (tmp_path / "secret_key").exists()


def test_idle_timeout_is_thirty_minutes_unless_configured(tmp_path: Path) -> None:
    default = load_config(environ={"CLINIC_INSTANCE_PATH": str(tmp_path)})
    configured = load_config(
        environ={"CLINIC_INSTANCE_PATH": str(tmp_path), "CLINIC_IDLE_TIMEOUT_MINUTES": "10"}
    )
    assert default["IDLE_TIMEOUT"].total_seconds() == 30 * 60
    assert configured["IDLE_TIMEOUT"].total_seconds() == 10 * 60
    assert configured["PERMANENT_SESSION_LIFETIME"] == configured["IDLE_TIMEOUT"]


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("CLINIC_IDLE_TIMEOUT_MINUTES", "soon", "whole number"),
        ("CLINIC_LOGIN_MAX_ATTEMPTS", "0", "at least 1"),
        ("CLINIC_ENV", "staging", "development"),
        ("CLINIC_TIMEZONE", "Mars/Olympus", "time zone"),
        ("CLINIC_ALERT_POLL_SECONDS", "6", "at most 4: staff are promised a new emergency"),
        ("CLINIC_ALERT_ESCALATE_MINUTES", "0", "at least 1"),
    ],
)
def test_a_malformed_setting_is_refused_with_its_name(
    tmp_path: Path, name: str, value: str, message: str
) -> None:
    with pytest.raises(ConfigurationError, match=message):
        load_config(environ={"CLINIC_INSTANCE_PATH": str(tmp_path), name: value})


def test_alerts_escalate_after_five_minutes_and_poll_every_three_seconds_by_default(
    tmp_path: Path,
) -> None:
    default = load_config(environ={"CLINIC_INSTANCE_PATH": str(tmp_path)})
    assert default["ALERT_ESCALATE_AFTER"].total_seconds() == 5 * 60
    assert default["ALERT_POLL_SECONDS"] == 3
    configured = load_config(
        environ={
            "CLINIC_INSTANCE_PATH": str(tmp_path),
            "CLINIC_ALERT_ESCALATE_MINUTES": "2",
            "CLINIC_ALERT_POLL_SECONDS": "4",
        }
    )
    assert configured["ALERT_ESCALATE_AFTER"].total_seconds() == 2 * 60
    assert configured["ALERT_POLL_SECONDS"] == 4


def test_the_clinic_screening_policy_file_is_loaded_and_checked(tmp_path: Path) -> None:
    good = tmp_path / "policy.json"
    good.write_text('{"age_flag_upper_years": 65}')
    bad = tmp_path / "bad.json"
    bad.write_text('{"age_flag_upper": 65}')
    config = load_config(
        environ={"CLINIC_INSTANCE_PATH": str(tmp_path), "CLINIC_SCREENING_POLICY": str(good)}
    )
    assert config["SCREENING_POLICY"].age_flag_upper_years == 65
    with pytest.raises(
        ConfigurationError, match="CLINIC_SCREENING_POLICY: unknown screening policy setting"
    ):
        load_config(
            environ={"CLINIC_INSTANCE_PATH": str(tmp_path), "CLINIC_SCREENING_POLICY": str(bad)}
        )
    with pytest.raises(ConfigurationError, match="CLINIC_SCREENING_POLICY: cannot read"):
        load_config(
            environ={
                "CLINIC_INSTANCE_PATH": str(tmp_path),
                "CLINIC_SCREENING_POLICY": str(tmp_path / "no.json"),
            }
        )


def test_licensed_measure_wording_is_loaded_from_the_clinics_folder(tmp_path: Path) -> None:
    from clinic.measures.ndi import SECTIONS

    (tmp_path / "ndi.json").write_text(
        json.dumps(
            {
                section: {
                    "title": section.title(),
                    "statements": [f"statement {n}" for n in range(6)],
                }
                for section in SECTIONS
            }
        )
    )
    config = load_config(
        environ={"CLINIC_INSTANCE_PATH": str(tmp_path), "CLINIC_MEASURE_WORDING_DIR": str(tmp_path)}
    )
    assert [section.id for section in config["MEASURE_WORDING"]["ndi"]] == list(SECTIONS)
    assert "odi" not in config["MEASURE_WORDING"]
    (tmp_path / "odi.json").write_text("{}")
    with pytest.raises(ConfigurationError, match="CLINIC_MEASURE_WORDING_DIR"):
        load_config(
            environ={
                "CLINIC_INSTANCE_PATH": str(tmp_path),
                "CLINIC_MEASURE_WORDING_DIR": str(tmp_path),
            }
        )


def test_kiosk_and_emergency_settings_have_defaults(tmp_path: Path) -> None:
    config = load_config(environ={"CLINIC_INSTANCE_PATH": str(tmp_path)})
    assert config["KIOSK_CODE_VALID_FOR"].total_seconds() == 2 * 3600
    assert config["KIOSK_IDLE_SECONDS"] == 300
    assert config["EMERGENCY_NUMBER"] == "999"
    custom = load_config(
        environ={
            "CLINIC_INSTANCE_PATH": str(tmp_path),
            "CLINIC_EMERGENCY_NUMBER": "112",
            "CLINIC_KIOSK_CODE_HOURS": "1",
        }
    )
    assert custom["EMERGENCY_NUMBER"] == "112"
    assert custom["KIOSK_CODE_VALID_FOR"].total_seconds() == 3600


@pytest.mark.parametrize(
    ("country", "number", "paper"),
    [("", "999", "a4"), ("US", "911", "letter"), ("au", "000", "a4"), ("FR", "112", "a4")],
)
def test_the_country_sets_the_emergency_number_and_paper(
    tmp_path: Path, country: str, number: str, paper: str
) -> None:
    config = load_config(environ={"CLINIC_INSTANCE_PATH": str(tmp_path), "CLINIC_COUNTRY": country})
    assert (config["EMERGENCY_NUMBER"], config["HANDOUT_PAPER"]) == (number, paper)


def test_settings_win_over_the_countrys_defaults(tmp_path: Path) -> None:
    environ = {"CLINIC_INSTANCE_PATH": str(tmp_path), "CLINIC_COUNTRY": "US"}
    config = load_config(
        environ={**environ, "CLINIC_PAPER": "A4", "CLINIC_EMERGENCY_NUMBER": "112"}
    )
    assert (config["EMERGENCY_NUMBER"], config["HANDOUT_PAPER"]) == ("112", "a4")


def test_a_country_without_defaults_must_set_the_number_and_paper(tmp_path: Path) -> None:
    environ = {"CLINIC_INSTANCE_PATH": str(tmp_path), "CLINIC_COUNTRY": "JP"}
    with pytest.raises(ConfigurationError, match="CLINIC_EMERGENCY_NUMBER and CLINIC_PAPER"):
        load_config(environ={**environ, "CLINIC_EMERGENCY_NUMBER": "119"})
    config = load_config(
        environ={**environ, "CLINIC_EMERGENCY_NUMBER": "119", "CLINIC_PAPER": "a4"}
    )
    assert (config["EMERGENCY_NUMBER"], config["HANDOUT_PAPER"]) == ("119", "a4")


def test_a_paper_size_that_is_not_offered_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="CLINIC_PAPER must be one of a4, letter"):
        load_config(environ={"CLINIC_INSTANCE_PATH": str(tmp_path), "CLINIC_PAPER": "A5"})


def test_behind_a_trusted_proxy_the_forwarded_scheme_and_address_are_used(tmp_path: Path) -> None:
    from flask import request

    from clinic import create_app
    from clinic.access import public

    def echo() -> str:
        return f"{request.scheme} {request.remote_addr}"

    outcomes = []
    for count in (0, 1):
        app = create_app(
            {
                "DATABASE_URL": f"sqlite:///{tmp_path}/proxy.db",
                "SECRET_KEY": "k" * 32,
                "INSTANCE_PATH": str(tmp_path),
                "PROXY_COUNT": count,
            }
        )
        app.add_url_rule("/echo", "echo", public(echo))
        response = app.test_client().get(
            "/echo", headers={"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
        )
        outcomes.append(response.get_data(as_text=True))
        app.extensions["clinic.db"].engine.dispose()
    assert outcomes == ["http 127.0.0.1", "https 203.0.113.7"]


def test_the_outcome_measures_default_to_startback_odi_rmdq_ndi_and_psfs(tmp_path: Path) -> None:
    config = load_config(environ={"CLINIC_INSTANCE_PATH": str(tmp_path)})
    assert config["OUTCOME_MEASURES"] == ("startback", "odi", "rmdq", "ndi", "psfs")


def test_a_clinic_chooses_its_outcome_measures(tmp_path: Path) -> None:
    environ = {"CLINIC_INSTANCE_PATH": str(tmp_path), "CLINIC_OUTCOME_MEASURES": "ndi, lefs"}
    assert load_config(environ=environ)["OUTCOME_MEASURES"] == ("ndi", "lefs")


def test_an_unknown_outcome_measure_stops_the_app_naming_it(tmp_path: Path) -> None:
    environ = {"CLINIC_INSTANCE_PATH": str(tmp_path), "CLINIC_OUTCOME_MEASURES": "odi,dash"}
    with pytest.raises(ConfigurationError, match="unknown measure 'dash'"):
        load_config(environ=environ)


def test_licensed_rmdq_wording_is_one_statement_per_item(tmp_path: Path) -> None:
    (tmp_path / "rmdq.json").write_text(
        json.dumps({item: {"title": f"Statement {item}"} for item in RMDQ_ITEMS})
    )
    environ = {"CLINIC_INSTANCE_PATH": str(tmp_path), "CLINIC_MEASURE_WORDING_DIR": str(tmp_path)}
    sections = load_config(environ=environ)["MEASURE_WORDING"]["rmdq"]
    assert [section.statements for section in sections] == [()] * 24


def test_production_pages_tell_browsers_to_use_https_only(tmp_path: Path) -> None:
    from clinic import create_app

    settings = {
        "DATABASE_URL": f"sqlite:///{tmp_path}/hsts.db",
        "SECRET_KEY": "k" * 32,
        "INSTANCE_PATH": str(tmp_path),
    }
    production = create_app({**settings, "ENV_NAME": "production"}).test_client()
    development = create_app(settings).test_client()
    assert production.get("/login").headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains"
    )
    assert "Strict-Transport-Security" not in development.get("/login").headers
