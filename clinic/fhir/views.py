"""The read-only FHIR R4 API under /fhir/: other systems read with a bearer token an
administrator created. No cookie session reaches it (``ClinicSessionInterface``), nothing
it answers sets one, and every error is an OperationOutcome."""

from __future__ import annotations

import json
from importlib.metadata import version
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Flask, Response, current_app, g, request
from flask.typing import ResponseReturnValue

from clinic.access import api_token
from clinic.db import commit, get_session
from clinic.errors import PermissionDeniedError
from clinic.fhir import record
from clinic.fhir.api import SearchError, capability_statement, openapi, patient_search
from clinic.fhir.resources import bundle, operation_outcome
from clinic.fhir.tokens import ApiClient, TokenRefusedError, authenticate
from clinic.fhir.vocabulary import MEDIA_TYPE, Naming
from clinic.request_context import current_request_id

PREFIX = "/fhir"
fhir = Blueprint("fhir", __name__, url_prefix=PREFIX)
_CLIENT_KEY = "api_client"

# What each kind of refusal is, in FHIR's issue types.
_ISSUE_TYPES = {
    400: "invalid",
    401: "login",
    403: "forbidden",
    404: "not-found",
    405: "not-supported",
    406: "not-supported",
    409: "conflict",
    413: "too-costly",
    415: "not-supported",
    422: "invalid",
}
_MESSAGES = {
    400: "The request could not be understood.",
    401: "Send an API token as 'Authorization: Bearer <token>'.",
    403: "This token may not read that.",
    404: "There is nothing at this address. See /fhir/metadata for what is served.",
    405: "This API is read only: use GET.",
    415: "This API is read only: send GET requests, without a body.",
    500: "The server could not answer. Nothing was changed; try again.",
}


def naming() -> Naming:
    return Naming(current_app.config["FHIR_BASE_URL"])


def fhir_response(resource: dict[str, Any], status: int = 200) -> Response:
    response = Response(
        json.dumps(resource, ensure_ascii=False, separators=(",", ":")),
        status=status,
        mimetype=MEDIA_TYPE,
    )
    response.headers["Cache-Control"] = "no-store"
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="fhir"'
    return response


def outcome(status: int, message: str | None) -> Response:
    """An error of any request under /fhir/ (registered with ``clinic.errors``)."""
    # The app's own words for 405 and 415 speak of its forms: the API says its own.
    own = _MESSAGES.get(status) if status in (405, 415) else None
    text = own or message or _MESSAGES.get(status) or _MESSAGES[500 if status >= 500 else 400]
    return fhir_response(operation_outcome(_ISSUE_TYPES.get(status, "exception"), text), status)


def _client() -> ApiClient:
    client: ApiClient = g.get(_CLIENT_KEY)
    return client


def _require(resource_type: str) -> ApiClient:
    client = _client()
    if not client.may_read(resource_type):
        raise PermissionDeniedError(f"This token may not read {resource_type} resources.")
    return client


@fhir.before_request
def check_token() -> ResponseReturnValue | None:
    """Every request names its token; a missing, unknown or revoked one is refused (401)
    before anything is read. The token's last use is kept with the request's commit."""
    try:
        client = authenticate(
            get_session(), request.headers.get("Authorization"), current_app.config["CLOCK"]()
        )
    except TokenRefusedError as refused:
        return outcome(401, refused.message)
    setattr(g, _CLIENT_KEY, client)
    return None


@fhir.get("/metadata")
@api_token
def metadata() -> ResponseReturnValue:
    statement = capability_statement(
        naming(), current_app.config["CLINIC_NAME"], _version(), current_app.config["CLOCK"]()
    )
    commit()
    return fhir_response(statement)


@fhir.get("/openapi.json")
@api_token
def openapi_description() -> ResponseReturnValue:
    description = openapi(naming(), _version())
    commit()
    response = fhir_response(description)
    response.mimetype = "application/json"
    return response


@fhir.get("/Patient/<string(maxlength=64):patient_id>")
@api_token
def read_patient(patient_id: str) -> ResponseReturnValue:
    client = _require("Patient")
    resource = record.read_patient(
        get_session(), client.actor(current_request_id()), naming(), patient_id
    )
    commit()
    return fhir_response(resource)


@fhir.get("/Patient/<string(maxlength=64):patient_id>/$everything")
@api_token
def everything(patient_id: str) -> ResponseReturnValue:
    client = _require("Patient")
    found = record.everything(
        get_session(),
        client.actor(current_request_id()),
        naming(),
        patient_id,
        current_app.config["CLOCK"](),
        client.scopes,
    )
    commit()
    return fhir_response(found)


@fhir.get("/Patient")
@api_token
def search() -> ResponseReturnValue:
    client = _require("Patient")
    names = naming()
    try:
        wanted = patient_search(request.args.items(multi=True), names)
    except SearchError as error:
        return outcome(400, error.message)
    page = record.search_patients(get_session(), client.actor(current_request_id()), names, wanted)
    links = [{"relation": "self", "url": _page_url(wanted.offset, wanted.count)}]
    if page.more:
        links.append(
            {"relation": "next", "url": _page_url(wanted.offset + wanted.count, wanted.count)}
        )
    if wanted.offset:
        previous = max(0, wanted.offset - wanted.count)
        links.append({"relation": "previous", "url": _page_url(previous, wanted.count)})
    # The total is given where it is known without counting every match: the last page.
    counted = {} if page.total is None else {"total": page.total}
    result = bundle(
        names, "searchset", page.patients, current_app.config["CLOCK"](), **counted, link=links
    )
    commit()
    return fhir_response(result)


def _page_url(offset: int, count: int) -> str:
    """This search's address with another page: the parameters as sent, but the page's."""
    kept = [(k, v) for k, v in request.args.items(multi=True) if k not in ("_offset", "_count")]
    query = urlencode([*kept, ("_count", str(count)), ("_offset", str(offset))])
    return f"{naming().base_url}/Patient?{query}"


def _version() -> str:
    return version("clinic")


def init_app(app: Flask) -> None:
    from flask_wtf.csrf import CSRFProtect

    from clinic.auth.session import ClinicSessionInterface
    from clinic.errors import register_api

    # No cookie session reaches the API: it reads with tokens.
    if isinstance(app.session_interface, ClinicSessionInterface):
        app.session_interface.cookieless_prefixes += (PREFIX + "/",)
    register_api(app, PREFIX + "/", outcome)
    csrf: CSRFProtect | None = app.extensions.get("csrf")
    if csrf is not None:
        # Read only, and no cookie is accepted: there is no session a forged request could ride.
        csrf.exempt(fhir)
    app.register_blueprint(fhir)
