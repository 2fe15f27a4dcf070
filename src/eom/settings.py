"""Settings for eom, read only from the environment (see docs/configuration.md)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from eom.missions.private_files import tighten

PACKAGE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str) -> str:
    """The variable's value; `NAME_FILE` names a file holding it (for secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={file_name}: cannot read ({exc})") from exc
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r}: expected one of 1/0, true/false, yes/no, on/off")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected a whole number") from exc


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DATA_DIR = Path(env_str("EOM_DATA_DIR", str(Path.cwd() / "var"))).resolve()


# --- files at rest: readable by eom's own user only ----------------------------------------


def _private_dir(path: Path) -> Path:
    """Create `path` (and its parents) readable by the owner only; an existing one is left."""
    if not path.exists():
        old_umask = os.umask(0o077)
        try:
            path.mkdir(mode=0o700, parents=True, exist_ok=True)
        finally:
            os.umask(old_umask)
    return path


def _generated_secret(path: Path, make) -> str:
    """The secret held in `path`; made by `make()` and written 0600 if there is none yet.

    Two processes starting at once agree: the file is written under another name and linked
    into place, so the loser reads the winner's whole secret.
    """
    if path.exists():
        tighten(path)  # an older eom wrote it with the default umask
        return path.read_text(encoding="utf-8").strip()
    _private_dir(path.parent)
    value = make()
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(value + "\n")
    try:
        os.link(draft, path)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    finally:
        draft.unlink()
    return value


def _secret_key() -> str:
    key = env_str("EOM_SECRET_KEY", "")
    if key:
        return key
    # Zero-set-up default: a random key kept beside the SQLite database.
    return _generated_secret(DATA_DIR / "secret_key", lambda: secrets.token_urlsafe(50))


def _data_keys() -> tuple[list[str], Path | None]:
    """The keys that seal confidential text in the database, newest first, and the file they
    came from when none was given (the zero-set-up default, beside the database)."""
    raw, default_file = env_str("EOM_DATA_KEY", ""), None
    if not raw:
        default_file = DATA_DIR / "data_key"
        raw = _generated_secret(default_file, lambda: Fernet.generate_key().decode("ascii"))
    keys = raw.replace(",", " ").split()
    if not keys:
        raise ImproperlyConfigured("EOM_DATA_KEY: no key given")
    for number, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"EOM_DATA_KEY: key {number} is not a data key (32 bytes in URL-safe base64, "
                "as `eom keys generate` prints it)"
            ) from exc
    return keys, default_file


_private_dir(DATA_DIR)
DEBUG = env_bool("EOM_DEBUG", False)
SECRET_KEY = _secret_key()
# Confidential meetings' text is sealed with the first key; the others still open older values
# until `eom keys rotate` reseals them (docs/deployment.md, "The data key").
EOM_DATA_KEYS, EOM_DATA_KEY_DEFAULT_FILE = _data_keys()
ALLOWED_HOSTS = env_list("EOM_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("EOM_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "eom.missions.admin_apps.EomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_otp",  # two-factor sign-in (TOTP) for the core team and administrators
    "django_otp.plugins.otp_totp",
    "ninja",  # serves its Swagger UI files locally (no CDN)
    "csp",
    "eom.missions",
    "eom.observation",
    "eom.results",
    "eom.reporting",
    "eom.lto",
    "eom.complaints",
    "eom.media",
    "eom.dataout",
    "eom.standards",
    "eom.publications",
]

MIDDLEWARE = [
    "eom.missions.errors.DebugPagesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # sizes and bad text, before anything reads the body (in the reader's language)
    "eom.missions.middleware.RequestLimits",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "eom.missions.signin.SessionLifetimeMiddleware",
    "eom.missions.twofactor.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "eom.urls"
WSGI_APPLICATION = "eom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "eom.missions.templating.DjangoTemplates",  # output always UTF-8
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "eom.menu.page",  # the mission, the reader's access and menu
                "eom.reporting.context_processors.situation_room",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'eom.sqlite3'}"),
        conn_max_age=env_int("EOM_DB_CONN_MAX_AGE", 0),
    )
}
# PostgreSQL: the ingestion's hand-written statements are prepared on each connection once they
# have run a few times (eom.missions.bulk); false behind a pooler that cannot keep them
# (PgBouncer in transaction mode before 1.21, or without max_prepared_statements).
EOM_DB_PREPARED_STATEMENTS = env_bool("EOM_DB_PREPARED_STATEMENTS", True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer writes; a busy timeout instead of "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
    # Tests use a file too: concurrent writers then wait for each other as in production,
    # where an in-memory shared-cache database would fail with "table is locked".
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / f"test-eom-{os.getpid()}.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- sign-in, sessions, two-factor, API tokens, error pages (docs/security-signin.md) -------


def env_positive(name: str, default: int) -> int:
    value = env_int(name, default)
    if value < 1:
        raise ImproperlyConfigured(f"{name}={value}: expected a whole number of at least 1")
    return value


AUTHENTICATION_BACKENDS = ["eom.missions.signin.ThrottledModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Refused sign-ins (wrong passwords, unknown API tokens) counted over a sliding window, in the
# database so that every app process sees them. At the limit, the user name (or the address)
# is refused, the right password too, until the window has passed since the failures.
EOM_SIGNIN_WINDOW_MINUTES = env_positive("EOM_SIGNIN_WINDOW_MINUTES", 15)
EOM_SIGNIN_FAILURES_PER_USERNAME = env_positive("EOM_SIGNIN_FAILURES_PER_USERNAME", 5)
EOM_SIGNIN_FAILURES_PER_ADDRESS = env_positive("EOM_SIGNIN_FAILURES_PER_ADDRESS", 30)
# A password checked right over HTTP Basic (ODK Collect) is remembered by the app process for
# this many seconds instead of hashed again with every request (missions/signin.py); 0: never.
EOM_BASIC_REMEMBER_SECONDS = env_int("EOM_BASIC_REMEMBER_SECONDS", 600)
# Two-factor sign-in (a code from an authenticator app) for the core team and administrators.
EOM_REQUIRE_2FA = env_bool("EOM_REQUIRE_2FA", True)
OTP_TOTP_ISSUER = "eom"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# A session ends EOM_SESSION_HOURS after signing in, and when the browser closes.
EOM_SESSION_HOURS = env_positive("EOM_SESSION_HOURS", 10)
SESSION_COOKIE_AGE = EOM_SESSION_HOURS * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# API tokens expire this many days after they are issued, unless issued for fewer.
EOM_TOKEN_DAYS = env_positive("EOM_TOKEN_DAYS", 90)
# Tracebacks and Django's technical 404 page (with EOM_DEBUG) for administrators only.
DEFAULT_EXCEPTION_REPORTER = "eom.missions.errors.AdministratorOnlyReporter"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "missions:overview"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = env_str("EOM_LANGUAGE", "en")
LANGUAGES = [("en", _("English")), ("ru", _("Russian")), ("kk", _("Kazakh"))]
# Dates as each language writes them, eom's own named formats (DAY_MONTH_TIME_FORMAT, …) and
# the number formats Django lacks (Kazakh): eom/formats/<language>/formats.py (docs/languages.md).
FORMAT_MODULE_PATH = ["eom.formats"]
# Counts are grouped in thousands where they are shown (|intcomma), not every number a template
# prints: years and identifiers in addresses must stay as they are.
USE_THOUSAND_SEPARATOR = False
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env_str("EOM_TIME_ZONE", "Asia/Almaty")
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"  # `eom collectstatic` fills it for production
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it to exist
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"
# Observers' photos and other uploads: readable by eom's own user only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

if env_bool("EOM_BEHIND_TLS_PROXY", False):
    # The proxy terminates TLS and says so in X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("EOM_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# --- HTTPS only (docs/deployment.md): with these set, `eom check --deploy` prints nothing ------
SECURE_SSL_REDIRECT = env_bool("EOM_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("EOM_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("EOM_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("EOM_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("EOM_LOG_LEVEL", "WARNING")},
    # waitress says "Task queue depth is N" whenever all its threads are busy: not a problem.
    "loggers": {"waitress.queue": {"level": "ERROR"}},
}

# --- Limits on what a request may send (docs/security-limits.md) ---------------------------
# Whatever is over a limit is refused with a 400, 413 or 422 naming the limit or the field, and
# nothing is stored. The body limit is set above what the largest legitimate request takes: a
# batch of 200 reports of the largest shipped checklist, every question answered, is 0.2 MB,
# and 1.0 MB with a 1,000-character comment in every text answer.
def env_limit(name: str, default: int) -> int:
    """A limit: a whole number of at least 1."""
    value = env_int(name, default)
    if value < 1:
        raise ImproperlyConfigured(f"{name}={value}: a limit must be at least 1")
    return value


EOM_MAX_REQUEST_BYTES = env_limit("EOM_MAX_REQUEST_BYTES", 64 * 1024 * 1024)  # any body, files too
DATA_UPLOAD_MAX_MEMORY_SIZE = env_limit("EOM_MAX_BODY_BYTES", 5 * 1024 * 1024)  # without files
DATA_UPLOAD_MAX_NUMBER_FIELDS = env_limit("EOM_MAX_FORM_FIELDS", 1000)
DATA_UPLOAD_MAX_NUMBER_FILES = env_limit("EOM_MAX_FORM_FILES", 100)
FILE_UPLOAD_MAX_MEMORY_SIZE = env_limit("EOM_FILE_UPLOAD_MEMORY_BYTES", 2_621_440)  # then on disk
EOM_MAX_PARAMETER_CHARS = env_limit("EOM_MAX_PARAMETER_CHARS", 2000)  # one query parameter
EOM_MAX_SEARCH_WORDS = env_limit("EOM_MAX_SEARCH_WORDS", 20)  # in a search (`q`)
EOM_MAX_SEARCH_CHARS = env_limit("EOM_MAX_SEARCH_CHARS", 200)
EOM_MAX_BATCH_REPORTS = env_limit("EOM_MAX_BATCH_REPORTS", 200)  # reports in one API batch
EOM_MAX_ANSWERS = env_limit("EOM_MAX_ANSWERS", 500)  # answers in one report
EOM_MAX_TEXT_ANSWER_CHARS = env_limit("EOM_MAX_TEXT_ANSWER_CHARS", 10_000)
EOM_MAX_SELECTED_CHOICES = env_limit("EOM_MAX_SELECTED_CHOICES", 100)  # in a select_multiple
EOM_MAX_REPEAT_INSTANCES = env_limit("EOM_MAX_REPEAT_INSTANCES", 200)  # of one repeat, in a report
EOM_MAX_REPEAT_TOTAL = env_limit("EOM_MAX_REPEAT_TOTAL", 1000)  # of all repeats of a report
EOM_MAX_MEETING_TEXT_CHARS = env_limit("EOM_MAX_MEETING_TEXT_CHARS", 50_000)  # key points
EOM_MAX_MEETING_TOPICS = env_limit("EOM_MAX_MEETING_TOPICS", 50)
EOM_MAX_MEETING_PARTICIPANTS = env_limit("EOM_MAX_MEETING_PARTICIPANTS", 200)
EOM_MAX_MEETING_INTERLOCUTORS = env_limit("EOM_MAX_MEETING_INTERLOCUTORS", 100)
EOM_MAX_MEETING_FOLLOW_UPS = env_limit("EOM_MAX_MEETING_FOLLOW_UPS", 100)
EOM_MAX_SMS_CHARS = env_limit("EOM_MAX_SMS_CHARS", 1600)  # an inbound SMS (10 joined parts)
EOM_MAX_LTO_SECTION_CHARS = env_limit("EOM_MAX_LTO_SECTION_CHARS", 20_000)  # an LTO report section
EOM_MAX_COMPLAINT_TEXT_CHARS = env_limit("EOM_MAX_COMPLAINT_TEXT_CHARS", 20_000)  # a case's text
EOM_MAX_COMPLAINT_DOCUMENT_BYTES = env_limit("EOM_MAX_COMPLAINT_DOCUMENT_BYTES", 20 * 1024 * 1024)
EOM_MAX_COMPLAINT_DOCUMENTS = env_limit("EOM_MAX_COMPLAINT_DOCUMENTS", 20)  # files on one case
EOM_MAX_COMPLAINT_LINKS = env_limit("EOM_MAX_COMPLAINT_LINKS", 200)  # meetings, LTO reports of a case

EOM_MAX_REPORT_SECTION_CHARS = env_limit("EOM_MAX_REPORT_SECTION_CHARS", 50_000)  # per language

# The folder with the DejaVu fonts (DejaVuSans.ttf, DejaVuSans-Bold.ttf) that the reports' PDF
# and charts are written in: Debian's fonts-dejavu-core puts them here.
EOM_PDF_FONT_DIR = env_str("EOM_PDF_FONT_DIR", "/usr/share/fonts/truetype/dejavu")

# Which mission the pages show when more than one is loaded (its code).
EOM_MISSION = env_str("EOM_MISSION", "")

# The Chromium that `python -m eom.demo.screenshots` drives (empty: `chromium` on PATH).
EOM_CHROMIUM = env_str("EOM_CHROMIUM", "")

# --- The channels' settings (docs/configuration.md) ------------------------------------------
# The SMS gateways' webhook secret (Twilio: the account's Auth Token; empty: webhooks answer
# 403), the public base URL Twilio signs, how queued SMS are sent (log | http) and where.
EOM_SMS_SECRET = env_str("EOM_SMS_SECRET", "")
EOM_SMS_PUBLIC_URL = env_str("EOM_SMS_PUBLIC_URL", "")
EOM_SMS_BACKEND = env_str("EOM_SMS_BACKEND", "log")
EOM_SMS_SEND_URL = env_str("EOM_SMS_SEND_URL", "")
# ODK Collect's Basic sign-in over plain HTTP from other machines (a closed network only).
EOM_OPENROSA_ALLOW_HTTP = env_bool("EOM_OPENROSA_ALLOW_HTTP", False)

# --- Content-Security-Policy and uploaded photos (docs/security-uploads.md) -----------------
# Every response says that scripts, styles, images, fonts and connections come from eom itself
# only: no inline script or style, no event-handler attribute, nothing from elsewhere, no
# plugin, no framing. Views that need more say so with django-csp's decorators, each for
# itself (the photos of reports get less: `default-src 'none'; sandbox`).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
# How often the situation room and the overview's election-day section fetch their figures
# again, in seconds (docs/election-day.md).
EOM_SITUATION_REFRESH_SECONDS = env_positive("EOM_SITUATION_REFRESH_SECONDS", 30)
# The largest photo a report may carry, in bytes, and how many photos one report may carry.
EOM_MAX_PHOTO_BYTES = env_int("EOM_MAX_PHOTO_BYTES", 10 * 1024 * 1024)
EOM_MAX_PHOTOS_PER_REPORT = env_int("EOM_MAX_PHOTOS_PER_REPORT", 4)
for _name in ("EOM_MAX_PHOTO_BYTES", "EOM_MAX_PHOTOS_PER_REPORT"):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name}={globals()[_name]}: expected a positive number")


# Draws of the forensics' Monte Carlo check computed after each import of official results
# (docs/results.md, "Election forensics"); 0 computes none at import.
EOM_FORENSICS_DRAWS = env_int("EOM_FORENSICS_DRAWS", 1000)
if not 0 <= EOM_FORENSICS_DRAWS <= 100_000:
    raise ImproperlyConfigured(
        f"EOM_FORENSICS_DRAWS={EOM_FORENSICS_DRAWS}: expected a whole number from 0 to 100000")

# Limits on files that come in (location, people and results imports; XLSForm uploads), checked
# before a file is read: see docs/imports.md, "Limits and refusals". Sizes in MB.
from eom.filelimits import MB, FileLimits  # noqa: E402


def _file_limit(name: str, default: int) -> int:
    value = env_int(name, default)
    if value < 1:
        raise ImproperlyConfigured(f"{name}={value}: expected a whole number of 1 or more")
    return value


EOM_IMPORT_LIMITS = FileLimits(
    max_file_bytes=_file_limit("EOM_IMPORT_MAX_FILE_MB", 64) * MB,
    max_unpacked_bytes=_file_limit("EOM_IMPORT_MAX_UNPACKED_MB", 512) * MB,
    max_ratio=_file_limit("EOM_IMPORT_MAX_ZIP_RATIO", 100),
    max_members=_file_limit("EOM_IMPORT_MAX_ZIP_MEMBERS", 1000),
    max_rows=_file_limit("EOM_IMPORT_MAX_ROWS", 500_000),
    max_columns=_file_limit("EOM_IMPORT_MAX_COLUMNS", 200),
)
EOM_FORM_LIMITS = FileLimits(
    max_file_bytes=_file_limit("EOM_FORM_MAX_FILE_MB", 10) * MB,
    max_unpacked_bytes=_file_limit("EOM_FORM_MAX_UNPACKED_MB", 50) * MB,
    max_ratio=_file_limit("EOM_IMPORT_MAX_ZIP_RATIO", 100),
    max_members=_file_limit("EOM_IMPORT_MAX_ZIP_MEMBERS", 1000),
    max_rows=_file_limit("EOM_FORM_MAX_ROWS", 10_000),
    max_columns=_file_limit("EOM_IMPORT_MAX_COLUMNS", 200),
)
