"""Configuration: safe embedded defaults for development, explicit settings for production.

Every setting can come from a ``CLINIC_*`` environment variable. ``create_app(config)``
takes a mapping of overrides on top (the tests use it). Nothing here runs at import time.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from clinic.auth.throttling import Backoff
from clinic.handouts.content import PAPER_SIZES
from clinic.measures import MeasureError
from clinic.measures.registry import INSTRUMENTS, LICENSED
from clinic.measures.wording import Section, load_licensed_wording
from clinic.screening.policy import PolicyError, ScreeningPolicy, load_policy
from clinic.screening.rules import RULE_IDS

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INSTANCE_PATH = PROJECT_ROOT / "instance"


class ConfigurationError(RuntimeError):
    """The app cannot start with the configuration it was given."""


def _int_setting(
    environ: Mapping[str, str],
    name: str,
    default: int,
    minimum: int = 1,
    maximum: int | None = None,
    why_maximum: str = "",
) -> int:
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigurationError(f"{name} must be a whole number, not {raw!r}.") from None
    if value < minimum:
        raise ConfigurationError(f"{name} must be at least {minimum}.")
    if maximum is not None and value > maximum:
        raise ConfigurationError(f"{name} must be at most {maximum}{why_maximum}.")
    return value


def _timezone_setting(environ: Mapping[str, str]) -> ZoneInfo:
    name = environ.get("CLINIC_TIMEZONE", "Europe/London").strip()
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigurationError(
            f"CLINIC_TIMEZONE must be a time zone name such as Europe/London, not {name!r}."
        ) from None


def _screening_policy(environ: Mapping[str, str]) -> ScreeningPolicy:
    path = environ.get("CLINIC_SCREENING_POLICY", "").strip()
    if not path:
        return ScreeningPolicy()
    try:
        text = Path(path).read_text(encoding="utf-8")
        return load_policy(text, RULE_IDS)
    except OSError as error:
        raise ConfigurationError(
            f"CLINIC_SCREENING_POLICY: cannot read {path}: {error.strerror}"
        ) from None
    except PolicyError as error:
        raise ConfigurationError(f"CLINIC_SCREENING_POLICY: {error}") from None


def _measure_wording(environ: Mapping[str, str]) -> dict[str, tuple[Section, ...]]:
    """Licensed wording from CLINIC_MEASURE_WORDING_DIR (odi.json, ndi.json, rmdq.json...)."""
    folder = environ.get("CLINIC_MEASURE_WORDING_DIR", "").strip()
    if not folder:
        return {}
    wording = {}
    for instrument in LICENSED:
        path = Path(folder) / f"{instrument}.json"
        if not path.exists():
            continue
        try:
            wording[instrument] = load_licensed_wording(
                path.read_text(encoding="utf-8"), instrument
            )
        except MeasureError as error:
            raise ConfigurationError(f"CLINIC_MEASURE_WORDING_DIR: {path}: {error}") from None
    return wording


DEFAULT_OUTCOME_MEASURES = ("startback", "odi", "rmdq", "ndi", "psfs")


def _outcome_measures(environ: Mapping[str, str]) -> tuple[str, ...]:
    """The questionnaires the intake offers (NPRS is always asked on the complaint step)."""
    text = environ.get("CLINIC_OUTCOME_MEASURES", "").strip()
    if not text:
        return DEFAULT_OUTCOME_MEASURES
    chosen = tuple(dict.fromkeys(name.strip() for name in text.split(",") if name.strip()))
    offered = [name for name in INSTRUMENTS if name != "nprs"]
    unknown = [name for name in chosen if name not in offered]
    if unknown:
        raise ConfigurationError(
            f"CLINIC_OUTCOME_MEASURES: unknown measure {unknown[0]!r} (known: {', '.join(offered)})"
        )
    return chosen


def _throttle_settings(environ: Mapping[str, str]) -> dict[str, Backoff]:
    """Waits after failed sign-ins and wrong tablet codes (see clinic.auth.throttling)."""
    free = _int_setting(environ, "CLINIC_LOGIN_MAX_ATTEMPTS", 5)
    longest = timedelta(minutes=_int_setting(environ, "CLINIC_LOGIN_LOCKOUT_MINUTES", 15))
    return {
        # One address trying one username: waits double from 2 s up to the longest.
        "SIGN_IN_BACKOFF": Backoff(free, timedelta(seconds=2), longest, forget_after=longest),
        # One username from every address: a spread-out attack is slowed, but the real
        # user, wherever they are, waits a minute at most.
        "ACCOUNT_BACKOFF": Backoff(
            free * 2, timedelta(seconds=1), timedelta(minutes=1), forget_after=longest
        ),
        # One tablet (address) entering codes: patients mistype, so more are free.
        "KIOSK_CODE_BACKOFF": Backoff(
            free * 2, timedelta(seconds=2), timedelta(minutes=5), forget_after=longest
        ),
    }


def _development_secret_key(instance_path: Path) -> str:
    """A random key generated once into instance/, so sessions survive restarts."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="ascii").strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # Created with owner-only permissions: the key signs every session cookie.
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key)
    return key


def database_url_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """The database URL the app and the migrations use when nothing overrides it."""
    environ = os.environ if environ is None else environ
    url = environ.get("CLINIC_DATABASE_URL", "").strip()
    if url:
        return url
    if environ.get("CLINIC_ENV", "development") == "production":
        raise ConfigurationError(
            "CLINIC_DATABASE_URL is not set. Production needs a PostgreSQL URL, "
            "for example postgresql+psycopg://clinic@db-host/clinic."
        )
    instance = Path(environ.get("CLINIC_INSTANCE_PATH", str(DEFAULT_INSTANCE_PATH)))
    instance.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{instance / 'clinic.db'}"


def _choice_setting(
    environ: Mapping[str, str], name: str, choices: tuple[str, ...], default: str
) -> str:
    value = environ.get(name, default).strip().lower() or default
    if value not in choices:
        raise ConfigurationError(f"{name} must be one of {', '.join(choices)}, not {value!r}.")
    return value


# The emergency number and usual paper size of the countries a clinic may name in
# CLINIC_COUNTRY (ISO 3166-1 alpha-2): the defaults of CLINIC_EMERGENCY_NUMBER and
# CLINIC_PAPER. A country not listed must set both.
COUNTRIES: dict[str, tuple[str, str]] = {
    "GB": ("999", "a4"),
    "IE": ("112", "a4"),
    "US": ("911", "letter"),
    "CA": ("911", "letter"),
    "AU": ("000", "a4"),
    "NZ": ("111", "a4"),
    **dict.fromkeys(
        ("AT", "BE", "DE", "DK", "ES", "FI", "FR", "IT", "NL", "PL", "PT", "SE"), ("112", "a4")
    ),
}


def _country_defaults(environ: Mapping[str, str]) -> tuple[str, str]:
    """The emergency number and paper size: as set, else the country's."""
    country = environ.get("CLINIC_COUNTRY", "GB").strip().upper() or "GB"
    number = environ.get("CLINIC_EMERGENCY_NUMBER", "").strip()
    if country not in COUNTRIES and not (number and environ.get("CLINIC_PAPER", "").strip()):
        raise ConfigurationError(
            f"CLINIC_COUNTRY {country!r} has no defaults here ({', '.join(sorted(COUNTRIES))}): "
            "set CLINIC_EMERGENCY_NUMBER and CLINIC_PAPER for it."
        )
    default_number, default_paper = COUNTRIES.get(country, (number, PAPER_SIZES[0]))
    paper = _choice_setting(environ, "CLINIC_PAPER", PAPER_SIZES, default_paper)
    return number or default_number, paper


def _logo_setting(environ: Mapping[str, str]) -> str | None:
    """A logo for handouts: a file name inside clinic/static (only those can be fetched)."""
    value = environ.get("CLINIC_LOGO", "").strip()
    if not value:
        return None
    static = (PROJECT_ROOT / "clinic" / "static").resolve()
    path = (static / value).resolve()
    if not path.is_relative_to(static) or not path.is_file():
        raise ConfigurationError(
            f"CLINIC_LOGO must name an image file inside clinic/static, not {value!r}."
        )
    return value


def _fhir_base_url(environ: Mapping[str, str]) -> str:
    value = environ.get("CLINIC_FHIR_BASE_URL", "").strip().rstrip("/")
    if not value:
        return "http://localhost:5000/fhir"
    if not value.startswith(("https://", "http://")) or any(c.isspace() for c in value):
        raise ConfigurationError(
            f"CLINIC_FHIR_BASE_URL must be an http(s) address such as "
            f"https://clinic.example.org/fhir, not {value!r}."
        )
    return value


def load_config(
    overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Build the Flask configuration from the environment, then apply ``overrides``."""
    environ = os.environ if environ is None else environ
    overrides = dict(overrides or {})
    env = str(overrides.get("ENV_NAME", environ.get("CLINIC_ENV", "development")))
    if env not in {"development", "production"}:
        raise ConfigurationError(f"CLINIC_ENV must be 'development' or 'production', not {env!r}.")
    production = env == "production"
    instance_path = Path(
        overrides.get("INSTANCE_PATH", environ.get("CLINIC_INSTANCE_PATH", DEFAULT_INSTANCE_PATH))
    )

    secret_key = overrides.get("SECRET_KEY") or environ.get("CLINIC_SECRET_KEY", "").strip()
    if not secret_key:
        if production:
            raise ConfigurationError(
                "CLINIC_SECRET_KEY is not set. Production needs a long random secret, "
                'for example from: python -c "import secrets; print(secrets.token_hex(32))"'
            )
        secret_key = _development_secret_key(instance_path)

    database_url = overrides.get("DATABASE_URL") or database_url_from_environment(
        {**environ, "CLINIC_ENV": env, "CLINIC_INSTANCE_PATH": str(instance_path)}
    )

    idle_minutes = _int_setting(environ, "CLINIC_IDLE_TIMEOUT_MINUTES", 30)
    emergency_number, paper = _country_defaults(environ)
    config: dict[str, Any] = {
        "ENV_NAME": env,
        "INSTANCE_PATH": str(instance_path),
        "SECRET_KEY": secret_key,
        "DATABASE_URL": database_url,
        "CLINIC_NAME": environ.get("CLINIC_NAME", "Riverside Physiotherapy"),
        "TIMEZONE": _timezone_setting(environ),
        "IDLE_TIMEOUT": timedelta(minutes=idle_minutes),
        # Clinical records are kept this long after the last contact (erasure refused).
        "RECORD_RETENTION_YEARS": _int_setting(environ, "CLINIC_RECORD_RETENTION_YEARS", 8),
        "SESSION_LIFETIME": timedelta(
            hours=_int_setting(environ, "CLINIC_SESSION_LIFETIME_HOURS", 12, maximum=24 * 7)
        ),
        **_throttle_settings(environ),
        "PAGE_SIZE": _int_setting(environ, "CLINIC_PAGE_SIZE", 20),
        "PROXY_COUNT": _int_setting(environ, "CLINIC_PROXY_COUNT", 0, minimum=0),
        "EMERGENCY_NUMBER": emergency_number,
        "CLINIC_PHONE": environ.get("CLINIC_PHONE", "01632 960000").strip(),
        "CLINIC_ADDRESS": environ.get("CLINIC_ADDRESS", "1 Riverside Walk, Riverside RS1 1AA"),
        "CLINIC_EMAIL": environ.get("CLINIC_EMAIL", "").strip(),
        "CLINIC_LOGO": _logo_setting(environ),
        "HANDOUT_PAPER": paper,
        # The FHIR API's public address: resources' full URLs, and this clinic's identifier
        # and code systems (chart numbers, red-flag rules...), live under it.
        "FHIR_BASE_URL": _fhir_base_url(environ),
        # Processes that render a batch's missing handouts side by side (one per core),
        # and the batch size printed straight from the form (more shows progress).
        "HANDOUT_PROCESSES": _int_setting(
            environ, "CLINIC_HANDOUT_PROCESSES", len(os.sched_getaffinity(0)), maximum=64
        ),
        "HANDOUT_BATCH_AT_ONCE": 3,
        "KIOSK_CODE_VALID_FOR": timedelta(
            hours=_int_setting(environ, "CLINIC_KIOSK_CODE_HOURS", 2)
        ),
        "KIOSK_IDLE_SECONDS": 60 * _int_setting(environ, "CLINIC_KIOSK_IDLE_MINUTES", 5),
        # An EMERGENCY nobody has acknowledged after this long escalates on every staff
        # page; staff pages ask for new alerts this often (ALERT_POLL_SECONDS).
        "ALERT_ESCALATE_AFTER": timedelta(
            minutes=_int_setting(environ, "CLINIC_ALERT_ESCALATE_MINUTES", 5)
        ),
        "ALERT_POLL_SECONDS": _int_setting(
            environ,
            "CLINIC_ALERT_POLL_SECONDS",
            3,
            maximum=4,
            why_maximum=": staff are promised a new emergency within 5 seconds",
        ),
        # Recent searches are kept this long on the server (their id is in the URL).
        "SEARCH_KEPT_FOR": timedelta(minutes=idle_minutes),
        "SCREENING_POLICY": _screening_policy(environ),
        "MEASURE_WORDING": _measure_wording(environ),
        "OUTCOME_MEASURES": _outcome_measures(environ),
        "LOG_LEVEL": environ.get("CLINIC_LOG_LEVEL", "INFO").upper(),
        # Session cookie: never readable by scripts, not sent on cross-site requests,
        # HTTPS-only in production. The server also enforces the idle timeout itself.
        "SESSION_COOKIE_NAME": "clinic_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "PERMANENT_SESSION_LIFETIME": timedelta(minutes=idle_minutes),
        "SESSION_REFRESH_EACH_REQUEST": True,
        "REMEMBER_COOKIE_DURATION": timedelta(seconds=0),
        "WTF_CSRF_TIME_LIMIT": 3600 * 8,
        "WTF_CSRF_SSL_STRICT": production,
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        "TESTING": False,
    }
    config.update(overrides)
    config["PERMANENT_SESSION_LIFETIME"] = config["IDLE_TIMEOUT"]
    return config
