"""The start page: what each role can do from here."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue

from clinic.access import allow
from clinic.auth.roles import Role

home = Blueprint("home", __name__)


@home.route("/")
@allow(*Role)
def index() -> ResponseReturnValue:
    return render_template("home.html")
