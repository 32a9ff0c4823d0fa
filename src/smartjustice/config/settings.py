"""Settings, read from environment variables (see README, "Configuration")."""

import base64
import binascii
import os
import secrets
import sys
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
        # No JIT: short OLTP queries joined to unnest() arrays are estimated at hundreds of thousands of rows, so
        # PostgreSQL spent ~40 ms compiling a 6 ms lookup of a GPS batch's tracker states (?options=… overrides).
        options.setdefault("options", "-c jit=off")
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


def read_env_file(path: Path) -> None:
    """Fill os.environ from KEY=VALUE lines (the local secrets `make run` keeps); real environment variables win."""
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        name, sep, value = line.strip().partition("=")
        if sep and name and not name.startswith("#"):
            os.environ.setdefault(name.strip(), value.strip())


DEV_SECRET_KEY = "dev-only-insecure-key-change-me-in-production-0123456789"


def is_real_secret_key(value: str) -> bool:
    """A secret key a deployment may run with: long, and not a placeholder anyone can read in this repository."""
    return len(value) >= 50 and value != DEV_SECRET_KEY and not value.startswith("django-insecure")


def is_real_encryption_key(value: str) -> bool:
    """A key-encryption key of 32 bytes, base64 or hex (see core/secretbox.py)."""
    for decode in (bytes.fromhex, lambda v: base64.b64decode(v, validate=True)):
        try:
            if len(decode(value)) == 32:
                return True
        except (ValueError, binascii.Error):
            continue
    return False


# The offline verifiers read no database and no key of this deployment: a citizen or an outside auditor runs them on
# a machine of their own, without this deployment's secrets (README "Trust model"). Which command runs is read from the
# command line, not from a variable a deployment could leave set; every other command still needs the real secrets.
OFFLINE_VERIFIER_COMMANDS = {("credentials", "verify"), ("ledger", "verify")}


def is_offline_verifier(argv: list[str]) -> bool:
    """`smartjustice credentials verify …` / `smartjustice ledger verify …` (or `python -m smartjustice …`)."""
    if len(argv) < 3 or tuple(argv[1:3]) not in OFFLINE_VERIFIER_COMMANDS:
        return False
    program = Path(argv[0])
    return program.name == "smartjustice" or (
        program.name == "__main__.py" and program.parent.name == "smartjustice"
    )


OFFLINE_VERIFIER = is_offline_verifier(sys.argv)

VAR_DIR = Path(env("SMARTJUSTICE_VAR_DIR", str(BASE_DIR / "var")))
# `make run` generates this checkout's secrets into var/secrets.env on first start (scripts/local_secrets.py).
LOCAL_SECRETS_FILE = VAR_DIR / "secrets.env"
read_env_file(LOCAL_SECRETS_FILE)
# Production behaviour unless debug is asked for: a deployment that forgets a variable must not run in debug mode.
DEBUG = env_bool("SMARTJUSTICE_DEBUG", False)
SECRET_KEY = env("SMARTJUSTICE_SECRET_KEY") or ""
# 32 bytes (base64 or hex) that encrypt the signing keys and sealed secrets at rest (core/secretbox.py).
KEY_ENCRYPTION_KEY = env("SMARTJUSTICE_KEY_ENCRYPTION_KEY") or ""
if OFFLINE_VERIFIER and not DEBUG:
    # Nothing these commands do signs, decrypts or keeps a session: a throw-away key, never the repository's constant.
    SECRET_KEY = SECRET_KEY if is_real_secret_key(SECRET_KEY) else secrets.token_urlsafe(50)
elif not DEBUG:
    if not is_real_secret_key(SECRET_KEY):
        raise ImproperlyConfigured(
            "未设置有效的 SMARTJUSTICE_SECRET_KEY（至少 50 个字符的随机值）。本地试用请运行 make run"
            "（首次启动时在 var/secrets.env 生成本机密钥），开发调试可设置 SMARTJUSTICE_DEBUG=1。"
        )
    if not is_real_encryption_key(KEY_ENCRYPTION_KEY):
        raise ImproperlyConfigured(
            "未设置有效的 SMARTJUSTICE_KEY_ENCRYPTION_KEY（32 字节，base64 或十六进制），"
            "签名密钥不能以 SECRET_KEY 代替加密。本地试用请运行 make run，开发调试可设置 SMARTJUSTICE_DEBUG=1。"
        )
elif not SECRET_KEY:
    SECRET_KEY = DEV_SECRET_KEY  # debug only: keys then derive from this constant (see core/secretbox.py)

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
    "oauth2_provider",  # OAuth2/OIDC provider for mobile clients, partner systems and hub consumers
    "django_tasks",
    "django_tasks_db",  # background work in the platform's own database (see README, "Background work")
    "smartjustice.core",
    "smartjustice.govinfo",
    "smartjustice.statutes",
    "smartjustice.qa",
    "smartjustice.ledger",
    "smartjustice.credentials",
    "smartjustice.hub",
    "smartjustice.oauth",
    "smartjustice.enforcement",
    "smartjustice.disclosure",
    "smartjustice.supervision",
    "smartjustice.correction",
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

# Lockout (django-axes): 5 failures for one account from one client address lock that pair for 30 minutes.
AXES_FAILURE_LIMIT = int(env("SMARTJUSTICE_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = float(env("SMARTJUSTICE_LOCKOUT_HOURS", "0.5"))
# Locked per account *and* client address: a stranger failing five times for gd_admin locks only their own address
# out of that account, not the administrator; and a county office behind one NAT address is not locked as a whole
# by one officer's typos (no address-only lock). Administrators can lift a lock (core/lockout.py).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The client address: REMOTE_ADDR, or behind SMARTJUSTICE_TRUSTED_PROXIES reverse proxies the address they saw.
AXES_CLIENT_IP_CALLABLE = "smartjustice.core.middleware.client_ip"
TRUSTED_PROXY_COUNT = int(env("SMARTJUSTICE_TRUSTED_PROXIES", "0"))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False
# Branded Chinese page for a failed CSRF check (Django's own is English and technical).
CSRF_FAILURE_VIEW = "smartjustice.core.views.errors.csrf_failure"

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

# Static files: production serves collectstatic's hashed, compressed copies; debug and `make run` (which sets
# SMARTJUSTICE_STATIC_FROM_SOURCE=1, sparing a minutes-long collectstatic on every start) serve the source folders
# through WhiteNoise's finders, with DEBUG off all the same.
STATIC_FROM_SOURCE = env_bool("SMARTJUSTICE_STATIC_FROM_SOURCE", DEBUG)
WHITENOISE_USE_FINDERS = STATIC_FROM_SOURCE
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if STATIC_FROM_SOURCE
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Notification gateways beyond the in-app inbox (dotted paths; see core/notifications.py).
NOTIFICATION_CHANNELS = [c for c in env("SMARTJUSTICE_NOTIFICATION_CHANNELS", "").split(",") if c]

# Tokens, codes and client secrets never reach a log (smartjustice/oauth/redaction.py, ADR 0011): the filter sits on
# the console handler and on runserver's request-line logger (its own handler, as in Django's defaults); the
# oauth app adds it to gunicorn's and uvicorn's access loggers, which those servers configure themselves.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_secrets": {"()": "smartjustice.oauth.redaction.RedactSecrets"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_secrets"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "level": "INFO",
            "filters": ["redact_secrets"],
        },
    },
    "loggers": {
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
            "filters": ["redact_secrets"],
        },
        # Django's own records go through the filtered root console only (its default console and mail handlers
        # would print them unfiltered, and twice in debug).
        "django": {"handlers": [], "level": "INFO"},
    },
    "root": {"handlers": ["console"], "level": env("SMARTJUSTICE_LOG_LEVEL", "WARNING")},
}

PLATFORM_NAME = "智慧司法行政平台"
PLATFORM_PROVINCE_CODE = env("SMARTJUSTICE_PROVINCE_CODE", "44")


# Background work: django-tasks with its database backend; `smartjustice worker` runs the queue.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- issue 4 settings blocks: each app appends its own block below, marked with its name ---

# --- hub ---
# 共享协同平台: the key that seals consumers' push-signing secrets and keys the person digests (default: the
# key-encryption key); optional overrides of hub/data/delivery_policy.json (e.g. {"max_attempts": 5}).
HUB_SEALING_KEY = env("SMARTJUSTICE_HUB_SEALING_KEY", "") or KEY_ENCRYPTION_KEY
HUB_DELIVERY: dict = {}
# OAuth2 scopes of machine clients of the hub (merged into whatever OAUTH2_PROVIDER the oauth block defines).
# Swappable-model setting Django needs to resolve the hub Consumer → Application foreign key in migrations.
OAUTH2_PROVIDER_APPLICATION_MODEL = globals().get(
    "OAUTH2_PROVIDER_APPLICATION_MODEL", "oauth2_provider.Application"
)
OAUTH2_PROVIDER = globals().get("OAUTH2_PROVIDER", {})
OAUTH2_PROVIDER.setdefault("SCOPES", {}).update(
    {"hub.pull": "从共享协同平台拉取已订阅的数据", "hub.ingest": "向共享协同平台批量报送数据"}
)

# --- oauth ---
# 统一身份认证: django-oauth-toolkit as OAuth2 / OpenID Connect provider (see smartjustice/oauth/). The ID-token signing
# key comes from SMARTJUSTICE_OIDC_RSA_KEY_FILE, else it is generated once into var/ and reused (never committed).
from smartjustice.oauth.signing_key import load_or_create as _oidc_signing_key  # noqa: E402

OAUTH2_PROVIDER = globals().get("OAUTH2_PROVIDER", {})
OAUTH2_PROVIDER["SCOPES"] = {
    "openid": "使用平台统一账号登录",
    "profile": "读取姓名、所属单位、所属区划和角色",
    "email": "读取电子邮箱",
    "hub.pull": "从共享协同平台拉取已订阅的数据",
    "hub.ingest": "向共享协同平台批量报送数据",
    **OAUTH2_PROVIDER.get("SCOPES", {}),
}
OAUTH2_PROVIDER.update(
    {
        "OIDC_ENABLED": True,
        "OIDC_RSA_PRIVATE_KEY": _oidc_signing_key(env("SMARTJUSTICE_OIDC_RSA_KEY_FILE"), VAR_DIR),
        "OIDC_ISS_ENDPOINT": env("SMARTJUSTICE_OIDC_ISSUER", ""),  # default: <scheme>://<host>/oauth
        "OIDC_RESPONSE_TYPES_SUPPORTED": ["code"],
        "OAUTH2_VALIDATOR_CLASS": "smartjustice.oauth.validators.PlatformOAuth2Validator",
        "OAUTH2_BACKEND_CLASS": "smartjustice.oauth.errors.PlatformOAuthLibCore",  # Chinese error_description
        "SCOPES_BACKEND_CLASS": "smartjustice.oauth.validators.GrantTypeScopes",
        "DEFAULT_SCOPES": ["openid"],
        "PKCE_REQUIRED": False,  # decided per client by the validator: required for public clients
        "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
        "ACCESS_TOKEN_EXPIRE_SECONDS": int(env("SMARTJUSTICE_OAUTH_ACCESS_TOKEN_SECONDS", "3600")),
        "ID_TOKEN_EXPIRE_SECONDS": 3600,
        "REFRESH_TOKEN_EXPIRE_SECONDS": 14 * 24 * 3600,
        "ROTATE_REFRESH_TOKEN": True,
        "REFRESH_TOKEN_REUSE_PROTECTION": True,
        "ALLOWED_REDIRECT_URI_SCHEMES": ["https", "http"] if DEBUG else ["https"],
        # OIDC RP-Initiated Logout 1.0 at /oauth/logout/ (end_session_endpoint): ask only when the id_token_hint does
        # not prove the signed-in user; redirect only to the client's registered post-logout URIs (http only for
        # confidential clients); expired hints are accepted (clients sign out long after the ID token's hour); the
        # user's OAuth tokens at every client are revoked with the session.
        "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
        "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
        "OIDC_RP_INITIATED_LOGOUT_STRICT_REDIRECT_URIS": True,
        "OIDC_RP_INITIATED_LOGOUT_ACCEPT_EXPIRED_TOKENS": True,
        "OIDC_RP_INITIATED_LOGOUT_DELETE_TOKENS": True,
        # RFC 9700 (OAuth 2.0 Security BCP): no implicit or password grant, S256 only, tokens only in headers/bodies.
        "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
        "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
        "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
        "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
        "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,  # RFC 9207 `iss` in authorization responses
    }
)

# --- credentials ---
# 可验证电子证照: the public address printed in credential identifiers, status-list URLs and QR codes (it must be the
# address citizens reach), and the issuers' signature algorithm (sm2 by default; ed25519 for foreign verifiers).
CREDENTIALS_PUBLIC_URL = env("SMARTJUSTICE_PUBLIC_URL", "http://127.0.0.1:8000")
CREDENTIALS_SIGNING_ALGORITHM = env("SMARTJUSTICE_CREDENTIALS_ALGORITHM", "sm2")
# How long a signed status list counts as current (its validUntil; the offline verifier's default maximum age), and
# how often a served list is re-signed so that a download is always fresh (ADR 0009).
CREDENTIALS_STATUS_MAX_AGE_HOURS = float(env("SMARTJUSTICE_CREDENTIALS_STATUS_MAX_AGE_HOURS", "24"))
CREDENTIALS_STATUS_REFRESH_MINUTES = float(env("SMARTJUSTICE_CREDENTIALS_STATUS_REFRESH_MINUTES", "60"))

# --- ledger ---
# 可信存证账本: 32-byte key (base64 or hex) that encrypts signing keys at rest (AES-256-GCM); required outside debug
# (see above); only in debug, when unset, it is derived from SECRET_KEY by HKDF-SHA256. The log operator's name is used in default log origins.
LEDGER_KEY_ENCRYPTION_KEY = KEY_ENCRYPTION_KEY
# The demo's witnesses are independent of the operator: their keys are generated into this folder, never derived
# from the platform's secrets.
LEDGER_DEMO_WITNESS_DIR = VAR_DIR / "demo-witnesses"
LEDGER_ORIGIN_PREFIX = env("SMARTJUSTICE_LEDGER_ORIGIN_PREFIX", "ledger.sf.gd.gov.cn")
# Pinned log and witness keys (ledger/trust.py, ADR 0010): what the audit and the proof pages trust, held outside
# the database. Verifier keys (name+keyid+base64) in the variable and/or one per line in the trust file; the platform
# appends the keys it creates to the file unless SMARTJUSTICE_LEDGER_PIN_CREATED_KEYS=0 (a read-only, hand-kept file).
LEDGER_PINNED_KEYS = env("SMARTJUSTICE_LEDGER_PINNED_KEYS", "")
LEDGER_TRUST_FILE = env("SMARTJUSTICE_LEDGER_TRUST_FILE", str(VAR_DIR / "ledger-trust.txt"))
LEDGER_PIN_CREATED_KEYS = env_bool("SMARTJUSTICE_LEDGER_PIN_CREATED_KEYS", True)
# Optional overrides of ledger/data/checkpoints.json (e.g. {"interval_seconds": 300}).
LEDGER_CHECKPOINTS: dict = {}

# 社区矫正 identity checks: face matching against the intake photo (dlib weights from face_recognition_models). Off:
# checks use the random-digit live challenge that an officer reviews (correction/identity.py).
CORRECTION_FACE_MATCHING = env_bool("SMARTJUSTICE_FACE_MATCHING", True)
