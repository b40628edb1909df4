"""Whole public pages cached for visitors who are not signed in, dropped at once on a change.

A page is kept under its path, query and language and under the current *generation*, a
token in the cache that every change of what public pages show replaces (page_cache_bump,
called after the commit by the receivers of the domain's change signals, Wagtail's publish and
unpublish, and the index sync). Replacing the token makes every page kept so far unreachable
at once; they expire on their own (PAGE_CACHE_SECONDS, also the bound on staleness if a bump
was lost while the cache was down).

Only what cannot differ between visitors is kept: GET requests without a session or a
messages cookie, by a visitor not signed in, answered 200 without setting a cookie and without
a private or no-store Cache-Control. The CSRF token of the page's forms (the language switch
is on every page) is kept as a placeholder and each visitor gets their own in its place.
Member, account, admin and API paths are never kept. When the cache is unreachable nothing is
kept or served.
"""

import hashlib
import re
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

GENERATION_KEY = "page-cache:generation"
# Paths whose pages depend on who asks or are not HTML pages for visitors.
NEVER = (
    "/admin/",
    "/django-admin/",
    "/member/",
    "/accounts/",
    "/api/",
    "/_util/",
    "/i18n/",
    "/documents/",
    "/health/",
    "/static/",
    "/media/",
    "/opendata/",
)
HEADERS_KEPT = ("Content-Type", "Content-Language", "Vary", "Last-Modified", "ETag")
HIT_HEADER = "X-Page-Cache"
CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]+(")')
CSRF_PLACEHOLDER = b"page-cache-csrf-token"


def page_cache_seconds() -> int:
    """How long a page is kept (0 turns the page cache off)."""
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 0))


def page_cache_bump() -> None:
    """Make every page kept so far unreachable (a change of what public pages show)."""
    if page_cache_seconds():
        cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def page_cache_bump_after_commit() -> None:
    """page_cache_bump once the surrounding transaction commits (readers then see the change)."""
    transaction.on_commit(page_cache_bump)


def _generation() -> str | None:
    """The current generation; None when the cache cannot be reached."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def request_cacheable(request: HttpRequest) -> bool:
    """Whether this request may be answered from, and its answer kept in, the page cache."""
    if not page_cache_seconds() or request.method != "GET":
        return False
    if request.path.startswith(NEVER):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    return not request.user.is_authenticated


def response_cacheable(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether the answer is the same for every visitor, so it may be kept."""
    control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not any(word in control for word in ("private", "no-store", "no-cache"))
    )


def _key(request: HttpRequest, generation: str) -> str:
    where = f"{request.get_host()}{request.get_full_path()}".encode()
    digest = hashlib.sha256(where).hexdigest()
    return f"page-cache:{generation}:{request.LANGUAGE_CODE}:{digest}"


def page_cached(request: HttpRequest) -> tuple[str | None, HttpResponse | None]:
    """(key to keep the answer under, the kept answer if there is one); (None, None) off."""
    generation = _generation()
    if generation is None:
        return None, None
    key = _key(request, generation)
    kept = cache.get(key)
    if kept is None:
        return key, None
    content, headers = kept
    if CSRF_PLACEHOLDER in content:
        content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
    response = HttpResponse(content, headers=headers)
    response[HIT_HEADER] = "hit"
    return key, response


def page_keep(key: str, response: HttpResponse) -> None:
    """Keep an answer under its key."""
    headers = {name: response[name] for name in HEADERS_KEPT if response.has_header(name)}
    content = CSRF_INPUT.sub(rb"\1" + CSRF_PLACEHOLDER + rb"\2", response.content)
    cache.set(key, (content, headers), timeout=page_cache_seconds())
