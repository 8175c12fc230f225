"""The app as production serves it (``clinic.wsgi``) plus one page that exists only in
the benchmarks: a bare 30-field WTForms form, the yardstick `bench/web.py` compares the
app's pages with. It passes through the same request handling (the signed-in session,
the role check, CSRF) but reads no patient and writes nothing.

Served by ``gunicorn bench.reference_app:app`` from the project folder.
"""

from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from wtforms import StringField

from clinic.access import allow
from clinic.auth.roles import Role
from clinic.wsgi import app

FIELDS = 30

# A form class with 30 text fields, as a page of a form-heavy app might have.
ReferenceForm = type(
    "ReferenceForm",
    (FlaskForm,),
    {f"field_{number}": StringField(f"Field {number}") for number in range(1, FIELDS + 1)},
)

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Reference form</title></head>
<body><main><h1>Reference form</h1><form method="post">
{{ form.csrf_token }}
{% for field in form if field.name != "csrf_token" %}
<p>{{ field.label }} {{ field() }}</p>
{% endfor %}
<button type="submit">Send</button></form></main></body></html>"""


# Compiled once, as the app's own templates are.
TEMPLATE = app.jinja_env.from_string(PAGE)


@app.route("/bench/reference")
@allow(*Role)
def reference() -> ResponseReturnValue:
    return render_template(TEMPLATE, form=ReferenceForm())
