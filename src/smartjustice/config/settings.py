"""Settings, read from environment variables (see README, "Configuration")."""

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parents[1]
BASE_DIR = PACKAGE_DIR.parents[1]  # repository root in a source checkout


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def database_from_url(url: str) -> dict:
    """Translate DATABASE_URL (postgres://user:pass@host:port/name or sqlite:///path) into Django's form."""
    parsed = urlparse(url)
    if parsed.scheme in {"postgres", "postgresql", "pgsql"}:
        options = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")) or "smartjustice",
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "OPTIONS": options,
            "CONN_MAX_AGE": int(env("SMARTJUSTICE_CONN_MAX_AGE", "60")),
            "TEST": {"NAME": env("SMARTJUSTICE_TEST_DATABASE_NAME")},
        }
    if parsed.scheme == "sqlite":
        return sqlite_database(Path(unquote(parsed.path)))
    raise ImproperlyConfigured(f"DATABASE_URL 不支持的数据库类型：{parsed.scheme}")


def sqlite_database(path: Path) -> dict:
    path.parent.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        # WAL lets readers run beside one writer; IMMEDIATE makes writers queue instead of failing mid-transaction.
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        },
    }


DEBUG = env_bool("SMARTJUSTICE_DEBUG", True)
VAR_DIR = Path(env("SMARTJUSTICE_VAR_DIR", str(BASE_DIR / "var")))
SECRET_KEY = env("SMARTJUSTICE_SECRET_KEY") or ""
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("生产环境必须设置 SMARTJUSTICE_SECRET_KEY")
    SECRET_KEY = "dev-only-insecure-key-change-me-in-production-0123456789"

ALLOWED_HOSTS = [
    h.strip() for h in env("SMARTJUSTICE_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
]
CSRF_TRUSTED_ORIGINS = [o for o in env("SMARTJUSTICE_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "ninja",  # serves Swagger UI from its bundled static files instead of a CDN
    "smartjustice.core",
    "smartjustice.govinfo",
    "smartjustice.statutes",
    "smartjustice.qa",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "smartjustice.core.middleware.RequestContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "smartjustice.core.views.errors.DomainErrorPageMiddleware",  # DomainError from a page view → its page
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "smartjustice.config.urls"
WSGI_APPLICATION = "smartjustice.config.wsgi.application"
ASGI_APPLICATION = "smartjustice.config.asgi.application"

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
                "smartjustice.core.context_processors.platform",
            ],
        },
    }
]

DATABASE_URL = env("DATABASE_URL")
DATABASES = {
    "default": database_from_url(DATABASE_URL)
    if DATABASE_URL
    else sqlite_database(VAR_DIR / "smartjustice.sqlite3")
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # lockout check first
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Lockout (django-axes): 5 failures per account lock it for 30 minutes.
AXES_FAILURE_LIMIT = int(env("SMARTJUSTICE_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = float(env("SMARTJUSTICE_LOCKOUT_HOURS", "0.5"))
# Locked per account, not per IP: a whole county office sits behind one NAT address, and one officer's typos must
# not lock out colleagues. (Hence axes.W006 is silenced below.)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Session security for the web.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(env("SMARTJUSTICE_SESSION_SECONDS", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SECURE = env_bool("SMARTJUSTICE_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("SMARTJUSTICE_BEHIND_PROXY", False) else None
)

# API tokens: default lifetime for personal tokens, in days (a token may ask for less).
API_TOKEN_DEFAULT_DAYS = int(env("SMARTJUSTICE_API_TOKEN_DAYS", "90"))
API_TOKEN_MAX_DAYS = 365

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it even before collectstatic
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_ROOT = Path(env("SMARTJUSTICE_MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
QA_INDEX_DIR = Path(env("SMARTJUSTICE_QA_INDEX_DIR", str(VAR_DIR / "qa-index")))  # 法宝宝 article index
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
ATTACHMENT_MAX_BYTES = int(env("SMARTJUSTICE_ATTACHMENT_MAX_MB", "20")) * 1024 * 1024

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Notification gateways beyond the in-app inbox (dotted paths; see core/notifications.py).
NOTIFICATION_CHANNELS = [c for c in env("SMARTJUSTICE_NOTIFICATION_CHANNELS", "").split(",") if c]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("SMARTJUSTICE_LOG_LEVEL", "WARNING")},
}

PLATFORM_NAME = "智慧司法行政平台"
PLATFORM_PROVINCE_CODE = env("SMARTJUSTICE_PROVINCE_CODE", "44")
