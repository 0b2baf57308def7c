"""Cairn settings, read from the environment with safe demo defaults.

Production sets at least SECRET_KEY, DEBUG=0, ALLOWED_HOSTS and DATABASE_URL;
`cairn check --deploy` then passes.
"""

from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

from cairn.lib.env import env_bool, env_int, env_list, env_str
from cairn.lib.mailers import default_mailer
from cairn.lib.secret_key import DEMO_KEY, read_key

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent

DEBUG = env_bool("DEBUG", False)
# Where the kept signing key lives (the database defaults to the project folder: DATABASE_URL).
DATA_DIR = Path(env_str("CAIRN_DATA_DIR", str(PROJECT_DIR)))
# SECRET_KEY from the environment; else the key `cairn serve` made and kept in DATA_DIR
# (cairn/lib/secret_key.py); else the public demo key, which only the demo may run on.
_ENV_KEY = env_str("SECRET_KEY", "")
SECRET_KEY = _ENV_KEY or read_key(DATA_DIR) or DEMO_KEY
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
NETWORK_NAME = env_str("CAIRN_NETWORK_NAME", "Cairn")
# Printed as the sender block on letters; lines separated by "|".
NETWORK_POSTAL_ADDRESS = env_str("CAIRN_POSTAL_ADDRESS", "").replace("|", "\n")
# The public home: how to reach the network without the internet, and what it is.
NETWORK_PHONE = env_str("CAIRN_PHONE", "")
NETWORK_EMAIL = env_str("CAIRN_CONTACT_EMAIL", "")
NETWORK_ABOUT = env_str("CAIRN_ABOUT", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_tasks_db",
    "health_check",
    "allauth",
    "allauth.account",
    "cairn.core",
    "cairn.jobs",
    "cairn.accounts",
    "cairn.sentmail",
    "cairn.members",
    "cairn.events",
    "cairn.contributions",
    "cairn.outreach",
    "cairn.consultations",
    "cairn.exchange",
    "cairn.conversations",
    "cairn.reports",
    "cairn.insights",
    "cairn.public",
    "cairn.site",
]

MIDDLEWARE = [
    # First: forwarding headers are believed from TRUSTED_PROXIES only, dropped otherwise.
    "cairn.core.proxy.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A write refused by a busy SQLite database answers "try again" (503), not a 500.
    "cairn.lib.busy.BusyDatabaseMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Last, so that failed logins are seen after authentication has run.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cairn.urls"
WSGI_APPLICATION = "cairn.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cairn.core.context_processors.cairn",
                # csp_nonce for the <script> tags (Content-Security-Policy below).
                "django.template.context_processors.csp",
            ],
        },
    },
]

_DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{PROJECT_DIR / 'cairn.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(
        _DATABASE_URL,
        # A new PostgreSQL connection is a new server process: opened per request, it cost
        # more than the request itself (bench/load.py: polls answered per second doubled
        # when connections were kept). Each web thread and worker keeps one for a minute,
        # checked before reuse; processes x threads + workers must stay under the server's
        # max_connections (deploy/README.md). SQLite opens a file, so it keeps none.
        conn_max_age=env_int("CONN_MAX_AGE", 60 if _DATABASE_URL.startswith("postgres") else 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web process and in-process workers share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # Axes first, so a locked-out username never reaches the password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Logging in by email address or by an emailed code.
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Accounts through django-allauth: username or email with a password, or a code sent by
# email for members not used to passwords; reset by emailed link. Nobody signs themselves
# up through allauth: people are invited, or ask to join (CAIRN_SIGNUP) and are approved.
ACCOUNT_ADAPTER = "cairn.accounts.adapter.AccountAdapter"
# allauth's own password forms, with Cairn's words for their fields.
ACCOUNT_FORMS = {
    "reset_password_from_key": "cairn.accounts.forms.ResetPasswordKeyForm",
    "change_password": "cairn.accounts.forms.ChangePasswordForm",
    "set_password": "cairn.accounts.forms.SetPasswordForm",
}
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 15 * 60  # long enough to find the email on a slow phone
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
# The subject prefix is the network's current name: cairn.accounts.adapter.format_email_subject.
ACCOUNT_RATE_LIMITS = {
    # Per address only: the per-username lockout is Axes' job (below), with its own page.
    "login_failed": "10/m/ip",
    # Failed logins from one address, whatever the username (password spraying); generous
    # enough for a community centre's shared address.
    "login_address": env_str("CAIRN_LOGIN_ADDRESS_LIMIT", "20/10m/ip"),
    # Cairn's own: typing invitation codes, and asking to join.
    "invite_code": "10/m/ip",
    "join_request": "5/h/ip",
    # Confirming one's own account deletion with a password: as slow to guess as a login.
    "delete_account": "5/m/user",
}
CAIRN_SIGNUP = env_bool("CAIRN_SIGNUP", False)
CAIRN_INVITE_DAYS = env_int("CAIRN_INVITE_DAYS", 30)

# Five wrong passwords for one username from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client's own address (see TRUSTED_PROXIES), never a header anyone can send.
AXES_CLIENT_IP_CALLABLE = "cairn.core.proxy.client_ip"
# allauth's form calls the field "login" and passes username= or email= to the backends.
AXES_USERNAME_CALLABLE = "cairn.accounts.adapter.axes_username"

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(PROJECT_DIR / "staticfiles")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(PROJECT_DIR / "media")))
# One cache for every web process and machine when Redis is there (CAIRN_REDIS_URL, with the
# `redis` extra): the per-address login limits against password spraying then count across
# processes instead of per process, a board note posted on one process is news to every
# other at once, and sessions are read from the cache before the database (where they stay,
# so a Redis restart logs nobody out). Without it each process keeps its own local cache,
# which is right for one process (`cairn serve`, the demo); `cairn serve --workers N` warns.
REDIS_URL = env_str("CAIRN_REDIS_URL", "")
# The local cache holds a board poll's pass per session and room (events.services.board) and
# each room's newest note: with Django's default of 300 entries, 500 participants would
# push each other's passes out and every poll would take the full check again.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 50_000},
    }
}
# Django's database sessions, read with one written-out query (cairn/accounts/sessions.py).
SESSION_ENGINE = "cairn.accounts.sessions"
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "cairn",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Several web machines share files through S3-compatible storage (django-storages),
# configured by CAIRN_S3_BUCKET and the usual AWS_* variables; else the local MEDIA_ROOT.
# Uploads waiting for an import and rendered report files are kept there
# (`cairn.lib.storage`), so any web machine or worker can read what another wrote.
if env_str("CAIRN_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("CAIRN_S3_BUCKET"),
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
            "region_name": env_str("AWS_S3_REGION_NAME") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
WHITENOISE_USE_FINDERS = DEBUG

# Django 6.1's MAILERS replaces the EMAIL_* settings; we still read the familiar env names.
# `cairn demo` sets CAIRN_DEMO=1: its mail is caught and shown on the "Sent mail" page.
CAIRN_DEMO = env_bool("CAIRN_DEMO", False)
MAILERS = {"default": default_mailer(demo=CAIRN_DEMO, file_path=str(PROJECT_DIR / "sent-mail"))}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Cairn <cairn@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Replies to conversations arrive here, as local+t<thread>.<key>@domain; empty = DEFAULT_FROM_EMAIL.
CAIRN_REPLY_ADDRESS = env_str("CAIRN_REPLY_ADDRESS", "")
# The receiving mail server's name in its Authentication-Results header; headers from
# any other server are ignored when checking emailed replies. Empty = the topmost one.
CAIRN_AUTHSERV_ID = env_str("CAIRN_AUTHSERV_ID", "")

# Background work goes on a queue in the database Cairn already has (SQLite or
# PostgreSQL); `cairn worker` runs it, and `cairn demo` / `cairn serve` start one.
# TASKS_BACKEND=django.tasks.backends.immediate.ImmediateBackend runs tasks in the request.
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# /health/ fails beyond these: tasks waiting, seconds since a worker beat, MB free for media.
CAIRN_HEALTH_MAX_QUEUE = env_int("CAIRN_HEALTH_MAX_QUEUE", 10000)
CAIRN_HEALTH_WORKER_SECONDS = env_int("CAIRN_HEALTH_WORKER_SECONDS", 120)
CAIRN_HEALTH_MIN_FREE_MB = env_int("CAIRN_HEALTH_MIN_FREE_MB", 500)
# A worker whose heartbeat is older than this has stopped; its task is run again.
CAIRN_HEARTBEAT_SECONDS = env_int("CAIRN_HEARTBEAT_SECONDS", 10)
CAIRN_WORKER_STALE_SECONDS = env_int("CAIRN_WORKER_STALE_SECONDS", 60)
CAIRN_TASK_MAX_ATTEMPTS = env_int("CAIRN_TASK_MAX_ATTEMPTS", 3)
# A report file still "being prepared" after this long lost its task: it is marked failed.
CAIRN_RENDER_STALE_MINUTES = env_int("CAIRN_RENDER_STALE_MINUTES", 30)
# An email recorded as "being sent" for longer than this lost its worker between the mail
# server and the record: it is marked "unknown, check" for a coordinator, never re-sent.
CAIRN_EMAIL_SENDING_STALE_MINUTES = env_int("CAIRN_EMAIL_SENDING_STALE_MINUTES", 10)
# Tasks claimed by a worker that writes no heartbeat (plain `db_worker`) wait this long.
CAIRN_TASK_UNKNOWN_WORKER_SECONDS = env_int("CAIRN_TASK_UNKNOWN_WORKER_SECONDS", 6 * 3600)
# What `cairn worker` fires and how often (seconds). One ScheduleSlot row per entry means
# several workers fire each once; CAIRN_SCHEDULES_OFF=send-digests,... leaves some to cron.
_SCHEDULES_OFF = set(env_list("CAIRN_SCHEDULES_OFF", []))
# Uploaded member lists never imported, and finished imports of members, responses and
# chats (their files and the reports that name people), are deleted after this many days.
CAIRN_IMPORT_KEEP_DAYS = env_int("CAIRN_IMPORT_KEEP_DAYS", 14)
CAIRN_SCHEDULES = [
    entry
    for entry in [
        {
            "name": "recover-lost-tasks",
            "every": max(1, CAIRN_WORKER_STALE_SECONDS // 2),
            "call": "cairn.jobs.services.recover_lost_tasks",
        },
        {"name": "fail-stale-jobs", "every": 60, "call": "cairn.jobs.services.fail_stale_jobs"},
        {
            "name": "fail-stale-syntheses",
            "every": 60,
            "call": "cairn.insights.services.fail_stale_runs",
        },
        {
            "name": "prepare-public-files",
            "every": 600,
            "call": "cairn.reports.files.prepare_missing_public_files",
        },
        {
            "name": "fail-stale-renders",
            "every": 60,
            "call": "cairn.reports.files.fail_stale_renders",
        },
        {"name": "send-reminders", "every": 600, "call": "cairn.events.tasks.send_due_reminders"},
        {
            "name": "retry-emails",
            "every": 300,
            "call": "cairn.outreach.tasks.retry_failed_emails_task",
        },
        {
            "name": "send-digests",
            "every": env_int("CAIRN_DIGEST_EVERY_SECONDS", 86400),
            "call": "cairn.conversations.tasks.send_digests_task",
        },
        {
            "name": "prune-task-results",
            "every": 86400,
            "call": "cairn.jobs.services.prune_finished_tasks",
        },
        {
            "name": "clear-sign-in-codes",
            "every": 3600,
            "call": "cairn.accounts.services.clear_expired_sign_in_codes",
        },
        {
            "name": "discard-abandoned-imports",
            "every": 86400,
            "call": "cairn.members.import_jobs.discard_abandoned_imports",
        },
        {
            "name": "prune-finished-imports",
            "every": 86400,
            "call": "cairn.site.housekeeping.prune_finished_imports",
        },
        {
            "name": "clear-sessions",
            "every": 86400,
            "call": "cairn.jobs.services.clear_expired_sessions",
        },
    ]
    if entry["name"] not in _SCHEDULES_OFF
]

# Production = SECRET_KEY set in the environment and DEBUG off. Without it (the demo, or a
# local `cairn serve` on its kept key) the site serves plain HTTP.
PRODUCTION = bool(_ENV_KEY) and _ENV_KEY != DEMO_KEY and not DEBUG
SECURE = PRODUCTION and env_bool("SECURE_COOKIES", True)
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SECURE else "http"
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = SECURE and env_bool("SECURE_SSL_REDIRECT", True)
# A load balancer checks /health/ over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^health/"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
# Addresses (or networks) of the reverse proxies in front of Cairn. Their X-Forwarded-For
# and X-Forwarded-Proto are believed; anyone else's are dropped (cairn/core/proxy.py).
# BEHIND_PROXY=1 alone means a proxy on this machine.
TRUSTED_PROXIES = env_list(
    "TRUSTED_PROXIES", ["127.0.0.1", "::1"] if env_bool("BEHIND_PROXY", False) else []
)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXIES else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy: scripts and styles only from our own static files (or a tag
# carrying this response's nonce), so a payload that slipped past escaping cannot run.
# No inline style attributes either: templates use classes from cairn.css.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"forbidden_in_one_line": {"()": "cairn.lib.logfilters.ForbiddenInOneLine"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["forbidden_in_one_line"]}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
