"""The whole suite's configuration. Flask-free on purpose: the pure engines' suites
(``pytest tests/matching tests/risk``) run where Flask is not installed.

The web fixtures live in tests/web_fixtures.py (they import Flask only when a test asks for
one); shared builders and helpers in tests/builders.py.
"""

pytest_plugins = ["tests.web_fixtures"]
