"""WSGI entry point: ``gunicorn wsgi:app`` (production) or ``flask --app wsgi run`` (make run)."""

from portal.app import create_app

app = create_app()
