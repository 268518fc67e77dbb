import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()

# gunicorn runs no system checks: refuse to serve with a setting that would print the wrong
# address on certificates or let rate limits multiply with the workers.
if os.environ["DJANGO_SETTINGS_MODULE"].endswith(".production"):
    from config.checks import production_ready

    production_ready()
