"""Local development: `make run`. Never used in production."""

from config import env

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = True
# A development-only key; production settings refuse to start without SECRET_KEY.
SECRET_KEY = env.secret_key(required=False) or "dev-only-not-secret-" + str(VAR_DIR)
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
DEMO_ACCOUNTS_ALLOWED = True
