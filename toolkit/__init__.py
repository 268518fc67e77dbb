"""Helpers with no domain in them, shared by several apps: codes, PDFs, rate limits, redirects.

Not a Django app and no models. It imports Django and libraries only, never an app or
``config`` (import-linter checks this, see ``[tool.importlinter]`` in pyproject.toml): what
needs to know about learners, lessons or certificates belongs in that app.
"""
