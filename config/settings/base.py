"""Settings shared by every environment. Environment variables are read in config/env.py."""

import dj_database_url

from config import env

BASE_DIR = env.BASE_DIR
VAR_DIR = env.VAR_DIR

INSTALLED_APPS = [
    "config.apps.PlatformConfig",
    "courses",
    "learning",
    "certificates",
    "catalogue",
    "wagtail_localize",
    "wagtail_localize.locales",  # the admin's locale screens, in place of wagtail.locales
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The interface language comes from the `taal` cookie only, never from the browser's
    # Accept-Language: Dutch first, other languages only when the learner asks for them.
    "config.middleware.CookieLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Wagtail's site for the request from the shared cache (courses/routing.py).
    "courses.routing.CachedSiteMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Wagtail's reports list every organisation's changes: closed to partner editors.
    "catalogue.admin_reports.PartnerReportsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Learner before kiosk: when kiosk mode ends a session early, the learner cookie is
    # still removed on the way out.
    "learning.middleware.LearnerMiddleware",
    "learning.kiosk.KioskMiddleware",
    "config.middleware.ContentSecurityPolicyMiddleware",
    # After the learner and kiosk middleware, so its Dutch page has the site's header.
    "config.middleware.PostSizeLimitMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "learning.context_processors.kiosk",
                "learning.context_processors.display",
                "learning.context_processors.signed_in",
                "config.descriptions.page_description",
            ],
        },
    },
]

# Kept open between requests, on SQLite too: opening SQLite and setting its journal mode for
# every request took a third of a lesson step's time under load (docs/benchmarks.md).
DATABASES = {"default": dj_database_url.parse(env.database_url(), conn_max_age=60)}
# A kept connection is checked before a request uses it: after a PostgreSQL restart the app
# servers reconnect by themselves instead of failing once per worker with a dead connection.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one request writes; IMMEDIATE transactions take the write
    # lock up front, so two answers at the same moment queue instead of failing with
    # "database is locked" halfway through a transaction.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "learning:login"

# Dutch is the language of service. Other languages are layered over it as translations;
# the choice lives in a cookie only (see docs/architecture.md, "Privacy").
LANGUAGE_CODE = "nl-be"
# Help languages for newcomers, each named in its own language so a learner recognises
# it without reading Dutch. Lesson content stays Dutch; translations are shown beside it.
LANGUAGES = [
    ("nl-be", "Nederlands"),
    ("fr", "Français"),
    ("en", "English"),
    ("pl", "Polski"),
    ("uk", "Українська"),
    ("ar", "العربية"),
]
LANGUAGE_COOKIE_NAME = "taal"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LOCALE_PATHS = [BASE_DIR / "locale"]
# Content translations (wagtail-localize): Dutch is the source locale; translated pages are
# help shown beside the Dutch ("Toon vertaling"), never served as pages of their own.
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.static_root()
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # The H5P player (npm, pinned in package-lock.json), served as /static/vendor/h5p-standalone/.
    ("vendor/h5p-standalone", BASE_DIR / "node_modules" / "h5p-standalone" / "dist"),
]


def _static_headers(headers, path, url):
    # The H5P player runs in a sandboxed frame whose origin is opaque ("null"): its fonts
    # are cross-origin requests there and need CORS. Only the public player files get it.
    if url.startswith(STATIC_URL + "vendor/h5p-standalone/"):
        headers["Access-Control-Allow-Origin"] = "*"


WHITENOISE_ADD_HEADERS_FUNCTION = _static_headers
# WhiteNoise would send "Access-Control-Allow-Origin: *" on every static file.
WHITENOISE_ALLOW_ALL_ORIGINS = False
MEDIA_URL = "/media/"
MEDIA_ROOT = env.media_root()
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # Rendered certificate PDFs carry a learner's name: kept out of the public MEDIA_ROOT.
    "certificates": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": VAR_DIR / "private" / "certificates"},
    },
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if env.redis_url():
    CACHES = {
        "default": {
            # Fails soft (toolkit/cache.py): a Redis restart must not make error pages.
            "BACKEND": "toolkit.cache.FailSoftRedisCache",
            "LOCATION": env.redis_url(),
            # A hung Redis answers "unavailable" within a second instead of holding a worker.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Largest request body outside /admin/ (multipart included): learners' forms and the H5P
# player's statements are a few kilobytes; uploads go through the admin only.
PUBLIC_POST_MAX_BYTES = 256 * 1024

# The learner cookie: a signed, long-lived pseudonymous id. Two years matches the
# retention rule (inactive learners are removed after 24 months).
LEARNER_COOKIE_NAME = "leerder"
LEARNER_COOKIE_AGE = 60 * 60 * 24 * 730
LEARNER_COOKIE_SECURE = False

# Staff only, with the shared failure limit (learner accounts cannot log in here).
WAGTAILADMIN_USER_LOGIN_FORM = "config.admin_login.StaffLoginForm"
WAGTAIL_SITE_NAME = "Digibank Westhoek – Leerplatform"
WAGTAILADMIN_BASE_URL = env.site_base_url()
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# SVG for the screen pictures trainers draw (and the demo's); courses.svg refuses any with
# scripts, event handlers or outside references, in the admin form below and in the seed.
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "svg"]
WAGTAILIMAGES_IMAGE_FORM_BASE = "courses.image_forms.ImageForm"
WAGTAILDOCS_EXTENSIONS = ["pdf", "mp4", "webm", "mp3", "ogg", "m4a", "vtt"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 200 * 1024 * 1024
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {
        "WIDGET": "wagtail.admin.rich_text.DraftailRichTextArea",
        "OPTIONS": {"features": ["bold", "italic", "ol", "ul", "link"]},
    }
}

SITE_BASE_URL = env.site_base_url()
# Where people report an accessibility problem (shown on /toegankelijkheid/).
ACCESSIBILITY_CONTACT = env.accessibility_contact()

# Certificates. The issuer is the Digibank or organisation named on every certificate.
ISSUER_NAME = env.issuer_name()
# Development generates the badge keys into var/ on first use; production must set
# BADGE_RSA_SIGNING_KEY (signs, RS256) and BADGE_SIGNING_KEY (Ed25519, signed the badges
# before RS256 and stays published for them); see config/settings/production.py.
BADGE_SIGNING_KEY = env.badge_signing_key(required=False)
BADGE_SIGNING_KEY_FILE = VAR_DIR / "badge-signing-key.pem"
BADGE_RSA_SIGNING_KEY = env.badge_rsa_signing_key(required=False)
BADGE_RSA_SIGNING_KEY_FILE = VAR_DIR / "badge-rsa-signing-key.pem"
# Public verification page: lookups per client address per minute.
VERIFY_RATE_LIMIT_PER_MINUTE = 30

# Learning cards: wrong codes allowed per client address and per card (first four symbols)
# within one window, before the login form asks the learner to wait.
CARD_LOGIN_FAILURES_ALLOWED = 10
CARD_LOGIN_WINDOW_SECONDS = env.env_int("CARD_LOGIN_WINDOW_SECONDS", 60)

# Kiosk mode (a shared computer at a Digipunt): a learner is logged out after this many
# seconds without activity, with a warning one minute before.
KIOSK_IDLE_SECONDS = 15 * 60

# Demo staff accounts are only ever created where a settings module opts in (dev).
DEMO_ACCOUNTS_ALLOWED = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# H5P packages (courses/h5p, docs/h5p.md). Checked before anything is stored; limits can be
# overridden per environment. The ratio catches zip bombs: unpacked size / file size.
H5P_MAX_UPLOAD_BYTES = 100 * 1024 * 1024
H5P_MAX_UNPACKED_BYTES = 250 * 1024 * 1024
H5P_MAX_FILES = 3000
H5P_MAX_COMPRESSION_RATIO = 100
# What was measured per content type in Chromium (`make h5p-report`, docs/h5p.md). Packages
# with a type that is not in it upload with a warning to the trainer.
H5P_MEASURED_FILE = BASE_DIR / "courses" / "h5p" / "measured.json"
# A score (0..1) from this up counts as passed when an xAPI statement carries no "success".
H5P_PASS_SCORE = 1.0
# Largest xAPI statement or resume state accepted from the player, in bytes.
H5P_MAX_STATEMENT_BYTES = 64 * 1024
H5P_MAX_STATE_BYTES = 64 * 1024
