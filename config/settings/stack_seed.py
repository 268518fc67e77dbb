"""Production settings plus demo accounts: only for `make stack` to seed its loopback stack.

The app servers of the stack run ``config.settings.production`` unchanged; this module is
used for the seed commands alone, so the demo content and the demo staff logins land in the
stack's own PostgreSQL and object store exactly as `make run` puts them in SQLite.
"""

from .production import *  # noqa: F403

DEMO_ACCOUNTS_ALLOWED = True
