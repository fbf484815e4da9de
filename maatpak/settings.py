"""Maatpak settings, driven by environment variables.

Development defaults make `make demo` work on a fresh machine (embedded SQLite, a generated
development secret). Production must set SECRET_KEY, MAATPAK_ENCRYPTION_KEY, MAATPAK_HASH_KEY,
DATABASE_URL and ALLOWED_HOSTS; see docs/operations.md.
"""

import hashlib
import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# Set by `make test`; the test suite runs without DEBUG and on the development keys.
MAATPAK_TESTING = env_bool("MAATPAK_TESTING", False)

# A fixed development key is only acceptable because DEBUG-less production refuses to start
# without its own keys (see the end of this block and maatpak.core.checks).
_DEV_SECRET = "maatpak-development-only-not-for-production"
SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET)
MAATPAK_USING_DEV_KEYS = "SECRET_KEY" not in os.environ


def _derived_dev_key(purpose: str) -> str:
    return hashlib.sha256(f"{SECRET_KEY}:{purpose}".encode()).hexdigest()


# Key for encrypting the BSN at rest (Fernet/AES). Comma-separated: the first encrypts, all
# decrypt, so keys can be rotated without downtime.
MAATPAK_ENCRYPTION_KEYS = env_list("MAATPAK_ENCRYPTION_KEY", "") or [_derived_dev_key("bsn-encryption")]
# Separate key for the keyed hash (HMAC-SHA256) that makes a BSN findable without decrypting.
MAATPAK_HASH_KEY = os.environ.get("MAATPAK_HASH_KEY") or _derived_dev_key("bsn-hash")

_GENERATE_FERNET = 'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'


def _validate_keys() -> None:
    """A key that is set must be usable: a typo must not silently become a derived key."""
    from cryptography.fernet import Fernet
    from django.core.exceptions import ImproperlyConfigured

    for position, key in enumerate(env_list("MAATPAK_ENCRYPTION_KEY", ""), start=1):
        try:
            Fernet(key.encode())
        except (ValueError, TypeError):
            raise ImproperlyConfigured(
                f"MAATPAK_ENCRYPTION_KEY: key {position} is not a valid Fernet key (32 bytes, url-safe base64, "
                f"44 characters). Generate one with: {_GENERATE_FERNET}"
            ) from None
    if "MAATPAK_HASH_KEY" in os.environ and len(os.environ["MAATPAK_HASH_KEY"]) < 32:
        raise ImproperlyConfigured("MAATPAK_HASH_KEY is too short: use a random secret of at least 32 characters.")


_validate_keys()

# Management commands that touch no BSN and no session, so they may run before the keys are
# in place (`check --deploy` must be able to *report* missing keys).
KEYLESS_COMMANDS = frozenset(
    {
        "check",
        "help",
        "version",
        "diffsettings",
        "migrate",
        "makemigrations",
        "showmigrations",
        "sqlmigrate",
        "collectstatic",
        "compilemessages",
        "makemessages",
        "createsuperuser",
        "municipality_setup",
        "audit_purge",
    }
)
MAATPAK_MISSING_KEYS = [name for name in ("SECRET_KEY", "MAATPAK_ENCRYPTION_KEY", "MAATPAK_HASH_KEY") if not os.environ.get(name)]


def _keyless_command() -> bool:
    import sys

    program = Path(sys.argv[0]).name if sys.argv else ""
    return program in {"manage.py", "django-admin", "__main__.py"} and len(sys.argv) > 1 and sys.argv[1] in KEYLESS_COMMANDS


# Refuse to start in production on the development keys: the BSNs would be encrypted with a
# key anyone can derive from this repository. Development (DEBUG=1), the test suite and local
# tasks that say so (MAATPAK_ALLOW_DEV_KEYS=1, set by `make demo`) may use them.
if MAATPAK_MISSING_KEYS and not (DEBUG or MAATPAK_TESTING or env_bool("MAATPAK_ALLOW_DEV_KEYS", False) or _keyless_command()):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"Maatpak will not start without its own keys: {', '.join(MAATPAK_MISSING_KEYS)} not set. "
        "Set SECRET_KEY, MAATPAK_ENCRYPTION_KEY and MAATPAK_HASH_KEY (docs/operations.md), "
        "or DEBUG=1 for development."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

# Our apps come first: the earlier app wins for translations and templates, and our Dutch
# wording (e.g. "Inloggen") must win over Django's own catalogue ("Aanmelden").
INSTALLED_APPS = [
    "maatpak.core",
    "maatpak.accounts",
    "maatpak.audit",
    "maatpak.participants",
    "maatpak.providers",
    "maatpak.employers",
    "maatpak.trajectories",
    "maatpak.surveys",
    "maatpak.insights",
    "maatpak.casework",
    "maatpak.privacy",
    "maatpak.portal",
    "maatpak.api",
    "maatpak.demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "maatpak.core.middleware.DutchByDefaultLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # After authentication, OTP, messages and htmx: log out idle sessions, then send staff
    # without a verified second factor to that step (docs/operations.md, "Log-in security").
    "maatpak.accounts.idle.IdleTimeoutMiddleware",
    "maatpak.accounts.two_factor.SecondFactorMiddleware",
    "csp.middleware.CSPMiddleware",
    "maatpak.core.middleware.PrivateResponseHeadersMiddleware",
    "maatpak.api.middleware.ApiVersionMiddleware",
    # Last, as django-axes asks: it turns a lock-out during authentication into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "maatpak.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "maatpak.accounts.context_processors.navigation",
            ],
            "builtins": ["maatpak.core.templatetags.maatpak_tags"],
        },
    },
]

WSGI_APPLICATION = "maatpak.wsgi.application"
ASGI_APPLICATION = "maatpak.asgi.application"

if "DATABASE_URL" not in os.environ:
    (BASE_DIR / "var").mkdir(exist_ok=True)
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'maatpak.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the live-server browser tests and the dev server read while the other writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DATABASES["default"]["ATOMIC_REQUESTS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# --- Log-in security (BIO): throttling, lock-out, second factor, idle timeout -------------
# django-axes counts failed log-ins on every form that calls authenticate() (staff, portal,
# admin); its backend must come first so a locked account is refused before the password check.
# Two limits within the cool-off (maatpak.accounts.lockout): per account, and a higher one per
# address, so one person's typos cannot lock an office behind one NAT address while password
# spraying from one address still stops. The right password does not open a locked account.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "10"))  # per account (user name)
MAATPAK_ADDRESS_FAILURE_LIMIT = int(os.environ.get("MAATPAK_ADDRESS_FAILURE_LIMIT", "100"))  # per address
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))  # hours
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_HANDLER = "maatpak.accounts.lockout.LoginLockoutHandler"
AXES_LOCKOUT_CALLABLE = "maatpak.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "maatpak.accounts.lockout.client_ip_address"
AXES_HTTP_RESPONSE_CODE = 429
# Tries while locked are refused without counting, so the lock ends when the page says it does.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Successful log-ins are in our own audit log (with its retention); axes' copy would keep
# addresses forever.
AXES_DISABLE_ACCESS_LOG = True
# Behind a reverse proxy every request comes from the proxy's address: the number of proxies
# in front of Maatpak that append to X-Forwarded-For (0: use the connection's address).
MAATPAK_TRUSTED_PROXIES = int(os.environ.get("MAATPAK_TRUSTED_PROXIES", "0"))

# A TOTP code (django-otp) after the password, for every staff role; participants log in with
# DigiD or their activation (docs/digid.md). Offered but not required in development and tests.
MAATPAK_REQUIRE_SECOND_FACTOR = env_bool("MAATPAK_REQUIRE_SECOND_FACTOR", not DEBUG and not MAATPAK_TESTING)
OTP_TOTP_ISSUER = "Maatpak"
MAATPAK_RECOVERY_CODES = 10

# A session ends after this many minutes without a request (the page warns two minutes
# before), and at the latest SESSION_COOKIE_AGE after logging in (maatpak.accounts.idle).
MAATPAK_IDLE_MINUTES = int(os.environ.get("MAATPAK_IDLE_MINUTES", "30"))
MAATPAK_IDLE_WARNING_SECONDS = 120

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Twelve times the same letter is long enough but no password (maatpak.accounts.passwords).
    {"NAME": "maatpak.accounts.passwords.CharacterVarietyValidator", "OPTIONS": {"min_distinct": 6}},
]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
# Each app keeps its own locale/ (found automatically), so apps translate independently.
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        # Hashed file names need `collectstatic`, which production runs (docs/operations.md).
        if env_bool("MAATPAK_MANIFEST_STATIC", not DEBUG and not MAATPAK_USING_DEV_KEYS)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Behind TLS in production (docs/operations.md); the dev server on http://127.0.0.1:8000 is not.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG and "SECRET_KEY" in os.environ)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", SECURE_SSL_REDIRECT)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", SECURE_SSL_REDIRECT)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(31536000 if SECURE_SSL_REDIRECT else 0)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
if env_bool("USE_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- API (docs/api.md): /api/v1/, API keys next to the session, JSON only, problem+json errors.
REST_FRAMEWORK = {
    # An API key (Authorization: Bearer …) first: it also makes a missing log-in a 401, not a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "maatpak.api.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only, with a size and nesting limit (maatpak.api.parsers).
    "DEFAULT_PARSER_CLASSES": ["maatpak.api.parsers.LimitedJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # Every error is application/problem+json; a service's ValidationError a 400 with its field
    # messages (maatpak.core.errors).
    "EXCEPTION_HANDLER": "maatpak.core.errors.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Maatpak API",
    "DESCRIPTION": (
        "Re-integration tracking for Dutch municipalities. Log in with a session or send an API key as "
        "`Authorization: Bearer <key>`. Errors are `application/problem+json` (RFC 9457)."
    ),
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its documentation pages are for logged-in users and API keys only.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "maatpak.api.schema.problem_responses"],
    # Assets come from the pip package, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}
# The largest request body Django and the API parser accept (bytes); file uploads do not count.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Response headers: a Content-Security-Policy without inline code, and no browser features
# the app does not use. Everything the pages load is served by the app itself.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

# Domain settings (each municipality may override per row where the model has a field for it).
MAATPAK_STALE_ASSESSMENT_DAYS = 365
MAATPAK_NO_CONTACT_DAYS = 90
MAATPAK_REPEAT_REASON_MONTHS = 24
# An exemption (ontheffing) ending within this many days is a signal and work to do.
MAATPAK_EXEMPTION_ENDING_DAYS = 30
# A provider's report or a participant's reaction this recent, not yet opened, is work to do.
MAATPAK_WORK_LIST_NEW_DAYS = 90
# A portal activation code on paper: valid this many days, dead after this many wrong tries.
MAATPAK_PORTAL_ACTIVATION_DAYS = 14
MAATPAK_PORTAL_ACTIVATION_MAX_ATTEMPTS = 5

# The council report (insights.disclosure): a number of fewer than this many people is shown as
# "< 10" and never computable from the other figures (small-cell and complementary suppression).
# It can be raised, never lowered: a participant may send 9 anonymous reactions a quarter, one
# fewer than the lowest threshold, so one person alone never fills a figure.
MAATPAK_COUNCIL_MIN_CELL = int(os.environ.get("MAATPAK_COUNCIL_MIN_CELL", "10"))
if MAATPAK_COUNCIL_MIN_CELL < 10:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("MAATPAK_COUNCIL_MIN_CELL must be at least 10.")
