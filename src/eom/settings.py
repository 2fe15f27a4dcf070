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
        "BACKEND": "django.template.backends.django.DjangoTemplates",
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

# Which mission the pages show when more than one is loaded (its code).
EOM_MISSION = env_str("EOM_MISSION", "")

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
