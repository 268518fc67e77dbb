import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()

# gunicorn runs no system checks: refuse to serve with a setting that would print the wrong
# address on certificates or let rate limits multiply with the workers.
if os.environ["DJANGO_SETTINGS_MODULE"].endswith(".production"):
    from config.checks import production_ready

    production_ready()

# Under gunicorn --preload this module runs in the master, before the workers are forked:
# a database connection opened here would be shared by every worker's requests.
from django.db import connections  # noqa: E402

connections.close_all()
