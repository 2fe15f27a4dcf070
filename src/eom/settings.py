"""Settings for eom, read only from the environment (see docs/configuration.md)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

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


def _secret_key() -> str:
    key = env_str("EOM_SECRET_KEY", "")
    if key:
        return key
    # Zero-set-up default: a random key kept beside the SQLite database.
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key, encoding="utf-8")
    return key


DEBUG = env_bool("EOM_DEBUG", False)
SECRET_KEY = _secret_key()
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
    "ninja",  # serves its Swagger UI files locally (no CDN)
    "eom.missions",
    "eom.observation",
    "eom.results",
    "eom.reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # sizes and bad text, before anything reads the body (in the reader's language)
    "eom.missions.middleware.RequestLimits",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
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
                "eom.missions.context_processors.mission",
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

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "missions:overview"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = env_str("EOM_LANGUAGE", "en")
LANGUAGES = [("en", _("English")), ("ru", _("Russian")), ("kk", _("Kazakh"))]
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

if env_bool("EOM_BEHIND_TLS_PROXY", False):
    # The proxy terminates TLS and says so in X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("EOM_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

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
EOM_MAX_MEETING_TEXT_CHARS = env_limit("EOM_MAX_MEETING_TEXT_CHARS", 50_000)  # key points
EOM_MAX_MEETING_TOPICS = env_limit("EOM_MAX_MEETING_TOPICS", 50)
EOM_MAX_MEETING_PARTICIPANTS = env_limit("EOM_MAX_MEETING_PARTICIPANTS", 200)
EOM_MAX_MEETING_INTERLOCUTORS = env_limit("EOM_MAX_MEETING_INTERLOCUTORS", 100)
EOM_MAX_MEETING_FOLLOW_UPS = env_limit("EOM_MAX_MEETING_FOLLOW_UPS", 100)
EOM_MAX_SMS_CHARS = env_limit("EOM_MAX_SMS_CHARS", 1600)  # an inbound SMS (10 joined parts)

# Which mission the pages show when more than one is loaded (its code).
EOM_MISSION = env_str("EOM_MISSION", "")
