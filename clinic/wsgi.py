"""The WSGI entry point for a production server: ``gunicorn 'clinic.wsgi:app'``.

The app is configured from the environment (README, "Configuration") and made ready for a
long-lived process before the first request: see ``prepare_to_serve``.
"""

from clinic import create_app
from clinic.handouts.printing import prepare_to_serve

app = create_app()
prepare_to_serve(app)
